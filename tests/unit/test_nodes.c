/* tests/unit/test_nodes.c - the Dedicated-plan node pool (models/nodes.c)
 * against a bare engine (its clock only: the pool schedules nothing) and a
 * fake `placed` hook that records who was placed where and when (issue
 * 10, section 4). The replicas are plain ids; the scenario is a struct
 * scenario whose job and cost sections are filled in C. Expected values
 * are derived in the comment above each test; times in seconds. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_bare.h"
#include "test_util.h"

/* A dedicated plan of node_vcpu 4 / node_gib 16 (a D4) for replicas of cpu
 * / mem, min_nodes..max_nodes. */
static struct scenario dedicated(double cpu, double mem, int64_t min_nodes,
                                 int64_t max_nodes)
{
    struct scenario s;
    memset(&s, 0, sizeof s);
    s.job.cpu = cpu;
    s.job.memory_gib = mem;
    s.cost.plan = PLAN_DEDICATED;
    s.cost.dedicated.node_vcpu = 4.0;
    s.cost.dedicated.node_gib = 16.0;
    s.cost.dedicated.min_nodes = min_nodes;
    s.cost.dedicated.max_nodes = max_nodes;
    return s;
}

struct nfix {
    struct bare b;
    struct scenario scn;
    struct nodes n;
};

static struct nfix *nfix_new(double cpu, double mem, int64_t min_nodes,
                             int64_t max_nodes)
{
    struct nfix *f = calloc(1, sizeof *f);
    assert_non_null(f);
    bare_init(&f->b);
    f->scn = dedicated(cpu, mem, min_nodes, max_nodes);
    struct nodes_env env = {.eng = &f->b.eng, .placed = bare_placed,
                            .ctx = &f->b};
    assert_int_equal(nodes_init(&f->n, &f->scn, &env), 0);
    return f;
}

static void nfix_free(struct nfix *f)
{
    nodes_fini(&f->n);
    bare_fini(&f->b);
    free(f);
}

/* Replicas per node = floor(min(4 / cpu, 16 / mem)):
 *   (1.5, 3)   -> min(2, 5)   = 2     (0.5, 1)   -> min(8, 16) = 8
 *   (1, 8)     -> min(4, 2)   = 2     (0.25, 0.5) -> min(16, 32) = 16
 *   (0.1, 0.2) -> min(40, 80) = 40 (4 / 0.1 is 39.999... in binary: the
 *                                   1e-9 slack keeps it 40)
 *   (8, 16)    -> min(0, 1)   = 0 (does not fit on a node). */
static void test_per_node(void **state)
{
    (void)state;
    static const struct {
        double cpu, mem;
        int64_t k;
    } cases[] = {
        {1.5, 3.0, 2},    {0.5, 1.0, 8},  {1.0, 8.0, 2},
        {0.25, 0.5, 16},  {0.1, 0.2, 40}, {8.0, 16.0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct scenario s = dedicated(cases[i].cpu, cases[i].mem, 0, 1);
        assert_int_equal(nodes_per_node(&s), cases[i].k);
    }
}

/* First fit, growth, hand-over and removal; per node 2 (cpu 1.5, mem 3),
 * min 1, max 2:
 *   0   node 0 present (min_nodes); replicas 0, 1 -> node 0.
 *   10  2 -> node 1 is added (2 nodes, peak 2); 3 -> node 1; 4 and 5 find
 *       no room at max_nodes and wait (-1).
 *   20  1 leaves node 0: its room goes to the first waiter, 4 (placed hook
 *       (4, node 0) at 20); node 0 still holds 0 and 4.
 *   25  5 gives up waiting (leave with node -1): no hook.
 *   30  4 and 0 leave node 0: empty, 2 nodes > min 1: removed.
 *   40  6: node 1 is full (2, 3), so a node is added at the first free
 *       index, 0.
 *   50  2 and 3 leave node 1: empty, 2 > 1: removed.
 *   60  6 leaves node 0: empty, but 1 node = min: kept.
 * Node-seconds to 100: [0,10) 1 + [10,30) 2 + [30,40) 1 + [40,50) 2 +
 * [50,100) 1 = 10 + 40 + 10 + 20 + 50 = 130. */
static void test_place_and_leave(void **state)
{
    (void)state;
    struct nfix *f = nfix_new(1.5, 3.0, 1, 2);
    struct nodes *n = &f->n;
    struct bare *b = &f->b;
    assert_true(n->on);
    assert_int_equal(n->per_node, 2);
    assert_int_equal(n->n_nodes, 1);
    assert_int_equal(nodes_place(n, 0), 0);
    assert_int_equal(nodes_place(n, 1), 0);

    bare_run(b, SEC(10));
    assert_int_equal(nodes_place(n, 2), 1);
    assert_int_equal(n->n_nodes, 2);
    assert_int_equal(nodes_place(n, 3), 1);
    assert_int_equal(nodes_place(n, 4), -1);
    assert_int_equal(nodes_place(n, 5), -1);
    assert_int_equal(n->n_nodes, 2);
    assert_int_equal(n->peak, 2);

    bare_run(b, SEC(20));
    nodes_leave(n, 1, 0);
    assert_int_equal(bare_count(b, H_PLACED), 1);
    assert_int_equal(bare_last(b, H_PLACED)->who, 4);
    assert_int_equal(bare_last(b, H_PLACED)->node, 0);
    assert_int_equal(bare_last(b, H_PLACED)->now, SEC(20));
    assert_int_equal(n->load[0], 2);

    bare_run(b, SEC(25));
    nodes_leave(n, 5, -1);
    assert_int_equal(id_fifo_len(&n->wait), 0);

    bare_run(b, SEC(30));
    nodes_leave(n, 4, 0);
    assert_int_equal(n->n_nodes, 2);
    nodes_leave(n, 0, 0);
    assert_int_equal(n->n_nodes, 1);
    assert_int_equal(n->load[0], -1);

    bare_run(b, SEC(40));
    assert_int_equal(nodes_place(n, 6), 0);
    assert_int_equal(n->n_nodes, 2);

    bare_run(b, SEC(50));
    nodes_leave(n, 2, 1);
    nodes_leave(n, 3, 1);
    assert_int_equal(n->n_nodes, 1);

    bare_run(b, SEC(60));
    nodes_leave(n, 6, 0);
    assert_int_equal(n->n_nodes, 1);
    assert_int_equal(n->load[0], 0);

    assert_int_equal(bare_count(b, H_PLACED), 1);
    assert_int_equal(n->peak, 2);
    assert_near(nodes_seconds(n, SEC(100)), 130.0, 1e-9);
    nfix_free(f);
}

/* One node at most, one replica per node (cpu 4), min 0: no node at 0.
 * 0 is placed at 0 (node 0 added); 1 and 2 wait. 0 leaves at 5: 1 is
 * placed on node 0 at 5; 1 leaves at 8: 2 at 8 (FIFO order); 2 leaves at
 * 12: node 0 empty, 1 > min 0: removed. Node-seconds to 20: 12. */
static void test_waiters_fifo(void **state)
{
    (void)state;
    struct nfix *f = nfix_new(4.0, 8.0, 0, 1);
    struct nodes *n = &f->n;
    assert_int_equal(n->n_nodes, 0);
    assert_int_equal(nodes_place(n, 0), 0);
    assert_int_equal(nodes_place(n, 1), -1);
    assert_int_equal(nodes_place(n, 2), -1);
    bare_run(&f->b, SEC(5));
    nodes_leave(n, 0, 0);
    bare_run(&f->b, SEC(8));
    nodes_leave(n, 1, 0);
    bare_run(&f->b, SEC(12));
    nodes_leave(n, 2, 0);
    assert_int_equal(bare_count(&f->b, H_PLACED), 2);
    assert_int_equal(bare_nth(&f->b, H_PLACED, 0)->who, 1);
    assert_int_equal(bare_nth(&f->b, H_PLACED, 0)->now, SEC(5));
    assert_int_equal(bare_nth(&f->b, H_PLACED, 1)->who, 2);
    assert_int_equal(bare_nth(&f->b, H_PLACED, 1)->now, SEC(8));
    assert_int_equal(n->n_nodes, 0);
    assert_near(nodes_seconds(n, SEC(20)), 12.0, 1e-9);
    nfix_free(f);
}

/* Not the Dedicated plan: the pool is off and holds nothing. */
static void test_consumption_off(void **state)
{
    (void)state;
    struct bare b;
    bare_init(&b);
    struct scenario s = dedicated(0.5, 1.0, 2, 4);
    s.cost.plan = PLAN_CONSUMPTION;
    struct nodes n;
    struct nodes_env env = {.eng = &b.eng, .placed = bare_placed, .ctx = &b};
    assert_int_equal(nodes_init(&n, &s, &env), 0);
    assert_false(n.on);
    assert_int_equal(n.n_nodes, 0);
    nodes_fini(&n);
    bare_fini(&b);
}

/* Property: random place / leave / give-up sequences (per node 3, min 1,
 * max 4) with an independent model of who is where. After every step:
 * loads match the replicas on each node, no node is over per_node, node
 * count = nodes present in [min, max], the waiters are the replicas not
 * placed, a waiter exists only when every node is present and full, no
 * present node is empty beyond min_nodes, and nodes_seconds equals the
 * integral kept here. */
static void test_nodes_property(void **state)
{
    (void)state;
    gsl_rng *r = bare_seeded_rng(20250612UL);
    enum { STEPS = 4000, MAXR = 64 };
    static int64_t where[MAXR]; /* node, -1 waiting, -2 absent */
    /* per node floor(min(4 / 1.25, 16 / 4)) = min(3, 4) = 3 */
    struct nfix *f = nfix_new(1.25, 4.0, 1, 4);
    struct nodes *n = &f->n;
    assert_int_equal(n->per_node, 3);
    for (int i = 0; i < MAXR; i++)
        where[i] = -2;
    double integral = 0.0;
    sim_time last = 0;
    int64_t nodes_before = n->n_nodes;
    for (int step = 0; step < STEPS; step++) {
        uint32_t who = (uint32_t)gsl_rng_uniform_int(r, MAXR);
        int calls = bare_count(&f->b, H_PLACED);
        if (where[who] == -2) {
            where[who] = nodes_place(n, who);
        } else {
            int64_t node = where[who];
            where[who] = -2;
            nodes_leave(n, who, node);
        }
        for (int c = calls; c < bare_count(&f->b, H_PLACED); c++) {
            const struct bare_call *p = bare_nth(&f->b, H_PLACED, c);
            assert_int_equal(where[p->who], -1);
            where[p->who] = p->node;
        }
        int64_t load[4] = {0, 0, 0, 0}, waiting = 0;
        for (int i = 0; i < MAXR; i++) {
            if (where[i] >= 0)
                load[where[i]]++;
            waiting += where[i] == -1;
        }
        int64_t present = 0;
        bool room = false;
        for (int i = 0; i < 4; i++) {
            if (n->load[i] < 0) {
                assert_int_equal(load[i], 0);
                room = true; /* a node could be added */
                continue;
            }
            present++;
            assert_int_equal(n->load[i], load[i]);
            assert_true(load[i] <= 3);
            room = room || load[i] < 3;
        }
        assert_int_equal(present, n->n_nodes);
        assert_true(n->n_nodes >= 1 && n->n_nodes <= 4);
        assert_int_equal(waiting, (int64_t)id_fifo_len(&n->wait));
        if (waiting > 0)
            assert_false(room);
        if (n->n_nodes > 1)
            for (int i = 0; i < 4; i++)
                assert_true(n->load[i] != 0);
        integral += (double)nodes_before * (double)(f->b.eng.now - last);
        last = f->b.eng.now;
        nodes_before = n->n_nodes;
        assert_near(nodes_seconds(n, f->b.eng.now), integral * 1e-6, 1e-6);
        bare_run(&f->b, f->b.eng.now +
                            (sim_time)gsl_rng_uniform_int(r, 2000000));
        bare_clear(&f->b);
    }
    printf("# peak %" PRId64 " nodes, %.1f node-s\n", n->peak,
           nodes_seconds(n, f->b.eng.now));
    nfix_free(f);
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_per_node),
        cmocka_unit_test(test_place_and_leave),
        cmocka_unit_test(test_waiters_fifo),
        cmocka_unit_test(test_consumption_off),
        cmocka_unit_test(test_nodes_property),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
