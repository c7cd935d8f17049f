/* tests/unit/test_decision.c - models/decision.c against KEDA's own test
 * vectors (docs/model.md 4.7.1-4.7.4, taken from kedacore/keda scale_jobs_test.go,
 * scale_handler_test.go and scaledjob_types_test.go) and against bound
 * properties over random inputs.
 *
 * The vectors go through scaler_decide(), the function the simulator
 * calls: one trigger with T = 1 and QL = maxScale makes the strategy see
 * the table's maxScale, --running R' with MINR 0 makes it see R', and
 * spec.max = MAXR makes it see MAXR. The strategy vectors are also run
 * through scaler_effective_max_scale() with the table's exact arguments
 * (scaleTo = 1, as KEDA's tests pass it). Checks are named
 * "decision/<group>/<vector>" in failure messages.
 *
 * The property run's seed is fixed (2385) and printed; set
 * BURSTSIM_TEST_SEED=<n> to run it with another (tests/unit/test_util.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_util.h"

#include "models/decision.h"
#include "models/source.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNSET INT64_MIN /* "spec field not set" / "parameter nil" in tables */

/* ---- 4.7.1 strategy vectors -------------------------------------------- */

struct strat_vec {
    int id;                      /* number in docs/model.md 4.7.1 */
    enum scale_strategy strategy;
    int64_t d;                   /* deduction, UNSET = nil */
    const char *f;               /* percentage text, NULL = absent */
    int64_t max_scale, r_prime, pending, maxr;
    int64_t eff;                 /* asserted eff */
    int64_t scale_to;            /* asserted scaleTo out (eager), else -1 */
};

static const struct strat_vec strat_vecs[] = {
    {1, STRAT_DEFAULT, UNSET, NULL, 3, 2, 0, 5, 1, -1},
    {2, STRAT_DEFAULT, UNSET, NULL, 2, 0, 0, 5, 2, -1},
    {3, STRAT_CUSTOM, 1, "0.5", 3, 2, 0, 5, 1, -1},
    {4, STRAT_CUSTOM, 1, "0.5", 10, 0, 0, 10, 9, -1},
    {5, STRAT_CUSTOM, UNSET, "", 3, 2, 0, 5, 1, -1},
    {6, STRAT_CUSTOM, UNSET, "", 2, 0, 0, 5, 2, -1},
    {8, STRAT_CUSTOM, 2, "0", 3, 2, 0, 5, 1, -1},
    {9, STRAT_CUSTOM, -2, "0", 3, 2, 0, 4, 4, -1},
    {10, STRAT_CUSTOM, UNSET, "0.5", 10, 2, 0, 100, 9, -1},
    {11, STRAT_CUSTOM, UNSET, "0.5", 10, 0, 0, 100, 10, -1},
    {12, STRAT_ACCURATE, UNSET, NULL, 3, 2, 0, 5, 3, -1},
    {13, STRAT_ACCURATE, UNSET, NULL, 5, 2, 0, 5, 3, -1},
    {14, STRAT_ACCURATE, UNSET, NULL, 3, 4, 2, 10, 1, -1},
    {15, STRAT_ACCURATE, UNSET, NULL, 5, 4, 2, 5, 1, -1},
    {20, STRAT_EAGER, UNSET, NULL, 4, 3, 0, 10, 4, 10},
    {21, STRAT_EAGER, UNSET, NULL, 4, 0, 3, 10, 4, 10},
    {22, STRAT_EAGER, UNSET, NULL, 4, 7, 0, 10, 3, 10},
    {23, STRAT_EAGER, UNSET, NULL, 4, 1, 6, 10, 3, 10},
    {24, STRAT_EAGER, UNSET, NULL, 15, 0, 0, 10, 10, 10},
};

/* The percentage as KEDA's factory sees it: "" does not parse (absent). */
static bool vec_percentage(const char *f, double *out)
{
    if (f == NULL || f[0] == '\0')
        return false;
    *out = strtod(f, NULL);
    return true;
}

/* Fill in for a single-trigger decision (QL, T, active = QL > 0). */
static void one_trigger(struct decision_input *in,
                        struct decision_trigger *t, double ql, double target)
{
    t->queue_length = ql;
    t->target = target;
    t->active = ql > 0.0;
    in->triggers = t;
    in->n_triggers = 1;
}

static void test_strategy_vectors_decide(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof strat_vecs / sizeof *strat_vecs; k++) {
        const struct strat_vec *v = &strat_vecs[k];
        struct decision_trigger t;
        struct decision_input in = {.strategy = v->strategy,
                                    .calc = CALC_MAX};
        one_trigger(&in, &t, (double)v->max_scale, 1.0);
        /* MAXR 100 is also what an unset max gives: exercise that path. */
        in.has_max = v->maxr != 100;
        in.max = v->maxr;
        in.running = v->r_prime;
        in.pending = v->pending;
        in.has_deduction = v->d != UNSET;
        in.deduction = v->d == UNSET ? 0 : v->d;
        in.has_percentage = vec_percentage(v->f, &in.percentage);

        struct decision_output o;
        if (scaler_decide(&in, &o) != SIM_OK)
            fail_msg("decision/strategy/%d: scaler_decide failed", v->id);
        if (o.maxr != v->maxr || o.minr != 0 || o.r_prime != v->r_prime)
            fail_msg("decision/strategy/%d: MAXR %" PRId64 " R' %" PRId64,
                     v->id, o.maxr, o.r_prime);
        /* maxScale is clamped to MAXR before the strategy (vector 24
         * passes 15 > MAXR 10 directly; here the strategy sees 10, and
         * eff is 10 either way). */
        int64_t ms = v->max_scale < v->maxr ? v->max_scale : v->maxr;
        if (o.max_scale != ms)
            fail_msg("decision/strategy/%d: maxScale %" PRId64 " want %"
                     PRId64, v->id, o.max_scale, ms);
        if (o.effective != v->eff)
            fail_msg("decision/strategy/%d: eff %" PRId64 " want %" PRId64,
                     v->id, o.effective, v->eff);
        if (v->scale_to >= 0 && o.scale_to != v->scale_to)
            fail_msg("decision/strategy/%d: scaleTo %" PRId64 " want %"
                     PRId64, v->id, o.scale_to, v->scale_to);
        /* create = min(scaleTo, eff); scaleTo = ceil(QL) = maxScale here,
         * so vector 9 (eff 4 from D = -2) creates only 3. */
        int64_t want_create = o.scale_to < v->eff ? o.scale_to : v->eff;
        if (o.create != want_create)
            fail_msg("decision/strategy/%d: create %" PRId64, v->id,
                     o.create);
        enum scale_strategy want = v->strategy;
        if (v->strategy == STRAT_CUSTOM && !in.has_percentage)
            want = STRAT_DEFAULT;
        if (o.applied != want)
            fail_msg("decision/strategy/%d: applied %d", v->id,
                     (int)o.applied);
    }
}

static void test_strategy_vectors_direct(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof strat_vecs / sizeof *strat_vecs; k++) {
        const struct strat_vec *v = &strat_vecs[k];
        struct decision_input in = {.strategy = v->strategy};
        in.has_percentage = vec_percentage(v->f, &in.percentage);
        enum scale_strategy applied = scaler_strategy_applied(&in);
        int64_t scale_to = 1; /* as KEDA's unit tests pass it */
        int64_t eff = scaler_effective_max_scale(
            applied, v->d == UNSET ? 0 : v->d, in.percentage, v->max_scale,
            v->r_prime, v->pending, v->maxr, &scale_to, NULL);
        if (eff != v->eff)
            fail_msg("decision/strategy-direct/%d: eff %" PRId64 " want %"
                     PRId64, v->id, eff, v->eff);
        int64_t want_st = v->scale_to >= 0 ? v->scale_to : 1;
        if (scale_to != want_st)
            fail_msg("decision/strategy-direct/%d: scaleTo %" PRId64,
                     v->id, scale_to);
    }
}

/* Vector 7: custom with D = 1 and F = "" - the factory returns default. */
static void test_strategy_vector7_fallback(void **state)
{
    (void)state;
    struct decision_input in = {.strategy = STRAT_CUSTOM,
                                .has_deduction = true, .deduction = 1,
                                .has_percentage = false};
    assert_int_equal(scaler_strategy_applied(&in), STRAT_DEFAULT);

    /* And a decision with it equals the default strategy's (3 - 2 = 1,
     * where custom with F = 0 would give 3 - 1 - 0 = 2). */
    struct decision_trigger t;
    one_trigger(&in, &t, 3.0, 1.0);
    in.has_max = true;
    in.max = 5;
    in.running = 2;
    struct decision_output o;
    assert_int_equal(scaler_decide(&in, &o), SIM_OK);
    assert_int_equal(o.applied, STRAT_DEFAULT);
    assert_int_equal(o.effective, 1);
    assert_int_equal(o.create, 1);
}

/* Old (pre-v2.19) vs new accurate cap test: P now enters the comparison. */
static void test_accurate_cap_uses_pending(void **state)
{
    (void)state;
    bool cap;
    int64_t st = 1;
    /* maxScale 6, R' 5, P 3, MAXR 10: old 6 + 5 > 10 -> 10 - 5 = 5;
     * new 6 + 5 - 3 = 8 <= 10 -> 6 - 3 = 3. */
    int64_t eff = scaler_effective_max_scale(STRAT_ACCURATE, 0, 0.0, 6, 5, 3,
                                             10, &st, &cap);
    assert_int_equal(eff, 3);
    assert_false(cap);
    eff = scaler_effective_max_scale(STRAT_ACCURATE, 0, 0.0, 6, 5, 0, 10, &st,
                                     &cap);
    assert_int_equal(eff, 5);
    assert_true(cap);
}

/* docs/model.md 4.3: custom caps new jobs at MAXR, not the total. */
static void test_custom_can_exceed_maxr(void **state)
{
    (void)state;
    struct decision_trigger t;
    struct decision_input in = {.strategy = STRAT_CUSTOM,
                                .has_deduction = true, .deduction = 0,
                                .has_percentage = true, .percentage = 0.0,
                                .has_max = true, .max = 10, .running = 5};
    one_trigger(&in, &t, 10.0, 1.0);
    struct decision_output o;
    assert_int_equal(scaler_decide(&in, &o), SIM_OK);
    assert_int_equal(o.create, 10); /* total 15 > MAXR 10 */

    /* trunc toward zero for negative products: R' 3 x -0.5 = -1.5 -> -1. */
    int64_t st = 1;
    assert_int_equal(scaler_effective_max_scale(STRAT_CUSTOM, 0, -0.5, 4, 3,
                                                0, 100, &st, NULL),
                     5);
    /* and for positive ones: 3 x 0.9 = 2.7 -> 2. */
    assert_int_equal(scaler_effective_max_scale(STRAT_CUSTOM, 0, 0.9, 4, 3,
                                                0, 100, &st, NULL),
                     2);
}

/* ---- 4.7.2 minReplicaCount decisions ----------------------------------- */

static void test_min_replica_vectors(void **state)
{
    (void)state;
    static const struct {
        int64_t min, r, scale_to_in, max_scale, p, eff, scale_to_out;
    } v[] = {
        {2, 0, 0, 0, 0, 2, 2},
        {2, 1, 0, 0, 0, 1, 1},
        {1, 1, 2, 2, 0, 2, 2},
    };
    for (size_t k = 0; k < sizeof v / sizeof *v; k++) {
        struct decision_trigger t;
        struct decision_input in = {.strategy = STRAT_DEFAULT,
                                    .has_min = true, .min = v[k].min,
                                    .has_max = true, .max = 100,
                                    .running = v[k].r, .pending = v[k].p};
        one_trigger(&in, &t, (double)v[k].scale_to_in, 1.0);
        struct decision_output o;
        assert_int_equal(scaler_decide(&in, &o), SIM_OK);
        if (o.scale_to_ql != v[k].scale_to_in
            || o.max_scale != v[k].max_scale)
            fail_msg("decision/minreplica/%zu: inputs scaleTo %" PRId64
                     " maxScale %" PRId64, k + 1, o.scale_to_ql,
                     o.max_scale);
        if (o.effective != v[k].eff || o.scale_to != v[k].scale_to_out)
            fail_msg("decision/minreplica/%zu: eff %" PRId64 " scaleTo %"
                     PRId64, k + 1, o.effective, o.scale_to);
        assert_true(o.active); /* MINR > 0 */
        assert_int_equal(o.create, v[k].eff);
        assert_int_equal(o.topup, v[k].r < v[k].min);
    }
}

/* ---- 4.7.3 multi-trigger combination ----------------------------------- */

static const struct decision_trigger four[] = {
    {20.0, 1.0, true}, {10.0, 2.0, true}, {5.0, 3.0, true}, {7.0, 4.0, false},
};

static void combo(enum multi_calc calc, bool has_min, int64_t min,
                  const struct decision_trigger *t, size_t n,
                  struct decision_output *o)
{
    struct decision_input in = {.strategy = STRAT_DEFAULT, .calc = calc,
                                .triggers = t, .n_triggers = n,
                                .has_min = has_min, .min = min,
                                .has_max = true, .max = 100};
    assert_int_equal(scaler_decide(&in, o), SIM_OK);
}

static void test_multi_trigger_vectors(void **state)
{
    (void)state;
    struct decision_output o;

    combo(CALC_MAX, true, 0, four, 4, &o);
    assert_true(o.active);
    assert_int_equal(o.scale_to_ql, 20);
    assert_int_equal(o.max_scale, 20);
    assert_true(o.trigger_used[0] && !o.trigger_used[1]);

    combo(CALC_MIN, true, 0, four, 4, &o);
    assert_true(o.active);
    assert_int_equal(o.scale_to_ql, 5);
    assert_int_equal(o.max_scale, 2); /* ceil(5/3 = 1.67) */
    assert_true(o.trigger_used[2] && !o.trigger_used[3]);

    /* Single trigger, spec.min 1, spec.max 100 (MAXR 99). */
    const struct decision_trigger one = {20.0, 2.0, true};
    combo(CALC_MAX, true, 1, &one, 1, &o);
    assert_int_equal(o.maxr, 99);
    assert_true(o.active);
    assert_int_equal(o.scale_to_ql, 20);
    assert_int_equal(o.max_scale, 10);

    /* Single trigger, spec.min 1, QL 0: active forced by MINR > 0. */
    const struct decision_trigger zero = {0.0, 1.0, false};
    combo(CALC_MAX, true, 1, &zero, 1, &o);
    assert_true(o.active);
    assert_int_equal(o.scale_to_ql, 0);
    assert_int_equal(o.max_scale, 0);
}

/* Beyond the table, from the formulas: avg and sum ceil once, after
 * combining the active triggers only. */
static void test_avg_sum_ceil_once(void **state)
{
    (void)state;
    struct decision_output o;
    combo(CALC_AVG, false, 0, four, 4, &o);
    assert_true(o.active);
    assert_int_equal(o.scale_to_ql, 12); /* ceil(35/3 = 11.67) */
    assert_int_equal(o.max_scale, 9);    /* ceil((20+5+1.67)/3 = 8.89) */
    combo(CALC_SUM, false, 0, four, 4, &o);
    assert_int_equal(o.scale_to_ql, 35);
    assert_int_equal(o.max_scale, 27);   /* ceil(20 + 5 + 1.67 = 26.67) */
    /* where a per-term ceil would differ: 3 x (1/3) -> 1, not 3 */
    const struct decision_trigger thirds[] = {
        {1.0, 3.0, true}, {1.0, 3.0, true}, {1.0, 3.0, true}};
    combo(CALC_SUM, false, 0, thirds, 3, &o);
    assert_int_equal(o.max_scale, 1);
}

static void test_combination_edges(void **state)
{
    (void)state;
    struct decision_output o;

    /* max: ties keep the first. */
    const struct decision_trigger tie[] = {{4.0, 1.0, true},
                                           {4.0, 2.0, true}};
    combo(CALC_MAX, false, 0, tie, 2, &o);
    assert_true(o.trigger_used[0] && !o.trigger_used[1]);
    assert_int_equal(o.max_scale, 4);

    /* max: an active trigger with QL 0 is never selected -> not active. */
    const struct decision_trigger z = {0.0, 1.0, true};
    combo(CALC_MAX, false, 0, &z, 1, &o);
    assert_false(o.active);
    assert_int_equal(o.create, 0);
    /* but sum includes it. */
    combo(CALC_SUM, false, 0, &z, 1, &o);
    assert_true(o.active);
    assert_int_equal(o.create, 0);

    /* min: a QL-0 active trigger is replaced by the next active one. */
    const struct decision_trigger mz[] = {{0.0, 1.0, true},
                                          {6.0, 1.0, true},
                                          {8.0, 1.0, true}};
    combo(CALC_MIN, false, 0, mz, 3, &o);
    assert_int_equal(o.scale_to_ql, 6);
    assert_true(o.trigger_used[1]);

    /* inactive triggers are ignored even with the largest QL. */
    const struct decision_trigger in2[] = {{50.0, 1.0, false},
                                           {3.0, 1.0, true}};
    combo(CALC_MAX, false, 0, in2, 2, &o);
    assert_int_equal(o.scale_to_ql, 3);
    assert_int_equal(o.create, 3);

    /* T = 0: the trigger contributes no maxValue, so nothing is made. */
    const struct decision_trigger t0 = {9.0, 0.0, true};
    combo(CALC_MAX, false, 0, &t0, 1, &o);
    assert_true(o.active);
    assert_int_equal(o.max_scale, 0);
    assert_int_equal(o.create, 0);

    /* T < 1: scaleTo = ceil(QL) is below maxScale and bounds create. */
    const struct decision_trigger half = {2.0, 0.5, true};
    combo(CALC_MAX, false, 0, &half, 1, &o);
    assert_int_equal(o.max_scale, 4);
    assert_int_equal(o.effective, 4);
    assert_int_equal(o.create, 2);

    /* Decimal QL: ceil once. */
    const struct decision_trigger dec = {2.385, 1.0, true};
    combo(CALC_MAX, false, 0, &dec, 1, &o);
    assert_int_equal(o.scale_to_ql, 3);
    assert_int_equal(o.max_scale, 3);
}

/* ---- 4.7.4 normalisation ----------------------------------------------- */

static void test_normalise_vectors(void **state)
{
    (void)state;
    static const struct { int64_t max, min, maxr, minr; } v[] = {
        {10, 0, 10, 0},         {10, UNSET, 10, 0}, {10, 1, 9, 1},
        {UNSET, 1, 100, 1},     {UNSET, UNSET, 100, 0}, {1, 10, 1, 1},
    };
    for (size_t k = 0; k < sizeof v / sizeof *v; k++) {
        bool hmin = v[k].min != UNSET, hmax = v[k].max != UNSET;
        int64_t minr = -1, maxr = -1;
        scaler_normalise(hmin, v[k].min, hmax, v[k].max, &minr, &maxr);
        if (minr != v[k].minr || maxr != v[k].maxr)
            fail_msg("decision/normalise/%zu: MINR %" PRId64 " MAXR %" PRId64,
                     k + 1, minr, maxr);
        /* and the same through scaler_decide */
        struct decision_trigger t;
        struct decision_input in = {.has_min = hmin, .min = v[k].min,
                                    .has_max = hmax, .max = v[k].max};
        one_trigger(&in, &t, 1.0, 1.0);
        struct decision_output o;
        assert_int_equal(scaler_decide(&in, &o), SIM_OK);
        if (o.minr != v[k].minr || o.maxr != v[k].maxr)
            fail_msg("decision/normalise-decide/%zu", k + 1);
    }
}

/* ---- errors ------------------------------------------------------------ */

static void test_invalid_inputs(void **state)
{
    (void)state;
    struct decision_trigger t = {1.0, 1.0, true};
    struct decision_input ok = {.triggers = &t, .n_triggers = 1};
    struct decision_output o;
    assert_int_equal(scaler_decide(&ok, &o), SIM_OK);
    assert_int_equal(scaler_decide(NULL, &o), SIM_EINVAL);
    assert_int_equal(scaler_decide(&ok, NULL), SIM_EINVAL);

    struct decision_input in;
#define BAD(field_assign)                                                      \
    do {                                                                       \
        in = ok;                                                               \
        field_assign;                                                          \
        o.create = 77;                                                         \
        assert_int_equal(scaler_decide(&in, &o), SIM_EINVAL);                  \
        assert_int_equal(o.create, 0); /* zeroed */                            \
    } while (0)
    BAD(in.n_triggers = DECISION_MAX_TRIGGERS + 1);
    BAD(in.triggers = NULL);
    BAD(in.running = -1);
    BAD(in.pending = -1);
    BAD(in.running = DECISION_COUNT_MAX + 1);
    BAD((in.has_min = true, in.min = -1));
    BAD((in.has_max = true, in.max = 0));
    BAD((in.has_deduction = true, in.deduction = INT64_C(1) << 31));
    BAD((in.has_percentage = true, in.percentage = (double)INFINITY));
    BAD((in.has_percentage = true, in.percentage = (double)NAN));
#undef BAD
    struct decision_trigger bad[] = {{-1.0, 1.0, true}, {(double)NAN, 1.0, true},
                                     {1.0, -1.0, true}, {1.0, (double)INFINITY, true}};
    for (size_t k = 0; k < 4; k++) {
        in = ok;
        in.triggers = &bad[k];
        assert_int_equal(scaler_decide(&in, &o), SIM_EINVAL);
    }
    /* zero triggers is fine: nothing active, nothing created */
    in = ok;
    in.n_triggers = 0;
    in.triggers = NULL;
    assert_int_equal(scaler_decide(&in, &o), SIM_OK);
    assert_false(o.active);
    assert_int_equal(o.create, 0);
}

/* ---- properties over random inputs ------------------------------------- */

/* xorshift64*: small, seedable, no global state. */
static uint64_t rnd(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * UINT64_C(2685821657736338717);
}
static int64_t rnd_int(uint64_t *s, int64_t lo, int64_t hi) /* [lo, hi] */
{
    return lo + (int64_t)(rnd(s) % (uint64_t)(hi - lo + 1));
}
static double rnd_unit(uint64_t *s) /* [0, 1) */
{
    return (double)(rnd(s) >> 11) * 0x1.0p-53;
}

static double rnd_ql(uint64_t *s)
{
    switch (rnd_int(s, 0, 3)) {
    case 0: return 0.0;
    case 1: return (double)rnd_int(s, 0, 40);
    case 2: return rnd_unit(s) * 40.0;
    default: return (double)rnd_int(s, 0, 400);
    }
}

static double rnd_target(uint64_t *s)
{
    static const double t[] = {0.0, 0.5, 1.0, 1.0, 2.0, 3.0, 5.0, 2.385};
    if (rnd_int(s, 0, 5) == 0)
        return rnd_unit(s) * 10.0;
    return t[rnd_int(s, 0, 7)];
}

static void random_input(uint64_t *s, struct decision_input *in,
                         struct decision_trigger *t)
{
    memset(in, 0, sizeof *in);
    in->strategy = (enum scale_strategy)rnd_int(s, 0, 3);
    in->calc = (enum multi_calc)rnd_int(s, 0, 3);
    in->n_triggers = (size_t)rnd_int(s, 0, 4);
    for (size_t i = 0; i < in->n_triggers; i++) {
        t[i].queue_length = rnd_ql(s);
        t[i].target = rnd_target(s);
        t[i].active = rnd_int(s, 0, 3) == 0 ? rnd_int(s, 0, 1) == 1
                                            : t[i].queue_length > 0.0;
    }
    in->triggers = t;
    in->has_min = rnd_int(s, 0, 1) == 1;
    in->min = rnd_int(s, 0, 15);
    in->has_max = rnd_int(s, 0, 9) < 7;
    in->max = rnd_int(s, 1, 30);
    in->running = rnd_int(s, 0, 40);
    in->pending = rnd_int(s, 0, 3) == 0 ? rnd_int(s, 0, 45)
                                        : rnd_int(s, 0, in->running);
    in->has_deduction = rnd_int(s, 0, 1) == 1;
    in->deduction = rnd_int(s, -5, 5);
    in->has_percentage = rnd_int(s, 0, 2) != 0;
    in->percentage = rnd_unit(s) * 3.0 - 1.0;
}

static int64_t max_i64(int64_t a, int64_t b) { return a > b ? a : b; }

static void test_properties(void **state)
{
    (void)state;
    /* test_seed_or() never returns 0: the xorshift state is non-zero. */
    uint64_t seed = test_seed_or("decision/properties", TEST_SEED_DEFAULT);
    uint64_t s = seed;

    const int n = 100000;
    int64_t checked[4] = {0};
    for (int it = 0; it < n; it++) {
        struct decision_trigger t[DECISION_MAX_TRIGGERS];
        struct decision_input in;
        struct decision_output o;
        random_input(&s, &in, t);
        if (scaler_decide(&in, &o) != SIM_OK)
            fail_msg("decision/properties: iteration %d failed (seed %"
                     PRIu64 ")", it, seed);

        bool any_active = false;
        for (size_t i = 0; i < in.n_triggers; i++)
            any_active = any_active || t[i].active;
        int64_t rp = o.r_prime, c = o.create;
        bool above = in.running >= o.minr; /* not the top-up branch */

#define PROP(cond, name)                                                       \
    do {                                                                       \
        if (!(cond))                                                           \
            fail_msg("decision/properties/%s: iteration %d (seed %" PRIu64    \
                     "): strategy %d R %" PRId64 " P %" PRId64 " MINR %"       \
                     PRId64 " MAXR %" PRId64 " maxScale %" PRId64 " create %"  \
                     PRId64, name, it, seed, (int)in.strategy, in.running,    \
                     in.pending, o.minr, o.maxr, o.max_scale, c);              \
    } while (0)
        PROP(c >= 0 && c <= o.scale_to, "create-le-scale-to");
        PROP(c <= o.effective && o.effective >= 0, "create-le-effective");
        PROP(o.max_scale >= 0 && o.max_scale <= o.maxr, "max-scale-le-maxr");
        PROP(o.topup == !above, "topup-iff-below-min");
        if (!any_active && o.minr == 0)
            PROP(c == 0 && !o.active, "inactive-creates-nothing");
        if (above && o.applied == STRAT_DEFAULT) {
            PROP(rp + c <= max_i64(rp, o.maxr), "default-bound");
            checked[0]++;
        }
        if (above && o.applied == STRAT_EAGER) {
            PROP(rp + c <= max_i64(rp, o.maxr - in.pending), "eager-bound");
            checked[1]++;
        }
        /* The brief's form, R' + create - P <= MAXR, fails when R' - P
         * already exceeds MAXR before the poll (nothing is created then);
         * the bound holds in the same max() form as the others. */
        if (above && o.applied == STRAT_ACCURATE && in.pending <= rp) {
            PROP(rp + c - in.pending <= max_i64(rp - in.pending, o.maxr),
                 "accurate-bound");
            if (c > 0)
                PROP(rp + c - in.pending <= o.maxr, "accurate-bound-created");
            checked[2]++;
        }
        if (o.topup)
            PROP(c == o.minr - in.running, "topup-creates-minr-minus-r");
#undef PROP
        checked[3]++;
    }
    printf("decision/properties: %" PRId64 " inputs; bounds checked: "
           "default %" PRId64 ", eager %" PRId64 ", accurate %" PRId64 "\n",
           checked[3], checked[0], checked[1], checked[2]);
    assert_true(checked[0] > 1000 && checked[1] > 1000 && checked[2] > 1000);
}

/* ---- the lists: every entry has a complete ops table ------------------- */

/* Every strategy of STRATEGY_LIST has a complete ops table whose name and
 * READS_P agree with the list, and names round-trip. */
static void test_strategy_list_complete(void **state)
{
    (void)state;
    for (int i = 0; i < STRATEGY_COUNT; i++) {
        const struct strategy_type *t =
            strategy_type_of((enum scale_strategy)i);
        if (t == NULL || t != strategy_types[i] || t->name == NULL ||
            t->source == NULL || t->source[0] == '\0' ||
            t->effective == NULL || t->explain == NULL)
            fail_msg("strategy/list/%d: incomplete ops table", i);
        assert_string_equal(t->name, strategy_names[i]);
        assert_string_equal(strategy_name((enum scale_strategy)i), t->name);
        assert_int_equal(t->reads_pending,
                         strategy_reads_pending((enum scale_strategy)i));
        /* explain writes something, and says how long it is */
        struct strategy_args a = {.max_scale = 5, .r_prime = 2, .pending = 1,
                                  .maxr = 10, .deduction = 1,
                                  .percentage = 0.5};
        char buf[200];
        int n = t->explain(buf, sizeof buf, &a, 3, false);
        assert_true(n > 0 && (size_t)n == strlen(buf));
        assert_int_equal(strncmp(buf, t->name, strlen(t->name)), 0);
    }
    assert_null(strategy_names[STRATEGY_COUNT]);
    assert_null(strategy_type_of(STRATEGY_COUNT));
    assert_string_equal(strategy_name(STRATEGY_COUNT), "?");
    assert_false(strategy_reads_pending(STRATEGY_COUNT));
    assert_int_equal(strategy_keys(STRATEGY_COUNT), 0);
    /* what the scaler's poll skipping and the key masks rely on (today's
     * "uses_p" test in models/scaler.c and the custom-only keys) */
    assert_false(strategy_reads_pending(STRAT_DEFAULT));
    assert_false(strategy_reads_pending(STRAT_CUSTOM));
    assert_true(strategy_reads_pending(STRAT_ACCURATE));
    assert_true(strategy_reads_pending(STRAT_EAGER));
    assert_int_equal(STRATEGY_KEY_MASK(SK_CUSTOM_DEDUCTION),
                     1u << STRAT_CUSTOM);
    assert_int_equal(STRATEGY_KEY_MASK(SK_CUSTOM_PERCENTAGE),
                     1u << STRAT_CUSTOM);
    /* only eager replaces scaleTo */
    for (int i = 0; i < STRATEGY_COUNT; i++)
        assert_int_equal(strategy_types[i]->scale_to_why != NULL,
                         i == STRAT_EAGER);
}

/* Every broker kind of BROKER_LIST has a complete ops table; names, rule
 * types and kinds round-trip; visibility and metric are today's source.c
 * rules (the lock or visibility of the kind; the 32-message Peek of
 * azure-queue visibleonly). */
static void test_broker_list_complete(void **state)
{
    (void)state;
    for (int i = 0; i < BROKER_COUNT; i++) {
        const struct broker_type *t = broker_type_of((enum source_kind)i);
        if (t == NULL || t != broker_types[i] || t->name == NULL ||
            t->rule_type == NULL || t->source == NULL ||
            t->source[0] == '\0' || t->visibility_us == NULL ||
            t->metric == NULL)
            fail_msg("broker/list/%d: incomplete ops table", i);
        assert_string_equal(t->name, broker_names[i]);
        assert_string_equal(broker_name((enum source_kind)i), t->name);
        enum rule_type r = broker_rule_of((enum source_kind)i);
        assert_string_equal(t->rule_type, broker_rule_type_names[r]);
        assert_string_equal(broker_rule_type_name(r), t->rule_type);
        assert_int_equal(broker_of_rule(r), i);
    }
    assert_null(broker_names[BROKER_COUNT]);
    assert_null(broker_rule_type_names[RULE_TYPE_COUNT]);
    assert_null(broker_type_of(BROKER_COUNT));
    assert_string_equal(broker_name(BROKER_COUNT), "?");
    assert_string_equal(broker_rule_type_name(RULE_TYPE_COUNT), "?");
    assert_int_equal(broker_of_rule(RULE_TYPE_COUNT), BROKER_COUNT);
    assert_int_equal(broker_rule_of(BROKER_COUNT), RULE_TYPE_COUNT);
    assert_int_equal(broker_rule_of(SRC_STORAGE_QUEUE), RULE_AZURE_QUEUE);
    assert_int_equal(broker_rule_of(SRC_SERVICE_BUS), RULE_AZURE_SERVICEBUS);
    assert_int_equal(BROKER_SOURCE_KEY_MASK(BK_VISIBILITY_TIMEOUT),
                     1u << SRC_STORAGE_QUEUE);
    assert_int_equal(BROKER_SOURCE_KEY_MASK(BK_LOCK_DURATION),
                     1u << SRC_SERVICE_BUS);
    assert_int_equal(BROKER_RULE_KEY_MASK(RK_QUEUE_LENGTH_STRATEGY),
                     1u << RULE_AZURE_QUEUE);

    struct scn_source cfg = {.visibility_timeout_us = 30000000,
                             .lock_duration_us = 60000000};
    assert_int_equal(broker_storage_queue.visibility_us(&cfg), 30000000);
    assert_int_equal(broker_service_bus.visibility_us(&cfg), 60000000);

    /* the metric, for each kind with its own rule type, equals
     * source_count() on a grid of counts around Peek's 32 */
    for (int64_t vis = 0; vis <= 40; vis += 4) {
        for (int64_t fl = 0; fl <= 9; fl += 3) {
            struct count_snap c = {0, vis, fl};
            struct scn_rule all = {.type = RULE_AZURE_QUEUE,
                                   .queue_length_strategy = QLS_ALL};
            struct scn_rule vo = {.type = RULE_AZURE_QUEUE,
                                  .queue_length_strategy = QLS_VISIBLEONLY};
            struct scn_rule sb = {.type = RULE_AZURE_SERVICEBUS};
            assert_int_equal(broker_storage_queue.metric(&c, &all), vis + fl);
            assert_int_equal(broker_storage_queue.metric(&c, &vo),
                             vis < 32 ? vis : vis + fl);
            assert_int_equal(broker_service_bus.metric(&c, &sb), vis + fl);
            const struct scn_rule *rs[] = {&all, &vo, &sb};
            for (size_t k = 0; k < 3; k++) {
                const struct broker_type *t =
                    broker_type_of(broker_of_rule(rs[k]->type));
                assert_int_equal(t->metric(&c, rs[k]),
                                 source_count(&c, rs[k]));
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strategy_vectors_decide),
        cmocka_unit_test(test_strategy_vectors_direct),
        cmocka_unit_test(test_strategy_vector7_fallback),
        cmocka_unit_test(test_accurate_cap_uses_pending),
        cmocka_unit_test(test_custom_can_exceed_maxr),
        cmocka_unit_test(test_min_replica_vectors),
        cmocka_unit_test(test_multi_trigger_vectors),
        cmocka_unit_test(test_avg_sum_ceil_once),
        cmocka_unit_test(test_combination_edges),
        cmocka_unit_test(test_normalise_vectors),
        cmocka_unit_test(test_invalid_inputs),
        cmocka_unit_test(test_properties),
        cmocka_unit_test(test_strategy_list_complete),
        cmocka_unit_test(test_broker_list_complete),
    };
    return cmocka_run_group_tests_name("decision", tests, NULL, NULL);
}
