/* models/result.h - the numbers one replication produces, and the per-sample
 * and per-execution records streamed while it runs.
 * Units:   in the column names: _s seconds, _usd US dollars, counts plain.
 * Owns:    plain values only.
 * Threads: no globals. */
#ifndef SIM_RESULT_H
#define SIM_RESULT_H

#include "sim/engine/common.h"

/* Every metric of a replication, in summary.csv column order.
 * X(name, kind, ci): kind COUNT (printed as an integer in
 * replications.csv) or REAL; ci = 1 adds a `name_ci95` column (Student t
 * half-width over replications) to summary.csv. A NAN value means "does not
 * apply" (e.g. no baseline, no message completed) and is written as an
 * empty field. `unstable` is 1 for a replication that was ended early
 * because its backlog passed WORLD_BACKLOG_LIMIT (models/world.h), else 0;
 * its mean over replications is the fraction that were. */
#define RESULT_METRICS(X)                                                      \
    X(messages, COUNT, 1)                                                      \
    X(completed, COUNT, 1)                                                     \
    X(unfinished, COUNT, 1)                                                    \
    X(wait_mean_s, REAL, 1)                                                    \
    X(wait_p95_s, REAL, 1)                                                     \
    X(latency_mean_s, REAL, 1)                                                 \
    X(latency_p50_s, REAL, 0)                                                  \
    X(latency_p95_s, REAL, 1)                                                  \
    X(latency_p99_s, REAL, 0)                                                  \
    X(latency_max_s, REAL, 1)                                                  \
    X(backlog_max, COUNT, 1)                                                   \
    X(backlog_mean, REAL, 1)                                                   \
    X(time_over_backlog_slo_s, REAL, 0)                                        \
    X(drain_time_s, REAL, 1)                                                   \
    X(executions, COUNT, 1)                                                    \
    X(empty_executions, COUNT, 1)                                              \
    X(failed_executions, COUNT, 0)                                             \
    X(timed_out_executions, COUNT, 0)                                          \
    X(duplicate_deliveries, COUNT, 1)                                          \
    X(duplicate_completions, COUNT, 1)                                         \
    X(dead_lettered, COUNT, 0)                                                 \
    X(expired, COUNT, 0)                                                       \
    X(downstream_peak, COUNT, 0)                                               \
    X(polls, COUNT, 0)                                                         \
    X(vcpu_seconds, REAL, 0)                                                   \
    X(gib_seconds, REAL, 0)                                                    \
    X(compute_cost_usd, REAL, 1)                                               \
    X(ops_cost_usd, REAL, 0)                                                   \
    X(log_cost_usd, REAL, 0)                                                   \
    X(cost_usd, REAL, 1)                                                       \
    X(cost_per_month_usd, REAL, 1)                                             \
    X(baseline_cost_usd, REAL, 0)                                              \
    X(savings_pct, REAL, 0)                                                    \
    X(executions_running_mean, REAL, 1)                                        \
    X(baseline_latency_mean_s, REAL, 0)                                        \
    X(baseline_latency_p95_s, REAL, 0)                                         \
    X(baseline_backlog_max, COUNT, 0)                                        \
    X(unstable, COUNT, 0)

enum result_metric {
#define RESULT_ENUM(name, kind, ci) RM_##name,
    RESULT_METRICS(RESULT_ENUM)
#undef RESULT_ENUM
    RM_COUNT
};

enum result_kind { RK_COUNT, RK_REAL };

/* Static description of metric i: column name, kind, whether summary.csv
 * has a _ci95 column for it. */
struct result_metric_info {
    const char *name;
    enum result_kind kind;
    bool ci;
};
extern const struct result_metric_info result_metric_info[RM_COUNT];

/* Latency quantiles kept per replication (for the latency CDF plot and
 * latency_quantiles.csv): p = k / (RESULT_NQ - 1), k = 0 .. RESULT_NQ - 1,
 * i.e. every percentile, p = 0 the minimum and p = 1 the maximum. */
#define RESULT_NQ 101

/* One replication's results. */
struct rep_result {
    uint32_t replication;   /* 0-based */
    double m[RM_COUNT];     /* indexed by enum result_metric; NAN = n/a */
    double latency_q[RESULT_NQ]; /* seconds, see RESULT_NQ; NAN when no
                                    message completed after warmup */
    int64_t events;         /* events processed (for the benchmark) */
    double sim_end_s;       /* simulated time when the run stopped */
};

/* The levels summarised per interval in timeseries.csv. */
enum ts_level {
    TS_VISIBLE,      /* messages visible in the source */
    TS_IN_FLIGHT,    /* received, not yet deleted (invisible) */
    TS_BACKLOG,      /* visible + in_flight */
    TS_PENDING,      /* executions created, no replica running yet */
    TS_RUNNING,      /* executions unfinished and not pending */
    TS_DOWNSTREAM,   /* messages in the downstream service */
    TS_COUNT
};

/* Column stem of level i: "visible", "in_flight", "backlog",
 * "executions_pending", "executions_running", "downstream_busy". */
extern const char *const ts_level_name[TS_COUNT];

/* One row of timeseries.csv: the summary of interval [t_us, end_us) of
 * replication 0, computed exactly from the piecewise-constant state
 * between events. end_us - t_us is sample_interval, except for the last
 * interval, which ends with the run. */
struct ts_sample {
    sim_time t_us, end_us;
    double mean[TS_COUNT];   /* time-average of the level over the interval */
    int64_t max[TS_COUNT];   /* highest level held at any instant of it,
                                including levels held for no time between
                                two events at the same instant */
};

/* The default sample_interval (us) for a scenario whose horizon is
 * horizon_us (0: unknown, a trace's) and polling interval poll_us: the
 * smallest nice duration (1, 2, 5, 10, 15, 30 s, 1, 2, 5, 10, 15, 30 min,
 * 1, 2, 3, 6, 12 h, then 1, 2, 5 x 10^k days) that cuts the horizon into
 * at most 2,000 intervals, but never shorter than poll_us; poll_us when
 * the horizon is unknown. */
sim_time result_default_sample_interval(sim_time horizon_us,
                                        sim_time poll_us);

enum exec_status { EXEC_SUCCEEDED, EXEC_FAILED, EXEC_STOPPED };

/* One finished execution (executions.csv). running_us is -1 when no replica
 * ever reached Running. */
struct exec_record {
    int64_t execution;     /* 0-based creation order within the replication */
    sim_time created_us, running_us, finished_us;
    enum exec_status status;
    int64_t messages;      /* messages received by its replicas */
    bool empty;            /* no replica received a message */
    sim_time billed_us;    /* billed replica time, after rounding */
};

/* "Succeeded", "Failed" or "Stopped" (ACA JobExecutionRunningState). */
const char *exec_status_name(enum exec_status s);

struct qhist;
/* The p-quantile (0 <= p <= 1) of the latency of every message, counting
 * the `unfinished` ones (never completed, still in the system at the end)
 * as +INFINITY ("beyond the end of the run") next to the completed ones
 * of histogram h (seconds): qhist_quantile(h, p (n + u) / n) while that
 * is <= 1, +INFINITY beyond (so the p95 is infinite when more than 5 % of
 * the messages are unfinished); NAN when there is no message at all. */
double result_latency_quantile(const struct qhist *h, int64_t unfinished,
                               double p);

/* Fill out->latency_q: entry k is result_latency_quantile(h, unfinished,
 * k / (RESULT_NQ - 1)). Called once at the end of a replication
 * (world_run). */
void result_fill_quantiles(const struct qhist *h, int64_t unfinished,
                           struct rep_result *out);

#endif
