/* models/arrivals.c - traces and synthetic processes, superposed (see
 * arrivals.h).
 *
 * Workload: from a few hundred arrivals (a nightly batch) to 10^7-10^8 (a
 * month of a busy queue, a 1e7-row benchmark trace), from 1 to a handful
 * of items. Each item keeps exactly one pending arrival; the model keeps a
 * single EV_ARRIVAL in the event set, at the earliest pending time, found
 * by a linear scan over the items (k items: O(k) per arrival; a heap would
 * pay off only for dozens of items, which nobody writes by hand).
 *
 * A trace item is a pipeline: rows (events, or counts expanded into
 * arrivals) -> window (start/end, on the trace's own time) -> speedup ->
 * scale. Choices where the contract is silent:
 *  - counts, consecutive rows with the same time are summed (the Azure
 *    Functions long layout has one row per function per minute); a row
 *    starting less than `interval` after the previous one (but not at the
 *    same time) is an error, since its arrivals would interleave.
 *  - spread: uniform draws the count's times as sorted uniform order
 *    statistics in [start, start + interval) (exactly `count` arrivals);
 *    poisson is a true Poisson process of rate count / interval within
 *    the interval, so the number per interval is Poisson(count) and only
 *    the mean is kept (uniform is the same process conditioned on the
 *    count); start puts all of them at the interval start.
 *  - scale < 1 keeps each arrival with probability scale; scale > 1 keeps
 *    each and adds floor(scale) - 1 copies plus one more with probability
 *    frac(scale), at sorted uniform times in [t, t_next) where t_next is
 *    the next arrival of the same item (copies of the last arrival land on
 *    it). Copies carry the original's duration.
 *  - mmpp starts in a state drawn from the stationary distribution (time
 *    fraction mean_sojourn_i / sum of mean_sojourns), so the process is
 *    stationary from t = 0; sojourns are exponential; the next state is the
 *    next one in list order, cyclically (long-run rate
 *    sum rate_i * sojourn_i / sum sojourn_i).
 *  - piecewise with repeat is periodic: before the first step of a cycle
 *    the last step's rate of the previous cycle applies (also in the first
 *    cycle); without repeat the rate is 0 before the first step and the
 *    last step's rate holds for ever. */
#include "models/arrivals.h"

#include "models/events.h"
#include "models/streams.h"

#include <gsl/gsl_randist.h>
#include <stdlib.h>
#include <string.h>

/* Latest arrival time a trace item may give, us: 1e11 s (3,170 years), the
 * bound of the trace reader (sim/io/trace_time.h TRACE_TIME_MAX_US) and of
 * every duration key; speedup < 1 stretches times and is checked against
 * it, so no arrival time overflows int64. */
#define ARR_TIME_MAX_US (INT64_C(100000000000) * SIM_US_PER_S)
/* Largest trace scale: each row becomes at most this many arrivals (the
 * scenario loader refuses more; checked again here for other callers). */
#define ARR_SCALE_MAX 1e6

/* ---- seeds --------------------------------------------------------------- */

static uint64_t splitmix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15u;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9u;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBu;
    return x ^ (x >> 31);
}

unsigned long arr_item_seed(uint32_t master, uint32_t rep, size_t item)
{
    uint64_t k = splitmix64(((uint64_t)master << 32) | rep);
    k = splitmix64(k ^ (uint64_t)item);
    return 1 + (unsigned long)(k % 0xFFFFFFFFu);
}

/* ---- sorted uniforms ----------------------------------------------------- */

/* The next of m remaining sorted uniforms on [0, 1] after u (order
 * statistics drawn one at a time: 1 - (1 - u) * V^(1/m), V uniform). */
static double next_order_stat(gsl_rng *r, double u, int64_t m)
{
    double v = gsl_rng_uniform_pos(r);
    return 1.0 - (1.0 - u) * pow(v, 1.0 / (double)m);
}

/* Offset floor(u * width) kept inside [0, width) (u may round to 1). */
static sim_time frac_of(double u, sim_time width)
{
    if (width <= 0)
        return 0;
    sim_time x = (sim_time)floor(u * (double)width);
    return x >= width ? width - 1 : x;
}

/* ---- counts: rows into arrivals ------------------------------------------ */

/* The next interval of a counts trace: equal-time rows summed. Returns 1
 * with *start / *count, 0 at the end, or a negative SIM_E*. */
static int next_interval(const struct arrival_feed *f, struct arr_item *it,
                         sim_time *start, int64_t *count, struct diag *d)
{
    const struct scn_trace *tc = &it->cfg->trace;
    sim_time t;
    int64_t c;
    if (!it->row_ahead) {
        int rc = f->next_count(it->reader, &t, &c, d);
        if (rc <= 0)
            return rc;
        it->row_t = t;
        it->row_c = c;
        it->row_line = f->last_line(it->reader);
    }
    it->row_ahead = false;
    *start = it->row_t;
    *count = it->row_c;
    int64_t line = it->row_line;
    for (;;) {
        int rc = f->next_count(it->reader, &t, &c, d);
        if (rc < 0)
            return rc;
        if (rc == 0)
            return 1;
        if (t == *start) {
            if (*count > INT64_MAX - c)
                return diag_set(d, SIM_ERANGE, f->path(it->reader),
                                (int)f->last_line(it->reader), 0,
                                "count overflows a 64-bit integer");
            *count += c;
            continue;
        }
        if (t - *start < tc->interval_us)
            return diag_set(d, SIM_EPARSE, f->path(it->reader),
                            (int)f->last_line(it->reader), 0,
                            "row starts %.6f s after the previous row "
                            "(line %lld), less than arrivals.trace.interval "
                            "(%g s): intervals must not overlap",
                            sim_to_s(t - *start), (long long)line,
                            sim_to_s(tc->interval_us));
        it->row_ahead = true;
        it->row_t = t;
        it->row_c = c;
        it->row_line = f->last_line(it->reader);
        return 1;
    }
}

/* The next arrival of a counts / counts_wide trace, in trace time. */
static int counts_raw(const struct arrival_feed *f, struct arr_item *it,
                      sim_time *t, struct diag *d)
{
    const struct scn_trace *tc = &it->cfg->trace;
    for (;;) {
        if (it->iv_poisson) {
            it->iv_pos += gsl_ran_exponential(it->rng, 1.0 / it->iv_rate);
            if (it->iv_pos < (double)tc->interval_us) {
                *t = it->iv_start + (sim_time)floor(it->iv_pos);
                return 1;
            }
            it->iv_poisson = false;
        }
        if (it->iv_left > 0) {
            if (tc->spread == SPREAD_START) {
                *t = it->iv_start;
            } else {
                it->iv_u = next_order_stat(it->rng, it->iv_u, it->iv_left);
                *t = it->iv_start + frac_of(it->iv_u, tc->interval_us);
            }
            it->iv_left--;
            return 1;
        }
        int64_t c;
        int rc = next_interval(f, it, &it->iv_start, &c, d);
        if (rc <= 0)
            return rc;
        if (c == 0)
            continue;
        if (tc->spread == SPREAD_POISSON) {
            it->iv_poisson = true;
            it->iv_rate = (double)c / (double)tc->interval_us;
            it->iv_pos = 0.0;
        } else {
            it->iv_left = c;
            it->iv_u = 0.0;
        }
    }
}

/* ---- traces -------------------------------------------------------------- */

/* The next arrival of a trace after the window and speedup. Returns 1, 0
 * at the end (of file or window), or a negative SIM_E*. */
static int trace_raw(const struct arrival_feed *f, struct arr_item *it,
                     sim_time *t, double *dur, struct diag *d)
{
    const struct scn_trace *tc = &it->cfg->trace;
    for (;;) {
        sim_time raw;
        *dur = (double)NAN;
        int rc;
        if (tc->format == TRACE_EVENTS) {
            double ev_dur = (double)NAN;
            rc = f->next_event(it->reader, &raw, &ev_dur, d);
            if (rc == 1)
                *dur = ev_dur;
        } else {
            rc = counts_raw(f, it, &raw, d);
        }
        if (rc <= 0)
            return rc;
        sim_time x = raw;
        if (tc->has_start) {
            if (raw < tc->start_us)
                continue;
            x -= tc->start_us;
        }
        if (tc->has_end && raw > tc->end_us)
            return 0;
        if (tc->speedup != 1.0) {
            double q = (double)x / tc->speedup;
            if (!(q <= (double)ARR_TIME_MAX_US)) /* also NaN */
                return diag_set(d, SIM_ERANGE, f->path(it->reader),
                                (int)f->last_line(it->reader), 0,
                                "arrivals.trace.speedup: %g puts this row "
                                "at %.6g s: arrival times beyond 1e11 s "
                                "(3,170 years) are refused", tc->speedup,
                                q * 1e-6);
            x = (sim_time)llround(q);
        }
        *t = x;
        return 1;
    }
}

/* The next arrival of a trace item after scale. */
static int trace_arrival(const struct arrival_feed *f, struct arr_item *it,
                         sim_time *t, double *dur, struct diag *d)
{
    double sc = it->cfg->trace.scale;
    if (sc == 1.0)
        return trace_raw(f, it, t, dur, d);
    if (sc < 1.0) {
        for (;;) {
            int rc = trace_raw(f, it, t, dur, d);
            if (rc <= 0 || gsl_rng_uniform(it->rng) < sc)
                return rc;
        }
    }
    if (it->copies_left > 0) {
        it->copy_u = next_order_stat(it->rng, it->copy_u, it->copies_left);
        it->copies_left--;
        *t = it->base_t + frac_of(it->copy_u, it->gap);
        *dur = it->base_dur;
        return 1;
    }
    if (!it->la_valid) {
        int rc = trace_raw(f, it, &it->la_t, &it->la_dur, d);
        if (rc <= 0)
            return rc;
    }
    it->base_t = it->la_t;
    it->base_dur = it->la_dur;
    int rc = trace_raw(f, it, &it->la_t, &it->la_dur, d);
    if (rc < 0)
        return rc;
    it->la_valid = rc == 1;
    it->gap = it->la_valid ? it->la_t - it->base_t : 0;
    double whole = floor(sc);
    int64_t n = (int64_t)whole + (gsl_rng_uniform(it->rng) < sc - whole);
    it->copies_left = n - 1;
    it->copy_u = 0.0;
    *t = it->base_t;
    *dur = it->base_dur;
    return 1;
}

/* ---- processes ----------------------------------------------------------- */

/* Piecewise: the rate at time x (s) and the end of its constant segment
 * (INFINITY for the last step without repeat). */
static double piecewise_rate(const struct scn_process *p, double x,
                             double *seg_end)
{
    double rep = sim_to_s(p->repeat_us);
    double base = 0.0, tau = x;
    if (rep > 0.0) {
        base = floor(x / rep) * rep;
        tau = x - base;
    }
    size_t n = p->n_steps, j = n;
    for (size_t i = 0; i < n; i++)
        if (sim_to_s(p->steps[i].at_us) <= tau)
            j = i;
    if (j == n) { /* before the first step */
        *seg_end = base + sim_to_s(p->steps[0].at_us);
        return rep > 0.0 ? p->steps[n - 1].rate_per_s : 0.0;
    }
    if (j + 1 < n)
        *seg_end = base + sim_to_s(p->steps[j + 1].at_us);
    else
        *seg_end = rep > 0.0 ? base + rep : (double)INFINITY;
    return p->steps[j].rate_per_s;
}

/* Piecewise: exact non-homogeneous Poisson by time change: an Exp(1)
 * amount of integrated rate is consumed segment by segment. */
static bool next_piecewise(struct arr_item *it, double horizon_s)
{
    const struct scn_process *p = &it->cfg->process;
    double e = gsl_ran_exponential(it->rng, 1.0);
    double x = it->pt_s;
    while (x <= horizon_s) {
        double end;
        double r = piecewise_rate(p, x, &end);
        if (end <= x) /* rounding at a boundary: step past it */
            end = nextafter(x, (double)INFINITY);
        if (r > 0.0 && (isinf(end) || r * (end - x) > e)) {
            it->pt_s = x + e / r;
            return true;
        }
        if (isinf(end))
            return false; /* rate 0 for ever */
        if (r > 0.0)
            e -= r * (end - x);
        x = end;
    }
    return false;
}

/* Diurnal: rate mean * (1 + A cos(2 pi (t - peak_at) / period)), by
 * thinning a Poisson process at the peak rate mean * (1 + A). */
static bool next_diurnal(struct arr_item *it, double horizon_s)
{
    const struct scn_process *p = &it->cfg->process;
    double peak = p->mean_per_s * (1.0 + p->amplitude);
    if (!(peak > 0.0))
        return false;
    double period = sim_to_s(p->period_us), at = sim_to_s(p->peak_at_us);
    double x = it->pt_s;
    while (x <= horizon_s) {
        x += gsl_ran_exponential(it->rng, 1.0 / peak);
        double phase = 2.0 * M_PI * (x - at) / period;
        double rate = p->mean_per_s * (1.0 + p->amplitude * cos(phase));
        if (gsl_rng_uniform(it->rng) * peak < rate) {
            it->pt_s = x;
            return true;
        }
    }
    return false;
}

/* MMPP: Poisson at the current state's rate until its sojourn ends. */
static bool next_mmpp(struct arr_item *it, double horizon_s)
{
    const struct scn_process *p = &it->cfg->process;
    double x = it->pt_s;
    while (x <= horizon_s) {
        double r = p->states[it->state].rate_per_s;
        if (r > 0.0) {
            double c = x + gsl_ran_exponential(it->rng, 1.0 / r);
            if (c < it->sojourn_end_s) {
                it->pt_s = c;
                return true;
            }
        }
        x = it->sojourn_end_s;
        it->state = (it->state + 1) % p->n_states;
        it->sojourn_end_s =
            x + gsl_ran_exponential(
                    it->rng, sim_to_s(p->states[it->state].mean_sojourn_us));
    }
    return false;
}

/* MMPP start: a state from the stationary distribution, a fresh sojourn
 * (exponential sojourns are memoryless). */
static void mmpp_start(struct arr_item *it)
{
    const struct scn_process *p = &it->cfg->process;
    double total = 0.0;
    for (size_t i = 0; i < p->n_states; i++)
        total += sim_to_s(p->states[i].mean_sojourn_us);
    double u = gsl_rng_uniform(it->rng) * total, acc = 0.0;
    it->state = p->n_states - 1;
    for (size_t i = 0; i < p->n_states; i++) {
        acc += sim_to_s(p->states[i].mean_sojourn_us);
        if (u < acc) {
            it->state = i;
            break;
        }
    }
    it->sojourn_end_s = gsl_ran_exponential(
        it->rng, sim_to_s(p->states[it->state].mean_sojourn_us));
}

/* Batches: batch k starts at offset + k * every with n = round(size draw)
 * messages, spread uniformly over [start, start + spread] as order
 * statistics, so a batch of any size needs no memory. */
static bool next_batches(struct arr_item *it, sim_time horizon, bool known,
                         sim_time *t)
{
    const struct scn_process *p = &it->cfg->process;
    while (it->batch_left == 0) {
        it->batch_start = p->offset_us + it->batch * p->every_us;
        if (known && it->batch_start > horizon)
            return false;
        double n = floor(dist_sample_s(&p->size, it->rng) + 0.5);
        it->batch_left = n > 0 ? (int64_t)n : 0;
        it->batch_u = 0.0;
        it->batch++;
    }
    *t = it->batch_start;
    if (p->spread_us > 0) {
        it->batch_u = next_order_stat(it->rng, it->batch_u, it->batch_left);
        *t += (sim_time)llround(it->batch_u * (double)p->spread_us);
    }
    it->batch_left--;
    return true;
}

/* ---- items --------------------------------------------------------------- */

/* Draw item it's next pending arrival (or find it has none). */
static int item_advance(struct arrivals *a, struct arr_item *it,
                        struct diag *d)
{
    sim_time t = 0;
    double dur = (double)NAN;
    bool ok = true;
    double horizon_s = a->horizon_known ? sim_to_s(a->horizon)
                                        : (double)INFINITY;
    if (it->cfg->is_trace) {
        int rc = trace_arrival(a->env.feed, it, &t, &dur, d);
        if (rc < 0)
            return rc;
        ok = rc == 1;
    } else {
        const struct scn_process *p = &it->cfg->process;
        switch (p->kind) {
        case PROC_POISSON: {
            /* A zero rate means no arrival; a gap beyond the horizon ends
             * the process before it can overflow the clock. */
            double gap = p->rate_per_s > 0.0
                             ? gsl_ran_exponential(it->rng, 1.0 / p->rate_per_s)
                             : (double)INFINITY;
            if (!(sim_to_s(it->last_t) + gap <= horizon_s)) {
                ok = false;
                break;
            }
            t = it->last_t + sim_from_s(gap);
            break;
        }
        case PROC_PIECEWISE:
            ok = next_piecewise(it, horizon_s);
            t = sim_from_s(it->pt_s);
            break;
        case PROC_DIURNAL:
            ok = next_diurnal(it, horizon_s);
            t = sim_from_s(it->pt_s);
            break;
        case PROC_MMPP:
            ok = next_mmpp(it, horizon_s);
            t = sim_from_s(it->pt_s);
            break;
        case PROC_BATCHES:
            ok = next_batches(it, a->horizon, a->horizon_known, &t);
            break;
        }
    }
    if (ok && a->horizon_known && t > a->horizon)
        ok = false;
    it->has_next = ok;
    if (!ok) {
        if (it->reader != NULL) /* free the reader early */
            a->env.feed->close(it->reader);
        it->reader = NULL;
        return SIM_OK;
    }
    if (t < it->last_t)
        t = it->last_t; /* rounding never goes back in time */
    it->next_t = t;
    it->next_dur = dur;
    it->last_t = t;
    return SIM_OK;
}

/* The arrivals are over: fix the horizon if it was not given. */
static void exhaust(struct arrivals *a)
{
    a->exhausted = true;
    if (!a->horizon_known) {
        a->horizon = a->last < 0 ? 0 : a->last;
        a->horizon_known = true;
    }
    a->env.horizon_known(a->env.ctx, a->horizon);
    a->env.exhausted(a->env.ctx);
}

/* Schedule the earliest pending arrival of all items (ties: lowest index),
 * or end the arrivals. */
static void schedule_next(struct arrivals *a)
{
    sim_time now = a->env.eng->now;
    size_t best = a->n_items;
    for (size_t i = 0; i < a->n_items; i++)
        if (a->items[i].has_next &&
            (best == a->n_items || a->items[i].next_t < a->items[best].next_t))
            best = i;
    if (best == a->n_items) {
        exhaust(a);
        return;
    }
    a->cur = best;
    sim_time t = a->items[best].next_t;
    engine_schedule(a->env.eng, t < now ? now : t, EV_ARRIVAL, 0, 0);
}

/* Prepare item i: its generator, its trace or process state, and its
 * first arrival. */
static int item_init(struct arrivals *a, size_t i, struct diag *d)
{
    const struct scenario *scn = a->env.scn;
    struct arr_item *it = &a->items[i];
    it->cfg = &scn->arrivals[i];
    if (i == 0) {
        it->rng = stream_get(a->env.st, ST_ARRIVALS);
    } else {
        it->rng = gsl_rng_alloc(gsl_rng_mt19937);
        if (it->rng == NULL)
            return diag_set(d, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        it->rng_owned = true;
        gsl_rng_set(it->rng, arr_item_seed(a->env.st->master,
                                           a->env.st->replication, i));
    }
    if (it->cfg->is_trace) {
        const struct arrival_feed *f = a->env.feed;
        double sc = it->cfg->trace.scale;
        if (!(sc > 0.0 && sc <= ARR_SCALE_MAX))
            return diag_set(d, SIM_EINVAL, NULL, 0, 0,
                            "arrivals[%zu].trace.scale: expected a number in "
                            "(0, 1e6], got %g", i, sc);
        if (f == NULL)
            return diag_set(d, SIM_EINTERNAL, NULL, 0, 0,
                            "arrivals[%zu]: a trace item needs an arrival "
                            "feed", i);
        int rc = f->open(f->ctx, scn, i, &it->reader, d);
        if (rc < 0)
            return rc;
    } else if (it->cfg->process.kind == PROC_MMPP) {
        mmpp_start(it);
    }
    return item_advance(a, it, d);
}

/* ---- the model ----------------------------------------------------------- */

int arr_init(struct arrivals *a, const struct arrivals_env *env,
             struct diag *d)
{
    const struct scenario *scn = env->scn;
    memset(a, 0, sizeof *a);
    a->env = *env;
    a->last = -1;
    a->horizon_known = scn->has_horizon;
    a->horizon = scn->has_horizon ? scn->horizon_us : 0;
    if (a->horizon_known)
        env->horizon_known(env->ctx, a->horizon);
    a->items = calloc(scn->n_arrivals, sizeof *a->items);
    if (a->items == NULL)
        return diag_set(d, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    a->n_items = scn->n_arrivals;
    for (size_t i = 0; i < a->n_items; i++) {
        int rc = item_init(a, i, d);
        if (rc < 0)
            return rc;
    }
    schedule_next(a);
    return SIM_OK;
}

int arr_on_event(void *model, const struct event *ev, struct diag *d)
{
    (void)ev;
    struct arrivals *a = model;
    struct arr_item *it = &a->items[a->cur];
    sim_time now = a->env.eng->now;
    a->last = now;
    a->count++;
    if (a->observe != NULL)
        a->observe(a->observe_ctx, now, it->next_dur);
    int rc = source_put(a->env.src, it->next_dur);
    if (rc < 0)
        return diag_set(d, rc, NULL, 0, 0, "arrivals: %s", sim_strerror(rc));
    rc = item_advance(a, it, d);
    if (rc < 0)
        return rc;
    schedule_next(a);
    return SIM_OK;
}

void arr_fini(struct arrivals *a)
{
    for (size_t i = 0; a->items != NULL && i < a->n_items; i++) {
        struct arr_item *it = &a->items[i];
        if (it->reader != NULL)
            a->env.feed->close(it->reader);
        if (it->rng_owned)
            gsl_rng_free(it->rng);
    }
    free(a->items);
    a->items = NULL;
    a->n_items = 0;
}
