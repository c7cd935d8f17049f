/* models/decision.c - the KEDA ScaledJob scaling decision of one poll.
 *
 * Implements models/decision.h: the per-trigger maxValue, the
 * multipleScalersCalculation combination, the min/max normalisation, the
 * top-up branch and the strategy (dispatched through strategy_types[],
 * models/strategy.h), exactly as KEDA computes them
 * (kedacore/keda main after v2.20.2: pkg/scaling/scaledjob/metrics.go,
 * pkg/scaling/scale_handler.go, pkg/scaling/executor/scale_jobs.go,
 * apis/keda/v1alpha1/scaledjob_types.go; docs/model.md 4.3).
 *
 * Workload: called once per poll per configuration by models/scaler.c and
 * once per run by `burstsim scale-decision`; a few dozen floating-point and
 * integer operations, no allocation, no state. The float parts (QL / T,
 * min with MAXR, avg / sum) follow Go's float64 order of operations, and
 * the ceil is applied once, after combining, as KEDA does; everything after
 * the ceil is int64 arithmetic. Inputs are range-checked first so that no
 * later int64 operation can overflow (DECISION_COUNT_MAX = 2^50). */
#include "models/decision.h"

#include <string.h>

/* KEDA's spec defaults (scaledjob_types.go): maxReplicaCount 100 when
 * unset, minReplicaCount 0. */
#define DEFAULT_MAXR INT64_C(100)

/* 2^63 as a double: the first value that no longer fits in int64. */
#define TWO_POW_63 9223372036854775808.0

/* Go's int64(math.Ceil(x)) for x >= 0. Go leaves out-of-range conversions
 * implementation-defined and C makes them undefined, so this saturates at
 * INT64_MAX instead (only a combined queue length of 2^63 or more, or an
 * infinite one from summing huge values, can get there). NaN cannot occur:
 * inputs are finite and >= 0, and 0/0 is avoided (T = 0 gives MV 0). */
static int64_t ceil_to_i64(double x)
{
    double c = ceil(x);
    if (!(c < TWO_POW_63))
        return INT64_MAX;
    if (c <= 0.0)
        return 0;
    return (int64_t)c;
}

static int64_t min_i64(int64_t a, int64_t b) { return a < b ? a : b; }

/* Go's min for float64 as written in metrics.go: `if x > y return y`. */
static double min_f64(double x, double y) { return x > y ? y : x; }

void scaler_normalise(bool has_min, int64_t min, bool has_max, int64_t max,
                      int64_t *minr, int64_t *maxr)
{
    /* MinReplicaCount(): spec.min, lowered to spec.max when both are set
     * and min > max; 0 when unset. */
    int64_t mn = 0;
    if (has_min)
        mn = (has_max && min > max) ? max : min;

    /* MaxReplicaCount(): spec.max - MINR, or spec.max itself when min > max
     * (then MINR = MAXR = spec.max); 100 when unset - NOT reduced by MINR,
     * which is KEDA's behaviour, not a typo. */
    int64_t mx = DEFAULT_MAXR;
    if (has_max)
        mx = (has_min && min > max) ? max : max - mn;

    *minr = mn;
    *maxr = mx;
}

enum scale_strategy scaler_strategy_applied(const struct decision_input *in)
{
    /* NewScalingStrategy(): "custom" whose percentage does not parse as a
     * float falls back to the default strategy, whatever the deduction. */
    if (in->strategy == STRAT_CUSTOM && !in->has_percentage)
        return STRAT_DEFAULT;
    return in->strategy;
}

int64_t scaler_effective_max_scale(enum scale_strategy applied,
                                   int64_t deduction, double percentage,
                                   int64_t max_scale, int64_t r_prime,
                                   int64_t pending, int64_t maxr,
                                   int64_t *scale_to, bool *accurate_cap)
{
    if (accurate_cap != NULL)
        *accurate_cap = false;
    /* Each strategy's arithmetic is its ops table's effective()
     * (models/strategy_<sym>.c); an out-of-range value acts as default. */
    const struct strategy_type *t = strategy_type_of(applied);
    if (t == NULL)
        t = &strategy_default;
    const struct strategy_args a = {
        .max_scale = max_scale, .r_prime = r_prime, .pending = pending,
        .maxr = maxr, .deduction = deduction, .percentage = percentage};
    return t->effective(&a, scale_to, accurate_cap);
}

/* Range checks shared by the entry point; see decision.h for the list. */
static bool input_ok(const struct decision_input *in)
{
    if (in->n_triggers > DECISION_MAX_TRIGGERS)
        return false;
    if (in->n_triggers > 0 && in->triggers == NULL)
        return false;
    if (in->running < 0 || in->running > DECISION_COUNT_MAX)
        return false;
    if (in->pending < 0 || in->pending > DECISION_COUNT_MAX)
        return false;
    if (in->has_min && (in->min < 0 || in->min > DECISION_COUNT_MAX))
        return false;
    if (in->has_max && (in->max < 1 || in->max > DECISION_COUNT_MAX))
        return false;
    if (in->has_deduction
        && (in->deduction < INT32_MIN || in->deduction > INT32_MAX))
        return false;
    if (in->has_percentage && !isfinite(in->percentage))
        return false;
    for (size_t i = 0; i < in->n_triggers; i++) {
        const struct decision_trigger *t = &in->triggers[i];
        if (!isfinite(t->queue_length) || t->queue_length < 0.0)
            return false;
        if (!isfinite(t->target) || t->target < 0.0)
            return false;
    }
    return true;
}

/* IsScaledJobActive() up to (not including) the MINR override and the
 * final MAXR clamp: combine the active triggers by calc. Sets out->ql,
 * out->mv, out->active and out->trigger_used. */
static void combine(const struct decision_input *in,
                    struct decision_output *out)
{
    double ql = 0.0, mv = 0.0;
    bool active = false;
    size_t kept = 0;      /* index of the trigger max/min keep */
    bool any_kept = false;
    size_t n_active = 0;

    for (size_t i = 0; i < in->n_triggers; i++) {
        const struct decision_trigger *t = &in->triggers[i];
        double q = t->queue_length;
        if (!t->active)
            continue; /* inactive triggers never count, in every mode */

        switch (in->calc) {
        case CALC_MIN:
            /* The first active trigger is taken while the best is still 0,
             * so an active trigger with QL 0 lets the next one replace it
             * even when that one is larger (Go: queueLength == 0 || ...). */
            if (ql == 0.0 || q < ql) {
                ql = q;
                mv = out->trigger_mv[i];
                active = true;
                kept = i;
                any_kept = true;
            }
            break;
        case CALC_AVG:
        case CALC_SUM:
            ql += q;
            mv += out->trigger_mv[i];
            active = true;
            out->trigger_used[i] = true;
            n_active++;
            break;
        case CALC_MAX:
        default:
            /* Strictly greater than the running best, which starts at 0:
             * ties keep the first, and an active trigger with QL 0 is never
             * selected, so it does not make the ScaledJob active. */
            if (q > ql) {
                ql = q;
                mv = out->trigger_mv[i];
                active = true;
                kept = i;
                any_kept = true;
            }
            break;
        }
    }

    if (in->calc == CALC_AVG && n_active != 0) {
        ql /= (double)n_active;
        mv /= (double)n_active;
    }
    if (any_kept)
        out->trigger_used[kept] = true;

    out->ql = ql;
    out->mv = mv;
    out->active = active;
}

int scaler_decide(const struct decision_input *in,
                  struct decision_output *out)
{
    if (out == NULL)
        return SIM_EINVAL;
    memset(out, 0, sizeof *out);
    if (in == NULL || !input_ok(in))
        return SIM_EINVAL;

    scaler_normalise(in->has_min, in->min, in->has_max, in->max, &out->minr,
                     &out->maxr);
    const double maxr_f = (double)out->maxr; /* exact: maxr <= 2^50 */

    /* Per trigger (scale_handler.go getScaledJobMetrics): maxValue =
     * min(MAXR, QL / T) as float64 when T != 0, else 0. */
    for (size_t i = 0; i < in->n_triggers; i++) {
        const struct decision_trigger *t = &in->triggers[i];
        out->trigger_mv[i] = 0.0;
        if (t->target != 0.0)
            out->trigger_mv[i] = min_f64(maxr_f, t->queue_length / t->target);
    }

    combine(in, out);
    if (out->minr > 0)
        out->active = true; /* MINR > 0 keeps the ScaledJob active */
    out->mv = min_f64(out->mv, maxr_f);
    out->scale_to_ql = ceil_to_i64(out->ql);
    out->scale_to = out->scale_to_ql;
    out->max_scale = ceil_to_i64(out->mv);

    /* getScalingDecision(): below the minimum, top up and ignore the
     * queue; otherwise the strategy sees only the jobs above the minimum. */
    out->applied = scaler_strategy_applied(in);
    int64_t eff;
    if (in->running < out->minr) {
        out->topup = true;
        out->r_prime = 0;
        eff = out->minr - in->running;
        out->scale_to = eff;
    } else {
        out->r_prime = in->running - out->minr;
        int64_t d = in->has_deduction ? in->deduction : 0; /* nil -> 0 */
        double f = in->has_percentage ? in->percentage : 0.0;
        eff = scaler_effective_max_scale(out->applied, d, f, out->max_scale,
                                         out->r_prime, in->pending,
                                         out->maxr, &out->scale_to,
                                         &out->accurate_cap);
    }

    /* RequestJobScale() / createJobs(): clamp, then create
     * min(scaleTo, eff) only when active and eff > 0. */
    out->effective = eff < 0 ? 0 : eff;
    out->create = 0;
    if (out->active && out->effective > 0)
        out->create = min_i64(out->scale_to, out->effective);
    return SIM_OK;
}
