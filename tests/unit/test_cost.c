/* tests/unit/test_cost.c - downstream capacity, the cost model and the
 * always-on baseline (issue 6): small scenarios whose numbers are derived
 * by hand in the comments, and M/M/1 for the baseline. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_sim.h"
#include "test_util.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#define M(r, name) ((r).m[RM_##name])

static void run1(const char *yaml, const struct scn_override *ov, size_t n,
                 struct rep_result *r)
{
    struct scenario scn;
    assert_int_equal(test_load(&scn, yaml, ov, n), 0);
    test_run(&scn, 0, NULL, r);
    scn_fini(&scn);
}

/* Token bucket: 100 messages at t = 0, 100 executions created at once (no
 * start-up, no claim), processing 1 ms, rate 10/s, burst 5. The bucket
 * starts full: calls 0-4 are admitted at 0, then one every 0.1 s: call k
 * (k >= 5) at (k - 4) x 0.1 s, the last (k = 99) at 9.5 s. Waits: sum over
 * k = 5..99 of (k - 4) x 0.1 = 0.1 x (1 + ... + 95) = 456 s; mean over 100
 * messages 4.56 s. Latency max 9.5 + 0.001 s. At most 5 calls are in
 * processing at once (the burst, each lasting 1 ms). Over any window w the
 * admissions are at most 10 w + 5, which the schedule above meets with
 * equality from t = 0. */
static const char bucket[] =
    "horizon: 1s\n"
    "replications: 1\n"
    "arrivals: {process: {kind: batches, every: 1h, size: 100}}\n"
    "scale:\n"
    "  polling_interval: 10s\n"
    "  max_executions: 100\n"
    "  rules: [{name: q, type: azure-queue, queue_length: 1}]\n"
    "job: {startup: 0s, claim: 0s, duration: 1ms}\n"
    "downstream: {rate: 10/s, burst: 5}\n"
    "output: {timeseries: false}\n";

static void test_token_bucket(void **state)
{
    (void)state;
    struct rep_result r;
    run1(bucket, NULL, 0, &r);
    assert_int_equal((int)M(r, completed), 100);
    assert_near(M(r, wait_mean_s), 4.56, 1e-6);
    assert_near(M(r, latency_max_s), 9.501, 1e-6);
    assert_int_equal((int)M(r, downstream_peak), 5);
}

/* Concurrency 3: nine messages at t = 0, nine executions, no start-up,
 * processing 10 s. Calls 1-3 run 0-10 s, 4-6 10-20 s, 7-9 20-30 s: waits
 * 0, 0, 0, 10, 10, 10, 20, 20, 20 -> mean 10 s; latency max 30 s; at most
 * 3 in processing (checked on every admission in debug builds). Each
 * replica is billed from creation (0) to its end, waiting included:
 * 3 x 10 + 3 x 20 + 3 x 30 = 180 s -> 90 vCPU-s at 0.5 vCPU. */
static const char conc[] =
    "horizon: 1s\n"
    "replications: 1\n"
    "arrivals: {process: {kind: batches, every: 1h, size: 9}}\n"
    "scale:\n"
    "  polling_interval: 10s\n"
    "  rules: [{name: q, type: azure-queue, queue_length: 1}]\n"
    "job: {cpu: 0.5, memory: 1Gi, startup: 0s, claim: 0s, duration: 10s}\n"
    "downstream: {concurrency: 3}\n"
    "output: {timeseries: false}\n";

static void test_concurrency_wait(void **state)
{
    (void)state;
    struct rep_result r;
    run1(conc, NULL, 0, &r);
    assert_near(M(r, wait_mean_s), 10.0, 1e-9);
    assert_near(M(r, latency_max_s), 30.0, 1e-9);
    assert_int_equal((int)M(r, downstream_peak), 3);
    assert_near(M(r, vcpu_seconds), 90.0, 1e-9);
}

/* on_limit: reject, concurrency 1, three messages at 0, processing 10 s,
 * visibility 30 s, max_delivery_count 2, polls every 10 s:
 *   0:  E1 admitted (m1, done 10); E2 (m2), E3 (m3) rejected -> Failed.
 *   10: m1 deleted; poll sees m2, m3 in flight, R 0 -> E4, E5: empty.
 *   20: E6, E7 empty.  30: m2, m3 visible again; E8 takes m2 (admitted,
 *       done 40), E9 takes m3 (rejected -> Failed).
 *   40: m2 deleted; poll sees m3 in flight -> E10 empty. 50: E11 empty.
 *   60: m3's visibility ends after its 2nd delivery: dead-lettered.
 * -> 11 executions, 3 failed, 6 empty, 2 completed, 1 dead-lettered,
 *    2 duplicate deliveries (m2 and m3 at 30 s). */
static const char reject[] =
    "horizon: 1s\n"
    "replications: 1\n"
    "arrivals: {process: {kind: batches, every: 1h, size: 3}}\n"
    "source: {visibility_timeout: 30s, max_delivery_count: 2}\n"
    "scale:\n"
    "  polling_interval: 10s\n"
    "  rules: [{name: q, type: azure-queue, queue_length: 1}]\n"
    "job: {startup: 0s, claim: 0s, duration: 10s}\n"
    "downstream: {concurrency: 1, on_limit: reject}\n"
    "output: {timeseries: false}\n";

static void test_reject(void **state)
{
    (void)state;
    struct rep_result r;
    run1(reject, NULL, 0, &r);
    assert_int_equal((int)M(r, executions), 11);
    assert_int_equal((int)M(r, failed_executions), 3);
    assert_int_equal((int)M(r, empty_executions), 6);
    assert_int_equal((int)M(r, completed), 2);
    assert_int_equal((int)M(r, dead_lettered), 1);
    assert_int_equal((int)M(r, duplicate_deliveries), 2);
}

/* Consumption pricing (docs/model.md 8.1): 0.25 vCPU / 0.5 GiB for 60 s costs
 * 60 x (0.25 x 0.000024 + 0.5 x 0.000003) = 0.00036 + 0.00009 = 0.00045.
 * One message, no start-up, processing 60 s. With billing_granularity 1s
 * a 60.4 s run bills 61 s; with bill_startup false and a 10 s start-up the
 * bill is still 60 s, with it 70 s. */
static const char one60[] =
    "horizon: 1s\n"
    "replications: 1\n"
    "arrivals: {process: {kind: batches, every: 1h, size: 1}}\n"
    "source: {visibility_timeout: 5m}\n"
    "scale:\n"
    "  polling_interval: 10s\n"
    "  rules: [{name: q, type: azure-queue, queue_length: 1}]\n"
    "job: {cpu: 0.25, memory: 0.5Gi, startup: 0s, claim: 0s, duration: 60s}\n"
    "output: {timeseries: false}\n";

static void test_consumption_price(void **state)
{
    (void)state;
    struct rep_result r;
    run1(one60, NULL, 0, &r);
    assert_near(M(r, compute_cost_usd), 0.00045, 1e-12);
    struct scn_override ov1 = {"job.duration", "60.4s"};
    run1(one60, &ov1, 1, &r);
    assert_near(M(r, vcpu_seconds), 61 * 0.25, 1e-9);
    struct scn_override ov2[] = {{"job.startup", "10s"},
                                 {"cost.bill_startup", "false"}};
    run1(one60, ov2, 2, &r);
    assert_near(M(r, vcpu_seconds), 60 * 0.25, 1e-9);
    run1(one60, ov2, 1, &r);
    assert_near(M(r, vcpu_seconds), 70 * 0.25, 1e-9);
}

/* The free grant: 12,000 such executions within one month (730 h): one
 * message every 219 s from 100 s (100 + 11,999 x 219 = 2,627,881 s, the
 * last ends at 2,627,941 s < 2,628,000 s), so the span is the month.
 * Usage 12,000 x 60 x 0.25 = 180,000 vCPU-s and 12,000 x 60 x 0.5 =
 * 360,000 GiB-s: exactly the grant -> $0 with it; without it 180,000 x
 * 0.000024 + 360,000 x 0.000003 = 4.32 + 1.08 = $5.40. */
static const char month[] =
    "horizon: 730h\n"
    "replications: 1\n"
    "arrivals: {process: {kind: batches, every: 219s, offset: 100s, size: 1}}\n"
    "source: {visibility_timeout: 5m}\n"
    "scale:\n"
    "  polling_interval: 30s\n"
    "  rules: [{name: q, type: azure-queue, queue_length: 1}]\n"
    "job: {cpu: 0.25, memory: 0.5Gi, startup: 0s, claim: 0s, duration: 60s}\n"
    "output: {timeseries: false}\n";

static void test_free_grant(void **state)
{
    (void)state;
    struct rep_result r;
    run1(month, NULL, 0, &r);
    assert_int_equal((int)M(r, executions), 12000);
    assert_near(M(r, compute_cost_usd), 5.40, 1e-9);
    struct scn_override ov = {"cost.free_grant", "true"};
    run1(month, &ov, 1, &r);
    assert_near(M(r, compute_cost_usd), 0.0, 1e-9);
    /* cost_per_month_usd: the span is one month, so it equals cost_usd. */
    assert_near(M(r, cost_per_month_usd), M(r, cost_usd), 1e-9);
}

/* Polling cost (docs/model.md 8.2): 30 s polls for 30 days, 2 operations each:
 * 86,400 polls x 2 = 172,800 operations x 0.004 / 10,000 = $0.06912. No
 * message arrives (batches of size 0), so the run spans the horizon. */
static const char polls[] =
    "horizon: 30d\n"
    "replications: 1\n"
    "arrivals: {process: {kind: batches, every: 1d, size: 0}}\n"
    "scale:\n"
    "  polling_interval: 30s\n"
    "  rules: [{name: q, type: azure-queue, queue_length: 1}]\n"
    "output: {timeseries: false}\n";

static void test_polling_cost(void **state)
{
    (void)state;
    struct rep_result r;
    run1(polls, NULL, 0, &r);
    assert_int_equal((int)M(r, polls), 86400);
    assert_near(M(r, ops_cost_usd), 0.06912, 1e-12);
}

/* Issue 11.3: cost_per_month_usd projects from the arrival span. One
 * message at t = 0, horizon 100 s, processing 1,000 s: the run ends at
 * 1,000 s (900 s of drain), billed 1,000 s x (0.25 x 0.000024 + 0.5 x
 * 0.000003) = $0.0075 of compute. The month (730 h = 2,628,000 s) holds
 * 26,280 repetitions of the 100 s of traffic, so cost_per_month_usd =
 * cost_usd x 26,280 (the old code divided by the 1,000 s span: x 2,628). */
static const char drain[] =
    "horizon: 100s\n"
    "replications: 1\n"
    "arrivals: {process: {kind: batches, every: 1h, size: 1}}\n"
    "source: {visibility_timeout: 1h}\n"
    "scale:\n"
    "  polling_interval: 10s\n"
    "  rules: [{name: q, type: azure-queue, queue_length: 1}]\n"
    "job: {cpu: 0.25, memory: 0.5Gi, startup: 0s, claim: 0s, "
    "duration: 1000s, replica_timeout: 1h}\n"
    "output: {timeseries: false}\n";

static void test_month_from_arrival_span(void **state)
{
    (void)state;
    struct rep_result r;
    run1(drain, NULL, 0, &r);
    assert_near(M(r, compute_cost_usd), 0.0075, 1e-12);
    assert_near(M(r, drain_time_s), 900.0, 1e-6);
    assert_near(M(r, cost_per_month_usd), M(r, cost_usd) * 26280.0, 1e-9);
}

/* Issue 11.3: the free grant applies to the baseline too. The month
 * scenario with one always-on worker (cpu 0.25, 0.5 GiB, the job's shape)
 * over the 730 h span (2,628,000 s): busy 12,000 x 60 = 720,000 s ->
 * 180,000 active vCPU-s; idle 1,908,000 s -> 477,000 idle vCPU-s; GiB-s
 * 2,628,000 x 0.5 = 1,314,000; operations 12,000 x 3 x 0.004 / 10,000 =
 * $0.0144. Without the grant: 180,000 x 0.000024 + 477,000 x 0.000003 +
 * 1,314,000 x 0.000003 + 0.0144 = 4.32 + 1.431 + 3.942 + 0.0144 =
 * $9.7074. With it (share 1: the span is the month) the 180,000 vCPU-s
 * take the active ones, and 360,000 GiB-s come off: 1.431 + 954,000 x
 * 0.000003 + 0.0144 = 1.431 + 2.862 + 0.0144 = $4.3074. The job is $0
 * of compute + 0.0144 + polls, so savings_pct is computed against the
 * granted baseline. */
static void test_free_grant_baseline(void **state)
{
    (void)state;
    struct rep_result r;
    struct scn_override ov[] = {{"baseline.replicas", "1"},
                                {"cost.free_grant", "true"}};
    run1(month, ov, 1, &r);
    assert_near(M(r, baseline_cost_usd), 9.7074, 1e-6);
    run1(month, ov, 2, &r);
    assert_near(M(r, baseline_cost_usd), 4.3074, 1e-6);
    double job = M(r, cost_usd);
    assert_near(M(r, savings_pct), 100.0 * (4.3074 - job) / 4.3074, 1e-6);
}

/* Issue 11.3: Service Bus operations at the Standard tier (docs/model.md 8.2):
 * $0.80 per million = 0.008 per 10,000 beyond the 13 M included a month.
 * 30 days of 30 s polls, 200 operations per poll: 86,400 x 200 =
 * 17,280,000 operations; included 13e6 x 720 h / 730 h =
 * 12,821,917.808...; billed 4,458,082.19... x 0.008 / 10,000 =
 * $3.566465753. With ops_price_per_10k written (0.004) the price is flat,
 * nothing included: 1,728 x 0.004 = $6.912. */
static const char sb_polls[] =
    "horizon: 30d\n"
    "replications: 1\n"
    "arrivals: {process: {kind: batches, every: 1d, size: 0}}\n"
    "source: {kind: service-bus}\n"
    "scale:\n"
    "  polling_interval: 30s\n"
    "  rules: [{name: q, type: azure-servicebus, queue_length: 1}]\n"
    "cost: {scaler_ops_per_poll: 200}\n"
    "output: {timeseries: false}\n";

static void test_service_bus_ops(void **state)
{
    (void)state;
    struct rep_result r;
    run1(sb_polls, NULL, 0, &r);
    assert_int_equal((int)M(r, polls), 86400);
    double billed = 17280000.0 - 13e6 * 720.0 / 730.0;
    assert_near(M(r, ops_cost_usd), billed * 0.008 / 10000.0, 1e-9);
    assert_near(M(r, ops_cost_usd), 3.566465753, 1e-8);
    struct scn_override ov = {"cost.ops_price_per_10k", "0.004"};
    run1(sb_polls, &ov, 1, &r);
    assert_near(M(r, ops_cost_usd), 6.912, 1e-9);
}

/* Dedicated plan: replicas of 1.5 vCPU / 3 GiB on D4 nodes (4 vCPU, 16 GiB)
 * fit 2 per node, so n replicas need ceil(n / 2) nodes: five messages at 0,
 * processing 100 s, no start-up -> 3 nodes for 100 s = 300 node-s.
 * Cost 300 x (4 x 0.080859 + 16 x 0.006638) / 3600 + 0.10 x 100 / 3600.
 * With max_nodes 2 the fifth replica waits for room until 100 s: nodes
 * 2 for [0, 100) and 1 for [100, 200) = 300 node-s again, latency max
 * 200 s. */
static const char dedicated[] =
    "horizon: 1s\n"
    "replications: 1\n"
    "arrivals: {process: {kind: batches, every: 1h, size: 5}}\n"
    "source: {visibility_timeout: 10m}\n"
    "scale:\n"
    "  polling_interval: 10s\n"
    "  rules: [{name: q, type: azure-queue, queue_length: 1}]\n"
    "job: {cpu: 1.5, memory: 3Gi, startup: 0s, claim: 0s, duration: 100s}\n"
    "cost: {plan: dedicated}\n"
    "output: {timeseries: false}\n";

static void test_dedicated_packing(void **state)
{
    (void)state;
    struct rep_result r;
    run1(dedicated, NULL, 0, &r);
    double node_rate = (4 * 0.080859 + 16 * 0.006638) / 3600.0;
    assert_near(M(r, vcpu_seconds), 300.0 * 4, 1e-6);
    assert_near(M(r, compute_cost_usd),
                300.0 * node_rate + 0.10 * 100.0 / 3600.0, 1e-12);
    assert_near(M(r, latency_max_s), 100.0, 1e-9);
    struct scn_override ov = {"cost.dedicated.max_nodes", "2"};
    run1(dedicated, &ov, 1, &r);
    assert_near(M(r, vcpu_seconds), 300.0 * 4, 1e-6);
    assert_near(M(r, latency_max_s), 200.0, 1e-9);
    assert_near(M(r, compute_cost_usd),
                300.0 * node_rate + 0.10 * 200.0 / 3600.0, 1e-12);
}

/* The baseline, by hand: 1 always-on worker, three messages at 0,
 * processing 2 s, horizon 10 s. It processes them 0-2, 2-4, 4-6 s: latency
 * 2, 4, 6 (mean 4 s), backlog max 3. Billed for the span max(10, 6) = 10 s:
 * busy 6 s at 0.5 x 0.000024 + 1 x 0.000003 = 0.000015 USD/s, idle 4 s at
 * 0.5 x 0.000003 + 1 x 0.000003 = 0.0000045 USD/s, plus 3 messages x 3
 * operations x 0.004 / 10,000: 0.00009 + 0.000018 + 0.0000036 =
 * 0.0001116 USD. */
static const char base1[] =
    "horizon: 10s\n"
    "replications: 1\n"
    "arrivals: {process: {kind: batches, every: 1h, size: 3}}\n"
    "scale:\n"
    "  polling_interval: 10s\n"
    "  rules: [{name: q, type: azure-queue, queue_length: 1}]\n"
    "job: {cpu: 0.5, memory: 1Gi, startup: 5s, claim: 0s, duration: 2s}\n"
    "baseline: {replicas: 1}\n"
    "output: {timeseries: false}\n";

static void test_baseline_by_hand(void **state)
{
    (void)state;
    struct rep_result r;
    run1(base1, NULL, 0, &r);
    assert_near(M(r, baseline_latency_mean_s), 4.0, 1e-9);
    assert_int_equal((int)M(r, baseline_backlog_max), 3);
    assert_near(M(r, baseline_cost_usd), 0.0001116, 1e-12);
    assert_near(M(r, savings_pct),
                100.0 * (0.0001116 - M(r, cost_usd)) / 0.0001116, 1e-9);
}

/* The baseline with 1 worker on Poisson arrivals (lambda 0.5/s) and
 * exponential processing (mean 1 s) is M/M/1: mean sojourn 1 / (mu -
 * lambda) = 2 s. Over 20 replications of 20,000 s the 99 % Student-t
 * interval of the per-replication means must contain 2. */
static const char mm1[] =
    "horizon: 20000s\n"
    "warmup: 200s\n"
    "replications: 20\n"
    "arrivals: {process: {kind: poisson, rate: 0.5/s}}\n"
    "source: {visibility_timeout: 1h}\n"
    "scale:\n"
    "  polling_interval: 30s\n"
    "  rules: [{name: q, type: azure-queue, queue_length: 1}]\n"
    "job: {startup: 0s, claim: 0s, duration: {dist: exponential, mean: 1s}}\n"
    "baseline: {replicas: 1}\n"
    "output: {timeseries: false}\n";

static void test_baseline_mm1(void **state)
{
    (void)state;
    struct scenario scn;
    assert_int_equal(test_load(&scn, mm1, NULL, 0), 0);
    double x[20];
    for (uint32_t i = 0; i < 20; i++) {
        struct rep_result r;
        test_run(&scn, i, NULL, &r);
        x[i] = M(r, baseline_latency_mean_s);
    }
    double mean = gsl_stats_mean(x, 1, 20);
    double hw = gsl_cdf_tdist_Pinv(0.995, 19) * gsl_stats_sd(x, 1, 20) /
                sqrt(20.0);
    printf("# M/M/1 baseline sojourn %.4f +- %.4f s (expected 2)\n", mean, hw);
    assert_true(fabs(mean - 2.0) <= hw);
    scn_fini(&scn);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_token_bucket),
        cmocka_unit_test(test_concurrency_wait),
        cmocka_unit_test(test_reject),
        cmocka_unit_test(test_consumption_price),
        cmocka_unit_test(test_free_grant),
        cmocka_unit_test(test_polling_cost),
        cmocka_unit_test(test_month_from_arrival_span),
        cmocka_unit_test(test_free_grant_baseline),
        cmocka_unit_test(test_service_bus_ops),
        cmocka_unit_test(test_dedicated_packing),
        cmocka_unit_test(test_baseline_by_hand),
        cmocka_unit_test(test_baseline_mm1),
    };
    return cmocka_run_group_tests_name("cost", tests, NULL, NULL);
}
