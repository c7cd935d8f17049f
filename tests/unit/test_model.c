/* tests/unit/test_model.c - whole replications on small scenarios whose
 * counts, times and costs are derived by hand in the comments. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "test_sim.h"
#include "test_util.h"

#include "sim/io/scenario.h"
#include "models/world.h"
#include "sim/io/support.h"

static int load(struct scenario *scn, const char *yaml,
                const struct scn_override *ov, size_t n_ov)
{
    return test_load(scn, yaml, ov, n_ov);
}

static void run1(const struct scenario *scn, struct rep_result *out)
{
    test_run(scn, 0, NULL, out);
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
    assert_near(M(r, wait_mean_s), 5.0, 1e-9);
    assert_near(M(r, latency_mean_s), 7.0, 1e-9);
    assert_near(M(r, latency_max_s), 7.0, 1e-9);
    assert_near(M(r, vcpu_seconds), 10.5, 1e-9);
    assert_near(M(r, gib_seconds), 21.0, 1e-9);
    assert_near(M(r, compute_cost_usd), 0.000315, 1e-12);
    assert_int_equal((int)M(r, polls), 1);
    assert_near(M(r, ops_cost_usd), 0.0000044, 1e-12);
    assert_near(M(r, backlog_max), 3.0, 0);
    assert_near(M(r, backlog_mean), 3.0, 1e-9);
    assert_near(M(r, drain_time_s), 6.0, 1e-9);
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
    assert_near(M(r, vcpu_seconds), 3.0, 1e-9);
    scn_fini(&scn);
    struct scn_override gran = {"cost.billing_granularity", "5s"};
    assert_int_equal(load(&scn, burst3, &gran, 1), 0);
    run1(&scn, &r);
    assert_near(M(r, vcpu_seconds), 15.0, 1e-9); /* 30 s x 0.5 */
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
    assert_near(M(r, latency_mean_s), 15.0, 1e-9);
    assert_near(M(r, latency_max_s), 27.0, 1e-9);
    assert_near(M(r, wait_mean_s), 13.0, 1e-9);
    assert_near(M(r, drain_time_s), 26.0, 1e-9);
    /* Polls over [0, 27 s] on a 10 s grid: 0, 10, 20 -> 3. */
    assert_int_equal((int)M(r, polls), 3);
    scn_fini(&scn);
}

/* KEDA accurate strategy with a visible-only metric (docs/model.md 4.6, trap 4).
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
    assert_near(M(r, wait_mean_s), 63.0, 1e-9);
    scn_fini(&scn);

    struct scn_override ov = {"scale.pending", "not_claimed"};
    assert_int_equal(load(&scn, accurate1, &ov, 1), 0);
    run1(&scn, &r);
    assert_int_equal((int)M(r, executions), 1);
    assert_int_equal((int)M(r, empty_executions), 0);
    scn_fini(&scn);
}

/* Default strategy and a job that deletes its message on receipt (the
 * starvation ACA's tutorial warns about; aca#1107, docs/model.md 4.6 trap 6).
 * One message every 15 s from t = 0 to 75 s (6), polls every 10 s, no
 * start-up, processing 100 s, queue_length 1, max_executions 10.
 * delete: at_receive (the metric then counts only waiting messages W, and
 * default subtracts every running execution: new = W - R):
 *   poll 0: W 1, R 0 -> E1 takes m1 (wait 0).   poll 20: W 1 (m2), R 1 -> 0.
 *   poll 30: m3 arrived: W 2, R 1 -> 1: E2 takes m2 (arrived 15: wait 15).
 *   poll 50: W 2 (m3, m4), R 2 -> 0.  poll 60: m5: W 3, R 2 -> E3 takes m3
 *   (arrived 30: wait 30).  poll 80: W 3, R 3 -> 0.  E1 ends at 100: poll
 *   100: W 3, R 2 -> E4 takes m4 (45 -> 100: 55).  E2 ends 130: W 2, R 2 ->
 *   0.  E3 ends 160: W 2, R 1 -> E5 takes m5 (60 -> 160: 100).  E4 ends 200:
 *   W 1, R 1 -> 0.  E5 ends 260: W 1, R 0 -> E6 takes m6 (75 -> 260: 185).
 *   Waits 0 + 15 + 30 + 55 + 100 + 185 = 385 s: mean 64.1667 s, with 10
 *   executions allowed and never more than 3 running.
 * delete: at_end (the metric counts in-flight messages too): every poll
 * sees W + F - R = the new messages, so each waits for the next poll only:
 * m1 0, m2 5, m3 0, m4 5, m5 0, m6 5 -> mean 2.5 s. */
static const char starve[] =
    "horizon: 75s\n"
    "replications: 1\n"
    "arrivals: {process: {kind: batches, every: 15s, size: 1}}\n"
    "scale:\n"
    "  polling_interval: 10s\n"
    "  rules: [{name: q, type: azure-queue, queue_length: 1}]\n"
    "source: {visibility_timeout: 10m}\n"
    "job:\n"
    "  startup: 0s\n"
    "  claim: 0s\n"
    "  duration: 100s\n"
    "  delete: at_receive\n"
    "output: {timeseries: false}\n";

static void test_default_at_receive_starves(void **state)
{
    (void)state;
    struct scenario scn;
    struct rep_result r;
    assert_int_equal(load(&scn, starve, NULL, 0), 0);
    run1(&scn, &r);
    assert_int_equal((int)M(r, messages), 6);
    assert_int_equal((int)M(r, executions), 6);
    assert_near(M(r, wait_mean_s), 385.0 / 6.0, 1e-9);
    assert_true(M(r, wait_p95_s) <= 185.0 * 1.01);
    scn_fini(&scn);

    struct scn_override ov = {"job.delete", "at_end"};
    assert_int_equal(load(&scn, starve, &ov, 1), 0);
    run1(&scn, &r);
    assert_int_equal((int)M(r, executions), 6);
    assert_near(M(r, wait_mean_s), 2.5, 1e-9);
    scn_fini(&scn);
}

/* eager (KEDA v2.15): eff = min(MAXR - R' - P, maxScale), pending counted
 * twice. Three messages at t = 0, max_executions 20, polls every 10 s,
 * start-up 25 s, processing 10 s, metric visible + in flight:
 *   poll 0:  QL 3, R 0, P 0 -> min(20, 3) = 3 (E1-E3, Running at 25).
 *   poll 10: R 3, P 3 -> min(20 - 3 - 3, 3) = 3 (E4-E6, Running at 35).
 *   poll 20: R 6, P 6 -> min(8, 3) = 3 (E7-E9, Running at 45).
 *   poll 30: E1-E3 hold the messages (QL 3), R 9, P 6 -> min(5, 3) = 3
 *            (E10-E12).
 *   35 s: E1-E3 finish and delete (before E4-E6 become Running at the same
 *   instant: completions run first), so E4-E12 all find nothing; poll 40
 *   sees QL 0 and stops.  -> 12 executions, 9 empty.
 * default on the same input: poll 0 creates 3, later polls 3 - R' 3 = 0:
 * 3 executions, none empty. */
static const char eager3[] =
    "horizon: 1s\n"
    "replications: 1\n"
    "arrivals: {process: {kind: batches, every: 1h, size: 3}}\n"
    "scale:\n"
    "  polling_interval: 10s\n"
    "  max_executions: 20\n"
    "  strategy: eager\n"
    "  rules: [{name: q, type: azure-queue, queue_length: 1}]\n"
    "job:\n"
    "  startup: 25s\n"
    "  claim: 0s\n"
    "  duration: 10s\n"
    "output: {timeseries: false}\n";

static void test_eager_every_poll(void **state)
{
    (void)state;
    struct scenario scn;
    struct rep_result r;
    assert_int_equal(load(&scn, eager3, NULL, 0), 0);
    run1(&scn, &r);
    assert_int_equal((int)M(r, executions), 12);
    assert_int_equal((int)M(r, empty_executions), 9);
    assert_int_equal((int)M(r, completed), 3);
    scn_fini(&scn);

    struct scn_override ov = {"scale.strategy", "default"};
    assert_int_equal(load(&scn, eager3, &ov, 1), 0);
    run1(&scn, &r);
    assert_int_equal((int)M(r, executions), 3);
    assert_int_equal((int)M(r, empty_executions), 0);
    scn_fini(&scn);
}

/* source.count_lag: the scaler reads the counts as they were 60 s ago.
 * One message at t = 0, polls every 10 s, no start-up, processing 5 s.
 * count_lag 0: poll 0 starts E1, done at 5 s: 1 execution, wait 0.
 * count_lag 60 s (counts seen: before 0 s -> empty; from 0 s: 1 visible;
 * from 60 s: 1 in flight; from 65 s: empty):
 *   polls 0..50 see the empty queue of t - 60 < 0: nothing.
 *   poll 60 sees 1 (as of 0 s): E1 takes the message (wait 60 s), done 65.
 *   polls 70, 80, 90, 100, 110 see 1 visible (as of 10..50 s), R 0: one
 *   execution each, all empty (the queue is empty since 65 s).
 *   poll 120 sees 1 in flight (as of 60 s), R 0: one more, empty.
 *   poll 130 sees the empty queue of 70 s: the run ends.
 *   -> 7 executions, 6 empty, latency 65 s. */
static const char lag1[] =
    "horizon: 1s\n"
    "replications: 1\n"
    "arrivals: {process: {kind: batches, every: 1h, size: 1}}\n"
    "source: {count_lag: 60s}\n"
    "scale:\n"
    "  polling_interval: 10s\n"
    "  rules: [{name: q, type: azure-queue, queue_length: 1}]\n"
    "job:\n"
    "  startup: 0s\n"
    "  claim: 0s\n"
    "  duration: 5s\n"
    "output: {timeseries: false}\n";

static void test_count_lag(void **state)
{
    (void)state;
    struct scenario scn;
    struct rep_result r;
    assert_int_equal(load(&scn, lag1, NULL, 0), 0);
    run1(&scn, &r);
    assert_int_equal((int)M(r, executions), 7);
    assert_int_equal((int)M(r, empty_executions), 6);
    assert_near(M(r, wait_mean_s), 60.0, 1e-9);
    assert_near(M(r, latency_mean_s), 65.0, 1e-9);
    scn_fini(&scn);

    struct scn_override ov = {"source.count_lag", "0s"};
    assert_int_equal(load(&scn, lag1, &ov, 1), 0);
    run1(&scn, &r);
    assert_int_equal((int)M(r, executions), 1);
    assert_int_equal((int)M(r, empty_executions), 0);
    assert_near(M(r, latency_mean_s), 5.0, 1e-9);
    scn_fini(&scn);
}

/* The azure-queue metric (KEDA azure_queue_scaler.go, v2.15+): `all` is
 * ApproximateMessagesCount = visible + in flight; `visibleonly` peeks 32
 * and falls back to the approximate count when 32 or more are visible;
 * azure-servicebus ActiveMessageCount includes locked messages. */
static void test_queue_metric(void **state)
{
    (void)state;
    struct scn_rule all = {.type = RULE_AZURE_QUEUE,
                           .queue_length_strategy = QLS_ALL};
    struct scn_rule vis = {.type = RULE_AZURE_QUEUE,
                           .queue_length_strategy = QLS_VISIBLEONLY};
    struct scn_rule sb = {.type = RULE_AZURE_SERVICEBUS};
    struct count_snap c = {0, 31, 7};
    assert_int_equal(source_count(&c, &all), 38);
    assert_int_equal(source_count(&c, &vis), 31);
    assert_int_equal(source_count(&c, &sb), 38);
    c.visible = 32;
    assert_int_equal(source_count(&c, &vis), 39);
    c.visible = 0;
    assert_int_equal(source_count(&c, &vis), 0);
    assert_int_equal(source_count(&c, &all), 7);
}

/* ---- issue 11.2: the time series summarises intervals ------------------ */

#define TS_ROWS 64
struct ts_capture {
    size_t n;
    struct ts_sample row[TS_ROWS];
    struct exec_record ex[TS_ROWS];
    size_t n_ex;
};

static void cap_sample(void *ctx, const struct ts_sample *s)
{
    struct ts_capture *c = ctx;
    assert_true(c->n < TS_ROWS);
    c->row[c->n++] = *s;
}

static void cap_exec(void *ctx, const struct exec_record *e)
{
    struct ts_capture *c = ctx;
    assert_true(c->n_ex < TS_ROWS);
    c->ex[c->n_ex++] = *e;
}

/* A burst between two samples: 3 messages at 2.5 s, 1 s polls, 10 s
 * sample_interval, no start-up or claim, processing 3 s. The poll at 3 s
 * sees 3 messages and starts 3 executions, which receive at 3 s and
 * delete at 6 s; then nothing is left and the run ends at 6 s, so the
 * only interval is the partial [0, 6). An instantaneous sample at 0 (and
 * at 10 s) shows nothing. Backlog 3 on [2.5, 6) -> mean 3 x 3.5 / 6 =
 * 1.75, max 3; visible 3 on [2.5, 3) -> 0.25; in flight 3 on [3, 6) ->
 * 1.5; running: max 3, mean = the executions' Running time (from their
 * own records) / 6. */
static const char burst_between[] =
    "horizon: 20s\n"
    "replications: 1\n"
    "sample_interval: 10s\n"
    "arrivals: {process: {kind: batches, every: 1h, offset: 2.5s, size: 3}}\n"
    "source: {visibility_timeout: 5m}\n"
    "scale:\n"
    "  polling_interval: 1s\n"
    "  rules: [{name: q, type: azure-queue, queue_length: 1}]\n"
    "job: {startup: 0s, claim: 0s, duration: 3s}\n";

static void test_ts_between_samples(void **state)
{
    (void)state;
    struct scenario scn;
    assert_int_equal(test_load(&scn, burst_between, NULL, 0), 0);
    struct ts_capture *c = calloc(1, sizeof *c);
    assert_non_null(c);
    struct world_io io = {.sample = cap_sample, .execution = cap_exec,
                          .ctx = c};
    struct rep_result r;
    test_run(&scn, 0, &io, &r);
    assert_true(c->n >= 1);
    const struct ts_sample *s = &c->row[0];
    assert_int_equal(s->t_us, 0);
    assert_int_equal((int)c->n, 1);
    assert_int_equal(s->end_us, 6000000);
    assert_near(r.sim_end_s, 6.0, 1e-12);
    assert_int_equal(s->max[TS_BACKLOG], 3);
    assert_near(s->mean[TS_BACKLOG], 1.75, 1e-12);
    assert_near(s->mean[TS_VISIBLE], 0.25, 1e-12);
    assert_near(s->mean[TS_IN_FLIGHT], 1.5, 1e-12);
    assert_int_equal(s->max[TS_RUNNING], 3);
    assert_int_equal((int)c->n_ex, 3);
    double run_us = 0;
    for (size_t i = 0; i < c->n_ex; i++) {
        sim_time a = c->ex[i].running_us, b = c->ex[i].finished_us;
        run_us += b > a ? (double)(b - a) : 0.0;
    }
    assert_near(run_us, 9e6, 1e-6); /* 3 x [3, 6) */
    assert_near(s->mean[TS_RUNNING], run_us / 6e6, 1e-12);
    free(c);
    scn_fini(&scn);
}

/* The drain_limit cut: one message at 0, processing 100 s, horizon 10 s,
 * drain_limit 20 s: the execution runs from 0 to the cut at 30 s and is
 * billed 30 s (0.5 vCPU -> 15 vCPU-s). Every interval of [0, 30) must show
 * it running (mean 1, max 1), the last one [20, 30) included: the old
 * series sampled t = 30 after the stop and showed 0. */
static const char cut[] =
    "horizon: 10s\n"
    "drain_limit: 20s\n"
    "replications: 1\n"
    "sample_interval: 10s\n"
    "arrivals: {process: {kind: batches, every: 1h, size: 1}}\n"
    "source: {visibility_timeout: 1h}\n"
    "scale:\n"
    "  polling_interval: 10s\n"
    "  rules: [{name: q, type: azure-queue, queue_length: 1}]\n"
    "job: {cpu: 0.5, memory: 1Gi, startup: 0s, claim: 0s, duration: 100s, "
    "replica_timeout: 1h}\n";

static void test_ts_drain_cut(void **state)
{
    (void)state;
    struct scenario scn;
    assert_int_equal(test_load(&scn, cut, NULL, 0), 0);
    struct ts_capture *c = calloc(1, sizeof *c);
    assert_non_null(c);
    struct world_io io = {.sample = cap_sample, .ctx = c};
    struct rep_result r;
    test_run(&scn, 0, &io, &r);
    assert_near(r.m[RM_vcpu_seconds], 15.0, 1e-9);
    assert_int_equal((int)c->n, 3);
    for (size_t i = 0; i < c->n; i++) {
        assert_int_equal(c->row[i].t_us, (sim_time)i * 10000000);
        assert_int_equal(c->row[i].end_us, (sim_time)(i + 1) * 10000000);
        assert_int_equal(c->row[i].max[TS_RUNNING], 1);
        assert_near(c->row[i].mean[TS_RUNNING], 1.0, 1e-12);
    }
    free(c);
    scn_fini(&scn);
}

/* The default sample_interval: horizon / 2,000 rounded up to a nice
 * duration, never below the polling interval. 3 h / 2,000 = 5.4 s -> 10 s
 * (with 1 s polls), 30 s polls win over it; 30 d / 2,000 = 1,296 s ->
 * 30 min; 2,000 d / 2,000 = 1 d; 5,000 d -> 2.5 d -> 5 d; no horizon ->
 * the polling interval. */
static void test_ts_default_interval(void **state)
{
    (void)state;
    const sim_time s = 1000000, h = 3600 * s, d = 24 * h;
    assert_int_equal(result_default_sample_interval(3 * h, s), 10 * s);
    assert_int_equal(result_default_sample_interval(3 * h, 30 * s), 30 * s);
    assert_int_equal(result_default_sample_interval(30 * d, s), 1800 * s);
    assert_int_equal(result_default_sample_interval(2000 * d, s), d);
    assert_int_equal(result_default_sample_interval(5000 * d, s), 5 * d);
    assert_int_equal(result_default_sample_interval(0, 15 * s), 15 * s);
}

/* Issue 11.4: unfinished messages count as beyond the end of the run in
 * the latency quantiles. 100 completed latencies 1, 2, ..., 100 s:
 * alone, the p95 is the 95th-96th value (~95 s, 1 % buckets). With 10
 * unfinished (9.1 % of 110 > 5 %) the p95 is +inf; the p50 is the
 * quantile 0.5 x 110 / 100 = 0.55 of the completed (~55 s); with 5
 * unfinished (4.8 %) the p95 is the 0.95 x 105 / 100 = 0.9975 quantile of
 * the completed, ~100 s. */
static void test_latency_unfinished(void **state)
{
    (void)state;
    struct qhist h;
    assert_int_equal(qhist_init(&h), 0);
    for (int i = 1; i <= 100; i++)
        qhist_add(&h, (double)i);
    double p95 = result_latency_quantile(&h, 0, 0.95);
    assert_true(p95 > 94.0 && p95 < 97.0);
    assert_true(isinf(result_latency_quantile(&h, 10, 0.95)));
    assert_true(isinf(result_latency_quantile(&h, 10, 1.0)));
    double p50 = result_latency_quantile(&h, 10, 0.5);
    assert_true(p50 > 54.0 && p50 < 56.5);
    double p95b = result_latency_quantile(&h, 5, 0.95);
    assert_true(p95b > 99.0 && p95b <= 100.0);
    qhist_fini(&h);
}

/* Issue 11.9: an unstable configuration ends its replication instead of
 * growing memory. A batch of 50 messages at t = 0 (spread 0), backlog
 * limit 20: the 21st arrival makes the backlog 21 > 20, so the replication
 * ends right after it, before the poll at t = 0 (polls run last at an
 * instant): messages 21, all unfinished, no execution, unstable 1. */
static const char unstable1[] =
    "horizon: 1s\n"
    "replications: 1\n"
    "arrivals: {process: {kind: batches, every: 1h, size: 50}}\n"
    "scale:\n"
    "  polling_interval: 1s\n"
    "  max_executions: 1\n"
    "  rules: [{name: q, type: azure-queue, queue_length: 1}]\n"
    "job: {startup: 0s, duration: {dist: fixed, value: 10s}}\n"
    "output: {timeseries: false, plots: false}\n";

static void test_unstable(void **state)
{
    (void)state;
    struct scenario scn;
    assert_int_equal(test_load(&scn, unstable1, NULL, 0), 0);
    struct world_io io = {.backlog_limit = 20};
    struct rep_result r;
    test_run(&scn, 0, &io, &r);
    assert_true(r.m[RM_unstable] == 1.0);
    assert_true(r.m[RM_messages] == 21.0);
    assert_true(r.m[RM_unfinished] == 21.0);
    assert_true(r.m[RM_executions] == 0.0);
    /* The same scenario under the default limit is stable: 50 messages,
     * all completed by one execution at a time (10 s each). */
    test_run(&scn, 0, NULL, &r);
    assert_true(r.m[RM_unstable] == 0.0);
    assert_true(r.m[RM_completed] == 50.0);
    scn_fini(&scn);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_burst3),
        cmocka_unit_test(test_billing_options),
        cmocka_unit_test(test_max_executions_cap),
        cmocka_unit_test(test_accurate_visibleonly),
        cmocka_unit_test(test_default_at_receive_starves),
        cmocka_unit_test(test_eager_every_poll),
        cmocka_unit_test(test_count_lag),
        cmocka_unit_test(test_queue_metric),
        cmocka_unit_test(test_ts_between_samples),
        cmocka_unit_test(test_ts_drain_cut),
        cmocka_unit_test(test_ts_default_interval),
        cmocka_unit_test(test_latency_unfinished),
        cmocka_unit_test(test_unstable),
    };
    return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
