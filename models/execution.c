/* models/execution.c - execution lifecycle (see execution.h).
 *
 * Workload: a handful of events per execution (running, claim, work done,
 * time-out); executions live in a pool of slots reused through a free list,
 * and every scheduled event carries the slot's generation so that an event
 * outliving its execution is recognised and dropped (we also cancel them:
 * a dangling time-out would otherwise keep the run alive 30 minutes). */
#include "models/execution.h"

#include "sim/sim.h"

#include <stdlib.h>
#include <string.h>

#define NIL UINT32_MAX

int exec_init(struct executions *x)
{
    memset(x, 0, sizeof *x);
    x->free_head = NIL;
    return SIM_OK;
}

void exec_fini(struct executions *x)
{
    free(x->pool);
    memset(x, 0, sizeof *x);
}

static int grow(struct executions *x)
{
    uint32_t ncap = x->cap ? x->cap * 2 : 64;
    struct exec *p = realloc(x->pool, (size_t)ncap * sizeof *p);
    if (p == NULL)
        return SIM_ENOMEM;
    memset(p + x->cap, 0, (size_t)(ncap - x->cap) * sizeof *p);
    for (uint32_t i = ncap; i-- > x->cap;) {
        p[i].state = EX_FREE;
        p[i].next_free = x->free_head;
        x->free_head = i;
    }
    x->pool = p;
    x->cap = ncap;
    return SIM_OK;
}

int exec_create(struct sim *s)
{
    struct executions *x = &s->ex;
    if (x->free_head == NIL && grow(x) != SIM_OK)
        return SIM_ENOMEM;
    uint32_t i = x->free_head;
    struct exec *e = &x->pool[i];
    x->free_head = e->next_free;
    uint32_t gen = e->gen;
    memset(e, 0, sizeof *e);
    e->gen = gen;
    e->id = x->created++;
    e->state = EX_PENDING;
    e->created = s->now;
    e->running = -1;
    x->unfinished++;
    x->not_running++;
    x->not_claimed++;
    s->met.executions++;
    sim_time up = dist_sample(&s->scn->job.startup,
                              stream_get(&s->st, ST_STARTUP));
    e->step_ev = sim_schedule(s, s->now + up, EV_REPLICA_RUNNING, i, e->gen);
    e->timeout_ev = sim_schedule(s, s->now + s->scn->job.replica_timeout_us,
                                 EV_REPLICA_TIMEOUT, i, e->gen);
    return SIM_OK;
}

/* The execution in slot i ends now with status st. */
static void finish(struct sim *s, uint32_t i, enum exec_status st)
{
    struct executions *x = &s->ex;
    struct exec *e = &x->pool[i];
    sim_cancel(s, &e->step_ev);
    sim_cancel(s, &e->timeout_ev);
    x->unfinished--;
    if (e->running < 0)
        x->not_running--;
    if (!e->claimed)
        x->not_claimed--;
    bool empty = e->messages == 0;
    if (empty)
        s->met.empty_executions++;
    if (st == EXEC_STOPPED)
        s->met.timed_out_executions++;
    else if (st == EXEC_FAILED)
        s->met.failed_executions++;

    const struct scn_cost *c = &s->scn->cost;
    sim_time from = c->bill_startup ? e->created : e->running;
    sim_time billed = (from < 0) ? 0 : s->now - from;
    billed = cost_bill_replica(s, billed);

    if (s->sinks.execution != NULL) {
        struct exec_record r = {
            .execution = e->id, .created_us = e->created,
            .running_us = e->running, .finished_us = s->now, .status = st,
            .messages = e->messages, .empty = empty, .billed_us = billed,
        };
        s->sinks.execution(s->sinks.ctx, &r);
    }
    e->state = EX_FREE;
    e->gen++;
    e->next_free = x->free_head;
    x->free_head = i;
    sim_state_changed(s);
}

static void on_running(struct sim *s, uint32_t i)
{
    struct exec *e = &s->ex.pool[i];
    e->running = s->now;
    e->state = EX_CLAIMING;
    s->ex.not_running--;
    sim_time claim = dist_sample(&s->scn->job.claim,
                                 stream_get(&s->st, ST_CLAIM));
    e->step_ev = sim_schedule(s, s->now + claim, EV_CLAIM, i, e->gen);
    sim_state_changed(s);
}

static void on_claim(struct sim *s, uint32_t i)
{
    struct exec *e = &s->ex.pool[i];
    e->step_ev = evq_handle_none();
    e->claimed = true;
    s->ex.not_claimed--;
    uint32_t slot, receipt;
    if (!source_receive(s, &slot, &receipt)) {
        finish(s, i, EXEC_SUCCEEDED); /* empty execution: exits 0 */
        return;
    }
    e->messages++;
    e->msg_slot = slot;
    e->receipt = receipt;
    e->state = EX_WORKING;
    struct msg *m = source_msg(&s->src, slot);
    e->msg_id = m->id;
    e->msg_arrival = m->arrival;
    if (m->first_start < 0) {
        m->first_start = s->now;
        metrics_wait(&s->met, m->arrival, s->now);
    }
    sim_time work = isnan(m->duration_s)
                        ? dist_sample(&s->scn->job.duration,
                                      stream_get(&s->st, ST_DURATION))
                        : sim_from_s(m->duration_s);
    if (s->scn->job.delete_mode == DELETE_AT_RECEIVE)
        source_delete(s, slot, receipt);
    e->step_ev = sim_schedule(s, s->now + work, EV_WORK_DONE, i, e->gen);
}

static void on_work_done(struct sim *s, uint32_t i)
{
    struct exec *e = &s->ex.pool[i];
    e->step_ev = evq_handle_none();
    if (s->scn->job.delete_mode == DELETE_AT_RECEIVE) {
        /* Deleted on receipt, so never delivered twice: this is its one
         * completion (at-most-once). */
        s->met.completed++;
        metrics_latency(&s->met, e->msg_arrival, s->now);
    } else {
        /* The message may have been received and deleted by another
         * execution after its visibility expired; then its slot may hold
         * another message, so compare ids. Gone means completed before. */
        struct msg *m = source_msg(&s->src, e->msg_slot);
        bool present = m->state != MSG_FREE && m->id == e->msg_id;
        if (present && !m->completed) {
            m->completed = true;
            s->met.completed++;
            metrics_latency(&s->met, e->msg_arrival, s->now);
        } else {
            s->met.duplicate_completions++;
        }
        if (present)
            source_delete(s, e->msg_slot, e->receipt);
    }
    finish(s, i, EXEC_SUCCEEDED);
}

void exec_on_event(struct sim *s, const struct event *ev)
{
    struct executions *x = &s->ex;
    if (ev->target >= x->cap)
        return;
    struct exec *e = &x->pool[ev->target];
    if (e->state == EX_FREE || e->gen != ev->gen)
        return;
    switch (ev->kind) {
    case EV_REPLICA_RUNNING:
        on_running(s, ev->target);
        break;
    case EV_CLAIM:
        on_claim(s, ev->target);
        break;
    case EV_WORK_DONE:
        on_work_done(s, ev->target);
        break;
    case EV_REPLICA_TIMEOUT:
        e->timeout_ev = evq_handle_none();
        finish(s, ev->target, EXEC_STOPPED);
        break;
    default:
        break;
    }
}

int64_t exec_pending(const struct sim *s)
{
    return s->scn->scale.pending == PENDING_NOT_CLAIMED ? s->ex.not_claimed
                                                        : s->ex.not_running;
}

void exec_stop_all(struct sim *s)
{
    struct executions *x = &s->ex;
    for (uint32_t i = 0; i < x->cap; i++)
        if (x->pool[i].state != EX_FREE)
            finish(s, i, EXEC_STOPPED);
}
