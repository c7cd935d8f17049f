/* models/strategy_eager.c - KEDA's `eager` ScaledJob scaling strategy:
 * eff = min(MAXR - R' - P, maxScale), and scaleTo becomes MAXR.
 *
 * Source: kedacore/keda pkg/scaling/executor/scale_jobs.go,
 * eagerScalingStrategy.GetEffectiveMaxScale (main after v2.20.2; added in
 * v2.15, keda#5872); keda-docs
 * content/docs/2.21/reference/scaledjob-spec.md. It fills every free slot
 * up to maxScale. P is subtracted although R' already contains the pending
 * jobs - KEDA codes and tests it that way. */
#include "models/strategy.h"

#include <inttypes.h>
#include <stdio.h>

static int64_t effective(const struct strategy_args *a, int64_t *scale_to,
                         bool *capped)
{
    (void)capped;
    *scale_to = a->maxr;
    int64_t free_slots = a->maxr - a->r_prime - a->pending;
    return free_slots < a->max_scale ? free_slots : a->max_scale;
}

static int explain(char *buf, size_t n, const struct strategy_args *a,
                   int64_t raw, bool capped)
{
    (void)capped;
    return snprintf(buf, n, "eager: min(MAXR %" PRId64 " - R' %" PRId64
                    " - P %" PRId64 ", maxScale %" PRId64 ") = %" PRId64,
                    a->maxr, a->r_prime, a->pending, a->max_scale, raw);
}

const struct strategy_type strategy_eager = {
    .name = "eager",
    .reads_pending = true,
    .source = "kedacore/keda pkg/scaling/executor/scale_jobs.go "
              "eagerScalingStrategy (main after v2.20.2; since v2.15, "
              "keda#5872)",
    .effective = effective,
    .explain = explain,
    .scale_to_why = "eager returns MAXR as scaleTo",
};
