/* tests/unit/test_util.h - helpers for the cmocka tests. Include after
 * <cmocka.h>. cmocka 1.1's assert_float_equal() compares in single
 * precision; assert_near() compares doubles and prints both values. */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H

#include <math.h>

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

#endif
