/* sim/engine/stats.h - summaries that do not grow with the run: a time-weighted
 * average of a piecewise-constant level (twa_), a running tally of
 * observations (tally_), and a log-bucketed histogram for quantiles (qhist_)
 * built on gsl_histogram.
 * Units:   twa_ takes sim_time microseconds and reports per-second means;
 *          tally_ and qhist_ take observations in seconds (double).
 * Accuracy: qhist_ buckets are geometric with ratio r = 1 + QHIST_REL_ERR
 *          from QHIST_MIN_S to QHIST_MAX_S (3,125 buckets); a quantile is
 *          the piecewise-linear inverse CDF inside its bucket (what
 *          gsl_histogram_pdf_sample computes), clamped into [min, max].
 *          Bound achieved, for 0 < p < 1 and n observations sorted as
 *          x(1) <= ... <= x(n): the result lies in the same bucket as
 *          x(c), c = floor(p n) + 1, hence within a factor r of it
 *          (relative error <= QHIST_REL_ERR = 1 %). Against the empirical
 *          quantile of gsl_stats_quantile_from_sorted_data, which
 *          interpolates between x(k) and x(k+1), k = floor((n-1) p) + 1,
 *          and c is k or k+1: the result is in [x(k) / r, x(k+1) * r], i.e.
 *          within 1 % plus the gap between two adjacent order statistics
 *          (negligible for dense samples; a sparse sample's quantile is
 *          ill-defined by that much anyway). This holds for values in
 *          [QHIST_MIN_S, QHIST_MAX_S]; values below QHIST_MIN_S count in
 *          the first bucket (absolute error < 1.01 us), values above
 *          QHIST_MAX_S in the last. Zeros are exact. min, max, mean exact.
 * Owns:    structs are caller-allocated; qhist_init()/qhist_fini() own the
 *          gsl_histogram. Memory is fixed (3,125 buckets, ~50 KiB).
 * Threads: no globals. */
#ifndef SIM_STATS_H
#define SIM_STATS_H

#include "sim/engine/common.h"

/* Time-weighted average of a level that changes at discrete instants,
 * counted from `start` (earlier changes only set the level). Also keeps the
 * maximum (over [start, now]) and the time spent strictly above a
 * threshold. */
struct twa {
    sim_time start;       /* window start (warm-up), us */
    sim_time last;        /* time of the last update, us */
    double level;         /* current level */
    double area;          /* integral of level over [start, last], level*us */
    double max;           /* maximum level held in [start, last];
                             -INFINITY while last < start (see twa_max) */
    double threshold;     /* for time_above; +inf = not tracked */
    sim_time time_above;  /* us with level > threshold, within the window */
};

/* Start a summary at level 0, window from start (us), with threshold for
 * time_above (use INFINITY for none). */
void twa_init(struct twa *w, sim_time start, double threshold);
/* The level changes to `level` at time now (now >= last). */
void twa_set(struct twa *w, sim_time now, double level);
/* Add delta to the level at time now. */
void twa_add(struct twa *w, sim_time now, double delta);
/* Mean level over [start, end] (end >= last); 0 when end <= start. */
double twa_mean(const struct twa *w, sim_time end);
/* Seconds with level > threshold over [start, end]. */
double twa_time_above_s(const struct twa *w, sim_time end);
/* Maximum level held at any instant of [start, end] (end >= last),
 * including a level set before start and still held at start; 0 when
 * end < start. Prefer this to reading w->max, which only covers [start,
 * last] and is -INFINITY until the window has begun. (Added.) */
double twa_max(const struct twa *w, sim_time end);

/* Count, mean, min, max and variance of observations (Welford). */
struct tally {
    int64_t n;
    double mean, m2, min, max;  /* min, max are NAN while n == 0 */
};
void tally_init(struct tally *t);
void tally_add(struct tally *t, double x);
/* Sample variance (n - 1); 0 when n < 2. */
double tally_var(const struct tally *t);
/* Fold src into dst as if every observation of src had been added to dst
 * (Chan et al. pairwise update), for merging parallel replications.
 * (Added.) */
void tally_merge(struct tally *dst, const struct tally *src);

#define QHIST_MIN_S 1e-6     /* 1 us */
#define QHIST_MAX_S 3.2e7    /* about a year */
#define QHIST_REL_ERR 0.01   /* bucket ratio 1.01 */

/* Quantile histogram of non-negative observations in seconds. Zero values
 * are counted apart (exactly 0), so quantiles that fall among them are 0. */
struct qhist {
    void *h;              /* gsl_histogram *, owned */
    int64_t n;            /* observations */
    int64_t zeros;        /* observations == 0 */
    double sum, min, max; /* exact; min, max are NAN while n == 0 */
};

/* Allocate the buckets. Returns 0 or SIM_ENOMEM. */
int qhist_init(struct qhist *q);
/* Free; safe on a zeroed struct and twice. */
void qhist_fini(struct qhist *q);
/* Add one observation x >= 0 seconds (negative is clamped to 0). */
void qhist_add(struct qhist *q, double x);
/* The p-quantile, p in [0, 1], in seconds; NAN when empty. p = 1 returns
 * the exact max and p = 0 the exact min. */
double qhist_quantile(const struct qhist *q, double p);
/* Exact mean in seconds; NAN when empty. */
double qhist_mean(const struct qhist *q);
/* Merge src into dst (same bucket layout). */
void qhist_merge(struct qhist *dst, const struct qhist *src);

#endif
