/* models/source.c - Azure Storage Queue semantics (see source.h).
 *
 * Workload: one put, one receive and one delete per message, plus one
 * visibility event per receive. Messages live in a pool of slots reused
 * through a free list; the visible ones form a FIFO linked through
 * msg.next. A message that becomes visible again joins the tail, which
 * matches the queue's approximate FIFO order by visibility time. */
#include "models/source.h"

#include "models/world.h"

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
    q->renewal = scn->source.lock_renewal;
    q->max_deliveries = scn->source.max_delivery_count;
    q->ttl_us = scn->source.has_message_ttl ? scn->source.message_ttl_us : 0;
    q->lag_us = scn->source.count_lag_us;
    if (q->lag_us > 0) {
        q->hist_cap = 64;
        q->hist = malloc(q->hist_cap * sizeof *q->hist);
        if (q->hist == NULL)
            return SIM_ENOMEM;
        q->hist[0] = (struct count_snap){INT64_MIN, 0, 0};
        q->hist_n = 1;
    }
    return SIM_OK;
}

void source_fini(struct source *q)
{
    free(q->pool);
    free(q->hist);
    memset(q, 0, sizeof *q);
}

/* The i-th oldest entry of the count history ring. */
static struct count_snap *hist_at(struct source *q, size_t i)
{
    return &q->hist[(q->hist_head + i) % q->hist_cap];
}

/* Drop history entries that can no longer be the answer for times >= t0:
 * keep the newest entry at or before t0 and everything after it. */
static void hist_prune(struct source *q, sim_time t0)
{
    while (q->hist_n >= 2 && hist_at(q, 1)->t <= t0) {
        q->hist_head = (q->hist_head + 1) % q->hist_cap;
        q->hist_n--;
    }
}

/* Record the counts after a change at `now`. Returns 0 or SIM_ENOMEM. */
static int hist_push(struct source *q, sim_time now)
{
    hist_prune(q, now - q->lag_us);
    struct count_snap *last = hist_at(q, q->hist_n - 1);
    if (last->t == now) {
        last->visible = q->visible;
        last->in_flight = q->in_flight;
        return SIM_OK;
    }
    if (q->hist_n == q->hist_cap) {
        size_t ncap = q->hist_cap * 2;
        struct count_snap *h = malloc(ncap * sizeof *h);
        if (h == NULL)
            return SIM_ENOMEM;
        for (size_t i = 0; i < q->hist_n; i++)
            h[i] = *hist_at(q, i);
        free(q->hist);
        q->hist = h;
        q->hist_cap = ncap;
        q->hist_head = 0;
    }
    *hist_at(q, q->hist_n) = (struct count_snap){now, q->visible, q->in_flight};
    q->hist_n++;
    return SIM_OK;
}

struct count_snap source_counts_seen(struct source *q, sim_time now)
{
    if (q->lag_us <= 0)
        return (struct count_snap){now, q->visible, q->in_flight};
    hist_prune(q, now - q->lag_us);
    return *hist_at(q, 0);
}

bool source_has_unseen(const struct source *q, sim_time now)
{
    if (q->lag_us <= 0)
        return false;
    const struct count_snap *newest =
        &q->hist[(q->hist_head + q->hist_n - 1) % q->hist_cap];
    return newest->t > now - q->lag_us;
}

/* The counts changed now: record them for the lagged metric and wake the
 * poll loop for when the scaler will see the change. */
static void counts_changed(struct sim *s)
{
    struct source *q = &s->src;
    if (q->lag_us > 0) {
        SIM_ASSERT(hist_push(q, s->now) == SIM_OK); /* out of memory */
        scaler_wake_at(s, s->now + q->lag_us);
    } else {
        scaler_wake_at(s, s->now);
    }
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

/* Remove a message from the system (deleted, dead-lettered or expired):
 * cancel its pending events and return the slot to the free list. */
static void remove_msg(struct sim *s, uint32_t slot)
{
    struct source *q = &s->src;
    struct msg *m = &q->pool[slot];
    if (m->state == MSG_VISIBLE) {
        unlink_visible(q, slot);
    } else {
        q->in_flight--;
    }
    sim_cancel(s, &m->vis_ev);
    sim_cancel(s, &m->ttl_ev);
    m->state = MSG_FREE;
    m->receipt++; /* invalidate every receipt of this message */
    m->next = q->free_head;
    q->free_head = slot;
    s->met.last_done = s->now;
    backlog_changed(s);
    counts_changed(s);
}

int source_put(struct sim *s, double duration_s)
{
    struct source *q = &s->src;
    if (q->free_head == NIL && grow(q) != SIM_OK)
        return SIM_ENOMEM;
    uint32_t slot = q->free_head;
    struct msg *m = &q->pool[slot];
    q->free_head = m->next;
    uint32_t receipt = m->receipt; /* keep the slot's counters */
    uint32_t inc = m->inc + 1;
    memset(m, 0, sizeof *m);
    m->receipt = receipt;
    m->inc = inc;
    m->id = s->met.messages;
    m->arrival = s->now;
    m->first_start = -1;
    m->duration_s = !isnan(duration_s)
                        ? duration_s
                        : dist_sample_s(&s->scn->job.duration,
                                        stream_get(&s->st, ST_DURATION));
    m->vis_ev = evq_handle_none();
    m->ttl_ev = evq_handle_none();
    if (q->ttl_us > 0)
        m->ttl_ev = sim_schedule(s, s->now + q->ttl_us, EV_MSG_TTL, slot, inc);
    push_visible(q, slot);
    s->met.messages++;
    backlog_changed(s);
    counts_changed(s);
    sim_message_available(s);
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
    if (!q->renewal)
        m->vis_ev = sim_schedule(s, s->now + q->visibility_us, EV_VISIBILITY,
                                 i, m->receipt);
    *slot = i;
    *receipt = m->receipt;
    counts_changed(s);
    return true;
}

bool source_delete(struct sim *s, uint32_t slot, uint32_t receipt)
{
    struct msg *m = &s->src.pool[slot];
    if (m->state == MSG_FREE || m->receipt != receipt)
        return false; /* stale pop receipt: the delete is refused */
    remove_msg(s, slot);
    return true;
}

void source_complete(struct sim *s, uint32_t slot, uint32_t receipt,
                     int64_t id, sim_time arrival)
{
    /* The message may have been received and deleted by another consumer
     * after its visibility expired; then its slot may hold another
     * message, so compare ids. Gone means it was completed before. */
    struct msg *m = &s->src.pool[slot];
    bool present = m->state != MSG_FREE && m->id == id;
    if (present && !m->completed) {
        m->completed = true;
        s->met.completed++;
        metrics_latency(&s->met, arrival, s->now);
    } else {
        s->met.duplicate_completions++;
    }
    if (present)
        source_delete(s, slot, receipt); /* fails if the receipt is stale */
}

void source_release(struct sim *s, uint32_t slot, uint32_t receipt)
{
    struct source *q = &s->src;
    struct msg *m = &q->pool[slot];
    if (m->state != MSG_IN_FLIGHT || m->receipt != receipt || !q->renewal)
        return;
    m->vis_ev = sim_schedule(s, s->now + q->visibility_us, EV_VISIBILITY,
                             slot, m->receipt);
}

/* The visibility of an in-flight message ran out: it is dead-lettered,
 * expires, or becomes visible again. */
static void on_visibility(struct sim *s, uint32_t slot)
{
    struct source *q = &s->src;
    struct msg *m = &q->pool[slot];
    m->vis_ev = evq_handle_none();
    if (q->max_deliveries > 0 && m->deliveries >= q->max_deliveries) {
        if (!m->completed)
            s->met.dead_lettered++;
        remove_msg(s, slot);
        return;
    }
    if (m->ttl_due) {
        if (!m->completed)
            s->met.expired++;
        remove_msg(s, slot);
        return;
    }
    q->in_flight--;
    push_visible(q, slot);
    counts_changed(s);
    sim_message_available(s);
}

/* message_ttl passed: a waiting message expires now, one in flight when
 * its visibility ends. */
static void on_ttl(struct sim *s, uint32_t slot)
{
    struct msg *m = &s->src.pool[slot];
    m->ttl_ev = evq_handle_none();
    if (m->state == MSG_IN_FLIGHT) {
        m->ttl_due = true;
        return;
    }
    if (!m->completed)
        s->met.expired++;
    remove_msg(s, slot);
}

int64_t source_count(const struct count_snap *c, const struct scn_rule *rule)
{
    if (rule->type == RULE_AZURE_QUEUE &&
        rule->queue_length_strategy == QLS_VISIBLEONLY && c->visible < 32)
        return c->visible;
    return c->visible + c->in_flight;
}

int64_t source_unfinished(const struct source *q)
{
    int64_t n = 0;
    for (uint32_t i = 0; i < q->cap; i++)
        if (q->pool[i].state != MSG_FREE && !q->pool[i].completed)
            n++;
    return n;
}

void source_on_event(struct sim *s, const struct event *ev)
{
    struct source *q = &s->src;
    if (ev->target >= q->cap)
        return;
    struct msg *m = &q->pool[ev->target];
    if (ev->kind == EV_MSG_TTL) {
        if (m->state != MSG_FREE && m->inc == ev->gen)
            on_ttl(s, ev->target);
        return;
    }
    if (m->state != MSG_IN_FLIGHT || m->receipt != ev->gen)
        return; /* deleted or received again since (cancel missed) */
    on_visibility(s, ev->target);
}
