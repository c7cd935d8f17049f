/* sim/io/scn_keys.c - the key table of scenario format v1 and everything that
 * only reads it: the unit parsers (durations, memory, rates), the enum name
 * helpers, and the writers scn_print_yaml() and scn_to_json().
 *
 * The table is the single place where a key's name, type, default, range and
 * position in struct scenario are written down; the loader (scenario.c) and
 * both writers walk it, so adding a key is one line here plus the field in
 * scenario.h. Keys appear in the order of docs/scenario-format.md, which is
 * the order the writers use. */
#include "sim/io/scn_keys.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ---- enum names (index = enum value) ----------------------------------- */

static const char *const trace_format_names[] = {"events", "counts",
                                                 "counts_wide", NULL};
static const char *const time_format_names[] = {
    "auto", "iso8601", "epoch_s", "epoch_ms", "offset_s", "offset_ms", NULL};
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

/* ---- the tables -------------------------------------------------------- */

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
    /* KEDA's CRD minimum is 1 s; shorter intervals are accepted for what-if
     * and analytic checks (a 1 ms poll approximates continuous scaling). */
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
     .def = "0.004", .rng = R_GE},
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
    {KEY("seed", KT_SEED, scenario, seed), .def = "1"},
    {KEY("replications", KT_INT, scenario, replications), .def = "10",
     .rng = R_GE, .lo = 1},
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

/* ---- unit parsers ------------------------------------------------------ */

/* Read a decimal number at the start of s (no hex, inf or nan: only digits,
 * '.', exponent and signs). Sets *end after it. Returns false if there is no
 * number. */
static bool scan_number(const char *s, double *v, const char **end)
{
    size_t k = strspn(s, "0123456789.eE+-");
    if (k == 0 || strcspn(s, "0123456789") >= k)
        return false;
    char *e = NULL;
    errno = 0;
    *v = strtod(s, &e);
    if (e == s || (size_t)(e - s) > k)
        return false;
    *end = e;
    return true;
}

static const char *skip_spaces(const char *s)
{
    while (*s == ' ')
        s++;
    return s;
}

/* A unit suffix: a number written with it means number * mul / div. */
struct unit {
    const char *name;
    double mul, div;
};

/* Parse "<number>[sep] <unit>" against the n units of u (sep '\0': no
 * separator; spaces may stand before the unit, or after sep). *out gets
 * number * mul / div. SIM_EPARSE when there is no number or no unit
 * matches, SIM_ERANGE when the result is negative or not finite. */
static int parse_with_unit(const char *text, char sep, const struct unit *u,
                           size_t n, double *out)
{
    double v;
    const char *e;
    if (text == NULL || !scan_number(text, &v, &e))
        return SIM_EPARSE;
    if (sep != '\0') {
        if (*e != sep)
            return SIM_EPARSE;
        e++;
    }
    e = skip_spaces(e);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(e, u[i].name) != 0)
            continue;
        double r = v * u[i].mul / u[i].div;
        if (!isfinite(r) || r < 0.0)
            return SIM_ERANGE;
        *out = r;
        return SIM_OK;
    }
    return SIM_EPARSE;
}

int scn_parse_duration(const char *text, sim_time *out)
{
    static const struct unit units[] = {
        {"us", 1, 1},    {"ms", 1e3, 1},  {"s", 1e6, 1},     {"m", 6e7, 1},
        {"min", 6e7, 1}, {"h", 3.6e9, 1}, {"d", 8.64e10, 1}, {"", 1e6, 1}};
    double us;
    int rc = parse_with_unit(text, '\0', units,
                             sizeof units / sizeof units[0], &us);
    if (rc != SIM_OK)
        return rc;
    if (us > 1e17)
        return SIM_ERANGE;
    *out = (sim_time)llround(us);
    return SIM_OK;
}

int scn_parse_memory(const char *text, double *gib)
{
#define GIB 1073741824.0
    static const struct unit units[] = {
        {"Ki", 1024.0, GIB},       {"Mi", 1048576.0, GIB},
        {"Gi", 1073741824.0, GIB}, {"Ti", 1099511627776.0, GIB},
        {"K", 1e3, GIB},           {"M", 1e6, GIB},
        {"G", 1e9, GIB},           {"T", 1e12, GIB}};
#undef GIB
    return parse_with_unit(text, '\0', units, sizeof units / sizeof units[0],
                           gib);
}

int scn_parse_rate(const char *text, double *per_s)
{
    static const struct unit units[] = {
        {"s", 1, 1}, {"min", 1, 60}, {"m", 1, 60}, {"h", 1, 3600},
        {"d", 1, 86400}};
    return parse_with_unit(text, '/', units, sizeof units / sizeof units[0],
                           per_s);
}

/* ---- formatting -------------------------------------------------------- */

void scn__fmt_num(char *buf, size_t n, double x)
{
    if (x == floor(x) && fabs(x) < 1e15) {
        snprintf(buf, n, "%.0f", x);
        return;
    }
    if (fabs(x) >= 1e-7 && fabs(x) < 1e15) {
        for (int p = 1; p <= 24; p++) {
            snprintf(buf, n, "%.*f", p, x);
            if (strtod(buf, NULL) == x)
                return;
        }
    }
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, n, "%.*g", p, x);
        if (strtod(buf, NULL) == x)
            return;
    }
}

void scn__fmt_dur(char *buf, size_t n, sim_time us)
{
    static const struct {
        const char *u;
        int64_t us;
    } units[] = {{"d", INT64_C(86400000000)}, {"h", INT64_C(3600000000)},
                 {"m", INT64_C(60000000)}, {"s", INT64_C(1000000)},
                 {"ms", INT64_C(1000)}, {"us", 1}};
    if (us == 0) {
        snprintf(buf, n, "0s");
        return;
    }
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (us % units[i].us == 0) {
            snprintf(buf, n, "%" PRId64 "%s", us / units[i].us, units[i].u);
            return;
        }
    }
}

/* ---- field access ------------------------------------------------------ */

#define AT(base, off, type) ((type *)(void *)((char *)(base) + (off)))
#define CAT(base, off, type)                                                   \
    ((const type *)(const void *)((const char *)(base) + (off)))

/* The value of the table's discriminator (process kind), or -1. */
static int disc_value(const struct scn_table *t, const void *base)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->keys[i].flags & KF_DISC)
            return *CAT(base, t->keys[i].off, int);
    return -1;
}

static bool key_applies(const struct scn_key *k, int disc)
{
    return k->mask == 0 || (disc >= 0 && (k->mask & (1u << disc)) != 0);
}

/* false when the key is optional and currently unset (printed as ~). */
static bool key_is_set(const struct scn_key *k, const void *base)
{
    if ((k->flags & KF_NULL) && k->aux != 0)
        return *CAT(base, k->aux - 1, bool);
    if (k->type == KT_STR)
        return *CAT(base, k->off, char *) != NULL;
    return true;
}

/* ---- YAML writer -------------------------------------------------------- */

/* Printer state: a pending "- " for the first line of a list item, and the
 * scenario for the comments on cross-key defaults. */
struct pr {
    FILE *f;
    bool dash;
    const struct scenario *scn;
};

static void pr_indent(struct pr *p, int indent)
{
    if (p->dash) {
        fprintf(p->f, "%*s- ", indent - 2, "");
        p->dash = false;
    } else {
        fprintf(p->f, "%*s", indent, "");
    }
}

/* Write s as a double-quoted YAML scalar. */
static void put_quoted(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '"' || *c == '\\')
            fprintf(f, "\\%c", *c);
        else if (*c == '\n')
            fputs("\\n", f);
        else if (*c == '\t')
            fputs("\\t", f);
        else if (*c < 0x20 || *c == 0x7f)
            fprintf(f, "\\x%02x", *c);
        else
            fputc(*c, f);
    }
    fputc('"', f);
}

static void put_param(FILE *f, double v, bool dur)
{
    char b[64];
    if (dur)
        scn__fmt_dur(b, sizeof b, sim_from_s(v));
    else
        scn__fmt_num(b, sizeof b, v);
    fputs(b, f);
}

/* Write the keys of a distribution ("dist: ..., median: 10s, ...") without
 * braces. counts: parameters are plain numbers, not durations. */
static void put_dist_keys(FILE *f, const struct dist *d, bool counts)
{
    const struct scn_form *fm = &scn__forms[d->form];
    fprintf(f, "dist: %s", scn__dist_names[d->kind]);
    if (d->kind == DIST_EMPIRICAL) {
        fputs(", path: ", f);
        put_quoted(f, d->path_as_written ? d->path_as_written : "");
        fputs(", column: ", f);
        put_quoted(f, d->column ? d->column : "");
    } else if (d->kind == DIST_MIXTURE) {
        fputs(", parts: [", f);
        for (size_t i = 0; i < d->n_parts; i++) {
            char b[64];
            scn__fmt_num(b, sizeof b, d->weights[i]);
            fprintf(f, "%s{weight: %s, ", i ? ", " : "", b);
            put_dist_keys(f, &d->parts[i], counts);
            fputc('}', f);
        }
        fputc(']', f);
    } else {
        fprintf(f, ", %s: ", fm->a);
        put_param(f, d->given[0], fm->a_dur && !counts);
        if (fm->b != NULL) {
            fprintf(f, ", %s: ", fm->b);
            put_param(f, d->given[1], fm->b_dur && !counts);
        }
    }
}

static void print_table(struct pr *p, const struct scn_table *t,
                        const void *base, int indent);

static void print_key(struct pr *p, const struct scn_key *k, const void *base,
                      int indent)
{
    FILE *f = p->f;
    const struct scenario *scn = p->scn;
    char b[64];
    pr_indent(p, indent);
    fprintf(f, "%s:", k->name);
    if (!key_is_set(k, base)) {
        if (k->type == KT_SECTION) {
            fputs(" ~\n", f);
            return;
        }
        fputs(" ~", f);
        if (strcmp(k->name, "sample_interval") == 0) {
            scn__fmt_dur(b, sizeof b, scn->sample_interval_us);
            fprintf(f, "    # scale.polling_interval = %s", b);
        } else if (strcmp(k->name, "burst") == 0) {
            scn__fmt_num(b, sizeof b, scn->downstream.burst);
            fprintf(f, "    # one second of rate = %s", b);
        }
        fputc('\n', f);
        return;
    }
    switch (k->type) {
    case KT_STR:
        fputc(' ', f);
        put_quoted(f, *CAT(base, k->off, char *));
        break;
    case KT_PATH: {
        const char *s = *CAT(base, k->aux - 1, char *);
        fputc(' ', f);
        put_quoted(f, s ? s : "");
        break;
    }
    case KT_DUR:
        scn__fmt_dur(b, sizeof b, *CAT(base, k->off, sim_time));
        fprintf(f, " %s", b);
        break;
    case KT_MEM:
        scn__fmt_num(b, sizeof b, *CAT(base, k->off, double));
        fprintf(f, " %sGi", b);
        break;
    case KT_RATE:
        scn__fmt_num(b, sizeof b, *CAT(base, k->off, double));
        fprintf(f, " %s/s", b);
        break;
    case KT_INT:
        fprintf(f, " %" PRId64, *CAT(base, k->off, int64_t));
        break;
    case KT_SEED:
        fprintf(f, " %" PRIu32, *CAT(base, k->off, uint32_t));
        break;
    case KT_NUM:
        scn__fmt_num(b, sizeof b, *CAT(base, k->off, double));
        fprintf(f, " %s", b);
        break;
    case KT_BOOL:
        fputs(*CAT(base, k->off, bool) ? " true" : " false", f);
        break;
    case KT_ENUM:
        fprintf(f, " %s", k->names[*CAT(base, k->off, int)]);
        break;
    case KT_DIST:
    case KT_CDIST:
        fputs(" {", f);
        put_dist_keys(f, CAT(base, k->off, struct dist), k->type == KT_CDIST);
        fputc('}', f);
        break;
    case KT_SECTION:
        fputc('\n', f);
        print_table(p, k->sub, CAT(base, k->off, char), indent + 2);
        return;
    case KT_LIST: {
        const char *items = *CAT(base, k->off, char *);
        size_t n = *CAT(base, k->aux - 1, size_t);
        fputc('\n', f);
        for (size_t i = 0; i < n; i++) {
            p->dash = true;
            print_table(p, k->sub, items + i * k->elem, indent + 4);
        }
        return;
    }
    case KT_ARRIVALS: {
        fputc('\n', f);
        int in = scn->arrivals_is_list ? indent + 4 : indent + 2;
        for (size_t i = 0; i < scn->n_arrivals; i++) {
            const struct scn_arrival_item *a = &scn->arrivals[i];
            p->dash = scn->arrivals_is_list;
            pr_indent(p, in);
            fprintf(f, "%s:\n", a->is_trace ? "trace" : "process");
            if (a->is_trace)
                print_table(p, &scn__trace, &a->trace, in + 2);
            else
                print_table(p, &scn__process, &a->process, in + 2);
        }
        return;
    }
    case KT_SWEEP:
        if (scn->n_sweep == 0)
            fputs(" {}", f);
        for (size_t i = 0; i < scn->n_sweep; i++) {
            const struct scn_axis *ax = &scn->sweep[i];
            fprintf(f, "\n%*s%s: [", indent + 2, "", ax->path);
            for (size_t j = 0; j < ax->n_values; j++)
                fprintf(f, "%s%s", j ? ", " : "", ax->values[j]);
            fputc(']', f);
        }
        break;
    }
    fputc('\n', f);
}

static void print_table(struct pr *p, const struct scn_table *t,
                        const void *base, int indent)
{
    int disc = disc_value(t, base);
    for (size_t i = 0; i < t->n; i++)
        if (key_applies(&t->keys[i], disc))
            print_key(p, &t->keys[i], base, indent);
}

int scn_print_yaml(FILE *out, const struct scenario *scn)
{
    struct pr p = {out, false, scn};
    fprintf(out, "# burstsim scenario (format v1), every default filled in\n");
    print_table(&p, &scn__top, scn, 0);
    return ferror(out) ? SIM_EIO : SIM_OK;
}

/* ---- JSON writer -------------------------------------------------------- */

static json_t *json_dist(const struct dist *d, bool counts)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    const struct scn_form *fm = &scn__forms[d->form];
    json_object_set_new(o, "dist", json_string(scn__dist_names[d->kind]));
    if (d->kind == DIST_EMPIRICAL) {
        json_object_set_new(o, "path", json_string(d->path_as_written
                                                       ? d->path_as_written
                                                       : ""));
        json_object_set_new(o, "column", json_string(d->column ? d->column
                                                               : ""));
        json_object_set_new(o, "n_values",
                            json_integer((json_int_t)d->n_values));
    } else if (d->kind == DIST_MIXTURE) {
        json_t *a = json_array();
        for (size_t i = 0; i < d->n_parts; i++) {
            json_t *part = json_dist(&d->parts[i], counts);
            if (part != NULL)
                json_object_set_new(part, "weight", json_real(d->weights[i]));
            json_array_append_new(a, part);
        }
        json_object_set_new(o, "parts", a);
    } else {
        json_object_set_new(o, fm->a, json_real(d->given[0]));
        if (fm->b != NULL)
            json_object_set_new(o, fm->b, json_real(d->given[1]));
    }
    json_object_set_new(o, counts ? "mean" : "mean_s",
                        json_real(dist_mean_s(d)));
    return o;
}

static json_t *json_table(const struct scn_table *t, const void *base,
                          const struct scenario *scn);

static json_t *json_key(const struct scn_key *k, const void *base,
                        const struct scenario *scn)
{
    if (!key_is_set(k, base)) {
        /* the resolved value of a cross-key default, else null */
        if (strcmp(k->name, "sample_interval") == 0)
            return json_real(sim_to_s(scn->sample_interval_us));
        if (strcmp(k->name, "burst") == 0)
            return json_real(scn->downstream.burst);
        return json_null();
    }
    switch (k->type) {
    case KT_STR:
        return json_string(*CAT(base, k->off, char *));
    case KT_PATH: {
        const char *s = *CAT(base, k->aux - 1, char *);
        return json_string(s ? s : "");
    }
    case KT_DUR:
        return json_real(sim_to_s(*CAT(base, k->off, sim_time)));
    case KT_MEM:
    case KT_RATE:
    case KT_NUM:
        return json_real(*CAT(base, k->off, double));
    case KT_INT:
        return json_integer((json_int_t)*CAT(base, k->off, int64_t));
    case KT_SEED:
        return json_integer((json_int_t)*CAT(base, k->off, uint32_t));
    case KT_BOOL:
        return json_boolean(*CAT(base, k->off, bool));
    case KT_ENUM:
        return json_string(k->names[*CAT(base, k->off, int)]);
    case KT_DIST:
    case KT_CDIST:
        return json_dist(CAT(base, k->off, struct dist), k->type == KT_CDIST);
    case KT_SECTION:
        return json_table(k->sub, CAT(base, k->off, char), scn);
    case KT_LIST: {
        const char *items = *CAT(base, k->off, char *);
        size_t n = *CAT(base, k->aux - 1, size_t);
        json_t *a = json_array();
        for (size_t i = 0; a != NULL && i < n; i++)
            json_array_append_new(a, json_table(k->sub, items + i * k->elem,
                                                scn));
        return a;
    }
    case KT_ARRIVALS: {
        json_t *a = json_array();
        for (size_t i = 0; a != NULL && i < scn->n_arrivals; i++) {
            const struct scn_arrival_item *it = &scn->arrivals[i];
            json_t *o = json_object();
            if (it->is_trace)
                json_object_set_new(o, "trace",
                                    json_table(&scn__trace, &it->trace, scn));
            else
                json_object_set_new(o, "process",
                                    json_table(&scn__process, &it->process,
                                               scn));
            json_array_append_new(a, o);
        }
        if (a != NULL && !scn->arrivals_is_list && json_array_size(a) == 1) {
            json_t *one = json_incref(json_array_get(a, 0));
            json_decref(a);
            return one;
        }
        return a;
    }
    case KT_SWEEP: {
        json_t *o = json_object();
        for (size_t i = 0; o != NULL && i < scn->n_sweep; i++) {
            json_t *a = json_array();
            for (size_t j = 0; j < scn->sweep[i].n_values; j++)
                json_array_append_new(a, json_string(scn->sweep[i].values[j]));
            json_object_set_new(o, scn->sweep[i].path, a);
        }
        return o;
    }
    }
    return json_null();
}

static json_t *json_table(const struct scn_table *t, const void *base,
                          const struct scenario *scn)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    int disc = disc_value(t, base);
    for (size_t i = 0; i < t->n; i++) {
        const struct scn_key *k = &t->keys[i];
        if (!key_applies(k, disc))
            continue;
        json_t *v = json_key(k, base, scn);
        if (v == NULL || json_object_set_new(o, k->name, v) != 0) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

void *scn_to_json(const struct scenario *scn)
{
    return json_table(&scn__top, scn, scn);
}
