/* models/world.c - one replication: the wiring of every model, the run
 * and the results (see world.h). The engine pops the earliest event, the
 * world's before-hook folds the state that held since the previous event
 * into the time-series intervals (the state is constant between events),
 * the handler registered for its
 * kind runs, and the after-hook updates the time-weighted Running count and
 * notices when the work is done. The run ends when the event set is empty
 * (every arrival in, every message done, every execution ended, the poll
 * loop dormant) or at horizon + drain_limit. */
#include "models/world.h"

#include "models/streams.h"

#include <stdlib.h>
#include <string.h>

/* ---- notifications, as the job wires them -------------------------------- */

static void job_counts_changed(void *ctx, sim_time seen_at)
{
    struct world *w = ctx;
    scaler_wake_at(&w->sc, seen_at);
}

static void job_message_available(void *ctx)
{
    struct world *w = ctx;
    exec_message_available(&w->ex);
}

static void job_state_changed(void *ctx)
{
    struct world *w = ctx;
    scaler_wake(&w->sc);
}

static void replica_admitted(void *ctx, uint32_t who)
{
    struct world *w = ctx;
    exec_on_admitted(&w->ex, who);
}

static void replica_placed(void *ctx, uint32_t who, int64_t node)
{
    struct world *w = ctx;
    exec_on_placed(&w->ex, who, node);
}

static void horizon_known(void *ctx, sim_time horizon)
{
    struct world *w = ctx;
    w->eng.end_limit = horizon + w->scn->drain_limit_us;
}

/* ---- ... and as the always-on baseline wires them ------------------------ */

static void base_counts_changed(void *ctx, sim_time seen_at)
{
    (void)ctx; /* no scaler */
    (void)seen_at;
}

static void base_available(void *ctx)
{
    struct world *w = ctx;
    base_message_available(&w->base);
}

static void base_state_changed(void *ctx)
{
    (void)ctx; /* no scaler */
}

/* ---- the run loop's hooks ------------------------------------------------- */

bool world_work_done(struct world *w)
{
    if (!w->arr.exhausted || source_backlog(&w->src) != 0)
        return false;
    /* With a lagged count the scaler still sees messages for count_lag
     * after the last one left, and starts executions for them. */
    struct count_snap c = source_counts_seen(&w->src, w->eng.now);
    return c.visible + c.in_flight == 0;
}

/* ---- the time series: per-interval summaries ------------------------------
 * The state is constant between events, and the before-hook sees it just
 * before each change: the level read there has held since the previous
 * event (seg_t). Each interval [win_start, win_end) accumulates the
 * integral of every level and the highest level held in it, so a row says
 * what happened between its bounds, not what was true at one instant. */

static void ts_levels(const struct world *w, int64_t v[TS_COUNT])
{
    v[TS_VISIBLE] = w->src.visible;
    v[TS_IN_FLIGHT] = w->src.in_flight;
    v[TS_BACKLOG] = source_backlog(&w->src);
    v[TS_PENDING] = exec_not_running(&w->ex);
    v[TS_RUNNING] = exec_unfinished(&w->ex) - exec_not_running(&w->ex);
    v[TS_DOWNSTREAM] = w->down.busy;
}

static void ts_open(struct world *w, sim_time start)
{
    w->win_start = start;
    w->win_end = start + w->sample_interval;
    for (int i = 0; i < TS_COUNT; i++) {
        w->area[i] = 0.0;
        w->max[i] = INT64_MIN;
    }
}

static void ts_mark(struct world *w, const int64_t v[TS_COUNT])
{
    for (int i = 0; i < TS_COUNT; i++)
        if (v[i] > w->max[i])
            w->max[i] = v[i];
}

static void ts_add(struct world *w, const int64_t v[TS_COUNT], sim_time upto)
{
    double dt = (double)(upto - w->seg_t);
    for (int i = 0; i < TS_COUNT; i++)
        w->area[i] += (double)v[i] * dt;
    w->seg_t = upto;
}

/* Emit the open interval, ended at end (> win_start), and open the next. */
static void ts_emit(struct world *w, sim_time end)
{
    struct ts_sample x = {.t_us = w->win_start, .end_us = end};
    double len = (double)(end - w->win_start);
    for (int i = 0; i < TS_COUNT; i++) {
        x.mean[i] = w->area[i] / len;
        x.max[i] = w->max[i] == INT64_MIN ? 0 : w->max[i];
    }
    w->io.sample(w->io.ctx, &x);
    if (++w->rows >= SCN_MAX_SAMPLES)
        w->sampling = false; /* cut: see SCN_MAX_SAMPLES */
    ts_open(w, end);
}

/* The current levels hold from seg_t to t: fold them into every interval
 * they cover, emitting those that end by t. `final`: t is the end of the
 * run, and a level that holds for no time there belongs to no interval. */
static void ts_advance(struct world *w, sim_time t, bool final)
{
    int64_t v[TS_COUNT];
    ts_levels(w, v);
    if (w->seg_t < t || !final)
        ts_mark(w, v);
    while (w->sampling && w->win_end <= t) {
        ts_add(w, v, w->win_end);
        ts_emit(w, w->win_end);
        if (w->seg_t < t)
            ts_mark(w, v);
    }
    if (w->sampling)
        ts_add(w, v, t);
}

/* The run ends at end: close the series, the last interval partial. */
static void ts_finish(struct world *w, sim_time end)
{
    if (!w->sampling)
        return;
    ts_advance(w, end, true);
    if (w->sampling && end > w->win_start)
        ts_emit(w, end);
    w->sampling = false;
}

static void before_event(void *ctx, sim_time t)
{
    struct world *w = ctx;
    if (w->sampling)
        ts_advance(w, t, false);
}

/* An unstable configuration: the backlog has grown past
 * WORLD_BACKLOG_LIMIT; the replication ends now instead of growing memory
 * without bound (world_run() marks it `unstable`). */
static bool check_unstable(struct world *w)
{
    if (source_backlog(&w->src) <= w->backlog_limit)
        return false;
    w->unstable = true;
    engine_stop(&w->eng);
    return true;
}

/* Tell the program how far the replication is (simulated time). */
static void tell_progress(struct world *w)
{
    if (w->io.progress == NULL || (w->eng.events & 0xFFFF) != 0)
        return;
    sim_time h = w->arr.horizon_known ? w->arr.horizon : w->scn->horizon_us;
    if (!w->arr.horizon_known && !w->scn->has_horizon)
        return;
    double f = h > 0 ? (double)w->eng.now / (double)h : 1.0;
    w->io.progress(w->io.progress_ctx, f < 0.0 ? 0.0 : f > 1.0 ? 1.0 : f);
}

static void job_after_event(void *ctx)
{
    struct world *w = ctx;
    tell_progress(w);
    metrics_running(&w->met, w->eng.now,
                    (double)(exec_unfinished(&w->ex) -
                             exec_not_running(&w->ex)));
    if (check_unstable(w))
        return;
    if (!w->stopping && world_work_done(w)) {
        /* Nothing left to process: stop creating executions; the live
         * ones end by themselves (they find no message). */
        w->stopping = true;
        scaler_stop(&w->sc);
    }
}

static void base_after_event(void *ctx)
{
    struct world *w = ctx;
    metrics_running(&w->met, w->eng.now, 0.0);
    if (check_unstable(w))
        return;
    if (!w->stopping && world_work_done(w))
        w->stopping = true;
}

/* ---- set-up --------------------------------------------------------------- */

/* The wiring of one kind of replication: the job, or the baseline. */
struct wiring {
    void (*counts_changed)(void *ctx, sim_time seen_at);
    void (*message_available)(void *ctx);
    void (*state_changed)(void *ctx);
    void (*after)(void *ctx);
    bool baseline;  /* register the baseline's handlers, not the job's */
};

static const struct wiring job_wiring = {
    job_counts_changed, job_message_available, job_state_changed,
    job_after_event, false,
};
static const struct wiring baseline_wiring = {
    base_counts_changed, base_available, base_state_changed,
    base_after_event, true,
};

/* Register every event kind's {priority, handler}: the kind order of
 * models/events.h is the priority. */
static void register_handlers(struct world *w, const struct wiring *wr)
{
    struct engine *e = &w->eng;
#define ON(kind, fn, model) \
    SIM_ASSERT(engine_on(e, kind, (int32_t)(kind), fn, model, #kind) == SIM_OK)
    ON(EV_ARRIVAL, arr_on_event, &w->arr);
    ON(EV_MSG_TTL, source_on_event, &w->src);
    ON(EV_VISIBILITY, source_on_event, &w->src);
    ON(EV_DOWNSTREAM, down_on_event, &w->down);
    if (wr->baseline) {
        ON(EV_WORK_DONE, base_on_event, &w->base);
        ON(EV_CLAIM, base_on_event, &w->base);
        return;
    }
    ON(EV_WORK_DONE, exec_on_event, &w->ex);
    ON(EV_CLAIM, exec_on_event, &w->ex);
    ON(EV_EXIT, exec_on_event, &w->ex);
    ON(EV_REPLICA_TIMEOUT, exec_on_event, &w->ex);
    ON(EV_REPLICA_RUNNING, exec_on_event, &w->ex);
    ON(EV_IDLE_EXIT, exec_on_event, &w->ex);
    ON(EV_POLL, scaler_on_poll, &w->sc);
#undef ON
}

static int oom(struct diag *d)
{
    return diag_set(d, SIM_ENOMEM, NULL, 0, 0, "out of memory");
}

static int setup(struct world *w, const struct scenario *scn, uint32_t rep,
                 const struct world_io *io, const struct wiring *wr,
                 struct diag *d)
{
    memset(w, 0, sizeof *w);
    w->scn = scn;
    w->sc.poll_ev = evq_handle_none();
    if (io != NULL)
        w->io = *io;
    w->backlog_limit = w->io.backlog_limit > 0 ? w->io.backlog_limit
                                               : WORLD_BACKLOG_LIMIT;
    if (engine_init(&w->eng, 1024) != SIM_OK)
        return oom(d);
    register_handlers(w, wr);
    w->eng.before = before_event;
    w->eng.after = wr->after;
    w->eng.hook_ctx = w;
    int rc = streams_init(&w->st, scn->seed, rep);
    if (rc < 0)
        return diag_set(d, rc, NULL, 0, 0, "random streams: %s",
                        sim_strerror(rc));
    double slo = scn->slo.present && scn->slo.has_backlog_max
                     ? scn->slo.backlog_max
                     : (double)INFINITY;
    w->sample_interval = w->io.sample != NULL ? scn->sample_interval_us : 0;
    w->sampling = w->sample_interval > 0;
    if (w->sampling)
        ts_open(w, 0);
    if (metrics_init(&w->met, scn->warmup_us, slo) != 0)
        return oom(d);
    cost_init(&w->cost, scn);

    struct source_env se = {
        .eng = &w->eng, .met = &w->met, .duration = &scn->job.duration,
        .duration_rng = stream_get(&w->st, ST_DURATION),
        .counts_changed = wr->counts_changed,
        .message_available = wr->message_available, .ctx = w,
    };
    if (source_init(&w->src, &scn->source, &se) != 0)
        return oom(d);
    struct nodes_env ne = {.eng = &w->eng, .placed = replica_placed, .ctx = w};
    struct exec_env xe = {
        .eng = &w->eng, .job = &scn->job, .cost_cfg = &scn->cost,
        .pending = scn->scale.pending, .src = &w->src, .down = &w->down,
        .nodes = scn->cost.plan == PLAN_DEDICATED ? &w->nodes : NULL,
        .cost = &w->cost, .met = &w->met,
        .startup_rng = stream_get(&w->st, ST_STARTUP),
        .claim_rng = stream_get(&w->st, ST_CLAIM),
        .failure_rng = stream_get(&w->st, ST_FAILURE),
        .state_changed = wr->state_changed, .ctx = w,
        .record = w->io.execution, .record_ctx = w->io.ctx,
    };
    exec_init(&w->ex, &xe);
    struct down_env de = {
        .eng = &w->eng, .met = &w->met, .admitted = replica_admitted,
        .ctx = w,
    };
    down_init(&w->down, &scn->downstream, &de);
    if (nodes_init(&w->nodes, scn, &ne) != 0)
        return oom(d);
    if (wr->baseline) {
        struct base_env be = {
            .eng = &w->eng, .scn = scn, .src = &w->src, .met = &w->met,
            .failure_rng = stream_get(&w->st, ST_FAILURE),
        };
        if (base_init(&w->base, &be) != 0)
            return oom(d);
    }
    struct arrivals_env ae = {
        .eng = &w->eng, .scn = scn, .src = &w->src, .st = &w->st,
        .feed = w->io.feed, .horizon_known = horizon_known,
        .exhausted = wr->state_changed, .ctx = w,
    };
    rc = arr_init(&w->arr, &ae, d);
    if (rc < 0)
        return rc;
    if (!wr->baseline) {
        struct scaler_env ce = {
            .eng = &w->eng, .cfg = &scn->scale, .src = &w->src, .ex = &w->ex,
        };
        scaler_init(&w->sc, &ce);
    }
    return SIM_OK;
}

int world_init(struct world *w, const struct scenario *scn, uint32_t rep,
               const struct world_io *io, struct diag *d)
{
    return setup(w, scn, rep, io, &job_wiring, d);
}

void world_fini(struct world *w)
{
    arr_fini(&w->arr);
    exec_fini(&w->ex);
    down_fini(&w->down);
    nodes_fini(&w->nodes);
    base_fini(&w->base);
    source_fini(&w->src);
    metrics_fini(&w->met);
    streams_fini(&w->st);
    engine_fini(&w->eng);
}

int64_t world_run_until(struct world *w, sim_time until, struct diag *d)
{
    return engine_run_until(&w->eng, until, d);
}

/* ---- results -------------------------------------------------------------- */

/* Simulate the always-on baseline on the same arrivals (same replication
 * seeds) and put its numbers beside the job's: baseline_cost_usd, its
 * latency and backlog, and savings_pct = how much cheaper the job is. */
static int run_baseline(const struct world *job, struct rep_result *out,
                        struct diag *d)
{
    struct world *b = malloc(sizeof *b);
    if (b == NULL)
        return oom(d);
    struct world_io io = {.feed = job->io.feed,
                          .backlog_limit = job->io.backlog_limit};
    int rc = setup(b, job->scn, job->st.replication, &io, &baseline_wiring, d);
    if (rc == 0) {
        int64_t n = world_run_until(b, SIM_TIME_MAX - 1, d);
        rc = n < 0 ? (int)n : 0;
    }
    if (rc == 0) {
        sim_time now = b->eng.now;
        sim_time horizon = b->arr.horizon_known ? b->arr.horizon : now;
        sim_time span = now > horizon ? now : horizon;
        double cost = base_cost(&b->base, span, horizon);
        out->m[RM_baseline_cost_usd] = cost;
        out->m[RM_savings_pct] =
            cost > 0.0 ? 100.0 * (cost - out->m[RM_cost_usd]) / cost
                       : (double)NAN;
        out->m[RM_baseline_latency_mean_s] = qhist_mean(&b->met.latency);
        const struct metrics *bm = &b->met;
        int64_t bu = bm->messages - bm->completed - bm->dead_lettered -
                     bm->expired;
        out->m[RM_baseline_latency_p95_s] =
            result_latency_quantile(&bm->latency, bu, 0.95);
        out->m[RM_baseline_backlog_max] = twa_max(&b->met.backlog, now);
    }
    world_fini(b);
    free(b);
    return rc;
}

int world_run(struct world *w, struct rep_result *out, struct diag *d)
{
    int64_t rc = world_run_until(w, SIM_TIME_MAX - 1, d);
    if (rc < 0)
        return (int)rc;
    if (w->unstable) {
        /* Ended early (the backlog passed WORLD_BACKLOG_LIMIT): what is
         * left is unfinished, the executions are stopped now. */
        ts_finish(w, w->eng.now);
        exec_stop_all(&w->ex);
    } else if (engine_pending(&w->eng) > 0 &&
               w->eng.end_limit < SIM_TIME_MAX) {
        /* Stopped at the drain limit: what is left is unfinished. The
         * series ends with the executions still running (and billed) up
         * to the cut, before they are stopped there. */
        w->eng.now = w->eng.end_limit;
        ts_finish(w, w->eng.now);
        exec_stop_all(&w->ex);
    }
    ts_finish(w, w->eng.now);
    const struct scenario *scn = w->scn;
    sim_time end = w->eng.now;
    sim_time horizon = w->arr.horizon_known ? w->arr.horizon : end;

    const struct metrics *m = &w->met;
    memset(out, 0, sizeof *out);
    out->replication = w->st.replication;
    out->events = w->eng.events;
    out->sim_end_s = sim_to_s(end);
    for (int i = 0; i < RM_COUNT; i++)
        out->m[i] = (double)NAN;
    int64_t unfinished =
        m->messages - m->completed - m->dead_lettered - m->expired;
    /* Conservation: every message is completed, dead-lettered, expired,
     * or unfinished (still queued and never processed, or lost after a
     * delete on receipt), counted independently. */
    SIM_ASSERT(unfinished == source_unfinished(&w->src) + m->lost);
    out->m[RM_messages] = (double)m->messages;
    out->m[RM_completed] = (double)m->completed;
    out->m[RM_unfinished] = (double)unfinished;
    out->m[RM_wait_mean_s] = qhist_mean(&m->wait);
    out->m[RM_wait_p95_s] = qhist_quantile(&m->wait, 0.95);
    out->m[RM_latency_mean_s] = qhist_mean(&m->latency);
    /* Quantiles count unfinished messages as beyond the end of the run
     * (+inf), not as absent (result_latency_quantile). */
    out->m[RM_latency_p50_s] =
        result_latency_quantile(&m->latency, unfinished, 0.50);
    out->m[RM_latency_p95_s] =
        result_latency_quantile(&m->latency, unfinished, 0.95);
    out->m[RM_latency_p99_s] =
        result_latency_quantile(&m->latency, unfinished, 0.99);
    out->m[RM_latency_max_s] =
        result_latency_quantile(&m->latency, unfinished, 1.0);
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
    out->m[RM_unstable] = w->unstable ? 1.0 : 0.0;
    sim_time span = end > horizon ? end : horizon;
    int64_t polls = scaler_grid_polls(&scn->scale, span);
    out->m[RM_polls] = (double)polls;
    cost_finish(&w->cost, &w->met, &w->nodes, span, horizon, polls, out);
    out->m[RM_executions_running_mean] = twa_mean(&m->running, end);
    result_fill_quantiles(&m->latency, unfinished, out);
    if (scn->baseline.present)
        return run_baseline(w, out, d);
    return SIM_OK;
}
