/* sim/engine/pool.h - the two containers every model needs, written once:
 * a slot pool (an array of fixed-size records reused through a free list,
 * grown by doubling) and an index FIFO (a growable ring of uint32_t ids).
 *
 * Slot pool: records are addressed by index (uint32_t), so they stay valid
 *   across growth while pointers do not: re-take a pointer after any
 *   slot_take(). New slots are zeroed, passed to the optional init hook, and
 *   join the free list in index order (the lowest new index is taken first).
 *   The free list is linked through a uint32_t field of the record at
 *   link_off, which the record may use for its own purposes while taken.
 * Index FIFO: push at the tail, pop at the head, remove anywhere (O(n)).
 * Units:   counts; POOL_NIL (UINT32_MAX) = none.
 * Owns:    each container owns its array; *_fini() frees it.
 * Errors:  slot_take() / id_fifo_push() return POOL_NIL / SIM_ENOMEM when the
 *          array cannot grow.
 * Threads: no globals. Shape: SQLite's and Lua's free lists. */
#ifndef SIM_ENGINE_POOL_H
#define SIM_ENGINE_POOL_H

#include "sim/engine/common.h"

#define POOL_NIL UINT32_MAX

struct slot_pool {
    void *items;          /* owned; cap records of size bytes */
    size_t size;          /* bytes per record */
    size_t link_off;      /* offset of the uint32_t free-list link */
    uint32_t cap;         /* records allocated */
    uint32_t first_cap;   /* capacity of the first growth */
    uint32_t free_head;   /* first free slot, POOL_NIL = none */
    void (*init)(void *item); /* optional: called on each new (zeroed) slot */
};

/* An empty pool of records of `size` bytes whose free-list link is the
 * uint32_t at link_off; the first growth makes first_cap (>= 1) slots. */
void slot_pool_init(struct slot_pool *p, size_t size, size_t link_off,
               uint32_t first_cap, void (*init)(void *item));

/* Free the array; safe twice and on a zeroed struct. */
void slot_pool_fini(struct slot_pool *p);

/* Take a free slot (growing when none is free). Returns its index, or
 * POOL_NIL when the pool cannot grow. The record keeps whatever it held
 * when it was put back (models keep generation counters that way). */
uint32_t slot_take(struct slot_pool *p);

/* Put slot i back on the free list (it is taken first next time). */
void slot_put(struct slot_pool *p, uint32_t i);

/* The record in slot i (i < cap). */
static inline void *slot_at(const struct slot_pool *p, uint32_t i)
{
    return (char *)p->items + (size_t)i * p->size;
}

struct id_fifo {
    uint32_t *ids;        /* owned ring of cap ids */
    uint32_t cap, head, n;
};

/* An empty FIFO (allocates nothing). */
void id_fifo_init(struct id_fifo *f);

/* Free the ring; safe twice and on a zeroed struct. */
void id_fifo_fini(struct id_fifo *f);

/* Append id. Returns 0 or SIM_ENOMEM. */
int id_fifo_push(struct id_fifo *f, uint32_t id);

/* Remove and return the first id; POOL_NIL when empty. */
uint32_t id_fifo_pop(struct id_fifo *f);

/* Remove the first occurrence of id, keeping the order of the others;
 * returns true when it was present. O(n). */
bool id_fifo_remove(struct id_fifo *f, uint32_t id);

/* Ids queued. */
static inline uint32_t id_fifo_len(const struct id_fifo *f)
{
    return f->n;
}

#endif
