/* tests/unit/test_lifecycle.c - execution lifecycle and broker semantics
 * (issue 4): whole replications on small scenarios whose counts are derived
 * by hand in the comments, and statistical checks with their intervals. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_sim.h"
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>

#include "sim/io/scenario.h"
#include "models/world.h"
#include "sim/io/support.h"

static int load(struct scenario *scn, const char *yaml,
                const struct scn_override *ov, size_t n_ov)
{
    return test_load(scn, yaml, ov, n_ov);
}

/* Executions recorded by the sink, for status checks. */
struct recs {
    struct exec_record r[64];
    int n;
};

static void rec_exec(void *ctx, const struct exec_record *e)
{
    struct recs *x = ctx;
    if (x->n < 64)
        x->r[x->n++] = *e;
}

static void run_rep(const struct scenario *scn, uint32_t rep,
                    struct rep_result *out, struct recs *recs)
{
    struct world_io io = {.execution = rec_exec, .ctx = recs};
    test_run(scn, rep, recs ? &io : NULL, out);
}

#define M(r, name) ((r).m[RM_##name])

/* 1a. A pop receipt stays valid until the next receive. One message at
 * t = 0, visibility 10 s, processing 25 s, polls every 5 s, default
 * strategy with the visible + in-flight metric: the message becomes
 * visible again at 10 s, but QL 1 - R 1 = 0, so nobody receives it; E1
 * deletes it at 25 s with its (still latest) receipt. 1 execution, no
 * duplicates, latency 25 s. */
static const char vis1[] =
    "horizon: 1s\n"
    "replications: 1\n"
    "arrivals: {process: {kind: batches, every: 1h, size: 1}}\n"
    "source: {visibility_timeout: 10s}\n"
    "scale:\n"
    "  polling_interval: 5s\n"
    "  rules: [{name: q, type: azure-queue, queue_length: 1}]\n"
    "job: {startup: 0s, claim: 0s, duration: 25s}\n"
    "output: {timeseries: false}\n";

static void test_receipt_valid_until_next_receive(void **state)
{
    (void)state;
    struct scenario scn;
    struct rep_result r;
    assert_int_equal(load(&scn, vis1, NULL, 0), 0);
    run_rep(&scn, 0, &r, NULL);
    assert_int_equal((int)M(r, executions), 1);
    assert_int_equal((int)M(r, duplicate_deliveries), 0);
    assert_int_equal((int)M(r, duplicate_completions), 0);
    assert_int_equal((int)M(r, completed), 1);
    assert_near(M(r, latency_mean_s), 25.0, 1e-9);
    scn_fini(&scn);
}

/* 1b. Processing longer than visibility_timeout with other consumers
 * around: Poisson arrivals 1/s for 10 min, processing 20 s fixed,
 * visibility 10 s, polls 5 s, max_executions 50. A message's visibility
 * runs out while it is processed, a later execution receives it again
 * (duplicate delivery) and both finish it (duplicate completion, the
 * first delete fails with a stale receipt). With lock_renewal the lock is
 * held until the delete: exactly one delivery and one completion per
 * message (zero duplicates), every message completed. */
static const char vis2[] =
    "horizon: 10m\n"
    "replications: 1\n"
    "arrivals: {process: {kind: poisson, rate: 1/s}}\n"
    "source: {visibility_timeout: 10s}\n"
    "scale:\n"
    "  polling_interval: 5s\n"
    "  max_executions: 50\n"
    "  rules: [{name: q, type: azure-queue, queue_length: 1}]\n"
    "job: {startup: 2s, claim: 0s, duration: 20s}\n"
    "output: {timeseries: false}\n";

static void test_visibility_shorter_than_processing(void **state)
{
    (void)state;
    struct scenario scn;
    struct rep_result r;
    assert_int_equal(load(&scn, vis2, NULL, 0), 0);
    run_rep(&scn, 0, &r, NULL);
    printf("# no renewal: %g messages, %g duplicate deliveries, %g duplicate "
           "completions\n",
           M(r, messages), M(r, duplicate_deliveries),
           M(r, duplicate_completions));
    assert_true(M(r, duplicate_deliveries) > 0);
    assert_true(M(r, duplicate_completions) > 0);
    scn_fini(&scn);

    struct scn_override ov = {"source.lock_renewal", "true"};
    assert_int_equal(load(&scn, vis2, &ov, 1), 0);
    run_rep(&scn, 0, &r, NULL);
    assert_int_equal((int)M(r, duplicate_deliveries), 0);
    assert_int_equal((int)M(r, duplicate_completions), 0);
    assert_near(M(r, completed), M(r, messages), 0);
    scn_fini(&scn);
}

/* 2. replica_timeout shorter than processing. One message at t = 0,
 * replica_timeout 10 s, processing 15 s, visibility 12 s, polls every 5 s,
 * no start-up, max_delivery_count 3:
 *   0:  E1 receives (delivery 1, visible again at 12).  10: E1 Stopped;
 *       poll 10 sees QL 1 (in flight), R 0: E2, finds nothing (empty).
 *   12: visible.  15: poll: E3 receives (delivery 2, visible at 27).
 *   25: E3 Stopped; poll 25: E4, empty.  27: visible.  30: E5 receives
 *       (delivery 3, visible at 42).  40: E5 Stopped; poll 40: E6, empty.
 *   42: its visibility ends after the 3rd delivery: dead-lettered.
 * -> 6 executions: E1, E3, E5 Stopped (timed out), E2, E4, E6 Succeeded
 *    and empty; 2 duplicate deliveries; 1 dead-lettered, 0 completed. */
static const char timeout1[] =
    "horizon: 1s\n"
    "replications: 1\n"
    "arrivals: {process: {kind: batches, every: 1h, size: 1}}\n"
    "source: {visibility_timeout: 12s, max_delivery_count: 3}\n"
    "scale:\n"
    "  polling_interval: 5s\n"
    "  rules: [{name: q, type: azure-queue, queue_length: 1}]\n"
    "job: {startup: 0s, claim: 0s, duration: 15s, replica_timeout: 10s}\n"
    "output: {timeseries: false, executions: true}\n";

static void test_replica_timeout(void **state)
{
    (void)state;
    struct scenario scn;
    struct rep_result r;
    struct recs recs = {.n = 0};
    assert_int_equal(load(&scn, timeout1, NULL, 0), 0);
    run_rep(&scn, 0, &r, &recs);
    assert_int_equal((int)M(r, executions), 6);
    assert_int_equal((int)M(r, timed_out_executions), 3);
    assert_int_equal((int)M(r, empty_executions), 3);
    assert_int_equal((int)M(r, duplicate_deliveries), 2);
    assert_int_equal((int)M(r, dead_lettered), 1);
    assert_int_equal((int)M(r, completed), 0);
    assert_int_equal((int)M(r, unfinished), 0);
    assert_int_equal(recs.n, 6);
    static const sim_time created[6] = {0, 10, 15, 25, 30, 40};
    static const sim_time finished[6] = {10, 10, 25, 25, 40, 40};
    for (int i = 0; i < 6; i++) {
        const struct exec_record *e = &recs.r[i];
        bool stopped = i % 2 == 0;
        assert_int_equal(e->execution, i);
        assert_int_equal(e->created_us, created[i] * SIM_US_PER_S);
        assert_int_equal(e->finished_us, finished[i] * SIM_US_PER_S);
        assert_int_equal(e->status, stopped ? EXEC_STOPPED : EXEC_SUCCEEDED);
        assert_int_equal(e->empty, !stopped);
    }
    scn_fini(&scn);
}

/* 3. failure_probability p with max_delivery_count k: each delivery fails
 * independently with p; a message is dead-lettered when all k deliveries
 * fail, so the dead-lettered fraction is p^k = 0.5^3 = 0.125. Over n
 * messages it must lie within 4 binomial standard errors
 * (sqrt(p^k (1 - p^k) / n)). Exact identities: every message is completed
 * or dead-lettered; one delivery per execution and no empty execution
 * (startup 0: each execution receives at once), so failed executions =
 * deliveries - completions = messages + duplicate deliveries - completed. */
static const char fail1[] =
    "horizon: 2h\n"
    "replications: 1\n"
    "arrivals: {process: {kind: poisson, rate: 2/s}}\n"
    "source: {visibility_timeout: 1s, max_delivery_count: 3}\n"
    "scale:\n"
    "  polling_interval: 1s\n"
    "  max_executions: 100\n"
    "  rules: [{name: q, type: azure-queue, queue_length: 1}]\n"
    "job: {startup: 0s, claim: 0s, duration: 500ms, failure_probability: "
    "0.5}\n"
    "output: {timeseries: false}\n";

static void test_failures_dead_letter(void **state)
{
    (void)state;
    struct scenario scn;
    struct rep_result r;
    assert_int_equal(load(&scn, fail1, NULL, 0), 0);
    run_rep(&scn, 0, &r, NULL);
    double n = M(r, messages);
    double frac = M(r, dead_lettered) / n;
    double pk = 0.125, se = sqrt(pk * (1.0 - pk) / n);
    printf("# %g messages, dead-lettered fraction %.4f (p^k = 0.125, "
           "se %.4f)\n",
           n, frac, se);
    assert_true(n > 10000);
    assert_true(fabs(frac - pk) <= 4.0 * se);
    assert_near(M(r, completed) + M(r, dead_lettered), n, 0);
    assert_near(M(r, empty_executions), 0, 0);
    assert_near(M(r, failed_executions),
                n + M(r, duplicate_deliveries) - M(r, completed), 0);
    scn_fini(&scn);
}

/* 5. parallelism 3, replica_completion_count 2, drain mode. Kubernetes
 * keeps min(parallelism, completions still needed) = 2 replicas active.
 * Ten messages at t = 0, one execution (max_executions 1, queue_length 100
 * so maxScale = ceil(10/100) = 1), start-up 5 s, processing 2 s, one
 * message per receive: R1 and R2 become Running at 5 s and take messages
 * in turn: R1 m1 m3 m5 m7 m9, R2 m2 m4 m6 m8 m10, each 2 s, both done at
 * 15 s; each then finds the queue empty and exits 0: 2 successes = the
 * completion count -> Succeeded at 15 s with 10 messages. Billed 2 x 15 s
 * = 30 replica-s = 15 vCPU-s at 0.5 vCPU. */
static const char par1[] =
    "horizon: 1s\n"
    "replications: 1\n"
    "arrivals: {process: {kind: batches, every: 1h, size: 10}}\n"
    "scale:\n"
    "  polling_interval: 10s\n"
    "  max_executions: 1\n"
    "  rules: [{name: q, type: azure-queue, queue_length: 100}]\n"
    "job: {cpu: 0.5, memory: 1Gi, startup: 5s, claim: 0s, duration: 2s,\n"
    "      parallelism: 3, replica_completion_count: 2,\n"
    "      messages_per_replica: 0}\n"
    "output: {timeseries: false, executions: true}\n";

static void test_parallel_drain(void **state)
{
    (void)state;
    struct scenario scn;
    struct rep_result r;
    struct recs recs = {.n = 0};
    assert_int_equal(load(&scn, par1, NULL, 0), 0);
    run_rep(&scn, 0, &r, &recs);
    assert_int_equal((int)M(r, executions), 1);
    assert_int_equal((int)M(r, completed), 10);
    assert_near(M(r, latency_max_s), 15.0, 1e-9);
    assert_near(M(r, vcpu_seconds), 15.0, 1e-9);
    assert_int_equal(recs.n, 1);
    assert_int_equal(recs.r[0].status, EXEC_SUCCEEDED);
    assert_int_equal(recs.r[0].messages, 10);
    assert_int_equal(recs.r[0].finished_us, 15 * SIM_US_PER_S);
    assert_int_equal(recs.r[0].billed_us, 30 * SIM_US_PER_S);
    scn_fini(&scn);

    /* receive_batch 5: R1 takes m1-m5, R2 m6-m10 at 5 s; each processes
     * its five in 10 s: the same end at 15 s. The batch's last message was
     * received at 5 s and finishes at 15 s: latency max 15 s. */
    struct scn_override ov = {"job.receive_batch", "5"};
    assert_int_equal(load(&scn, par1, &ov, 1), 0);
    recs.n = 0;
    run_rep(&scn, 0, &r, &recs);
    assert_int_equal((int)M(r, completed), 10);
    assert_int_equal(recs.r[0].finished_us, 15 * SIM_US_PER_S);
    /* Waits: m1 and m6 start at 5 s, m2/m7 at 7 s, ... m5/m10 at 13 s:
     * 2 x (5 + 7 + 9 + 11 + 13) / 10 = 9 s. */
    assert_near(M(r, wait_mean_s), 9.0, 1e-9);
    scn_fini(&scn);
}

/* 6. Drain mode with idle_exit 15 s: one message at 0, 10 and 20 s, one
 * execution (queue_length 100), no start-up, processing 2 s. E1 takes m1
 * at 0 (done 2), waits; m2 arrives at 10 and is taken at once (done 12);
 * m3 at 20 (done 22); then the queue stays empty and E1 exits at
 * 22 + 15 = 37 s. 1 execution, 3 messages, waits 0, billed 37 s (the
 * idle waits included) = 18.5 vCPU-s at 0.5 vCPU. */
static const char idle1[] =
    "horizon: 20s\n"
    "replications: 1\n"
    "arrivals: {process: {kind: batches, every: 10s, size: 1}}\n"
    "scale:\n"
    "  polling_interval: 5s\n"
    "  rules: [{name: q, type: azure-queue, queue_length: 100}]\n"
    "job: {cpu: 0.5, memory: 1Gi, startup: 0s, claim: 0s, duration: 2s,\n"
    "      messages_per_replica: 0, idle_exit: 15s}\n"
    "output: {timeseries: false, executions: true}\n";

static void test_drain_idle_exit(void **state)
{
    (void)state;
    struct scenario scn;
    struct rep_result r;
    struct recs recs = {.n = 0};
    assert_int_equal(load(&scn, idle1, NULL, 0), 0);
    run_rep(&scn, 0, &r, &recs);
    assert_int_equal((int)M(r, executions), 1);
    assert_int_equal((int)M(r, completed), 3);
    assert_near(M(r, wait_mean_s), 0.0, 1e-9);
    assert_near(M(r, latency_mean_s), 2.0, 1e-9);
    assert_near(M(r, vcpu_seconds), 18.5, 1e-9);
    assert_int_equal(recs.r[0].finished_us, 37 * SIM_US_PER_S);
    assert_int_equal(recs.r[0].messages, 3);
    scn_fini(&scn);

    /* exit_overhead 3 s is added once, after the idle wait: ends at 40 s. */
    struct scn_override ov = {"job.exit_overhead", "3s"};
    assert_int_equal(load(&scn, idle1, &ov, 1), 0);
    recs.n = 0;
    run_rep(&scn, 0, &r, &recs);
    assert_int_equal(recs.r[0].finished_us, 40 * SIM_US_PER_S);
    scn_fini(&scn);
}

/* Retries: replica_retry_limit 2 and a certain failure: one message, no
 * start-up; the replica fails, a fresh replica starts at once and receives
 * nothing (the message is invisible for 30 s), exits 0: the execution
 * succeeds (1 success = completion count) after 1 failure. With
 * failure_probability 1 and replica_retry_limit 0 the execution Fails. */
static const char retry1[] =
    "horizon: 1s\n"
    "replications: 1\n"
    "arrivals: {process: {kind: batches, every: 1h, size: 1}}\n"
    "source: {visibility_timeout: 30s, max_delivery_count: 1}\n"
    "scale:\n"
    "  polling_interval: 10s\n"
    "  rules: [{name: q, type: azure-queue, queue_length: 1}]\n"
    "job: {startup: 0s, claim: 0s, duration: 1s, failure_probability: 1,\n"
    "      replica_retry_limit: 2}\n"
    "output: {timeseries: false, executions: true}\n";

static void test_retries(void **state)
{
    (void)state;
    struct scenario scn;
    struct rep_result r;
    struct recs recs = {.n = 0};
    assert_int_equal(load(&scn, retry1, NULL, 0), 0);
    run_rep(&scn, 0, &r, &recs);
    /* E1 at 0: replica 1 fails at 1 s, replica 2 finds nothing: Succeeded
     * (empty? no: replica 1 received the message). The message is
     * dead-lettered at 30 s (its visibility ends after delivery 1 = k).
     * Polls 10 and 20 see it in flight with R 0: E2, E3, both empty. */
    assert_int_equal(recs.r[0].status, EXEC_SUCCEEDED);
    assert_int_equal(recs.r[0].messages, 1);
    assert_int_equal((int)M(r, failed_executions), 0);
    assert_int_equal((int)M(r, dead_lettered), 1);
    assert_int_equal((int)M(r, executions), 3);
    assert_int_equal((int)M(r, empty_executions), 2);
    scn_fini(&scn);

    struct scn_override ov = {"job.replica_retry_limit", "0"};
    assert_int_equal(load(&scn, retry1, &ov, 1), 0);
    recs.n = 0;
    run_rep(&scn, 0, &r, &recs);
    assert_int_equal(recs.r[0].status, EXEC_FAILED);
    assert_int_equal((int)M(r, failed_executions), 1);
    scn_fini(&scn);
}

/* message_ttl: 5 messages at 0, one execution at a time (max 1), each
 * takes 10 s, ttl 25 s: m1 0-10, m2 10-20, m3 20-30 (received at 20 s,
 * before its ttl: in flight at 25 s, deleted at 30 s: completed), m4 and
 * m5 still waiting at 25 s: expired. 3 completed, 2 expired. Polls every
 * 10 s keep the single execution busy; no start-up. */
static const char ttl1[] =
    "horizon: 1s\n"
    "replications: 1\n"
    "arrivals: {process: {kind: batches, every: 1h, size: 5}}\n"
    "source: {message_ttl: 25s}\n"
    "scale:\n"
    "  polling_interval: 10s\n"
    "  max_executions: 1\n"
    "  rules: [{name: q, type: azure-queue, queue_length: 1}]\n"
    "job: {startup: 0s, claim: 0s, duration: 10s}\n"
    "output: {timeseries: false}\n";

static void test_message_ttl(void **state)
{
    (void)state;
    struct scenario scn;
    struct rep_result r;
    assert_int_equal(load(&scn, ttl1, NULL, 0), 0);
    run_rep(&scn, 0, &r, NULL);
    assert_int_equal((int)M(r, completed), 3);
    assert_int_equal((int)M(r, expired), 2);
    assert_int_equal((int)M(r, unfinished), 0);
    scn_fini(&scn);
}

/* 7. Conservation on a long random scenario with every mechanism on:
 * failures, dead-lettering, expiry, short visibility, time-outs, batches
 * and drain mode. world_run() asserts messages = completed + dead-lettered +
 * expired + unfinished against an independent count of what is left in
 * the queue (and lost after a delete on receipt), so a broken balance
 * aborts the test; here we also check it from the outside. */
static const char mix1[] =
    "horizon: 2h\n"
    "replications: 3\n"
    "drain_limit: 30m\n"
    "arrivals: {process: {kind: poisson, rate: 3/s}}\n"
    "source: {visibility_timeout: 20s, max_delivery_count: 4,\n"
    "         message_ttl: 15m}\n"
    "scale:\n"
    "  polling_interval: 15s\n"
    "  max_executions: 20\n"
    "  rules: [{name: q, type: azure-queue, queue_length: 3}]\n"
    "job:\n"
    "  startup: {dist: lognormal, median: 10s, p95: 40s}\n"
    "  claim: 1s\n"
    "  duration: {dist: exponential, mean: 6s}\n"
    "  failure_probability: 0.1\n"
    "  replica_timeout: 2m\n"
    "  messages_per_replica: 0\n"
    "  idle_exit: 5s\n"
    "  receive_batch: 4\n"
    "  parallelism: 2\n"
    "  replica_retry_limit: 1\n"
    "output: {timeseries: false}\n";

static void test_conservation(void **state)
{
    (void)state;
    static const char *const del[] = {"at_end", "at_receive"};
    for (int k = 0; k < 2; k++) {
        struct scenario scn;
        struct scn_override ov = {"job.delete", del[k]};
        assert_int_equal(load(&scn, mix1, &ov, 1), 0);
        for (uint32_t rep = 0; rep < 3; rep++) {
            struct rep_result r;
            run_rep(&scn, rep, &r, NULL);
            assert_true(M(r, messages) > 15000);
            assert_near(M(r, completed) + M(r, dead_lettered) +
                            M(r, expired) + M(r, unfinished),
                        M(r, messages), 0);
            assert_true(M(r, unfinished) >= 0);
        }
        scn_fini(&scn);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_receipt_valid_until_next_receive),
        cmocka_unit_test(test_visibility_shorter_than_processing),
        cmocka_unit_test(test_replica_timeout),
        cmocka_unit_test(test_failures_dead_letter),
        cmocka_unit_test(test_parallel_drain),
        cmocka_unit_test(test_drain_idle_exit),
        cmocka_unit_test(test_retries),
        cmocka_unit_test(test_message_ttl),
        cmocka_unit_test(test_conservation),
    };
    return cmocka_run_group_tests_name("lifecycle", tests, NULL, NULL);
}
