/* models/scaler.h - the KEDA ScaledJob poll loop inside the simulation.
 * Polls happen at first_poll + k * polling_interval (KEDA startScaleLoop:
 * first check at once, then every pollingInterval). At each poll every
 * scale rule reads its metric from the source, R and P are counted from
 * the executions, the pure decision (models/decision.h) says how many
 * executions to create, and they are created at that instant.
 * Skipping idle polls: the decision is a pure function of the queue counts,
 * R and P. When a poll creates nothing, later polls would decide the same
 * until one of those inputs changes, so the loop goes dormant and a change
 * (scaler_wake / scaler_wake_at, called by the world) schedules the next
 * grid poll. With source.count_lag
 * the scaler sees a count change count_lag later, so the loop stays awake
 * while a change is still unseen, and a change wakes it for the first grid
 * poll at or after (change + count_lag). A change that leaves every rule's
 * metric, R and P as the dormant poll saw them (a receive under the `all`
 * metric, say) does not wake it. Results are identical to polling every
 * tick; only the event count differs. The number of polls
 * KEDA would make (for broker operation costs) is counted from the grid.
 * Units:   sim_time us.
 * Owns:    struct scaler is owned by the world; it reads the source's
 *          counts and the executions' R and P, and creates executions.
 * Threads: no globals. */
#ifndef MODELS_SCALER_H
#define MODELS_SCALER_H

#include "sim/engine/common.h"
#include "sim/engine/engine.h"
#include "models/execution.h"
#include "models/scenario.h"
#include "models/source.h"

/* What the scaler uses; every pointer is borrowed. */
struct scaler_env {
    struct engine *eng;
    const struct scn_scale *cfg;
    struct source *src;        /* read: the counts its rules see */
    struct executions *ex;     /* read R and P; create executions */
};

struct scaler {
    struct scaler_env env;
    bool reads_p;              /* the strategy's arithmetic reads P */
    /* per rule: the metric of its broker kind (models/broker.h) */
    int64_t (*metric[32])(const struct count_snap *c, const struct scn_rule *r);
    bool stopped;              /* scaler_stop(): no more polls */
    bool dormant;              /* no poll scheduled; woken by changes */
    bool have_last;            /* last_* hold the last poll's inputs */
    int64_t last_ql[32];       /* per-rule metric at the last poll */
    int64_t last_r, last_p;    /* R and P at the last poll */
    sim_time last_poll;        /* time of the last poll run, -1 = none */
    struct evq_handle poll_ev; /* the scheduled poll */
    int64_t polls_run;         /* polls actually evaluated */
};

/* Set up and schedule the first poll at scale.first_poll. */
void scaler_init(struct scaler *sc, const struct scaler_env *env);

/* Engine handler of EV_POLL: decide and create executions; model is the
 * scaler. Returns 0 or SIM_ENOMEM (d set). */
int scaler_on_poll(void *model, const struct event *ev, struct diag *d);

/* Inputs changed now: if dormant, schedule the next grid poll. */
void scaler_wake(struct scaler *sc);

/* The scaler will see a change at time t (>= now; later than now when the
 * count lags): if dormant, schedule the first grid poll at or after t. */
void scaler_wake_at(struct scaler *sc, sim_time t);

/* The run's work is done: cancel the scheduled poll and poll no more. */
void scaler_stop(struct scaler *sc);

/* Polls KEDA makes over [0, end): grid points first_poll + k * interval
 * before end (30 days of 30 s polls: 86,400). */
int64_t scaler_grid_polls(const struct scn_scale *cfg, sim_time end);

#endif
