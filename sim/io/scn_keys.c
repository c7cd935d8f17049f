/* sim/io/scn_keys.c - the key table of scenario format v1 (see
 * scn_keys.h): every key's name, type, default, range, the kinds it applies
 * to and its position in struct scenario, the enum names, and the rule type
 * that follows source.kind.
 *
 * The table is the single place where a key is written down; the loader
 * (scn_walk.c, scn_override.c, scenario.c) and both writers (scn_print.c)
 * walk it, so adding a key is one line here plus the field in scenario.h.
 * Keys appear in the order of docs/scenario-format.md, which is the order
 * the writers use. */
#include "sim/io/scn_keys.h"

#include <stddef.h>
#include <stdio.h>

/* ---- enum names (index = enum value) ------------------------------------ */

static const char *const trace_format_names[] = {"events", "counts",
                                                 "counts_wide", NULL};
static const char *const time_format_names[] = {
    "auto",     "iso8601",  "epoch_s",  "epoch_ms", "offset_s",
    "offset_ms", "epoch_us", "offset_us", NULL};
static const char *const spread_names[] = {"uniform", "poisson", "start",
                                           NULL};
static const char *const process_names[] = {"poisson", "piecewise", "diurnal",
                                            "mmpp", "batches", NULL};
static const char *const pending_names[] = {"not_running", "not_claimed",
                                            NULL};
static const char *const calc_names[] = {"max", "min", "avg", "sum", NULL};
static const char *const qls_names[] = {"all", "visibleonly", NULL};
static const char *const delete_names[] = {"at_end", "at_receive", NULL};
static const char *const on_limit_names[] = {"wait", "reject", NULL};
static const char *const plan_names[] = {"consumption", "dedicated", NULL};
static const char *const model_names[] = {"aca", "theoretical", NULL};

const char *const scn__dist_names[] = {"fixed",   "exponential", "lognormal",
                                       "gamma",   "weibull",     "uniform",
                                       "empirical", "mixture",   NULL};

const struct scn_form scn__forms[] = {
    [DFORM_VALUE] = {"value", NULL, true, false},
    [DFORM_MEAN] = {"mean", NULL, true, false},
    [DFORM_MEDIAN_P95] = {"median", "p95", true, true},
    [DFORM_MEAN_CV] = {"mean", "cv", true, false},
    [DFORM_MU_SIGMA] = {"mu", "sigma", false, false},
    [DFORM_SCALE_SHAPE] = {"scale", "shape", true, false},
    [DFORM_MIN_MAX] = {"min", "max", true, true},
    [DFORM_PATH_COLUMN] = {"path", "column", false, false},
    [DFORM_PARTS] = {"parts", NULL, false, false},
};

/* The names of source kinds, rule types and strategies come from the lists
 * in models/broker.h and models/strategy.h (broker_names,
 * broker_rule_type_names, strategy_names). */

const char *scn_strategy_name(enum scale_strategy s)
{
    return strategy_name(s);
}

const char *scn_rule_type_name(enum rule_type t)
{
    return broker_rule_type_name(t);
}

/* scale.rules[].type follows source.kind: the kind's list entry names the
 * one rule type that reads it (BROKER_LIST's RULE_ID). source comes before
 * scale in top_keys, so source.kind is loaded when the rules are. */
static int rule_type_follow(const struct scenario *scn, int v, char *why,
                            size_t n)
{
    enum source_kind k = scn->source.kind;
    int want = (int)broker_rule_of(k);
    if (v >= 0 && v != want)
        snprintf(why, n, "applies only to source.kind %s, this source is %s",
                 broker_name(broker_of_rule((enum rule_type)v)),
                 broker_name(k));
    return want;
}

/* ---- the tables --------------------------------------------------------- */

#define KEY(nm, ty, st, fld)                                                   \
    .name = (nm), .type = (ty), .off = offsetof(struct st, fld)
#define ENUM(nm, st, fld, tab, d)                                              \
    KEY(nm, KT_ENUM, st, fld), .names = (tab), .def = (d)
#define BIT(v) (1u << (v))
/* A table of the keys of array a (the count from its size, not written). */
#define TABLE(a) {(a), sizeof(a) / sizeof((a)[0]), NULL}
/* The same, with a discriminator whose keys that do not apply are refused
 * as "..., <is with the value>". */
#define DTABLE(a, is) {(a), sizeof(a) / sizeof((a)[0]), (is)}

static const struct scn_key filter_keys[] = {
    {KEY("column", KT_STR, scn_trace_filter, column), .flags = KF_NULL},
    {KEY("equals", KT_STR, scn_trace_filter, equals), .flags = KF_NULL},
};
static const struct scn_table filter_table = TABLE(filter_keys);

static const struct scn_key trace_keys[] = {
    {KEY("path", KT_PATH, scn_trace, path), .flags = KF_REQ,
     .aux = SCN_AUX(struct scn_trace, path_as_written)},
    {ENUM("format", scn_trace, format, trace_format_names, "events")},
    {KEY("time_column", KT_STR, scn_trace, time_column), .flags = KF_NULL},
    {ENUM("time_format", scn_trace, time_format, time_format_names, "auto")},
    {KEY("count_column", KT_STR, scn_trace, count_column), .flags = KF_NULL},
    {KEY("interval", KT_DUR, scn_trace, interval_us), .def = "1m",
     .rng = R_GT},
    {ENUM("spread", scn_trace, spread, spread_names, "uniform")},
    {KEY("duration_column", KT_STR, scn_trace, duration_column),
     .flags = KF_NULL},
    {KEY("scale", KT_NUM, scn_trace, scale), .def = "1", .rng = R_GT},
    {KEY("speedup", KT_NUM, scn_trace, speedup), .def = "1", .rng = R_GT},
    {KEY("start", KT_DUR, scn_trace, start_us), .flags = KF_NULL,
     .aux = SCN_AUX(struct scn_trace, has_start)},
    {KEY("end", KT_DUR, scn_trace, end_us), .flags = KF_NULL,
     .aux = SCN_AUX(struct scn_trace, has_end)},
    {KEY("first_count_column", KT_STR, scn_trace, first_count_column),
     .flags = KF_NULL},
    {KEY("filter", KT_SECTION, scn_trace, filter), .sub = &filter_table},
};

static const struct scn_key step_keys[] = {
    {KEY("at", KT_DUR, scn_step, at_us), .flags = KF_REQ},
    {KEY("rate", KT_RATE, scn_step, rate_per_s), .flags = KF_REQ},
};
static const struct scn_table step_table = TABLE(step_keys);

static const struct scn_key mmpp_keys[] = {
    {KEY("rate", KT_RATE, scn_mmpp_state, rate_per_s), .flags = KF_REQ},
    {KEY("mean_sojourn", KT_DUR, scn_mmpp_state, mean_sojourn_us),
     .flags = KF_REQ, .rng = R_GT},
};
static const struct scn_table mmpp_table = TABLE(mmpp_keys);

static const struct scn_key process_keys[] = {
    {KEY("kind", KT_ENUM, scn_process, kind), .names = process_names,
     .flags = KF_REQ | KF_DISC},
    {KEY("rate", KT_RATE, scn_process, rate_per_s), .flags = KF_REQ,
     .mask = BIT(PROC_POISSON)},
    {KEY("steps", KT_LIST, scn_process, steps), .flags = KF_REQ,
     .mask = BIT(PROC_PIECEWISE), .sub = &step_table,
     .elem = sizeof(struct scn_step),
     .aux = SCN_AUX(struct scn_process, n_steps)},
    {KEY("repeat", KT_DUR, scn_process, repeat_us), .def = "0s",
     .mask = BIT(PROC_PIECEWISE)},
    {KEY("mean", KT_RATE, scn_process, mean_per_s), .flags = KF_REQ,
     .mask = BIT(PROC_DIURNAL)},
    {KEY("amplitude", KT_NUM, scn_process, amplitude), .flags = KF_REQ,
     .mask = BIT(PROC_DIURNAL), .rng = R_GE | R_LE, .hi = 1},
    {KEY("period", KT_DUR, scn_process, period_us), .def = "24h",
     .mask = BIT(PROC_DIURNAL), .rng = R_GT},
    {KEY("peak_at", KT_DUR, scn_process, peak_at_us), .def = "0s",
     .mask = BIT(PROC_DIURNAL)},
    {KEY("states", KT_LIST, scn_process, states), .flags = KF_REQ,
     .mask = BIT(PROC_MMPP), .sub = &mmpp_table,
     .elem = sizeof(struct scn_mmpp_state),
     .aux = SCN_AUX(struct scn_process, n_states)},
    {KEY("every", KT_DUR, scn_process, every_us), .flags = KF_REQ,
     .mask = BIT(PROC_BATCHES), .rng = R_GT},
    {KEY("size", KT_CDIST, scn_process, size), .flags = KF_REQ,
     .mask = BIT(PROC_BATCHES)},
    {KEY("offset", KT_DUR, scn_process, offset_us), .def = "0s",
     .mask = BIT(PROC_BATCHES)},
    {KEY("spread", KT_DUR, scn_process, spread_us), .def = "0s",
     .mask = BIT(PROC_BATCHES)},
};

const struct scn_table scn__trace = TABLE(trace_keys);
const struct scn_table scn__process = TABLE(process_keys);

/* source.kind and the keys that apply to some kinds only: their masks come
 * from BROKER_LIST's SOURCE_KEYS (models/broker.h). */
static const struct scn_key source_keys[] = {
    {ENUM("kind", scn_source, kind, broker_names, "storage-queue"),
     .flags = KF_DISC},
    {KEY("visibility_timeout", KT_DUR, scn_source, visibility_timeout_us),
     .def = "30s", .rng = R_GE, .lo = 1,
     .mask = BROKER_SOURCE_KEY_MASK(BK_VISIBILITY_TIMEOUT)},
    {KEY("lock_duration", KT_DUR, scn_source, lock_duration_us),
     .def = "60s", .rng = R_GT | R_LE, .hi = 300,
     .mask = BROKER_SOURCE_KEY_MASK(BK_LOCK_DURATION)},
    {KEY("lock_renewal", KT_BOOL, scn_source, lock_renewal), .def = "false"},
    {KEY("max_delivery_count", KT_INT, scn_source, max_delivery_count),
     .def = "0", .rng = R_GE},
    {KEY("message_ttl", KT_DUR, scn_source, message_ttl_us),
     .flags = KF_NULL, .aux = SCN_AUX(struct scn_source, has_message_ttl),
     .rng = R_GT},
    {KEY("count_lag", KT_DUR, scn_source, count_lag_us), .def = "0s"},
};

static const struct scn_key rule_keys[] = {
    {KEY("name", KT_STR, scn_rule, name), .def = "queue"},
    /* the discriminator: its default, and the only value accepted, is the
     * rule type of source.kind (rule_type_follow) */
    {KEY("type", KT_ENUM, scn_rule, type), .names = broker_rule_type_names,
     .flags = KF_DISC, .follow = rule_type_follow},
    {KEY("queue_length", KT_INT, scn_rule, queue_length), .def = "5",
     .rng = R_GE, .lo = 1},
    {KEY("activation_queue_length", KT_INT, scn_rule,
         activation_queue_length), .def = "0", .rng = R_GE},
    {ENUM("queue_length_strategy", scn_rule, queue_length_strategy, qls_names,
          "all"), .mask = BROKER_RULE_KEY_MASK(RK_QUEUE_LENGTH_STRATEGY)},
};
static const struct scn_table rule_table =
    DTABLE(rule_keys, "this rule is %s");

static const struct scn_key scale_keys[] = {
    /* ACA and KEDA poll in whole seconds; a shorter or fractional interval
     * needs `model: theoretical` (sim/io/support.c; a 1 ms poll approximates
     * continuous scaling in the queueing check). */
    {KEY("polling_interval", KT_DUR, scn_scale, polling_interval_us),
     .def = "30s", .rng = R_GT, .lo = 0},
    {KEY("min_executions", KT_INT, scn_scale, min_executions), .def = "0",
     .rng = R_GE},
    {KEY("max_executions", KT_INT, scn_scale, max_executions), .def = "100",
     .rng = R_GE, .lo = 1},
    /* the discriminator; the custom keys' masks come from STRATEGY_LIST's
     * KEYS (models/strategy.h) */
    {ENUM("strategy", scn_scale, strategy, strategy_names, "default"),
     .flags = KF_DISC},
    {KEY("custom_queue_length_deduction", KT_INT, scn_scale,
         custom_queue_length_deduction), .def = "0", .rng = R_GE,
     .mask = STRATEGY_KEY_MASK(SK_CUSTOM_DEDUCTION)},
    {KEY("custom_running_job_percentage", KT_NUM, scn_scale,
         custom_running_job_percentage), .flags = KF_NULL, .rng = R_GE,
     .aux = SCN_AUX(struct scn_scale, has_custom_running_job_percentage),
     .mask = STRATEGY_KEY_MASK(SK_CUSTOM_PERCENTAGE)},
    {ENUM("pending", scn_scale, pending, pending_names, "not_running")},
    {ENUM("multiple_scalers_calculation", scn_scale,
          multiple_scalers_calculation, calc_names, "max")},
    {KEY("first_poll", KT_DUR, scn_scale, first_poll_us), .def = "0s"},
    {KEY("rules", KT_LIST, scn_scale, rules), .flags = KF_ONE,
     .sub = &rule_table, .elem = sizeof(struct scn_rule),
     .aux = SCN_AUX(struct scn_scale, n_rules)},
};

static const struct scn_key job_keys[] = {
    {KEY("cpu", KT_NUM, scn_job, cpu), .def = "0.5", .rng = R_GT},
    {KEY("memory", KT_MEM, scn_job, memory_gib), .def = "1Gi", .rng = R_GT},
    {KEY("parallelism", KT_INT, scn_job, parallelism), .def = "1",
     .rng = R_GE, .lo = 1},
    {KEY("replica_completion_count", KT_INT, scn_job,
         replica_completion_count), .def = "1", .rng = R_GE, .lo = 1},
    {KEY("replica_timeout", KT_DUR, scn_job, replica_timeout_us),
     .def = "30m", .rng = R_GT},
    {KEY("replica_retry_limit", KT_INT, scn_job, replica_retry_limit),
     .def = "0", .rng = R_GE},
    {KEY("startup", KT_DIST, scn_job, startup),
     .def = "{dist: lognormal, median: 10s, p95: 40s}"},
    {KEY("claim", KT_DIST, scn_job, claim), .def = "0s"},
    {KEY("messages_per_replica", KT_INT, scn_job, messages_per_replica),
     .def = "1", .rng = R_GE},
    {KEY("receive_batch", KT_INT, scn_job, receive_batch), .def = "1",
     .rng = R_GE | R_LE, .lo = 1, .hi = 32},
    {ENUM("delete", scn_job, delete_mode, delete_names, "at_end")},
    {KEY("duration", KT_DIST, scn_job, duration),
     .def = "{dist: lognormal, mean: 2s, cv: 0.5}"},
    {KEY("failure_probability", KT_NUM, scn_job, failure_probability),
     .def = "0", .rng = R_GE | R_LE, .hi = 1},
    {KEY("exit_overhead", KT_DUR, scn_job, exit_overhead_us), .def = "0s"},
    {KEY("idle_exit", KT_DUR, scn_job, idle_exit_us), .def = "0s"},
};

static const struct scn_key downstream_keys[] = {
    {KEY("concurrency", KT_INT, scn_downstream, concurrency), .def = "0",
     .rng = R_GE},
    {KEY("rate", KT_RATE, scn_downstream, rate_per_s), .def = "0/s"},
    {KEY("burst", KT_NUM, scn_downstream, burst), .flags = KF_NULL,
     .aux = SCN_AUX(struct scn_downstream, has_burst), .rng = R_GE},
    {ENUM("on_limit", scn_downstream, on_limit, on_limit_names, "wait")},
};

static const struct scn_key dedicated_keys[] = {
    {KEY("node_vcpu", KT_NUM, scn_dedicated, node_vcpu), .def = "4",
     .rng = R_GT},
    {KEY("node_gib", KT_NUM, scn_dedicated, node_gib), .def = "16",
     .rng = R_GT},
    {KEY("vcpu_hour", KT_NUM, scn_dedicated, vcpu_hour), .def = "0.080859",
     .rng = R_GE},
    {KEY("gib_hour", KT_NUM, scn_dedicated, gib_hour), .def = "0.006638",
     .rng = R_GE},
    {KEY("management_hour", KT_NUM, scn_dedicated, management_hour),
     .def = "0.10", .rng = R_GE},
    {KEY("min_nodes", KT_INT, scn_dedicated, min_nodes), .def = "0",
     .rng = R_GE},
    {KEY("max_nodes", KT_INT, scn_dedicated, max_nodes), .def = "10",
     .rng = R_GE, .lo = 1},
};
static const struct scn_table dedicated_table = TABLE(dedicated_keys);

static const struct scn_key cost_keys[] = {
    {ENUM("plan", scn_cost, plan, plan_names, "consumption")},
    {KEY("vcpu_second", KT_NUM, scn_cost, vcpu_second), .def = "0.000024",
     .rng = R_GE},
    {KEY("gib_second", KT_NUM, scn_cost, gib_second), .def = "0.000003",
     .rng = R_GE},
    {KEY("free_grant", KT_BOOL, scn_cost, free_grant), .def = "false"},
    {KEY("bill_startup", KT_BOOL, scn_cost, bill_startup), .def = "true"},
    {KEY("billing_granularity", KT_DUR, scn_cost, billing_granularity_us),
     .def = "1s", .rng = R_GT},
    {KEY("dedicated", KT_SECTION, scn_cost, dedicated),
     .sub = &dedicated_table},
    {KEY("scaler_ops_per_poll", KT_NUM, scn_cost, scaler_ops_per_poll),
     .def = "2", .rng = R_GE},
    {KEY("ops_price_per_10k", KT_NUM, scn_cost, ops_price_per_10k),
     .flags = KF_NULL, .aux = SCN_AUX(struct scn_cost, has_ops_price),
     .rng = R_GE},
    {KEY("message_ops", KT_NUM, scn_cost, message_ops), .def = "3",
     .rng = R_GE},
    {KEY("log_bytes_per_execution", KT_NUM, scn_cost,
         log_bytes_per_execution), .def = "0", .rng = R_GE},
    {KEY("log_price_per_gb", KT_NUM, scn_cost, log_price_per_gb),
     .def = "2.30", .rng = R_GE},
    {KEY("month", KT_DUR, scn_cost, month_us), .def = "730h", .rng = R_GT},
};

/* cpu and memory default to job's (cross-key rule in the loader): `~` or
 * absent leaves them 0 here. */
static const struct scn_key baseline_keys[] = {
    {KEY("replicas", KT_INT, scn_baseline, replicas), .def = "4",
     .rng = R_GE, .lo = 1},
    {KEY("cpu", KT_NUM, scn_baseline, cpu), .flags = KF_NULL, .rng = R_GT},
    {KEY("memory", KT_MEM, scn_baseline, memory_gib), .flags = KF_NULL,
     .rng = R_GT},
    {KEY("idle_vcpu_second", KT_NUM, scn_baseline, idle_vcpu_second),
     .def = "0.000003", .rng = R_GE},
};

static const struct scn_key slo_keys[] = {
    {KEY("backlog_max", KT_NUM, scn_slo, backlog_max), .flags = KF_NULL,
     .aux = SCN_AUX(struct scn_slo, has_backlog_max), .rng = R_GE},
    {KEY("latency_p95", KT_DUR, scn_slo, latency_p95_us), .flags = KF_NULL,
     .aux = SCN_AUX(struct scn_slo, has_latency_p95)},
    {KEY("latency_max", KT_DUR, scn_slo, latency_max_us), .flags = KF_NULL,
     .aux = SCN_AUX(struct scn_slo, has_latency_max)},
    {KEY("unfinished_max", KT_NUM, scn_slo, unfinished_max), .flags = KF_NULL,
     .aux = SCN_AUX(struct scn_slo, has_unfinished_max), .def = "0",
     .rng = R_GE},
    {KEY("duplicate_completions_max", KT_NUM, scn_slo,
         duplicate_completions_max), .flags = KF_NULL, .rng = R_GE,
     .aux = SCN_AUX(struct scn_slo, has_duplicate_completions_max)},
    {KEY("confidence", KT_NUM, scn_slo, confidence), .def = "0.95",
     .rng = R_GT | R_LT, .hi = 1},
};

static const struct scn_key output_keys[] = {
    {KEY("dir", KT_STR, scn_output, dir), .flags = KF_NULL},
    {KEY("timeseries", KT_BOOL, scn_output, timeseries), .def = "true"},
    {KEY("executions", KT_BOOL, scn_output, executions), .def = "false"},
    {KEY("plots", KT_BOOL, scn_output, plots), .def = "true"},
};

static const struct scn_table source_table =
    DTABLE(source_keys, "this source is %s");
static const struct scn_table scale_table =
    DTABLE(scale_keys, "the strategy is %s");
static const struct scn_table job_table = TABLE(job_keys);
static const struct scn_table downstream_table = TABLE(downstream_keys);
static const struct scn_table cost_table = TABLE(cost_keys);
static const struct scn_table baseline_table = TABLE(baseline_keys);
static const struct scn_table slo_table = TABLE(slo_keys);
static const struct scn_table output_table = TABLE(output_keys);

static const struct scn_key top_keys[] = {
    {KEY("name", KT_STR, scenario, name)}, /* default: the file name */
    {KEY("description", KT_STR, scenario, description), .def = "\"\""},
    /* aca: refuse what ACA / KEDA cannot take (sub-second polling);
     * theoretical: allow it, with a warning (sim/io/support.c) */
    {ENUM("model", scenario, model, model_names, "aca")},
    {KEY("seed", KT_SEED, scenario, seed), .def = "1"},
    /* at most 1e6, like --replications: the plan counts them in 32 bits */
    {KEY("replications", KT_INT, scenario, replications), .def = "10",
     .rng = R_GE | R_LE, .lo = 1, .hi = 1000000},
    {KEY("horizon", KT_DUR, scenario, horizon_us), .flags = KF_NULL,
     .aux = SCN_AUX(struct scenario, has_horizon), .rng = R_GT},
    {KEY("drain_limit", KT_DUR, scenario, drain_limit_us), .def = "24h"},
    {KEY("warmup", KT_DUR, scenario, warmup_us), .def = "0s"},
    {KEY("sample_interval", KT_DUR, scenario, sample_interval_us),
     .flags = KF_NULL, .aux = SCN_AUX(struct scenario, has_sample_interval),
     .rng = R_GT},
    {KEY("arrivals", KT_ARRIVALS, scenario, arrivals), .flags = KF_REQ},
    {KEY("source", KT_SECTION, scenario, source), .sub = &source_table},
    {KEY("scale", KT_SECTION, scenario, scale), .sub = &scale_table},
    {KEY("job", KT_SECTION, scenario, job), .sub = &job_table},
    {KEY("downstream", KT_SECTION, scenario, downstream),
     .sub = &downstream_table},
    {KEY("cost", KT_SECTION, scenario, cost), .sub = &cost_table},
    {KEY("baseline", KT_SECTION, scenario, baseline), .flags = KF_NULL,
     .aux = offsetof(struct scenario, baseline) +
            SCN_AUX(struct scn_baseline, present),
     .sub = &baseline_table},
    {KEY("slo", KT_SECTION, scenario, slo), .flags = KF_NULL,
     .aux = offsetof(struct scenario, slo) + SCN_AUX(struct scn_slo, present),
     .sub = &slo_table},
    {KEY("sweep", KT_SWEEP, scenario, sweep)},
    {KEY("output", KT_SECTION, scenario, output), .sub = &output_table},
};

const struct scn_table scn__top = TABLE(top_keys);
