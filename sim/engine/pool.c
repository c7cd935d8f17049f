/* sim/engine/pool.c - slot pool and index FIFO (see pool.h). */
#include "sim/engine/pool.h"

#include <stdlib.h>
#include <string.h>

static uint32_t *link_of(const struct slot_pool *p, uint32_t i)
{
    return (uint32_t *)((char *)slot_at(p, i) + p->link_off);
}

void slot_pool_init(struct slot_pool *p, size_t size, size_t link_off,
               uint32_t first_cap, void (*init)(void *item))
{
    memset(p, 0, sizeof *p);
    p->size = size;
    p->link_off = link_off;
    p->first_cap = first_cap ? first_cap : 1;
    p->free_head = POOL_NIL;
    p->init = init;
}

void slot_pool_fini(struct slot_pool *p)
{
    free(p->items);
    p->items = NULL;
    p->cap = 0;
    p->free_head = POOL_NIL;
}

/* Double the pool; the new slots join the free list in index order. */
static int grow(struct slot_pool *p)
{
    uint32_t ncap = p->cap ? p->cap * 2 : p->first_cap;
    if (ncap <= p->cap || ncap == POOL_NIL)
        return SIM_ENOMEM;
    void *items = realloc(p->items, (size_t)ncap * p->size);
    if (items == NULL)
        return SIM_ENOMEM;
    memset((char *)items + (size_t)p->cap * p->size, 0,
           (size_t)(ncap - p->cap) * p->size);
    p->items = items;
    for (uint32_t i = ncap; i-- > p->cap;) {
        if (p->init != NULL)
            p->init(slot_at(p, i));
        *link_of(p, i) = p->free_head;
        p->free_head = i;
    }
    p->cap = ncap;
    return SIM_OK;
}

uint32_t slot_take(struct slot_pool *p)
{
    if (p->free_head == POOL_NIL && grow(p) != SIM_OK)
        return POOL_NIL;
    uint32_t i = p->free_head;
    p->free_head = *link_of(p, i);
    return i;
}

void slot_put(struct slot_pool *p, uint32_t i)
{
    *link_of(p, i) = p->free_head;
    p->free_head = i;
}

void id_fifo_init(struct id_fifo *f)
{
    memset(f, 0, sizeof *f);
}

void id_fifo_fini(struct id_fifo *f)
{
    free(f->ids);
    memset(f, 0, sizeof *f);
}

int id_fifo_push(struct id_fifo *f, uint32_t id)
{
    if (f->n == f->cap) {
        uint32_t ncap = f->cap ? f->cap * 2 : 16;
        if (ncap <= f->cap)
            return SIM_ENOMEM;
        uint32_t *ids = malloc((size_t)ncap * sizeof *ids);
        if (ids == NULL)
            return SIM_ENOMEM;
        for (uint32_t k = 0; k < f->n; k++)
            ids[k] = f->ids[(f->head + k) % f->cap];
        free(f->ids);
        f->ids = ids;
        f->cap = ncap;
        f->head = 0;
    }
    f->ids[(f->head + f->n) % f->cap] = id;
    f->n++;
    return SIM_OK;
}

uint32_t id_fifo_pop(struct id_fifo *f)
{
    if (f->n == 0)
        return POOL_NIL;
    uint32_t id = f->ids[f->head];
    f->head = (f->head + 1) % f->cap;
    f->n--;
    return id;
}

bool id_fifo_remove(struct id_fifo *f, uint32_t id)
{
    for (uint32_t k = 0; k < f->n; k++) {
        if (f->ids[(f->head + k) % f->cap] != id)
            continue;
        for (uint32_t j = k; j + 1 < f->n; j++)
            f->ids[(f->head + j) % f->cap] = f->ids[(f->head + j + 1) % f->cap];
        f->n--;
        return true;
    }
    return false;
}
