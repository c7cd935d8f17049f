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

#include "models/world.h"

#include <gsl/gsl_rng.h>
#include <stdlib.h>
#include <string.h>

#define NIL UINT32_MAX

int exec_init(struct executions *x)
{
    memset(x, 0, sizeof *x);
    x->free_head = NIL;
    x->rp_free = NIL;
    x->wait_head = x->wait_tail = NIL;
    return SIM_OK;
}

void exec_fini(struct executions *x)
{
    free(x->pool);
    free(x->rp);
    memset(x, 0, sizeof *x);
}

/* ---- waiting FIFOs through replica.dnext ---------------------------------- */

void rp_fifo_init(struct rp_fifo *f)
{
    f->head = f->tail = NIL;
}

void rp_fifo_push(struct executions *x, struct rp_fifo *f, uint32_t r)
{
    x->rp[r].dnext = NIL;
    if (f->tail == NIL)
        f->head = r;
    else
        x->rp[f->tail].dnext = r;
    f->tail = r;
}

uint32_t rp_fifo_pop(struct executions *x, struct rp_fifo *f)
{
    uint32_t r = f->head;
    if (r == NIL)
        return NIL;
    f->head = x->rp[r].dnext;
    if (f->head == NIL)
        f->tail = NIL;
    x->rp[r].dnext = NIL;
    return r;
}

void rp_fifo_remove(struct executions *x, struct rp_fifo *f, uint32_t r)
{
    uint32_t prev = NIL, i = f->head;
    while (i != NIL && i != r) {
        prev = i;
        i = x->rp[i].dnext;
    }
    if (i == NIL)
        return;
    if (prev == NIL)
        f->head = x->rp[r].dnext;
    else
        x->rp[prev].dnext = x->rp[r].dnext;
    if (f->tail == r)
        f->tail = prev;
    x->rp[r].dnext = NIL;
}

/* ---- pools --------------------------------------------------------------- */

static int grow_exec(struct executions *x)
{
    uint32_t ncap = x->cap ? x->cap * 2 : 64;
    struct exec *p = realloc(x->pool, (size_t)ncap * sizeof *p);
    if (p == NULL)
        return SIM_ENOMEM;
    memset(p + x->cap, 0, (size_t)(ncap - x->cap) * sizeof *p);
    for (uint32_t i = ncap; i-- > x->cap;) {
        p[i].next_free = x->free_head;
        x->free_head = i;
    }
    x->pool = p;
    x->cap = ncap;
    return SIM_OK;
}

static int grow_replicas(struct executions *x)
{
    uint32_t ncap = x->rp_cap ? x->rp_cap * 2 : 64;
    struct replica *p = realloc(x->rp, (size_t)ncap * sizeof *p);
    if (p == NULL)
        return SIM_ENOMEM;
    memset(p + x->rp_cap, 0, (size_t)(ncap - x->rp_cap) * sizeof *p);
    for (uint32_t i = ncap; i-- > x->rp_cap;) {
        p[i].state = RP_FREE;
        p[i].next = x->rp_free;
        x->rp_free = i;
    }
    x->rp = p;
    x->rp_cap = ncap;
    return SIM_OK;
}

/* ---- KEDA's pending count -------------------------------------------------- */

/* The execution's pending state changed: keep the counters in step. */
static void set_running(struct sim *s, struct exec *e)
{
    if (e->running < 0) {
        e->running = s->now;
        s->ex.not_running--;
        sim_state_changed(s);
    }
}

static void set_claimed(struct sim *s, struct exec *e)
{
    if (!e->claimed) {
        e->claimed = true;
        s->ex.not_claimed--;
        sim_state_changed(s);
    }
}

int64_t exec_pending(const struct sim *s)
{
    return s->scn->scale.pending == PENDING_NOT_CLAIMED ? s->ex.not_claimed
                                                        : s->ex.not_running;
}

/* ---- replicas -------------------------------------------------------------- */

static void replica_end(struct sim *s, uint32_t r, bool ok);
static void exec_end(struct sim *s, uint32_t ei, enum exec_status st);

/* Start one replica of execution ei now. Returns 0 or SIM_ENOMEM. */
static int replica_start(struct sim *s, uint32_t ei)
{
    struct executions *x = &s->ex;
    if (x->rp_free == NIL && grow_replicas(x) != SIM_OK)
        return SIM_ENOMEM;
    uint32_t r = x->rp_free;
    struct replica *p = &x->rp[r];
    x->rp_free = p->next;
    uint32_t gen = p->gen;
    memset(p, 0, sizeof *p);
    p->gen = gen;
    p->exec = ei;
    p->next = NIL;
    p->dnext = NIL;
    p->state = RP_STARTING;
    p->created = s->now;
    p->running = -1;
    p->step_ev = p->timeout_ev = p->idle_ev = evq_handle_none();
    p->node = -1;
    x->pool[ei].active++;
    /* replica_timeout counts from creation, placement wait included. */
    p->timeout_ev = sim_schedule(s, s->now + s->scn->job.replica_timeout_us,
                                 EV_REPLICA_TIMEOUT, r, p->gen);
    if (s->nodes.on) {
        int64_t node = nodes_place(s, r);
        if (node < 0) {
            p->state = RP_PLACING;
            return SIM_OK;
        }
        p->node = node;
    }
    sim_time up = dist_sample(&s->scn->job.startup,
                              stream_get(&s->st, ST_STARTUP));
    p->step_ev = sim_schedule(s, s->now + up, EV_REPLICA_RUNNING, r, p->gen);
    return SIM_OK;
}

void exec_on_placed(struct sim *s, uint32_t r, int64_t node)
{
    struct replica *p = &s->ex.rp[r];
    p->node = node;
    p->state = RP_STARTING;
    sim_time up = dist_sample(&s->scn->job.startup,
                              stream_get(&s->st, ST_STARTUP));
    p->step_ev = sim_schedule(s, s->now + up, EV_REPLICA_RUNNING, r, p->gen);
}

/* Remove replica r from the waiting FIFO (it is in it). */
static void unwait(struct executions *x, uint32_t r)
{
    uint32_t prev = NIL, i = x->wait_head;
    while (i != NIL && i != r) {
        prev = i;
        i = x->rp[i].next;
    }
    if (i == NIL)
        return;
    if (prev == NIL)
        x->wait_head = x->rp[r].next;
    else
        x->rp[prev].next = x->rp[r].next;
    if (x->wait_tail == r)
        x->wait_tail = prev;
    x->rp[r].next = NIL;
}

/* Messages replica r may still receive (INT64_MAX in drain mode). */
static int64_t quota_left(const struct sim *s, const struct replica *p)
{
    int64_t n = s->scn->job.messages_per_replica;
    return n == 0 ? INT64_MAX : n - p->taken;
}

/* The replica is done with its messages: exit (after exit_overhead). */
static void replica_exit(struct sim *s, uint32_t r)
{
    struct replica *p = &s->ex.rp[r];
    sim_time o = s->scn->job.exit_overhead_us;
    if (o > 0) {
        p->state = RP_EXITING;
        p->step_ev = sim_schedule(s, s->now + o, EV_EXIT, r, p->gen);
    } else {
        replica_end(s, r, true);
    }
}

/* The call for held[cur] starts now: processing begins. */
static void start_work(struct sim *s, uint32_t r)
{
    struct replica *p = &s->ex.rp[r];
    const struct held_msg *h = &p->held[p->cur];
    /* The wait ends at the message's first processing start. With delete
     * at_receive the message is gone already and was delivered once. */
    struct msg *m = source_msg(&s->src, h->slot);
    bool present = m->state != MSG_FREE && m->id == h->id;
    if (present ? m->first_start < 0 : h->first_delivery) {
        if (present)
            m->first_start = s->now;
        metrics_wait(&s->met, h->arrival, s->now);
    }
    p->state = RP_WORKING;
    p->in_call = true;
    p->step_ev = sim_schedule(s, s->now + p->work_us, EV_WORK_DONE, r, p->gen);
}

void exec_on_admitted(struct sim *s, uint32_t r)
{
    start_work(s, r);
}

static void release_held(struct sim *s, struct replica *p, int from);

/* Process held[cur] of replica r: draw its processing time and ask the
 * downstream service for admission. */
static void process_current(struct sim *s, uint32_t r)
{
    struct replica *p = &s->ex.rp[r];
    const struct held_msg *h = &p->held[p->cur];
    p->work_us = sim_from_s(h->duration_s); /* drawn at arrival, or the
                                               trace's duration_column */
    switch (down_acquire(s, r)) {
    case DOWN_ADMITTED:
        start_work(s, r);
        break;
    case DOWN_QUEUED:
        p->state = RP_ADMISSION;
        break;
    case DOWN_REJECTED:
        /* The call fails: the message is not deleted, the replica exits
         * non-zero. */
        release_held(s, p, p->cur);
        replica_end(s, r, false);
        break;
    }
}

#ifdef SIM_DEBUG
/* Debug invariant: a message is held by at most one live receipt, i.e. at
 * most one replica holds it with the message's current receipt. Receipts
 * are only created by a receive, so checking the messages just received
 * (held[0 .. n_held-1] of replica r) at each receive covers every one.
 * O(replicas x batch) per receive; debug builds only (make asan). */
static void check_holders(const struct sim *s, uint32_t r)
{
    const struct executions *x = &s->ex;
    const struct replica *p = &x->rp[r];
    for (int i = 0; i < p->n_held; i++) {
        uint32_t slot = p->held[i].slot;
        uint32_t cur = s->src.pool[slot].receipt;
        int live = 0;
        for (uint32_t b = 0; b < x->rp_cap; b++) {
            const struct replica *q = &x->rp[b];
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
static void do_receive(struct sim *s, uint32_t r)
{
    struct executions *x = &s->ex;
    struct replica *p = &x->rp[r];
    struct exec *e = &x->pool[p->exec];
    const struct scn_job *j = &s->scn->job;
    int64_t want = quota_left(s, p);
    if (want > j->receive_batch)
        want = j->receive_batch;
    p->n_held = p->cur = 0;
    while (p->n_held < want) {
        struct held_msg *h = &p->held[p->n_held];
        if (!source_receive(s, &h->slot, &h->receipt))
            break;
        struct msg *m = source_msg(&s->src, h->slot);
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
                p->idle_deadline = s->now + j->idle_exit_us;
                p->idle_ev = sim_schedule(s, p->idle_deadline, EV_IDLE_EXIT,
                                          r, p->gen);
            }
            p->state = RP_WAITING;
            p->next = NIL;
            if (x->wait_tail == NIL)
                x->wait_head = r;
            else
                x->rp[x->wait_tail].next = r;
            x->wait_tail = r;
            return;
        }
        replica_exit(s, r);
        return;
    }
    if (p->state == RP_WAITING)
        sim_cancel(s, &p->idle_ev);
#ifdef SIM_DEBUG
    check_holders(s, r);
#endif
    p->taken += p->n_held;
    e->messages += p->n_held;
    set_claimed(s, e);
    if (j->delete_mode == DELETE_AT_RECEIVE)
        for (int i = 0; i < p->n_held; i++)
            source_delete(s, p->held[i].slot, p->held[i].receipt);
    process_current(s, r);
}

/* Account one successful processing of held message h. */
static void complete_message(struct sim *s, const struct held_msg *h)
{
    if (s->scn->job.delete_mode == DELETE_AT_RECEIVE) {
        /* Deleted on receipt, so never delivered twice: its one
         * completion (at-most-once). */
        s->met.completed++;
        metrics_latency(&s->met, h->arrival, s->now);
        return;
    }
    source_complete(s, h->slot, h->receipt, h->id, h->arrival);
}

/* Let go of every message replica r still holds from index `from` on,
 * without deleting them. */
static void release_held(struct sim *s, struct replica *p, int from)
{
    if (s->scn->job.delete_mode == DELETE_AT_RECEIVE) {
        /* Deleted on receipt: what was not processed is lost
         * (at-most-once delivery). */
        s->met.lost += p->n_held - from;
    } else {
        for (int i = from; i < p->n_held; i++)
            source_release(s, p->held[i].slot, p->held[i].receipt);
    }
    p->n_held = p->cur = 0;
}

static void on_work_done(struct sim *s, uint32_t r)
{
    struct replica *p = &s->ex.rp[r];
    p->step_ev = evq_handle_none();
    p->in_call = false;
    down_release(s);
    const struct scn_job *j = &s->scn->job;
    if (j->failure_probability > 0.0 &&
        gsl_rng_uniform(stream_get(&s->st, ST_FAILURE)) <
            j->failure_probability) {
        /* Processing failed: the message is not deleted and the replica
         * exits non-zero; what it holds comes back later. */
        release_held(s, p, p->cur);
        replica_end(s, r, false);
        return;
    }
    complete_message(s, &p->held[p->cur]);
    p->cur++;
    if (p->cur < p->n_held) {
        process_current(s, r);
        return;
    }
    p->n_held = p->cur = 0;
    if (quota_left(s, p) > 0)
        do_receive(s, r);
    else
        replica_exit(s, r);
}

/* Take replica r out of service now: cancel its events, leave the waiting
 * FIFO, let go of what it holds, bill it and free its slot. */
static void replica_free(struct sim *s, uint32_t r)
{
    struct executions *x = &s->ex;
    struct replica *p = &x->rp[r];
    struct exec *e = &x->pool[p->exec];
    sim_cancel(s, &p->step_ev);
    sim_cancel(s, &p->timeout_ev);
    sim_cancel(s, &p->idle_ev);
    if (p->state == RP_WAITING)
        unwait(x, r);
    if (p->state == RP_ADMISSION)
        down_cancel(s, r);
    bool placing = p->state == RP_PLACING;
    release_held(s, p, p->cur);
    const struct scn_cost *c = &s->scn->cost;
    sim_time from = c->bill_startup ? p->created : p->running;
    e->billed += cost_bill_replica(s, from < 0 ? 0 : s->now - from);
    p->state = RP_FREE;
    p->gen++;
    p->next = x->rp_free;
    x->rp_free = r;
    e->active--;
    if (p->in_call) { /* stopped in the middle of a call */
        p->in_call = false;
        down_release(s);
    }
    if (s->nodes.on) /* last: the room may go to a waiting replica */
        nodes_leave(s, r, placing ? -1 : p->node);
}

/* Replica r ends now: ok = exited 0. Its execution reacts: it ends, or
 * starts another replica. */
static void replica_end(struct sim *s, uint32_t r, bool ok)
{
    uint32_t ei = s->ex.rp[r].exec;
    struct exec *e = &s->ex.pool[ei];
    replica_free(s, r);
    if (ok)
        e->succeeded++;
    else
        e->failed++;
    const struct scn_job *j = &s->scn->job;
    if (e->succeeded >= j->replica_completion_count) {
        exec_end(s, ei, EXEC_SUCCEEDED);
        return;
    }
    if (e->failed > j->replica_retry_limit) {
        exec_end(s, ei, EXEC_FAILED);
        return;
    }
    /* Keep min(parallelism, completions still needed) replicas active. */
    int64_t want = j->replica_completion_count - e->succeeded;
    if (want > j->parallelism)
        want = j->parallelism;
    while (e->active < want)
        SIM_ASSERT(replica_start(s, ei) == SIM_OK); /* out of memory */
}

/* Stop every live replica of execution ei (its end, or a time-out). */
static void stop_replicas(struct sim *s, uint32_t ei)
{
    struct executions *x = &s->ex;
    for (uint32_t r = 0; r < x->rp_cap && x->pool[ei].active > 0; r++)
        if (x->rp[r].state != RP_FREE && x->rp[r].exec == ei)
            replica_free(s, r);
}

/* Execution ei reaches its terminal status now. */
static void exec_end(struct sim *s, uint32_t ei, enum exec_status st)
{
    struct executions *x = &s->ex;
    struct exec *e = &x->pool[ei];
    stop_replicas(s, ei);
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
            s->met.empty_executions++;
        if (st == EXEC_STOPPED)
            s->met.timed_out_executions++;
        else if (st == EXEC_FAILED)
            s->met.failed_executions++;
    }
    if (s->sinks.execution != NULL) {
        struct exec_record rec = {
            .execution = e->id, .created_us = e->created,
            .running_us = e->running, .finished_us = s->now, .status = st,
            .messages = e->messages, .empty = empty, .billed_us = e->billed,
        };
        s->sinks.execution(s->sinks.ctx, &rec);
    }
    e->live = false;
    e->gen++;
    e->next_free = x->free_head;
    x->free_head = ei;
    sim_state_changed(s);
}

int exec_create(struct sim *s)
{
    struct executions *x = &s->ex;
    if (x->free_head == NIL && grow_exec(x) != SIM_OK)
        return SIM_ENOMEM;
    uint32_t ei = x->free_head;
    struct exec *e = &x->pool[ei];
    x->free_head = e->next_free;
    uint32_t gen = e->gen;
    memset(e, 0, sizeof *e);
    e->gen = gen;
    e->live = true;
    e->id = x->created++;
    e->created = s->now;
    e->running = -1;
    x->unfinished++;
    x->not_running++;
    x->not_claimed++;
    s->met.executions++;
    const struct scn_job *j = &s->scn->job;
    int64_t n = j->parallelism < j->replica_completion_count
                    ? j->parallelism
                    : j->replica_completion_count;
    for (int64_t i = 0; i < n; i++)
        if (replica_start(s, ei) != SIM_OK)
            return SIM_ENOMEM;
    return SIM_OK;
}

static void on_running(struct sim *s, uint32_t r)
{
    struct replica *p = &s->ex.rp[r];
    p->running = s->now;
    p->state = RP_CLAIMING;
    set_running(s, &s->ex.pool[p->exec]);
    sim_time claim = dist_sample(&s->scn->job.claim,
                                 stream_get(&s->st, ST_CLAIM));
    p->step_ev = sim_schedule(s, s->now + claim, EV_CLAIM, r, p->gen);
}

void exec_message_available(struct sim *s)
{
    struct executions *x = &s->ex;
    uint32_t r = x->wait_head;
    if (r == NIL)
        return;
    struct replica *p = &x->rp[r];
    x->wait_head = p->next;
    if (x->wait_head == NIL)
        x->wait_tail = NIL;
    p->next = NIL;
    /* Receive at this instant, after the current event (it may be the
     * arrival itself, still being handled). */
    p->step_ev = sim_schedule(s, s->now, EV_CLAIM, r, p->gen);
}

void exec_on_event(struct sim *s, const struct event *ev)
{
    struct executions *x = &s->ex;
    if (ev->target >= x->rp_cap)
        return;
    struct replica *p = &x->rp[ev->target];
    if (p->state == RP_FREE || p->gen != ev->gen)
        return;
    switch (ev->kind) {
    case EV_REPLICA_RUNNING:
        p->step_ev = evq_handle_none();
        on_running(s, ev->target);
        break;
    case EV_CLAIM:
        p->step_ev = evq_handle_none();
        do_receive(s, ev->target);
        break;
    case EV_WORK_DONE:
        on_work_done(s, ev->target);
        break;
    case EV_EXIT:
        p->step_ev = evq_handle_none();
        replica_end(s, ev->target, true);
        break;
    case EV_IDLE_EXIT:
        p->idle_ev = evq_handle_none();
        if (p->state == RP_WAITING) {
            unwait(x, ev->target);
            replica_exit(s, ev->target);
        }
        break;
    case EV_REPLICA_TIMEOUT:
        p->timeout_ev = evq_handle_none();
        exec_end(s, p->exec, EXEC_STOPPED);
        break;
    default:
        break;
    }
}

void exec_stop_all(struct sim *s)
{
    struct executions *x = &s->ex;
    x->cutting = true;
    for (uint32_t i = 0; i < x->cap; i++)
        if (x->pool[i].live)
            exec_end(s, i, EXEC_STOPPED);
    x->cutting = false;
}
