/* sim/runner.c - configurations x replications on a thread pool, then the
 * results folder (see runner.h).
 *
 * Work items are numbered config-major (item = config * R + rep) and handed
 * out in that order; each writes only its own slot, and the first error in
 * item order (not in time order) is the one reported, so even failures are
 * deterministic. */
#include "sim/runner.h"

#include "sim/commands.h"
#include "sim/report.h"
#include "sim/sim.h"
#include "sim/support.h"

#include <gsl/gsl_cdf.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct axis {
    const char *path;
    char *const *values;
    size_t n;
};

struct item_state {
    struct diag d;   /* error of this item, code SIM_OK if none */
};

struct run {
    const struct run_opts *o;
    struct scenario *cfg;        /* n_cfg loaded scenarios */
    size_t n_cfg;
    uint32_t n_rep;
    struct axis *axes;
    size_t n_axes;
    const char ***axis_values;   /* [cfg][axis] */
    char (*labels)[32];
    struct rep_result *res;      /* [cfg * n_rep + rep] */
    struct item_state *st;
    char tmp[1100];

    pthread_mutex_t lock;
    size_t next;                 /* next item to hand out */
    size_t done;
};

static void print_diag(const struct diag *d)
{
    char buf[2048];
    fprintf(stderr, "%s\n", diag_format(d, buf, sizeof buf));
}

/* Exit code for an error that came out of loading or simulating. */
static int exit_for(int code)
{
    switch (code) {
    case SIM_EPARSE:
    case SIM_ERANGE:
    case SIM_EINVAL:
    case SIM_EUNSUP:
    case SIM_EIO: /* trace missing or unreadable */
        return EXIT_INVALID;
    default:
        return EXIT_RUN_FAILED;
    }
}

static void sink_sample(void *ctx, const struct ts_sample *x)
{
    struct part_writer **w = ctx;
    if (w[0] != NULL)
        report_part_sample(w[0], x);
}

static void sink_exec(void *ctx, const struct exec_record *e)
{
    struct part_writer **w = ctx;
    if (w[1] != NULL)
        report_part_execution(w[1], e);
}

/* Run one (configuration, replication). */
static void run_item(struct run *r, size_t item)
{
    size_t c = item / r->n_rep;
    uint32_t rep = (uint32_t)(item % r->n_rep);
    const struct scenario *scn = &r->cfg[c];
    struct diag *d = &r->st[item].d;
    struct part_writer ts, ex;
    struct part_writer *w[2] = {NULL, NULL};
    memset(&ts, 0, sizeof ts);
    memset(&ex, 0, sizeof ex);
    if (scn->output.timeseries && rep == 0) {
        if (report_part_open(&ts, r->tmp, "timeseries", c, r->labels[c], rep,
                             d) != 0)
            return;
        w[0] = &ts;
    }
    if (scn->output.executions) {
        if (report_part_open(&ex, r->tmp, "executions", c, r->labels[c], rep,
                             d) != 0)
            goto out;
        w[1] = &ex;
    }
    struct sim_sinks sinks = {
        .sample = w[0] ? sink_sample : NULL,
        .execution = w[1] ? sink_exec : NULL,
        .ctx = w,
    };
    struct sim *s = malloc(sizeof *s);
    if (s == NULL) {
        diag_set(d, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    if (sim_init(s, scn, rep, &sinks, d) == 0)
        sim_run(s, &r->res[item], d);
    sim_fini(s);
    free(s);
out:
    if (w[0] != NULL)
        report_part_close(&ts, d);
    if (w[1] != NULL)
        report_part_close(&ex, d);
}

static void *worker(void *arg)
{
    struct run *r = arg;
    size_t total = r->n_cfg * r->n_rep;
    for (;;) {
        pthread_mutex_lock(&r->lock);
        size_t item = r->next++;
        pthread_mutex_unlock(&r->lock);
        if (item >= total)
            break;
        run_item(r, item);
        pthread_mutex_lock(&r->lock);
        r->done++;
        if (r->o->progress)
            fprintf(stderr, "\rburstsim: %zu/%zu replications", r->done,
                    total);
        pthread_mutex_unlock(&r->lock);
    }
    return NULL;
}

/* Gather the axes: the scenario's sweep, then --vary (replacing an axis of
 * the same path). */
static int gather_axes(struct run *r, const struct scenario *base)
{
    const struct run_opts *o = r->o;
    r->axes = calloc(base->n_sweep + o->n_vary + 1, sizeof *r->axes);
    if (r->axes == NULL)
        return SIM_ENOMEM;
    for (size_t i = 0; i < base->n_sweep; i++)
        r->axes[r->n_axes++] = (struct axis){base->sweep[i].path,
                                             base->sweep[i].values,
                                             base->sweep[i].n_values};
    for (size_t i = 0; i < o->n_vary; i++) {
        struct axis a = {o->vary[i].path, o->vary[i].values,
                         o->vary[i].n_values};
        size_t k = 0;
        while (k < r->n_axes && strcmp(r->axes[k].path, a.path) != 0)
            k++;
        r->axes[k] = a;
        if (k == r->n_axes)
            r->n_axes++;
    }
    return SIM_OK;
}

/* Load configuration c: the base overrides plus one value per axis. */
static int load_config(struct run *r, const struct scenario *base, size_t c,
                       struct diag *d)
{
    const struct run_opts *o = r->o;
    size_t n = o->n_ov + r->n_axes;
    struct scn_override *ov = calloc(n + 1, sizeof *ov);
    r->axis_values[c] = calloc(r->n_axes + 1, sizeof(char *));
    if (ov == NULL || r->axis_values[c] == NULL) {
        free(ov);
        return diag_set(d, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    memcpy(ov, o->ov, o->n_ov * sizeof *ov);
    size_t rest = c;
    for (size_t k = r->n_axes; k-- > 0;) {
        size_t v = rest % r->axes[k].n;
        rest /= r->axes[k].n;
        ov[o->n_ov + k].path = r->axes[k].path;
        ov[o->n_ov + k].value = r->axes[k].values[v];
        r->axis_values[c][k] = r->axes[k].values[v];
    }
    (void)base;
    int rc = scn_load(&r->cfg[c], o->scenario_path, ov, n, d);
    free(ov);
    if (rc == 0)
        rc = scn_check_supported(&r->cfg[c], d);
    snprintf(r->labels[c], sizeof r->labels[c], "c%zu", c);
    return rc;
}

/* 1 when configuration c meets every objective (the upper bound of the
 * `confidence` CI of each metric is within its limit), 0 when not, -1 when
 * the scenario has no slo section. */
static int slo_met(const struct scenario *scn, const struct report_config *c)
{
    const struct scn_slo *slo = &scn->slo;
    if (scn_loc(scn, "slo") == NULL)
        return -1;
    struct { bool on; int metric; double limit; } obj[] = {
        {slo->has_backlog_max, RM_backlog_max, slo->backlog_max},
        {slo->has_latency_p95, RM_latency_p95_s, sim_to_s(slo->latency_p95_us)},
        {slo->has_latency_max, RM_latency_max_s, sim_to_s(slo->latency_max_us)},
        {slo->has_unfinished_max, RM_unfinished, slo->unfinished_max},
        {slo->has_duplicate_completions_max, RM_duplicate_completions,
         slo->duplicate_completions_max},
    };
    for (size_t i = 0; i < sizeof obj / sizeof obj[0]; i++) {
        if (!obj[i].on)
            continue;
        double mean, ci;
        report_metric_stats(c, obj[i].metric, &mean, &ci);
        if (isnan(mean))
            return 0;
        /* Scale the 95 % half-width to the requested confidence. */
        double upper = mean;
        if (!isnan(ci) && c->n_reps > 1) {
            double df = (double)c->n_reps - 1.0;
            double t95 = gsl_cdf_tdist_Pinv(0.975, df);
            double tc = gsl_cdf_tdist_Pinv(0.5 + slo->confidence / 2.0, df);
            upper = mean + ci * tc / t95;
        }
        if (upper > obj[i].limit)
            return 0;
    }
    return 1;
}

static void run_free(struct run *r)
{
    if (r->cfg != NULL)
        for (size_t c = 0; c < r->n_cfg; c++)
            scn_fini(&r->cfg[c]);
    if (r->axis_values != NULL)
        for (size_t c = 0; c < r->n_cfg; c++)
            free(r->axis_values[c]);
    free(r->axis_values);
    free(r->cfg);
    free(r->axes);
    free(r->labels);
    free(r->res);
    free(r->st);
}

int runner_run(const struct run_opts *o)
{
    struct run r;
    memset(&r, 0, sizeof r);
    r.o = o;
    struct diag d;
    diag_init(&d);
    int code = EXIT_OK_;

    struct scenario base;
    int rc = scn_load(&base, o->scenario_path, o->ov, o->n_ov, &d);
    if (rc == 0)
        rc = scn_check_supported(&base, &d);
    if (rc != 0) {
        print_diag(&d);
        scn_fini(&base); /* safe on the zeroed struct of a failed load */
        return EXIT_INVALID;
    }
    if (gather_axes(&r, &base) != 0) {
        scn_fini(&base);
        return EXIT_RUN_FAILED;
    }
    r.n_cfg = 1;
    for (size_t k = 0; k < r.n_axes; k++)
        r.n_cfg *= r.axes[k].n;
    r.n_rep = (uint32_t)base.replications;
    r.cfg = calloc(r.n_cfg, sizeof *r.cfg);
    r.axis_values = calloc(r.n_cfg, sizeof *r.axis_values);
    r.labels = calloc(r.n_cfg, sizeof *r.labels);
    r.res = calloc(r.n_cfg * r.n_rep, sizeof *r.res);
    r.st = calloc(r.n_cfg * r.n_rep, sizeof *r.st);
    if (!r.cfg || !r.axis_values || !r.labels || !r.res || !r.st) {
        fprintf(stderr, "burstsim: out of memory\n");
        scn_fini(&base);
        run_free(&r);
        return EXIT_RUN_FAILED;
    }
    for (size_t c = 0; c < r.n_cfg; c++) {
        if (load_config(&r, &base, c, &d) != 0) {
            print_diag(&d);
            scn_fini(&base);
            run_free(&r);
            return EXIT_INVALID;
        }
        if ((uint32_t)r.cfg[c].replications != r.n_rep) {
            fprintf(stderr, "burstsim: replications cannot be swept\n");
            scn_fini(&base);
            run_free(&r);
            return EXIT_USAGE;
        }
    }

    char final_dir[1024];
    if (o->out_dir != NULL)
        snprintf(final_dir, sizeof final_dir, "%s", o->out_dir);
    else if (base.output.dir != NULL)
        snprintf(final_dir, sizeof final_dir, "%s", base.output.dir);
    else
        snprintf(final_dir, sizeof final_dir, "results/%s", base.name);
    if (report_stage_begin(final_dir, r.tmp, sizeof r.tmp, &d) != 0) {
        print_diag(&d);
        scn_fini(&base);
        run_free(&r);
        return EXIT_RUN_FAILED;
    }

    size_t total = r.n_cfg * r.n_rep;
    int nt = o->threads < 1 ? 1 : o->threads;
    if ((size_t)nt > total)
        nt = (int)total;
    pthread_mutex_init(&r.lock, NULL);
    pthread_t *th = calloc((size_t)nt, sizeof *th);
    int started = 0;
    if (th != NULL)
        for (; started < nt; started++)
            if (pthread_create(&th[started], NULL, worker, &r) != 0)
                break;
    if (started == 0)
        worker(&r); /* no thread could start: run here */
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    free(th);
    pthread_mutex_destroy(&r.lock);
    if (o->progress)
        fprintf(stderr, "\n");

    for (size_t i = 0; i < total; i++) {
        if (r.st[i].d.code != SIM_OK) {
            print_diag(&r.st[i].d);
            code = exit_for(r.st[i].d.code);
            break;
        }
    }

    struct report_config *rc_cfg = calloc(r.n_cfg, sizeof *rc_cfg);
    const char **axis_names = calloc(r.n_axes + 1, sizeof *axis_names);
    if (code == EXIT_OK_ && (rc_cfg == NULL || axis_names == NULL))
        code = EXIT_RUN_FAILED;
    if (code == EXIT_OK_) {
        for (size_t k = 0; k < r.n_axes; k++)
            axis_names[k] = r.axes[k].path;
        for (size_t c = 0; c < r.n_cfg; c++) {
            rc_cfg[c].label = r.labels[c];
            rc_cfg[c].axis_values = r.axis_values[c];
            rc_cfg[c].reps = &r.res[c * r.n_rep];
            rc_cfg[c].n_reps = r.n_rep;
            rc_cfg[c].slo_met = slo_met(&r.cfg[c], &rc_cfg[c]);
        }
        struct report_input in = {
            .scn = &r.cfg[0], .axis_names = axis_names, .n_axes = r.n_axes,
            .configs = rc_cfg, .n_configs = r.n_cfg,
            .version = BURSTSIM_VERSION,
        };
        if ((base.output.timeseries &&
             report_parts_merge(r.tmp, "timeseries", r.n_cfg, 1, &d) != 0) ||
            (base.output.executions &&
             report_parts_merge(r.tmp, "executions", r.n_cfg, r.n_rep, &d) !=
                 0) ||
            report_write_summary_csv(r.tmp, &in, &d) != 0 ||
            report_write_replications_csv(r.tmp, &in, &d) != 0 ||
            report_write_summary_json(r.tmp, &in, &d) != 0 ||
            report_stage_commit(r.tmp, final_dir, &d) != 0) {
            print_diag(&d);
            code = EXIT_RUN_FAILED;
        } else if (o->table != NULL) {
            report_print_table(o->table, &in);
            fprintf(o->table, "results: %s/\n", final_dir);
        }
    }
    if (code != EXIT_OK_)
        report_stage_abort(r.tmp);
    free(rc_cfg);
    free(axis_names);
    scn_fini(&base);
    run_free(&r);
    return code;
}
