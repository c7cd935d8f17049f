/* models/arrivals.c - trace replay and the Poisson process (see
 * arrivals.h). One arrival is scheduled at a time, so the event set holds
 * a single EV_ARRIVAL whatever the trace length. */
#include "models/arrivals.h"

#include "sim/sim.h"

#include <gsl/gsl_randist.h>
#include <string.h>

/* The arrivals are over: fix the horizon if it was not given. */
static void exhaust(struct sim *s)
{
    struct arrivals *a = &s->arr;
    a->exhausted = true;
    if (!a->horizon_known) {
        a->horizon = a->last < 0 ? 0 : a->last;
        a->horizon_known = true;
    }
    s->end_limit = a->horizon + s->scn->drain_limit_us;
    sim_state_changed(s);
}

/* Schedule an arrival at t unless it is past the horizon. */
static void schedule_at(struct sim *s, sim_time t, double duration_s)
{
    struct arrivals *a = &s->arr;
    if (a->horizon_known && t > a->horizon) {
        exhaust(s);
        return;
    }
    a->next_duration_s = duration_s;
    sim_schedule(s, t, EV_ARRIVAL, 0, 0);
}

/* Read trace rows until one falls inside the window; schedule it. */
static int next_from_trace(struct sim *s, struct diag *d)
{
    struct arrivals *a = &s->arr;
    const struct scn_trace *tc = &a->item->trace;
    for (;;) {
        struct trace_event ev;
        int rc = trace_next(&a->tr, &ev, d);
        if (rc < 0)
            return rc;
        if (rc == 0) {
            exhaust(s);
            return SIM_OK;
        }
        sim_time t = ev.t_us;
        if (tc->has_start) {
            if (t < tc->start_us)
                continue;
            t -= tc->start_us;
        }
        if (tc->has_end && ev.t_us > tc->end_us) {
            exhaust(s);
            return SIM_OK;
        }
        if (tc->speedup != 1.0)
            t = (sim_time)llround((double)t / tc->speedup);
        if (t < s->now)
            t = s->now; /* rounding after speedup never goes back in time */
        schedule_at(s, t, ev.duration_s);
        return SIM_OK;
    }
}

/* Batches: batch k starts at offset + k * every with n = round(size draw)
 * messages, spread uniformly over [start, start + spread]. The sorted
 * uniform times are drawn one at a time (order statistics: the next of m
 * remaining is 1 - (1 - u) * V^(1/m), V uniform), so a batch of any size
 * needs no memory. */
static void next_from_batches(struct sim *s)
{
    struct arrivals *a = &s->arr;
    const struct scn_process *p = &a->item->process;
    gsl_rng *r = stream_get(&s->st, ST_ARRIVALS);
    while (a->batch_left == 0) {
        a->batch_start = p->offset_us + a->batch * p->every_us;
        if (a->horizon_known && a->batch_start > a->horizon) {
            exhaust(s);
            return;
        }
        double n = floor(dist_sample_s(&p->size, r) + 0.5);
        a->batch_left = n > 0 ? (int64_t)n : 0;
        a->batch_u = 0.0;
        a->batch++;
    }
    sim_time t = a->batch_start;
    if (p->spread_us > 0) {
        double v = gsl_rng_uniform_pos(r);
        a->batch_u = 1.0 - (1.0 - a->batch_u) *
                               pow(v, 1.0 / (double)a->batch_left);
        t += (sim_time)llround(a->batch_u * (double)p->spread_us);
    }
    a->batch_left--;
    if (t < s->now)
        t = s->now;
    schedule_at(s, t, NAN);
}

static void next_from_process(struct sim *s)
{
    const struct scn_process *p = &s->arr.item->process;
    if (p->kind == PROC_BATCHES) {
        next_from_batches(s);
        return;
    }
    /* PROC_POISSON */
    gsl_rng *r = stream_get(&s->st, ST_ARRIVALS);
    double gap_s = gsl_ran_exponential(r, 1.0 / p->rate_per_s);
    schedule_at(s, s->now + sim_from_s(gap_s), NAN);
}

int arr_init(struct sim *s, struct diag *d)
{
    struct arrivals *a = &s->arr;
    const struct scenario *scn = s->scn;
    memset(a, 0, sizeof *a);
    a->item = &scn->arrivals[0];
    a->last = -1;
    a->horizon_known = scn->has_horizon;
    a->horizon = scn->has_horizon ? scn->horizon_us : 0;
    if (a->horizon_known)
        s->end_limit = a->horizon + scn->drain_limit_us;
    if (a->item->is_trace) {
        struct diag td;
        diag_init(&td);
        int rc = trace_open(&a->tr, &a->item->trace, &td);
        if (rc == SIM_EIO) {
            /* Point at the key that names the file, not at the file. */
            const struct scn_loc *l = scn_loc(scn, "arrivals.trace.path");
            return diag_set(d, rc, l ? l->file : scn->file, l ? l->line : 0,
                            l ? l->col : 0, "arrivals.trace.path: %s: %s",
                            a->item->trace.path, td.msg);
        }
        if (rc < 0) {
            if (d != NULL && d->code == SIM_OK)
                *d = td;
            return rc;
        }
        a->trace_open = true;
        return next_from_trace(s, d);
    }
    next_from_process(s);
    return SIM_OK;
}

int arr_on_event(struct sim *s, const struct event *ev, struct diag *d)
{
    (void)ev;
    struct arrivals *a = &s->arr;
    a->last = s->now;
    int rc = source_put(s, a->next_duration_s);
    if (rc < 0)
        return diag_set(d, rc, NULL, 0, 0, "arrivals: %s", sim_strerror(rc));
    if (a->item->is_trace)
        return next_from_trace(s, d);
    next_from_process(s);
    return SIM_OK;
}

void arr_fini(struct arrivals *a)
{
    if (a->trace_open)
        trace_close(&a->tr);
    a->trace_open = false;
}
