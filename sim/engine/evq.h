/* sim/engine/evq.h - the event set: an array binary heap of small event records.
 * Order:   (time, prio, seq) ascending. seq comes from a counter inside the
 *          queue, so events with equal time and priority run in the order
 *          they were scheduled (libuv timers, Cimba). The order is total and
 *          documented, so results never depend on heap layout.
 * Units:   time is sim_time microseconds.
 * Owns:    struct evq is opaque; evq_new()/evq_free(). Handles are (slot,
 *          generation) pairs: a handle of a fired or cancelled event is
 *          stale and evq_cancel() on it is a harmless no-op.
 * Errors:  evq_push() returns a handle with slot UINT32_MAX on allocation
 *          failure (check with evq_handle_valid()).
 * Threads: no globals; one queue per replication. */
#ifndef SIM_EVQ_H
#define SIM_EVQ_H

#include "sim/engine/common.h"

struct evq;

/* An event record as stored and returned. kind and prio are the model's
 * (see sim/engine/engine.h, models/events.h); target is the id of the entity (message slot, replica
 * slot, ...); gen is a generation the model may use to detect staleness. */
struct event {
    sim_time time;     /* when it fires, us */
    int32_t prio;      /* tie-break at equal time: smaller first */
    uint32_t kind;     /* event kind, model-defined */
    uint64_t seq;      /* insertion sequence number, set by evq_push */
    uint32_t target;   /* entity id, model-defined */
    uint32_t gen;      /* entity generation, model-defined */
};

struct evq_handle {
    uint32_t slot;     /* UINT32_MAX = invalid */
    uint32_t gen;
};

/* Create an empty queue with room for cap_hint events (0 = small default).
 * Returns NULL on allocation failure. */
struct evq *evq_new(size_t cap_hint);

/* Free the queue; evq_free(NULL) does nothing. */
void evq_free(struct evq *q);

/* Schedule ev (its seq field is ignored and overwritten). Returns a handle
 * for evq_cancel(). O(log n). */
struct evq_handle evq_push(struct evq *q, const struct event *ev);

/* True when h is a valid (non-failed) handle; says nothing about whether the
 * event is still pending. */
static inline bool evq_handle_valid(struct evq_handle h)
{
    return h.slot != UINT32_MAX;
}

/* The null handle, for "no event scheduled". */
static inline struct evq_handle evq_handle_none(void)
{
    struct evq_handle h = {UINT32_MAX, 0};
    return h;
}

/* Remove the earliest event into *ev. Returns false when empty. O(log n). */
bool evq_pop(struct evq *q, struct event *ev);

/* Copy the earliest event into *ev without removing it; false when empty. */
bool evq_peek(const struct evq *q, struct event *ev);

/* Cancel a pending event. Returns true if it was pending and is now
 * removed, false if the handle is stale or none. O(log n). */
bool evq_cancel(struct evq *q, struct evq_handle h);

/* Number of pending events. */
size_t evq_size(const struct evq *q);

/* Remove every pending event (handles become stale). */
void evq_clear(struct evq *q);

/* Verify the heap invariant and slot bookkeeping; returns true when sound.
 * O(n); for tests. */
bool evq__check(const struct evq *q);

#endif
