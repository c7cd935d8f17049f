/* tests/unit/test_source.c - the broker (models/source.c) against a bare
 * engine with only EV_VISIBILITY and EV_MSG_TTL registered and fake hooks
 * that record counts_changed (with seen_at) and message_available (issue
 * 10, section 4). The configuration is a struct scn_source built in C.
 * Expected values are derived by hand in the comment above each test; times
 * are in seconds unless said otherwise. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_bare.h"
#include "test_util.h"

/* One fixture: the bare engine, a source on it. */
struct sfix {
    struct bare b;
    struct source q;
};

static struct sfix *sfix_new(const struct scn_source *cfg)
{
    struct sfix *f = malloc(sizeof *f);
    assert_non_null(f);
    bare_init(&f->b);
    bare_source(&f->b, &f->q, cfg);
    return f;
}

static void sfix_free(struct sfix *f)
{
    source_fini(&f->q);
    bare_fini(&f->b);
    free(f);
}

/* messages = completed + dead_lettered + expired + unfinished, the last
 * counted independently by source_unfinished() (docs/model.md 3.4). */
static void assert_conserved(const struct sfix *f)
{
    const struct metrics *m = &f->b.met;
    assert_int_equal(m->messages, m->completed + m->dead_lettered +
                                      m->expired + source_unfinished(&f->q));
}

/* Put / receive / delete with pop receipts; vis 30 s, no renewal.
 *   t=0  put m0: visible 1, one counts_changed (seen_at 0, no lag), one
 *        message_available; receive -> receipt r1, in flight 1.
 *   t=29 still in flight (the visibility ends at 0 + 30).
 *   t=30 the visibility ends: visible again, message_available at 30, no
 *        duplicate delivery yet (nobody received it again).
 *   t=31 receive again -> r2 != r1, deliveries 2, one duplicate delivery;
 *        delete with r1 (the first consumer, still holding it) fails
 *        (stale), the message stays; delete with r2 succeeds.
 * Every receipt ends in exactly one complete, release or delete (the
 * source's holder count), so each consumer calls once here. */
static void test_receipts(void **state)
{
    (void)state;
    struct scn_source cfg = bare_queue_cfg(30);
    struct sfix *f = sfix_new(&cfg);
    struct bare *b = &f->b;
    uint32_t slot, r1, r2;

    assert_false(source_receive(&f->q, &slot, &r1)); /* empty queue */
    assert_int_equal(source_put(&f->q, 2.0), 0);
    assert_int_equal(f->q.visible, 1);
    assert_int_equal(bare_count(b, H_COUNTS), 1);
    assert_int_equal(bare_last(b, H_COUNTS)->seen_at, 0);
    assert_int_equal(bare_count(b, H_AVAILABLE), 1);
    assert_true(source_receive(&f->q, &slot, &r1));
    assert_int_equal(f->q.visible, 0);
    assert_int_equal(f->q.in_flight, 1);
    assert_int_equal(source_msg(&f->q, slot)->deliveries, 1);
    assert_int_equal(bare_count(b, H_COUNTS), 2);
    assert_int_equal(engine_pending(&b->eng), 1);

    bare_run(b, SEC(29));
    assert_int_equal(f->q.in_flight, 1);
    assert_int_equal(bare_count(b, H_AVAILABLE), 1);
    bare_run(b, SEC(30));
    assert_int_equal(f->q.visible, 1);
    assert_int_equal(f->q.in_flight, 0);
    assert_int_equal(bare_count(b, H_AVAILABLE), 2);
    assert_int_equal(bare_last(b, H_AVAILABLE)->now, SEC(30));
    assert_int_equal(bare_last(b, H_COUNTS)->seen_at, SEC(30));
    assert_int_equal(b->met.duplicate_deliveries, 0);

    bare_run(b, SEC(31));
    assert_true(source_receive(&f->q, &slot, &r2));
    assert_true(r2 != r1);
    assert_int_equal(source_msg(&f->q, slot)->deliveries, 2);
    assert_int_equal(b->met.duplicate_deliveries, 1);
    assert_false(source_delete(&f->q, slot, r1));
    assert_int_equal(source_backlog(&f->q), 1);
    assert_true(source_delete(&f->q, slot, r2));
    assert_int_equal(source_backlog(&f->q), 0);
    assert_int_equal(source_msg(&f->q, slot)->state, MSG_FREE);
    assert_int_equal(engine_pending(&b->eng), 0); /* expiry cancelled */
    sfix_free(f);
}

/* A pop receipt stays valid until the next receive: m0 received at 0
 * (vis 10) is visible again at 10; nobody receives it, so at 15 the delete
 * with the first receipt succeeds (docs/model.md 3.1). Receipts only grow,
 * even across slot reuse: after the delete, m1 takes the same slot (the
 * free list hands back the slot just put) and its receipt differs, so
 * m0's receipt cannot delete m1. */
static void test_receipt_valid_until_next_receive(void **state)
{
    (void)state;
    struct scn_source cfg = bare_queue_cfg(10);
    struct sfix *f = sfix_new(&cfg);
    uint32_t s0, r0, s1, r1;
    assert_int_equal(source_put(&f->q, 1.0), 0);
    assert_true(source_receive(&f->q, &s0, &r0));
    bare_run(&f->b, SEC(15));
    assert_int_equal(f->q.visible, 1);
    assert_true(source_delete(&f->q, s0, r0));
    assert_int_equal(source_backlog(&f->q), 0);

    assert_int_equal(source_put(&f->q, 1.0), 0);
    assert_true(source_receive(&f->q, &s1, &r1));
    assert_int_equal(s1, s0);
    assert_true(r1 != r0);
    assert_int_equal(source_msg(&f->q, s1)->id, 1);
    assert_false(source_delete(&f->q, s1, r0));
    assert_true(source_delete(&f->q, s1, r1));
    sfix_free(f);
}

/* FIFO order of receives (vis 30). m0, m1, m2 put at 0, 1, 2 and received
 * at 2: ids 0, 1, 2 in order; their visibility ends at 32 (expiries
 * scheduled in the order m0, m1, m2). m3 put and received at 3 expires at
 * 33. At 34 the visible FIFO is m0, m1, m2, m3, the order in which they
 * became visible again, and each of those four receives is a duplicate
 * delivery (4). */
static void test_fifo_order(void **state)
{
    (void)state;
    struct scn_source cfg = bare_queue_cfg(30);
    struct sfix *f = sfix_new(&cfg);
    uint32_t slot, rc;
    for (int i = 0; i < 3; i++) {
        bare_run(&f->b, SEC(i));
        assert_int_equal(source_put(&f->q, 1.0), 0);
    }
    for (int64_t i = 0; i < 3; i++) {
        assert_true(source_receive(&f->q, &slot, &rc));
        assert_int_equal(source_msg(&f->q, slot)->id, i);
    }
    bare_run(&f->b, SEC(3));
    assert_int_equal(source_put(&f->q, 1.0), 0);
    assert_true(source_receive(&f->q, &slot, &rc));
    assert_int_equal(source_msg(&f->q, slot)->id, 3);
    bare_run(&f->b, SEC(34));
    assert_int_equal(f->q.visible, 4);
    for (int64_t i = 0; i < 4; i++) {
        assert_true(source_receive(&f->q, &slot, &rc));
        assert_int_equal(source_msg(&f->q, slot)->id, i);
    }
    assert_int_equal(f->b.met.duplicate_deliveries, 4);
    sfix_free(f);
}

/* Lock renewal (vis 30): received at 0, the message never expires while
 * held: at 100 it is still in flight, no event is pending and
 * message_available was called only by the put. Released at 100, its
 * visibility starts: in flight at 129, visible at 130 = 100 + 30, with
 * message_available at 130. A release with a stale receipt is ignored
 * (no new expiry is scheduled). */
static void test_lock_renewal(void **state)
{
    (void)state;
    struct scn_source cfg = bare_queue_cfg(30);
    cfg.lock_renewal = true;
    struct sfix *f = sfix_new(&cfg);
    struct bare *b = &f->b;
    uint32_t slot, r1, r2;
    assert_int_equal(source_put(&f->q, 1.0), 0);
    assert_true(source_receive(&f->q, &slot, &r1));
    assert_int_equal(engine_pending(&b->eng), 0);
    bare_run(b, SEC(100));
    assert_int_equal(f->q.in_flight, 1);
    assert_int_equal(bare_count(b, H_AVAILABLE), 1);
    source_release(&f->q, slot, r1);
    assert_int_equal(engine_pending(&b->eng), 1);
    bare_run(b, SEC(129));
    assert_int_equal(f->q.in_flight, 1);
    bare_run(b, SEC(130));
    assert_int_equal(f->q.visible, 1);
    assert_int_equal(bare_count(b, H_AVAILABLE), 2);
    assert_int_equal(bare_last(b, H_AVAILABLE)->now, SEC(130));
    assert_true(source_receive(&f->q, &slot, &r2));
    source_release(&f->q, slot, r1); /* stale */
    assert_int_equal(engine_pending(&b->eng), 0);
    sfix_free(f);
}

/* Service Bus: lock_duration (45 s here) is the visibility, not
 * visibility_timeout (set to 10 s, which must be ignored): received at 0,
 * the lock ends at 45. */
static void test_service_bus_lock_duration(void **state)
{
    (void)state;
    struct scn_source cfg = bare_queue_cfg(10);
    cfg.kind = SRC_SERVICE_BUS;
    cfg.lock_duration_us = SEC(45);
    struct sfix *f = sfix_new(&cfg);
    uint32_t slot, rc;
    assert_int_equal(source_put(&f->q, 1.0), 0);
    assert_true(source_receive(&f->q, &slot, &rc));
    bare_run(&f->b, SEC(44));
    assert_int_equal(f->q.in_flight, 1);
    bare_run(&f->b, SEC(45));
    assert_int_equal(f->q.visible, 1);
    sfix_free(f);
}

/* max_delivery_count k = 3, vis 10: received at 0, 10, 20 (each time at
 * the instant it became visible again, after the expiry event), the
 * visibility after the 3rd delivery ends at 30 and the message is
 * dead-lettered instead of becoming visible: dead_lettered 1, backlog 0,
 * message_available called by the put and the expiries at 10 and 20 only
 * (3), duplicate deliveries 2. */
static void test_dead_letter_after_k(void **state)
{
    (void)state;
    struct scn_source cfg = bare_queue_cfg(10);
    cfg.max_delivery_count = 3;
    struct sfix *f = sfix_new(&cfg);
    uint32_t slot, rc;
    assert_int_equal(source_put(&f->q, 1.0), 0);
    for (int k = 0; k < 3; k++) {
        bare_run(&f->b, SEC(10 * k));
        assert_int_equal(f->b.met.dead_lettered, 0);
        assert_true(source_receive(&f->q, &slot, &rc));
    }
    bare_run(&f->b, SEC(30));
    assert_int_equal(f->b.met.dead_lettered, 1);
    assert_int_equal(source_backlog(&f->q), 0);
    assert_int_equal(bare_count(&f->b, H_AVAILABLE), 3);
    assert_int_equal(f->b.met.duplicate_deliveries, 2);
    assert_conserved(f);
    sfix_free(f);
}

/* A message completed once and then dead-lettered stays counted completed
 * (k = 2, vis 10): receipt r1 at 0, visible at 10, r2 at 10; at 15 the
 * first consumer completes with r1: its first completion (latency 15 s),
 * the delete fails (stale). At 20 the 2nd lock ends: removed, not counted
 * dead-lettered. completed 1, dead 0, messages 1 = 1 + 0 + 0 + 0. */
static void test_completed_then_dead_lettered(void **state)
{
    (void)state;
    struct scn_source cfg = bare_queue_cfg(10);
    cfg.max_delivery_count = 2;
    struct sfix *f = sfix_new(&cfg);
    uint32_t slot, r1, r2;
    assert_int_equal(source_put(&f->q, 1.0), 0);
    assert_true(source_receive(&f->q, &slot, &r1));
    bare_run(&f->b, SEC(10));
    assert_true(source_receive(&f->q, &slot, &r2));
    bare_run(&f->b, SEC(15));
    const struct msg *m = source_msg(&f->q, slot);
    source_complete(&f->q, slot, r1, m->id, m->arrival);
    assert_int_equal(f->b.met.completed, 1);
    assert_near(qhist_mean(&f->b.met.latency), 15.0, 1e-9);
    assert_int_equal(source_backlog(&f->q), 1);
    bare_run(&f->b, SEC(20));
    assert_int_equal(source_backlog(&f->q), 0);
    assert_int_equal(f->b.met.dead_lettered, 0);
    assert_int_equal(f->b.met.duplicate_completions, 0);
    assert_conserved(f);
    sfix_free(f);
}

/* A consumer that completes a message after it was dead-lettered (k = 1,
 * vis 10, processing 15 s): received at 0, dead-lettered at 10, the
 * consumer finishes at 15. Nobody completed it before, so by the
 * definition of docs/model.md 5.2 / metrics.h ("every completed processing
 * after the first") this is not a duplicate completion: the source keeps
 * the gone message's slot while a consumer holds it (MSG_GONE), so it can
 * tell "dead-lettered before anyone completed it" from "completed by
 * another consumer". Expected: dead_lettered 1, completed 0,
 * duplicate_completions 0 (it was 1 before that). */
static void test_completion_after_dead_letter_not_duplicate(void **state)
{
    (void)state;
    struct scn_source cfg = bare_queue_cfg(10);
    cfg.max_delivery_count = 1;
    struct sfix *f = sfix_new(&cfg);
    uint32_t slot, rc;
    assert_int_equal(source_put(&f->q, 1.0), 0);
    assert_true(source_receive(&f->q, &slot, &rc));
    int64_t id = source_msg(&f->q, slot)->id;
    bare_run(&f->b, SEC(15));
    assert_int_equal(f->b.met.dead_lettered, 1);
    source_complete(&f->q, slot, rc, id, 0);
    assert_int_equal(f->b.met.completed, 0);
    assert_conserved(f);
    assert_int_equal(f->b.met.duplicate_completions, 0);
    assert_int_equal(source_msg(&f->q, slot)->state, MSG_FREE);
    sfix_free(f);
}

/* message_ttl 60 s, vis 30:
 *   m0 put at 0, never received: expires at 60 (expired 1, backlog 0).
 *   m1 put at 100 (TTL at 160), received at 150 (visibility to 180): at
 *      160 still in flight; at 180 it expires instead of becoming
 *      visible (expired 2, no message_available at 180).
 *   m2 put at 200 (TTL at 260), received at 250 and completed at 255:
 *      nothing happens at 260 (its TTL event was cancelled).
 * messages 3 = completed 1 + expired 2. */
static void test_message_ttl(void **state)
{
    (void)state;
    struct scn_source cfg = bare_queue_cfg(30);
    cfg.has_message_ttl = true;
    cfg.message_ttl_us = SEC(60);
    struct sfix *f = sfix_new(&cfg);
    struct bare *b = &f->b;
    uint32_t slot, rc;
    assert_int_equal(source_put(&f->q, 1.0), 0);
    bare_run(b, SEC(59));
    assert_int_equal(f->q.visible, 1);
    bare_run(b, SEC(60));
    assert_int_equal(b->met.expired, 1);
    assert_int_equal(source_backlog(&f->q), 0);

    bare_run(b, SEC(100));
    assert_int_equal(source_put(&f->q, 1.0), 0);
    bare_run(b, SEC(150));
    assert_true(source_receive(&f->q, &slot, &rc));
    bare_run(b, SEC(160));
    assert_int_equal(f->q.in_flight, 1);
    assert_int_equal(b->met.expired, 1);
    int avail = bare_count(b, H_AVAILABLE);
    bare_run(b, SEC(180));
    assert_int_equal(b->met.expired, 2);
    assert_int_equal(source_backlog(&f->q), 0);
    assert_int_equal(bare_count(b, H_AVAILABLE), avail);

    bare_run(b, SEC(200));
    assert_int_equal(source_put(&f->q, 1.0), 0);
    bare_run(b, SEC(250));
    assert_true(source_receive(&f->q, &slot, &rc));
    bare_run(b, SEC(255));
    const struct msg *m = source_msg(&f->q, slot);
    source_complete(&f->q, slot, rc, m->id, m->arrival);
    assert_int_equal(engine_pending(&b->eng), 0);
    bare_run(b, SEC(300));
    assert_int_equal(b->met.completed, 1);
    assert_int_equal(b->met.expired, 2);
    assert_conserved(f);
    sfix_free(f);
}

/* count_lag 10 s (vis 30): the scaler reads the counts of 10 s ago.
 *   t=0  put: counts (1, 0); counts_changed seen_at 10. Seen at 0: the
 *        initial empty queue (0, 0); a change is unseen.
 *   t=5  receive: counts (0, 1); seen_at 15. Seen at 5: (0, 0).
 *   t=10 seen (1, 0) (the state of t=0); the change of 5 is unseen.
 *   t=15 seen (0, 1); nothing unseen.
 *   t=15 put and receive at one instant: (1, 1) then (0, 2), one history
 *        entry for the instant holding the last; both seen_at 25.
 *   t=24 seen (0, 1); t=25 seen (0, 2), nothing unseen.
 * Without lag: seen_at = now and the counts seen are the current ones. */
static void test_count_lag(void **state)
{
    (void)state;
    struct scn_source cfg = bare_queue_cfg(30);
    cfg.count_lag_us = SEC(10);
    struct sfix *f = sfix_new(&cfg);
    struct bare *b = &f->b;
    struct source *q = &f->q;
    uint32_t slot, rc;
    struct count_snap c;

    assert_false(source_has_unseen(q, 0));
    assert_int_equal(source_put(q, 1.0), 0);
    assert_int_equal(bare_last(b, H_COUNTS)->seen_at, SEC(10));
    c = source_counts_seen(q, 0);
    assert_int_equal(c.visible, 0);
    assert_int_equal(c.in_flight, 0);
    assert_true(source_has_unseen(q, 0));

    bare_run(b, SEC(5));
    assert_true(source_receive(q, &slot, &rc));
    assert_int_equal(bare_last(b, H_COUNTS)->seen_at, SEC(15));
    c = source_counts_seen(q, SEC(5));
    assert_int_equal(c.visible + c.in_flight, 0);

    c = source_counts_seen(q, SEC(10));
    assert_int_equal(c.visible, 1);
    assert_int_equal(c.in_flight, 0);
    assert_true(source_has_unseen(q, SEC(10)));
    c = source_counts_seen(q, SEC(15));
    assert_int_equal(c.visible, 0);
    assert_int_equal(c.in_flight, 1);
    assert_false(source_has_unseen(q, SEC(15)));

    bare_run(b, SEC(15));
    bare_clear(b);
    assert_int_equal(source_put(q, 1.0), 0);
    assert_true(source_receive(q, &slot, &rc));
    assert_int_equal(bare_count(b, H_COUNTS), 2);
    assert_int_equal(bare_nth(b, H_COUNTS, 0)->seen_at, SEC(25));
    assert_int_equal(bare_nth(b, H_COUNTS, 1)->seen_at, SEC(25));
    assert_true(source_has_unseen(q, SEC(24)));
    c = source_counts_seen(q, SEC(24));
    assert_int_equal(c.visible, 0);
    assert_int_equal(c.in_flight, 1);
    c = source_counts_seen(q, SEC(25));
    assert_int_equal(c.visible, 0);
    assert_int_equal(c.in_flight, 2);
    assert_false(source_has_unseen(q, SEC(25)));
    sfix_free(f);

    cfg.count_lag_us = 0;
    f = sfix_new(&cfg);
    bare_run(&f->b, SEC(7));
    assert_int_equal(source_put(&f->q, 1.0), 0);
    assert_int_equal(bare_last(&f->b, H_COUNTS)->seen_at, SEC(7));
    c = source_counts_seen(&f->q, SEC(7));
    assert_int_equal(c.visible, 1);
    assert_false(source_has_unseen(&f->q, SEC(7)));
    sfix_free(f);
}

/* The metric each rule reads (docs/model.md 3.3), from the counts of a
 * real queue (the pure cases are in test_model.c, test_queue_metric):
 * 40 messages put and 10 received: visible W 30, in flight F 10.
 *   azure-queue all:         W + F = 40;
 *   azure-queue visibleonly: W = 30 (fewer than 32 visible: Peek 32);
 *   azure-servicebus:        W + F = 40 (ActiveMessageCount counts locked
 *                            messages).
 * Two more puts: W 32, so visibleonly falls back to W + F = 42. Those 10
 * received messages' visibility ends at 30: W 42, F 0, every metric 42. */
static void test_source_count(void **state)
{
    (void)state;
    struct scn_rule all = {.type = RULE_AZURE_QUEUE,
                           .queue_length_strategy = QLS_ALL};
    struct scn_rule vis = {.type = RULE_AZURE_QUEUE,
                           .queue_length_strategy = QLS_VISIBLEONLY};
    struct scn_rule sb = {.type = RULE_AZURE_SERVICEBUS};
    struct scn_source cfg = bare_queue_cfg(30);
    struct sfix *f = sfix_new(&cfg);
    uint32_t slot, rc;
    for (int i = 0; i < 40; i++)
        assert_int_equal(source_put(&f->q, 1.0), 0);
    for (int i = 0; i < 10; i++)
        assert_true(source_receive(&f->q, &slot, &rc));
    struct count_snap c = source_counts_now(&f->q);
    assert_int_equal(source_count(&c, &all), 40);
    assert_int_equal(source_count(&c, &vis), 30);
    assert_int_equal(source_count(&c, &sb), 40);
    assert_int_equal(source_put(&f->q, 1.0), 0);
    assert_int_equal(source_put(&f->q, 1.0), 0);
    c = source_counts_now(&f->q);
    assert_int_equal(source_count(&c, &vis), 42);
    bare_run(&f->b, SEC(30));
    c = source_counts_now(&f->q);
    assert_int_equal(c.visible, 42);
    assert_int_equal(source_count(&c, &all), 42);
    assert_int_equal(source_count(&c, &vis), 42);
    assert_int_equal(source_count(&c, &sb), 42);
    sfix_free(f);
}

/* A consumer's view for the property test: one received message. */
struct held {
    uint32_t slot, receipt;
    int64_t id;
    sim_time arrival;
};

/* Random sequences of put, receive, complete (also with stale receipts),
 * release and time steps, on vis 5 s, k = 3, TTL 40 s, with and without
 * lock renewal. After every step: conservation (messages = completed +
 * dead + expired + unfinished); visible / in flight equal the messages in
 * each state in the pool and the visible FIFO's length; duplicate
 * deliveries = receives - distinct messages received; with no lag every
 * counts_changed has seen_at = now. */
static void test_source_property(void **state)
{
    (void)state;
    gsl_rng *r = bare_seeded_rng(20250610UL);
    enum { STEPS = 3000, MAXH = 256, MAXID = STEPS + 1 };
    static struct held h[MAXH];
    static bool seen[MAXID];
    for (int renewal = 0; renewal < 2; renewal++) {
        struct scn_source cfg = bare_queue_cfg(5);
        cfg.max_delivery_count = 3;
        cfg.has_message_ttl = true;
        cfg.message_ttl_us = SEC(40);
        cfg.lock_renewal = renewal != 0;
        struct sfix *f = sfix_new(&cfg);
        struct source *q = &f->q;
        int nh = 0;
        int64_t receives = 0, distinct = 0;
        memset(seen, 0, sizeof seen);
        for (int step = 0; step < STEPS; step++) {
            double u = gsl_rng_uniform(r);
            if (u < 0.25) {
                assert_int_equal(source_put(q, 1.0), 0);
            } else if (u < 0.55) {
                struct held x;
                if (source_receive(q, &x.slot, &x.receipt)) {
                    const struct msg *m = source_msg(q, x.slot);
                    x.id = m->id;
                    x.arrival = m->arrival;
                    receives++;
                    assert_true(x.id < MAXID);
                    if (!seen[x.id]) {
                        seen[x.id] = true;
                        distinct++;
                    }
                    if (nh < MAXH)
                        h[nh++] = x;
                }
            } else if (u < 0.68 && nh > 0) {
                int i = (int)gsl_rng_uniform_int(r, (unsigned long)nh);
                source_complete(q, h[i].slot, h[i].receipt, h[i].id,
                                h[i].arrival);
                h[i] = h[--nh];
            } else if (u < 0.80 && nh > 0) {
                int i = (int)gsl_rng_uniform_int(r, (unsigned long)nh);
                source_release(q, h[i].slot, h[i].receipt);
                h[i] = h[--nh];
            } else {
                sim_time dt = (sim_time)gsl_rng_uniform_int(r, 3000000);
                bare_run(&f->b, f->b.eng.now + dt);
            }
            assert_conserved(f);
            int64_t vis = 0, infl = 0, fifo = 0;
            for (uint32_t i = 0; i < q->msgs.cap; i++) {
                const struct msg *m = source_msg(q, i);
                vis += m->state == MSG_VISIBLE;
                infl += m->state == MSG_IN_FLIGHT;
            }
            for (uint32_t i = q->vis_head; i != UINT32_MAX;
                 i = source_msg(q, i)->next)
                fifo++;
            assert_int_equal(vis, q->visible);
            assert_int_equal(infl, q->in_flight);
            assert_int_equal(fifo, q->visible);
            assert_int_equal(f->b.met.duplicate_deliveries,
                             receives - distinct);
            for (int i = 0; i < f->b.n_calls; i++)
                if (f->b.calls[i].hook == H_COUNTS)
                    assert_int_equal(f->b.calls[i].seen_at,
                                     f->b.calls[i].now);
            bare_clear(&f->b);
        }
        printf("# renewal %d: %" PRId64 " messages, %" PRId64
               " completed, %" PRId64 " dead, %" PRId64 " expired\n",
               renewal, f->b.met.messages, f->b.met.completed,
               f->b.met.dead_lettered, f->b.met.expired);
        sfix_free(f);
    }
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_receipts),
        cmocka_unit_test(test_receipt_valid_until_next_receive),
        cmocka_unit_test(test_fifo_order),
        cmocka_unit_test(test_lock_renewal),
        cmocka_unit_test(test_service_bus_lock_duration),
        cmocka_unit_test(test_dead_letter_after_k),
        cmocka_unit_test(test_completed_then_dead_lettered),
        cmocka_unit_test(test_completion_after_dead_letter_not_duplicate),
        cmocka_unit_test(test_message_ttl),
        cmocka_unit_test(test_count_lag),
        cmocka_unit_test(test_source_count),
        cmocka_unit_test(test_source_property),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
