/* tests/fuzz/fuzz_run.c - a whole short run of a fuzzed scenario: load,
 * scn_check_supported(), cap, one replication through models/world.h with
 * the CSV trace feed.
 *
 * Input layout: scenario YAML (base_dir tests/fuzz/data, so an empirical
 * path durations.csv loads; run from the repository root), optionally followed by a line "#%trace" (a
 * YAML comment, so an input without a trace still loads as written) and
 * CSV text. When the scenario has trace items, that CSV text is written to
 * a mkstemp file in /tmp (unlinked after) and every trace item's path is
 * pointed at it, so fuzzed traces reach the arrivals model.
 *
 * Caps (applied to the loaded scenario; an input over budget is skipped,
 * not reported): horizon <= 1 h (set when absent), drain_limit <= 1 h,
 * warmup <= horizon, replications 1, output off (no sinks). Skipped:
 * polling_interval < 1 s (issue 11 defect 6: a us poll is millions of
 * events), any rate > 100/s, an expected arrival count over 10,000 (from the
 * rates, batch sizes and, for traces, a pre-read of at most 20,000 rows
 * times scale), more than 10,000 mmpp sojourns, batches or piecewise
 * repeats in the horizon, min_executions > 1,000, parallelism > 100,
 * baseline.replicas or dedicated.max_nodes > 1,000 (arrays of that size
 * are allocated up front). During the run an engine hook (chained before
 * the world's own) counts events; past 50,000 the run is abandoned
 * (skipped) before world_run's end-of-run accounting.
 * Checked after the run: messages >= completed >= 0, cost finite >= 0.
 * BURSTSIM_FUZZ_VERBOSE=1 prints what became of each input (loaded, over
 * budget, ran: messages and events) to stderr, to check the seeds. */
#include "fuzz_common.h"

#include "models/world.h"
#include "sim/io/scenario.h"
#include "sim/io/support.h"
#include "sim/io/trace.h"
#include "sim/io/trace_feed.h"

#include <math.h>

#define HOUR (3600 * SIM_US_PER_S)
#define MAX_ARRIVALS 10000.0
#define MAX_RATE 100.0
#define MAX_STEPS 10000.0
#define MAX_EVENTS 50000
#define MAX_TRACE_ROWS 20000

struct budget {
    struct world *w;
    void (*before)(void *ctx, sim_time t);
    void (*after)(void *ctx);
    void *ctx;
    int64_t left;
    bool over;
};

static void budget_before(void *ctx, sim_time t)
{
    struct budget *b = ctx;
    if (b->before != NULL)
        b->before(b->ctx, t);
}

static void budget_after(void *ctx)
{
    struct budget *b = ctx;
    if (b->after != NULL)
        b->after(b->ctx);
    if (--b->left < 0) {
        /* Stop the loop: no pending event is at or before now - 1. */
        b->over = true;
        b->w->eng.end_limit = b->w->eng.now - 1;
    }
}

/* Arrivals a trace item can bring: rows (events) or summed counts, read
 * with the program's reader; -1 when it cannot be read (the run will fail
 * the same way, which is still worth running), +inf over budget. */
static double trace_estimate(const struct scn_trace *cfg)
{
    struct trace_reader tr;
    struct diag d;
    diag_init(&d);
    if (trace_open(&tr, cfg, &d) != 0)
        return -1.0;
    double n = 0.0;
    for (int i = 0; i < MAX_TRACE_ROWS && n <= MAX_ARRIVALS; i++) {
        int rc;
        if (cfg->format == TRACE_EVENTS) {
            struct trace_event ev;
            rc = trace_next(&tr, &ev, &d);
            n += rc == 1 ? 1.0 : 0.0;
        } else {
            sim_time t;
            int64_t c;
            rc = trace_next_count(&tr, &t, &c, &d);
            n += rc == 1 ? (double)c : 0.0;
        }
        if (rc != 1)
            break;
        if (i == MAX_TRACE_ROWS - 1)
            n = INFINITY;
    }
    trace_close(&tr);
    return n * (cfg->scale > 1.0 ? ceil(cfg->scale) : cfg->scale);
}

/* Expected arrivals of process p over h seconds, or +inf when it breaks a
 * cap (rate, steps). */
static double process_estimate(const struct scn_process *p, double h)
{
    double rate = 0.0, steps = 0.0;
    switch (p->kind) {
    case PROC_POISSON:
        rate = p->rate_per_s;
        break;
    case PROC_PIECEWISE:
        for (size_t i = 0; i < p->n_steps; i++)
            rate = fmax(rate, p->steps[i].rate_per_s);
        if (p->repeat_us > 0)
            steps = (h / sim_to_s(p->repeat_us) + 1.0) * (double)p->n_steps;
        break;
    case PROC_DIURNAL:
        rate = p->mean_per_s * (1.0 + p->amplitude);
        break;
    case PROC_MMPP:
        for (size_t i = 0; i < p->n_states; i++) {
            rate = fmax(rate, p->states[i].rate_per_s);
            double soj = sim_to_s(p->states[i].mean_sojourn_us);
            steps += soj > 0.0 ? h / soj : INFINITY;
        }
        break;
    case PROC_BATCHES: {
        double every = sim_to_s(p->every_us);
        double k = every > 0.0 ? h / every + 1.0 : INFINITY;
        double mean = dist_mean_s(&p->size);
        steps = k;
        if (!(isfinite(mean) && mean >= 0.0))
            return INFINITY;
        return steps > MAX_STEPS ? INFINITY : k * mean;
    }
    }
    if (!(rate <= MAX_RATE) || !(steps <= MAX_STEPS))
        return INFINITY;
    return rate * h;
}

/* Apply the caps; false when the input is over budget. */
static bool cap(struct scenario *scn)
{
    scn->replications = 1;
    if (!scn->has_horizon || scn->horizon_us > HOUR) {
        scn->has_horizon = true;
        scn->horizon_us = HOUR;
    }
    if (scn->drain_limit_us > HOUR)
        scn->drain_limit_us = HOUR;
    if (scn->warmup_us > scn->horizon_us)
        scn->warmup_us = scn->horizon_us;
    scn->output.timeseries = false;
    scn->output.executions = false;
    scn->output.plots = false;
    if (scn->scale.polling_interval_us < SIM_US_PER_S)
        return false;
    if (scn->scale.min_executions > 1000 || scn->job.parallelism > 100)
        return false;
    if (scn->baseline.present && scn->baseline.replicas > 1000)
        return false;
    if (scn->cost.plan == PLAN_DEDICATED &&
        scn->cost.dedicated.max_nodes > 1000)
        return false;
    double h = sim_to_s(scn->horizon_us);
    double total = 0.0;
    for (size_t i = 0; i < scn->n_arrivals; i++) {
        const struct scn_arrival_item *a = &scn->arrivals[i];
        double e = a->is_trace ? trace_estimate(&a->trace)
                               : process_estimate(&a->process, h);
        if (e > 0.0)
            total += e;
    }
    return total <= MAX_ARRIVALS;
}

/* Point every trace item at path (owned strings replaced). */
static bool retarget_traces(struct scenario *scn, const char *path)
{
    for (size_t i = 0; i < scn->n_arrivals; i++) {
        if (!scn->arrivals[i].is_trace)
            continue;
        char *p = strdup(path);
        if (p == NULL)
            return false;
        free(scn->arrivals[i].trace.path);
        scn->arrivals[i].trace.path = p;
    }
    return true;
}

static void note(const char *fmt, const char *why, double a, double b)
{
    const char *v = getenv("BURSTSIM_FUZZ_VERBOSE");
    if (v != NULL && v[0] == '1')
        fprintf(stderr, fmt, why, a, b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    size_t cut = fz_find_line((const char *)data, size, "#%trace");
    char *text = fz_cstr(data, cut);
    if (text == NULL)
        return 0;
    struct scenario scn;
    struct diag d;
    int rc = scn_load_string(&scn, text, "fuzz.yaml",
                             "tests/fuzz/data", NULL, 0, &d);
    free(text);
    if (rc != 0) {
        note("run: %s (%g %g)\n", d.msg, 0, 0);
        return 0;
    }
    char tpath[128] = "";
    bool has_trace = false;
    for (size_t i = 0; i < scn.n_arrivals; i++)
        has_trace |= scn.arrivals[i].is_trace;
    if (has_trace) {
        size_t b = cut < size ? cut + strlen("#%trace") + 1 : size;
        if (b > size)
            b = size;
        if (fz_write_temp(data + b, size - b, ".csv", tpath, sizeof tpath)
                != 0 ||
            !retarget_traces(&scn, tpath)) {
            if (tpath[0] != '\0')
                unlink(tpath);
            scn_fini(&scn);
            return 0;
        }
    }
    struct diag d2;
    diag_init(&d2);
    if (scn_check_supported(&scn, &d2) != 0)
        note("run: not supported: %s (%g %g)\n", d2.msg, 0, 0);
    else if (!cap(&scn))
        note("run: %s (%g %g)\n", "over budget", 0, 0);
    else {
        struct world *w = calloc(1, sizeof *w);
        if (w != NULL) {
            struct world_io io = {.feed = &trace_feed};
            struct diag d3;
            diag_init(&d3);
            if (world_init(w, &scn, 0, &io, &d3) != 0)
                note("run: world_init: %s (%g %g)\n", d3.msg, 0, 0);
            else {
                struct budget b = {
                    .w = w, .before = w->eng.before, .after = w->eng.after,
                    .ctx = w->eng.hook_ctx, .left = MAX_EVENTS,
                };
                w->eng.before = budget_before;
                w->eng.after = budget_after;
                w->eng.hook_ctx = &b;
                int64_t n = world_run_until(w, SIM_TIME_MAX - 1, &d3);
                if (n < 0)
                    note("run: %s (%g %g)\n", d3.msg, 0, 0);
                else if (b.over)
                    note("run: %s after %g events (%g)\n",
                         "event budget exceeded", MAX_EVENTS, 0);
                else {
                    struct rep_result res;
                    if (world_run(w, &res, &d3) == 0) {
                        double msg = res.m[RM_messages];
                        double done = res.m[RM_completed];
                        double cost = res.m[RM_cost_usd];
                        if (!(msg >= done && done >= 0.0))
                            abort();
                        if (!(isfinite(cost) && cost >= 0.0))
                            abort();
                        note("run: %s: %g messages, %g events\n", "ran", msg,
                             (double)res.events);
                    }
                }
            }
            world_fini(w);
            free(w);
        }
    }
    if (tpath[0] != '\0')
        unlink(tpath);
    scn_fini(&scn);
    return 0;
}
