/* tests/unit/test_evq.c - the event heap: ordering, FIFO ties, cancel with
 * stale handles, growth, and a differential test against a sorted-array
 * reference on random operation programs (SQLite bitvec style). Ends with a
 * printed (not asserted) push+pop benchmark on a heap of 1,000. The
 * differential test runs five fixed seeds, or only $BURSTSIM_TEST_SEED when
 * it is set (tests/unit/test_util.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sim/engine/evq.h"
#include "test_util.h"

static struct event mk(sim_time t, int32_t prio, uint32_t target)
{
    struct event e = {t, prio, 7u, 0u, target, target ^ 0x55u};
    return e;
}

/* evq/empty: pop, peek and cancel on an empty queue fail cleanly. */
static void test_empty(void **state)
{
    (void)state;
    struct evq *q = evq_new(0);
    assert_non_null(q);
    struct event e;
    assert_false(evq_pop(q, &e));
    assert_false(evq_peek(q, &e));
    assert_false(evq_cancel(q, evq_handle_none()));
    struct evq_handle bogus = {123456u, 1u};  /* slot beyond capacity */
    assert_false(evq_cancel(q, bogus));
    assert_int_equal(evq_size(q), 0);
    assert_true(evq__check(q));
    evq_free(q);
    evq_free(NULL);  /* must be a no-op */
}

/* evq/order: times pushed out of order come out sorted; at equal time the
 * smaller prio wins; the record round-trips intact. */
static void test_order(void **state)
{
    (void)state;
    struct evq *q = evq_new(1);
    static const sim_time ts[] = {50, 10, 40, 10, 30, 20, 10};
    static const int32_t ps[] = {0, 2, 0, -1, 0, 0, 0};
    for (uint32_t i = 0; i < 7; i++) {
        struct event e = mk(ts[i], ps[i], i);
        assert_true(evq_handle_valid(evq_push(q, &e)));
    }
    /* Expected by hand: (10,-1)#3, (10,0)#6, (10,2)#1, 20#5, 30#4, 40#2,
     * 50#0. */
    static const uint32_t want[] = {3, 6, 1, 5, 4, 2, 0};
    for (int i = 0; i < 7; i++) {
        struct event e, p;
        assert_true(evq_peek(q, &p));
        assert_true(evq_pop(q, &e));
        assert_int_equal(p.target, e.target);
        assert_int_equal(e.target, want[i]);
        assert_int_equal(e.kind, 7u);
        assert_int_equal(e.gen, want[i] ^ 0x55u);
        assert_true(evq__check(q));
    }
    evq_free(q);
}

/* evq/fifo-equal-time: 1,000 events with the same (time, prio) pop in push
 * order, with seq strictly increasing. */
static void test_fifo(void **state)
{
    (void)state;
    struct evq *q = evq_new(1);
    for (uint32_t i = 0; i < 1000; i++) {
        struct event e = mk(2385, 1, i);
        evq_push(q, &e);
    }
    uint64_t last_seq = 0;
    for (uint32_t i = 0; i < 1000; i++) {
        struct event e;
        assert_true(evq_pop(q, &e));
        assert_int_equal(e.target, i);
        if (i > 0)
            assert_true(e.seq > last_seq);
        last_seq = e.seq;
    }
    evq_free(q);
}

/* evq/cancel-middle and evq/cancel-stale: a cancelled event never pops; a
 * second cancel, a cancel after pop and a cancel after the slot was reused
 * all return false and change nothing. */
static void test_cancel(void **state)
{
    (void)state;
    struct evq *q = evq_new(1);
    struct evq_handle h[10];
    for (uint32_t i = 0; i < 10; i++) {
        struct event e = mk((sim_time)i * 10, 0, i);
        h[i] = evq_push(q, &e);
    }
    assert_true(evq_cancel(q, h[5]));
    assert_false(evq_cancel(q, h[5]));
    assert_true(evq_cancel(q, h[0]));  /* the root */
    assert_true(evq_cancel(q, h[9]));  /* the last leaf */
    assert_true(evq__check(q));
    assert_int_equal(evq_size(q), 7);

    struct event e;
    assert_true(evq_pop(q, &e));
    assert_int_equal(e.target, 1);
    assert_false(evq_cancel(q, h[1]));  /* fired */

    /* The freed slots get reused; old handles must still be stale. */
    struct evq_handle n1, n2;
    struct event e1 = mk(1, 0, 100), e2 = mk(2, 0, 101);
    n1 = evq_push(q, &e1);
    n2 = evq_push(q, &e2);
    for (int i = 0; i < 10; i++)
        if (i == 0 || i == 1 || i == 5 || i == 9)
            assert_false(evq_cancel(q, h[i]));
    assert_int_equal(evq_size(q), 8);
    assert_true(evq_cancel(q, n2));
    assert_true(evq_pop(q, &e));
    assert_int_equal(e.target, 100);
    assert_false(evq_cancel(q, n1));
    static const uint32_t rest[] = {2, 3, 4, 6, 7, 8};
    for (int i = 0; i < 6; i++) {
        assert_true(evq_pop(q, &e));
        assert_int_equal(e.target, rest[i]);
    }
    assert_false(evq_pop(q, &e));
    evq_free(q);
}

/* evq/clear: clear makes every handle stale and the queue reusable. */
static void test_clear(void **state)
{
    (void)state;
    struct evq *q = evq_new(4);
    struct evq_handle h[100];
    for (uint32_t i = 0; i < 100; i++) {
        struct event e = mk(100 - (sim_time)i, 0, i);
        h[i] = evq_push(q, &e);
    }
    evq_clear(q);
    assert_int_equal(evq_size(q), 0);
    assert_true(evq__check(q));
    for (int i = 0; i < 100; i++)
        assert_false(evq_cancel(q, h[i]));
    struct event e = mk(5, 0, 1000), out;
    struct evq_handle hn = evq_push(q, &e);
    assert_true(evq_pop(q, &out));
    assert_int_equal(out.target, 1000);
    assert_false(evq_cancel(q, hn));
    evq_free(q);
}

/* ---- differential test ---------------------------------------------- */

/* Reference: an unsorted array of live events, searched linearly for the
 * minimum by (time, prio, push order). Push order is counted here, not
 * taken from the queue, so the two implementations are independent. */
struct ref_ev {
    sim_time time;
    int32_t prio;
    uint64_t order;     /* push counter of the reference */
    uint32_t id;        /* unique per push, stored in event.target */
    struct evq_handle h;
};

struct ref {
    struct ref_ev *v;
    size_t n, cap;
};

static size_t ref_min(const struct ref *r)
{
    size_t m = 0;
    for (size_t i = 1; i < r->n; i++) {
        const struct ref_ev *a = &r->v[i], *b = &r->v[m];
        if (a->time < b->time ||
            (a->time == b->time &&
             (a->prio < b->prio ||
              (a->prio == b->prio && a->order < b->order))))
            m = i;
    }
    return m;
}

static void ref_remove(struct ref *r, size_t i)
{
    r->v[i] = r->v[--r->n];
}

#define STALE_RING 4096

static void run_program(unsigned long seed, int steps)
{
    test_seed_print("evq/differential", (uint32_t)seed);
    print_message("evq/differential: %d steps\n", steps);
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, seed);
    struct evq *q = evq_new(1);
    struct ref r = {malloc(1024 * sizeof(struct ref_ev)), 0, 1024};
    struct evq_handle *stale = malloc(STALE_RING * sizeof *stale);
    assert_non_null(q);
    assert_non_null(r.v);
    assert_non_null(stale);
    size_t nstale = 0;
    uint64_t order = 0;
    uint32_t next_id = 0;
    int64_t pops = 0, cancels = 0, stale_tries = 0, clears = 0;
    size_t peak = 0;

    for (int step = 0; step < steps; step++) {
        /* Phases of growth and drain, so the heap goes from empty to a few
         * hundred events and back, across several doublings. */
        double p_push = ((step / 2000) % 2 == 0) ? 0.5 : 0.2;
        double u = gsl_rng_uniform(g);
        if (u < p_push) {
            struct event e = mk((sim_time)gsl_rng_uniform_int(g, 8),
                                (int32_t)gsl_rng_uniform_int(g, 3) - 1,
                                next_id);
            struct evq_handle h = evq_push(q, &e);
            assert_true(evq_handle_valid(h));
            if (r.n == r.cap) {
                r.cap *= 2;
                r.v = realloc(r.v, r.cap * sizeof *r.v);
                assert_non_null(r.v);
            }
            struct ref_ev re = {e.time, e.prio, order++, next_id++, h};
            r.v[r.n++] = re;
        } else if (u < p_push + 0.25) {
            struct event e;
            bool ok = evq_pop(q, &e);
            if (r.n == 0) {
                assert_false(ok);
            } else {
                assert_true(ok);
                size_t m = ref_min(&r);
                if (e.target != r.v[m].id)
                    fail_msg("seed %lu step %d: popped id %u (t=%" PRId64
                             " p=%d), reference min id %u (t=%" PRId64
                             " p=%d)", seed, step, e.target, e.time,
                             (int)e.prio, r.v[m].id, r.v[m].time,
                             (int)r.v[m].prio);
                assert_int_equal(e.time, r.v[m].time);
                assert_int_equal(e.prio, r.v[m].prio);
                assert_int_equal(e.gen, r.v[m].id ^ 0x55u);
                stale[nstale++ % STALE_RING] = r.v[m].h;
                ref_remove(&r, m);
                pops++;
            }
        } else if (u < p_push + 0.35) {
            if (r.n > 0) {
                size_t i = gsl_rng_uniform_int(g, r.n);
                assert_true(evq_cancel(q, r.v[i].h));
                stale[nstale++ % STALE_RING] = r.v[i].h;
                ref_remove(&r, i);
                cancels++;
            }
        } else if (u < 0.9995) {
            if (nstale > 0) {
                size_t lim = nstale < STALE_RING ? nstale : STALE_RING;
                assert_false(evq_cancel(q, stale[gsl_rng_uniform_int(g, lim)]));
                stale_tries++;
            }
        } else {
            evq_clear(q);
            for (size_t i = 0; i < r.n; i++)
                stale[nstale++ % STALE_RING] = r.v[i].h;
            r.n = 0;
            clears++;
        }
        assert_int_equal(evq_size(q), r.n);
        if (r.n > peak)
            peak = r.n;
        struct event top;
        if (r.n > 0) {
            assert_true(evq_peek(q, &top));
            assert_int_equal(top.target, r.v[ref_min(&r)].id);
        } else {
            assert_false(evq_peek(q, &top));
        }
        if (!evq__check(q))
            fail_msg("seed %lu step %d: evq__check failed", seed, step);
    }
    print_message("  pops %" PRId64 ", cancels %" PRId64 ", stale cancels %"
                  PRId64 ", clears %" PRId64 ", peak size %zu\n",
                  pops, cancels, stale_tries, clears, peak);
    free(stale);
    free(r.v);
    evq_free(q);
    gsl_rng_free(g);
}

/* evq/differential: several seeds (or the one given), 20,000 steps each. */
static void test_differential(void **state)
{
    (void)state;
    static const unsigned long seeds[] = {2385, 1, 42, 977, 20240601};
    uint32_t given;
    if (test_seed_given(&given)) {
        run_program(given, 20000);
        return;
    }
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++)
        run_program(seeds[i], 20000);
}

/* ---- benchmark ------------------------------------------------------- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* evq/bench: the hold model on a heap of 1,000 - pop the earliest event,
 * push one at its time plus an exponential(1 ms) increment. Printed, not
 * asserted: the target is >= 1e7 pairs/s on the 2-core build machine. */
static void test_bench(void **state)
{
    (void)state;
    enum { N = 1000, NINC = 1 << 16, PAIRS = 10000000 };
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 2385);
    sim_time *inc = malloc(NINC * sizeof *inc);
    assert_non_null(inc);
    for (int i = 0; i < NINC; i++)
        inc[i] = 1 + (sim_time)gsl_ran_exponential(g, 1000.0);

    struct evq *q = evq_new(0);
    for (uint32_t i = 0; i < N; i++) {
        struct event e = mk((sim_time)gsl_rng_uniform_int(g, 1000000), 0, i);
        evq_push(q, &e);
    }
    double best = 0.0;
    uint64_t check = 0;
    for (int rep = 0; rep < 3; rep++) {
        double t0 = now_s();
        for (int i = 0; i < PAIRS; i++) {
            struct event e;
            evq_pop(q, &e);
            check += (uint64_t)e.time;
            e.time += inc[i & (NINC - 1)];
            evq_push(q, &e);
        }
        double rate = PAIRS / (now_s() - t0);
        if (rate > best)
            best = rate;
    }
    assert_int_equal(evq_size(q), N);
    assert_true(evq__check(q));
    print_message("evq/bench: hold model, heap of %d: %.3g push+pop pairs/s "
                  "(best of 3 x %d; checksum %" PRIu64 ")\n",
                  N, best, (int)PAIRS, check % 1000);

    /* Push then cancel by handle, same heap size. */
    struct evq_handle *hs = malloc(N * sizeof *hs);
    assert_non_null(hs);
    double t0 = now_s();
    enum { CPAIRS = 2000000 };
    for (int i = 0; i < CPAIRS; i++) {
        struct event e = mk(500000 + inc[i & (NINC - 1)], 0, 0);
        hs[i % N] = evq_push(q, &e);
        if (i % N == N - 1)
            for (int j = 0; j < N; j++)
                evq_cancel(q, hs[j]);
    }
    double crate = CPAIRS / (now_s() - t0);
    assert_int_equal(evq_size(q), N);
    print_message("evq/bench: push+cancel around a heap of %d-%d: %.3g "
                  "pairs/s\n", N, 2 * N, crate);
    free(hs);
    free(inc);
    evq_free(q);
    gsl_rng_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_order),
        cmocka_unit_test(test_fifo),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_clear),
        cmocka_unit_test(test_differential),
        cmocka_unit_test(test_bench),
    };
    return cmocka_run_group_tests_name("evq", tests, NULL, NULL);
}
