/* models/strategy_accurate.c - KEDA's `accurate` ScaledJob scaling
 * strategy: eff = MAXR - R' when maxScale + R' - P > MAXR, else
 * maxScale - P.
 *
 * Source: kedacore/keda pkg/scaling/executor/scale_jobs.go,
 * accurateScalingStrategy.GetEffectiveMaxScale (main after v2.20.2; P
 * subtracted since v2.1, keda#1391; the cap test subtracts P as well since
 * v2.19, keda#7417 - before, `maxScale + R' > MAXR` created idle
 * duplicates while many pods stayed Pending, keda#7329); keda-docs
 * content/docs/2.21/reference/scaledjob-spec.md. Assumes a metric of
 * waiting messages only (e.g. azure-queue `visibleonly`). */
#include "models/strategy.h"

#include <inttypes.h>
#include <stdio.h>

static int64_t effective(const struct strategy_args *a, int64_t *scale_to,
                         bool *capped)
{
    (void)scale_to;
    if (a->max_scale + a->r_prime - a->pending > a->maxr) {
        if (capped != NULL)
            *capped = true;
        return a->maxr - a->r_prime;
    }
    return a->max_scale - a->pending;
}

static int explain(char *buf, size_t n, const struct strategy_args *a,
                   int64_t raw, bool capped)
{
    if (capped)
        return snprintf(buf, n, "accurate: maxScale %" PRId64 " + R' %"
                        PRId64 " - P %" PRId64 " > MAXR %" PRId64
                        ", so MAXR - R' = %" PRId64, a->max_scale,
                        a->r_prime, a->pending, a->maxr, raw);
    return snprintf(buf, n, "accurate: maxScale %" PRId64 " + R' %" PRId64
                    " - P %" PRId64 " <= MAXR %" PRId64
                    ", so maxScale - P = %" PRId64, a->max_scale, a->r_prime,
                    a->pending, a->maxr, raw);
}

const struct strategy_type strategy_accurate = {
    .name = "accurate",
    .reads_pending = true,
    .source = "kedacore/keda pkg/scaling/executor/scale_jobs.go "
              "accurateScalingStrategy (main after v2.20.2; cap test since "
              "v2.19, keda#7417)",
    .effective = effective,
    .explain = explain,
};
