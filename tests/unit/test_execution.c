/* tests/unit/test_execution.c - executions and replicas (models/
 * execution.c) against a bare engine (issue 10, section 4): a real source
 * and downstream (plain data structures), a real cost meter, no nodes
 * (Consumption plan), and fake hooks that record state_changed and forward
 * message_available / admitted to the executions as models/world.c does.
 * No scaler: the tests call exec_create() themselves. The job and cost
 * sections are a struct scenario filled in C; start-up, claim and
 * processing times are fixed (dist_set_fixed), every message carries its
 * own processing time (source_put(q, seconds)). Expected values are
 * derived in the comment above each test; times in seconds. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_bare.h"
#include "test_util.h"

#include "models/cost.h"

#define MAX_REC 64 /* > the executions of any run here */

struct xfix {
    struct bare b;
    struct scenario scn;          /* job and cost only */
    struct scn_source src_cfg;
    struct scn_downstream down_cfg;
    struct source q;
    struct downstream ds;
    struct nodes nodes;           /* used when scn.cost.plan is dedicated */
    struct cost_meter cost;
    struct executions ex;
    struct exec_record rec[MAX_REC];
    int n_rec;
};

static void rec_exec(void *ctx, const struct exec_record *r)
{
    struct xfix *f = ctx;
    assert_true(f->n_rec < MAX_REC);
    f->rec[f->n_rec++] = *r;
}

/* A fixture with the default job of these tests: one replica of one
 * message, start-up 1 s, claim 0, no time-out to speak of (30 min), no
 * retries, no failures; billing from creation, 1 s granularity; vis 30 s;
 * an unlimited downstream. Change f->scn / f->src_cfg / f->down_cfg, then
 * xfix_start(). */
static struct xfix *xfix_new(void)
{
    struct xfix *f = calloc(1, sizeof *f);
    assert_non_null(f);
    bare_init(&f->b);
    struct scn_job *j = &f->scn.job;
    j->cpu = 0.5;
    j->memory_gib = 1.0;
    j->parallelism = 1;
    j->replica_completion_count = 1;
    j->replica_timeout_us = SEC(1800);
    dist_set_fixed(&j->startup, 1.0);
    dist_set_fixed(&j->claim, 0.0);
    dist_set_fixed(&j->duration, 1.0);
    j->messages_per_replica = 1;
    j->receive_batch = 1;
    f->scn.cost.plan = PLAN_CONSUMPTION;
    f->scn.cost.bill_startup = true;
    f->scn.cost.billing_granularity_us = SEC(1);
    f->scn.scale.pending = PENDING_NOT_RUNNING;
    f->src_cfg = bare_queue_cfg(30);
    return f;
}

static void xfix_start(struct xfix *f)
{
    struct bare *b = &f->b;
    bare_source(b, &f->q, &f->src_cfg);
    bare_down(b, &f->ds, &f->down_cfg);
    cost_init(&f->cost, &f->scn);
    struct nodes_env ne = {.eng = &b->eng, .placed = bare_placed, .ctx = b};
    assert_int_equal(nodes_init(&f->nodes, &f->scn, &ne), 0);
    struct exec_env env = {
        .eng = &b->eng, .job = &f->scn.job, .cost_cfg = &f->scn.cost,
        .pending = f->scn.scale.pending, .src = &f->q, .down = &f->ds,
        .nodes = f->nodes.on ? &f->nodes : NULL, .cost = &f->cost,
        .met = &b->met,
        .startup_rng = b->rng, .claim_rng = b->rng, .failure_rng = b->rng,
        .state_changed = bare_state_changed, .ctx = b,
        .record = rec_exec, .record_ctx = f,
    };
    assert_int_equal(exec_init(&f->ex, &env), 0);
    b->ex = &f->ex;
    static const enum ev_kind kinds[] = {
        EV_WORK_DONE, EV_EXIT, EV_REPLICA_TIMEOUT, EV_REPLICA_RUNNING,
        EV_CLAIM, EV_IDLE_EXIT,
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        bare_on(b, kinds[i], exec_on_event, &f->ex);
}

static void xfix_free(struct xfix *f)
{
    exec_fini(&f->ex);
    nodes_fini(&f->nodes);
    down_fini(&f->ds);
    source_fini(&f->q);
    bare_fini(&f->b);
    free(f);
}

/* Put n messages now, each of processing time dur_s. */
static void put_n(struct xfix *f, int n, double dur_s)
{
    for (int i = 0; i < n; i++)
        assert_int_equal(source_put(&f->q, dur_s), 0);
}

/* Start-up, claim, processing and KEDA's counters. Start-up 5, claim 2,
 * one message of 3 s in the queue, one execution created at 0:
 *   [0, 5)  R 1, not Running, not claimed: P 1 in both modes;
 *   5       Running: state_changed #1; not_running P 0, not_claimed P 1;
 *   7       the receive: state_changed #2; P 0 in both; message in flight;
 *   10      processed and deleted: completed 1, wait 7 s (arrival 0 ->
 *           first processing start 7), latency 10 s; the replica exits
 *           (no overhead) and the execution Succeeds: state_changed #3,
 *           R 0. Record: created 0, running 5, finished 10, 1 message,
 *           billed 10 s (from creation, already whole seconds).
 * The same run under each scale.pending mode. */
static void run_counters(enum pending_mode mode)
{
    struct xfix *f = xfix_new();
    dist_set_fixed(&f->scn.job.startup, 5.0);
    dist_set_fixed(&f->scn.job.claim, 2.0);
    f->scn.scale.pending = mode;
    xfix_start(f);
    struct bare *b = &f->b;
    struct executions *x = &f->ex;
    bool claimed_mode = mode == PENDING_NOT_CLAIMED;
    put_n(f, 1, 3.0);
    assert_int_equal(exec_create(x), 0);
    assert_int_equal(b->met.executions, 1);
    assert_int_equal(exec_unfinished(x), 1);
    assert_int_equal(exec_pending(x), 1);
    assert_int_equal(bare_count(b, H_STATE), 0);

    bare_run(b, SEC(5) - 1);
    assert_int_equal(exec_not_running(x), 1);
    assert_int_equal(exec_pending(x), 1);
    bare_run(b, SEC(5));
    assert_int_equal(bare_count(b, H_STATE), 1);
    assert_int_equal(bare_nth(b, H_STATE, 0)->now, SEC(5));
    assert_int_equal(exec_not_running(x), 0);
    assert_int_equal(exec_pending(x), claimed_mode ? 1 : 0);
    assert_int_equal(f->q.visible, 1);

    bare_run(b, SEC(7));
    assert_int_equal(bare_count(b, H_STATE), 2);
    assert_int_equal(bare_nth(b, H_STATE, 1)->now, SEC(7));
    assert_int_equal(exec_pending(x), 0);
    assert_int_equal(f->q.in_flight, 1);
    assert_int_equal(exec_unfinished(x), 1);

    bare_run(b, SEC(10));
    assert_int_equal(bare_count(b, H_STATE), 3);
    assert_int_equal(bare_nth(b, H_STATE, 2)->now, SEC(10));
    assert_int_equal(exec_unfinished(x), 0);
    assert_int_equal(b->met.completed, 1);
    assert_near(qhist_mean(&b->met.wait), 7.0, 1e-9);
    assert_near(qhist_mean(&b->met.latency), 10.0, 1e-9);
    assert_int_equal(source_backlog(&f->q), 0);
    assert_int_equal(f->n_rec, 1);
    assert_int_equal(f->rec[0].status, EXEC_SUCCEEDED);
    assert_int_equal(f->rec[0].created_us, 0);
    assert_int_equal(f->rec[0].running_us, SEC(5));
    assert_int_equal(f->rec[0].finished_us, SEC(10));
    assert_int_equal(f->rec[0].messages, 1);
    assert_false(f->rec[0].empty);
    assert_int_equal(f->rec[0].billed_us, SEC(10));
    assert_int_equal(f->cost.replica_us, SEC(10));
    assert_int_equal(engine_pending(&b->eng), 0);
    xfix_free(f);
}

static void test_startup_claim_counters(void **state)
{
    (void)state;
    run_counters(PENDING_NOT_RUNNING);
    run_counters(PENDING_NOT_CLAIMED);
}

/* One message per replica: three 1 s messages, one execution (start-up
 * 1): the replica takes one at 1, finishes at 2 and exits; two stay
 * visible. messages_per_replica 3 with receive_batch 2: it receives two at
 * 1 (both in flight at once), processes them 1-2 and 2-3, receives the
 * third at 3, finishes at 4 and exits (quota used up): 3 messages, ended
 * at 4. */
static void test_messages_per_replica(void **state)
{
    (void)state;
    struct xfix *f = xfix_new();
    xfix_start(f);
    put_n(f, 3, 1.0);
    assert_int_equal(exec_create(&f->ex), 0);
    bare_run(&f->b, SEC(100));
    assert_int_equal(f->n_rec, 1);
    assert_int_equal(f->rec[0].messages, 1);
    assert_int_equal(f->rec[0].finished_us, SEC(2));
    assert_int_equal(f->q.visible, 2);
    xfix_free(f);

    f = xfix_new();
    f->scn.job.messages_per_replica = 3;
    f->scn.job.receive_batch = 2;
    xfix_start(f);
    put_n(f, 3, 1.0);
    assert_int_equal(exec_create(&f->ex), 0);
    bare_run(&f->b, SEC(1));
    assert_int_equal(f->q.in_flight, 2);
    assert_int_equal(f->q.visible, 1);
    bare_run(&f->b, SEC(3));
    assert_int_equal(f->b.met.completed, 2);
    assert_int_equal(f->q.in_flight, 1);
    bare_run(&f->b, SEC(100));
    assert_int_equal(f->n_rec, 1);
    assert_int_equal(f->rec[0].messages, 3);
    assert_int_equal(f->rec[0].finished_us, SEC(4));
    assert_int_equal(f->b.met.completed, 3);
    assert_int_equal(source_backlog(&f->q), 0);
    xfix_free(f);
}

/* replica_timeout 4 s, start-up 1, one message of 10 s, lock renewal (so
 * the release is visible): received at 1, still processing at 4 when the
 * time-out stops the execution: Stopped, timed_out 1, not empty (it took a
 * message), not completed, R 0, state_changed at 4, the downstream call
 * released (busy 0), billed 4 s. The message is let go at 4, so with
 * renewal it becomes visible at 4 + 30 = 34 (message_available at 34).
 * A completion at the time-out instant wins (EV_WORK_DONE runs before
 * EV_REPLICA_TIMEOUT at equal time): processing 3 s ends at 4 = the
 * deadline, and the execution Succeeds, not timed out. */
static void test_replica_timeout(void **state)
{
    (void)state;
    struct xfix *f = xfix_new();
    f->scn.job.replica_timeout_us = SEC(4);
    f->src_cfg.lock_renewal = true;
    xfix_start(f);
    struct bare *b = &f->b;
    put_n(f, 1, 10.0);
    assert_int_equal(exec_create(&f->ex), 0);
    bare_run(b, SEC(4) - 1);
    assert_int_equal(f->ds.busy, 1);
    assert_int_equal(exec_unfinished(&f->ex), 1);
    bare_run(b, SEC(4));
    assert_int_equal(exec_unfinished(&f->ex), 0);
    assert_int_equal(b->met.timed_out_executions, 1);
    assert_int_equal(b->met.empty_executions, 0);
    assert_int_equal(b->met.completed, 0);
    assert_int_equal(f->ds.busy, 0);
    assert_int_equal(bare_last(b, H_STATE)->now, SEC(4));
    assert_int_equal(f->n_rec, 1);
    assert_int_equal(f->rec[0].status, EXEC_STOPPED);
    assert_int_equal(f->rec[0].billed_us, SEC(4));
    int avail = bare_count(b, H_AVAILABLE);
    bare_run(b, SEC(34) - 1);
    assert_int_equal(f->q.in_flight, 1);
    bare_run(b, SEC(34));
    assert_int_equal(f->q.visible, 1);
    assert_int_equal(bare_count(b, H_AVAILABLE), avail + 1);
    assert_int_equal(bare_last(b, H_AVAILABLE)->now, SEC(34));
    xfix_free(f);

    f = xfix_new();
    f->scn.job.replica_timeout_us = SEC(4);
    xfix_start(f);
    put_n(f, 1, 3.0);
    assert_int_equal(exec_create(&f->ex), 0);
    bare_run(&f->b, SEC(100));
    assert_int_equal(f->n_rec, 1);
    assert_int_equal(f->rec[0].status, EXEC_SUCCEEDED);
    assert_int_equal(f->rec[0].finished_us, SEC(4));
    assert_int_equal(f->b.met.timed_out_executions, 0);
    assert_int_equal(f->b.met.completed, 1);
    xfix_free(f);
}

/* Retries: replica_retry_limit 2, failure_probability 1, three 2 s
 * messages, start-up 1. Replica 1: created 0, Running 1, takes m0, fails
 * at 3 (m0 let go, not deleted); replica 2 created at 3 (the retry starts
 * at once, with its own start-up), Running 4, m1, fails at 6; replica 3:
 * 6, 7, m2, fails at 9. Failed replicas 3 > limit 2: the execution is
 * Failed at 9 (failed_executions 1), after limit + 1 = 3 replicas, each
 * billed 3 s (9 s in all); none completed; the three messages are still
 * in flight (their visibility runs from their receives). */
static void test_retries(void **state)
{
    (void)state;
    struct xfix *f = xfix_new();
    f->scn.job.replica_retry_limit = 2;
    f->scn.job.failure_probability = 1.0;
    xfix_start(f);
    put_n(f, 3, 2.0);
    assert_int_equal(exec_create(&f->ex), 0);
    bare_run(&f->b, SEC(9) - 1);
    assert_int_equal(exec_unfinished(&f->ex), 1);
    assert_int_equal(f->q.in_flight, 3);
    bare_run(&f->b, SEC(9));
    assert_int_equal(exec_unfinished(&f->ex), 0);
    assert_int_equal(f->b.met.failed_executions, 1);
    assert_int_equal(f->b.met.completed, 0);
    assert_int_equal(f->n_rec, 1);
    assert_int_equal(f->rec[0].status, EXEC_FAILED);
    assert_int_equal(f->rec[0].finished_us, SEC(9));
    assert_int_equal(f->rec[0].messages, 3);
    assert_int_equal(f->rec[0].billed_us, SEC(9));
    assert_int_equal(f->cost.replica_us, SEC(9));
    assert_int_equal(f->q.in_flight, 3);
    xfix_free(f);
}

/* Parallelism and completions (min(parallelism, completions - succeeded)
 * replicas active, the Job controller's rule):
 *   parallelism 2, completions 1: one replica only; of two 1 s messages
 *     one is taken; Succeeded at 2; billed 2 s.
 *   parallelism 2, completions 3, messages of 1, 2 and 1 s: replicas A, B
 *     created at 0, Running at 1, A takes m0 (1 s), B m1 (2 s). A succeeds
 *     at 2: succeeded 1, want min(2, 2) = 2, so C is created at 2, Running
 *     at 3. At 3 B succeeds first (EV_WORK_DONE before EV_REPLICA_RUNNING):
 *     want min(2, 1) = 1 = active (C): no new replica. C takes m2 at 3,
 *     succeeds at 4: 3 succeeded, Succeeded at 4, 3 messages, billed
 *     2 + 3 + 2 = 7 s. */
static void test_parallelism(void **state)
{
    (void)state;
    struct xfix *f = xfix_new();
    f->scn.job.parallelism = 2;
    xfix_start(f);
    put_n(f, 2, 1.0);
    assert_int_equal(exec_create(&f->ex), 0);
    bare_run(&f->b, SEC(100));
    assert_int_equal(f->n_rec, 1);
    assert_int_equal(f->rec[0].messages, 1);
    assert_int_equal(f->rec[0].finished_us, SEC(2));
    assert_int_equal(f->rec[0].billed_us, SEC(2));
    assert_int_equal(f->q.visible, 1);
    xfix_free(f);

    f = xfix_new();
    f->scn.job.parallelism = 2;
    f->scn.job.replica_completion_count = 3;
    xfix_start(f);
    assert_int_equal(source_put(&f->q, 1.0), 0);
    assert_int_equal(source_put(&f->q, 2.0), 0);
    assert_int_equal(source_put(&f->q, 1.0), 0);
    assert_int_equal(exec_create(&f->ex), 0);
    bare_run(&f->b, SEC(1));
    assert_int_equal(f->q.in_flight, 2);
    bare_run(&f->b, SEC(3));
    assert_int_equal(f->b.met.completed, 2);
    assert_int_equal(f->q.in_flight, 1); /* C holds m2 */
    bare_run(&f->b, SEC(100));
    assert_int_equal(f->n_rec, 1);
    assert_int_equal(f->rec[0].status, EXEC_SUCCEEDED);
    assert_int_equal(f->rec[0].messages, 3);
    assert_int_equal(f->rec[0].finished_us, SEC(4));
    assert_int_equal(f->rec[0].billed_us, SEC(7));
    xfix_free(f);
}

/* Drain mode with idle_exit 10 s (messages_per_replica 0), start-up 1:
 *   1   Running, the receive finds nothing: it waits, deadline 11;
 *   5   m0 (2 s) put: message_available wakes the replica, which receives
 *       at 5 and processes 5-7; at 7 it receives again, finds nothing and
 *       waits with a new deadline 17;
 *   10  m1 put and taken at once by another consumer (the test): the
 *       replica is woken but finds nothing, and waits on with its
 *       deadline 17 (not 20);
 *   17  idle exit: the replica succeeds, the execution ends at 17 with 1
 *       message, billed 17 s.
 * exit_overhead 3 s in a second run: the idle exit at 17 starts the exit
 * overhead, so the execution ends at 20. */
static void run_drain(sim_time overhead_s)
{
    struct xfix *f = xfix_new();
    f->scn.job.messages_per_replica = 0;
    f->scn.job.idle_exit_us = SEC(10);
    f->scn.job.exit_overhead_us = SEC(overhead_s);
    xfix_start(f);
    struct bare *b = &f->b;
    assert_int_equal(exec_create(&f->ex), 0);
    bare_run(b, SEC(5));
    assert_int_equal(id_fifo_len(&f->ex.waiting), 1);
    put_n(f, 1, 2.0);
    bare_run(b, SEC(5));
    assert_int_equal(f->q.in_flight, 1);
    assert_int_equal(id_fifo_len(&f->ex.waiting), 0);
    bare_run(b, SEC(7));
    assert_int_equal(b->met.completed, 1);
    assert_int_equal(id_fifo_len(&f->ex.waiting), 1);

    bare_run(b, SEC(10));
    put_n(f, 1, 2.0);
    uint32_t slot, rc;
    assert_true(source_receive(&f->q, &slot, &rc));
    bare_run(b, SEC(10));
    assert_int_equal(id_fifo_len(&f->ex.waiting), 1);
    assert_true(source_delete(&f->q, slot, rc));

    bare_run(b, SEC(17) - 1);
    assert_int_equal(exec_unfinished(&f->ex), 1);
    bare_run(b, SEC(100));
    assert_int_equal(f->n_rec, 1);
    assert_int_equal(f->rec[0].status, EXEC_SUCCEEDED);
    assert_int_equal(f->rec[0].messages, 1);
    assert_int_equal(f->rec[0].finished_us, SEC(17 + overhead_s));
    assert_int_equal(f->rec[0].billed_us, SEC(17 + overhead_s));
    assert_int_equal(engine_pending(&b->eng), 0);
    xfix_free(f);
}

static void test_drain_idle_exit(void **state)
{
    (void)state;
    run_drain(0);
    run_drain(3);
}

/* Two replicas waiting in drain mode (two executions, idle_exit 10): one
 * message put at 5 wakes only the first in the FIFO (the execution created
 * first); the other keeps waiting and exits at its deadline 11 with
 * nothing taken (an empty execution). */
static void test_drain_wakes_first(void **state)
{
    (void)state;
    struct xfix *f = xfix_new();
    f->scn.job.messages_per_replica = 0;
    f->scn.job.idle_exit_us = SEC(10);
    xfix_start(f);
    assert_int_equal(exec_create(&f->ex), 0);
    assert_int_equal(exec_create(&f->ex), 0);
    bare_run(&f->b, SEC(5));
    assert_int_equal(id_fifo_len(&f->ex.waiting), 2);
    put_n(f, 1, 2.0);
    bare_run(&f->b, SEC(5));
    assert_int_equal(id_fifo_len(&f->ex.waiting), 1);
    bare_run(&f->b, SEC(100));
    assert_int_equal(f->n_rec, 2);
    /* execution 1 (the second) ends first, at its deadline 11, empty */
    assert_int_equal(f->rec[0].execution, 1);
    assert_int_equal(f->rec[0].finished_us, SEC(11));
    assert_true(f->rec[0].empty);
    assert_int_equal(f->rec[1].execution, 0);
    assert_int_equal(f->rec[1].messages, 1);
    assert_int_equal(f->rec[1].finished_us, SEC(17));
    assert_int_equal(f->b.met.empty_executions, 1);
    xfix_free(f);
}

/* exec_stop_all (the drain limit): two executions in drain mode waiting
 * (idle_exit 100) and a third still starting (created at 2, start-up 1,
 * so it would be Running at 3). At 2.5 every one is Stopped:
 * 3 records Stopped at 2.5, R 0, P 0, state_changed called, nothing
 * pending in the engine (time-outs and idle exits cancelled); none counted
 * timed out, empty or failed. Control: an execution that finds an empty
 * queue on its own (idle_exit 0) is counted empty. */
static void test_stop_all(void **state)
{
    (void)state;
    struct xfix *f = xfix_new();
    f->scn.job.messages_per_replica = 0;
    f->scn.job.idle_exit_us = SEC(100);
    xfix_start(f);
    assert_int_equal(exec_create(&f->ex), 0);
    assert_int_equal(exec_create(&f->ex), 0);
    bare_run(&f->b, SEC(2));
    assert_int_equal(exec_create(&f->ex), 0);
    bare_run(&f->b, SEC(2) + SEC(1) / 2);
    int calls = bare_count(&f->b, H_STATE);
    exec_stop_all(&f->ex);
    assert_true(bare_count(&f->b, H_STATE) > calls);
    assert_int_equal(exec_unfinished(&f->ex), 0);
    assert_int_equal(exec_pending(&f->ex), 0);
    assert_int_equal(f->n_rec, 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(f->rec[i].status, EXEC_STOPPED);
        assert_int_equal(f->rec[i].finished_us, SEC(2) + SEC(1) / 2);
    }
    assert_int_equal(f->b.met.timed_out_executions, 0);
    assert_int_equal(f->b.met.empty_executions, 0);
    assert_int_equal(f->b.met.failed_executions, 0);
    assert_int_equal(engine_pending(&f->b.eng), 0);
    xfix_free(f);

    f = xfix_new();
    xfix_start(f);
    assert_int_equal(exec_create(&f->ex), 0);
    bare_run(&f->b, SEC(100));
    assert_int_equal(f->b.met.empty_executions, 1);
    assert_true(f->rec[0].empty);
    xfix_free(f);
}

/* Billing through the cost meter: start-up 5, one message of 3.2 s; the
 * replica lives 0 -> 8.2.
 *   bill_startup, granularity 1 s:  8.2 -> 9 s;
 *   from Running (bill_startup false), 1 s: 3.2 -> 4 s;
 *   bill_startup, granularity 60 s: 8.2 -> 60 s;
 *   bill_startup, granularity 1 us (no rounding): 8.2 s exactly. */
static void run_billing(bool from_creation, sim_time gran_us,
                        sim_time expect_us)
{
    struct xfix *f = xfix_new();
    dist_set_fixed(&f->scn.job.startup, 5.0);
    f->scn.cost.bill_startup = from_creation;
    f->scn.cost.billing_granularity_us = gran_us;
    xfix_start(f);
    put_n(f, 1, 3.2);
    assert_int_equal(exec_create(&f->ex), 0);
    bare_run(&f->b, SEC(100));
    assert_int_equal(f->n_rec, 1);
    assert_int_equal(f->rec[0].finished_us, 8200000);
    assert_int_equal(f->rec[0].billed_us, expect_us);
    assert_int_equal(f->cost.replica_us, expect_us);
    xfix_free(f);
}

static void test_billing(void **state)
{
    (void)state;
    run_billing(true, SEC(1), SEC(9));
    run_billing(false, SEC(1), SEC(4));
    run_billing(true, SEC(60), SEC(60));
    run_billing(true, 1, 8200000);
}

/* Downstream concurrency 1 in front of two executions (start-up 1, 4 s
 * messages): E0's replica is admitted at 1 and works 1-5; E1's asks at 1
 * and waits (queued), is admitted through the admitted hook at 5 when E0
 * releases, and works 5-9. Waits: 1 and 5 s (mean 3); E1 billed 9 s (the
 * wait is billed). */
static void test_downstream_wait(void **state)
{
    (void)state;
    struct xfix *f = xfix_new();
    f->down_cfg.concurrency = 1;
    xfix_start(f);
    put_n(f, 2, 4.0);
    assert_int_equal(exec_create(&f->ex), 0);
    assert_int_equal(exec_create(&f->ex), 0);
    bare_run(&f->b, SEC(1));
    assert_int_equal(id_fifo_len(&f->ds.wait), 1);
    bare_run(&f->b, SEC(5));
    assert_int_equal(bare_count(&f->b, H_ADMITTED), 1);
    assert_int_equal(bare_nth(&f->b, H_ADMITTED, 0)->now, SEC(5));
    bare_run(&f->b, SEC(100));
    assert_int_equal(f->b.met.completed, 2);
    assert_near(qhist_mean(&f->b.met.wait), 3.0, 1e-9);
    assert_int_equal(f->n_rec, 2);
    assert_int_equal(f->rec[1].execution, 1);
    assert_int_equal(f->rec[1].billed_us, SEC(9));
    xfix_free(f);
}

/* A replica stopped while it waits for the downstream service leaves the
 * FIFO (down_cancel): concurrency 1, the test holds the only slot from 0
 * (as another consumer), replica_timeout 3. E0 receives at 1 and queues;
 * at 3 it times out (timed out 1, nothing completed) and the FIFO is
 * empty; when the test releases its slot at 5, nobody is admitted. */
static void test_downstream_cancel_on_stop(void **state)
{
    (void)state;
    struct xfix *f = xfix_new();
    f->down_cfg.concurrency = 1;
    f->scn.job.replica_timeout_us = SEC(3);
    xfix_start(f);
    assert_int_equal(down_acquire(&f->ds, 999), DOWN_ADMITTED);
    put_n(f, 1, 1.0);
    assert_int_equal(exec_create(&f->ex), 0);
    bare_run(&f->b, SEC(1));
    assert_int_equal(id_fifo_len(&f->ds.wait), 1);
    bare_run(&f->b, SEC(3));
    assert_int_equal(f->b.met.timed_out_executions, 1);
    assert_int_equal(id_fifo_len(&f->ds.wait), 0);
    bare_run(&f->b, SEC(5));
    down_release(&f->ds);
    assert_int_equal(bare_count(&f->b, H_ADMITTED), 0);
    assert_int_equal(f->ds.busy, 0);
    assert_int_equal(f->b.met.completed, 0);
    xfix_free(f);
}

/* A started fixture on the Dedicated plan with room for one replica: cpu
 * 4 on a D4 (floor(min(4 / 4, 16 / 8)) = 1 per node), min 0, max 1 node,
 * replica_timeout 5. */
static struct xfix *xfix_one_node(void)
{
    struct xfix *f = xfix_new();
    f->scn.job.cpu = 4.0;
    f->scn.job.memory_gib = 8.0;
    f->scn.job.replica_timeout_us = SEC(5);
    f->scn.cost.plan = PLAN_DEDICATED;
    f->scn.cost.dedicated.node_vcpu = 4.0;
    f->scn.cost.dedicated.node_gib = 16.0;
    f->scn.cost.dedicated.max_nodes = 1;
    xfix_start(f);
    return f;
}

/* The Dedicated plan, one node of room for one replica (xfix_one_node:
 * min 0, max 1, replica_timeout 5), start-up 1, 1 s messages. Two executions at 0: E0's replica takes the node and
 * works 1-2; E1's waits for room (Pending: not starting, not Running).
 * E0 ends at 2 and leaves the node: the placed hook hands it to E1's
 * replica (slot 1) at 2, whose start-up runs 2-3; it works 3-4 and the
 * node, empty above min 0, goes at 4. Node-seconds 4; E1 Running at 3. */
static void test_dedicated_placement(void **state)
{
    (void)state;
    struct xfix *f = xfix_one_node();
    put_n(f, 2, 1.0);
    assert_int_equal(exec_create(&f->ex), 0);
    assert_int_equal(exec_create(&f->ex), 0);
    assert_int_equal(id_fifo_len(&f->nodes.wait), 1);
    bare_run(&f->b, SEC(1) + SEC(1) / 2);
    assert_int_equal(exec_not_running(&f->ex), 1);
    bare_run(&f->b, SEC(2));
    assert_int_equal(bare_count(&f->b, H_PLACED), 1);
    assert_int_equal(bare_last(&f->b, H_PLACED)->who, 1);
    assert_int_equal(bare_last(&f->b, H_PLACED)->node, 0);
    assert_int_equal(bare_last(&f->b, H_PLACED)->now, SEC(2));
    bare_run(&f->b, SEC(100));
    assert_int_equal(f->n_rec, 2);
    assert_int_equal(f->rec[1].execution, 1);
    assert_int_equal(f->rec[1].running_us, SEC(3));
    assert_int_equal(f->rec[1].finished_us, SEC(4));
    assert_int_equal(f->b.met.completed, 2);
    assert_int_equal(f->nodes.n_nodes, 0);
    assert_near(nodes_seconds(&f->nodes, SEC(100)), 4.0, 1e-9);
    xfix_free(f);
}

/* replica_timeout counts the wait for a node: the test holds the only
 * node from 0 (a replica of its own, id 999); E0's replica waits for room
 * from 0 and times out at 5 without ever starting (timed out 1, Running
 * -1), leaving the node's FIFO; when the test lets the node go at 6 nobody
 * is placed and the node is removed. */
static void test_dedicated_timeout_while_placing(void **state)
{
    (void)state;
    struct xfix *f = xfix_one_node();
    assert_int_equal(nodes_place(&f->nodes, 999), 0);
    put_n(f, 1, 1.0);
    assert_int_equal(exec_create(&f->ex), 0);
    bare_run(&f->b, SEC(5));
    assert_int_equal(f->b.met.timed_out_executions, 1);
    assert_int_equal(f->n_rec, 1);
    assert_int_equal(f->rec[0].running_us, -1);
    assert_int_equal(id_fifo_len(&f->nodes.wait), 0);
    bare_run(&f->b, SEC(6));
    nodes_leave(&f->nodes, 999, 0);
    assert_int_equal(bare_count(&f->b, H_PLACED), 0);
    assert_int_equal(f->nodes.n_nodes, 0);
    assert_int_equal(f->q.visible, 1);
    xfix_free(f);
}

/* Invariants of the counters after every step of a random run. */
static void check_exec_invariants(const struct xfix *f)
{
    const struct executions *x = &f->ex;
    const struct metrics *m = &f->b.met;
    assert_int_equal(exec_unfinished(x), x->created - f->n_rec);
    assert_true(exec_not_running(x) >= 0 &&
                exec_not_running(x) <= exec_unfinished(x));
    assert_true(x->not_claimed >= 0 && x->not_claimed <= exec_unfinished(x));
    int64_t in_call = 0, live = 0, in_hand = 0;
    for (uint32_t r = 0; r < x->rps.cap; r++) {
        const struct replica *p = slot_at(&x->rps, r);
        if (p->state == RP_FREE)
            continue;
        live++;
        in_call += p->in_call;
        in_hand += p->n_held - p->cur;
    }
    /* messages = completed + dead + expired + unfinished (still queued and
     * never processed, or lost after a delete on receipt), plus, mid-run,
     * the messages deleted on receipt that a replica still holds */
    if (f->scn.job.delete_mode != DELETE_AT_RECEIVE)
        in_hand = 0;
    assert_int_equal(m->messages, m->completed + m->dead_lettered +
                                      m->expired + source_unfinished(&f->q) +
                                      m->lost + in_hand);
    assert_int_equal(f->ds.busy, in_call);
    assert_true(f->ds.concurrency <= 0 || in_call <= f->ds.concurrency);
    int64_t active = 0, billed = 0;
    for (uint32_t e = 0; e < x->execs.cap; e++) {
        const struct exec *ex = slot_at(&x->execs, e);
        if (ex->live) {
            active += ex->active;
            billed += ex->billed;
        }
    }
    assert_int_equal(active, live);
    for (int i = 0; i < f->n_rec; i++)
        billed += f->rec[i].billed_us;
    assert_int_equal(billed, f->cost.replica_us);
}

/* Property: random job shapes (parallelism, completions, retries, failure
 * probability 0.3, quota and batch, drain with idle_exit, delete on
 * receipt, time-outs, lock renewal, downstream concurrency 2) driven by
 * random puts and exec_create() calls, checked after every step by
 * check_exec_invariants (R = created - ended, P counters within R,
 * conservation, downstream busy = replicas in a call, billed time =
 * the meter) and at the end, after exec_stop_all: R 0, busy 0, nobody
 * waiting, nothing pending but the messages' own events. */
static void test_execution_property(void **state)
{
    (void)state;
    gsl_rng *r = bare_seeded_rng(20250613UL);
    for (int run = 0; run < 24; run++) {
        struct xfix *f = xfix_new();
        struct scn_job *j = &f->scn.job;
        j->parallelism = 1 + (int64_t)gsl_rng_uniform_int(r, 3);
        j->replica_completion_count = 1 + (int64_t)gsl_rng_uniform_int(r, 3);
        j->replica_retry_limit = (int64_t)gsl_rng_uniform_int(r, 3);
        j->failure_probability = gsl_rng_uniform(r) < 0.5 ? 0.3 : 0.0;
        j->messages_per_replica = (int64_t)gsl_rng_uniform_int(r, 4);
        j->receive_batch = 1 + (int64_t)gsl_rng_uniform_int(r, 3);
        j->idle_exit_us = gsl_rng_uniform(r) < 0.5 ? SEC(3) : 0;
        j->delete_mode = gsl_rng_uniform(r) < 0.25 ? DELETE_AT_RECEIVE
                                                   : DELETE_AT_END;
        j->replica_timeout_us = SEC(5 + (int64_t)gsl_rng_uniform_int(r, 20));
        j->exit_overhead_us = gsl_rng_uniform(r) < 0.5 ? SEC(1) : 0;
        dist_set_fixed(&j->claim, 0.5);
        f->src_cfg = bare_queue_cfg(2 + (int64_t)gsl_rng_uniform_int(r, 8));
        f->src_cfg.lock_renewal = gsl_rng_uniform(r) < 0.5;
        f->src_cfg.max_delivery_count = (int64_t)gsl_rng_uniform_int(r, 4);
        f->down_cfg.concurrency = gsl_rng_uniform(r) < 0.5 ? 2 : 0;
        f->scn.cost.bill_startup = gsl_rng_uniform(r) < 0.5;
        xfix_start(f);
        for (int step = 0; step < 150; step++) {
            double u = gsl_rng_uniform(r);
            if (u < 0.3)
                put_n(f, 1, 0.1 + 4.0 * gsl_rng_uniform(r));
            else if (u < 0.45 && exec_unfinished(&f->ex) < 3)
                assert_int_equal(exec_create(&f->ex), 0);
            else
                bare_run(&f->b, f->b.eng.now +
                                    (sim_time)gsl_rng_uniform_int(r, 2000000));
            check_exec_invariants(f);
        }
        exec_stop_all(&f->ex);
        check_exec_invariants(f);
        assert_int_equal(exec_unfinished(&f->ex), 0);
        assert_int_equal(f->ds.busy, 0);
        assert_int_equal(id_fifo_len(&f->ex.waiting), 0);
        assert_int_equal(id_fifo_len(&f->ds.wait), 0);
        xfix_free(f);
    }
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_startup_claim_counters),
        cmocka_unit_test(test_messages_per_replica),
        cmocka_unit_test(test_replica_timeout),
        cmocka_unit_test(test_retries),
        cmocka_unit_test(test_parallelism),
        cmocka_unit_test(test_drain_idle_exit),
        cmocka_unit_test(test_drain_wakes_first),
        cmocka_unit_test(test_stop_all),
        cmocka_unit_test(test_billing),
        cmocka_unit_test(test_downstream_wait),
        cmocka_unit_test(test_downstream_cancel_on_stop),
        cmocka_unit_test(test_dedicated_placement),
        cmocka_unit_test(test_dedicated_timeout_while_placing),
        cmocka_unit_test(test_execution_property),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
