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
 * Owns:    struct downstream is embedded in struct sim.
 * Threads: no globals. */
#ifndef MODELS_DOWNSTREAM_H
#define MODELS_DOWNSTREAM_H

#include "sim/engine/common.h"
#include "sim/engine/evq.h"
#include "models/scenario.h"
#include "models/execution.h"

struct sim;
struct event;

struct downstream {
    int64_t concurrency;      /* 0 = unlimited */
    double rate_per_s;        /* 0 = unlimited */
    double burst;             /* bucket size, >= 1 token */
    bool reject;              /* on_limit: reject */
    int64_t busy;             /* messages in processing (admitted) */
    double tokens;            /* tokens at last_refill */
    sim_time last_refill;     /* us */
    struct rp_fifo wait;      /* replicas waiting for admission */
    struct evq_handle token_ev;    /* EV_DOWNSTREAM: next token for the
                                      head of the FIFO */
};

/* Set up from the scenario's downstream section. */
void down_init(struct downstream *ds, const struct scenario *scn);

/* Outcome of an admission request. */
enum down_result { DOWN_ADMITTED, DOWN_QUEUED, DOWN_REJECTED };

/* Replica r asks to start a call now. DOWN_ADMITTED: start processing now.
 * DOWN_QUEUED (on_limit wait): exec_on_admitted(s, r) is called when it is
 * admitted. DOWN_REJECTED (on_limit reject): the processing fails. */
enum down_result down_acquire(struct sim *s, uint32_t r);

/* A call that was admitted ended now (processing finished, failed or was
 * stopped): free its slot and admit waiting replicas. */
void down_release(struct sim *s);

/* Replica r gives up waiting (it was stopped). */
void down_cancel(struct sim *s, uint32_t r);

/* Handle EV_DOWNSTREAM (a token is available for the head of the FIFO). */
void down_on_event(struct sim *s, const struct event *ev);

#endif
