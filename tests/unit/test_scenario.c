/* tests/unit/test_scenario.c - the scenario loader (sim/io/scenario.c and scn_*.c,
 * the key tables in sim/io/scn_keys.c): value units, defaults, error locations and messages,
 * --set overrides, key locations, sweep axes, the YAML / JSON writers and
 * the print -> load round trip. Expected values are written out by hand
 * from docs/scenario-format.md, not computed with the code under test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "sim/io/scenario.h"

/* |a - b| <= eps, printing both on failure (cmocka 1.1 has no doubles). */
#define assert_near(a, b, eps)                                                 \
    do {                                                                       \
        double a_ = (a), b_ = (b);                                             \
        if (!(fabs(a_ - b_) <= (eps)))                                         \
            fail_msg("%s = %.17g, want %.17g", #a, a_, b_);                    \
    } while (0)

#define MIN_YAML "horizon: 1h\narrivals:\n  process: {kind: poisson, rate: 5/s}\n"

/* Load text as "t.yaml" in folder /tmp; returns the code. */
static int load(struct scenario *s, const char *text, struct diag *d)
{
    return scn_load_string(s, text, "t.yaml", "/tmp", NULL, 0, d);
}

/* Expect loading text to fail at line:col with a message starting msg. */
static void expect_err(const char *text, int line, int col, const char *msg)
{
    struct scenario s;
    struct diag d;
    int rc = load(&s, text, &d);
    if (rc == 0 || d.line != line || d.col != col ||
        strncmp(d.msg, msg, strlen(msg)) != 0) {
        char b[1400];
        print_error("input:\n%s\ngot rc %d: %s\nwant %d:%d: %s\n", text, rc,
                    diag_format(&d, b, sizeof b), line, col, msg);
        fail();
    }
    assert_string_equal(d.file, "t.yaml");
    /* nothing to free, and the struct is zeroed */
    assert_null(s.arrivals);
    assert_null(s.file);
    assert_int_equal(s.n_locs, 0);
}

/* ---- units ------------------------------------------------------------- */

static void units_duration(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int64_t us;
    } ok[] = {{"500ms", 500000},       {"1.5h", INT64_C(5400000000)},
              {"2d", INT64_C(172800000000)}, {"30", 30000000},
              {"250us", 250},          {"5min", 300000000},
              {"5m", 300000000},       {"30s", 30000000},
              {"0", 0},                {"2.385s", 2385000},
              {"0.5 s", 500000}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        sim_time t = -1;
        assert_int_equal(scn_parse_duration(ok[i].text, &t), SIM_OK);
        assert_int_equal(t, ok[i].us);
    }
    static const char *const bad[] = {"thirty", "5x", "", "s", "0x10s",
                                      "nan", "inf", "5 parsecs", "1e999s",
                                      "--1s", "5ss"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sim_time t;
        assert_int_not_equal(scn_parse_duration(bad[i], &t), SIM_OK);
    }
    sim_time t;
    assert_int_equal(scn_parse_duration("-5s", &t), SIM_ERANGE);
}

static void units_memory_rate(void **state)
{
    (void)state;
    double g;
    assert_int_equal(scn_parse_memory("512Mi", &g), SIM_OK);
    assert_true(g == 0.5);
    assert_int_equal(scn_parse_memory("1G", &g), SIM_OK);
    assert_true(g == 1e9 / 1073741824.0);
    assert_int_equal(scn_parse_memory("0.5Gi", &g), SIM_OK);
    assert_true(g == 0.5);
    assert_int_equal(scn_parse_memory("2048Ki", &g), SIM_OK);
    assert_true(g == 2048.0 * 1024.0 / 1073741824.0);
    assert_int_equal(scn_parse_memory("512", &g), SIM_EPARSE);
    assert_int_not_equal(scn_parse_memory("1Gb", &g), SIM_OK);
    assert_int_not_equal(scn_parse_memory("-1Gi", &g), SIM_OK);

    double r;
    assert_int_equal(scn_parse_rate("5/s", &r), SIM_OK);
    assert_true(r == 5.0);
    assert_int_equal(scn_parse_rate("300/min", &r), SIM_OK);
    assert_true(r == 5.0);
    assert_int_equal(scn_parse_rate("2/h", &r), SIM_OK);
    assert_true(r == 2.0 / 3600.0);
    assert_int_equal(scn_parse_rate("0/s", &r), SIM_OK);
    assert_true(r == 0.0);
    assert_int_not_equal(scn_parse_rate("5", &r), SIM_OK);
    assert_int_not_equal(scn_parse_rate("5/fortnight", &r), SIM_OK);
    assert_int_not_equal(scn_parse_rate("-1/s", &r), SIM_OK);
}

/* ---- defaults ------------------------------------------------------------ */

static void defaults_filled(void **state)
{
    (void)state;
    struct scenario s;
    struct diag d;
    assert_int_equal(load(&s, MIN_YAML, &d), 0);
    assert_string_equal(s.name, "t");
    assert_string_equal(s.description, "");
    assert_int_equal(s.seed, 1);
    assert_int_equal(s.replications, 10);
    assert_true(s.has_horizon);
    assert_int_equal(s.horizon_us, INT64_C(3600000000));
    assert_int_equal(s.drain_limit_us, INT64_C(86400000000));
    assert_int_equal(s.warmup_us, 0);
    assert_false(s.has_sample_interval);
    assert_int_equal(s.sample_interval_us, 30000000);
    assert_int_equal(s.n_arrivals, 1);
    assert_false(s.arrivals_is_list);
    assert_false(s.arrivals[0].is_trace);
    assert_int_equal(s.arrivals[0].process.kind, PROC_POISSON);
    assert_true(s.arrivals[0].process.rate_per_s == 5.0);
    /* source */
    assert_int_equal(s.source.kind, SRC_STORAGE_QUEUE);
    assert_int_equal(s.source.visibility_timeout_us, 30000000);
    /* lock_duration does not apply to a storage queue: not filled */
    assert_int_equal(s.source.lock_duration_us, 0);
    assert_false(s.source.lock_renewal);
    assert_int_equal(s.source.max_delivery_count, 0);
    assert_false(s.source.has_message_ttl);
    assert_int_equal(s.source.count_lag_us, 0);
    /* scale */
    assert_int_equal(s.scale.polling_interval_us, 30000000);
    assert_int_equal(s.scale.min_executions, 0);
    assert_int_equal(s.scale.max_executions, 100);
    assert_int_equal(s.scale.strategy, STRAT_DEFAULT);
    assert_false(s.scale.has_custom_running_job_percentage);
    assert_int_equal(s.scale.pending, PENDING_NOT_RUNNING);
    assert_int_equal(s.scale.multiple_scalers_calculation, CALC_MAX);
    assert_int_equal(s.scale.n_rules, 1);
    assert_string_equal(s.scale.rules[0].name, "queue");
    assert_int_equal(s.scale.rules[0].type, RULE_AZURE_QUEUE);
    assert_int_equal(s.scale.rules[0].queue_length, 5);
    assert_int_equal(s.scale.rules[0].activation_queue_length, 0);
    assert_int_equal(s.scale.rules[0].queue_length_strategy, QLS_ALL);
    /* job */
    assert_true(s.job.cpu == 0.5);
    assert_true(s.job.memory_gib == 1.0);
    assert_int_equal(s.job.parallelism, 1);
    assert_int_equal(s.job.replica_completion_count, 1);
    assert_int_equal(s.job.replica_timeout_us, INT64_C(1800000000));
    assert_int_equal(s.job.startup.kind, DIST_LOGNORMAL);
    assert_int_equal(s.job.startup.form, DFORM_MEDIAN_P95);
    assert_near(s.job.startup.p1, log(10.0), 1e-12);
    /* z0.95 = 1.6448536269514722 */
    assert_near(s.job.startup.p2,
                        (log(40.0) - log(10.0)) / 1.6448536269514722, 1e-12);
    assert_int_equal(s.job.claim.kind, DIST_FIXED);
    assert_true(s.job.claim.p1 == 0.0);
    assert_int_equal(s.job.duration.kind, DIST_LOGNORMAL);
    assert_int_equal(s.job.duration.form, DFORM_MEAN_CV);
    assert_near(dist_mean_s(&s.job.duration), 2.0, 1e-12);
    assert_int_equal(s.job.messages_per_replica, 1);
    assert_int_equal(s.job.receive_batch, 1);
    assert_int_equal(s.job.delete_mode, DELETE_AT_END);
    assert_true(s.job.failure_probability == 0.0);
    /* downstream, cost */
    assert_int_equal(s.downstream.concurrency, 0);
    assert_false(s.downstream.has_burst);
    assert_int_equal(s.downstream.on_limit, ON_LIMIT_WAIT);
    assert_int_equal(s.cost.plan, PLAN_CONSUMPTION);
    assert_true(s.cost.vcpu_second == 0.000024);
    assert_true(s.cost.gib_second == 0.000003);
    assert_false(s.cost.free_grant);
    assert_true(s.cost.bill_startup);
    assert_int_equal(s.cost.billing_granularity_us, 1000000);
    assert_true(s.cost.dedicated.node_vcpu == 4.0);
    assert_true(s.cost.dedicated.node_gib == 16.0);
    assert_true(s.cost.dedicated.vcpu_hour == 0.080859);
    assert_true(s.cost.dedicated.gib_hour == 0.006638);
    assert_true(s.cost.dedicated.management_hour == 0.10);
    assert_int_equal(s.cost.dedicated.max_nodes, 10);
    assert_true(s.cost.scaler_ops_per_poll == 2.0);
    assert_true(s.cost.ops_price_per_10k == 0.004);
    assert_true(s.cost.message_ops == 3.0);
    assert_true(s.cost.log_price_per_gb == 2.30);
    assert_int_equal(s.cost.month_us, INT64_C(730) * 3600 * 1000000);
    /* baseline absent, defaults still filled from job */
    assert_false(s.baseline.present);
    assert_int_equal(s.baseline.replicas, 4);
    assert_true(s.baseline.cpu == 0.5);
    assert_true(s.baseline.memory_gib == 1.0);
    assert_true(s.baseline.idle_vcpu_second == 0.000003);
    /* slo */
    assert_true(s.slo.has_unfinished_max);
    assert_true(s.slo.unfinished_max == 0.0);
    assert_false(s.slo.has_latency_max);
    assert_false(s.slo.has_duplicate_completions_max);
    assert_true(s.slo.confidence == 0.95);
    /* sweep, output */
    assert_int_equal(s.n_sweep, 0);
    assert_null(s.output.dir);
    assert_true(s.output.timeseries);
    assert_false(s.output.executions);
    assert_true(s.output.plots);
    /* nothing of the defaults has a location */
    assert_null(scn_loc(&s, "job.cpu"));
    assert_non_null(scn_loc(&s, "horizon"));
    scn_fini(&s);
    scn_fini(&s); /* twice is fine */
}

static void defaults_cross_key(void **state)
{
    (void)state;
    struct scenario s;
    struct diag d;
    const char *y = MIN_YAML
        "source: {kind: service-bus}\n"
        "scale: {polling_interval: 10s, rules: [{queue_length: 3}, "
        "{type: azure-servicebus}]}\n"
        "job: {cpu: 1, memory: 2Gi}\n"
        "downstream: {rate: 20/s}\n"
        "baseline: {replicas: 2}\n";
    assert_int_equal(load(&s, y, &d), 0);
    assert_int_equal(s.sample_interval_us, 10000000);
    assert_int_equal(s.scale.rules[0].type, RULE_AZURE_SERVICEBUS);
    assert_int_equal(s.scale.rules[1].type, RULE_AZURE_SERVICEBUS);
    assert_int_equal(s.source.lock_duration_us, 60000000);
    assert_int_equal(s.source.visibility_timeout_us, 0); /* not for SB */
    assert_true(s.baseline.present);
    assert_true(s.baseline.cpu == 1.0);
    assert_true(s.baseline.memory_gib == 2.0);
    assert_false(s.downstream.has_burst);
    assert_true(s.downstream.burst == 20.0);
    scn_fini(&s);

    /* name from the file name, trace path resolved against the folder */
    char dir[] = "/tmp/scntestXXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/claims.yml", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("arrivals:\n  trace: {path: traces/a.csv, format: counts}\n", f);
    fclose(f);
    assert_int_equal(scn_load(&s, path, NULL, 0, &d), 0);
    assert_string_equal(s.name, "claims");
    assert_string_equal(s.base_dir, dir);
    char want[300];
    snprintf(want, sizeof want, "%s/traces/a.csv", dir);
    assert_string_equal(s.arrivals[0].trace.path, want);
    assert_string_equal(s.arrivals[0].trace.path_as_written, "traces/a.csv");
    assert_int_equal(s.arrivals[0].trace.format, TRACE_COUNTS);
    assert_int_equal(s.arrivals[0].trace.interval_us, 60000000);
    assert_false(s.has_horizon); /* a trace: its span */
    const struct scn_loc *l = scn_loc(&s, "arrivals.trace.format");
    assert_non_null(l);
    assert_string_equal(l->file, path);
    assert_int_equal(l->line, 2);
    assert_int_equal(l->col, 39);
    scn_fini(&s);
    unlink(path);
    rmdir(dir);

    /* missing file */
    assert_int_equal(scn_load(&s, "/nonexistent/x.yaml", NULL, 0, &d),
                     SIM_EIO);
    assert_string_equal(d.file, "/nonexistent/x.yaml");
}

/* ---- errors ------------------------------------------------------------ */

static void errors_located(void **state)
{
    (void)state;
    expect_err(MIN_YAML "job:\n  cpux: 1\n", 5, 3,
               "job.cpux: unknown key (expected one of: cpu, memory, "
               "parallelism,");
    expect_err(MIN_YAML "scale:\n  polling_interval: thirty\n", 5, 21,
               "scale.polling_interval: expected a duration like 30s, got "
               "\"thirty\"");
    expect_err(MIN_YAML "job:\n  replica_timeout: -5s\n", 5, 20,
               "job.replica_timeout: expected a duration from 0 to 1e11 s "
               "(3,170 years), got \"-5s\"");
    expect_err(MIN_YAML "job:\n  cpu: {a: 1}\n", 5, 8,
               "job.cpu: expected a number, got a mapping");
    expect_err(MIN_YAML "job:\n  memory: 512\n", 5, 11,
               "job.memory: expected a memory size like 0.5Gi or 512Mi, got "
               "\"512\"");
    expect_err(MIN_YAML "scale: [1, 2]\n", 4, 8,
               "scale: expected a mapping, got a list");
    expect_err(MIN_YAML "seed: 1\nseed: 2\n", 5, 1, "seed: duplicate key");
    expect_err(MIN_YAML "job: {cpu: 1, cpu: 2}\n", 4, 15,
               "job.cpu: duplicate key");
    expect_err(MIN_YAML "source: {kind: kafka}\n", 4, 16,
               "source.kind: expected one of storage-queue, service-bus, got "
               "\"kafka\"");
    expect_err(MIN_YAML "output: {plots: yes}\n", 4, 17,
               "output.plots: expected true or false, got \"yes\"");
    expect_err(MIN_YAML "nmae: x\n", 4, 1,
               "nmae: unknown key (expected one of: name, description,");
    /* YAML syntax errors carry the parser's position */
    expect_err("a: b: c\n", 1, 5, "YAML syntax error: mapping values are "
                                  "not allowed");
    expect_err("job:\n  cpu: [1, 2\n", 3, 1, "YAML syntax error: did not "
                                             "find expected");
    /* structure */
    expect_err("seed: 3\n", 1, 1, "arrivals: missing");
    expect_err("arrivals:\n  process: {kind: poisson, rate: 1/s}\n", 1, 1,
               "horizon: required when arrivals is a process");
    expect_err("horizon: 1h\narrivals:\n  trace: {path: a.csv}\n  process: "
               "{kind: poisson, rate: 1/s}\n", 4, 3,
               "arrivals: give exactly one of trace or process");
    expect_err("horizon: 1h\narrivals:\n  traec: {path: a.csv}\n", 3, 3,
               "arrivals.traec: unknown key (expected one of: trace, "
               "process)");
    expect_err("horizon: 1h\narrivals:\n  process: {kind: poisson}\n", 3, 12,
               "arrivals.process.rate: missing (required for kind poisson)");
    expect_err("horizon: 1h\narrivals:\n  process: {kind: poisson, rate: "
               "1/s, mean: 2/s}\n", 3, 39,
               "arrivals.process.mean: not a key of kind poisson");
    expect_err("horizon: 1h\narrivals:\n  - process: {kind: poisson, rate: "
               "5}\n", 3, 36,
               "arrivals[0].process.rate: expected a rate like 5/s");
    expect_err("horizon: 1h\narrivals:\n  process: {kind: piecewise, steps: "
               "[{at: 1h, rate: 1/s}, {at: 30m, rate: 2/s}]}\n", 3, 64,
               "arrivals.process.steps[1].at: expected a time after");
    expect_err(MIN_YAML "warmup: 2h\n", 4, 9,
               "warmup: expected less than horizon");
    expect_err(MIN_YAML "sweep:\n  scale.max_exec: [1, 2]\n", 5, 3,
               "sweep.scale.max_exec: unknown key path");
    expect_err(MIN_YAML "sweep:\n  scale.max_executions: []\n", 5, 25,
               "sweep.scale.max_executions: expected a non-empty list");
}

/* A key that does not apply to the source kind, the rule type or the
 * strategy is refused, naming the key, what it applies to and what this
 * scenario has (issue 10; these were silently ignored before). */
static void errors_key_applies(void **state)
{
    (void)state;
    expect_err(MIN_YAML "source: {kind: service-bus, visibility_timeout: "
               "5m}\n", 4, 29,
               "source.visibility_timeout: applies only to source.kind "
               "storage-queue, this source is service-bus");
    expect_err(MIN_YAML "source: {kind: storage-queue, lock_duration: 2m}\n",
               4, 31,
               "source.lock_duration: applies only to source.kind "
               "service-bus, this source is storage-queue");
    /* the kind's default counts as the kind */
    expect_err(MIN_YAML "source:\n  lock_duration: 2m\n", 5, 3,
               "source.lock_duration: applies only to source.kind "
               "service-bus, this source is storage-queue");
    expect_err(MIN_YAML "source: {kind: service-bus}\n"
               "scale:\n  rules:\n    - {queue_length: 2, "
               "queue_length_strategy: visibleonly}\n", 7, 25,
               "scale.rules[0].queue_length_strategy: applies only to "
               "scale.rules[0].type azure-queue, this rule is "
               "azure-servicebus");
    expect_err(MIN_YAML "scale:\n  rules: [{name: a}, {type: "
               "azure-servicebus}]\n", 5, 29,
               "scale.rules[1].type: azure-servicebus applies only to "
               "source.kind service-bus, this source is storage-queue");
    expect_err(MIN_YAML "source: {kind: service-bus}\nscale: {rules: [{type: "
               "azure-queue}]}\n", 5, 24,
               "scale.rules[0].type: azure-queue applies only to source.kind "
               "storage-queue, this source is service-bus");
    expect_err(MIN_YAML "scale: {strategy: accurate, "
               "custom_queue_length_deduction: 1}\n", 4, 29,
               "scale.custom_queue_length_deduction: applies only to "
               "scale.strategy custom, the strategy is accurate");
    expect_err(MIN_YAML "scale: {custom_running_job_percentage: 0.5}\n", 4,
               9, "scale.custom_running_job_percentage: applies only to "
               "scale.strategy custom, the strategy is default");
    /* a null value is still a written key */
    expect_err(MIN_YAML "scale: {strategy: eager, "
               "custom_running_job_percentage: ~}\n", 4, 26,
               "scale.custom_running_job_percentage: applies only to "
               "scale.strategy custom, the strategy is eager");

    /* --set and sweep configurations are checked the same way: each
     * configuration is one load with its overrides */
    struct scenario s;
    struct diag d;
    const char *y = MIN_YAML "scale:\n  strategy: custom\n"
                             "  custom_running_job_percentage: 0.5\n";
    struct scn_override ov[1] = {{"scale.strategy", "default"}};
    assert_int_equal(scn_load_string(&s, y, "t.yaml", NULL, ov, 1, &d),
                     SIM_EPARSE);
    assert_string_equal(d.file, "t.yaml");
    assert_int_equal(d.line, 6);
    assert_int_equal(d.col, 3);
    assert_string_equal(d.msg, "scale.custom_running_job_percentage: "
                               "applies only to scale.strategy custom, the "
                               "strategy is default");
    struct scn_override ov2[1] = {{"source.kind", "service-bus"}};
    assert_int_equal(scn_load_string(&s, MIN_YAML "source:\n  "
                                     "visibility_timeout: 1m\n", "t.yaml",
                                     NULL, ov2, 1, &d), SIM_EPARSE);
    assert_string_equal(d.msg, "source.visibility_timeout: applies only to "
                               "source.kind storage-queue, this source is "
                               "service-bus");
    struct scn_override ov3[1] = {{"source.lock_duration", "1m"}};
    assert_int_equal(scn_load_string(&s, MIN_YAML, "t.yaml", NULL, ov3, 1,
                                     &d), SIM_EPARSE);
    assert_string_equal(d.file, "--set");
    assert_string_equal(d.msg, "source.lock_duration: applies only to "
                               "source.kind service-bus, this source is "
                               "storage-queue");
    /* switching the kind by --set switches the default rule type along */
    assert_int_equal(scn_load_string(&s, MIN_YAML, "t.yaml", NULL, ov2, 1,
                                     &d), 0);
    assert_int_equal(s.scale.rules[0].type, RULE_AZURE_SERVICEBUS);
    scn_fini(&s);
    /* the keys that apply load */
    assert_int_equal(load(&s, y, &d), 0);
    assert_int_equal(s.scale.strategy, STRAT_CUSTOM);
    assert_true(s.scale.has_custom_running_job_percentage);
    scn_fini(&s);
}

static void errors_ranges(void **state)
{
    (void)state;
    expect_err(MIN_YAML "replications: 0\n", 4, 15,
               "replications: expected an integer in [1, 1000000], got \"0\"");
    expect_err(MIN_YAML "scale: {polling_interval: 0s}\n", 4, 27,
               "scale.polling_interval: expected a duration > 0s, got "
               "\"0s\"");
    expect_err(MIN_YAML "scale: {max_executions: 0}\n", 4, 25,
               "scale.max_executions: expected an integer >= 1");
    expect_err(MIN_YAML "scale: {min_executions: -1}\n", 4, 25,
               "scale.min_executions: expected an integer >= 0");
    expect_err(MIN_YAML "scale: {min_executions: 5, max_executions: 4}\n", 4,
               25, "scale.min_executions: expected at most");
    expect_err(MIN_YAML "scale: {rules: [{queue_length: 0}]}\n", 4, 32,
               "scale.rules[0].queue_length: expected an integer >= 1");
    expect_err(MIN_YAML "job: {cpu: 0}\n", 4, 12,
               "job.cpu: expected a number > 0, got \"0\"");
    expect_err(MIN_YAML "job: {failure_probability: 1.5}\n", 4, 28,
               "job.failure_probability: expected a number in [0, 1], got "
               "\"1.5\"");
    expect_err(MIN_YAML "source: {kind: service-bus, lock_duration: 6m}\n",
               4, 44,
               "source.lock_duration: expected a duration in (0s, 5m], got "
               "\"6m\"");
    expect_err(MIN_YAML "job: {receive_batch: 33}\n", 4, 22,
               "job.receive_batch: expected an integer in [1, 32]");
    expect_err(MIN_YAML "slo: {confidence: 1}\n", 4, 19,
               "slo.confidence: expected a number in (0, 1)");
    expect_err(MIN_YAML "job: {parallelism: 2, replica_completion_count: 3}\n",
               4, 49, "job.replica_completion_count: expected at most");
    expect_err("arrivals:\n  trace: {path: a.csv, speedup: 0}\n", 2, 33,
               "arrivals.trace.speedup: expected a number > 0");
    expect_err("arrivals:\n  trace: {path: a.csv, scale: -1}\n", 2, 31,
               "arrivals.trace.scale: expected a number > 0");
    expect_err("arrivals:\n  trace: {path: a.csv, start: 2h, end: 1h}\n", 2,
               40, "arrivals.trace.end: expected a time after start");
    expect_err(MIN_YAML "seed: 4294967296\n", 4, 7,
               "seed: expected an integer in [0, 4294967295]");
}

static void errors_dist(void **state)
{
    (void)state;
    expect_err(MIN_YAML "job:\n  startup: {dist: lognormal, median: 10s, "
                        "p95: 5s}\n",
               5, 48, "job.startup.p95: expected a p95 greater than the "
                      "median, got \"5s\"");
    expect_err(MIN_YAML "job:\n  duration: {dist: gamma, mean: 2s, cv: 0}\n",
               5, 41, "job.duration.cv: expected a cv > 0");
    expect_err(MIN_YAML "job:\n  duration: {dist: gamma, mean: 2s, sd: 1}\n",
               5, 37, "job.duration.sd: unknown key for dist gamma "
                      "(expected one of: dist, mean, cv)");
    expect_err(MIN_YAML "job:\n  duration: {mean: 2s}\n", 5, 13,
               "job.duration.dist: missing");
    expect_err(MIN_YAML "job:\n  duration: {dist: normal, mean: 2s}\n", 5, 20,
               "job.duration.dist: expected one of fixed, exponential");
    expect_err(MIN_YAML "job:\n  duration: {dist: lognormal, mean: 2s, cv: "
                        "0.5, median: 1s}\n",
               5, 13, "job.duration: lognormal takes median + p95");
    expect_err(MIN_YAML "job:\n  duration: {dist: uniform, min: 2s}\n", 5, 13,
               "job.duration.max: missing (dist uniform needs min and max)");
    expect_err(MIN_YAML "job:\n  claim: -1s\n", 5, 10,
               "job.claim: expected a duration from 0 to 1e11 s");
    expect_err(MIN_YAML "job:\n  claim: {dist: mixture, parts: [{dist: fixed, "
                        "value: 1s}]}\n",
               5, 34, "job.claim.parts[0].weight: missing");
    expect_err(MIN_YAML "job:\n  claim: {dist: empirical, path: nope.csv, "
                        "column: 1}\n",
               5, 34, "job.claim.path: cannot open");
}

/* ---- overrides and locations ---------------------------------------------- */

static void overrides(void **state)
{
    (void)state;
    struct scenario s;
    struct diag d;
    struct scn_override ov[5];
    assert_int_equal(scn_override_parse("scale.rules[0].queue_length=7",
                                        &ov[0], &d), 0);
    assert_int_equal(scn_override_parse("job.startup={dist: fixed, value: 3s}",
                                        &ov[1], &d), 0);
    assert_int_equal(scn_override_parse("scale.max_executions=20", &ov[2], &d),
                     0);
    assert_int_equal(scn_override_parse("output.dir=res/x", &ov[3], &d), 0);
    assert_int_equal(scn_override_parse("baseline.replicas=a=b", &ov[4], &d),
                     0);
    assert_string_equal(ov[4].value, "a=b");
    assert_int_equal(scn_override_parse("novalue", &ov[4], &d), SIM_EINVAL);
    assert_int_equal(scn_override_parse("=3", &ov[4], &d), SIM_EINVAL);

    const char *y = MIN_YAML "scale:\n  max_executions: 5\n";
    assert_int_equal(scn_load_string(&s, y, "t.yaml", "/tmp", ov, 4, &d), 0);
    assert_int_equal(s.scale.rules[0].queue_length, 7);
    assert_int_equal(s.job.startup.kind, DIST_FIXED);
    assert_true(s.job.startup.p1 == 3.0);
    assert_int_equal(s.scale.max_executions, 20);
    assert_string_equal(s.output.dir, "res/x");
    const struct scn_loc *l = scn_loc(&s, "scale.rules[0].queue_length");
    assert_non_null(l);
    assert_string_equal(l->file, "--set");
    assert_int_equal(l->line, 1);
    assert_int_equal(l->col, 29);
    l = scn_loc(&s, "job.startup.value");
    assert_non_null(l);
    assert_string_equal(l->file, "--set");
    assert_int_equal(l->line, 2);
    assert_int_equal(l->col, 34);
    l = scn_loc(&s, "scale.max_executions");
    assert_string_equal(l->file, "--set");
    assert_int_equal(l->line, 3);
    assert_int_equal(l->col, 22);
    l = scn_loc(&s, "scale.rules[0].type");
    assert_null(l);
    scn_fini(&s);

    /* an override sets a list item of the file; an index past the end is
     * refused (a typo must not add a rule); the whole list can be set */
    y = MIN_YAML "scale:\n  rules:\n    - queue_length: 3\n";
    struct scn_override o2[2] = {{"scale.rules[0].queue_length", "9"},
                                 {"scale.rules[1].type", "azure-queue"}};
    assert_int_equal(scn_load_string(&s, y, "t.yaml", NULL, o2, 1, &d), 0);
    assert_int_equal(s.scale.n_rules, 1);
    assert_int_equal(s.scale.rules[0].queue_length, 9);
    scn_fini(&s);
    diag_init(&d);
    assert_int_equal(scn_load_string(&s, y, "t.yaml", NULL, o2, 2, &d),
                     SIM_EINVAL);
    assert_string_equal(d.msg, "scale.rules[1].type: rules has no item [1] "
                               "(it has 1; to add items, set the whole "
                               "list)");
    diag_init(&d);
    struct scn_override o3[1] = {
        {"scale.rules", "[{queue_length: 3}, {type: azure-queue}]"}};
    assert_int_equal(scn_load_string(&s, y, "t.yaml", NULL, o3, 1, &d), 0);
    assert_int_equal(s.scale.n_rules, 2);
    assert_int_equal(s.scale.rules[1].type, RULE_AZURE_QUEUE);
    assert_int_equal(s.scale.rules[1].queue_length, 5);
    scn_fini(&s);

    /* errors in overrides are located on the command line */
    struct scn_override bad[] = {{"job.cpux", "3"}};
    assert_int_not_equal(scn_load_string(&s, MIN_YAML, "t.yaml", NULL, bad, 1,
                                         &d), 0);
    assert_string_equal(d.file, "--set");
    assert_int_equal(d.line, 1);
    assert_int_equal(d.col, 5);
    assert_true(strncmp(d.msg, "job.cpux: unknown key", 21) == 0);
    struct scn_override bad2[] = {{"seed", "1"}, {"job.cpu", "lots"}};
    assert_int_not_equal(scn_load_string(&s, MIN_YAML, "t.yaml", NULL, bad2,
                                         2, &d), 0);
    assert_string_equal(d.file, "--set");
    assert_int_equal(d.line, 2);
    assert_int_equal(d.col, 9);
    assert_string_equal(d.msg, "job.cpu: expected a number, got \"lots\"");
    struct scn_override bad3[] = {{"job.startup", "{dist: fixed"}};
    assert_int_not_equal(scn_load_string(&s, MIN_YAML, "t.yaml", NULL, bad3,
                                         1, &d), 0);
    assert_string_equal(d.file, "--set");
    assert_int_equal(d.line, 1);
    assert_true(strstr(d.msg, "YAML syntax error") != NULL);
    struct scn_override bad4[] = {{"scale..x", "1"}};
    assert_int_equal(scn_load_string(&s, MIN_YAML, "t.yaml", NULL, bad4, 1,
                                     &d), SIM_EINVAL);
    struct scn_override bad5[] = {{"scale.rules[3].name", "x"}};
    assert_int_equal(scn_load_string(&s, MIN_YAML, "t.yaml", NULL, bad5, 1,
                                     &d), SIM_EINVAL);
    struct scn_override bad6[] = {{"horizon.x", "1"}};
    assert_int_equal(scn_load_string(&s, MIN_YAML, "t.yaml", NULL, bad6, 1,
                                     &d), SIM_EINVAL);
    /* an override that creates a whole section from nothing */
    struct scn_override mk[] = {{"horizon", "2h"},
                                {"arrivals.process", "{kind: poisson, "
                                                     "rate: 1/s}"}};
    assert_int_equal(scn_load_string(&s, "", "t.yaml", NULL, mk, 2, &d), 0);
    assert_int_equal(s.horizon_us, INT64_C(7200000000));
    scn_fini(&s);
}

static void locations_list_arrivals(void **state)
{
    (void)state;
    struct scenario s;
    struct diag d;
    const char *y = "horizon: 1h\n"
                    "arrivals:\n"
                    "  - trace:\n"
                    "      path: a.csv\n"
                    "      format: events\n"
                    "  - process:\n"
                    "      kind: batches\n"
                    "      every: 1h\n"
                    "      size: {dist: uniform, min: 10, max: 20}\n"
                    "scale:\n"
                    "  rules:\n"
                    "    - type: azure-queue\n"
                    "job:\n"
                    "  parallelism: 2\n";
    assert_int_equal(load(&s, y, &d), 0);
    assert_true(s.arrivals_is_list);
    assert_int_equal(s.n_arrivals, 2);
    assert_string_equal(s.arrivals[0].trace.path, "/tmp/a.csv");
    assert_int_equal(s.arrivals[1].process.kind, PROC_BATCHES);
    assert_int_equal(s.arrivals[1].process.every_us, INT64_C(3600000000));
    assert_int_equal(s.arrivals[1].process.size.kind, DIST_UNIFORM);
    assert_true(s.arrivals[1].process.size.p2 == 20.0); /* a count, not s */
    static const struct {
        const char *path;
        int line, col;
    } want[] = {{"arrivals[0].trace.format", 5, 15},
                {"arrivals[1].process.kind", 7, 13},
                {"arrivals[1].process.size.max", 9, 43},
                {"scale.rules[0].type", 12, 13},
                {"job.parallelism", 14, 16},
                {"arrivals", 2, 1}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const struct scn_loc *l = scn_loc(&s, want[i].path);
        if (l == NULL)
            fail_msg("no location for %s", want[i].path);
        assert_string_equal(l->file, "t.yaml");
        assert_int_equal(l->line, want[i].line);
        assert_int_equal(l->col, want[i].col);
    }
    assert_null(scn_loc(&s, "job.cpu"));
    scn_fini(&s);
}

/* ---- writers ------------------------------------------------------------ */

static char *print_to_string(const struct scenario *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(scn_print_yaml(f, s), 0);
    fclose(f);
    return buf;
}

/* Strings that a hand-written YAML writer gets wrong: validate's output,
 * loaded again, must hold the same string (issue 11, defect 16; the old
 * writer wrote line separators raw inside quotes: U+0085 came back as a
 * space). Each is given double-quoted, escaped by hand. */
static void print_nasty_strings(void **state)
{
    (void)state;
    static const struct {
        const char *yaml; /* inside "..." */
        const char *want; /* the string itself */
    } cases[] = {
        {"a\\u2028b", "a\xe2\x80\xa8" "b"}, /* U+2028 LINE SEPARATOR */
        /* U+0085 NEL: written raw in quotes, libyaml folds it to a space */
        {"a\\Nb", "a\xc2\x85" "b"},
        {"\\\"q\\\": 'x' # no comment", "\"q\": 'x' # no comment"},
        {"  lead", "  lead"}, {"yes", "yes"}, {"~", "~"}, {"5", "5"},
        {"null", "null"}, {"- dash", "- dash"}, {"[a, b]", "[a, b]"},
        {"tab\\there\\nnewline\\\\", "tab\there\nnewline\\"},
        {"caf\xc3\xa9", "caf\xc3\xa9"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[512], b[1400];
        snprintf(text, sizeof text,
                 MIN_YAML "description: \"%s\"\nsweep:\n"
                 "  description: [\"%s\", plain]\n",
                 cases[i].yaml, cases[i].yaml);
        struct scenario s, r;
        struct diag d;
        if (load(&s, text, &d) != 0)
            fail_msg("%s", diag_format(&d, b, sizeof b));
        char *y1 = print_to_string(&s);
        if (load(&r, y1, &d) != 0)
            fail_msg("case %zu: %s\n%s", i, diag_format(&d, b, sizeof b), y1);
        assert_string_equal(r.description, cases[i].want);
        assert_int_equal(r.n_sweep, 1);
        assert_int_equal(r.sweep[0].n_values, 2);
        assert_string_equal(r.sweep[0].values[0], s.sweep[0].values[0]);
        char *y2 = print_to_string(&r);
        assert_string_equal(y1, y2);
        free(y1);
        free(y2);
        scn_fini(&s);
        scn_fini(&r);
    }
}

static const char *const FULL =
    "name: full\n"
    "description: \"a \\\"quoted\\\" text: with colon\"\n"
    "seed: 42\n"
    "replications: 3\n"
    "horizon: 1.5h\n"
    "drain_limit: 90m\n"
    "warmup: 1500ms\n"
    "sample_interval: 5s\n"
    "arrivals:\n"
    "  - process: {kind: piecewise, steps: [{at: 0s, rate: 1/s}, {at: 2h, "
    "rate: 300/min}], repeat: 1d}\n"
    "  - process: {kind: diurnal, mean: 2/h, amplitude: 0.8, period: 24h, "
    "peak_at: 14h}\n"
    "  - process: {kind: mmpp, states: [{rate: 0.1/s, mean_sojourn: 1h}, "
    "{rate: 50/s, mean_sojourn: 5m}]}\n"
    "  - process: {kind: batches, every: 1h, size: 2000, offset: 250us, "
    "spread: 10s}\n"
    "  - trace: {path: tr.csv, format: counts, time_column: TIMESTAMP, "
    "time_format: epoch_ms, count_column: n, interval: 5m, spread: poisson, "
    "scale: 1.7, speedup: 2.5, start: 1h, end: 3h}\n"
    "source: {kind: service-bus, lock_duration: "
    "5m, lock_renewal: true, max_delivery_count: 10, message_ttl: 2d, "
    "count_lag: 3s}\n"
    "scale:\n"
    "  polling_interval: 15s\n"
    "  min_executions: 1\n"
    "  max_executions: 50\n"
    "  strategy: custom\n"
    "  custom_queue_length_deduction: 2\n"
    "  custom_running_job_percentage: 0.5\n"
    "  pending: not_claimed\n"
    "  multiple_scalers_calculation: sum\n"
    "  first_poll: 7s\n"
    "  rules:\n"
    "    - {name: a, type: azure-servicebus, queue_length: 10, "
    "activation_queue_length: 2}\n"
    "    - {name: b}\n"
    "job:\n"
    "  cpu: 0.25\n"
    "  memory: 1G\n"
    "  parallelism: 3\n"
    "  replica_completion_count: 2\n"
    "  replica_timeout: 2h\n"
    "  replica_retry_limit: 1\n"
    "  startup: {dist: weibull, scale: 12s, shape: 1.5}\n"
    "  claim: 300ms\n"
    "  messages_per_replica: 0\n"
    "  receive_batch: 32\n"
    "  delete: at_receive\n"
    "  duration: {dist: mixture, parts: [{weight: 0.2, dist: lognormal, mu: "
    "0.1, sigma: 0.3}, {weight: 0.8, dist: exponential, mean: 2.385s}]}\n"
    "  failure_probability: 0.01\n"
    "  exit_overhead: 1s\n"
    "  idle_exit: 30s\n"
    "downstream: {concurrency: 10, rate: 5/s, burst: 7, on_limit: reject}\n"
    "cost:\n"
    "  plan: dedicated\n"
    "  vcpu_second: 0.0000341\n"
    "  free_grant: true\n"
    "  bill_startup: false\n"
    "  billing_granularity: 100ms\n"
    "  dedicated: {node_vcpu: 8, node_gib: 32, min_nodes: 1, max_nodes: 3}\n"
    "  month: 720h\n"
    "baseline: {replicas: 2, cpu: 2, memory: 4Gi}\n"
    "slo: {backlog_max: ~, latency_p95: 1m, latency_max: 1h, "
    "duplicate_completions_max: 3, confidence: 0.9}\n"
    "sweep:\n"
    "  scale.max_executions: [5, 10]\n"
    "  job.startup: [{dist: fixed, value: 3s}, \"5s\"]\n"
    "  arrivals[0].process.repeat: [12h]\n"
    "output: {dir: out/x, timeseries: false, executions: true, plots: false}\n";

static void print_round_trip(void **state)
{
    (void)state;
    struct scenario s, r;
    struct diag d;
    char b[1400];
    if (load(&s, FULL, &d) != 0)
        fail_msg("%s", diag_format(&d, b, sizeof b));
    /* spot checks of parsed values */
    assert_int_equal(s.horizon_us, INT64_C(5400000000));
    assert_int_equal(s.warmup_us, 1500000);
    assert_true(s.arrivals[1].process.mean_per_s == 2.0 / 3600.0);
    assert_true(s.arrivals[0].process.steps[1].rate_per_s == 5.0);
    assert_true(s.job.memory_gib == 1e9 / 1073741824.0);
    assert_true(s.job.claim.p1 == 0.3);
    assert_int_equal(s.job.duration.n_parts, 2);
    assert_true(s.job.duration.weights[1] == 0.8);
    assert_false(s.slo.has_backlog_max);
    assert_string_equal(s.description, "a \"quoted\" text: with colon");
    assert_string_equal(s.sweep[1].values[0], "{dist: fixed, value: 3s}");
    assert_string_equal(s.sweep[1].values[1], "\"5s\"");

    char *y1 = print_to_string(&s);
    /* readable units that round-trip */
    assert_non_null(strstr(y1, "horizon: 90m\n"));
    assert_non_null(strstr(y1, "warmup: 1500ms\n"));
    assert_non_null(strstr(y1, "  claim: {dist: fixed, value: 300ms}\n"));
    assert_non_null(strstr(y1, "offset: 250us\n"));
    /* only the keys that apply to service-bus and custom are printed */
    assert_null(strstr(y1, "visibility_timeout"));
    assert_null(strstr(y1, "queue_length_strategy"));
    assert_non_null(strstr(y1, "  lock_duration: 5m\n"));
    assert_non_null(strstr(y1, "  custom_running_job_percentage: 0.5\n"));
    /* the libyaml emitter writes a list item's keys under its "- " */
    assert_non_null(strstr(y1, "    type: azure-servicebus\n"));
    if (load(&r, y1, &d) != 0)
        fail_msg("%s\n%s", diag_format(&d, b, sizeof b), y1);
    char *y2 = print_to_string(&r);
    assert_string_equal(y1, y2);
    json_t *j1 = scn_to_json(&s), *j2 = scn_to_json(&r);
    assert_true(json_equal(j1, j2));
    /* JSON: durations in seconds, keys as in YAML */
    assert_true(json_real_value(json_object_get(j1, "horizon")) == 5400.0);
    json_t *job = json_object_get(j1, "job");
    assert_true(json_real_value(json_object_get(job, "memory")) ==
                1e9 / 1073741824.0);
    assert_string_equal(json_string_value(json_object_get(job, "delete")),
                        "at_receive");
    assert_true(json_is_array(json_object_get(j1, "arrivals")));
    assert_true(json_is_null(json_object_get(json_object_get(j1, "slo"),
                                             "backlog_max")));
    json_t *src = json_object_get(j1, "source");
    assert_null(json_object_get(src, "visibility_timeout"));
    assert_true(json_real_value(json_object_get(src, "lock_duration")) ==
                300.0);
    json_t *rule = json_array_get(
        json_object_get(json_object_get(j1, "scale"), "rules"), 1);
    assert_null(json_object_get(rule, "queue_length_strategy"));
    assert_string_equal(json_string_value(json_object_get(rule, "type")),
                        "azure-servicebus");
    json_decref(j1);
    json_decref(j2);
    /* typed fields equal too */
    assert_true(r.job.duration.parts[0].p2 == s.job.duration.parts[0].p2);
    assert_true(r.job.startup.p1 == s.job.startup.p1);
    assert_int_equal(r.arrivals[4].trace.end_us, s.arrivals[4].trace.end_us);
    assert_true(r.cost.vcpu_second == s.cost.vcpu_second);
    assert_string_equal(r.arrivals[4].trace.path_as_written, "tr.csv");
    free(y1);
    free(y2);
    scn_fini(&r);
    scn_fini(&s);

    /* and the minimal scenario: storage-queue keys, no custom keys */
    assert_int_equal(load(&s, MIN_YAML, &d), 0);
    y1 = print_to_string(&s);
    assert_non_null(strstr(y1, "  visibility_timeout: 30s\n"));
    assert_non_null(strstr(y1, "    queue_length_strategy: all\n"));
    assert_null(strstr(y1, "lock_duration"));
    assert_null(strstr(y1, "custom_"));
    assert_int_equal(load(&r, y1, &d), 0);
    y2 = print_to_string(&r);
    assert_string_equal(y1, y2);
    assert_false(r.has_sample_interval);
    assert_false(r.baseline.present);
    free(y1);
    free(y2);
    scn_fini(&r);
    scn_fini(&s);
}

static void empirical_csv(void **state)
{
    (void)state;
    char dir[] = "/tmp/scnempXXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/d.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("id,latency\n1,0.5\n2,1.5\n3,\"4\"\n", f);
    fclose(f);
    struct scenario s;
    struct diag d;
    const char *y = MIN_YAML
        "job:\n  duration: {dist: empirical, path: d.csv, column: latency}\n"
        "  claim: {dist: empirical, path: d.csv, column: 2}\n";
    assert_int_equal(scn_load_string(&s, y, "t.yaml", dir, NULL, 0, &d), 0);
    assert_int_equal(s.job.duration.n_values, 3);
    assert_true(s.job.duration.values[2] == 4.0);
    assert_near(dist_mean_s(&s.job.duration), 2.0, 1e-12);
    assert_string_equal(s.job.duration.path, path);
    assert_string_equal(s.job.duration.path_as_written, "d.csv");
    assert_int_equal(s.job.claim.n_values, 3);
    scn_fini(&s);

    y = MIN_YAML "job:\n  duration: {dist: empirical, path: d.csv, column: "
                 "nope}\n";
    assert_int_not_equal(scn_load_string(&s, y, "t.yaml", dir, NULL, 0, &d),
                         0);
    assert_non_null(strstr(d.msg, "no column \"nope\""));

    f = fopen(path, "w");
    fputs("latency\n1\nabc\n", f);
    fclose(f);
    y = MIN_YAML "job:\n  duration: {dist: empirical, path: d.csv, column: "
                 "latency}\n";
    assert_int_not_equal(scn_load_string(&s, y, "t.yaml", dir, NULL, 0, &d),
                         0);
    assert_string_equal(d.file, path);
    assert_int_equal(d.line, 3);
    assert_int_equal(d.col, 1);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(units_duration),
        cmocka_unit_test(units_memory_rate),
        cmocka_unit_test(defaults_filled),
        cmocka_unit_test(defaults_cross_key),
        cmocka_unit_test(errors_located),
        cmocka_unit_test(errors_key_applies),
        cmocka_unit_test(errors_ranges),
        cmocka_unit_test(errors_dist),
        cmocka_unit_test(overrides),
        cmocka_unit_test(locations_list_arrivals),
        cmocka_unit_test(print_round_trip),
        cmocka_unit_test(print_nasty_strings),
        cmocka_unit_test(empirical_csv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
