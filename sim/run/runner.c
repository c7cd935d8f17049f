/* sim/runner.c - configurations x replications on a thread pool, then the
 * results folder (see runner.h); shards write partial folders which
 * sim/shard.c merges.
 *
 * Work items are numbered config-major (item = config * R + rep) and handed
 * out in that order; each writes only its own slot, and the first error in
 * item order (not in time order) is the one reported, so even failures are
 * deterministic. A shard I/N takes the items i with i mod N = I - 1 (round
 * robin, so every shard gets a fair share of slow and fast
 * configurations).
 *
 * The scenario text is read once and every configuration is loaded from
 * that text with the axis values as overrides, so a merge (which reloads
 * the plan from the text kept in each shard's manifest) sees exactly the
 * configurations the shards simulated. */
#include "sim/run/runner.h"

#include "sim/cli/commands.h"
#include "sim/io/plot.h"
#include "sim/io/plot_render.h"
#include "sim/io/report_csv.h"
#include "sim/io/report_json.h"
#include "sim/io/report_md.h"
#include "sim/io/report_parts.h"
#include "sim/io/report_stage.h"
#include "sim/io/report_text.h"
#include "sim/run/shard.h"
#include "models/world.h"
#include "sim/io/support.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- plan -------------------------------------------------------------- */

static char *dup_str(const char *s)
{
    return s != NULL ? strdup(s) : NULL;
}

/* Read the whole file at path into a NUL-terminated heap string. */
static int read_text(const char *path, char **out, struct diag *d)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return diag_set(d, SIM_EIO, path, 0, 0, "cannot open: %s",
                        strerror(errno));
    size_t len = 0, cap = 65536;
    char *text = malloc(cap);
    for (;;) {
        if (text == NULL) {
            fclose(f);
            return diag_set(d, SIM_ENOMEM, path, 0, 0, "out of memory");
        }
        size_t got = fread(text + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0)
            break;
        if (cap - len - 1 < 4096) {
            char *t = realloc(text, cap * 2);
            if (t == NULL)
                free(text);
            text = t;
            cap *= 2;
        }
    }
    bool bad = ferror(f) != 0;
    fclose(f);
    if (bad) {
        free(text);
        return diag_set(d, SIM_EIO, path, 0, 0, "cannot read: %s",
                        strerror(errno));
    }
    text[len] = '\0';
    *out = text;
    return 0;
}

/* The folder of path, as scn_load() computes it. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

/* Copy the overrides and --vary axes into the plan (it must not depend on
 * the caller's argv). */
static int copy_inputs(struct runner_plan *p, const struct scn_override *ov,
                       size_t n_ov, const struct run_axis *vary,
                       size_t n_vary)
{
    size_t n_str = 2 * n_ov + n_vary;
    for (size_t i = 0; i < n_vary; i++)
        n_str += vary[i].n_values;
    p->ov = calloc(n_ov + 1, sizeof *p->ov);
    p->ov_strings = calloc(n_str + 1, sizeof *p->ov_strings);
    p->n_strings = p->ov_strings != NULL ? n_str : 0;
    p->vary = calloc(n_vary + 1, sizeof *p->vary);
    if (p->ov == NULL || p->ov_strings == NULL || p->vary == NULL)
        return SIM_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < n_ov; i++) {
        char *a = p->ov_strings[k++] = dup_str(ov[i].path);
        char *b = p->ov_strings[k++] = dup_str(ov[i].value);
        if (a == NULL || b == NULL)
            return SIM_ENOMEM;
        p->ov[i] = (struct scn_override){a, b};
    }
    p->n_ov = n_ov;
    for (size_t i = 0; i < n_vary; i++) {
        char *path = p->ov_strings[k++] = dup_str(vary[i].path);
        char **vals = calloc(vary[i].n_values + 1, sizeof *vals);
        p->vary[i].path = path;
        p->vary[i].values = vals;
        p->vary[i].n_values = vary[i].n_values;
        p->n_vary = i + 1;
        if (path == NULL || vals == NULL)
            return SIM_ENOMEM;
        for (size_t v = 0; v < vary[i].n_values; v++)
            if ((vals[v] = p->ov_strings[k++] = dup_str(vary[i].values[v])) ==
                NULL)
                return SIM_ENOMEM;
    }
    return 0;
}

/* Gather the axes: the scenario's sweep, then --vary (replacing an axis of
 * the same path). */
static int gather_axes(struct runner_plan *p)
{
    size_t cap = p->base.n_sweep + p->n_vary + 1;
    p->axis_names = calloc(cap, sizeof *p->axis_names);
    p->axis_vals = calloc(cap, sizeof *p->axis_vals);
    p->axis_n = calloc(cap, sizeof *p->axis_n);
    if (p->axis_names == NULL || p->axis_vals == NULL || p->axis_n == NULL)
        return SIM_ENOMEM;
    for (size_t i = 0; i < p->base.n_sweep; i++) {
        p->axis_names[p->n_axes] = p->base.sweep[i].path;
        p->axis_vals[p->n_axes] = p->base.sweep[i].values;
        p->axis_n[p->n_axes++] = p->base.sweep[i].n_values;
    }
    for (size_t i = 0; i < p->n_vary; i++) {
        size_t k = 0;
        while (k < p->n_axes && strcmp(p->axis_names[k], p->vary[i].path))
            k++;
        p->axis_names[k] = p->vary[i].path;
        p->axis_vals[k] = p->vary[i].values;
        p->axis_n[k] = p->vary[i].n_values;
        if (k == p->n_axes)
            p->n_axes++;
    }
    return 0;
}

/* Load configuration c: the base overrides plus one value per axis. */
static int load_config(struct runner_plan *p, size_t c, struct diag *d)
{
    size_t n = p->n_ov + p->n_axes;
    struct scn_override *ov = calloc(n + 1, sizeof *ov);
    p->axis_values[c] = calloc(p->n_axes + 1, sizeof(char *));
    if (ov == NULL || p->axis_values[c] == NULL) {
        free(ov);
        return diag_set(d, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (p->n_ov > 0)
        memcpy(ov, p->ov, p->n_ov * sizeof *ov);
    size_t rest = c;
    for (size_t k = p->n_axes; k-- > 0;) {
        size_t v = rest % p->axis_n[k];
        rest /= p->axis_n[k];
        ov[p->n_ov + k].path = p->axis_names[k];
        ov[p->n_ov + k].value = p->axis_vals[k][v];
        p->axis_values[c][k] = p->axis_vals[k][v];
    }
    int rc = scn_load_string(&p->cfg[c], p->text, p->file, p->base_dir, ov,
                             n, d);
    free(ov);
    if (rc == 0)
        rc = scn_check_supported(&p->cfg[c], d);
    snprintf(p->labels[c], sizeof p->labels[c], "c%zu", c);
    return rc;
}

int runner_plan_init(struct runner_plan *p, const char *file,
                     const char *text, const char *base_dir,
                     const struct scn_override *ov, size_t n_ov,
                     const struct run_axis *vary, size_t n_vary,
                     struct diag *d)
{
    memset(p, 0, sizeof *p);
    p->file = dup_str(file);
    p->base_dir = base_dir != NULL ? dup_str(base_dir) : dir_of(file);
    if (p->file == NULL || p->base_dir == NULL)
        return diag_set(d, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    int rc = text != NULL ? ((p->text = dup_str(text)) == NULL ? SIM_ENOMEM
                                                               : 0)
                          : read_text(file, &p->text, d);
    if (rc != 0)
        return diag_set(d, rc, file, 0, 0, "out of memory");
    if (copy_inputs(p, ov, n_ov, vary, n_vary) != 0)
        return diag_set(d, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    rc = scn_load_string(&p->base, p->text, p->file, p->base_dir, p->ov,
                         p->n_ov, d);
    if (rc == 0)
        rc = scn_check_supported(&p->base, d);
    if (rc != 0)
        return rc;
    if (text == NULL) /* a run, not a merge: say it once */
        scn_warnings(&p->base, stderr);
    if (gather_axes(p) != 0)
        return diag_set(d, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    p->n_cfg = 1;
    for (size_t k = 0; k < p->n_axes; k++)
        p->n_cfg *= p->axis_n[k];
    p->n_rep = (uint32_t)p->base.replications;
    size_t total = p->n_cfg * p->n_rep;
    p->cfg = calloc(p->n_cfg, sizeof *p->cfg);
    p->axis_values = calloc(p->n_cfg, sizeof *p->axis_values);
    p->labels = calloc(p->n_cfg, sizeof *p->labels);
    p->res = calloc(total, sizeof *p->res);
    p->have = calloc(total, 1);
    if (!p->cfg || !p->axis_values || !p->labels || !p->res || !p->have)
        return diag_set(d, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t c = 0; c < p->n_cfg; c++) {
        rc = load_config(p, c, d);
        if (rc != 0)
            return rc;
        if ((uint32_t)p->cfg[c].replications != p->n_rep)
            return diag_set(d, SIM_EINVAL, NULL, 0, 0,
                            "replications cannot be swept");
    }
    return 0;
}

void runner_plan_fini(struct runner_plan *p)
{
    if (p->cfg != NULL)
        for (size_t c = 0; c < p->n_cfg; c++)
            scn_fini(&p->cfg[c]);
    if (p->axis_values != NULL)
        for (size_t c = 0; c < p->n_cfg; c++)
            free(p->axis_values[c]);
    scn_fini(&p->base);
    for (size_t i = 0; i < p->n_strings; i++)
        free(p->ov_strings[i]);
    if (p->vary != NULL)
        for (size_t i = 0; i < p->n_vary; i++)
            free(p->vary[i].values);
    free(p->ov_strings);
    free(p->vary);
    free(p->ov);
    free(p->axis_values);
    free(p->axis_names);
    free(p->axis_vals);
    free(p->axis_n);
    free(p->cfg);
    free(p->labels);
    free(p->res);
    free(p->have);
    free(p->text);
    free(p->file);
    free(p->base_dir);
    memset(p, 0, sizeof *p);
}

void runner_plan_configs(const struct runner_plan *p,
                         struct report_config *cfgs)
{
    for (size_t c = 0; c < p->n_cfg; c++) {
        memset(&cfgs[c], 0, sizeof cfgs[c]);
        cfgs[c].label = p->labels[c];
        cfgs[c].axis_values = p->axis_values[c];
        cfgs[c].reps = &p->res[c * p->n_rep];
        cfgs[c].n_reps = p->n_rep;
        cfgs[c].slo_met = -1;
    }
}

/* ---- progress bar ------------------------------------------------------ */

/* Wall-clock seconds (monotonic): the program layer only, for the ETA. */
static double wall_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* "1:02:03" or "2:03" for s seconds. */
static void fmt_clock(char *buf, size_t n, double s)
{
    long t = s < 0 ? 0 : (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, n, "%ld:%02ld", t / 60, t % 60);
}

struct progress {
    bool on;
    double t0, last;   /* wall-clock start and last draw, s */
    size_t total;
};

/* Draw the bar for done of total items (called under the runner lock). At
 * most 10 draws a second, and always the last one. */
static void progress_draw(struct progress *g, size_t done)
{
    if (!g->on)
        return;
    double now = wall_s();
    if (done < g->total && now - g->last < 0.1)
        return;
    g->last = now;
    enum { W = 30 };
    char bar[W + 1];
    size_t fill = g->total ? done * W / g->total : W;
    for (size_t i = 0; i < W; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[W] = '\0';
    double el = now - g->t0;
    char tbuf[32];
    if (done < g->total) {
        double eta = done > 0 ? el / (double)done * (double)(g->total - done)
                              : 0.0;
        fmt_clock(tbuf, sizeof tbuf, eta);
        fprintf(stderr, "\r[%s] %zu/%zu %3.0f %%  ETA %s%s", bar, done,
                g->total, 100.0 * (double)done / (double)g->total,
                done > 0 ? tbuf : "?", "   ");
    } else {
        fmt_clock(tbuf, sizeof tbuf, el);
        fprintf(stderr, "\r[%s] %zu/%zu 100 %%  done in %s   \n", bar, done,
                g->total, tbuf);
    }
    fflush(stderr);
}

/* ---- simulation -------------------------------------------------------- */

struct pool {
    struct runner_plan *p;
    const char *tmp;
    size_t *items;        /* the items of this shard, ascending */
    size_t n_items;
    struct diag *diags;   /* [n_items] */
    pthread_mutex_t lock;
    size_t next, done;
    struct progress prog;
};

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
static void run_item(struct pool *pl, size_t item, struct diag *d)
{
    struct runner_plan *p = pl->p;
    size_t c = item / p->n_rep;
    uint32_t rep = (uint32_t)(item % p->n_rep);
    const struct scenario *scn = &p->cfg[c];
    struct part_writer ts, ex;
    struct part_writer *w[2] = {NULL, NULL};
    memset(&ts, 0, sizeof ts);
    memset(&ex, 0, sizeof ex);
    if (pl->tmp != NULL && scn->output.timeseries && rep == 0) {
        if (report_part_open(&ts, pl->tmp, "timeseries", c, p->labels[c],
                             rep, d) != 0)
            return;
        w[0] = &ts;
    }
    if (pl->tmp != NULL && scn->output.executions) {
        if (report_part_open(&ex, pl->tmp, "executions", c, p->labels[c],
                             rep, d) != 0)
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
    if (sim_init(s, scn, rep, &sinks, d) == 0 &&
        sim_run(s, &p->res[item], d) == 0)
        p->have[item] = 1;
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
    struct pool *pl = arg;
    for (;;) {
        pthread_mutex_lock(&pl->lock);
        size_t k = pl->next++;
        pthread_mutex_unlock(&pl->lock);
        if (k >= pl->n_items)
            break;
        run_item(pl, pl->items[k], &pl->diags[k]);
        pthread_mutex_lock(&pl->lock);
        pl->done++;
        progress_draw(&pl->prog, pl->done);
        pthread_mutex_unlock(&pl->lock);
    }
    return NULL;
}

int runner_plan_simulate(struct runner_plan *p, const char *tmp,
                         int threads, uint32_t shard_index,
                         uint32_t shard_count, bool progress,
                         struct diag *d)
{
    size_t total = p->n_cfg * p->n_rep;
    uint32_t n_sh = shard_count > 1 ? shard_count : 1;
    uint32_t idx = shard_count > 1 ? shard_index - 1 : 0;
    struct pool pl;
    memset(&pl, 0, sizeof pl);
    pl.p = p;
    pl.tmp = tmp;
    pl.items = calloc(total / n_sh + 1, sizeof *pl.items);
    if (pl.items == NULL)
        return diag_set(d, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = idx; i < total; i += n_sh)
        pl.items[pl.n_items++] = i;
    pl.diags = calloc(pl.n_items + 1, sizeof *pl.diags);
    if (pl.diags == NULL) {
        free(pl.items);
        return diag_set(d, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t k = 0; k < pl.n_items; k++)
        diag_init(&pl.diags[k]);
    pl.prog.on = progress && pl.n_items > 0;
    pl.prog.total = pl.n_items;
    pl.prog.t0 = pl.prog.last = progress ? wall_s() : 0.0;
    pl.prog.last -= 1.0; /* draw the empty bar at once */

    int nt = threads < 1 ? 1 : threads;
    if ((size_t)nt > pl.n_items)
        nt = pl.n_items > 0 ? (int)pl.n_items : 1;
    pthread_mutex_init(&pl.lock, NULL);
    progress_draw(&pl.prog, 0);
    pthread_t *th = calloc((size_t)nt, sizeof *th);
    int started = 0;
    if (th != NULL)
        for (; started < nt; started++)
            if (pthread_create(&th[started], NULL, worker, &pl) != 0)
                break;
    if (started == 0)
        worker(&pl); /* no thread could start: run here */
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    free(th);
    pthread_mutex_destroy(&pl.lock);

    int rc = 0;
    for (size_t k = 0; k < pl.n_items && rc == 0; k++)
        if (pl.diags[k].code != SIM_OK) {
            *d = pl.diags[k];
            rc = d->code;
        }
    free(pl.diags);
    free(pl.items);
    return rc;
}

/* ---- results folder ---------------------------------------------------- */

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

int runner_finish(struct runner_plan *p, const char *tmp,
                  const struct runner_finish_opts *f)
{
    struct diag d;
    diag_init(&d);
    struct report_config *cfgs = calloc(p->n_cfg, sizeof *cfgs);
    struct slo_eval *evals = calloc(p->n_cfg, sizeof *evals);
    if (cfgs == NULL || evals == NULL) {
        free(cfgs);
        free(evals);
        fprintf(stderr, "burstsim: out of memory\n");
        return EXIT_RUN_FAILED;
    }
    runner_plan_configs(p, cfgs);
    for (size_t c = 0; c < p->n_cfg; c++) {
        slo_evaluate(&p->cfg[c], &cfgs[c], &evals[c]);
        cfgs[c].slo_met = slo_eval_met(&evals[c]);
        if (f->partial)
            cfgs[c].have = &p->have[c * p->n_rep];
    }
    struct slo_recommendation rec;
    slo_recommend(cfgs, evals, p->n_cfg, &rec);
    struct report_input in = {
        .scn = &p->cfg[0], .axis_names = p->axis_names, .n_axes = p->n_axes,
        .configs = cfgs, .n_configs = p->n_cfg, .version = BURSTSIM_VERSION,
        .evals = evals, .rec = &rec,
    };
    const struct scn_output *out = &p->base.output;
    int rc = 0;
    if (f->partial) {
        rc = shard_write_manifest(tmp, p, f->shard_index, f->shard_count,
                                  &d);
        if (rc == 0)
            rc = report_write_replications_csv(tmp, &in, &d);
        if (rc == 0)
            rc = report_write_latency_raw_csv(tmp, &in, &d);
        if (rc == 0)
            rc = shard_keep_parts(tmp, &d);
    } else {
        if (out->timeseries)
            rc = report_parts_gather(tmp, "timeseries", f->part_dirs,
                                     f->n_part_dirs, p->n_cfg, 1,
                                     f->remove_parts, &d);
        if (rc == 0 && out->executions)
            rc = report_parts_gather(tmp, "executions", f->part_dirs,
                                     f->n_part_dirs, p->n_cfg, p->n_rep,
                                     f->remove_parts, &d);
        if (rc == 0)
            rc = report_write_summary_csv(tmp, &in, &d);
        if (rc == 0)
            rc = report_write_replications_csv(tmp, &in, &d);
        if (rc == 0)
            rc = report_write_latency_quantiles_csv(tmp, &in, &d);
        if (rc == 0)
            rc = report_write_summary_json(tmp, &in, &d);
        if (rc == 0)
            rc = report_write_report_md(tmp, &in, out->plots, &d);
        if (rc == 0 && out->plots)
            rc = plot_write(tmp, &d);
    }
    /* Draw the plots in the staging folder (scripts use relative paths),
     * so a failed run leaves none behind either. */
    struct plot_result pr = {0};
    if (rc == 0 && !f->partial && out->plots)
        plot_render(tmp, &pr);
    if (rc == 0)
        rc = report_stage_commit(tmp, f->final_dir, &d);
    int code = EXIT_OK_;
    if (rc != 0) {
        print_diag(&d);
        report_stage_abort(tmp);
        code = EXIT_RUN_FAILED;
    } else if (f->partial) {
        size_t n = 0;
        for (size_t i = 0; i < p->n_cfg * p->n_rep; i++)
            n += p->have[i];
        if (f->table != NULL)
            fprintf(f->table, "shard %u/%u: %zu of %zu replications; "
                              "partial results: %s/ (combine with "
                              "'burstsim merge')\n",
                    f->shard_index, f->shard_count, n, p->n_cfg * p->n_rep,
                    f->final_dir);
    } else {
        if (f->table != NULL) {
            report_print_table(f->table, &in);
            report_print_recommendation(f->table, &in);
        }
        if (!out->plots) {
            if (f->table != NULL)
                fprintf(f->table, "plots: skipped (output.plots is false)\n");
        } else if (pr.status == PLOT_NO_GNUPLOT) {
            fprintf(stderr, "burstsim: gnuplot not found in PATH; plots "
                            "skipped (scripts and data are in %s/plots/; "
                            "run 'burstsim plot %s' once it is installed)\n",
                    f->final_dir, f->final_dir);
        } else if (pr.status == PLOT_FAILED) {
            fprintf(stderr, "burstsim: warning: gnuplot failed on %s (%s); "
                            "the other results are complete\n",
                    pr.failed, pr.why);
        } else if (f->table != NULL) {
            fprintf(f->table, "plots: %zu drawn in %s/plots/\n", pr.drawn,
                    f->final_dir);
        }
        if (f->table != NULL)
            fprintf(f->table, "results: %s/\n", f->final_dir);
        if (f->check && rec.n_met == 0)
            code = EXIT_SLO_NOT_MET;
    }
    free(cfgs);
    free(evals);
    return code;
}

/* The results folder: -o, output.dir or results/<name>; a shard adds
 * ".shard-I-of-N" to the default. */
static void final_dir_of(const struct run_opts *o, const struct scenario *b,
                         char *buf, size_t n)
{
    if (o->out_dir != NULL)
        snprintf(buf, n, "%s", o->out_dir);
    else if (b->output.dir != NULL)
        snprintf(buf, n, "%s", b->output.dir);
    else
        snprintf(buf, n, "results/%s", b->name);
    if (o->out_dir == NULL && o->shard_count > 1) {
        size_t len = strlen(buf);
        snprintf(buf + len, n - len, ".shard-%u-of-%u", o->shard_index,
                 o->shard_count);
    }
}

/* Interruption: while a run stages its results, SIGINT, SIGTERM and SIGHUP
 * are blocked in every thread and taken by one guard thread with
 * sigwait(); on one of them the guard removes the staging folder and ends
 * the process (exit 128 + signal), so an interrupted run leaves nothing
 * behind. SIGUSR1 from the runner ends the guard when the run is over.
 * The guard's state lives in this struct on the runner's stack. */
struct guard {
    pthread_t th;
    sigset_t set, old;
    const char *tmp;
    bool on;
};

static void *guard_main(void *arg)
{
    struct guard *g = arg;
    int sig = 0;
    if (sigwait(&g->set, &sig) != 0 || sig == SIGUSR1)
        return NULL;
    report_stage_abort(g->tmp);
    fprintf(stderr, "\nburstsim: interrupted (%s); no results written\n",
            sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "SIGHUP");
    _exit(128 + sig);
}

static void guard_start(struct guard *g, const char *tmp)
{
    g->tmp = tmp;
    sigemptyset(&g->set);
    sigaddset(&g->set, SIGINT);
    sigaddset(&g->set, SIGTERM);
    sigaddset(&g->set, SIGHUP);
    sigaddset(&g->set, SIGUSR1);
    g->on = pthread_sigmask(SIG_BLOCK, &g->set, &g->old) == 0 &&
            pthread_create(&g->th, NULL, guard_main, g) == 0;
}

static void guard_stop(struct guard *g)
{
    if (!g->on)
        return;
    pthread_kill(g->th, SIGUSR1);
    pthread_join(g->th, NULL);
    pthread_sigmask(SIG_SETMASK, &g->old, NULL);
    g->on = false;
}

int runner_run(const struct run_opts *o)
{
    struct runner_plan p;
    struct diag d;
    diag_init(&d);
    int rc = runner_plan_init(&p, o->scenario_path, NULL, NULL, o->ov,
                              o->n_ov, o->vary, o->n_vary, &d);
    if (rc != 0) {
        print_diag(&d);
        runner_plan_fini(&p);
        return rc == SIM_EINVAL && strstr(d.msg, "swept") != NULL
                   ? EXIT_USAGE
                   : exit_for(rc);
    }
    if (o->check) {
        bool any = false;
        for (size_t c = 0; c < p.n_cfg && !any; c++)
            any = slo_present(&p.cfg[c]);
        if (!any) {
            fprintf(stderr, "burstsim: run: --check needs an slo: section "
                            "in the scenario\ntry 'burstsim run --help'\n");
            runner_plan_fini(&p);
            return EXIT_USAGE;
        }
    }
    char final_dir[1024], tmp[1100];
    final_dir_of(o, &p.base, final_dir, sizeof final_dir);
    if ((rc = report_stage_begin(final_dir, tmp, sizeof tmp, &d)) != 0) {
        print_diag(&d);
        runner_plan_fini(&p);
        return rc == SIM_EINVAL ? EXIT_USAGE : EXIT_RUN_FAILED;
    }
    struct guard g = {.on = false};
    guard_start(&g, tmp);
    rc = runner_plan_simulate(&p, tmp, o->threads, o->shard_index,
                              o->shard_count, o->progress, &d);
    if (rc != 0) {
        guard_stop(&g);
        print_diag(&d);
        report_stage_abort(tmp);
        runner_plan_fini(&p);
        return exit_for(rc);
    }
    char parts[1200];
    snprintf(parts, sizeof parts, "%s/parts", tmp);
    const char *part_dirs[1] = {parts};
    struct runner_finish_opts f = {
        .final_dir = final_dir, .table = o->table, .quiet = o->quiet,
        .check = o->check, .partial = o->shard_count > 1,
        .shard_index = o->shard_index, .shard_count = o->shard_count,
        .part_dirs = part_dirs, .n_part_dirs = 1, .remove_parts = true,
    };
    int code = runner_finish(&p, tmp, &f);
    guard_stop(&g);
    runner_plan_fini(&p);
    return code;
}
