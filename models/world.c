/* sim/sim.c - one replication: set-up, the run loop and the results (see
 * sim.h). The loop pops the earliest event, emits the time-series samples
 * that fall before it (the state is constant between events), advances the
 * clock and hands the event to its model. It ends when the event set is
 * empty (every arrival in, every message done, every execution ended, the
 * poll loop dormant) or at horizon + drain_limit. */
#include "models/world.h"
#include "sim/io/support.h"

#include <stdlib.h>
#include <string.h>

struct evq_handle sim_schedule(struct sim *s, sim_time t, enum ev_kind kind,
                               uint32_t target, uint32_t gen)
{
    struct event ev = {
        .time = t, .prio = (int32_t)kind, .kind = (uint32_t)kind,
        .target = target, .gen = gen,
    };
    SIM_ASSERT(t >= s->now);
    struct evq_handle h = evq_push(s->q, &ev);
    SIM_ASSERT(evq_handle_valid(h)); /* out of memory in the event set */
    return h;
}

void sim_cancel(struct sim *s, struct evq_handle *h)
{
    if (evq_handle_valid(*h))
        evq_cancel(s->q, *h);
    *h = evq_handle_none();
}

bool sim_work_done(struct sim *s)
{
    if (!s->arr.exhausted || source_backlog(&s->src) != 0)
        return false;
    /* With a lagged count the scaler still sees messages for count_lag
     * after the last one left, and starts executions for them. */
    struct count_snap c = source_counts_seen(&s->src, s->now);
    return c.visible + c.in_flight == 0;
}

void sim_state_changed(struct sim *s)
{
    if (!s->baseline_mode)
        scaler_wake(s);
}

void sim_message_available(struct sim *s)
{
    if (s->baseline_mode)
        base_message_available(s);
    else
        exec_message_available(s);
}

static int setup(struct sim *s, const struct scenario *scn, uint32_t rep,
                 const struct sim_sinks *sinks, bool baseline, struct diag *d)
{
    memset(s, 0, sizeof *s);
    s->scn = scn;
    s->baseline_mode = baseline;
    s->sc.poll_ev = evq_handle_none();
    s->end_limit = SIM_TIME_MAX;
    if (sinks != NULL)
        s->sinks = *sinks;
    s->q = evq_new(1024);
    if (s->q == NULL)
        return diag_set(d, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    int rc = streams_init(&s->st, scn->seed, rep);
    if (rc < 0)
        return diag_set(d, rc, NULL, 0, 0, "random streams: %s",
                        sim_strerror(rc));
    double slo = scn->slo.present && scn->slo.has_backlog_max
                     ? scn->slo.backlog_max
                     : (double)INFINITY;
    sim_time step = s->sinks.sample != NULL ? scn->sample_interval_us : 0;
    if (metrics_init(&s->met, scn->warmup_us, slo, step) != 0 ||
        source_init(&s->src, scn) != 0 || exec_init(&s->ex) != 0)
        return diag_set(d, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    down_init(&s->down, scn);
    if (nodes_init(&s->nodes, scn) != 0)
        return diag_set(d, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    if (baseline && base_init(s) != 0)
        return diag_set(d, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    rc = arr_init(s, d);
    if (rc < 0)
        return rc;
    if (!baseline)
        scaler_init(s);
    return SIM_OK;
}

int sim_init(struct sim *s, const struct scenario *scn, uint32_t rep,
             const struct sim_sinks *sinks, struct diag *d)
{
    return setup(s, scn, rep, sinks, false, d);
}

int sim_init_baseline(struct sim *s, const struct scenario *scn, uint32_t rep,
                      struct diag *d)
{
    return setup(s, scn, rep, NULL, true, d);
}

void sim_fini(struct sim *s)
{
    arr_fini(&s->arr);
    exec_fini(&s->ex);
    nodes_fini(&s->nodes);
    base_fini(&s->base);
    source_fini(&s->src);
    metrics_fini(&s->met);
    streams_fini(&s->st);
    evq_free(s->q);
    s->q = NULL;
}

/* Emit every sample whose time is before `upto` (or at it, if inclusive). */
static void emit_samples(struct sim *s, sim_time upto, bool inclusive)
{
    struct metrics *m = &s->met;
    if (!m->sampling)
        return;
    while (m->next_sample < upto || (inclusive && m->next_sample == upto)) {
        if ((double)m->next_sample >=
            SCN_MAX_SAMPLES * (double)m->sample_interval) {
            m->sampling = false; /* cut: see SCN_MAX_SAMPLES */
            return;
        }
        struct ts_sample x = {
            .t_us = m->next_sample,
            .visible = s->src.visible,
            .in_flight = s->src.in_flight,
            .backlog = source_backlog(&s->src),
            .executions_pending = s->ex.not_running,
            .executions_running = s->ex.unfinished - s->ex.not_running,
            .downstream_busy = s->down.busy,
        };
        s->sinks.sample(s->sinks.ctx, &x);
        m->next_sample += m->sample_interval;
    }
}

static int dispatch(struct sim *s, const struct event *ev, struct diag *d)
{
    switch ((enum ev_kind)ev->kind) {
    case EV_ARRIVAL:
        return arr_on_event(s, ev, d);
    case EV_VISIBILITY:
    case EV_MSG_TTL:
        source_on_event(s, ev);
        return SIM_OK;
    case EV_DOWNSTREAM:
        down_on_event(s, ev);
        return SIM_OK;
    case EV_WORK_DONE:
    case EV_CLAIM:
        if (s->baseline_mode)
            base_on_event(s, ev);
        else
            exec_on_event(s, ev);
        return SIM_OK;
    case EV_EXIT:
    case EV_REPLICA_TIMEOUT:
    case EV_REPLICA_RUNNING:
    case EV_IDLE_EXIT:
        exec_on_event(s, ev);
        return SIM_OK;
    case EV_POLL: {
        int rc = scaler_on_poll(s, ev);
        return rc < 0 ? diag_set(d, rc, NULL, 0, 0, "poll: %s",
                                 sim_strerror(rc))
                      : SIM_OK;
    }
    case EV_KIND_COUNT:
        break;
    }
    return diag_set(d, SIM_EINTERNAL, NULL, 0, 0, "unknown event kind %u",
                    ev->kind);
}

int64_t sim_run_until(struct sim *s, sim_time until, struct diag *d)
{
    int64_t done = 0;
    struct event ev;
    while (evq_peek(s->q, &ev) && ev.time <= until) {
        if (ev.time > s->end_limit)
            break;
        evq_pop(s->q, &ev);
        emit_samples(s, ev.time, false);
        s->now = ev.time;
        s->events++;
        done++;
        int rc = dispatch(s, &ev, d);
        if (rc < 0)
            return rc;
        /* issue 7: time-weighted Running executions (constant between
         * events, so one update per event is exact). */
        twa_set(&s->met.running, s->now,
                (double)(s->ex.unfinished - s->ex.not_running));
        if (!s->stopping && sim_work_done(s)) {
            /* Nothing left to process: stop creating executions; the live
             * ones end by themselves (they find no message). */
            s->stopping = true;
            sim_cancel(s, &s->sc.poll_ev);
            s->sc.dormant = true;
        }
    }
    return done;
}

/* Simulate the always-on baseline on the same arrivals (same replication
 * seeds) and put its numbers beside the job's: baseline_cost_usd, its
 * latency and backlog, and savings_pct = how much cheaper the job is. */
static int run_baseline(const struct sim *job, struct rep_result *out,
                        struct diag *d)
{
    struct sim *b = malloc(sizeof *b);
    if (b == NULL)
        return diag_set(d, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    int rc = sim_init_baseline(b, job->scn, job->st.replication, d);
    if (rc == 0) {
        int64_t n = sim_run_until(b, SIM_TIME_MAX - 1, d);
        rc = n < 0 ? (int)n : 0;
    }
    if (rc == 0) {
        sim_time horizon = b->arr.horizon_known ? b->arr.horizon : b->now;
        sim_time span = b->now > horizon ? b->now : horizon;
        double cost = base_cost(b, span);
        out->m[RM_baseline_cost_usd] = cost;
        out->m[RM_savings_pct] =
            cost > 0.0 ? 100.0 * (cost - out->m[RM_cost_usd]) / cost
                       : (double)NAN;
        out->m[RM_baseline_latency_mean_s] = qhist_mean(&b->met.latency);
        out->m[RM_baseline_latency_p95_s] =
            qhist_quantile(&b->met.latency, 0.95);
        out->m[RM_baseline_backlog_max] = twa_max(&b->met.backlog, b->now);
    }
    sim_fini(b);
    free(b);
    return rc;
}

int sim_run(struct sim *s, struct rep_result *out, struct diag *d)
{
    int64_t rc = sim_run_until(s, SIM_TIME_MAX - 1, d);
    if (rc < 0)
        return (int)rc;
    if (evq_size(s->q) > 0 && s->end_limit < SIM_TIME_MAX) {
        /* Stopped at the drain limit: what is left is unfinished. */
        s->now = s->end_limit;
        exec_stop_all(s);
    }
    const struct scenario *scn = s->scn;
    sim_time end = s->now;
    sim_time horizon = s->arr.horizon_known ? s->arr.horizon : end;
    emit_samples(s, end, true);

    const struct metrics *m = &s->met;
    memset(out, 0, sizeof *out);
    out->replication = s->st.replication;
    out->events = s->events;
    out->sim_end_s = sim_to_s(end);
    for (int i = 0; i < RM_COUNT; i++)
        out->m[i] = NAN;
    int64_t unfinished =
        m->messages - m->completed - m->dead_lettered - m->expired;
    /* Conservation: every message is completed, dead-lettered, expired,
     * or unfinished (still queued and never processed, or lost after a
     * delete on receipt), counted independently. */
    SIM_ASSERT(unfinished == source_unfinished(&s->src) + m->lost);
    out->m[RM_messages] = (double)m->messages;
    out->m[RM_completed] = (double)m->completed;
    out->m[RM_unfinished] = (double)unfinished;
    out->m[RM_wait_mean_s] = qhist_mean(&m->wait);
    out->m[RM_wait_p95_s] = qhist_quantile(&m->wait, 0.95);
    out->m[RM_latency_mean_s] = qhist_mean(&m->latency);
    out->m[RM_latency_p50_s] = qhist_quantile(&m->latency, 0.50);
    out->m[RM_latency_p95_s] = qhist_quantile(&m->latency, 0.95);
    out->m[RM_latency_p99_s] = qhist_quantile(&m->latency, 0.99);
    out->m[RM_latency_max_s] = qhist_quantile(&m->latency, 1.0);
    out->m[RM_backlog_max] = twa_max(&m->backlog, end);
    out->m[RM_backlog_mean] = twa_mean(&m->backlog, end);
    out->m[RM_time_over_backlog_slo_s] =
        scn->slo.present && scn->slo.has_backlog_max
            ? twa_time_above_s(&m->backlog, end)
            : (double)NAN;
    if (unfinished > 0)
        out->m[RM_drain_time_s] = sim_to_s(end - horizon);
    else if (m->last_done > horizon)
        out->m[RM_drain_time_s] = sim_to_s(m->last_done - horizon);
    else
        out->m[RM_drain_time_s] = 0.0;
    out->m[RM_executions] = (double)m->executions;
    out->m[RM_empty_executions] = (double)m->empty_executions;
    out->m[RM_failed_executions] = (double)m->failed_executions;
    out->m[RM_timed_out_executions] = (double)m->timed_out_executions;
    out->m[RM_duplicate_deliveries] = (double)m->duplicate_deliveries;
    out->m[RM_duplicate_completions] = (double)m->duplicate_completions;
    out->m[RM_dead_lettered] = (double)m->dead_lettered;
    out->m[RM_expired] = (double)m->expired;
    out->m[RM_downstream_peak] = (double)m->downstream_peak;
    sim_time span = end > horizon ? end : horizon;
    int64_t polls = scaler_grid_polls(s, span);
    out->m[RM_polls] = (double)polls;
    cost_finish(s, span, polls, out);
    /* issue 7: time-average Running executions and latency quantiles. */
    out->m[RM_executions_running_mean] = twa_mean(&m->running, end);
    result_fill_quantiles(&m->latency, out);
    if (scn->baseline.present && !s->baseline_mode)
        return run_baseline(s, out, d);
    return SIM_OK;
}
