/* models/source.h - the message broker: an Azure Storage Queue or Service
 * Bus queue holding visible and in-flight (received, invisible or locked)
 * messages.
 * Semantics (docs/model.md 3.1-3.4; Microsoft Learn Storage
 *   Queues ReceiveMessage / DeleteMessage, Service Bus peek-lock):
 *   - a receive hides the message for visibility_timeout (Service Bus:
 *     lock_duration) and returns a new pop receipt (lock token); a delete
 *     (complete) needs the latest receipt; a message not deleted in time
 *     becomes visible again and is received again (at-least-once);
 *   - lock_renewal: the consumer keeps extending visibility / renewing the
 *     lock while it holds the message, so it expires only visibility_timeout
 *     after the consumer lets go without deleting (failure, stop);
 *   - max_delivery_count k > 0: a message whose visibility expires after
 *     its k-th delivery is dead-lettered instead (Service Bus
 *     MaxDeliveryCount; the Functions queue trigger's poison queue);
 *   - message_ttl: a message still in the queue that long after arrival
 *     expires unprocessed (one that is in flight then expires when its
 *     visibility ends, unless it is deleted first);
 *   - ApproximateMessagesCount counts visible and invisible messages; Peek
 *     returns at most 32 visible ones; Service Bus ActiveMessageCount
 *     includes locked messages.
 * A message that is dead-lettered or expires after it was once processed
 * successfully stays counted as completed, so that messages = completed +
 * dead_lettered + expired + unfinished holds exactly.
 * Units:   sim_time us; counts int64_t.
 * Owns:    struct source is owned by the world; it owns the message
 *          pool, which is sized by the messages in the system at once (the
 *          backlog), never by the trace: slots are reused after delete.
 * Errors:  source_put() returns SIM_ENOMEM when the pool cannot grow.
 * Wiring:  it schedules EV_VISIBILITY and EV_MSG_TTL on the engine, reports
 *          to the metrics recorder, and tells the world through two hooks
 *          (struct source_env) when the counts change and when a message
 *          becomes visible; it calls no other model.
 * Threads: no globals; one source per replication. */
#ifndef MODELS_SOURCE_H
#define MODELS_SOURCE_H

#include "sim/engine/common.h"
#include "sim/engine/dist.h"
#include "sim/engine/engine.h"
#include "sim/engine/pool.h"
#include "models/broker.h"
#include "models/metrics.h"
#include "models/scenario.h"

#include <gsl/gsl_rng.h>

/* MSG_GONE: the message left the queue (deleted, dead-lettered or expired)
 * while a consumer still holds a receipt for it; the slot keeps its id and
 * `completed` until the last holder completes or releases it, so that
 * completion can be told apart from a duplicate (docs/model.md, Metrics). */
enum msg_state { MSG_FREE, MSG_VISIBLE, MSG_IN_FLIGHT, MSG_GONE };

/* One message. Invariant: a message is held by at most one live receipt
 * (the slot's current `receipt`); receipts only grow, even across slot
 * reuse, so an old receipt never matches a new message. */
struct msg {
    int64_t id;              /* arrival sequence number, unique in the run */
    sim_time arrival;        /* us */
    sim_time first_start;    /* first processing start, -1 = never */
    double duration_s;       /* trace duration_column, NAN = draw one */
    int64_t deliveries;      /* receives so far (dequeueCount) */
    uint32_t receipt;        /* current pop receipt (generation) */
    uint32_t next;           /* next in the visible FIFO or free list,
                                UINT32_MAX = end */
    uint32_t prev;           /* previous in the visible FIFO */
    enum msg_state state;
    bool completed;          /* processing completed at least once */
    bool ttl_due;            /* message_ttl passed while in flight */
    uint32_t inc;            /* incarnation of the slot (for TTL events) */
    int32_t holders;         /* receipts handed out whose consumer has not
                                completed, released or deleted yet */
    struct evq_handle vis_ev;/* pending visibility expiry */
    struct evq_handle ttl_ev;/* pending message_ttl expiry */
};

/* What the source uses and whom it tells; every pointer is borrowed. */
struct source_env {
    struct engine *eng;            /* clock and event set */
    struct metrics *met;           /* recorder */
    const struct dist *duration;   /* job.duration, drawn at arrival */
    gsl_rng *duration_rng;         /* the ST_DURATION stream */
    /* The counts changed now; the scaler sees the change at seen_at (now,
     * or now + count_lag). */
    void (*counts_changed)(void *ctx, sim_time seen_at);
    /* A message became visible now (a consumer may take it). */
    void (*message_available)(void *ctx);
    void *ctx;
};

struct source {
    struct source_env env;
    struct slot_pool msgs;        /* owned; struct msg slots */
    uint32_t vis_head, vis_tail; /* visible FIFO (receive order) */
    int64_t visible;         /* messages visible */
    int64_t in_flight;       /* messages received and not yet deleted */
    sim_time visibility_us;  /* visibility_timeout / lock_duration */
    bool renewal;            /* source.lock_renewal */
    int64_t max_deliveries;  /* max_delivery_count, 0 = unlimited */
    sim_time ttl_us;         /* message_ttl, 0 = none */
    /* count_lag: a ring of count changes over the last lag_us, so the
     * scaler can read the counts as they were lag_us ago. It holds the
     * changes of one lag window (arrival rate x lag), never the trace. */
    sim_time lag_us;
    struct count_snap *hist; /* owned ring */
    size_t hist_cap, hist_head, hist_n;
};

/* Set up an empty queue of the kind and settings cfg, using env. Returns 0
 * or SIM_ENOMEM. */
int source_init(struct source *q, const struct scn_source *cfg,
                const struct source_env *env);
void source_fini(struct source *q);

/* A message arrives now; duration_s is its own processing time (NAN: drawn
 * now from env.duration, so the message keeps it across re-deliveries and
 * the baseline sees the same work). Returns 0 or SIM_ENOMEM. */
int source_put(struct source *q, double duration_s);

/* Receive one visible message (Get Messages, 1 message): it becomes
 * invisible for visibility_timeout. Returns true and sets *slot / *receipt,
 * or false when no message is visible. */
bool source_receive(struct source *q, uint32_t *slot, uint32_t *receipt);

/* A consumer deletes a message it received with its pop receipt (delete on
 * receipt). Returns true when the receipt is the latest one (the message
 * leaves the queue, even if its visibility already expired and it waits
 * visible again: a pop receipt stays valid until the next receive), false
 * when the message was received again since (stale receipt: the delete
 * fails and the message stays). Either way the consumer is done with it. */
bool source_delete(struct source *q, uint32_t slot, uint32_t receipt);

/* A consumer finished processing the message it received with `receipt`
 * (id and arrival as received): count the completion (the first successful
 * processing of the message, with its latency) or a duplicate completion
 * (the message was completed before, by this or another consumer), then
 * delete it (which fails with a stale receipt). A message that left the
 * queue uncompleted (dead-lettered or expired) while this consumer held it
 * counts neither: it stays dead-lettered or expired. Every receipt a
 * consumer gets ends in exactly one source_complete(), source_release() or
 * consumer source_delete(). */
void source_complete(struct source *q, uint32_t slot, uint32_t receipt,
                     int64_t id, sim_time arrival);

/* A consumer lets go of a message it holds without deleting it (its
 * processing failed, or its replica was stopped). With lock renewal the
 * visibility now starts to run out; without, it already does. A stale
 * receipt is ignored. */
void source_release(struct source *q, uint32_t slot, uint32_t receipt);

/* A consumer starts processing message `id` in slot now. Returns 1 when
 * this is the message's first processing start (recorded; the caller
 * measures the wait), 0 when it was started before, -1 when the message is
 * no longer in the queue (deleted on receipt, or completed by another). */
int source_start(struct source *q, uint32_t slot, int64_t id);

/* The message in slot (valid while it is not deleted); read-only. */
static inline const struct msg *source_msg(const struct source *q,
                                           uint32_t slot)
{
    return (const struct msg *)slot_at(&q->msgs, slot);
}

/* The metric a scale rule reads from counts c: the broker kind's KEDA
 * scaler (the metric op of models/broker_*.c). Storage Queue with queue_length_strategy
 * `all`: ApproximateMessagesCount = visible + in flight; `visibleonly`: the
 * visible count when fewer than 32 are visible (Peek 32), else
 * ApproximateMessagesCount (since KEDA v2.15); Service Bus:
 * ActiveMessageCount, which includes locked (in-flight) messages. */
int64_t source_count(const struct count_snap *c, const struct scn_rule *rule);

/* The counts the scaler sees now: the current ones, or with
 * source.count_lag > 0 those of count_lag ago (an approximate count that
 * lags reality; before any message, zero). Non-decreasing `now` only. */
struct count_snap source_counts_seen(struct source *q, sim_time now);

/* The counts now. */
static inline struct count_snap source_counts_now(const struct source *q)
{
    return (struct count_snap){q->env.eng->now, q->visible, q->in_flight};
}

/* True when a count change has happened that the scaler does not see yet
 * at `now` (only with count_lag > 0). */
bool source_has_unseen(const struct source *q, sim_time now);

/* Messages not yet deleted (visible + in flight). */
static inline int64_t source_backlog(const struct source *q)
{
    return q->visible + q->in_flight;
}

/* Messages still in the queue at the end that were never processed
 * successfully (an independent count for the conservation check). */
int64_t source_unfinished(const struct source *q);

/* Engine handler of EV_VISIBILITY (target = slot, gen = receipt) and
 * EV_MSG_TTL (target = slot, gen = incarnation); model is the source. */
int source_on_event(void *model, const struct event *ev, struct diag *d);

#endif
