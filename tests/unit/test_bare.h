/* tests/unit/test_bare.h - the bare-engine fixture for the per-model unit
 * tests (issue 10, section 4): an engine with only the handlers the model
 * under test needs, a metrics recorder, and fake neighbours that record
 * every notification (with the clock at the call) and optionally forward
 * it to a real model, as models/world.c would. No world, no scenario file:
 * the tests build the scn_* structs in C.
 *
 * Time: bare_run(b, t) runs every event at or before t, then sets the clock
 * to t, so a test's own calls at t come after the events of t.
 * Seeds: bare_seed() is the property tests' seed, a fixed default unless
 * BURSTSIM_TEST_SEED is set; it prints "seed: N"; bare_seeded_rng() gives
 * a generator seeded with it.
 * Include after <cmocka.h>. */
#ifndef TEST_BARE_H
#define TEST_BARE_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "models/downstream.h"
#include "models/events.h"
#include "models/execution.h"
#include "models/metrics.h"
#include "models/nodes.h"
#include "models/source.h"
#include "sim/engine/engine.h"

#define SEC(x) ((sim_time)((x) * 1000000LL)) /* whole seconds -> us */

/* The notifications a fake neighbour records. */
enum bare_hook { H_COUNTS, H_AVAILABLE, H_STATE, H_ADMITTED, H_PLACED };

struct bare_call {
    enum bare_hook hook;
    sim_time now;      /* the clock when it was called */
    sim_time seen_at;  /* H_COUNTS */
    uint32_t who;      /* H_ADMITTED, H_PLACED */
    int64_t node;      /* H_PLACED */
};

#define BARE_MAX_CALLS 4096

struct bare {
    struct engine eng;
    struct metrics met;
    struct diag d;
    struct dist duration;     /* job.duration for source_put(NAN) */
    gsl_rng *rng;             /* for every stream the models take */
    struct bare_call calls[BARE_MAX_CALLS];
    int n_calls;
    /* When set, message_available / admitted / placed are forwarded to
     * these executions, as the world wires them. */
    struct executions *ex;
};

static inline void bare_init(struct bare *b)
{
    memset(b, 0, sizeof *b);
    assert_int_equal(engine_init(&b->eng, 64), 0);
    assert_int_equal(metrics_init(&b->met, 0, (double)INFINITY), 0);
    diag_init(&b->d);
    dist_set_fixed(&b->duration, 1.0);
    b->rng = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(b->rng);
    gsl_rng_set(b->rng, 1);
}

static inline void bare_fini(struct bare *b)
{
    gsl_rng_free(b->rng);
    metrics_fini(&b->met);
    engine_fini(&b->eng);
}

/* Register handler fn for kind with the kind's value as its priority, the
 * order of models/events.h (as models/world.c does). */
static inline void bare_on(struct bare *b, enum ev_kind kind,
                           engine_handler fn, void *model)
{
    assert_int_equal(engine_on(&b->eng, (uint32_t)kind, (int32_t)kind, fn,
                               model, "bare"),
                     0);
}

/* Run every event at or before t, then move the clock to t. */
static inline void bare_run(struct bare *b, sim_time t)
{
    assert_true(engine_run_until(&b->eng, t, &b->d) >= 0);
    assert_true(t >= b->eng.now);
    b->eng.now = t;
}

/* The time of the earliest pending event, its kind in *kind; -1 when
 * none is pending. */
static inline sim_time bare_next_event(const struct bare *b, uint32_t *kind)
{
    struct event ev;
    if (!evq_peek(b->eng.q, &ev))
        return -1;
    if (kind != NULL)
        *kind = ev.kind;
    return ev.time;
}

static inline struct bare_call *bare_push(struct bare *b, enum bare_hook h)
{
    assert_true(b->n_calls < BARE_MAX_CALLS);
    struct bare_call *c = &b->calls[b->n_calls++];
    memset(c, 0, sizeof *c);
    c->hook = h;
    c->now = b->eng.now;
    return c;
}

/* How many calls of hook h were recorded. */
static inline int bare_count(const struct bare *b, enum bare_hook h)
{
    int n = 0;
    for (int i = 0; i < b->n_calls; i++)
        n += b->calls[i].hook == h;
    return n;
}

/* The k-th (0-based) call of hook h; fails the test when there is none. */
static inline const struct bare_call *bare_nth(const struct bare *b,
                                               enum bare_hook h, int k)
{
    int left = k;
    for (int i = 0; i < b->n_calls; i++)
        if (b->calls[i].hook == h && left-- == 0)
            return &b->calls[i];
    fail_msg("no call %d of hook %d", k, (int)h);
    return NULL;
}

/* The last call of hook h. */
static inline const struct bare_call *bare_last(const struct bare *b,
                                                enum bare_hook h)
{
    int n = bare_count(b, h);
    assert_true(n > 0);
    return bare_nth(b, h, n - 1);
}

/* Forget the calls recorded so far. */
static inline void bare_clear(struct bare *b)
{
    b->n_calls = 0;
}

/* ---- the fake hooks ---------------------------------------------------- */

static inline void bare_counts_changed(void *ctx, sim_time seen_at)
{
    bare_push(ctx, H_COUNTS)->seen_at = seen_at;
}

static inline void bare_message_available(void *ctx)
{
    struct bare *b = ctx;
    bare_push(b, H_AVAILABLE);
    if (b->ex != NULL)
        exec_message_available(b->ex);
}

static inline void bare_state_changed(void *ctx)
{
    bare_push(ctx, H_STATE);
}

static inline void bare_admitted(void *ctx, uint32_t who)
{
    struct bare *b = ctx;
    bare_push(b, H_ADMITTED)->who = who;
    if (b->ex != NULL)
        exec_on_admitted(b->ex, who);
}

static inline void bare_placed(void *ctx, uint32_t who, int64_t node)
{
    struct bare *b = ctx;
    struct bare_call *c = bare_push(b, H_PLACED);
    c->who = who;
    c->node = node;
    if (b->ex != NULL)
        exec_on_placed(b->ex, who, node);
}

/* ---- the models' environments ------------------------------------------ */

/* A storage queue with visibility_timeout vis_s seconds and nothing else. */
static inline struct scn_source bare_queue_cfg(int64_t vis_s)
{
    struct scn_source c;
    memset(&c, 0, sizeof c);
    c.kind = SRC_STORAGE_QUEUE;
    c.visibility_timeout_us = SEC(vis_s);
    c.lock_duration_us = SEC(60);
    return c;
}

/* A source on b with cfg, its hooks the fakes, its handlers registered. */
static inline void bare_source(struct bare *b, struct source *q,
                               const struct scn_source *cfg)
{
    struct source_env env = {
        .eng = &b->eng, .met = &b->met, .duration = &b->duration,
        .duration_rng = b->rng, .counts_changed = bare_counts_changed,
        .message_available = bare_message_available, .ctx = b,
    };
    assert_int_equal(source_init(q, cfg, &env), 0);
    bare_on(b, EV_MSG_TTL, source_on_event, q);
    bare_on(b, EV_VISIBILITY, source_on_event, q);
}

/* A downstream service on b with cfg, admitted -> the fake. */
static inline void bare_down(struct bare *b, struct downstream *ds,
                             const struct scn_downstream *cfg)
{
    struct down_env env = {
        .eng = &b->eng, .met = &b->met, .admitted = bare_admitted, .ctx = b,
    };
    down_init(ds, cfg, &env);
    bare_on(b, EV_DOWNSTREAM, down_on_event, ds);
}

/* ---- seeds ------------------------------------------------------------- */

/* The seed of a property test: def, or BURSTSIM_TEST_SEED; printed. */
static inline unsigned long bare_seed(unsigned long def)
{
    const char *env = getenv("BURSTSIM_TEST_SEED");
    unsigned long seed = def;
    if (env != NULL && *env != '\0')
        seed = strtoul(env, NULL, 10);
    printf("seed: %lu (repeat with BURSTSIM_TEST_SEED=%lu)\n", seed, seed);
    return seed;
}

/* A generator for a property test, seeded with bare_seed(def); the caller
 * frees it (gsl_rng_free). */
static inline gsl_rng *bare_seeded_rng(unsigned long def)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(r);
    gsl_rng_set(r, bare_seed(def));
    return r;
}

#endif
