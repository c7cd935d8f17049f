/* models/source.c - Azure Storage Queue / Service Bus semantics (see
 * source.h).
 *
 * Workload: one put, one receive and one delete per message, plus one
 * visibility event per receive. Messages live in a slot pool reused
 * through a free list (sim/engine/pool.h); the visible ones form a FIFO
 * linked through msg.next. A message that becomes visible again joins the
 * tail, which matches the queue's approximate FIFO order by visibility
 * time. */
#include "models/source.h"

#include "models/events.h"

#include <stdlib.h>
#include <string.h>

#define NIL UINT32_MAX

static struct msg *msg_at(struct source *q, uint32_t slot)
{
    return (struct msg *)slot_at(&q->msgs, slot);
}

/* A new (zeroed) slot of the message pool. */
static void msg_slot_init(void *item)
{
    struct msg *m = item;
    m->state = MSG_FREE;
    m->vis_ev = evq_handle_none();
}

int source_init(struct source *q, const struct scn_source *cfg,
                const struct source_env *env)
{
    memset(q, 0, sizeof *q);
    q->env = *env;
    slot_pool_init(&q->msgs, sizeof(struct msg), offsetof(struct msg, next), 1024,
              msg_slot_init);
    q->vis_head = q->vis_tail = NIL;
    q->visibility_us = broker_type_of(cfg->kind)->visibility_us(cfg);
    q->renewal = cfg->lock_renewal;
    q->max_deliveries = cfg->max_delivery_count;
    q->ttl_us = cfg->has_message_ttl ? cfg->message_ttl_us : 0;
    q->lag_us = cfg->count_lag_us;
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
    slot_pool_fini(&q->msgs);
    free(q->hist);
    memset(q, 0, sizeof *q);
}

static sim_time now_of(const struct source *q)
{
    return q->env.eng->now;
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

/* The counts changed now: record them for the lagged metric and tell the
 * world when the scaler will see the change. */
static void counts_changed(struct source *q)
{
    sim_time now = now_of(q);
    if (q->lag_us > 0) {
        SIM_ASSERT(hist_push(q, now) == SIM_OK); /* out of memory */
        q->env.counts_changed(q->env.ctx, now + q->lag_us);
    } else {
        q->env.counts_changed(q->env.ctx, now);
    }
}

static void push_visible(struct source *q, uint32_t slot)
{
    struct msg *m = msg_at(q, slot);
    m->state = MSG_VISIBLE;
    m->next = NIL;
    m->prev = q->vis_tail;
    if (q->vis_tail == NIL)
        q->vis_head = slot;
    else
        msg_at(q, q->vis_tail)->next = slot;
    q->vis_tail = slot;
    q->visible++;
}

/* Unlink a visible message from the FIFO. */
static void unlink_visible(struct source *q, uint32_t slot)
{
    struct msg *m = msg_at(q, slot);
    if (m->prev == NIL)
        q->vis_head = m->next;
    else
        msg_at(q, m->prev)->next = m->next;
    if (m->next == NIL)
        q->vis_tail = m->prev;
    else
        msg_at(q, m->next)->prev = m->prev;
    m->next = m->prev = NIL;
    q->visible--;
}

/* The backlog changed: tell the recorder. */
static void backlog_changed(struct source *q)
{
    metrics_backlog(q->env.met, now_of(q), (double)source_backlog(q));
}

/* Remove a message from the system (deleted, dead-lettered or expired):
 * cancel its pending events and return the slot to the free list. */
static void remove_msg(struct source *q, uint32_t slot)
{
    struct msg *m = msg_at(q, slot);
    if (m->state == MSG_VISIBLE)
        unlink_visible(q, slot);
    else
        q->in_flight--;
    engine_cancel(q->env.eng, &m->vis_ev);
    engine_cancel(q->env.eng, &m->ttl_ev);
    m->receipt++; /* invalidate every receipt of this message */
    if (m->holders > 0) {
        m->state = MSG_GONE; /* freed when its last holder lets go */
    } else {
        m->state = MSG_FREE;
        slot_put(&q->msgs, slot);
    }
    metrics_message_out(q->env.met, now_of(q));
    backlog_changed(q);
    counts_changed(q);
}

/* A consumer of the message in slot is done with its receipt: a gone
 * message is freed with its last holder. A call past the last holder (a
 * consumer that deletes after releasing, say) changes nothing. */
static void holder_done(struct source *q, uint32_t slot)
{
    struct msg *m = msg_at(q, slot);
    if (m->holders == 0)
        return;
    m->holders--;
    if (m->holders == 0 && m->state == MSG_GONE) {
        m->state = MSG_FREE;
        slot_put(&q->msgs, slot);
    }
}

int source_put(struct source *q, double duration_s)
{
    uint32_t slot = slot_take(&q->msgs);
    if (slot == POOL_NIL)
        return SIM_ENOMEM;
    struct msg *m = msg_at(q, slot);
    uint32_t receipt = m->receipt; /* keep the slot's counters */
    uint32_t inc = m->inc + 1;
    memset(m, 0, sizeof *m);
    m->receipt = receipt;
    m->inc = inc;
    m->id = q->env.met->messages;
    m->arrival = now_of(q);
    m->first_start = -1;
    m->duration_s = !isnan(duration_s)
                        ? duration_s
                        : dist_sample_s(q->env.duration, q->env.duration_rng);
    m->vis_ev = evq_handle_none();
    m->ttl_ev = evq_handle_none();
    if (q->ttl_us > 0)
        m->ttl_ev = engine_schedule(q->env.eng, now_of(q) + q->ttl_us,
                                    EV_MSG_TTL, slot, inc);
    push_visible(q, slot);
    (void)metrics_message_in(q->env.met);
    backlog_changed(q);
    counts_changed(q);
    q->env.message_available(q->env.ctx);
    return SIM_OK;
}

bool source_receive(struct source *q, uint32_t *slot, uint32_t *receipt)
{
    if (q->vis_head == NIL)
        return false;
    uint32_t i = q->vis_head;
    struct msg *m = msg_at(q, i);
    unlink_visible(q, i);
    q->in_flight++;
    m->state = MSG_IN_FLIGHT;
    m->receipt++;
    m->deliveries++;
    m->holders++;
    if (m->deliveries > 1)
        metrics_count(q->env.met, MET_DUPLICATE_DELIVERY, 1);
    if (!q->renewal)
        m->vis_ev = engine_schedule(q->env.eng, now_of(q) + q->visibility_us,
                                    EV_VISIBILITY, i, m->receipt);
    *slot = i;
    *receipt = m->receipt;
    counts_changed(q);
    return true;
}

/* Delete with a pop receipt (the consumer's holder count is the caller's
 * business). */
static bool delete_msg(struct source *q, uint32_t slot, uint32_t receipt)
{
    struct msg *m = msg_at(q, slot);
    if (m->state == MSG_FREE || m->state == MSG_GONE || m->receipt != receipt)
        return false; /* stale pop receipt: the delete is refused */
    remove_msg(q, slot);
    return true;
}

bool source_delete(struct source *q, uint32_t slot, uint32_t receipt)
{
    bool ok = delete_msg(q, slot, receipt);
    holder_done(q, slot);
    return ok;
}

void source_complete(struct source *q, uint32_t slot, uint32_t receipt,
                     int64_t id, sim_time arrival)
{
    /* The slot still holds this message (in the queue, or gone but kept
     * while this consumer holds a receipt): see holder_done(). */
    struct msg *m = msg_at(q, slot);
    if (m->state == MSG_FREE || m->id != id) {
        /* Only a consumer that completes twice gets here. */
        metrics_count(q->env.met, MET_DUPLICATE_COMPLETION, 1);
        return;
    }
    if (m->completed) {
        metrics_count(q->env.met, MET_DUPLICATE_COMPLETION, 1);
    } else if (m->state != MSG_GONE) {
        m->completed = true;
        metrics_count(q->env.met, MET_COMPLETED, 1);
        metrics_latency(q->env.met, arrival, now_of(q));
    } /* else: dead-lettered or expired before anyone completed it */
    delete_msg(q, slot, receipt); /* fails if the receipt is stale */
    holder_done(q, slot);
}

void source_release(struct source *q, uint32_t slot, uint32_t receipt)
{
    struct msg *m = msg_at(q, slot);
    bool renew = m->state == MSG_IN_FLIGHT && m->receipt == receipt &&
                 q->renewal;
    holder_done(q, slot);
    if (!renew)
        return;
    m->vis_ev = engine_schedule(q->env.eng, now_of(q) + q->visibility_us,
                                EV_VISIBILITY, slot, m->receipt);
}

int source_start(struct source *q, uint32_t slot, int64_t id)
{
    struct msg *m = msg_at(q, slot);
    if (m->state == MSG_FREE || m->state == MSG_GONE || m->id != id)
        return -1;
    if (m->first_start >= 0)
        return 0;
    m->first_start = now_of(q);
    return 1;
}

/* The visibility of an in-flight message ran out: it is dead-lettered,
 * expires, or becomes visible again. */
static void on_visibility(struct source *q, uint32_t slot)
{
    struct msg *m = msg_at(q, slot);
    m->vis_ev = evq_handle_none();
    if (q->max_deliveries > 0 && m->deliveries >= q->max_deliveries) {
        if (!m->completed)
            metrics_count(q->env.met, MET_DEAD_LETTERED, 1);
        remove_msg(q, slot);
        return;
    }
    if (m->ttl_due) {
        if (!m->completed)
            metrics_count(q->env.met, MET_EXPIRED, 1);
        remove_msg(q, slot);
        return;
    }
    q->in_flight--;
    push_visible(q, slot);
    counts_changed(q);
    q->env.message_available(q->env.ctx);
}

/* message_ttl passed: a waiting message expires now, one in flight when
 * its visibility ends. */
static void on_ttl(struct source *q, uint32_t slot)
{
    struct msg *m = msg_at(q, slot);
    m->ttl_ev = evq_handle_none();
    if (m->state == MSG_IN_FLIGHT) {
        m->ttl_due = true;
        return;
    }
    if (!m->completed)
        metrics_count(q->env.met, MET_EXPIRED, 1);
    remove_msg(q, slot);
}

int64_t source_count(const struct count_snap *c, const struct scn_rule *rule)
{
    return broker_type_of(broker_of_rule(rule->type))->metric(c, rule);
}

int64_t source_unfinished(const struct source *q)
{
    int64_t n = 0;
    for (uint32_t i = 0; i < q->msgs.cap; i++) {
        const struct msg *m = source_msg(q, i);
        if ((m->state == MSG_VISIBLE || m->state == MSG_IN_FLIGHT) &&
            !m->completed)
            n++;
    }
    return n;
}

int source_on_event(void *model, const struct event *ev, struct diag *d)
{
    (void)d;
    struct source *q = model;
    if (ev->target >= q->msgs.cap)
        return SIM_OK;
    struct msg *m = msg_at(q, ev->target);
    if (ev->kind == EV_MSG_TTL) {
        if ((m->state == MSG_VISIBLE || m->state == MSG_IN_FLIGHT) &&
            m->inc == ev->gen)
            on_ttl(q, ev->target);
        return SIM_OK;
    }
    if (m->state != MSG_IN_FLIGHT || m->receipt != ev->gen)
        return SIM_OK; /* deleted or received again since (cancel missed) */
    on_visibility(q, ev->target);
    return SIM_OK;
}
