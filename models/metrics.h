/* models/metrics.h - the recorder of what one replication measures: message
 * and execution counters, the time-weighted backlog and Running executions,
 * wait and latency quantiles. Models report observations through the
 * functions below and never write these fields themselves; the world reads
 * them when it fills the replication's result (models/world.c).
 * Definitions (docs/model.md, Metrics): backlog = messages not yet deleted
 * (visible + in flight); wait = arrival -> start of first processing;
 * latency = arrival -> first successful completion of processing;
 * duplicate_delivery = every delivery of a message after its first;
 * duplicate_completion = every completed processing after the first.
 * Statistics ignore what happens before scenario `warmup` (messages that
 * arrived before it are not measured; the time averages start there).
 * Units:   sim_time us in, seconds out.
 * Owns:    struct metrics is caller-allocated (metrics_init/metrics_fini);
 *          it owns two quantile histograms of fixed size, so memory does not
 *          grow with the length of the run.
 * Threads: no globals. */
#ifndef MODELS_METRICS_H
#define MODELS_METRICS_H

#include "sim/engine/common.h"
#include "sim/engine/stats.h"

/* Countable observations (metrics_count()). */
enum metric_event {
    MET_COMPLETED,             /* a message completed for the first time */
    MET_DEAD_LETTERED,         /* moved to the dead-letter / poison queue */
    MET_EXPIRED,               /* message_ttl passed before completion */
    MET_LOST,                  /* deleted on receipt, never processed */
    MET_DUPLICATE_DELIVERY,    /* a delivery after the first */
    MET_DUPLICATE_COMPLETION,  /* a completed processing after the first */
    MET_EXECUTION,             /* an execution was created */
    MET_EMPTY_EXECUTION,       /* an execution ended having taken nothing */
    MET_FAILED_EXECUTION,      /* ended Failed */
    MET_TIMED_OUT_EXECUTION,   /* stopped at replica_timeout */
};

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
    sim_time last_done;          /* when the last message left, us; -1 */
    struct qhist wait;           /* seconds */
    struct qhist latency;        /* seconds */
    struct twa backlog;          /* visible + in flight */
    struct twa running;          /* executions Running */
};

/* Start empty metrics with the warm-up (us, >= 0) and the backlog SLO
 * threshold (INFINITY when none) for time_over_backlog_slo. Returns 0 or
 * SIM_ENOMEM (then nothing is left allocated). */
int metrics_init(struct metrics *m, sim_time warmup, double backlog_slo);
void metrics_fini(struct metrics *m);

/* A message arrived: returns its id (the arrival sequence number, 0-based). */
int64_t metrics_message_in(struct metrics *m);

/* Count n (>= 0) observations of event e. */
void metrics_count(struct metrics *m, enum metric_event e, int64_t n);

/* A message left the system (deleted, dead-lettered or expired) at now. */
void metrics_message_out(struct metrics *m, sim_time now);

/* The backlog is `level` messages from now on. */
void metrics_backlog(struct metrics *m, sim_time now, double level);

/* `level` executions are Running from now on. */
void metrics_running(struct metrics *m, sim_time now, double level);

/* `busy` calls are in the downstream service now (keeps the peak). */
void metrics_downstream_busy(struct metrics *m, int64_t busy);

/* A message that arrived at `arrival` started its first processing now. */
void metrics_wait(struct metrics *m, sim_time arrival, sim_time now);
/* A message that arrived at `arrival` completed for the first time now. */
void metrics_latency(struct metrics *m, sim_time arrival, sim_time now);

#endif
