/* sim/run/slo.c - objectives and the recommendation (see slo.h).
 *
 * Workload: one evaluation per configuration after a run (a few dozen
 * configurations): nothing here needs to be fast. The upper bound is
 * computed from the replications directly (not by rescaling the 95 %
 * half-width) so a metric with missing values gets the right degrees of
 * freedom. */
#include "sim/run/slo.h"

#include "sim/run/summary.h"

#include <string.h>

bool slo_present(const struct scenario *scn)
{
    return scn->slo.present;
}

/* Mean and upper bound of the two-sided `conf` CI of metric m of c (the
 * mean itself when there is a single replication). */
static void upper_bound(const struct report_config *c, int m, double conf,
                        double *mean, double *upper)
{
    double half;
    report_metric_ci(c, m, conf, mean, &half);
    *upper = isnan(half) ? *mean : *mean + half;
}

void slo_evaluate(const struct scenario *scn, const struct report_config *c,
                  struct slo_eval *e)
{
    memset(e, 0, sizeof *e);
    e->present = slo_present(scn);
    e->confidence = scn->slo.confidence;
    if (!e->present)
        return;
    const struct scn_slo *s = &scn->slo;
    double unstable, unstable_half;
    report_metric_stats(c, RM_unstable, &unstable, &unstable_half);
    const struct {
        bool on;
        const char *key;
        int metric;
        double limit;
    } all[SLO_MAX_OBJ] = {
        {s->has_backlog_max, "backlog_max", RM_backlog_max, s->backlog_max},
        {s->has_latency_p95, "latency_p95", RM_latency_p95_s,
         sim_to_s(s->latency_p95_us)},
        {s->has_latency_max, "latency_max", RM_latency_max_s,
         sim_to_s(s->latency_max_us)},
        {s->has_unfinished_max, "unfinished_max", RM_unfinished,
         s->unfinished_max},
        {s->has_duplicate_completions_max, "duplicate_completions_max",
         RM_duplicate_completions, s->duplicate_completions_max},
        /* Not a key: a configuration with an unstable replication (ended
         * early, backlog beyond WORLD_BACKLOG_LIMIT) never meets them. */
        {unstable > 0.0, "stable", RM_unstable, 0.0},
    };
    e->worst_excess = -(double)INFINITY;
    for (size_t i = 0; i < SLO_MAX_OBJ; i++) {
        if (!all[i].on)
            continue;
        struct slo_objective *o = &e->obj[e->n++];
        o->key = all[i].key;
        o->metric = all[i].metric;
        o->limit = all[i].limit;
        upper_bound(c, o->metric, e->confidence, &o->mean, &o->upper);
        o->met = !isnan(o->upper) && o->upper <= o->limit;
        double scale = fabs(o->limit) > 1.0 ? fabs(o->limit) : 1.0;
        double excess = isnan(o->upper) ? (double)INFINITY
                                        : (o->upper - o->limit) / scale;
        if (excess > e->worst_excess)
            e->worst_excess = excess;
        if (!o->met)
            e->n_failed++;
    }
    if (e->n == 0)
        e->worst_excess = 0.0;
}

int slo_eval_met(const struct slo_eval *e)
{
    if (!e->present)
        return -1;
    return e->n_failed == 0 ? 1 : 0;
}

double slo_margin(const struct slo_objective *o)
{
    return o->limit - o->upper;
}

/* Whether candidate a (cost ca) is closer to meeting the SLOs than b. */
static bool closer(const struct slo_eval *a, double ca,
                   const struct slo_eval *b, double cb)
{
    if (a->n_failed != b->n_failed)
        return a->n_failed < b->n_failed;
    if (a->worst_excess != b->worst_excess)
        return a->worst_excess < b->worst_excess;
    return ca < cb;
}

/* Mean of metric m of c, +INFINITY when it has no value (for ranking). */
static double rank_mean(const struct report_config *c, int m)
{
    double mean, hw;
    report_metric_stats(c, m, &mean, &hw);
    return isnan(mean) ? (double)INFINITY : mean;
}

/* Whether a is preferred to b among configurations whose costs tie: lower
 * mean latency_p95_s, then fewer executions, then lower mean cost, then
 * the first. *why names the criterion that decided. */
static bool tie_better(const struct report_config *configs, size_t a,
                       size_t b, enum slo_tie_reason *why)
{
    static const struct {
        int metric;
        enum slo_tie_reason reason;
    } order[] = {
        {RM_latency_p95_s, SLO_TIE_P95},
        {RM_executions, SLO_TIE_EXECUTIONS},
        {RM_cost_usd, SLO_TIE_COST},
    };
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        double va = rank_mean(&configs[a], order[i].metric);
        double vb = rank_mean(&configs[b], order[i].metric);
        if (va != vb) {
            *why = order[i].reason;
            return va < vb;
        }
    }
    *why = SLO_TIE_ORDER;
    return a < b;
}

/* rec->config is the cheapest by mean among those meeting every SLO.
 * Compare it with every other such configuration by the paired cost
 * difference per replication; those whose 95 % CI contains 0 (or that
 * cannot be told apart: fewer than 2 pairs) tie with it, and the tie is
 * settled by tie_better. Records the comparison shown to the user: the
 * chosen configuration against the cheapest (when another was chosen) or
 * against the next cheapest meeting every SLO. */
static void settle_ties(const struct report_config *configs,
                        const struct slo_eval *evals, size_t n,
                        struct slo_recommendation *rec)
{
    size_t cheapest = rec->config, chosen = cheapest, next = SIZE_MAX;
    double next_cost = (double)INFINITY;
    rec->n_tied = 1;
    for (size_t c = 0; c < n; c++) {
        if (c == cheapest || evals[c].n_failed != 0)
            continue;
        double cost = rank_mean(&configs[c], RM_cost_usd);
        if (next == SIZE_MAX || cost < next_cost) {
            next = c;
            next_cost = cost;
        }
        double d, half;
        size_t np;
        report_paired_ci(&configs[cheapest], &configs[c], RM_cost_usd, 0.95,
                         &d, &half, &np);
        bool tied = np < 2 || isnan(half) || fabs(d) <= half;
        if (!tied)
            continue;
        rec->n_tied++;
        enum slo_tie_reason why;
        if (tie_better(configs, c, chosen, &why))
            chosen = c;
    }
    rec->config = chosen;
    rec->other = chosen != cheapest ? cheapest : next;
    rec->tie = rec->n_tied > 1;
    if (rec->other == SIZE_MAX)
        return;
    report_paired_ci(&configs[chosen], &configs[rec->other], RM_cost_usd,
                     0.95, &rec->diff_mean, &rec->diff_half, &rec->diff_n);
    rec->why = SLO_TIE_NONE;
    if (rec->tie) {
        /* the criterion that put the chosen one before the other */
        enum slo_tie_reason why = SLO_TIE_ORDER;
        size_t rival = rec->other;
        if (chosen == cheapest) {
            /* the best of the others in the tie */
            rival = SIZE_MAX;
            for (size_t c = 0; c < n; c++) {
                if (c == cheapest || evals[c].n_failed != 0)
                    continue;
                double d, half;
                size_t np;
                report_paired_ci(&configs[cheapest], &configs[c],
                                 RM_cost_usd, 0.95, &d, &half, &np);
                if (!(np < 2 || isnan(half) || fabs(d) <= half))
                    continue;
                enum slo_tie_reason w;
                if (rival == SIZE_MAX || tie_better(configs, c, rival, &w))
                    rival = c;
            }
            rec->other = rival;
            report_paired_ci(&configs[chosen], &configs[rival], RM_cost_usd,
                             0.95, &rec->diff_mean, &rec->diff_half,
                             &rec->diff_n);
        }
        tie_better(configs, chosen, rival, &why);
        rec->why = why;
    }
}

const char *slo_tie_reason_text(enum slo_tie_reason r)
{
    switch (r) {
    case SLO_TIE_NONE:
        return "";
    case SLO_TIE_P95:
        return "lower mean latency_p95_s";
    case SLO_TIE_EXECUTIONS:
        return "fewer executions";
    case SLO_TIE_COST:
        return "lower mean cost_usd";
    case SLO_TIE_ORDER:
        return "first in configuration order (equal p95, executions and "
               "cost)";
    }
    return "";
}

void slo_recommend(const struct report_config *configs,
                   const struct slo_eval *evals, size_t n,
                   struct slo_recommendation *rec)
{
    memset(rec, 0, sizeof *rec);
    rec->kind = SLO_REC_NONE;
    rec->cost_mean = rec->cost_ci95 = (double)NAN;
    if (n == 0 || !evals[0].present)
        return;
    bool found = false, have_close = false;
    size_t best = 0, close = 0;
    double best_cost = (double)INFINITY, close_cost = (double)INFINITY;
    for (size_t c = 0; c < n; c++) {
        double mean, hw;
        report_metric_stats(&configs[c], RM_cost_usd, &mean, &hw);
        double cost = isnan(mean) ? (double)INFINITY : mean;
        if (evals[c].n_failed == 0) {
            rec->n_met++;
            if (!found || cost < best_cost) {
                found = true;
                best = c;
                best_cost = cost;
            }
        } else if (!have_close ||
                   closer(&evals[c], cost, &evals[close], close_cost)) {
            have_close = true;
            close = c;
            close_cost = cost;
        }
    }
    rec->kind = found ? SLO_REC_MET : SLO_REC_CLOSEST;
    rec->config = found ? best : close;
    rec->cheapest = rec->config;
    rec->other = SIZE_MAX;
    rec->diff_mean = rec->diff_half = (double)NAN;
    if (found)
        settle_ties(configs, evals, n, rec);
    report_metric_stats(&configs[rec->config], RM_cost_usd, &rec->cost_mean,
                        &rec->cost_ci95);
}
