/* models/scenario.h - the typed scenario: every key of scenario format v1
 * (docs/scenario-format.md) with units resolved and every default filled.
 * Units:   durations are sim_time microseconds (suffix _us); rates are per
 *          second (suffix _per_s); memory is GiB (binary); prices are USD.
 * Owns:    struct scenario is caller-allocated; scn_load() fills it and it
 *          owns every string and array inside; scn_fini() frees them.
 *          A loaded scenario is read-only during runs and shared by threads.
 * Errors:  scn_load() returns 0 or a negative SIM_E* code and fills a diag
 *          "file:line:col: error: key.path: expected ..., got ...".
 * Threads: no globals; loading different files in parallel is safe. */
#ifndef SIM_SCENARIO_H
#define SIM_SCENARIO_H

#include "sim/engine/common.h"
#include "sim/engine/dist.h"
#include "models/broker.h"
#include "models/strategy.h"

#include <stdio.h>

/* Most time-series samples per configuration (timeseries.csv rows): a
 * longer series is refused at load (known horizon) and cut at run time
 * (a trace whose span is only known when it is read). */
#define SCN_MAX_SAMPLES 1e7

/* ---- arrivals ---------------------------------------------------------- */

enum trace_format { TRACE_EVENTS, TRACE_COUNTS, TRACE_COUNTS_WIDE };
enum time_format {
    TF_AUTO, TF_ISO8601, TF_EPOCH_S, TF_EPOCH_MS, TF_OFFSET_S, TF_OFFSET_MS,
    TF_EPOCH_US, TF_OFFSET_US
};
enum spread_kind { SPREAD_UNIFORM, SPREAD_POISSON, SPREAD_START };

struct scn_trace {
    char *path;              /* resolved against the scenario's folder; owned */
    char *path_as_written;   /* as in the file / --set; owned */
    enum trace_format format;
    char *time_column;       /* header name or 1-based index; NULL = first */
    enum time_format time_format;
    enum time_format time_format_detected; /* what auto chose (set by the
                                program before a run, sim/io/trace_feed.h);
                                TF_AUTO = not decided; not a key */
    char *count_column;      /* counts: NULL = second column */
    sim_time interval_us;    /* counts: width of one row, default 60 s */
    enum spread_kind spread; /* counts */
    char *duration_column;   /* events: per-message processing time, s; NULL */
    double scale;            /* volume factor, > 0, default 1 */
    double speedup;          /* time compression, > 0, default 1 */
    bool has_start, has_end; /* optional window, offsets from the first row */
    sim_time start_us, end_us;
    char *first_count_column;/* counts_wide: header name or 1-based index of
                                the first count column; NULL = the first
                                column whose header is an integer; owned */
    struct scn_trace_filter {
        char *column;        /* counts_wide: keep rows whose field in this
                                column (name or 1-based index) ... ; owned,
                                NULL = keep every row */
        char *equals;        /* ... equals this text exactly; owned */
    } filter;
};

enum process_kind { PROC_POISSON, PROC_PIECEWISE, PROC_DIURNAL, PROC_MMPP,
                    PROC_BATCHES };

struct scn_step { sim_time at_us; double rate_per_s; };
struct scn_mmpp_state { double rate_per_s; sim_time mean_sojourn_us; };

struct scn_process {
    enum process_kind kind;
    double rate_per_s;              /* poisson */
    struct scn_step *steps;         /* piecewise, sorted by at_us; owned */
    size_t n_steps;
    sim_time repeat_us;             /* piecewise: 0 = no repeat */
    double mean_per_s;              /* diurnal */
    double amplitude;               /* diurnal, in [0, 1] */
    sim_time period_us, peak_at_us; /* diurnal */
    struct scn_mmpp_state *states;  /* mmpp; owned */
    size_t n_states;
    sim_time every_us, offset_us, spread_us; /* batches */
    struct dist size;               /* batches: messages per batch (count) */
};

struct scn_arrival_item {
    bool is_trace;                  /* true: trace, false: process */
    struct scn_trace trace;
    struct scn_process process;
};

/* ---- source ------------------------------------------------------------ */

/* enum source_kind and enum rule_type come from models/broker.h (BROKER_LIST). */

struct scn_source {
    enum source_kind kind;
    sim_time visibility_timeout_us; /* storage-queue, default 30 s, >= 1 s */
    sim_time lock_duration_us;      /* service-bus, default 60 s, <= 5 min */
    bool lock_renewal;              /* default false */
    int64_t max_delivery_count;     /* 0 = unlimited */
    bool has_message_ttl;
    sim_time message_ttl_us;
    sim_time count_lag_us;          /* default 0 */
};

/* ---- scale ------------------------------------------------------------- */

/* enum scale_strategy comes from models/strategy.h (STRATEGY_LIST). */
enum pending_mode { PENDING_NOT_RUNNING, PENDING_NOT_CLAIMED };
enum multi_calc { CALC_MAX, CALC_MIN, CALC_AVG, CALC_SUM };
enum ql_strategy { QLS_ALL, QLS_VISIBLEONLY };

struct scn_rule {
    char *name;                     /* owned; default "queue" */
    enum rule_type type;
    int64_t queue_length;           /* target T per execution, >= 1, default 5 */
    int64_t activation_queue_length;/* default 0 */
    enum ql_strategy queue_length_strategy; /* azure-queue only */
};

struct scn_scale {
    sim_time polling_interval_us;   /* default 30 s, >= 1 s */
    int64_t min_executions;         /* default 0 */
    int64_t max_executions;         /* default 100, >= 1 */
    enum scale_strategy strategy;   /* default STRAT_DEFAULT */
    int64_t custom_queue_length_deduction;   /* default 0 */
    bool has_custom_running_job_percentage;  /* absent: custom = default */
    double custom_running_job_percentage;
    enum pending_mode pending;      /* default PENDING_NOT_RUNNING */
    enum multi_calc multiple_scalers_calculation; /* default CALC_MAX */
    sim_time first_poll_us;         /* default 0 */
    struct scn_rule *rules;         /* owned, n_rules >= 1 */
    size_t n_rules;
};

/* ---- job --------------------------------------------------------------- */

enum delete_mode { DELETE_AT_END, DELETE_AT_RECEIVE };

struct scn_job {
    double cpu;                     /* vCPU per replica, default 0.5 */
    double memory_gib;              /* GiB per replica, default 1 */
    int64_t parallelism;            /* replicas per execution, default 1 */
    int64_t replica_completion_count; /* default 1 */
    sim_time replica_timeout_us;    /* default 30 min */
    int64_t replica_retry_limit;    /* default 0 */
    struct dist startup;            /* created -> running; default lognormal
                                       median 10 s, p95 40 s */
    struct dist claim;              /* running -> first receive; default 0 */
    int64_t messages_per_replica;   /* 1, N, or 0 = drain; default 1 */
    int64_t receive_batch;          /* 1..32, default 1 */
    enum delete_mode delete_mode;   /* YAML key `delete`; default at_end */
    struct dist duration;           /* processing time of one message;
                                       default lognormal mean 2 s, cv 0.5 */
    double failure_probability;     /* per message, [0, 1], default 0 */
    sim_time exit_overhead_us;      /* default 0 */
    sim_time idle_exit_us;          /* drain mode, default 0 */
};

/* ---- downstream -------------------------------------------------------- */

enum on_limit { ON_LIMIT_WAIT, ON_LIMIT_REJECT };

struct scn_downstream {
    int64_t concurrency;            /* 0 = unlimited */
    double rate_per_s;              /* 0 = unlimited */
    bool has_burst;
    double burst;                   /* token bucket size; default rate * 1 s */
    enum on_limit on_limit;
};

/* ---- cost -------------------------------------------------------------- */

enum cost_plan { PLAN_CONSUMPTION, PLAN_DEDICATED };

struct scn_dedicated {
    double node_vcpu, node_gib;     /* default 4, 16 (D4) */
    double vcpu_hour, gib_hour;     /* USD, default 0.080859, 0.006638 */
    double management_hour;         /* USD, default 0.10 */
    int64_t min_nodes, max_nodes;   /* default 0, 10 */
};

struct scn_cost {
    enum cost_plan plan;
    double vcpu_second;             /* USD per vCPU-s, default 0.000024 */
    double gib_second;              /* USD per GiB-s, default 0.000003 */
    bool free_grant;                /* default false */
    bool bill_startup;              /* default true */
    sim_time billing_granularity_us;/* default 1 s */
    struct scn_dedicated dedicated;
    double scaler_ops_per_poll;     /* per rule per poll, default 2 */
    bool has_ops_price;             /* ops_price_per_10k written */
    double ops_price_per_10k;       /* USD; default by source.kind: 0.004
                                       (storage-queue), 0.008 (service-bus
                                       Standard, 13 M ops/month included:
                                       models/cost.h); filled at load */
    double message_ops;             /* per message, default 3 */
    double log_bytes_per_execution; /* bytes, default 0 */
    double log_price_per_gb;        /* USD per GB (1e9 B), default 2.30 */
    sim_time month_us;              /* default 730 h */
};

/* ---- baseline, slo, sweep, output -------------------------------------- */

struct scn_baseline {
    bool present;                   /* section given */
    int64_t replicas;               /* default 4 */
    double cpu, memory_gib;         /* default job.cpu / job.memory */
    double idle_vcpu_second;        /* USD, default 0.000003 */
};

struct scn_slo {
    bool present;             /* section given: objectives apply */
    bool has_backlog_max;     double backlog_max;      /* messages */
    bool has_latency_p95;     sim_time latency_p95_us;
    bool has_latency_max;     sim_time latency_max_us;
    bool has_unfinished_max;  double unfinished_max;   /* default 0 (set) */
    bool has_duplicate_completions_max; double duplicate_completions_max;
    double confidence;        /* default 0.95, in (0, 1) */
};

struct scn_axis {
    char *path;       /* key path, e.g. "scale.max_executions"; owned */
    char **values;    /* each value as YAML scalar text; owned */
    size_t n_values;  /* >= 1 */
};

struct scn_output {
    char *dir;        /* NULL = results/<name>/ ; owned */
    bool timeseries;  /* default true */
    bool executions;  /* default false */
    bool plots;       /* default true */
};

/* Where a key was written: for errors found after loading ("not supported
 * yet", cross-key checks). path is the dotted key path with list indexes,
 * e.g. "scale.rules[0].queue_length". file is the scenario path, or
 * "--set" for a command-line override (then line is the override's index,
 * 1-based, and col the 1-based column of the value inside PATH=VALUE). */
struct scn_loc {
    char *path;       /* owned */
    const char *file; /* points at scenario.file or the literal "--set" */
    int line, col;
};

/* What the scenario models: an ACA / KEDA deployment (values ACA and KEDA
 * cannot take are refused), or a theoretical model that may leave those
 * limits (a sub-second polling interval for a queueing check); the run
 * then warns that its numbers are not an ACA deployment's. */
enum scn_model { SCN_MODEL_ACA, SCN_MODEL_THEORETICAL };

struct scenario {
    char *file;                     /* scenario path as given; owned */
    char *base_dir;                 /* its folder, for relative paths; owned */
    char *name;                     /* default: file name without .yaml */
    char *description;              /* default "" */
    int model;                      /* enum scn_model, default SCN_MODEL_ACA */
    uint32_t seed;                  /* default 1 */
    int64_t replications;           /* default 10, >= 1 */
    bool has_horizon;               /* required for processes */
    sim_time horizon_us;
    sim_time drain_limit_us;        /* default 24 h */
    sim_time warmup_us;             /* default 0 */
    bool has_sample_interval;       /* default: scale.polling_interval */
    sim_time sample_interval_us;    /* always filled after loading */

    struct scn_arrival_item *arrivals; /* owned, n_arrivals >= 1 */
    size_t n_arrivals;
    bool arrivals_is_list;          /* written as a YAML sequence */
    struct scn_source source;
    struct scn_scale scale;
    struct scn_job job;
    struct scn_downstream downstream;
    struct scn_cost cost;
    struct scn_baseline baseline;
    struct scn_slo slo;
    struct scn_axis *sweep;         /* owned */
    size_t n_sweep;
    struct scn_output output;

    struct scn_loc *locs;           /* every key written; owned */
    size_t n_locs;
};

/* Enum names as written in scenario files ("default", "storage-queue", ...). */
const char *scn_strategy_name(enum scale_strategy s);
const char *scn_rule_type_name(enum rule_type t);

#endif
