/* sim/metrics.h - what one replication measures: message counters, the
 * time-weighted backlog, wait and latency quantiles, execution counters,
 * and the periodic time-series samples of replication 0.
 * Definitions (docs/scenario-format.md): backlog = messages not yet deleted
 * (visible + in flight); wait = arrival -> start of first processing;
 * latency = arrival -> first successful completion of processing;
 * duplicate_delivery = every delivery of a message after its first;
 * duplicate_completion = every completed processing after the first.
 * Statistics ignore what happens before scenario `warmup` (messages that
 * arrived before it are not measured; the backlog average starts there).
 * Units:   sim_time us in, seconds out.
 * Owns:    struct metrics is caller-allocated (metrics_init/metrics_fini);
 *          it owns two quantile histograms of fixed size, so memory does not
 *          grow with the length of the run.
 * Threads: no globals. */
#ifndef SIM_METRICS_H
#define SIM_METRICS_H

#include "sim/engine/common.h"
#include "models/result.h"
#include "sim/engine/stats.h"

struct metrics {
    sim_time warmup;             /* us; observations before are ignored */
    int64_t messages;            /* arrivals (all) */
    int64_t completed;           /* messages completed at least once */
    int64_t dead_lettered, expired;
    int64_t lost;                /* deleted on receipt (delete: at_receive)
                                    but never processed: failed or stopped */
    int64_t duplicate_deliveries, duplicate_completions;
    int64_t executions, empty_executions, failed_executions,
        timed_out_executions;
    int64_t downstream_peak;
    sim_time last_done;          /* when the last message left, us */
    struct qhist wait;           /* seconds */
    struct qhist latency;        /* seconds */
    struct twa backlog;          /* visible + in flight */
    struct twa running;          /* executions Running (issue 7: the
                                    executions_running_mean metric) */

    /* time series */
    bool sampling;               /* emit samples */
    sim_time sample_interval;    /* us */
    sim_time next_sample;        /* next sample time, us */
};

/* Start empty metrics with the warm-up, the backlog SLO threshold (INFINITY
 * for none) and the sampling step (0 = no time series). Returns 0 or
 * SIM_ENOMEM. */
int metrics_init(struct metrics *m, sim_time warmup, double backlog_slo,
                 sim_time sample_interval);
void metrics_fini(struct metrics *m);

/* A message that arrived at `arrival` started its first processing now. */
void metrics_wait(struct metrics *m, sim_time arrival, sim_time now);
/* A message that arrived at `arrival` completed for the first time now. */
void metrics_latency(struct metrics *m, sim_time arrival, sim_time now);

#endif
