/* sim/io/plot_ctx.c - the results folder as the plots read it (see
 * plot_ctx.h).
 *
 * Everything is read back from the folder's own files (summary.json,
 * timeseries.csv, latency_quantiles.csv), so `burstsim plot DIR` and a run
 * produce the same plots by the same code. Workload: summary.json is
 * small; timeseries.csv (every sample of replication 0) is streamed row by
 * row through csvin. */
#include "sim/io/plot_ctx.h"

#include "sim/io/csvin.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
static double jnum(json_t *o, const char *metric, const char *field)
{
    json_t *v = json_object_get(json_object_get(o, metric), field);
    return json_is_number(v) ? json_number_value(v) : (double)NAN;
}

/* Last component of a key path ("scale.max_executions" ->
 * "max_executions"). */
static const char *short_name(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot != NULL ? dot + 1 : path;
}

FILE *plot_ctx_open(struct pctx *x, const char *name, struct diag *d)
{
    char path[PLOT_PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", x->plots, name);
    FILE *fp = fopen(path, "w");
    if (fp == NULL)
        diag_set(d, SIM_EIO, path, 0, 0, "cannot create file: %s",
                 strerror(errno));
    return fp;
}

int plot_ctx_close(struct pctx *x, FILE *fp, const char *name,
                   struct diag *d)
{
    int bad = ferror(fp);
    if (fclose(fp) != 0 || bad) {
        char path[PLOT_PATH_MAX + 64];
        snprintf(path, sizeof path, "%s/%s", x->plots, name);
        return diag_set(d, SIM_EIO, path, 0, 0, "cannot write file");
    }
    return 0;
}

/* ---- reading the results ----------------------------------------------- */

int plot_ctx_read(struct pctx *x, struct diag *d)
{
    char path[PLOT_PATH_MAX];
    snprintf(path, sizeof path, "%s/summary.json", x->dir);
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (root == NULL)
        return diag_set(d, SIM_EIO, path, je.line, je.column,
                        "cannot read: %s", je.text);
    json_t *axes = json_object_get(root, "axes");
    json_t *configs = json_object_get(root, "configs");
    size_t n_axes = json_array_size(axes);
    x->n = json_array_size(configs);
    x->c = calloc(x->n + 1, sizeof *x->c);
    x->panel = calloc(x->n + 1, sizeof *x->panel);
    if (x->c == NULL || x->panel == NULL) {
        json_decref(root);
        return diag_set(d, SIM_ENOMEM, path, 0, 0, "out of memory");
    }
    const char *rec = json_string_value(json_object_get(
        json_object_get(root, "recommendation"), "config"));
    const char *first0 = NULL;
    x->n_lines = 0;
    for (size_t a = 0; a < n_axes; a++) {
        const char *name = json_string_value(json_array_get(axes, a));
        size_t l = strlen(x->axes_short);
        snprintf(x->axes_short + l, sizeof x->axes_short - l, "%s%s",
                 a ? "/" : "", short_name(name ? name : "?"));
    }
    for (size_t i = 0; i < x->n; i++) {
        json_t *c = json_array_get(configs, i);
        struct pcfg *p = &x->c[i];
        const char *label = json_string_value(json_object_get(c, "config"));
        snprintf(p->label, sizeof p->label, "%s", label ? label : "?");
        json_t *vals = json_object_get(c, "values");
        size_t lf = 0, lp = 0;
        p->line[0] = p->full[0] = p->tic[0] = x->panel[i][0] = '\0';
        for (size_t a = 0; a < n_axes; a++) {
            const char *name = json_string_value(json_array_get(axes, a));
            const char *v = json_string_value(json_object_get(vals, name));
            name = short_name(name ? name : "?");
            v = v ? v : "";
            size_t lt = strlen(p->tic);
            snprintf(p->tic + lt, sizeof p->tic - lt, "%s%s", a ? "/" : "",
                     v);
            lf += (size_t)snprintf(p->full + lf, lf < sizeof p->full
                                                      ? sizeof p->full - lf
                                                      : 0,
                                   "%s%s=%s", a ? ", " : "", name, v);
            if (lf >= sizeof p->full)
                lf = sizeof p->full - 1;
            if (a == 0) {
                snprintf(p->line, sizeof p->line, "%s=%s", name, v);
                if (i == 0)
                    first0 = v;
            } else {
                lp += (size_t)snprintf(x->panel[i] + lp,
                                       lp < sizeof x->panel[i]
                                           ? sizeof x->panel[i] - lp
                                           : 0,
                                       "%s%s=%s", a > 1 ? ", " : "", name, v);
                if (lp >= sizeof x->panel[i])
                    lp = sizeof x->panel[i] - 1;
            }
        }
        if (n_axes == 0) {
            snprintf(p->line, sizeof p->line, "%s", p->label);
            snprintf(p->full, sizeof p->full, "%s", p->label);
            snprintf(p->tic, sizeof p->tic, "%s", p->label);
        }
        json_t *m = json_object_get(c, "metrics");
        p->p95 = jnum(m, "latency_p95_s", "mean");
        p->p95_ci = jnum(m, "latency_p95_s", "ci95");
        p->cost = jnum(m, "cost_usd", "mean");
        p->cost_ci = jnum(m, "cost_usd", "ci95");
        p->empty = jnum(m, "empty_executions", "mean");
        p->empty_ci = jnum(m, "empty_executions", "ci95");
        p->ddel = jnum(m, "duplicate_deliveries", "mean");
        p->ddel_ci = jnum(m, "duplicate_deliveries", "ci95");
        p->dcomp = jnum(m, "duplicate_completions", "mean");
        p->dcomp_ci = jnum(m, "duplicate_completions", "ci95");
        json_t *met = json_object_get(c, "slo_met");
        p->met = json_is_boolean(met) ? json_is_true(met) : -1;
        p->rec = rec != NULL && strcmp(rec, p->label) == 0;
        /* Lines per panel: how many configurations pass before the first
         * axis changes value (configurations are first-axis-major). */
        if (n_axes > 0 && first0 != NULL && x->n_panels == 0 && i > 0) {
            const char *v = json_string_value(json_object_get(
                vals, json_string_value(json_array_get(axes, 0))));
            if (v != NULL && strcmp(v, first0) != 0)
                x->n_panels = i;
        }
        /* SLO lines, from the first configuration's objectives. */
        if (i == 0) {
            x->slo_backlog = x->slo_p95 = (double)NAN;
            json_t *slo = json_object_get(c, "slo");
            for (size_t k = 0; k < json_array_size(slo); k++) {
                json_t *o = json_array_get(slo, k);
                const char *key = json_string_value(
                    json_object_get(o, "objective"));
                double lim = json_number_value(json_object_get(o, "limit"));
                if (key && strcmp(key, "backlog_max") == 0)
                    x->slo_backlog = lim;
                else if (key && strcmp(key, "latency_p95") == 0)
                    x->slo_p95 = lim;
            }
        }
    }
    if (n_axes <= 1 || x->n_panels == 0)
        x->n_panels = 1;
    x->n_lines = x->n / x->n_panels;
    json_decref(root);
    return 0;
}

/* Index of a "c<N>" label, or SIZE_MAX. */
static size_t label_index(const struct pctx *x, const char *label)
{
    char *end;
    if (label[0] != 'c')
        return SIZE_MAX;
    unsigned long long v = strtoull(label + 1, &end, 10);
    return (*end == '\0' && v < x->n) ? (size_t)v : SIZE_MAX;
}

/* Streaming timeseries.csv / latency_quantiles.csv into a block file:
 * one gnuplot data block per configuration, in configuration order. */
struct blk {
    struct pctx *x;
    FILE *out;
    size_t cur;          /* next block to open */
    long col[PLOT_BLK_MAXCOL]; /* columns copied */
    size_t ncol;
    const char *want[PLOT_BLK_MAXCOL]; /* their names */
    bool ts;             /* tracking t_max / latency range */
};

/* Open blocks up to and including configuration c. */
static void blk_to(struct blk *b, size_t c)
{
    while (b->cur <= c) {
        if (b->cur > 0)
            fputs("\n\n", b->out);
        fprintf(b->out, "# %s %s\n", b->x->c[b->cur].label,
                b->x->c[b->cur].full);
        b->cur++;
        /* An empty block would shift gnuplot's index numbering: configs
         * without rows get one row of NaN. */
        if (b->cur <= c) {
            for (size_t i = 0; i < b->ncol; i++)
                fputs(i ? " NaN" : "NaN", b->out);
            fputc('\n', b->out);
        }
    }
}

static int on_blk_row(void *ctx, size_t line, char **f, size_t n,
                      struct diag *d)
{
    (void)d;
    struct blk *b = ctx;
    if (line == 1) {
        for (size_t i = 0; i < b->ncol; i++) {
            b->col[i] = -1;
            for (size_t j = 0; j < n; j++)
                if (strcmp(f[j], b->want[i]) == 0)
                    b->col[i] = (long)j;
        }
        return 0;
    }
    size_t c = label_index(b->x, f[0]);
    if (c == SIZE_MAX || c + 1 < b->cur)
        return 0;               /* unknown or out of order: skipped */
    blk_to(b, c);
    for (size_t i = 0; i < b->ncol; i++) {
        double v = (double)NAN;
        if (b->col[i] >= 0 && (size_t)b->col[i] < n)
            csvin_number(f[b->col[i]], &v);
        fprintf(b->out, i ? " %.10g" : "%.10g", v);
        if (b->ts && i == 0 && v > b->x->t_max)
            b->x->t_max = v;
        if (!b->ts && i == 0 && v > 0) {
            if (!(v >= b->x->lat_min))
                b->x->lat_min = v;
            if (!(v <= b->x->lat_max))
                b->x->lat_max = v;
        }
    }
    fputc('\n', b->out);
    return 0;
}

int plot_ctx_blocks(struct pctx *x, const char *csv, const char *dat,
                    const char *const *cols, size_t ncol, bool ts,
                    bool *have, struct diag *d)
{
    char path[PLOT_PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", x->dir, csv);
    struct stat st;
    *have = stat(path, &st) == 0;
    if (!*have)
        return 0;
    FILE *out = plot_ctx_open(x, dat, d);
    if (out == NULL)
        return SIM_EIO;
    struct blk b = {.x = x, .out = out, .ncol = ncol, .ts = ts};
    for (size_t i = 0; i < ncol; i++)
        b.want[i] = cols[i];
    fprintf(out, "# %s from ../%s: one block per configuration (gnuplot "
                 "index i = config c<i>); columns:",
            dat, csv);
    for (size_t i = 0; i < ncol; i++)
        fprintf(out, " %s", cols[i]);
    fputc('\n', out);
    int rc = csvin_read(path, on_blk_row, &b, d);
    if (rc == 0 && x->n > 0)
        blk_to(&b, x->n - 1);
    int rc2 = plot_ctx_close(x, out, dat, d);
    return rc != 0 ? rc : rc2;
}

