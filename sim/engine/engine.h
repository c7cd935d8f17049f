/* sim/engine/engine.h - the event loop: a clock, the event set and a
 * dispatch table of {priority, handler} per event kind. The engine knows
 * nothing of what the events mean; the world (models/world.c) registers a
 * handler and a priority for each kind, and models schedule their own kinds.
 *
 * Order:   events run by (time, priority, sequence): at equal time the kind
 *          with the smaller registered priority first, and at equal time and
 *          priority in the order they were scheduled (sim/engine/evq.h).
 * Units:   sim_time microseconds.
 * Owns:    struct engine is caller-allocated; engine_init()/engine_fini().
 *          It owns the event set; handlers' model pointers are borrowed.
 * Errors:  a handler returns 0 or a negative SIM_E* with its diag set; the
 *          loop stops at the first error and returns it.
 * Threads: no globals; one engine per replication. Shape: Redis ae.c (a
 *          loop over a table of handlers), libuv timers (sequence ties). */
#ifndef SIM_ENGINE_ENGINE_H
#define SIM_ENGINE_ENGINE_H

#include "sim/engine/common.h"
#include "sim/engine/evq.h"

/* The most event kinds one engine can dispatch. */
#define ENGINE_MAX_KINDS 32u

/* Handle one event of a registered kind for model (the pointer given at
 * registration). Returns 0 or a negative SIM_E* with d set. */
typedef int (*engine_handler)(void *model, const struct event *ev,
                              struct diag *d);

struct engine_kind {
    engine_handler fn;   /* NULL: not registered */
    void *model;         /* borrowed, passed to fn */
    int32_t prio;        /* order at equal time, smaller first */
    const char *name;    /* for diagnostics ("EV_POLL") */
};

struct engine {
    sim_time now;        /* current time, us */
    sim_time end_limit;  /* events later than this are not run; MAX = none */
    int64_t events;      /* events run so far */
    bool stopped;        /* engine_stop() was called: the loop has ended */
    struct evq *q;       /* owned */
    struct engine_kind kind[ENGINE_MAX_KINDS];
    /* Optional hooks, NULL when unused: before(ctx, t) runs before the clock
     * moves to an event at time t (the state is still that of the previous
     * instant: time-series samplers read it here); after(ctx) after each
     * event's handler. */
    void (*before)(void *ctx, sim_time t);
    void (*after)(void *ctx);
    void *hook_ctx;
};

/* Start an empty engine at time 0 with room for cap_hint events (0 = a
 * small default). Returns 0 or SIM_ENOMEM. */
int engine_init(struct engine *e, size_t cap_hint);

/* Free the event set; safe on a zeroed struct and twice. */
void engine_fini(struct engine *e);

/* Register handler fn for events of kind (< ENGINE_MAX_KINDS) with priority
 * prio, for model. Registering a kind again replaces its entry. Returns 0
 * or SIM_EINVAL (kind out of range, fn NULL). */
int engine_on(struct engine *e, uint32_t kind, int32_t prio,
              engine_handler fn, void *model, const char *name);

/* Schedule an event of a registered kind at time t (>= now) for entity
 * target with generation gen (both the model's own). Returns the handle for
 * engine_cancel(); out of memory in the event set aborts (SIM_ASSERT). An
 * unregistered kind is caught by debug builds here and by every build when
 * the event runs. Inline: it is on every model's hot path. */
static inline struct evq_handle engine_schedule(struct engine *e, sim_time t,
                                                uint32_t kind, uint32_t target,
                                                uint32_t gen)
{
    SIM_DASSERT(kind < ENGINE_MAX_KINDS && e->kind[kind].fn != NULL);
    SIM_ASSERT(t >= e->now);
    struct event ev = {
        .time = t, .prio = e->kind[kind % ENGINE_MAX_KINDS].prio,
        .kind = kind, .target = target, .gen = gen,
    };
    struct evq_handle h = evq_push(e->q, &ev);
    SIM_ASSERT(evq_handle_valid(h)); /* out of memory in the event set */
    return h;
}

/* Cancel a pending event and set *h to the null handle; a stale or null
 * handle is ignored. */
void engine_cancel(struct engine *e, struct evq_handle *h);

/* Run events in order while the earliest is at or before `until` and not
 * after end_limit. Returns the number of events run, or the first negative
 * SIM_E* a handler returned (d set). An event of an unregistered kind is
 * SIM_EINTERNAL. */
int64_t engine_run_until(struct engine *e, sim_time until, struct diag *d);

/* End the loop after the event being handled (from a handler or the after
 * hook): engine_run_until() returns, and returns at once when called
 * again. Pending events stay pending. */
static inline void engine_stop(struct engine *e)
{
    e->stopped = true;
}

/* Events still pending. */
static inline size_t engine_pending(const struct engine *e)
{
    return evq_size(e->q);
}

#endif
