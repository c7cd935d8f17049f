/* tests/unit/test_downstream.c - the downstream service (models/
 * downstream.c) against a bare engine with only EV_DOWNSTREAM registered
 * and a fake `admitted` hook that records who was admitted and when (issue
 * 10, section 4). The consumers are plain ids; the configuration is a
 * struct scn_downstream built in C. Expected values are derived in the
 * comment above each test. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_bare.h"
#include "test_util.h"

#define MS(x) ((sim_time)(x) * 1000) /* milliseconds -> us */

struct dfix {
    struct bare b;
    struct downstream ds;
};

static struct dfix *dfix_new(int64_t concurrency, double rate, double burst,
                             enum on_limit on_limit)
{
    struct dfix *f = calloc(1, sizeof *f);
    assert_non_null(f);
    bare_init(&f->b);
    struct scn_downstream cfg = {
        .concurrency = concurrency, .rate_per_s = rate,
        .has_burst = burst > 0, .burst = burst, .on_limit = on_limit,
    };
    bare_down(&f->b, &f->ds, &cfg);
    return f;
}

static void dfix_free(struct dfix *f)
{
    down_fini(&f->ds);
    bare_fini(&f->b);
    free(f);
}

/* Concurrency 2, no rate limit. At 0 callers 10 and 11 are admitted at
 * once, 12, 13, 14 queue (busy 2, peak 2). At 1 a release admits 12 (the
 * head) through the hook at 1; 13 gives up (down_cancel); at 2 a release
 * admits 14, not 13. Two more releases leave busy 0 and admit nobody. */
static void test_concurrency_fifo(void **state)
{
    (void)state;
    struct dfix *f = dfix_new(2, 0.0, 0.0, ON_LIMIT_WAIT);
    struct downstream *ds = &f->ds;
    assert_int_equal(down_acquire(ds, 10), DOWN_ADMITTED);
    assert_int_equal(down_acquire(ds, 11), DOWN_ADMITTED);
    for (uint32_t w = 12; w <= 14; w++)
        assert_int_equal(down_acquire(ds, w), DOWN_QUEUED);
    assert_int_equal(ds->busy, 2);
    assert_int_equal(f->b.met.downstream_peak, 2);
    assert_int_equal(engine_pending(&f->b.eng), 0); /* no token events */

    bare_run(&f->b, SEC(1));
    down_release(ds);
    assert_int_equal(bare_count(&f->b, H_ADMITTED), 1);
    assert_int_equal(bare_nth(&f->b, H_ADMITTED, 0)->who, 12);
    assert_int_equal(bare_nth(&f->b, H_ADMITTED, 0)->now, SEC(1));
    down_cancel(ds, 13);
    bare_run(&f->b, SEC(2));
    down_release(ds);
    assert_int_equal(bare_count(&f->b, H_ADMITTED), 2);
    assert_int_equal(bare_nth(&f->b, H_ADMITTED, 1)->who, 14);
    assert_int_equal(ds->busy, 2);
    down_release(ds);
    down_release(ds);
    assert_int_equal(ds->busy, 0);
    assert_int_equal(bare_count(&f->b, H_ADMITTED), 2);
    assert_int_equal(f->b.met.downstream_peak, 2);
    dfix_free(f);
}

/* Token bucket rate 10/s, burst 2 (starts full), no concurrency limit.
 * At 0 callers 0-4 ask: 0 and 1 take the two tokens; 2, 3, 4 queue, and
 * the one EV_DOWNSTREAM is scheduled at 100 ms, when the next token is
 * due (1 token / 10 per s). They are admitted at 100, 200 and 300 ms, one
 * event at a time. Idle from 300 ms to 1 s, the bucket refills to its
 * burst 2 (not 7): at 1 s three callers give two admitted at once and one
 * at 1.1 s. */
static void test_token_bucket_timing(void **state)
{
    (void)state;
    struct dfix *f = dfix_new(0, 10.0, 2.0, ON_LIMIT_WAIT);
    struct downstream *ds = &f->ds;
    uint32_t kind;
    assert_int_equal(down_acquire(ds, 0), DOWN_ADMITTED);
    assert_int_equal(down_acquire(ds, 1), DOWN_ADMITTED);
    for (uint32_t w = 2; w <= 4; w++)
        assert_int_equal(down_acquire(ds, w), DOWN_QUEUED);
    assert_int_equal(engine_pending(&f->b.eng), 1);
    assert_int_equal(bare_next_event(&f->b, &kind), MS(100));
    assert_int_equal(kind, EV_DOWNSTREAM);
    bare_run(&f->b, MS(100) - 1);
    assert_int_equal(bare_count(&f->b, H_ADMITTED), 0);
    for (int k = 0; k < 3; k++) {
        bare_run(&f->b, MS(100 * (k + 1)));
        assert_int_equal(bare_count(&f->b, H_ADMITTED), k + 1);
        const struct bare_call *c = bare_nth(&f->b, H_ADMITTED, k);
        assert_int_equal(c->who, (uint32_t)(2 + k));
        assert_int_equal(c->now, MS(100 * (k + 1)));
        if (k < 2)
            assert_int_equal(bare_next_event(&f->b, NULL),
                             MS(100 * (k + 2)));
    }
    assert_int_equal(engine_pending(&f->b.eng), 0);

    bare_run(&f->b, SEC(1));
    assert_int_equal(down_acquire(ds, 5), DOWN_ADMITTED);
    assert_int_equal(down_acquire(ds, 6), DOWN_ADMITTED);
    assert_int_equal(down_acquire(ds, 7), DOWN_QUEUED);
    assert_int_equal(bare_next_event(&f->b, NULL), MS(1100));
    bare_run(&f->b, SEC(2));
    assert_int_equal(bare_last(&f->b, H_ADMITTED)->who, 7);
    assert_int_equal(bare_last(&f->b, H_ADMITTED)->now, MS(1100));
    dfix_free(f);
}

/* Reject mode. Concurrency 1: 0 admitted, 1 rejected (not queued); after
 * the release 2 is admitted. Rate 1/s, burst 1: admitted at 0, rejected at
 * 0.5 s (half a token), admitted at 1 s. No event is ever scheduled. */
static void test_reject(void **state)
{
    (void)state;
    struct dfix *f = dfix_new(1, 0.0, 0.0, ON_LIMIT_REJECT);
    assert_int_equal(down_acquire(&f->ds, 0), DOWN_ADMITTED);
    assert_int_equal(down_acquire(&f->ds, 1), DOWN_REJECTED);
    assert_int_equal(id_fifo_len(&f->ds.wait), 0);
    down_release(&f->ds);
    assert_int_equal(down_acquire(&f->ds, 2), DOWN_ADMITTED);
    assert_int_equal(bare_count(&f->b, H_ADMITTED), 0);
    dfix_free(f);

    f = dfix_new(0, 1.0, 1.0, ON_LIMIT_REJECT);
    assert_int_equal(down_acquire(&f->ds, 0), DOWN_ADMITTED);
    bare_run(&f->b, MS(500));
    assert_int_equal(down_acquire(&f->ds, 1), DOWN_REJECTED);
    bare_run(&f->b, SEC(1));
    assert_int_equal(down_acquire(&f->ds, 2), DOWN_ADMITTED);
    assert_int_equal(engine_pending(&f->b.eng), 0);
    dfix_free(f);
}

/* down_cancel and the token event. Rate 1/s, burst 1: 0 admitted at 0; 1
 * and 2 queue, the token event is due at 1 s. 1 gives up: 2 still waits,
 * so the event stays and admits 2 at 1 s. 3 queues at 1 s (token due at
 * 2 s) and gives up: the FIFO is empty, so the event is cancelled and
 * nobody is admitted later. Cancelling an id that is not waiting changes
 * nothing. */
static void test_cancel(void **state)
{
    (void)state;
    struct dfix *f = dfix_new(0, 1.0, 1.0, ON_LIMIT_WAIT);
    struct downstream *ds = &f->ds;
    assert_int_equal(down_acquire(ds, 0), DOWN_ADMITTED);
    assert_int_equal(down_acquire(ds, 1), DOWN_QUEUED);
    assert_int_equal(down_acquire(ds, 2), DOWN_QUEUED);
    down_cancel(ds, 1);
    down_cancel(ds, 77);
    assert_int_equal(bare_next_event(&f->b, NULL), SEC(1));
    bare_run(&f->b, SEC(1));
    assert_int_equal(bare_count(&f->b, H_ADMITTED), 1);
    assert_int_equal(bare_last(&f->b, H_ADMITTED)->who, 2);
    assert_int_equal(bare_last(&f->b, H_ADMITTED)->now, SEC(1));
    assert_int_equal(down_acquire(ds, 3), DOWN_QUEUED);
    assert_int_equal(bare_next_event(&f->b, NULL), SEC(2));
    down_cancel(ds, 3);
    assert_int_equal(engine_pending(&f->b.eng), 0);
    bare_run(&f->b, SEC(5));
    assert_int_equal(bare_count(&f->b, H_ADMITTED), 1);
    dfix_free(f);
}

/* Concurrency and rate together: concurrency 1, rate 10/s, burst 1.
 * 0 admitted at 0 and holds its slot until 0.5 s; 1 queues behind the
 * slot (the token it needs is back at 0.1 s, but the slot is not). The
 * token event at 0.1 s finds no slot and admits nobody; the release at
 * 0.5 s admits 1 at once (its token is there). */
static void test_slot_and_token(void **state)
{
    (void)state;
    struct dfix *f = dfix_new(1, 10.0, 1.0, ON_LIMIT_WAIT);
    assert_int_equal(down_acquire(&f->ds, 0), DOWN_ADMITTED);
    assert_int_equal(down_acquire(&f->ds, 1), DOWN_QUEUED);
    bare_run(&f->b, MS(500));
    assert_int_equal(bare_count(&f->b, H_ADMITTED), 0);
    down_release(&f->ds);
    assert_int_equal(bare_count(&f->b, H_ADMITTED), 1);
    assert_int_equal(bare_last(&f->b, H_ADMITTED)->now, MS(500));
    dfix_free(f);
}

/* A caller asking at an instant of its own: an engine event of a test
 * kind (EV_ARRIVAL, not used by the downstream) whose target is the id. */
static int ask_on_event(void *model, const struct event *ev, struct diag *d)
{
    (void)d;
    struct dfix *f = model;
    if (down_acquire(&f->ds, ev->target) == DOWN_ADMITTED) {
        struct bare_call *c = bare_push(&f->b, H_ADMITTED);
        c->who = ev->target;
    }
    return 0;
}

/* Property: random request times (exponential gaps, mean 50 ms) for 400
 * callers, per (rate, burst) in {3, 10}/s x {1, 2.5, 5}; no concurrency
 * limit. Every caller is admitted, in request order (FIFO, and an
 * immediate admission only when nobody waits), never before it asked, and
 * over any window between two admissions t_i <= t_j the admitted calls
 * j - i + 1 are at most rate * (t_j - t_i) + burst (the bucket bound of
 * downstream.h). And no later than the bucket allows: each admission is
 * at the reference instant max(asked, previous admission, when the
 * bucket holds a token), computed here from the refill rule with the
 * same round-up to the microsecond (to within 2 us). */
static void test_bucket_window_property(void **state)
{
    (void)state;
    gsl_rng *r = bare_seeded_rng(20250611UL);
    enum { N = 400 };
    static sim_time asked[N];
    static const double rates[] = {3.0, 10.0};
    static const double bursts[] = {1.0, 2.5, 5.0};
    for (size_t ri = 0; ri < 2; ri++) {
        for (size_t bi = 0; bi < 3; bi++) {
            struct dfix *f = dfix_new(0, rates[ri], bursts[bi], ON_LIMIT_WAIT);
            bare_on(&f->b, EV_ARRIVAL, ask_on_event, f);
            sim_time t = 0;
            for (uint32_t i = 0; i < N; i++) {
                t += (sim_time)(-log(1.0 - gsl_rng_uniform(r)) * 50000.0);
                asked[i] = t;
                (void)engine_schedule(&f->b.eng, t, EV_ARRIVAL, i, 0);
            }
            bare_run(&f->b, SEC(100000));
            assert_int_equal(bare_count(&f->b, H_ADMITTED), N);
            double tok = bursts[bi];
            sim_time last = 0, prev = 0;
            for (int i = 0; i < N; i++) {
                const struct bare_call *c = &f->b.calls[i];
                sim_time t0 = asked[i] > prev ? asked[i] : prev;
                tok = fmin(bursts[bi],
                           tok + rates[ri] * sim_to_s(t0 - last));
                last = t0;
                if (tok < 1.0 - 1e-9) {
                    sim_time dt =
                        (sim_time)ceil((1.0 - tok) / rates[ri] * 1e6 - 1e-3);
                    t0 += dt;
                    tok = fmin(bursts[bi],
                               tok + rates[ri] * sim_to_s(dt));
                    last = t0;
                }
                tok -= 1.0;
                prev = t0;
                assert_true(llabs(c->now - t0) <= 2);
                assert_int_equal(c->who, (uint32_t)i);
                assert_true(c->now >= asked[i]);
                for (int j = i; j < N; j++) {
                    double w = sim_to_s(f->b.calls[j].now - c->now);
                    assert_true((double)(j - i + 1) <=
                                rates[ri] * w + bursts[bi] + 1e-6);
                }
            }
            dfix_free(f);
        }
    }
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_concurrency_fifo),
        cmocka_unit_test(test_token_bucket_timing),
        cmocka_unit_test(test_reject),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_slot_and_token),
        cmocka_unit_test(test_bucket_window_property),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
