/* models/strategy_default.c - KEDA's `default` ScaledJob scaling strategy:
 * eff = maxScale - R'.
 *
 * Source: kedacore/keda pkg/scaling/executor/scale_jobs.go,
 * defaultScalingStrategy.GetEffectiveMaxScale (main after v2.20.2; the
 * strategies since v2.0, keda#1227); keda-docs
 * content/docs/2.21/reference/scaledjob-spec.md (scalingStrategy). See
 * docs/scaling.md. The metric is assumed to include in-flight messages, so
 * every running job is taken to hold one of them; P is not read. */
#include "models/strategy.h"

#include <inttypes.h>
#include <stdio.h>

static int64_t effective(const struct strategy_args *a, int64_t *scale_to,
                         bool *capped)
{
    (void)scale_to;
    (void)capped;
    return a->max_scale - a->r_prime;
}

static int explain(char *buf, size_t n, const struct strategy_args *a,
                   int64_t raw, bool capped)
{
    (void)capped;
    return snprintf(buf, n, "default: maxScale %" PRId64 " - R' %" PRId64
                    " = %" PRId64, a->max_scale, a->r_prime, raw);
}

const struct strategy_type strategy_default = {
    .name = "default",
    .reads_pending = false,
    .source = "kedacore/keda pkg/scaling/executor/scale_jobs.go "
              "defaultScalingStrategy (main after v2.20.2)",
    .effective = effective,
    .explain = explain,
};
