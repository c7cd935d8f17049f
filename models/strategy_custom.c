/* models/strategy_custom.c - KEDA's `custom` ScaledJob scaling strategy:
 * eff = min(maxScale - D - int64(R' * F), MAXR).
 *
 * Source: kedacore/keda pkg/scaling/executor/scale_jobs.go,
 * customScalingStrategy.GetEffectiveMaxScale and NewScalingStrategy (main
 * after v2.20.2; a nil deduction counts as 0 since v2.20.2, keda#7798);
 * keda-docs content/docs/2.21/reference/scaledjob-spec.md
 * (customScalingQueueLengthDeduction, customScalingRunningJobPercentage).
 * D is an int32, F a string parsed as a float; custom without a parsable F
 * is KEDA's default strategy, a choice made by the caller
 * (scaler_strategy_applied() in models/decision.c), not here. The MAXR cap
 * is on the number of NEW jobs, so R' + eff can exceed MAXR. */
#include "models/strategy.h"

#include <inttypes.h>
#include <stdio.h>

/* Go's int64(float64(r) * f), truncation toward zero, saturated at
 * +-2^62 so that maxScale - D - result stays inside int64. f is finite. */
static int64_t trunc_product(int64_t r, double f)
{
    const double lim = 4611686018427387904.0; /* 2^62 */
    double v = (double)r * f;
    if (v >= lim)
        return INT64_C(1) << 62;
    if (v <= -lim)
        return -(INT64_C(1) << 62);
    return (int64_t)v; /* C conversion truncates toward zero, as Go's */
}

static int64_t effective(const struct strategy_args *a, int64_t *scale_to,
                         bool *capped)
{
    (void)scale_to;
    (void)capped;
    int64_t e = a->max_scale - a->deduction
                - trunc_product(a->r_prime, a->percentage);
    return e < a->maxr ? e : a->maxr;
}

static int explain(char *buf, size_t n, const struct strategy_args *a,
                   int64_t raw, bool capped)
{
    (void)capped;
    return snprintf(buf, n, "custom: min(maxScale %" PRId64 " - D %" PRId64
                    " - trunc(R' %" PRId64 " x F %.6g), MAXR %" PRId64
                    ") = %" PRId64, a->max_scale, a->deduction, a->r_prime,
                    a->percentage, a->maxr, raw);
}

const struct strategy_type strategy_custom = {
    .name = "custom",
    .reads_pending = false,
    .source = "kedacore/keda pkg/scaling/executor/scale_jobs.go "
              "customScalingStrategy (main after v2.20.2)",
    .effective = effective,
    .explain = explain,
};
