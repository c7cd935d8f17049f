/* models/source.c - Azure Storage Queue semantics (see source.h).
 *
 * Workload: one put, one receive and one delete per message, plus one
 * visibility event per receive. Messages live in a pool of slots reused
 * through a free list; the visible ones form a FIFO linked through
 * msg.next. A message that becomes visible again joins the tail, which
 * matches the queue's approximate FIFO order by visibility time. */
#include "models/source.h"

#include "sim/sim.h"

#include <stdlib.h>
#include <string.h>

#define NIL UINT32_MAX

int source_init(struct source *q, const struct scenario *scn)
{
    memset(q, 0, sizeof *q);
    q->free_head = NIL;
    q->vis_head = q->vis_tail = NIL;
    q->visibility_us = scn->source.kind == SRC_SERVICE_BUS
                           ? scn->source.lock_duration_us
                           : scn->source.visibility_timeout_us;
    return SIM_OK;
}

void source_fini(struct source *q)
{
    free(q->pool);
    memset(q, 0, sizeof *q);
}

/* Double the pool; the new slots join the free list in index order. */
static int grow(struct source *q)
{
    uint32_t ncap = q->cap ? q->cap * 2 : 1024;
    if (ncap <= q->cap)
        return SIM_ENOMEM;
    struct msg *p = realloc(q->pool, (size_t)ncap * sizeof *p);
    if (p == NULL)
        return SIM_ENOMEM;
    memset(p + q->cap, 0, (size_t)(ncap - q->cap) * sizeof *p);
    for (uint32_t i = ncap; i-- > q->cap;) {
        p[i].state = MSG_FREE;
        p[i].next = q->free_head;
        p[i].vis_ev = evq_handle_none();
        q->free_head = i;
    }
    q->pool = p;
    q->cap = ncap;
    return SIM_OK;
}

static void push_visible(struct source *q, uint32_t slot)
{
    q->pool[slot].state = MSG_VISIBLE;
    q->pool[slot].next = NIL;
    q->pool[slot].prev = q->vis_tail;
    if (q->vis_tail == NIL)
        q->vis_head = slot;
    else
        q->pool[q->vis_tail].next = slot;
    q->vis_tail = slot;
    q->visible++;
}

/* Unlink a visible message from the FIFO. */
static void unlink_visible(struct source *q, uint32_t slot)
{
    struct msg *m = &q->pool[slot];
    if (m->prev == NIL)
        q->vis_head = m->next;
    else
        q->pool[m->prev].next = m->next;
    if (m->next == NIL)
        q->vis_tail = m->prev;
    else
        q->pool[m->next].prev = m->prev;
    m->next = m->prev = NIL;
    q->visible--;
}

/* The backlog changed: update its time-weighted summary. */
static void backlog_changed(struct sim *s)
{
    twa_set(&s->met.backlog, s->now, (double)source_backlog(&s->src));
}

int source_put(struct sim *s, double duration_s)
{
    struct source *q = &s->src;
    if (q->free_head == NIL && grow(q) != SIM_OK)
        return SIM_ENOMEM;
    uint32_t slot = q->free_head;
    struct msg *m = &q->pool[slot];
    q->free_head = m->next;
    uint32_t receipt = m->receipt; /* keep the slot's receipt counter */
    memset(m, 0, sizeof *m);
    m->receipt = receipt;
    m->id = s->met.messages;
    m->arrival = s->now;
    m->first_start = -1;
    m->duration_s = duration_s;
    m->vis_ev = evq_handle_none();
    push_visible(q, slot);
    s->met.messages++;
    backlog_changed(s);
    sim_state_changed(s);
    return SIM_OK;
}

bool source_receive(struct sim *s, uint32_t *slot, uint32_t *receipt)
{
    struct source *q = &s->src;
    if (q->vis_head == NIL)
        return false;
    uint32_t i = q->vis_head;
    struct msg *m = &q->pool[i];
    unlink_visible(q, i);
    q->in_flight++;
    m->state = MSG_IN_FLIGHT;
    m->receipt++;
    m->deliveries++;
    if (m->deliveries > 1)
        s->met.duplicate_deliveries++;
    m->vis_ev = sim_schedule(s, s->now + q->visibility_us, EV_VISIBILITY, i,
                             m->receipt);
    *slot = i;
    *receipt = m->receipt;
    sim_state_changed(s);
    return true;
}

bool source_delete(struct sim *s, uint32_t slot, uint32_t receipt)
{
    struct source *q = &s->src;
    struct msg *m = &q->pool[slot];
    if (m->state == MSG_FREE || m->receipt != receipt)
        return false; /* stale pop receipt: the delete is refused */
    if (m->state == MSG_VISIBLE) {
        unlink_visible(q, slot);
    } else {
        sim_cancel(s, &m->vis_ev);
        q->in_flight--;
    }
    m->state = MSG_FREE;
    m->receipt++; /* invalidate every receipt of this message */
    m->next = q->free_head;
    q->free_head = slot;
    s->met.last_done = s->now;
    backlog_changed(s);
    sim_state_changed(s);
    return true;
}

int64_t source_count(const struct source *q, const struct scn_rule *rule)
{
    if (rule->type == RULE_AZURE_QUEUE &&
        rule->queue_length_strategy == QLS_VISIBLEONLY && q->visible < 32)
        return q->visible;
    return q->visible + q->in_flight;
}

void source_on_event(struct sim *s, const struct event *ev)
{
    struct source *q = &s->src;
    struct msg *m = &q->pool[ev->target];
    if (m->state != MSG_IN_FLIGHT || m->receipt != ev->gen)
        return; /* deleted or received again since (cancel missed) */
    m->vis_ev = evq_handle_none();
    q->in_flight--;
    push_visible(q, ev->target);
    sim_state_changed(s);
}
