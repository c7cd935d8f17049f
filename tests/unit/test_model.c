/* tests/unit/test_model.c - whole replications on small scenarios whose
 * counts, times and costs are derived by hand in the comments. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "sim/scenario.h"
#include "sim/sim.h"
#include "sim/support.h"

static int load(struct scenario *scn, const char *yaml,
                const struct scn_override *ov, size_t n_ov)
{
    struct diag d;
    diag_init(&d);
    int rc = scn_load_string(scn, yaml, "test.yaml", ".", ov, n_ov, &d);
    if (rc == 0)
        rc = scn_check_supported(scn, &d);
    if (rc != 0) {
        char buf[2048];
        fprintf(stderr, "%s\n", diag_format(&d, buf, sizeof buf));
    }
    return rc;
}

static void run1(const struct scenario *scn, struct rep_result *out)
{
    struct sim *s = malloc(sizeof *s);
    assert_non_null(s);
    struct diag d;
    diag_init(&d);
    assert_int_equal(sim_init(s, scn, 0, NULL, &d), 0);
    assert_int_equal(sim_run(s, out, &d), 0);
    sim_fini(s);
    free(s);
}

#define M(r, name) ((r).m[RM_##name])

/* Three messages at t = 0, poll every 10 s from 0, start-up 5 s, claim 0,
 * processing 2 s, queue_length 1, max_executions 10, 0.5 vCPU / 1 GiB.
 * - The arrivals at t = 0 run before the poll at t = 0 (event order), so
 *   the poll sees QL = 3, R = 0: default strategy creates
 *   min(ceil(3/1), 10) - 0 = 3 executions.
 * - Each is Running at 5 s, receives at 5 s (wait 5 s), finishes at 7 s
 *   (latency 7 s); none is empty.
 * - Billed from creation (bill_startup): 3 x 7 s = 21 replica-s ->
 *   10.5 vCPU-s and 21 GiB-s -> 10.5 x 0.000024 + 21 x 0.000003
 *   = 0.000252 + 0.000063 = 0.000315 USD.
 * - The run ends at 7 s; span = max(horizon 1 s, 7 s) = 7 s holds one grid
 *   poll (t = 0): 1 x 1 rule x 2 ops + 3 messages x 3 ops = 11 operations
 *   -> 11 / 10,000 x 0.004 = 0.0000044 USD.
 * - Backlog 3 on [0, 7 s]: max 3, mean 3. Drain: last message done at 7 s,
 *   horizon 1 s -> 6 s. */
static const char burst3[] =
    "horizon: 1s\n"
    "replications: 1\n"
    "arrivals: {process: {kind: batches, every: 1h, size: 3, offset: 0s, "
    "spread: 0s}}\n"
    "scale:\n"
    "  polling_interval: 10s\n"
    "  max_executions: 10\n"
    "  rules: [{name: q, type: azure-queue, queue_length: 1}]\n"
    "job:\n"
    "  cpu: 0.5\n"
    "  memory: 1Gi\n"
    "  startup: 5s\n"
    "  claim: 0s\n"
    "  duration: 2s\n"
    "output: {timeseries: false}\n";

static void test_burst3(void **state)
{
    (void)state;
    struct scenario scn;
    assert_int_equal(load(&scn, burst3, NULL, 0), 0);
    struct rep_result r;
    run1(&scn, &r);
    assert_int_equal((int)M(r, messages), 3);
    assert_int_equal((int)M(r, completed), 3);
    assert_int_equal((int)M(r, unfinished), 0);
    assert_int_equal((int)M(r, executions), 3);
    assert_int_equal((int)M(r, empty_executions), 0);
    assert_float_equal(M(r, wait_mean_s), 5.0, 1e-9);
    assert_float_equal(M(r, latency_mean_s), 7.0, 1e-9);
    assert_float_equal(M(r, latency_max_s), 7.0, 1e-9);
    assert_float_equal(M(r, vcpu_seconds), 10.5, 1e-9);
    assert_float_equal(M(r, gib_seconds), 21.0, 1e-9);
    assert_float_equal(M(r, compute_cost_usd), 0.000315, 1e-12);
    assert_int_equal((int)M(r, polls), 1);
    assert_float_equal(M(r, ops_cost_usd), 0.0000044, 1e-12);
    assert_float_equal(M(r, backlog_max), 3.0, 0);
    assert_float_equal(M(r, backlog_mean), 3.0, 1e-9);
    assert_float_equal(M(r, drain_time_s), 6.0, 1e-9);
    assert_int_equal((int)M(r, duplicate_deliveries), 0);
    scn_fini(&scn);
}

/* bill_startup: false bills from Running: 3 x 2 s = 6 replica-s = 3 vCPU-s.
 * billing_granularity 5 s rounds each replica's 7 s up to 10 s: 30 s. */
static void test_billing_options(void **state)
{
    (void)state;
    struct scenario scn;
    struct rep_result r;
    struct scn_override no_startup = {"cost.bill_startup", "false"};
    assert_int_equal(load(&scn, burst3, &no_startup, 1), 0);
    run1(&scn, &r);
    assert_float_equal(M(r, vcpu_seconds), 3.0, 1e-9);
    scn_fini(&scn);
    struct scn_override gran = {"cost.billing_granularity", "5s"};
    assert_int_equal(load(&scn, burst3, &gran, 1), 0);
    run1(&scn, &r);
    assert_float_equal(M(r, vcpu_seconds), 15.0, 1e-9); /* 30 s x 0.5 */
    scn_fini(&scn);
}

/* 25 messages at t = 0, max_executions 10, start-up 5 s, processing 2 s,
 * poll every 10 s:
 *   poll 0:  QL 25, R 0 -> min(25, 10) - 0 = 10 created; done at 7 s.
 *   poll 10: QL 15, R 0 -> 10 created; done at 17 s.
 *   poll 20: QL 5,  R 0 -> 5 created; done at 27 s.
 * Latencies: 10 x 7 + 10 x 17 + 5 x 27 = 375 s over 25 -> mean 15 s,
 * max 27 s; waits 10 x 5 + 10 x 15 + 5 x 25 = 325 -> mean 13 s.
 * Drain: 27 s - horizon 1 s = 26 s. */
static void test_max_executions_cap(void **state)
{
    (void)state;
    struct scenario scn;
    struct scn_override ov = {"arrivals.process.size", "25"};
    assert_int_equal(load(&scn, burst3, &ov, 1), 0);
    struct rep_result r;
    run1(&scn, &r);
    assert_int_equal((int)M(r, executions), 25);
    assert_int_equal((int)M(r, completed), 25);
    assert_float_equal(M(r, latency_mean_s), 15.0, 1e-9);
    assert_float_equal(M(r, latency_max_s), 27.0, 1e-9);
    assert_float_equal(M(r, wait_mean_s), 13.0, 1e-9);
    assert_float_equal(M(r, drain_time_s), 26.0, 1e-9);
    /* Polls over [0, 27 s] on a 10 s grid: 0, 10, 20 -> 3. */
    assert_int_equal((int)M(r, polls), 3);
    scn_fini(&scn);
}

/* KEDA accurate strategy with a visible-only metric (domain.md 5, trap 4).
 * One message at t = 0; polls at 5, 15, 25, ... (first_poll 5 s, every
 * 10 s); start-up 18 s; claim 40 s; queue_length 1.
 * pending: not_running (KEDA's default pending rule):
 *   poll 5:  visible 1, R 0, P 0 -> accurate: 1 + 0 - 0 <= MAXR, so
 *            maxScale - P = 1: E1 created (Running 23 s, receives 63 s).
 *   poll 15: visible 1, R 1, P 1 (E1 not Running) -> 1 - 1 = 0.
 *   poll 25: E1 Running, so P 0 -> 1: E2 created (Running 43, receives 83).
 *   poll 35: P 1 (E2) -> 0.   poll 45: P 0 -> E3 (Running 63, claim 103).
 *   poll 55: P 1 -> 0.        poll 65: E1 took the message at 63: visible 0,
 *            the trigger is inactive -> nothing.
 *   E2 (83 s) and E3 (103 s) find nothing: 3 executions, 2 empty.
 * pending: not_claimed: E1 stays pending until it receives at 63 s, so
 *   every poll from 15 to 55 has P 1 -> 0: exactly 1 execution, 0 empty. */
static const char accurate1[] =
    "horizon: 1s\n"
    "replications: 1\n"
    "arrivals: {process: {kind: batches, every: 1h, size: 1}}\n"
    "scale:\n"
    "  polling_interval: 10s\n"
    "  first_poll: 5s\n"
    "  strategy: accurate\n"
    "  pending: not_running\n"
    "  rules: [{name: q, type: azure-queue, queue_length: 1,\n"
    "           queue_length_strategy: visibleonly}]\n"
    "job:\n"
    "  startup: 18s\n"
    "  claim: 40s\n"
    "  duration: 1s\n"
    "output: {timeseries: false}\n";

static void test_accurate_visibleonly(void **state)
{
    (void)state;
    struct scenario scn;
    struct rep_result r;
    assert_int_equal(load(&scn, accurate1, NULL, 0), 0);
    run1(&scn, &r);
    assert_int_equal((int)M(r, executions), 3);
    assert_int_equal((int)M(r, empty_executions), 2);
    assert_int_equal((int)M(r, completed), 1);
    assert_float_equal(M(r, wait_mean_s), 63.0, 1e-9);
    scn_fini(&scn);

    struct scn_override ov = {"scale.pending", "not_claimed"};
    assert_int_equal(load(&scn, accurate1, &ov, 1), 0);
    run1(&scn, &r);
    assert_int_equal((int)M(r, executions), 1);
    assert_int_equal((int)M(r, empty_executions), 0);
    scn_fini(&scn);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_burst3),
        cmocka_unit_test(test_billing_options),
        cmocka_unit_test(test_max_executions_cap),
        cmocka_unit_test(test_accurate_visibleonly),
    };
    return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
