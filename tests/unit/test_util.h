/* tests/unit/test_util.h - helpers for the cmocka tests. Include after
 * <cmocka.h>. cmocka 1.1's assert_float_equal() compares in single
 * precision; assert_near() compares doubles and prints both values.
 *
 * Property tests take their seed from test_seed_or(): fixed by default (so
 * `make test` is deterministic), $BURSTSIM_TEST_SEED when set, and printed
 * either way, e.g.
 *   BURSTSIM_TEST_SEED=977 build/tests/test_decision */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

static inline void assert_near_(double a, double b, double eps,
                                const char *expr, const char *file, int line)
{
    if (!(fabs(a - b) <= eps)) {
        print_error("%s = %.17g, expected %.17g (+- %g)\n", expr, a, b, eps);
        _fail(file, line);
    }
}

/* Fail unless |a - b| <= eps, all in double precision. */
#define assert_near(a, b, eps)                                                 \
    assert_near_((double)(a), (double)(b), (double)(eps), #a, __FILE__,        \
                 __LINE__)

/* Print the seed a property test runs with: "NAME: seed: N (set
 * BURSTSIM_TEST_SEED=N to reproduce)". */
static inline void test_seed_print(const char *name, uint32_t seed)
{
    print_message("%s: seed: %lu (set BURSTSIM_TEST_SEED=%lu to reproduce)\n",
                  name, (unsigned long)seed, (unsigned long)seed);
}

/* 1 and *seed = $BURSTSIM_TEST_SEED when it is set (decimal, 1 to
 * 4294967295), else 0. A malformed value fails the calling test. */
static inline int test_seed_given(uint32_t *seed)
{
    const char *env = getenv("BURSTSIM_TEST_SEED");
    if (env == NULL || env[0] == '\0')
        return 0;
    char *end;
    unsigned long long v = strtoull(env, &end, 10);
    if (*end != '\0' || env[0] == '-' || v == 0 || v > 0xFFFFFFFFull)
        fail_msg("BURSTSIM_TEST_SEED=%s: want a decimal 1..4294967295", env);
    *seed = (uint32_t)v;
    return 1;
}

#define TEST_SEED_DEFAULT 2385u

/* The seed for property test NAME: $BURSTSIM_TEST_SEED or def, printed. */
static inline uint32_t test_seed_or(const char *name, uint32_t def)
{
    uint32_t seed = def;
    (void)test_seed_given(&seed);
    test_seed_print(name, seed);
    return seed;
}

/* test_seed_or("property", TEST_SEED_DEFAULT). */
static inline uint32_t test_seed(void)
{
    return test_seed_or("property", TEST_SEED_DEFAULT);
}

#endif
