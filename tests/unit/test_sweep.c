/* tests/unit/test_sweep.c - sweeps through the runner (sim/run/) and
 * the SLO judgement (sim/run/slo.c), in process:
 *   sweep/coverage-messages  over 400 independent sweeps (seeds 1..400) of
 *                            10 replications of a Poisson scenario, the
 *                            95 % CI of `messages` holds lambda x horizon in
 *                            95 % +- 2.5 % of them;
 *   sweep/coverage-little    the same sweeps: the CI of
 *                            executions_running_mean (with warmup) holds
 *                            lambda x E[duration] (Little's law);
 *   sweep/crn                configurations differing only in cost, or in
 *                            max_executions, see the same arrivals;
 *   sweep/threads            1 and 2 threads give bit-identical results;
 *   slo/recommend-*          the recommendation on hand-built results;
 *   slo/recommend-sweep      a small sweep whose answer is known by hand.
 * The 400 sweeps are one plan with `seed` as an axis (4,000 replications
 * on 2 threads): configurations never enter a stream seed, so each
 * configuration is exactly the sweep a run with that --seed makes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "sim/run/pool.h"
#include "sim/run/runner.h"
#include "sim/run/slo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Write text to a fresh temporary scenario file; path into buf. */
static void scenario_file(char *buf, size_t n, const char *text)
{
    snprintf(buf, n, "/tmp/test_sweep.XXXXXX");
    int fd = mkstemp(buf);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

/* Build and simulate a plan; fails the test on any error. */
static void plan_run(struct runner_plan *p, const char *text,
                     const struct run_axis *vary, size_t n_vary, int threads)
{
    char path[64];
    scenario_file(path, sizeof path, text);
    struct diag d;
    diag_init(&d);
    int rc = runner_plan_init(p, path, NULL, NULL, NULL, 0, vary, n_vary, &d);
    if (rc == 0)
        rc = runner_plan_simulate(p, NULL, threads, 0, 0, false, &d);
    unlink(path);
    if (rc != 0) {
        char buf[1024];
        fail_msg("%s", diag_format(&d, buf, sizeof buf));
    }
}

/* ---- coverage ---------------------------------------------------------- */

/* lambda = 0.5/s, horizon 400 s: E[messages] = 200. Executions start at
 * once (start-up and claim 0), poll every second, never limited, never
 * time out or lose their message: the Running executions are exactly the
 * messages in processing, whose time average over [warmup, horizon] is
 * lambda E[D] = 0.5 x 4 s = 2 (Little). drain_limit 0 stops the run at the
 * horizon, so the window is stationary (warmup 40 s = 10 mean durations
 * removes the empty start). */
static const char coverage_yaml[] =
    "name: coverage\n"
    "replications: 10\n"
    "horizon: 400s\n"
    "warmup: 40s\n"
    "drain_limit: 0s\n"
    "arrivals:\n"
    "  process: {kind: poisson, rate: 0.5/s}\n"
    "source:\n"
    "  visibility_timeout: 1h\n"
    "scale:\n"
    "  polling_interval: 1s\n"
    "  max_executions: 1000\n"
    "  rules: [{name: q, type: azure-queue, queue_length: 1}]\n"
    "job:\n"
    "  startup: 0s\n"
    "  claim: 0s\n"
    "  replica_timeout: 10h\n"
    "  duration: {dist: exponential, mean: 4s}\n"
    "output: {timeseries: false, plots: false}\n";

#define N_SWEEPS 400

static struct runner_plan cov;   /* shared by the two coverage tests */
static bool cov_done;

static void coverage_plan(void)
{
    if (cov_done)
        return;
    static char vals[N_SWEEPS][12];
    static char *pv[N_SWEEPS];
    for (int i = 0; i < N_SWEEPS; i++) {
        snprintf(vals[i], sizeof vals[i], "%d", i + 1);
        pv[i] = vals[i];
    }
    struct run_axis ax = {"seed", pv, N_SWEEPS};
    plan_run(&cov, coverage_yaml, &ax, 1, 2);
    cov_done = true;
}

/* Share of configurations whose 95 % CI of metric m holds truth. */
static double coverage_of(int m, double truth)
{
    struct report_config *cfgs = calloc(cov.n_cfg, sizeof *cfgs);
    assert_non_null(cfgs);
    runner_plan_configs(&cov, cfgs);
    size_t hit = 0;
    for (size_t c = 0; c < cov.n_cfg; c++) {
        double mean, hw;
        report_metric_stats(&cfgs[c], m, &mean, &hw);
        if (fabs(mean - truth) <= hw)
            hit++;
    }
    free(cfgs);
    return (double)hit / (double)cov.n_cfg;
}

static void coverage_messages(void **state)
{
    (void)state;
    coverage_plan();
    assert_int_equal(cov.n_cfg, N_SWEEPS);
    double r = coverage_of(RM_messages, 0.5 * 400.0);
    print_message("messages: CI covers lambda*horizon in %.1f %% of %d "
                  "sweeps\n", 100.0 * r, N_SWEEPS);
    if (fabs(r - 0.95) > 0.025)
        fail_msg("coverage %.4f outside 0.95 +- 0.025", r);
}

static void coverage_little(void **state)
{
    (void)state;
    coverage_plan();
    double r = coverage_of(RM_executions_running_mean, 0.5 * 4.0);
    print_message("executions_running_mean: CI covers lambda*E[D] in %.1f "
                  "%% of %d sweeps\n", 100.0 * r, N_SWEEPS);
    if (fabs(r - 0.95) > 0.025)
        fail_msg("coverage %.4f outside 0.95 +- 0.025", r);
    runner_plan_fini(&cov);
    cov_done = false;
}

/* ---- common random numbers and threads --------------------------------- */

static const char small_yaml[] =
    "name: small\n"
    "replications: 4\n"
    "horizon: 20m\n"
    "arrivals:\n"
    "  process: {kind: batches, every: 5m, spread: 1m,\n"
    "            size: {dist: lognormal, median: 40, p95: 120}}\n"
    "scale:\n"
    "  polling_interval: 15s\n"
    "  max_executions: 5\n"
    "  rules: [{name: q, type: azure-queue, queue_length: 1}]\n"
    "job:\n"
    "  startup: {dist: lognormal, median: 10s, p95: 30s}\n"
    "  duration: {dist: exponential, mean: 5s}\n"
    "output: {timeseries: false, plots: false}\n";

static void crn(void **state)
{
    (void)state;
    char *price[] = {(char *)"0.000024", (char *)"0.00005"};
    char *maxe[] = {(char *)"1", (char *)"5", (char *)"50"};
    struct run_axis ax[2] = {{"cost.vcpu_second", price, 2},
                             {"scale.max_executions", maxe, 3}};
    struct runner_plan p;
    plan_run(&p, small_yaml, ax, 2, 2);
    assert_int_equal(p.n_cfg, 6);
    for (uint32_t r = 0; r < p.n_rep; r++) {
        double m0 = p.res[r].m[RM_messages];
        for (size_t c = 1; c < p.n_cfg; c++)
            assert_true(p.res[c * p.n_rep + r].m[RM_messages] == m0);
        /* Differing only in price: every non-cost metric is identical. */
        for (size_t c = 0; c < 3; c++) {
            const struct rep_result *a = &p.res[c * p.n_rep + r];
            const struct rep_result *b = &p.res[(c + 3) * p.n_rep + r];
            assert_true(a->m[RM_latency_p95_s] == b->m[RM_latency_p95_s]);
            assert_true(a->m[RM_executions] == b->m[RM_executions]);
            assert_true(a->m[RM_compute_cost_usd] <
                        b->m[RM_compute_cost_usd]);
        }
    }
    /* ... while replications differ from each other. */
    assert_true(p.res[0].m[RM_messages] != p.res[1].m[RM_messages] ||
                p.res[1].m[RM_messages] != p.res[2].m[RM_messages]);
    runner_plan_fini(&p);
}

static void threads(void **state)
{
    (void)state;
    char *maxe[] = {(char *)"2", (char *)"8"};
    struct run_axis ax = {"scale.max_executions", maxe, 2};
    struct runner_plan a, b;
    plan_run(&a, small_yaml, &ax, 1, 1);
    plan_run(&b, small_yaml, &ax, 1, 2);
    size_t n = a.n_cfg * a.n_rep;
    for (size_t i = 0; i < n; i++) {
        assert_memory_equal(a.res[i].m, b.res[i].m, sizeof a.res[i].m);
        assert_memory_equal(a.res[i].latency_q, b.res[i].latency_q,
                            sizeof a.res[i].latency_q);
    }
    runner_plan_fini(&a);
    runner_plan_fini(&b);
}

/* ---- recommendation ---------------------------------------------------- */

/* Hand-built configurations: cost, latency p95 and backlog per
 * replication (3 each). */
struct fake {
    struct rep_result reps[4][3];
    struct report_config cfg[4];
    struct slo_eval ev[4];
    struct scenario scn;
    struct scn_loc loc;
};

static void fake_init(struct fake *f, const double cost[4],
                      const double p95[4], double p95_limit)
{
    memset(f, 0, sizeof *f);
    f->loc.path = (char *)"slo.latency_p95";
    f->scn.locs = &f->loc;
    f->scn.n_locs = 1;
    f->scn.slo.present = true;
    f->scn.slo.has_latency_p95 = true;
    f->scn.slo.latency_p95_us = sim_from_s(p95_limit);
    f->scn.slo.has_backlog_max = true;
    f->scn.slo.backlog_max = 500;
    f->scn.slo.confidence = 0.95;
    for (int c = 0; c < 4; c++) {
        for (int r = 0; r < 3; r++) {
            for (int i = 0; i < RM_COUNT; i++)
                f->reps[c][r].m[i] = 0.0;
            /* spread +-1 % around the mean: CI half-width ~2.5 % */
            double k = (double)(r - 1) * 0.01;
            f->reps[c][r].m[RM_cost_usd] = cost[c] * (1 + k);
            f->reps[c][r].m[RM_latency_p95_s] = p95[c] * (1 + k);
            f->reps[c][r].m[RM_backlog_max] = 100;
        }
        f->cfg[c].reps = f->reps[c];
        f->cfg[c].n_reps = 3;
        slo_evaluate(&f->scn, &f->cfg[c], &f->ev[c]);
    }
}

static void recommend_cheapest(void **state)
{
    (void)state;
    /* c1 is cheapest but too slow; c3 is the cheapest meeting the SLO. */
    const double cost[4] = {3.0, 1.0, 2.5, 2.0};
    const double p95[4] = {100, 900, 200, 550};
    struct fake f;
    fake_init(&f, cost, p95, 600);
    struct slo_recommendation r;
    slo_recommend(f.cfg, f.ev, 4, &r);
    assert_int_equal(r.kind, SLO_REC_MET);
    assert_int_equal(r.config, 3);
    assert_int_equal(r.n_met, 3);
    assert_true(fabs(r.cost_mean - 2.0) < 1e-12);
    /* Paired with the next cheapest meeting the SLO (c2, 2.5): the
     * differences 0.5 x (1 + k), k = -0.01, 0, 0.01, are far from 0. */
    assert_false(r.tie);
    assert_int_equal(r.other, 2);
    assert_true(fabs(r.diff_mean - 0.5) < 1e-12);
    /* c3's p95 upper bound: 550 + t(0.975, 2) * 5.5 / sqrt(3). */
    const struct slo_objective *o = &f.ev[3].obj[1];
    assert_string_equal(o->key, "latency_p95");
    assert_true(fabs(o->upper - (550 + 4.302652729911275 * 5.5 /
                                          sqrt(3.0))) < 1e-6);
    assert_true(o->met);
    assert_int_equal(slo_eval_met(&f.ev[1]), 0);
}

/* Issue 11.4: a tie on cost. c0 and c1 meet the SLO (p95 100 and 50 s <
 * 600); c2 and c3 do not (900 s). Costs per replication (the same
 * arrivals): c0 {1.9, 2.0, 2.1} (mean 2.0), c1 {2.1, 2.0, 1.903} (mean
 * 2.001): c0 is cheaper by the mean by 0.05 %. Paired differences c0 - c1
 * = {-0.2, 0, 0.197}: mean -0.001, deviations -0.199, 0.001, 0.198, sd =
 * sqrt(0.078806 / 2) = 0.198502, half-width t(0.975, 2) x sd / sqrt(3) =
 * 4.302653 x 0.198502 / 1.732051 = 0.4931: the CI contains 0, so they tie
 * and c1 is chosen for its lower p95 latency. (The old rule took c0.) */
static void recommend_tie(void **state)
{
    (void)state;
    const double cost[4] = {2.0, 2.001, 1.0, 1.0};
    const double p95[4] = {100, 50, 900, 900};
    struct fake f;
    fake_init(&f, cost, p95, 600);
    const double c0[3] = {1.9, 2.0, 2.1}, c1[3] = {2.1, 2.0, 1.903};
    for (int r = 0; r < 3; r++) {
        f.reps[0][r].m[RM_cost_usd] = c0[r];
        f.reps[1][r].m[RM_cost_usd] = c1[r];
    }
    struct slo_recommendation r;
    slo_recommend(f.cfg, f.ev, 4, &r);
    assert_int_equal(r.kind, SLO_REC_MET);
    assert_int_equal(r.n_met, 2);
    assert_int_equal(r.cheapest, 0);
    assert_int_equal(r.config, 1);
    assert_true(r.tie);
    assert_int_equal(r.n_tied, 2);
    assert_int_equal(r.why, SLO_TIE_P95);
    assert_int_equal(r.other, 0);
    assert_int_equal(r.diff_n, 3);
    assert_true(fabs(r.diff_mean - -0.001) < 1e-12);
    double sd = sqrt((0.199 * 0.199 + 0.001 * 0.001 + 0.198 * 0.198) / 2);
    assert_true(fabs(r.diff_half - 4.302652729911275 * sd / sqrt(3.0)) <
                1e-9);
    assert_true(fabs(r.diff_half - 0.4931) < 1e-4);
}

static void recommend_upper_bound(void **state)
{
    (void)state;
    /* Mean 590 < 600 but the upper bound (~604) is not: not met. */
    const double cost[4] = {1, 2, 3, 4};
    const double p95[4] = {590, 700, 800, 300};
    struct fake f;
    fake_init(&f, cost, p95, 600);
    assert_false(f.ev[0].obj[1].met);
    struct slo_recommendation r;
    slo_recommend(f.cfg, f.ev, 4, &r);
    assert_int_equal(r.kind, SLO_REC_MET);
    assert_int_equal(r.config, 3);
}

static void recommend_closest(void **state)
{
    (void)state;
    const double cost[4] = {1, 2, 3, 4};
    const double p95[4] = {2000, 700, 900, 650};
    struct fake f;
    fake_init(&f, cost, p95, 600);
    struct slo_recommendation r;
    slo_recommend(f.cfg, f.ev, 4, &r);
    assert_int_equal(r.kind, SLO_REC_CLOSEST);
    assert_int_equal(r.config, 3);       /* smallest excess */
    assert_int_equal(r.n_met, 0);
    assert_false(f.ev[3].obj[1].met);
    assert_true(f.ev[3].obj[0].met);     /* backlog_max is fine */
}

static void recommend_no_slo(void **state)
{
    (void)state;
    const double cost[4] = {1, 2, 3, 4};
    const double p95[4] = {1, 2, 3, 4};
    struct fake f;
    fake_init(&f, cost, p95, 600);
    f.scn.n_locs = 0;                    /* no slo section */
    f.scn.slo.present = false;
    for (int c = 0; c < 4; c++)
        slo_evaluate(&f.scn, &f.cfg[c], &f.ev[c]);
    assert_int_equal(slo_eval_met(&f.ev[0]), -1);
    struct slo_recommendation r;
    slo_recommend(f.cfg, f.ev, 4, &r);
    assert_int_equal(r.kind, SLO_REC_NONE);
}

/* A sweep with a hand-known answer: max_executions 1 cannot keep up with
 * 1 message/s of 2 s work (utilisation 2) and fails the 2 min p95; with 10
 * executions the p95 is about a poll interval plus a duration. Compute is
 * priced at 3 rates, so among the max_executions = 10 configurations the
 * cheapest rate wins: c3 (10, 0.00001). */
static void recommend_sweep(void **state)
{
    (void)state;
    static const char yaml[] =
        "name: rec\n"
        "replications: 5\n"
        "horizon: 10m\n"
        "arrivals:\n"
        "  process: {kind: poisson, rate: 1/s}\n"
        "scale:\n"
        "  polling_interval: 10s\n"
        "  rules: [{name: q, type: azure-queue, queue_length: 1}]\n"
        "job:\n"
        "  startup: 5s\n"
        "  duration: {dist: exponential, mean: 2s}\n"
        "slo:\n"
        "  latency_p95: 2m\n"
        "output: {timeseries: false, plots: false}\n";
    char *maxe[] = {(char *)"1", (char *)"10"};
    char *price[] = {(char *)"0.00003", (char *)"0.00001",
                     (char *)"0.00002"};
    struct run_axis ax[2] = {{"scale.max_executions", maxe, 2},
                             {"cost.vcpu_second", price, 3}};
    struct runner_plan p;
    plan_run(&p, yaml, ax, 2, 2);
    struct report_config cfgs[6];
    struct slo_eval ev[6];
    runner_plan_configs(&p, cfgs);
    for (int c = 0; c < 6; c++)
        slo_evaluate(&p.cfg[c], &cfgs[c], &ev[c]);
    struct slo_recommendation r;
    slo_recommend(cfgs, ev, 6, &r);
    assert_int_equal(r.kind, SLO_REC_MET);
    assert_int_equal(r.n_met, 3);
    assert_int_equal(r.config, 4);  /* (10, 0.00001): c = 1 * 3 + 1 */
    assert_string_equal(p.axis_values[4][0], "10");
    assert_string_equal(p.axis_values[4][1], "0.00001");
    for (int c = 0; c < 3; c++)
        assert_int_equal(slo_eval_met(&ev[c]), 0);
    runner_plan_fini(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(coverage_messages),
        cmocka_unit_test(coverage_little),
        cmocka_unit_test(crn),
        cmocka_unit_test(threads),
        cmocka_unit_test(recommend_cheapest),
        cmocka_unit_test(recommend_tie),
        cmocka_unit_test(recommend_upper_bound),
        cmocka_unit_test(recommend_closest),
        cmocka_unit_test(recommend_no_slo),
        cmocka_unit_test(recommend_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
