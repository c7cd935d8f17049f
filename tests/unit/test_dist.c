/* tests/unit/test_dist.c - sampling and means of sim/engine/dist.c. Sample means of
 * 200,000 draws must lie within 5 standard errors of the exact mean, which
 * is computed here from textbook formulas, independently of dist_mean_s();
 * quantiles of lognormal median+p95 within 1 %; mixture part frequencies
 * within 5 binomial standard errors. Seeds are fixed and printed; the means
 * and the mixture weights (5 standard errors: a chance failure is about
 * 1 in 10^6 per check) take $BURSTSIM_TEST_SEED when it is set
 * (tests/unit/test_util.h); the lognormal quantiles keep SEED (their p95
 * check is 2.5 standard errors wide). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sf_gamma.h>

#include "sim/engine/dist.h"
#include "sim/io/scenario.h"
#include "test_util.h"

#define N 200000
#define SEED 20240601UL

/* Load a one-line job.duration distribution through the scenario loader. */
static void load_dur(struct scenario *s, const char *dist_yaml)
{
    char y[512];
    struct diag d;
    char b[1400];
    snprintf(y, sizeof y,
             "horizon: 1h\narrivals: {process: {kind: poisson, rate: 1/s}}\n"
             "job: {duration: %s}\n", dist_yaml);
    if (scn_load_string(s, y, "d.yaml", NULL, NULL, 0, &d) != 0)
        fail_msg("%s", diag_format(&d, b, sizeof b));
}

/* Check the sample mean of N draws against mean with variance var. */
static void check_mean(const struct dist *d, double mean, double var)
{
    uint32_t seed = SEED;
    (void)test_seed_given(&seed); /* printed by dist_means */
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    double s = 0.0;
    for (int i = 0; i < N; i++) {
        double x = dist_sample_s(d, r);
        assert_true(x >= 0.0);
        s += x;
    }
    gsl_rng_free(r);
    double se = sqrt(var / N);
    assert_near(s / N, mean, 5.0 * se + 1e-9 * mean);
    assert_near(dist_mean_s(d), mean, 1e-9 * (1.0 + mean));
}

static void dist_means(void **state)
{
    (void)state;
    (void)test_seed_or("dist/means", SEED);
    struct scenario s;

    load_dur(&s, "2.385s");
    check_mean(&s.job.duration, 2.385, 0.0);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    assert_int_equal(dist_sample(&s.job.duration, r), 2385000);
    gsl_rng_free(r);
    scn_fini(&s);

    load_dur(&s, "{dist: exponential, mean: 3s}");
    check_mean(&s.job.duration, 3.0, 9.0);
    scn_fini(&s);

    /* lognormal mean + cv: mean m, variance (cv m)^2 */
    load_dur(&s, "{dist: lognormal, mean: 2s, cv: 0.5}");
    check_mean(&s.job.duration, 2.0, 1.0);
    scn_fini(&s);

    /* lognormal mu + sigma: mean exp(mu + s^2/2), var (e^{s^2}-1) e^{2mu+s^2} */
    load_dur(&s, "{dist: lognormal, mu: 0.7, sigma: 0.4}");
    check_mean(&s.job.duration, exp(0.7 + 0.08),
               (exp(0.16) - 1.0) * exp(1.4 + 0.16));
    scn_fini(&s);

    /* gamma mean + cv */
    load_dur(&s, "{dist: gamma, mean: 5s, cv: 0.3}");
    check_mean(&s.job.duration, 5.0, 1.5 * 1.5);
    assert_near(s.job.duration.p1, 1.0 / 0.09, 1e-12);
    assert_near(s.job.duration.p2, 5.0 * 0.09, 1e-12);
    scn_fini(&s);

    /* weibull: mean l G(1+1/k), var l^2 (G(1+2/k) - G(1+1/k)^2) */
    load_dur(&s, "{dist: weibull, scale: 12s, shape: 1.5}");
    double g1 = gsl_sf_gamma(1.0 + 1.0 / 1.5), g2 = gsl_sf_gamma(1.0 + 2.0 / 1.5);
    check_mean(&s.job.duration, 12.0 * g1, 144.0 * (g2 - g1 * g1));
    scn_fini(&s);

    /* uniform: mean (a+b)/2, var (b-a)^2/12 */
    load_dur(&s, "{dist: uniform, min: 1s, max: 4s}");
    check_mean(&s.job.duration, 2.5, 9.0 / 12.0);
    scn_fini(&s);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void lognormal_quantiles(void **state)
{
    (void)state;
    struct scenario s;
    load_dur(&s, "{dist: lognormal, median: 10s, p95: 40s}");
    double *x = malloc(N * sizeof *x);
    assert_non_null(x);
    print_message("dist/lognormal-quantiles: seed %lu\n", SEED);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, SEED);
    for (int i = 0; i < N; i++)
        x[i] = dist_sample_s(&s.job.duration, r);
    qsort(x, N, sizeof *x, cmp_double);
    assert_near(x[N / 2], 10.0, 0.1);
    assert_near(x[(int)(0.95 * N)], 40.0, 0.4);
    free(x);
    gsl_rng_free(r);
    scn_fini(&s);
}

static void mixture_weights(void **state)
{
    (void)state;
    struct scenario s;
    /* two fixed parts tell which part each draw came from */
    load_dur(&s, "{dist: mixture, parts: [{weight: 1, dist: fixed, value: "
                 "30s}, {weight: 4, dist: fixed, value: 1s}]}");
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, test_seed_or("dist/mixture", SEED));
    long cold = 0;
    for (int i = 0; i < N; i++) {
        double v = dist_sample_s(&s.job.duration, r);
        assert_true(v == 30.0 || v == 1.0);
        cold += v == 30.0;
    }
    double p = 0.2, se = sqrt(p * (1 - p) / N);
    assert_near((double)cold / N, p, 5 * se);
    assert_near(dist_mean_s(&s.job.duration), 0.2 * 30 + 0.8 * 1, 1e-12);

    /* deep copy samples the same stream identically and owns its memory */
    struct dist c;
    assert_int_equal(dist_copy(&c, &s.job.duration), 0);
    assert_true(c.parts != s.job.duration.parts);
    gsl_rng *r2 = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 7);
    gsl_rng_set(r2, 7);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(dist_sample(&c, r), dist_sample(&s.job.duration, r2));
    dist_fini(&c);
    dist_fini(&c); /* safe twice */
    assert_int_equal(c.kind, DIST_FIXED);
    gsl_rng_free(r);
    gsl_rng_free(r2);
    scn_fini(&s);
}

static void empirical_and_clamp(void **state)
{
    (void)state;
    double vals[] = {1.0, 2.0, 6.0};
    struct dist d;
    dist_set_fixed(&d, 0.0);
    d.kind = DIST_EMPIRICAL;
    d.form = DFORM_PATH_COLUMN;
    d.values = vals;
    d.n_values = 3;
    check_mean(&d, 3.0, (4.0 + 1.0 + 9.0) / 3.0);

    /* negative draws are clamped to 0 */
    struct dist u;
    dist_set_fixed(&u, 0.0);
    u.kind = DIST_UNIFORM;
    u.p1 = -2.0;
    u.p2 = -1.0;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    for (int i = 0; i < 100; i++)
        assert_int_equal(dist_sample(&u, r), 0);
    /* fixed: exact microseconds */
    dist_set_fixed(&u, 0.25);
    assert_int_equal(dist_sample(&u, r), 250000);
    assert_int_equal(dist_prepare(&u), 0);
    gsl_rng_free(r);
    struct dist z;
    memset(&z, 0, sizeof z);
    dist_fini(&z); /* zeroed struct */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dist_means),
        cmocka_unit_test(lognormal_quantiles),
        cmocka_unit_test(mixture_weights),
        cmocka_unit_test(empirical_and_clamp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
