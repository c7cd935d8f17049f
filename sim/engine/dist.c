/* sim/engine/dist.c - sampling, means and ownership of the duration / count
 * distributions of a scenario (see dist.h).
 *
 * Workload: a few distributions per scenario, sampled millions of times per
 * replication (one start-up, claim and duration draw per replica / message).
 * Parameters are converted to sampling form once by the loader
 * (sim/io/scn_dist.c), so dist_sample() is one GSL call plus a clamp; mixtures use a
 * Walker alias table built once by dist_prepare(), so a draw is O(1) in the
 * number of parts. Every draw takes the caller's generator: no globals. */
#include "sim/engine/dist.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <stdlib.h>
#include <string.h>

void dist_set_fixed(struct dist *d, double value_s)
{
    memset(d, 0, sizeof *d);
    d->kind = DIST_FIXED;
    d->form = DFORM_VALUE;
    d->given[0] = value_s;
    d->p1 = value_s;
}

int dist_prepare(struct dist *d)
{
    if (d->kind != DIST_MIXTURE)
        return SIM_OK;
    for (size_t i = 0; i < d->n_parts; i++) {
        int rc = dist_prepare(&d->parts[i]);
        if (rc != SIM_OK)
            return rc;
    }
    if (d->table != NULL)
        return SIM_OK; /* already prepared */
    d->table = gsl_ran_discrete_preproc(d->n_parts, d->weights);
    return d->table != NULL ? SIM_OK : SIM_ENOMEM;
}

double dist_sample_s(const struct dist *d, gsl_rng *r)
{
    double x = 0.0;
    switch (d->kind) {
    case DIST_FIXED:
        x = d->p1;
        break;
    case DIST_EXPONENTIAL:
        x = gsl_ran_exponential(r, d->p1);
        break;
    case DIST_LOGNORMAL:
        x = gsl_ran_lognormal(r, d->p1, d->p2);
        break;
    case DIST_GAMMA:
        x = gsl_ran_gamma(r, d->p1, d->p2);
        break;
    case DIST_WEIBULL:
        x = gsl_ran_weibull(r, d->p1, d->p2);
        break;
    case DIST_UNIFORM:
        x = gsl_ran_flat(r, d->p1, d->p2);
        break;
    case DIST_EMPIRICAL:
        SIM_ASSERT(d->n_values >= 1);
        x = d->values[gsl_rng_uniform_int(r, (unsigned long)d->n_values)];
        break;
    case DIST_MIXTURE: {
        SIM_ASSERT(d->table != NULL); /* dist_prepare() was not called */
        size_t k = gsl_ran_discrete(r, (const gsl_ran_discrete_t *)d->table);
        x = dist_sample_s(&d->parts[k], r);
        break;
    }
    default:
        SIM_ASSERT(false && "unknown distribution kind");
    }
    /* Samples are never negative (and a NaN would poison the event set). */
    /* Never negative; never beyond DIST_MAX_S (about 31.7 years), so a
     * heavy tail cannot overflow the microsecond clock. NAN counts as 0. */
    if (!(x > 0.0))
        return 0.0;
    return x < DIST_MAX_S ? x : DIST_MAX_S;
}

sim_time dist_sample(const struct dist *d, gsl_rng *r)
{
    return sim_from_s(dist_sample_s(d, r));
}

double dist_mean_s(const struct dist *d)
{
    switch (d->kind) {
    case DIST_FIXED:
    case DIST_EXPONENTIAL:
        return d->p1;
    case DIST_LOGNORMAL:
        return exp(d->p1 + 0.5 * d->p2 * d->p2);
    case DIST_GAMMA:
        return d->p1 * d->p2;
    case DIST_WEIBULL:
        return d->p1 * gsl_sf_gamma(1.0 + 1.0 / d->p2);
    case DIST_UNIFORM:
        return 0.5 * (d->p1 + d->p2);
    case DIST_EMPIRICAL: {
        double s = 0.0;
        for (size_t i = 0; i < d->n_values; i++)
            s += d->values[i];
        return d->n_values > 0 ? s / (double)d->n_values : 0.0;
    }
    case DIST_MIXTURE: {
        double s = 0.0, w = 0.0;
        for (size_t i = 0; i < d->n_parts; i++) {
            s += d->weights[i] * dist_mean_s(&d->parts[i]);
            w += d->weights[i];
        }
        return w > 0.0 ? s / w : 0.0;
    }
    }
    return 0.0;
}

/* strdup that accepts NULL; returns false only when allocation failed. */
static bool dup_str(char **dst, const char *src)
{
    *dst = NULL;
    if (src == NULL)
        return true;
    *dst = strdup(src);
    return *dst != NULL;
}

int dist_copy(struct dist *dst, const struct dist *src)
{
    *dst = *src;
    dst->values = NULL;
    dst->path = dst->path_as_written = dst->column = NULL;
    dst->parts = NULL;
    dst->weights = NULL;
    dst->table = NULL;
    dst->n_parts = 0; /* so dist_fini() is safe at every step below */
    if (src->n_values > 0) {
        dst->values = malloc(src->n_values * sizeof *dst->values);
        if (dst->values == NULL)
            goto err;
        memcpy(dst->values, src->values, src->n_values * sizeof *dst->values);
    }
    if (!dup_str(&dst->path, src->path) ||
        !dup_str(&dst->path_as_written, src->path_as_written) ||
        !dup_str(&dst->column, src->column))
        goto err;
    if (src->n_parts > 0) {
        dst->parts = calloc(src->n_parts, sizeof *dst->parts);
        dst->weights = malloc(src->n_parts * sizeof *dst->weights);
        if (dst->parts == NULL || dst->weights == NULL)
            goto err;
        memcpy(dst->weights, src->weights, src->n_parts * sizeof *dst->weights);
        for (size_t i = 0; i < src->n_parts; i++) {
            dst->n_parts = i + 1;
            if (dist_copy(&dst->parts[i], &src->parts[i]) != SIM_OK)
                goto err;
        }
    }
    if (src->table != NULL && dist_prepare(dst) != SIM_OK)
        goto err;
    return SIM_OK;
err:
    dist_fini(dst);
    return SIM_ENOMEM;
}

void dist_fini(struct dist *d)
{
    if (d == NULL)
        return;
    for (size_t i = 0; i < d->n_parts && d->parts != NULL; i++)
        dist_fini(&d->parts[i]);
    free(d->parts);
    free(d->weights);
    free(d->values);
    free(d->path);
    free(d->path_as_written);
    free(d->column);
    if (d->table != NULL)
        gsl_ran_discrete_free((gsl_ran_discrete_t *)d->table);
    dist_set_fixed(d, 0.0);
}
