/* sim/io/support.c - checks between keys that the simulation relies on, and
 * warnings (see support.h). Each message names the key path; the location
 * comes from the loader's record of where the key was written. */
#include "sim/io/support.h"

#include "models/nodes.h"
#include "sim/io/scn_units.h"

#include <gsl/gsl_cdf.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

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

double scn_dist_tail(const struct dist *d, double t_s)
{
    switch (d->kind) {
    case DIST_FIXED:
        return d->p1 >= t_s ? 1.0 : 0.0;
    case DIST_EXPONENTIAL:
        return d->p1 > 0.0 ? gsl_cdf_exponential_Q(t_s, d->p1)
                           : (t_s <= 0.0 ? 1.0 : 0.0);
    case DIST_LOGNORMAL:
        return t_s <= 0.0 ? 1.0 : gsl_cdf_lognormal_Q(t_s, d->p1, d->p2);
    case DIST_GAMMA:
        return t_s <= 0.0 ? 1.0 : gsl_cdf_gamma_Q(t_s, d->p1, d->p2);
    case DIST_WEIBULL:
        return t_s <= 0.0 ? 1.0 : gsl_cdf_weibull_Q(t_s, d->p1, d->p2);
    case DIST_UNIFORM:
        if (t_s <= d->p1)
            return 1.0;
        return d->p2 > d->p1 ? gsl_cdf_flat_Q(t_s, d->p1, d->p2) : 0.0;
    case DIST_EMPIRICAL: {
        size_t k = 0;
        for (size_t i = 0; i < d->n_values; i++)
            k += d->values[i] >= t_s;
        return d->n_values > 0 ? (double)k / (double)d->n_values : 0.0;
    }
    case DIST_MIXTURE: {
        double s = 0.0, w = 0.0;
        for (size_t i = 0; i < d->n_parts; i++) {
            s += d->weights[i] * scn_dist_tail(&d->parts[i], t_s);
            w += d->weights[i];
        }
        return w > 0.0 ? s / w : 0.0;
    }
    }
    return 0.0;
}

/* Report an error at the first of the key paths that was written (the
 * other key of a pair may be a default). */
static int bad_pair(const struct scenario *scn, struct diag *d,
                    const char *a, const char *b, const char *msg)
{
    return bad_key(scn, d, scn_loc(scn, a) != NULL || scn_loc(scn, b) == NULL
                               ? a : b, msg);
}

/* Checks of the job and scale sections: a key that does not apply, an
 * impossible time-out, a polling interval ACA cannot take, duplicate rule
 * names. */
static int check_job_scale(const struct scenario *scn, struct diag *d)
{
    char msg[700], b1[64];
    const struct scn_job *j = &scn->job;
    if (j->idle_exit_us != 0 && j->messages_per_replica != 0) {
        snprintf(msg, sizeof msg,
                 "applies only to job.messages_per_replica 0 (drain mode), "
                 "this job takes %" PRId64 " message%s per replica; remove "
                 "it or set messages_per_replica: 0",
                 j->messages_per_replica,
                 j->messages_per_replica == 1 ? "" : "s");
        return bad_key(scn, d, "job.idle_exit", msg);
    }
    double timeout_s = sim_to_s(j->replica_timeout_us);
    if (scn_dist_tail(&j->startup, timeout_s) >= 1.0) {
        snprintf(msg, sizeof msg,
                 "expected more than the start-up time (job.startup is "
                 "never shorter than job.replica_timeout %gs): every replica "
                 "would time out before it starts, 0 completions",
                 timeout_s);
        return bad_pair(scn, d, "job.replica_timeout", "job.startup", msg);
    }
    sim_time poll = scn->scale.polling_interval_us;
    if (scn->model == SCN_MODEL_ACA &&
        (poll < SIM_US_PER_S || poll % SIM_US_PER_S != 0)) {
        scn__fmt_dur(b1, sizeof b1, poll);
        snprintf(msg, sizeof msg,
                 "expected a whole number of seconds >= 1s (ACA and KEDA "
                 "poll in whole seconds), got %s; for a theoretical model "
                 "set `model: theoretical` at the top level",
                 b1);
        return bad_key(scn, d, "scale.polling_interval", msg);
    }
    for (size_t i = 0; i < scn->scale.n_rules; i++) {
        for (size_t k = 0; k < i; k++) {
            const char *n1 = scn->scale.rules[k].name,
                       *n2 = scn->scale.rules[i].name;
            if (n1 == NULL || n2 == NULL || strcmp(n1, n2) != 0)
                continue;
            char p1[64], p2[64];
            snprintf(p1, sizeof p1, "scale.rules[%zu].name", k);
            snprintf(p2, sizeof p2, "scale.rules[%zu].name", i);
            const struct scn_loc *l1 = scn_loc(scn, p1);
            if (l1 == NULL)
                l1 = scn_loc(scn, "scale.rules");
            char where[600];
            if (l1 != NULL)
                snprintf(where, sizeof where, " (%s:%d:%d)", l1->file,
                         l1->line, l1->col);
            else
                where[0] = '\0';
            snprintf(msg, sizeof msg,
                     "duplicate rule name \"%.60s\", also the name of "
                     "scale.rules[%zu]%.300s; each rule needs its own name",
                     n2, k, where);
            return bad_pair(scn, d, p2, "scale.rules", msg);
        }
    }
    return SIM_OK;
}

/* Sizes and prices whose products with times and counts must stay finite:
 * refused beyond bounds far above any real deployment, so that a typo such
 * as `cpu: 1e308` cannot turn a bill into inf with exit 0. */
static int check_magnitudes(const struct scenario *scn, struct diag *d)
{
    const struct scn_cost *c = &scn->cost;
    const struct {
        const char *path;
        double v, max;
    } k[] = {
        {"job.cpu", scn->job.cpu, 1024.0},
        {"job.memory", scn->job.memory_gib, 16384.0},
        {"baseline.cpu", scn->baseline.cpu, 1024.0},
        {"baseline.memory", scn->baseline.memory_gib, 16384.0},
        {"cost.dedicated.node_vcpu", c->dedicated.node_vcpu, 1024.0},
        {"cost.dedicated.node_gib", c->dedicated.node_gib, 16384.0},
        {"cost.vcpu_second", c->vcpu_second, 1.0},
        {"cost.gib_second", c->gib_second, 1.0},
        {"baseline.idle_vcpu_second", scn->baseline.idle_vcpu_second, 1.0},
        {"cost.dedicated.vcpu_hour", c->dedicated.vcpu_hour, 1000.0},
        {"cost.dedicated.gib_hour", c->dedicated.gib_hour, 1000.0},
        {"cost.dedicated.management_hour", c->dedicated.management_hour,
         1e6},
        {"cost.ops_price_per_10k", c->ops_price_per_10k, 1e6},
        {"cost.scaler_ops_per_poll", c->scaler_ops_per_poll, 1e6},
        {"cost.message_ops", c->message_ops, 1e6},
        {"cost.log_bytes_per_execution", c->log_bytes_per_execution, 1e12},
        {"cost.log_price_per_gb", c->log_price_per_gb, 1e6},
    };
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        if (!(k[i].v <= k[i].max)) /* also NaN */
            return bad_range(scn, d, k[i].path,
                             "expected at most %g (far beyond any real "
                             "size or price), got %g",
                             k[i].max, k[i].v);
    return SIM_OK;
}

int scn_check_supported(const struct scenario *scn, struct diag *d)
{
    int rc0 = check_job_scale(scn, d);
    if (rc0 != SIM_OK)
        return rc0;
    rc0 = check_magnitudes(scn, d);
    if (rc0 != SIM_OK)
        return rc0;
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
    int n = 0;
    if (scn->model == SCN_MODEL_THEORETICAL) {
        const struct scn_loc *l = scn_loc(scn, "model");
        char b[64];
        scn__fmt_dur(b, sizeof b, scn->scale.polling_interval_us);
        fprintf(err,
                "%s:%d:%d: warning: model: theoretical: ACA and KEDA limits "
                "are not enforced (scale.polling_interval %s); these numbers "
                "are not those of an ACA deployment\n",
                l ? l->file : scn->file, l ? l->line : 0, l ? l->col : 0, b);
        n++;
    }
    double timeout_s = sim_to_s(j->replica_timeout_us);
    double tail = scn_dist_tail(&j->startup, timeout_s);
    if (tail > 0.01) {
        const struct scn_loc *l = scn_loc(scn, "job.startup");
        if (l == NULL)
            l = scn_loc(scn, "job.replica_timeout");
        fprintf(err,
                "%s:%d:%d: warning: job.startup: P(start-up >= "
                "job.replica_timeout %gs) = %.3g %%: those replicas time out "
                "before they start, billed with no completion\n",
                l ? l->file : scn->file, l ? l->line : 0, l ? l->col : 0,
                timeout_s, 100.0 * tail);
        n++;
    }
    if (scn->cost.plan != PLAN_CONSUMPTION)
        return n;
    double steps = j->cpu / 0.25;
    bool ok = j->cpu >= 0.25 && j->cpu <= 4.0 &&
              fabs(steps - round(steps)) < 1e-9 &&
              fabs(j->memory_gib - 2.0 * j->cpu) < 1e-9;
    if (ok)
        return n;
    const struct scn_loc *l = scn_loc(scn, "job.cpu");
    fprintf(err,
            "%s:%d:%d: warning: job.cpu / job.memory: %g vCPU / %g GiB is "
            "not an allowed ACA Consumption combination (0.25 to 4 vCPU in "
            "steps of 0.25, memory = 2 x cpu); simulating it anyway\n",
            l ? l->file : scn->file, l ? l->line : 0, l ? l->col : 0, j->cpu,
            j->memory_gib);
    return n + 1;
}
