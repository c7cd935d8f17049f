/* models/execution.c - executions and replicas (see execution.h).
 *
 * Workload: a handful of events per replica (running, receive, one per
 * message processed, exit, time-out). Executions and replicas live in two
 * pools of slots reused through free lists; every scheduled event carries
 * the replica slot's generation, so an event that outlives its replica is
 * recognised and dropped (pending events are also cancelled: a dangling
 * time-out would otherwise keep the run alive).
 *
 * Replicas waiting for a message in drain mode form a FIFO; when a message
 * becomes visible the first one is sent a receive at that instant, the
 * long-poll behaviour of Service Bus receivers and of the Storage Queue
 * SDKs' polling loop (at a finer grain than their back-off). */
#include "models/execution.h"

#include "models/events.h"

#include <gsl/gsl_rng.h>
#include <stdlib.h>
#include <string.h>

#define NIL UINT32_MAX

int exec_init(struct executions *x, const struct exec_env *env)
{
    memset(x, 0, sizeof *x);
    x->env = *env;
    slot_pool_init(&x->execs, sizeof(struct exec), offsetof(struct exec, next_free),
              64, NULL);
    slot_pool_init(&x->rps, sizeof(struct replica), offsetof(struct replica, next),
              64, NULL);
    id_fifo_init(&x->waiting);
    return SIM_OK;
}

void exec_fini(struct executions *x)
{
    slot_pool_fini(&x->execs);
    slot_pool_fini(&x->rps);
    id_fifo_fini(&x->waiting);
    memset(x, 0, sizeof *x);
}

static struct exec *exec_at(const struct executions *x, uint32_t i)
{
    return (struct exec *)slot_at(&x->execs, i);
}

static struct replica *rp_at(const struct executions *x, uint32_t r)
{
    return (struct replica *)slot_at(&x->rps, r);
}

static sim_time now_of(const struct executions *x)
{
    return x->env.eng->now;
}

static struct evq_handle at(struct executions *x, sim_time t, uint32_t kind,
                            uint32_t r)
{
    return engine_schedule(x->env.eng, t, kind, r, rp_at(x, r)->gen);
}

/* ---- KEDA's pending count -------------------------------------------------- */

/* The execution's pending state changed: keep the counters in step. */
static void set_running(struct executions *x, struct exec *e)
{
    if (e->running < 0) {
        e->running = now_of(x);
        x->not_running--;
        x->env.state_changed(x->env.ctx);
    }
}

static void set_claimed(struct executions *x, struct exec *e)
{
    if (!e->claimed) {
        e->claimed = true;
        x->not_claimed--;
        x->env.state_changed(x->env.ctx);
    }
}

int64_t exec_pending(const struct executions *x)
{
    return x->env.pending == PENDING_NOT_CLAIMED ? x->not_claimed
                                                 : x->not_running;
}

/* ---- replicas -------------------------------------------------------------- */

static void replica_end(struct executions *x, uint32_t r, bool ok);
static void exec_end(struct executions *x, uint32_t ei, enum exec_status st);

/* Schedule the end of replica r's start-up (it is placed). */
static void start_up(struct executions *x, uint32_t r)
{
    sim_time up = dist_sample(&x->env.job->startup, x->env.startup_rng);
    rp_at(x, r)->step_ev = at(x, now_of(x) + up, EV_REPLICA_RUNNING, r);
}

/* Start one replica of execution ei now. Returns 0 or SIM_ENOMEM. */
static int replica_start(struct executions *x, uint32_t ei)
{
    uint32_t r = slot_take(&x->rps);
    if (r == POOL_NIL)
        return SIM_ENOMEM;
    struct replica *p = rp_at(x, r);
    uint32_t gen = p->gen;
    memset(p, 0, sizeof *p);
    p->gen = gen;
    p->exec = ei;
    p->next = NIL;
    p->state = RP_STARTING;
    p->created = now_of(x);
    p->running = -1;
    p->step_ev = p->timeout_ev = p->idle_ev = evq_handle_none();
    p->node = -1;
    exec_at(x, ei)->active++;
    /* replica_timeout counts from creation, placement wait included. */
    p->timeout_ev = at(x, now_of(x) + x->env.job->replica_timeout_us,
                       EV_REPLICA_TIMEOUT, r);
    if (x->env.nodes != NULL) {
        int64_t node = nodes_place(x->env.nodes, r);
        if (node < 0) {
            p->state = RP_PLACING;
            return SIM_OK;
        }
        p->node = node;
    }
    start_up(x, r);
    return SIM_OK;
}

void exec_on_placed(struct executions *x, uint32_t r, int64_t node)
{
    struct replica *p = rp_at(x, r);
    p->node = node;
    p->state = RP_STARTING;
    start_up(x, r);
}

/* Messages replica p may still receive (INT64_MAX in drain mode). */
static int64_t quota_left(const struct executions *x, const struct replica *p)
{
    int64_t n = x->env.job->messages_per_replica;
    return n == 0 ? INT64_MAX : n - p->taken;
}

/* The replica is done with its messages: exit (after exit_overhead). */
static void replica_exit(struct executions *x, uint32_t r)
{
    sim_time o = x->env.job->exit_overhead_us;
    if (o > 0) {
        struct replica *p = rp_at(x, r);
        p->state = RP_EXITING;
        p->step_ev = at(x, now_of(x) + o, EV_EXIT, r);
    } else {
        replica_end(x, r, true);
    }
}

/* The call for held[cur] starts now: processing begins. */
static void start_work(struct executions *x, uint32_t r)
{
    struct replica *p = rp_at(x, r);
    const struct held_msg *h = &p->held[p->cur];
    /* The wait ends at the message's first processing start. With delete
     * at_receive the message is gone already and was delivered once. */
    int first = source_start(x->env.src, h->slot, h->id);
    if (first > 0 || (first < 0 && h->first_delivery))
        metrics_wait(x->env.met, h->arrival, now_of(x));
    p->state = RP_WORKING;
    p->in_call = true;
    p->step_ev = at(x, now_of(x) + p->work_us, EV_WORK_DONE, r);
}

void exec_on_admitted(struct executions *x, uint32_t r)
{
    start_work(x, r);
}

static void release_held(struct executions *x, struct replica *p, int from);

/* Process held[cur] of replica r: its processing time is the message's
 * own; ask the downstream service for admission. */
static void process_current(struct executions *x, uint32_t r)
{
    struct replica *p = rp_at(x, r);
    const struct held_msg *h = &p->held[p->cur];
    p->work_us = sim_from_s(h->duration_s); /* drawn at arrival, or the
                                               trace's duration_column */
    switch (down_acquire(x->env.down, r)) {
    case DOWN_ADMITTED:
        start_work(x, r);
        break;
    case DOWN_QUEUED:
        p->state = RP_ADMISSION;
        break;
    case DOWN_REJECTED:
        /* The call fails: the message is not deleted, the replica exits
         * non-zero. */
        release_held(x, p, p->cur);
        replica_end(x, r, false);
        break;
    }
}

#ifdef SIM_DEBUG
/* Debug invariant: a message is held by at most one live receipt, i.e. at
 * most one replica holds it with the message's current receipt. Receipts
 * are only created by a receive, so checking the messages just received
 * (held[0 .. n_held-1] of replica r) at each receive covers every one.
 * O(replicas x batch) per receive; debug builds only (make asan). */
static void check_holders(const struct executions *x, uint32_t r)
{
    const struct replica *p = rp_at(x, r);
    for (int i = 0; i < p->n_held; i++) {
        uint32_t slot = p->held[i].slot;
        uint32_t cur = source_msg(x->env.src, slot)->receipt;
        int live = 0;
        for (uint32_t b = 0; b < x->rps.cap; b++) {
            const struct replica *q = rp_at(x, b);
            if (q->state == RP_FREE)
                continue;
            for (int k = q->cur; k < q->n_held; k++)
                live += q->held[k].slot == slot && q->held[k].receipt == cur;
        }
        SIM_ASSERT(live == 1);
    }
}
#endif

/* A receive call of replica r: take up to receive_batch messages within
 * its quota; process them, or exit / wait when there are none. */
static void do_receive(struct executions *x, uint32_t r)
{
    struct replica *p = rp_at(x, r);
    struct exec *e = exec_at(x, p->exec);
    const struct scn_job *j = x->env.job;
    int64_t want = quota_left(x, p);
    if (want > j->receive_batch)
        want = j->receive_batch;
    p->n_held = p->cur = 0;
    while (p->n_held < want) {
        struct held_msg *h = &p->held[p->n_held];
        if (!source_receive(x->env.src, &h->slot, &h->receipt))
            break;
        const struct msg *m = source_msg(x->env.src, h->slot);
        h->id = m->id;
        h->arrival = m->arrival;
        h->duration_s = m->duration_s;
        h->first_delivery = m->deliveries == 1;
        p->n_held++;
    }
    if (p->n_held == 0) {
        if (j->messages_per_replica == 0 && j->idle_exit_us > 0) {
            /* Long poll: wait for a message until the idle deadline (kept
             * when a wake-up found the message taken by someone else). */
            if (p->state != RP_WAITING) {
                p->idle_deadline = now_of(x) + j->idle_exit_us;
                p->idle_ev = at(x, p->idle_deadline, EV_IDLE_EXIT, r);
            }
            p->state = RP_WAITING;
            SIM_ASSERT(id_fifo_push(&x->waiting, r) == SIM_OK); /* no memory */
            return;
        }
        replica_exit(x, r);
        return;
    }
    if (p->state == RP_WAITING)
        engine_cancel(x->env.eng, &p->idle_ev);
#ifdef SIM_DEBUG
    check_holders(x, r);
#endif
    p->taken += p->n_held;
    e->messages += p->n_held;
    set_claimed(x, e);
    if (j->delete_mode == DELETE_AT_RECEIVE)
        for (int i = 0; i < p->n_held; i++)
            source_delete(x->env.src, p->held[i].slot, p->held[i].receipt);
    process_current(x, r);
}

/* Account one successful processing of held message h. */
static void complete_message(struct executions *x, const struct held_msg *h)
{
    if (x->env.job->delete_mode == DELETE_AT_RECEIVE) {
        /* Deleted on receipt, so never delivered twice: its one
         * completion (at-most-once). */
        metrics_count(x->env.met, MET_COMPLETED, 1);
        metrics_latency(x->env.met, h->arrival, now_of(x));
        return;
    }
    source_complete(x->env.src, h->slot, h->receipt, h->id, h->arrival);
}

/* Let go of every message replica p still holds from index `from` on,
 * without deleting them. */
static void release_held(struct executions *x, struct replica *p, int from)
{
    if (x->env.job->delete_mode == DELETE_AT_RECEIVE) {
        /* Deleted on receipt: what was not processed is lost
         * (at-most-once delivery). */
        metrics_count(x->env.met, MET_LOST, p->n_held - from);
    } else {
        for (int i = from; i < p->n_held; i++)
            source_release(x->env.src, p->held[i].slot, p->held[i].receipt);
    }
    p->n_held = p->cur = 0;
}

static void on_work_done(struct executions *x, uint32_t r)
{
    struct replica *p = rp_at(x, r);
    p->step_ev = evq_handle_none();
    p->in_call = false;
    down_release(x->env.down);
    const struct scn_job *j = x->env.job;
    if (j->failure_probability > 0.0 &&
        gsl_rng_uniform(x->env.failure_rng) < j->failure_probability) {
        /* Processing failed: the message is not deleted and the replica
         * exits non-zero; what it holds comes back later. */
        release_held(x, p, p->cur);
        replica_end(x, r, false);
        return;
    }
    complete_message(x, &p->held[p->cur]);
    p->cur++;
    if (p->cur < p->n_held) {
        process_current(x, r);
        return;
    }
    p->n_held = p->cur = 0;
    if (quota_left(x, p) > 0)
        do_receive(x, r);
    else
        replica_exit(x, r);
}

/* Take replica r out of service now: cancel its events, leave the waiting
 * FIFO, let go of what it holds, bill it and free its slot. */
static void replica_free(struct executions *x, uint32_t r)
{
    struct replica *p = rp_at(x, r);
    struct exec *e = exec_at(x, p->exec);
    engine_cancel(x->env.eng, &p->step_ev);
    engine_cancel(x->env.eng, &p->timeout_ev);
    engine_cancel(x->env.eng, &p->idle_ev);
    if (p->state == RP_WAITING)
        id_fifo_remove(&x->waiting, r);
    if (p->state == RP_ADMISSION)
        down_cancel(x->env.down, r);
    bool placing = p->state == RP_PLACING;
    release_held(x, p, p->cur);
    sim_time from = x->env.cost_cfg->bill_startup ? p->created : p->running;
    e->billed += cost_bill_replica(x->env.cost,
                                   from < 0 ? 0 : now_of(x) - from);
    p->state = RP_FREE;
    p->gen++;
    slot_put(&x->rps, r);
    e->active--;
    if (p->in_call) { /* stopped in the middle of a call */
        p->in_call = false;
        down_release(x->env.down);
    }
    if (x->env.nodes != NULL) /* last: the room may go to a waiting replica */
        nodes_leave(x->env.nodes, r, placing ? -1 : p->node);
}

/* Replica r ends now: ok = exited 0. Its execution reacts: it ends, or
 * starts another replica. */
static void replica_end(struct executions *x, uint32_t r, bool ok)
{
    uint32_t ei = rp_at(x, r)->exec;
    struct exec *e = exec_at(x, ei);
    replica_free(x, r);
    if (ok)
        e->succeeded++;
    else
        e->failed++;
    const struct scn_job *j = x->env.job;
    if (e->succeeded >= j->replica_completion_count) {
        exec_end(x, ei, EXEC_SUCCEEDED);
        return;
    }
    if (e->failed > j->replica_retry_limit) {
        exec_end(x, ei, EXEC_FAILED);
        return;
    }
    /* Keep min(parallelism, completions still needed) replicas active. */
    int64_t want = j->replica_completion_count - e->succeeded;
    if (want > j->parallelism)
        want = j->parallelism;
    while (e->active < want)
        SIM_ASSERT(replica_start(x, ei) == SIM_OK); /* out of memory */
}

/* Stop every live replica of execution ei (its end, or a time-out). */
static void stop_replicas(struct executions *x, uint32_t ei)
{
    for (uint32_t r = 0; r < x->rps.cap && exec_at(x, ei)->active > 0; r++) {
        const struct replica *p = rp_at(x, r);
        if (p->state != RP_FREE && p->exec == ei)
            replica_free(x, r);
    }
}

/* Execution ei reaches its terminal status now. */
static void exec_end(struct executions *x, uint32_t ei, enum exec_status st)
{
    struct exec *e = exec_at(x, ei);
    stop_replicas(x, ei);
    x->unfinished--;
    if (e->running < 0)
        x->not_running--;
    if (!e->claimed)
        x->not_claimed--;
    bool empty = e->messages == 0;
    /* Executions cut off at the end of the run were neither timed out nor
     * found empty: they are only recorded (Stopped) in executions.csv. */
    if (!x->cutting) {
        if (empty)
            metrics_count(x->env.met, MET_EMPTY_EXECUTION, 1);
        if (st == EXEC_STOPPED)
            metrics_count(x->env.met, MET_TIMED_OUT_EXECUTION, 1);
        else if (st == EXEC_FAILED)
            metrics_count(x->env.met, MET_FAILED_EXECUTION, 1);
    }
    if (x->env.record != NULL) {
        struct exec_record rec = {
            .execution = e->id, .created_us = e->created,
            .running_us = e->running, .finished_us = now_of(x), .status = st,
            .messages = e->messages, .empty = empty, .billed_us = e->billed,
        };
        x->env.record(x->env.record_ctx, &rec);
    }
    e->live = false;
    e->gen++;
    slot_put(&x->execs, ei);
    x->env.state_changed(x->env.ctx);
}

int exec_create(struct executions *x)
{
    uint32_t ei = slot_take(&x->execs);
    if (ei == POOL_NIL)
        return SIM_ENOMEM;
    struct exec *e = exec_at(x, ei);
    uint32_t gen = e->gen;
    memset(e, 0, sizeof *e);
    e->gen = gen;
    e->live = true;
    e->id = x->created++;
    e->created = now_of(x);
    e->running = -1;
    x->unfinished++;
    x->not_running++;
    x->not_claimed++;
    metrics_count(x->env.met, MET_EXECUTION, 1);
    const struct scn_job *j = x->env.job;
    int64_t n = j->parallelism < j->replica_completion_count
                    ? j->parallelism
                    : j->replica_completion_count;
    for (int64_t i = 0; i < n; i++)
        if (replica_start(x, ei) != SIM_OK)
            return SIM_ENOMEM;
    return SIM_OK;
}

static void on_running(struct executions *x, uint32_t r)
{
    struct replica *p = rp_at(x, r);
    p->running = now_of(x);
    p->state = RP_CLAIMING;
    set_running(x, exec_at(x, p->exec));
    sim_time claim = dist_sample(&x->env.job->claim, x->env.claim_rng);
    p->step_ev = at(x, now_of(x) + claim, EV_CLAIM, r);
}

void exec_message_available(struct executions *x)
{
    uint32_t r = id_fifo_pop(&x->waiting);
    if (r == POOL_NIL)
        return;
    /* Receive at this instant, after the current event (it may be the
     * arrival itself, still being handled). */
    rp_at(x, r)->step_ev = at(x, now_of(x), EV_CLAIM, r);
}

int exec_on_event(void *model, const struct event *ev, struct diag *d)
{
    (void)d;
    struct executions *x = model;
    if (ev->target >= x->rps.cap)
        return SIM_OK;
    struct replica *p = rp_at(x, ev->target);
    if (p->state == RP_FREE || p->gen != ev->gen)
        return SIM_OK;
    switch (ev->kind) {
    case EV_REPLICA_RUNNING:
        p->step_ev = evq_handle_none();
        on_running(x, ev->target);
        break;
    case EV_CLAIM:
        p->step_ev = evq_handle_none();
        do_receive(x, ev->target);
        break;
    case EV_WORK_DONE:
        on_work_done(x, ev->target);
        break;
    case EV_EXIT:
        p->step_ev = evq_handle_none();
        replica_end(x, ev->target, true);
        break;
    case EV_IDLE_EXIT:
        p->idle_ev = evq_handle_none();
        if (p->state == RP_WAITING) {
            id_fifo_remove(&x->waiting, ev->target);
            replica_exit(x, ev->target);
        }
        break;
    case EV_REPLICA_TIMEOUT:
        p->timeout_ev = evq_handle_none();
        exec_end(x, p->exec, EXEC_STOPPED);
        break;
    default:
        break;
    }
    return SIM_OK;
}

void exec_stop_all(struct executions *x)
{
    x->cutting = true;
    for (uint32_t i = 0; i < x->execs.cap; i++)
        if (exec_at(x, i)->live)
            exec_end(x, i, EXEC_STOPPED);
    x->cutting = false;
}
