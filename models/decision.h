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
 *          ../shared/docs/domain.md sections 1 and 2.
 * Units:   queue lengths and targets are messages (double, as KEDA's
 *          float64); counts are executions (int64).
 * Threads: pure; no globals. */
#ifndef MODELS_DECISION_H
#define MODELS_DECISION_H

#include "sim/common.h"
#include "sim/scenario.h"

#define DECISION_MAX_TRIGGERS 32

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
    int64_t pending;                    /* P: pending executions, 0..R */
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
};

/* Compute the decision. Returns 0, or SIM_EINVAL when n_triggers exceeds
 * DECISION_MAX_TRIGGERS or a count is negative (out is then zeroed). */
int scaler_decide(const struct decision_input *in,
                  struct decision_output *out);

/* Min/max normalisation alone (K5): MINR and MAXR from the spec values. */
void scaler_normalise(bool has_min, int64_t min, bool has_max, int64_t max,
                      int64_t *minr, int64_t *maxr);

#endif
