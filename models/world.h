/* sim/sim.h - one replication: the clock, the event set, the random streams,
 * the model states and the metrics, all hanging off one struct sim (no
 * global mutable state), so replications and configurations run in parallel
 * threads and give bit-identical results on any thread count.
 * Units:   sim_time microseconds; counts int64_t.
 * Owns:    struct sim is caller-allocated; sim_init()/sim_fini(). It borrows
 *          the scenario (read-only, shared between threads) and the sinks.
 * Errors:  0 / negative SIM_E* with a struct diag.
 *
 * Event order. Events run by (time, prio, seq): at one instant, arrivals
 * first, then message expiries, completions and replica exits, visibility
 * expiries (so a message finished at the instant its visibility ends is
 * deleted, not re-delivered), replica time-outs, replicas becoming Running,
 * receives, idle exits (a message that becomes visible at the deadline is
 * still taken), and the KEDA poll last, so a poll sees everything that
 * happened at its instant. Equal (time, prio) events run in the order they
 * were scheduled. */
#ifndef SIM_SIM_H
#define SIM_SIM_H

#include "sim/engine/common.h"
#include "sim/engine/evq.h"
#include "models/metrics.h"
#include "models/result.h"
#include "models/scenario.h"
#include "sim/engine/stream.h"
#include "models/arrivals.h"
#include "models/baseline.h"
#include "models/cost.h"
#include "models/downstream.h"
#include "models/execution.h"
#include "models/nodes.h"
#include "models/scaler.h"
#include "models/source.h"

/* Event kinds; each model handles its own. The enum order is also the
 * order of events at the same instant (their priority). */
enum ev_kind {
    EV_ARRIVAL,        /* arrivals: next message arrives */
    EV_MSG_TTL,        /* source: a message's message_ttl passes */
    EV_WORK_DONE,      /* execution: processing of a message finished */
    EV_EXIT,           /* execution: a replica's exit_overhead is over */
    EV_DOWNSTREAM,     /* downstream: a token for the waiting call */
    EV_VISIBILITY,     /* source: a received message's visibility expires */
    EV_REPLICA_TIMEOUT,/* execution: a replica reaches replica_timeout */
    EV_REPLICA_RUNNING,/* execution: start-up done, container Running */
    EV_CLAIM,          /* execution: a receive call */
    EV_IDLE_EXIT,      /* execution: drain mode, idle_exit ran out */
    EV_POLL,           /* scaler: KEDA polling tick */
    EV_KIND_COUNT
};

/* Where streamed per-sample and per-execution rows go; any may be NULL. */
struct sim_sinks {
    void (*sample)(void *ctx, const struct ts_sample *s);
    void (*execution)(void *ctx, const struct exec_record *e);
    void *ctx;
};

struct sim {
    const struct scenario *scn; /* borrowed, read-only */
    sim_time now;               /* current time, us */
    sim_time end_limit;         /* horizon + drain_limit (known horizon), us */
    struct evq *q;              /* owned */
    struct streams st;          /* owned */
    int64_t events;             /* events processed */
    bool stopping;              /* all work done: no new executions */
    bool baseline_mode;         /* always-on workers instead of the job */
    struct sim_sinks sinks;

    struct arrivals arr;
    struct source src;
    struct scaler sc;
    struct executions ex;
    struct downstream down;
    struct nodes nodes;
    struct baseline base;
    struct cost_meter cost;
    struct metrics met;
};

/* Prepare replication rep of scenario scn (already validated): seed the
 * streams from (scn->seed, rep), open the trace, schedule the first arrival
 * and the first poll. sinks may be NULL. Returns 0, or a negative SIM_E*
 * with d set (trace cannot be opened). Call sim_fini() in every case. */
int sim_init(struct sim *s, const struct scenario *scn, uint32_t rep,
             const struct sim_sinks *sinks, struct diag *d);

/* Like sim_init(), but the replication runs the scenario's always-on
 * baseline (models/baseline.h) instead of the job: same arrivals, same
 * per-message durations, no scaler. */
int sim_init_baseline(struct sim *s, const struct scenario *scn, uint32_t rep,
                      struct diag *d);

/* Run the replication to its end: until every arrival is in and every
 * message is done and no execution is left, or horizon + drain_limit.
 * Fills *out. Returns 0 or a negative SIM_E* with d set (a trace row that
 * is unsorted or unparsable surfaces here). */
int sim_run(struct sim *s, struct rep_result *out, struct diag *d);

/* Process events up to and including time `until` (for tests); returns the
 * number of events processed or a negative SIM_E*. */
int64_t sim_run_until(struct sim *s, sim_time until, struct diag *d);

/* Free everything the replication owns; safe on a zeroed struct. */
void sim_fini(struct sim *s);

/* Schedule an event of kind at time t for target/gen. Models call this for
 * their own kinds only. Returns the handle (for cancelling). */
struct evq_handle sim_schedule(struct sim *s, sim_time t, enum ev_kind kind,
                               uint32_t target, uint32_t gen);

/* Cancel a scheduled event (stale or none handles are ignored). */
void sim_cancel(struct sim *s, struct evq_handle *h);

/* Models report that the scaler's inputs (queue counts, running or pending
 * executions) changed at the current time; wakes a dormant poll loop. */
void sim_state_changed(struct sim *s);

/* A message became visible now: wake a waiting consumer (a replica in a
 * long poll, or an idle baseline worker). */
void sim_message_available(struct sim *s);

/* True when the run's work is complete: every arrival is in, the source is
 * empty and the scaler sees it empty (source.count_lag). Then no new
 * execution is created and the run ends when the last live execution
 * ends. */
bool sim_work_done(struct sim *s);

#endif
