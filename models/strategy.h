/* models/strategy.h - the list of KEDA ScaledJob scaling strategies, in the
 * shape of GSL's gsl_rng_type: one X-macro entry per strategy and per
 * strategy one const ops table (struct strategy_type) in its own file,
 * models/strategy_<sym>.c.
 *
 * STRATEGY_LIST(X) calls X(ID, NAME, SYM, READS_P, KEYS) once per strategy,
 * in enum order:
 *   ID       the enum scale_strategy value (STRAT_...);
 *   NAME     its name in scenario files and in `scale-decision --strategy`
 *            (KEDA scalingStrategy.strategy);
 *   SYM      the suffix of its ops table, strategy_SYM;
 *   READS_P  1 when its arithmetic reads P (pending jobs): the scaler's
 *            poll skipping must then watch P as well as R and the counts;
 *   KEYS     the `scale:` keys (and scale-decision options) that apply only
 *            to it (SK_* bits); a key that does not apply is refused.
 * Source: KEDA pkg/scaling/executor/scale_jobs.go and
 *   pkg/scaling/executor/scaling_strategy (v2.19; docs/model.md).
 * Threads: read-only data only. */
#ifndef MODELS_STRATEGY_H
#define MODELS_STRATEGY_H

#include "sim/engine/common.h"

/* `scale:` keys that apply only to some strategies. */
#define SK_CUSTOM_DEDUCTION (1u << 0)  /* customScalingQueueLengthDeduction */
#define SK_CUSTOM_PERCENTAGE (1u << 1) /* customScalingRunningJobPercentage */

/* X(ID, NAME, SYM, READS_P, KEYS); STRATEGY_LIST_K passes a constant k
 * through to every X call (for STRATEGY_KEY_MASK). */
#define STRATEGY_LIST_K(X, k)                                                 \
    X(k, STRAT_DEFAULT, "default", default, 0, 0u)                           \
    X(k, STRAT_CUSTOM, "custom", custom, 0,                                  \
      SK_CUSTOM_DEDUCTION | SK_CUSTOM_PERCENTAGE)                            \
    X(k, STRAT_ACCURATE, "accurate", accurate, 1, 0u)                        \
    X(k, STRAT_EAGER, "eager", eager, 1, 0u)
#define STRATEGY_X_APPLY(X, id, name, sym, reads_p, keys) \
    X(id, name, sym, reads_p, keys)
#define STRATEGY_LIST(X) STRATEGY_LIST_K(STRATEGY_X_APPLY, X)

#define STRATEGY_X_ENUM(id, name, sym, reads_p, keys) id,
enum scale_strategy { STRATEGY_LIST(STRATEGY_X_ENUM) STRATEGY_COUNT };
#undef STRATEGY_X_ENUM

/* The bit set (1u << strategy) of strategies whose KEYS contain key bit k,
 * a constant expression for key tables. */
#define STRATEGY_X_KMASK(k, id, name, sym, reads_p, keys) \
    | (((keys) & (k)) ? (1u << (id)) : 0u)
#define STRATEGY_KEY_MASK(k) (0u STRATEGY_LIST_K(STRATEGY_X_KMASK, k))

/* True when strategy s reads P (a constant-time table look-up of the
 * list's READS_P); false when s is out of range. */
bool strategy_reads_pending(enum scale_strategy s);

/* The list's KEYS of strategy s: the SK_* bits of the `scale:` keys and
 * scale-decision options that apply only to it; 0 when out of range. */
unsigned strategy_keys(enum scale_strategy s);

/* The numbers one strategy's arithmetic reads (KEDA's names; see
 * docs/scaling.md): maxScale (the queue-derived job count, capped at MAXR),
 * R' (running jobs, clamped), P (pending jobs), MAXR (max replica count),
 * D and F (the custom strategy's deduction and percentage). */
struct strategy_args {
    int64_t max_scale;
    int64_t r_prime;
    int64_t pending;
    int64_t maxr;
    int64_t deduction;
    double percentage;
};

/* One strategy's behaviour. */
struct strategy_type {
    const char *name;
    bool reads_pending;      /* READS_P */
    const char *source;      /* KEDA file and version of the arithmetic */
    /* The effective number of new jobs before clamping at 0 (KEDA's
     * effectiveMaxScale). May set *scale_to (the eager strategy scales to
     * MAXR) and *capped (the accurate strategy's MAXR cap applied);
     * capped may be NULL. */
    int64_t (*effective)(const struct strategy_args *a, int64_t *scale_to,
                         bool *capped);
    /* The formula with the numbers filled in, for `scale-decision`:
     * writes at most n bytes (NUL-terminated) of e.g. "default: maxScale 5
     * - R' 2 = 3" into buf, for result raw and the capped flag. Returns
     * the length snprintf() would have written. */
    int (*explain)(char *buf, size_t n, const struct strategy_args *a,
                   int64_t raw, bool capped);
    /* Non-NULL when effective() replaces scaleTo: why, as `scale-decision`
     * prints it ("eager returns MAXR as scaleTo"). */
    const char *scale_to_why;
};

#define STRATEGY_X_DECL(id, name, sym, reads_p, keys) \
    extern const struct strategy_type strategy_##sym;
STRATEGY_LIST(STRATEGY_X_DECL)
#undef STRATEGY_X_DECL

/* Every strategy's ops table, indexed by enum scale_strategy. */
extern const struct strategy_type *const strategy_types[STRATEGY_COUNT];

/* The ops table of strategy s; NULL when out of range. */
const struct strategy_type *strategy_type_of(enum scale_strategy s);

/* Name as written in scenario files; "?" out of range. */
const char *strategy_name(enum scale_strategy s);

/* NULL-terminated name table in enum order. */
extern const char *const strategy_names[STRATEGY_COUNT + 1];

#endif
