/* models/downstream.h - the service every message calls while it is
 * processed (a database, a supplier API): at most `concurrency` messages in
 * processing at once, and a token bucket of `rate` calls per second holding
 * at most `burst` tokens (default: one second of rate; never less than one
 * token, or it could admit nothing). A call is admitted when a slot and a
 * token are free; otherwise, with on_limit `wait`, the replica waits in a
 * FIFO (the wait counts in latency and billed time), and with `reject` the
 * processing fails (the message is not deleted and comes back after its
 * visibility). Admission is the start of processing: the wait metric ends
 * there.
 * The bucket starts full; tokens refill continuously, so over any window
 * of length w the admitted calls are at most rate * w + burst.
 * Units:   sim_time us; rates per second.
 * Owns:    struct downstream is owned by the world; it owns its FIFO.
 * Threads: no globals. */
#ifndef MODELS_DOWNSTREAM_H
#define MODELS_DOWNSTREAM_H

#include "sim/engine/common.h"
#include "sim/engine/engine.h"
#include "sim/engine/pool.h"
#include "models/metrics.h"
#include "models/scenario.h"

/* What the downstream service uses and whom it tells; pointers borrowed. */
struct down_env {
    struct engine *eng;
    struct metrics *met;
    /* The waiting call of consumer `who` was admitted now. */
    void (*admitted)(void *ctx, uint32_t who);
    void *ctx;
};

struct downstream {
    struct down_env env;
    int64_t concurrency;      /* 0 = unlimited */
    double rate_per_s;        /* 0 = unlimited */
    double burst;             /* bucket size, >= 1 token */
    bool reject;              /* on_limit: reject */
    int64_t busy;             /* messages in processing (admitted) */
    double tokens;            /* tokens at last_refill */
    sim_time last_refill;     /* us */
    struct id_fifo wait;         /* consumers waiting for admission (owned) */
    struct evq_handle token_ev;    /* EV_DOWNSTREAM: next token for the
                                      head of the FIFO */
};

/* Set up from the scenario's downstream section, using env. */
void down_init(struct downstream *ds, const struct scn_downstream *cfg,
               const struct down_env *env);
void down_fini(struct downstream *ds);

/* Outcome of an admission request. */
enum down_result { DOWN_ADMITTED, DOWN_QUEUED, DOWN_REJECTED };

/* Consumer `who` (a replica slot) asks to start a call now. DOWN_ADMITTED:
 * start processing now. DOWN_QUEUED: wait; env.admitted(who) is called
 * when admitted. DOWN_REJECTED (on_limit reject): the call fails. */
enum down_result down_acquire(struct downstream *ds, uint32_t who);

/* A call that was admitted ended now (processing finished, failed or was
 * stopped): free its slot and admit waiting consumers. */
void down_release(struct downstream *ds);

/* Consumer `who` gives up waiting (it was stopped). */
void down_cancel(struct downstream *ds, uint32_t who);

/* Engine handler of EV_DOWNSTREAM (a token is available for the head of
 * the FIFO); model is the downstream. */
int down_on_event(void *model, const struct event *ev, struct diag *d);

#endif
