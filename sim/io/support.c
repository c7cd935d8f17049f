/* sim/io/support.c - checks between keys that the simulation relies on, and
 * warnings (see support.h). Each message names the key path; the location
 * comes from the loader's record of where the key was written. */
#include "sim/io/support.h"

#include "models/nodes.h"

#include <math.h>
#include <stdio.h>

/* Report key `path` as invalid with a fixed message. */
static int bad_key(const struct scenario *scn, struct diag *d,
                   const char *path, const char *msg)
{
    const struct scn_loc *l = scn_loc(scn, path);
    return diag_set(d, SIM_ERANGE, l ? l->file : scn->file, l ? l->line : 0,
                    l ? l->col : 0, "%s: %s", path, msg);
}

/* Report a range error at key `path`. */
static int bad_range(const struct scenario *scn, struct diag *d,
                     const char *path, const char *fmt, double a, double b)
{
    char msg[200];
    snprintf(msg, sizeof msg, fmt, a, b);
    return bad_key(scn, d, path, msg);
}

/* Cross-key checks of arrivals item i that the simulation relies on (every
 * trace format and process kind is simulated). */
static int check_arrival_item(const struct scenario *scn, size_t i,
                              struct diag *d)
{
    const struct scn_arrival_item *a = &scn->arrivals[i];
    char pre[48], path[96];
    if (scn->arrivals_is_list)
        snprintf(pre, sizeof pre, "arrivals[%zu]", i);
    else
        snprintf(pre, sizeof pre, "arrivals");
    if (a->is_trace) {
        /* Keys of one trace format given with another would be ignored:
         * refuse them instead. */
        const struct scn_trace *t = &a->trace;
        static const char *const only_wide[] = {"first_count_column",
                                                "filter"};
        for (size_t k = 0; k < 2 && t->format != TRACE_COUNTS_WIDE; k++) {
            snprintf(path, sizeof path, "%s.trace.%s", pre, only_wide[k]);
            if (scn_loc(scn, path) != NULL)
                return bad_key(scn, d, path,
                               "applies to format counts_wide only");
        }
        snprintf(path, sizeof path, "%s.trace.duration_column", pre);
        if (t->format != TRACE_EVENTS && scn_loc(scn, path) != NULL)
            return bad_key(scn, d, path, "applies to format events only");
        static const char *const only_counts[] = {"count_column", "interval",
                                                  "spread"};
        for (size_t k = 0; k < 3 && t->format == TRACE_EVENTS; k++) {
            snprintf(path, sizeof path, "%s.trace.%s", pre, only_counts[k]);
            if (scn_loc(scn, path) != NULL)
                return bad_key(scn, d, path,
                               "applies to formats counts and counts_wide "
                               "only");
        }
        return SIM_OK;
    }
    const struct scn_process *p = &a->process;
    if (p->kind == PROC_BATCHES && p->spread_us > p->every_us) {
        snprintf(path, sizeof path, "%s.process.spread", pre);
        return bad_range(scn, d, path,
                         "expected at most `every` (%g s), got %g s: batches "
                         "must not overlap",
                         sim_to_s(p->every_us), sim_to_s(p->spread_us));
    }
    if (p->kind == PROC_PIECEWISE && p->repeat_us > 0 &&
        p->steps[p->n_steps - 1].at_us >= p->repeat_us) {
        snprintf(path, sizeof path, "%s.process.steps[%zu].at", pre,
                 p->n_steps - 1);
        return bad_range(scn, d, path,
                         "expected a time before `repeat` (%g s), got %g s",
                         sim_to_s(p->repeat_us),
                         sim_to_s(p->steps[p->n_steps - 1].at_us));
    }
    return SIM_OK;
}

int scn_check_supported(const struct scenario *scn, struct diag *d)
{
    for (size_t i = 0; i < scn->n_arrivals; i++) {
        int rc = check_arrival_item(scn, i, d);
        if (rc != SIM_OK)
            return rc;
    }

    /* timeseries.csv has one row per sample_interval of replication 0 per
     * configuration: refuse sizes no one means to write (a typo such as
     * 10ms instead of 10s over a month). */
    if (scn->output.timeseries && scn->has_horizon &&
        scn->sample_interval_us > 0 &&
        (double)scn->horizon_us / (double)scn->sample_interval_us >
            SCN_MAX_SAMPLES) {
        char msg[200];
        snprintf(msg, sizeof msg,
                 "expected at most 1e7 time-series samples (horizon / "
                 "sample_interval), got %.3g; raise sample_interval or set "
                 "output.timeseries: false",
                 (double)scn->horizon_us / (double)scn->sample_interval_us);
        return bad_key(scn, d,
                       scn->has_sample_interval ? "sample_interval"
                                                : "horizon",
                       msg);
    }
    if (scn->cost.plan == PLAN_DEDICATED && nodes_per_node(scn) < 1)
        return bad_range(scn, d, "job.cpu",
                         "a replica of %g vCPU does not fit on a dedicated "
                         "node of %g vCPU (or its memory does not)",
                         scn->job.cpu, scn->cost.dedicated.node_vcpu);
    return SIM_OK;
}

int scn_warnings(const struct scenario *scn, FILE *err)
{
    /* ACA Consumption: memory = 2 x cpu, cpu in 0.25 steps up to 4
     * (docs/model.md 8.3). */
    const struct scn_job *j = &scn->job;
    if (scn->cost.plan != PLAN_CONSUMPTION)
        return 0;
    double steps = j->cpu / 0.25;
    bool ok = j->cpu >= 0.25 && j->cpu <= 4.0 &&
              fabs(steps - round(steps)) < 1e-9 &&
              fabs(j->memory_gib - 2.0 * j->cpu) < 1e-9;
    if (ok)
        return 0;
    const struct scn_loc *l = scn_loc(scn, "job.cpu");
    fprintf(err,
            "%s:%d:%d: warning: job.cpu / job.memory: %g vCPU / %g GiB is "
            "not an allowed ACA Consumption combination (0.25 to 4 vCPU in "
            "steps of 0.25, memory = 2 x cpu); simulating it anyway\n",
            l ? l->file : scn->file, l ? l->line : 0, l ? l->col : 0, j->cpu,
            j->memory_gib);
    return 1;
}
