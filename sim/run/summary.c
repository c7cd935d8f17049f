/* sim/run/summary.c - mean and Student-t half-width of a metric over the
 * replications of one configuration (see summary.h).
 *
 * Workload: called a few times per configuration and metric after a run
 * (a few dozen replications): the values are copied into a stack buffer
 * and handed to GSL. */
#include "sim/run/summary.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <stdlib.h>
/* Mean of x[0..n-1] (left as is when n = 0) and the half-width of its
 * two-sided Student-t interval of confidence conf (left when n < 2). */
static void t_interval(const double *x, size_t n, double conf, double *mean,
                       double *half)
{
    if (n > 0)
        *mean = gsl_stats_mean(x, 1, n);
    if (n > 1) {
        double sd = gsl_stats_sd(x, 1, n);
        double t = gsl_cdf_tdist_Pinv(0.5 + conf / 2.0, (double)(n - 1));
        *half = t * sd / sqrt((double)n);
    }
}

void report_metric_ci(const struct report_config *c, int i, double conf,
                      double *mean, double *half)
{
    /* Copy the values that apply: a stack buffer covers every usual run;
     * larger ones take the heap (on allocation failure the statistics are
     * NAN, the same as "no value"). */
    double small[256] = {0}; /* (initialised: -O1 -Wmaybe-uninitialized) */
    double *x = small;
    *mean = (double)NAN;
    *half = (double)NAN;
    if (c->n_reps > sizeof small / sizeof small[0]) {
        x = malloc(c->n_reps * sizeof *x);
        if (x == NULL)
            return;
    }
    size_t n = 0;
    bool inf = false;
    for (size_t r = 0; r < c->n_reps; r++) {
        double v = c->reps[r].m[i];
        inf |= isinf(v) && v > 0;
        if (!isnan(v))
            x[n++] = v;
    }
    if (inf) {
        /* a latency quantile beyond the end of the run (models/result.h):
         * the mean is too, with no interval */
        *mean = (double)INFINITY;
        n = 0;
    }
    t_interval(x, n, conf, mean, half);
    if (x != small)
        free(x);
}

void report_paired_ci(const struct report_config *a,
                      const struct report_config *b, int i, double conf,
                      double *mean, double *half, size_t *n_pairs)
{
    double small[256] = {0}; /* (initialised: -O1 -Wmaybe-uninitialized) */
    double *x = small;
    size_t cap = a->n_reps < b->n_reps ? a->n_reps : b->n_reps;
    *mean = *half = (double)NAN;
    *n_pairs = 0;
    if (cap > sizeof small / sizeof small[0]) {
        x = malloc(cap * sizeof *x);
        if (x == NULL)
            return;
    }
    size_t n = 0;
    for (size_t r = 0; r < cap; r++) {
        const struct rep_result *ra = &a->reps[r], *rb = &b->reps[r];
        double va = ra->m[i], vb = rb->m[i];
        /* pairs of the same replication number only (common random
         * numbers: the same arrivals) */
        if (ra->replication == rb->replication && !isnan(va) && !isnan(vb))
            x[n++] = vb - va;
    }
    *n_pairs = n;
    t_interval(x, n, conf, mean, half);
    if (x != small)
        free(x);
}

void report_metric_stats(const struct report_config *c, int i, double *mean,
                         double *ci95)
{
    report_metric_ci(c, i, 0.95, mean, ci95);
}
