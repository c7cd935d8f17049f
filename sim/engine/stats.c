/* sim/engine/stats.c - fixed-size summaries: time-weighted averages (twa_),
 * Welford tallies (tally_) and log-bucketed quantile histograms (qhist_).
 *
 * Workload: twa_set/twa_add run on every backlog or replica-count change and
 * tally_add/qhist_add on every completed message, so each is O(1) with no
 * allocation (qhist_add costs one log() and a bucket fix-up). Quantiles and
 * means are read a few times per replication, at report time, so
 * qhist_quantile may walk all ~3,100 buckets.
 *
 * Quantile method. Bucket i of the gsl_histogram covers
 * [QHIST_MIN_S * r^i, QHIST_MIN_S * r^(i+1)) with r = 1 + QHIST_REL_ERR.
 * qhist_quantile inverts the piecewise-linear CDF of the positive
 * observations exactly as gsl_histogram_pdf_sample would (find the bucket
 * whose cumulative count brackets the target rank, interpolate linearly
 * inside it), but walks the GSL bins directly: no gsl_histogram_pdf to
 * allocate on every call, hence no failure path in a function that returns
 * a double. The unit test checks both give the same answer. */
#include "sim/engine/stats.h"

#include <gsl/gsl_histogram.h>
#include <stdlib.h>

/* ------------------------------------------------------------------ twa */

void twa_init(struct twa *w, sim_time start, double threshold)
{
    w->start = start;
    /* Updates before the window are allowed (they only set the level), so
     * the clock starts at t = 0 or at start, whichever is earlier. */
    w->last = start < 0 ? start : 0;
    w->level = 0.0;
    w->area = 0.0;
    /* The initial level 0 is held from w->last on, so when the window
     * starts there (no warm-up) 0 is already seen; with a warm-up no
     * instant of the window has been seen yet. */
    w->max = start <= w->last ? 0.0 : -(double)INFINITY;
    w->threshold = threshold;
    w->time_above = 0;
}

/* Fold the current level, held over [last, now], into the window
 * accumulators. Only the part after start counts. */
static void twa_accrue(struct twa *w, sim_time now)
{
    sim_time a = w->last > w->start ? w->last : w->start;
    if (now > a) {
        sim_time dt = now - a;
        w->area += w->level * (double)dt;
        if (w->level > w->threshold)
            w->time_above += dt;
        /* A level set before start that is still held after it belongs to
         * the window too; levels set inside it were counted when set. */
        if (w->level > w->max)
            w->max = w->level;
    }
}

void twa_set(struct twa *w, sim_time now, double level)
{
    SIM_ASSERT(now >= w->last);
    twa_accrue(w, now);
    w->last = now;
    w->level = level;
    /* The new level holds at `now`, so it is seen if now is in the window,
     * even if it is replaced again at the same instant. */
    if (now >= w->start && level > w->max)
        w->max = level;
}

void twa_add(struct twa *w, sim_time now, double delta)
{
    twa_set(w, now, w->level + delta);
}

double twa_mean(const struct twa *w, sim_time end)
{
    /* Read-only: the current level is extended to `end` on the fly, so a
     * report can ask for the mean at any end >= last without mutating the
     * summary (and may ask again later with a larger end). */
    if (end <= w->start)
        return 0.0;
    sim_time a = w->last > w->start ? w->last : w->start;
    double area = w->area;
    if (end > a)
        area += w->level * (double)(end - a);
    return area / (double)(end - w->start);
}

double twa_time_above_s(const struct twa *w, sim_time end)
{
    sim_time a = w->last > w->start ? w->last : w->start;
    sim_time t = w->time_above;
    if (end > a && w->level > w->threshold)
        t += end - a;
    return sim_to_s(t);
}

double twa_max(const struct twa *w, sim_time end)
{
    if (end < w->start)
        return 0.0;
    /* The current level is held at `end`, which lies in the window. */
    return w->level > w->max ? w->level : w->max;
}

/* ---------------------------------------------------------------- tally */

void tally_init(struct tally *t)
{
    /* min and max are NAN, not +-inf or 0, so an empty tally cannot pass
     * for a real extreme in a CSV; the first tally_add sets both. */
    t->n = 0;
    t->mean = 0.0;
    t->m2 = 0.0;
    t->min = (double)NAN;
    t->max = (double)NAN;
}

void tally_add(struct tally *t, double x)
{
    /* Welford: stable where the naive sum of squares cancels badly for
     * long runs of nearly equal durations. */
    t->n++;
    double d = x - t->mean;
    t->mean += d / (double)t->n;
    t->m2 += d * (x - t->mean);
    if (t->n == 1) {
        t->min = x;
        t->max = x;
    } else {
        if (x < t->min)
            t->min = x;
        if (x > t->max)
            t->max = x;
    }
}

double tally_var(const struct tally *t)
{
    return t->n < 2 ? 0.0 : t->m2 / (double)(t->n - 1);
}

void tally_merge(struct tally *dst, const struct tally *src)
{
    if (src->n == 0)
        return;
    if (dst->n == 0) {
        *dst = *src;
        return;
    }
    /* Chan, Golub and LeVeque's pairwise update. */
    double na = (double)dst->n, nb = (double)src->n, n = na + nb;
    double d = src->mean - dst->mean;
    dst->mean += d * nb / n;
    dst->m2 += src->m2 + d * d * na * nb / n;
    dst->n += src->n;
    if (src->min < dst->min)
        dst->min = src->min;
    if (src->max > dst->max)
        dst->max = src->max;
}

/* ---------------------------------------------------------------- qhist */

/* log(1 + QHIST_REL_ERR); GCC folds these constant calls at compile time. */
#define QHIST_LOG_RATIO log1p(QHIST_REL_ERR)

/* Number of buckets: the smallest k with MIN * r^k >= MAX (3,125 for the
 * default constants). */
static size_t qhist_nbins(void)
{
    return (size_t)ceil(log(QHIST_MAX_S / QHIST_MIN_S) / QHIST_LOG_RATIO);
}

int qhist_init(struct qhist *q)
{
    q->h = NULL;
    q->n = 0;
    q->zeros = 0;
    q->sum = 0.0;
    q->min = (double)NAN;
    q->max = (double)NAN;

    size_t nb = qhist_nbins();
    gsl_histogram *h = gsl_histogram_alloc(nb);
    double *edges = malloc((nb + 1) * sizeof *edges);
    if (!h || !edges) {
        gsl_histogram_free(h);
        free(edges);
        return SIM_ENOMEM;
    }
    /* Each edge from its own exp(), not by repeated multiplication, so the
     * ratio does not drift over 3,000 steps. */
    for (size_t i = 0; i <= nb; i++)
        edges[i] = QHIST_MIN_S * exp((double)i * QHIST_LOG_RATIO);
    int rc = gsl_histogram_set_ranges(h, edges, nb + 1);
    free(edges);
    if (rc != 0) {
        gsl_histogram_free(h);
        return SIM_EINTERNAL;
    }
    q->h = h;
    return SIM_OK;
}

void qhist_fini(struct qhist *q)
{
    if (q->h)
        gsl_histogram_free(q->h);
    q->h = NULL;
}

/* Bucket of x > 0: values below the first edge go to bucket 0 and values at
 * or above the last edge to the last bucket. The log gives the index up to
 * rounding; the loops correct it against the stored edges, which are the
 * truth gsl_histogram uses. */
static size_t qhist_bin(const gsl_histogram *h, double x)
{
    if (x < h->range[1])
        return 0;
    if (x >= h->range[h->n - 1])
        return h->n - 1;
    double g = log(x / QHIST_MIN_S) / QHIST_LOG_RATIO;
    size_t i = g < 1.0 ? 1 : (size_t)g;
    if (i > h->n - 2)
        i = h->n - 2;
    while (x < h->range[i])
        i--;
    while (x >= h->range[i + 1])
        i++;
    return i;
}

void qhist_add(struct qhist *q, double x)
{
    /* A NaN duration is a model bug, not data: fail loudly rather than
     * let it vanish into no bucket. Negative durations can only come from
     * rounding of a difference of equal times, so they count as 0. */
    SIM_ASSERT(!isnan(x));
    if (x < 0.0)
        x = 0.0;
    if (q->n == 0) {
        q->min = x;
        q->max = x;
    } else {
        if (x < q->min)
            q->min = x;
        if (x > q->max)
            q->max = x;
    }
    q->n++;
    q->sum += x;
    if (x == 0.0) {
        q->zeros++;
        return;
    }
    gsl_histogram *h = q->h;
    h->bin[qhist_bin(h, x)] += 1.0;
}

double qhist_quantile(const struct qhist *q, double p)
{
    /* The extremes are exact (kept apart from the buckets) and are the
     * values most often quoted, so p = 0 and p = 1 never interpolate. */
    if (q->n == 0 || isnan(p))
        return (double)NAN;
    if (p <= 0.0)
        return q->min;
    if (p >= 1.0)
        return q->max;

    /* Target rank among all observations, then among the positive ones
     * (the zeros are the lowest q->zeros order statistics, exactly 0). */
    double t = p * (double)q->n - (double)q->zeros;
    if (t <= 0.0)
        return 0.0;

    /* Find bucket i with cum[i] <= t < cum[i+1], as gsl_histogram_pdf
     * does with the normalised sums, and interpolate inside it. */
    const gsl_histogram *h = q->h;
    double cum = 0.0, x = q->max;
    for (size_t i = 0; i < h->n; i++) {
        double c = h->bin[i];
        if (c > 0.0 && t < cum + c) {
            double f = (t - cum) / c;
            x = h->range[i] + f * (h->range[i + 1] - h->range[i]);
            break;
        }
        cum += c;
    }
    /* The outer buckets hold clamped values, and a bucket's interpolation
     * may reach past the extreme observations: both are fixed by min/max. */
    if (x < q->min)
        x = q->min;
    if (x > q->max)
        x = q->max;
    return x;
}

double qhist_mean(const struct qhist *q)
{
    if (q->n == 0)
        return (double)NAN;
    return q->sum / (double)q->n;
}

void qhist_merge(struct qhist *dst, const struct qhist *src)
{
    if (src->n == 0)
        return;
    /* Same constants, same edges: the GSL range check cannot fail. */
    int rc = gsl_histogram_add(dst->h, src->h);
    SIM_ASSERT(rc == 0);
    if (dst->n == 0) {
        dst->min = src->min;
        dst->max = src->max;
    } else {
        if (src->min < dst->min)
            dst->min = src->min;
        if (src->max > dst->max)
            dst->max = src->max;
    }
    dst->n += src->n;
    dst->zeros += src->zeros;
    dst->sum += src->sum;
}
