/* sim/engine/dist.h - probability distributions of durations and counts.
 * Units:   parameters and samples of duration distributions are seconds at
 *          the API edge; dist_sample() returns microseconds (sim_time).
 * Owns:    a struct dist owns its empirical values, path, column and mixture
 *          parts; dist_fini() frees them. dist_copy() makes a deep copy.
 * Errors:  sampling never fails; parsing lives in the scenario loader (sim/io/scn_dist.c).
 * Threads: no globals; the caller passes the gsl_rng of its stream. */
#ifndef SIM_DIST_H
#define SIM_DIST_H

#include "sim/engine/common.h"

#include <gsl/gsl_rng.h>

enum dist_kind {
    DIST_FIXED,       /* always p1 seconds */
    DIST_EXPONENTIAL, /* mean p1 seconds */
    DIST_LOGNORMAL,   /* ln(X) ~ N(p1 = mu, p2 = sigma), X in seconds */
    DIST_GAMMA,       /* shape p1 = k, scale p2 = theta seconds */
    DIST_WEIBULL,     /* scale p1 seconds, shape p2 */
    DIST_UNIFORM,     /* on [p1, p2] seconds */
    DIST_EMPIRICAL,   /* resampled with replacement from values[] */
    DIST_MIXTURE      /* parts[i] with probability weights[i] */
};

/* How the parameters were written, kept so `validate` can print them back. */
enum dist_form {
    DFORM_VALUE,       /* fixed: value */
    DFORM_MEAN,        /* exponential: mean */
    DFORM_MEDIAN_P95,  /* lognormal: median + p95 */
    DFORM_MEAN_CV,     /* lognormal or gamma: mean + cv */
    DFORM_MU_SIGMA,    /* lognormal: mu + sigma of ln seconds */
    DFORM_SCALE_SHAPE, /* weibull */
    DFORM_MIN_MAX,     /* uniform */
    DFORM_PATH_COLUMN, /* empirical */
    DFORM_PARTS        /* mixture */
};

struct dist {
    enum dist_kind kind;
    enum dist_form form;
    double given[2];       /* parameters as written (seconds, or cv/shape) */
    double p1, p2;         /* sampling parameters, see enum dist_kind */
    double *values;        /* empirical: samples in seconds, owned */
    size_t n_values;       /* empirical: number of values, >= 1 */
    char *path;            /* empirical: CSV path as resolved, owned */
    char *path_as_written; /* empirical: CSV path as in the scenario, owned */
    char *column;          /* empirical: column name or 1-based index, owned */
    struct dist *parts;    /* mixture: components, owned */
    double *weights;       /* mixture: weights as written (> 0), owned */
    size_t n_parts;        /* mixture: number of components, >= 1 */
    void *table;           /* mixture: gsl_ran_discrete_t*, owned, built by
                              dist_prepare() */
};

/* Make d the fixed distribution of value_s seconds (>= 0). d needs no
 * dist_fini() afterwards but accepts one. */
void dist_set_fixed(struct dist *d, double value_s);

/* Build lookup tables needed for sampling (mixture alias table). Must be
 * called once after parsing and before dist_sample(). Returns 0 or
 * SIM_ENOMEM. */
int dist_prepare(struct dist *d);

/* Samples are clamped to [0, DIST_MAX_S] seconds (1e9 s, about 31.7
 * years): heavy tails (a lognormal with a huge sigma, a Weibull with a tiny
 * shape) cannot overflow the int64 microsecond clock. */
#define DIST_MAX_S 1e9

/* Draw one sample in microseconds (in [0, DIST_MAX_S] s; negative draws
 * are clamped to 0) using generator r. d must have been prepared. */
sim_time dist_sample(const struct dist *d, gsl_rng *r);

/* Draw one sample in seconds (double, >= 0). Same stream use as
 * dist_sample(). */
double dist_sample_s(const struct dist *d, gsl_rng *r);

/* Mean of the distribution in seconds (exact, from the parameters). */
double dist_mean_s(const struct dist *d);

/* Deep copy src into dst (dst is overwritten, not freed). Returns 0 or
 * SIM_ENOMEM. */
int dist_copy(struct dist *dst, const struct dist *src);

/* Free what d owns and make it fixed 0. Safe on a zeroed struct. */
void dist_fini(struct dist *d);

#endif
