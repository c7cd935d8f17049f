/* sim/run/budget.c - the work budget of a run (see budget.h).
 *
 * Workload: a few multiplications per arrival item and configuration,
 * once before the run. */
#include "sim/run/budget.h"

#include <math.h>

/* Integral of a piecewise rate (steps sorted by at_us, rate 0 before the
 * first) from 0 to t seconds, the last step lasting until end_s. */
static double steps_integral(const struct scn_step *st, size_t n, double t,
                             double end_s)
{
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) {
        double a = sim_to_s(st[i].at_us);
        double b = i + 1 < n ? sim_to_s(st[i + 1].at_us) : end_s;
        if (b > t)
            b = t;
        if (b > a)
            sum += st[i].rate_per_s * (b - a);
    }
    return sum;
}

/* Expected arrivals and events of process pr over h seconds. */
static void process_estimate(const struct scn_process *pr, double h,
                             double *arr, double *ev)
{
    *arr = 0.0;
    *ev = 0.0;
    switch (pr->kind) {
    case PROC_POISSON:
        *arr = pr->rate_per_s * h;
        break;
    case PROC_PIECEWISE:
        if (pr->repeat_us > 0) {
            double r = sim_to_s(pr->repeat_us);
            double per = steps_integral(pr->steps, pr->n_steps, r, r);
            double k = floor(h / r);
            *arr = k * per +
                   steps_integral(pr->steps, pr->n_steps, h - k * r, r);
        } else {
            *arr = steps_integral(pr->steps, pr->n_steps, h, (double)INFINITY);
        }
        break;
    case PROC_DIURNAL:
        *arr = pr->mean_per_s * h;
        break;
    case PROC_MMPP: {
        double w = 0.0, soj = 0.0;
        for (size_t i = 0; i < pr->n_states; i++) {
            double s = sim_to_s(pr->states[i].mean_sojourn_us);
            w += pr->states[i].rate_per_s * s;
            soj += s;
        }
        if (soj > 0.0) {
            *arr = w / soj * h;
            *ev = (double)pr->n_states / soj * h;
        } else {
            *ev = (double)INFINITY;
        }
        break;
    }
    case PROC_BATCHES: {
        double every = sim_to_s(pr->every_us);
        double batches = every > 0.0 ? h / every : (double)INFINITY;
        *arr = batches * dist_mean_s(&pr->size);
        *ev = batches;
        break;
    }
    }
}

void budget_estimate(const struct scenario *scn, struct budget_estimate *e)
{
    e->arrivals = 0.0;
    e->events = 0.0;
    e->item = 0;
    double h = sim_to_s(scn->horizon_us), most = -1.0;
    for (size_t i = 0; i < scn->n_arrivals; i++) {
        if (scn->arrivals[i].is_trace)
            continue;
        double a, ev;
        process_estimate(&scn->arrivals[i].process, h, &a, &ev);
        if (!(a <= most)) {
            most = a;
            e->item = i;
        }
        e->arrivals += a;
        e->events += ev;
    }
    double poll = sim_to_s(scn->scale.polling_interval_us);
    e->events += poll > 0.0 ? h / poll * (double)scn->scale.n_rules
                            : (double)INFINITY;
}

int budget_check_scenario(const struct scenario *scn, const char *file,
                          const char *label, double max, struct diag *d)
{
    struct budget_estimate e;
    budget_estimate(scn, &e);
    /* `!(x <= max)` also catches NaN (inf * 0). */
    if (!(e.arrivals <= max))
        return diag_set(d, SIM_ERANGE, file, 0, 0,
                        "arrivals: about %.3g per replication (%s, "
                        "arrivals item %zu over the horizon of %gs), "
                        "beyond the budget of %.3g; check the rates, "
                        "or raise the budget with --max-arrivals N",
                        e.arrivals, label, e.item,
                        sim_to_s(scn->horizon_us), max);
    if (!(e.events <= max))
        return diag_set(d, SIM_ERANGE, file, 0, 0,
                        "events: about %.3g scheduled per replication "
                        "(%s: MMPP state changes, batches and polls "
                        "over the horizon of %gs), beyond the budget "
                        "of %.3g; check sojourns, batch intervals and "
                        "polling_interval, or raise the budget with "
                        "--max-arrivals N",
                        e.events, label, sim_to_s(scn->horizon_us), max);
    return 0;
}

int budget_check(const struct runner_plan *p, double max, struct diag *d)
{
    for (size_t c = 0; c < p->n_cfg; c++) {
        int rc = budget_check_scenario(&p->cfg[c], p->file, p->labels[c],
                                       max, d);
        if (rc != 0)
            return rc;
    }
    return 0;
}
