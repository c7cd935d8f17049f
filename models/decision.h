/* models/decision.h - the KEDA ScaledJob scaling decision of one poll, as a
 * pure function of its inputs (no simulation state). Shared by the poll loop
 * (models/scaler.c) and the `burstsim scale-decision` calculator.
 * Source:  kedacore/keda pkg/scaling/scaledjob/metrics.go (queue length,
 *          maxValue, multipleScalersCalculation, ceil once after combining),
 *          pkg/scaling/executor/scale_jobs.go (getScalingDecision,
 *          GetEffectiveMaxScale of each strategy; accurate cap test
 *          `maxScale + R' - P > MAXR` since v2.19, keda#7417),
 *          apis/keda/v1alpha1/scaledjob_types.go (MinReplicaCount /
 *          MaxReplicaCount normalisation). See docs/scaling.md and
 *          docs/model.md section 4 (4.7: KEDA's test vectors).
 * Units:   queue lengths and targets are messages (double, as KEDA's
 *          float64); counts are executions (int64).
 * Threads: pure; no globals. */
#ifndef MODELS_DECISION_H
#define MODELS_DECISION_H

#include "sim/engine/common.h"
#include "models/scenario.h"

#define DECISION_MAX_TRIGGERS 32
/* Largest accepted count (R, P, spec min/max): 2^50, so every int64 sum and
 * difference in the strategies is exact and cannot overflow, and every
 * count converts to double exactly. */
#define DECISION_COUNT_MAX (INT64_C(1) << 50)

/* One trigger (scale rule) as read at this poll. */
struct decision_trigger {
    double queue_length;   /* QL_i: the metric value, messages, >= 0 */
    double target;         /* T_i: target per execution (queueLength /
                              messageCount); 0 = contributes no maxValue */
    bool active;           /* the scaler's activity flag: QL_i >
                              activation threshold (strict) */
};

struct decision_input {
    enum scale_strategy strategy;
    enum multi_calc calc;               /* multipleScalersCalculation */
    const struct decision_trigger *triggers;
    size_t n_triggers;                  /* 0..DECISION_MAX_TRIGGERS */
    bool has_min;  int64_t min;         /* spec minReplicaCount (>= 0) */
    bool has_max;  int64_t max;         /* spec maxReplicaCount (>= 1);
                                           unset -> MAXR 100 */
    int64_t running;                    /* R: unfinished executions, >= 0 */
    int64_t pending;                    /* P: pending executions, 0..R in a
                                           cluster; P > R is accepted (KEDA's
                                           strategy unit tests use it) */
    bool has_deduction; int64_t deduction;   /* custom: queue length
                                                deduction D (nil -> 0) */
    bool has_percentage; double percentage;  /* custom: running job
                                                percentage F; absent ->
                                                strategy falls back to
                                                default */
};

/* Every intermediate value, named as in docs/scaling.md. */
struct decision_output {
    int64_t minr, maxr;          /* normalised min / max */
    double trigger_mv[DECISION_MAX_TRIGGERS]; /* per-trigger maxValue
                                    min(QL_i / T_i, MAXR), 0 when T_i = 0 */
    bool active;                 /* any trigger active, or MINR > 0 */
    double ql;                   /* combined queue length */
    double mv;                   /* combined maxValue, clamped to MAXR */
    int64_t scale_to;            /* ceil(ql), then as returned by strategy */
    int64_t max_scale;           /* ceil(mv) */
    bool topup;                  /* R < MINR branch taken */
    int64_t r_prime;             /* R - MINR (0 in the top-up branch) */
    enum scale_strategy applied; /* strategy actually applied (custom
                                    without percentage -> default) */
    bool accurate_cap;           /* accurate: cap branch taken */
    int64_t effective;           /* max new executions, after max(.,0) */
    int64_t create;              /* executions to create: active && eff > 0
                                    ? min(scale_to, eff) : 0 */
    /* Added with decision.c: */
    int64_t scale_to_ql;         /* ceil(ql) before the branch (scale_to may
                                    then be replaced: top-up MINR - R, eager
                                    MAXR); saturates at INT64_MAX */
    bool trigger_used[DECISION_MAX_TRIGGERS]; /* trigger entered the
                                    combination: the one kept by max/min, or
                                    every active one for avg/sum */
};

/* Compute the decision. Returns 0, or SIM_EINVAL when n_triggers exceeds
 * DECISION_MAX_TRIGGERS or a count is negative (out is then zeroed).
 * Also SIM_EINVAL (added with decision.c): in/out NULL, triggers NULL with
 * n_triggers > 0, a count above DECISION_COUNT_MAX, spec min < 0, spec
 * max < 1, a queue length or target negative or not finite, a deduction
 * outside int32 (KEDA's type), or a percentage that is not finite. */
int scaler_decide(const struct decision_input *in,
                  struct decision_output *out);

/* Min/max normalisation alone (K5): MINR and MAXR from the spec values. */
void scaler_normalise(bool has_min, int64_t min, bool has_max, int64_t max,
                      int64_t *minr, int64_t *maxr);

/* Added with decision.c: one strategy's GetEffectiveMaxScale (K1) alone,
 * for the strategy *as applied* (resolve "custom without percentage" to
 * STRAT_DEFAULT first; see scaler_strategy_applied()). max_scale, r_prime,
 * pending and maxr are the values KEDA passes (maxScale, R - MINR, P,
 * MAXR); deduction (D, 0 when nil) and percentage (F) matter for custom
 * only. *scale_to is read and, for eager, replaced by MAXR. *accurate_cap,
 * if not NULL, is set to whether accurate took its MAXR - R' branch.
 * Returns eff before the max(eff, 0) clamp, so it may be negative.
 * Arguments must be within the ranges scaler_decide() checks. */
int64_t scaler_effective_max_scale(enum scale_strategy applied,
                                   int64_t deduction, double percentage,
                                   int64_t max_scale, int64_t r_prime,
                                   int64_t pending, int64_t maxr,
                                   int64_t *scale_to, bool *accurate_cap);

/* The strategy KEDA's factory (NewScalingStrategy) returns for the input:
 * custom without a (parsable) percentage becomes default. */
enum scale_strategy scaler_strategy_applied(const struct decision_input *in);

#endif
