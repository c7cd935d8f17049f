/* sim/plot.c - gnuplot scripts and data for a results folder (see plot.h).
 *
 * Workload: once per run, after the results files are written; the data
 * are a few rows per configuration except timeseries.dat (one row per
 * sample of replication 0), which is streamed from timeseries.csv.
 *
 * Everything is read back from the folder's own files (summary.json,
 * timeseries.csv, latency_quantiles.csv), so `burstsim plot DIR` and a run
 * produce the same plots by the same code. Scripts only use file names
 * relative to plots/, use `noenhanced` text (key paths hold underscores)
 * and draw the PNG and the SVG in one loop, so one edit restyles both.
 *
 * Drawing forks and execs gnuplot found by searching PATH ourselves: no
 * shell ever sees a path, and a missing gnuplot is known before forking. */
#include "sim/io/plot.h"

#include "sim/io/csvin.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PATH_MAX_ 4096

/* One configuration as the plots need it (from summary.json). */
struct pcfg {
    char label[32];
    char line[256];     /* title within its panel: first axis value */
    char full[512];     /* every axis value */
    char tic[128];      /* axis values only, "5/10s", for x tics */
    double p95, p95_ci, cost, cost_ci;
    double empty, empty_ci, ddel, ddel_ci, dcomp, dcomp_ci;
    int met;            /* 1, 0, -1 no SLO */
    bool rec;           /* the recommendation */
};

struct pctx {
    const char *dir;
    char plots[PATH_MAX_];
    struct pcfg *c;
    size_t n;
    size_t n_lines;      /* values of the first axis (lines per panel) */
    size_t n_panels;     /* n / n_lines */
    char (*panel)[512];  /* panel titles */
    double slo_backlog, slo_p95;   /* NAN when not an objective */
    double t_max;        /* largest t_s in timeseries.csv */
    bool have_ts, have_q;
    double lat_min, lat_max;       /* positive latency range in the CDF */
    char axes_short[256];          /* "max_executions/polling_interval" */
};

/* ---- small helpers ----------------------------------------------------- */

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

/* Write s as a gnuplot double-quoted string (backslash and quote
 * escaped). */
static void gp_str(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', fp);
        fputc(*s == '\n' ? ' ' : *s, fp);
    }
    fputc('"', fp);
}

/* Line color k of n along a viridis-like ramp (dark purple to green). */
static void ramp(char *buf, size_t len, size_t k, size_t n)
{
    static const double a[][3] = {{68, 1, 84},   {59, 82, 139},
                                  {33, 145, 140}, {94, 201, 98},
                                  {181, 222, 43}};
    double x = n > 1 ? (double)k / (double)(n - 1) * 4.0 : 0.0;
    int i = (int)x;
    if (i >= 4)
        i = 3;
    double f = x - i;
    int rgb[3];
    for (int j = 0; j < 3; j++)
        rgb[j] = (int)(a[i][j] + (a[i + 1][j] - a[i][j]) * f + 0.5);
    snprintf(buf, len, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
}

static FILE *open_in_plots(struct pctx *x, const char *name, struct diag *d)
{
    char path[PATH_MAX_ + 64];
    snprintf(path, sizeof path, "%s/%s", x->plots, name);
    FILE *fp = fopen(path, "w");
    if (fp == NULL)
        diag_set(d, SIM_EIO, path, 0, 0, "cannot create file: %s",
                 strerror(errno));
    return fp;
}

static int close_plots_file(struct pctx *x, FILE *fp, const char *name,
                            struct diag *d)
{
    int bad = ferror(fp);
    if (fclose(fp) != 0 || bad) {
        char path[PATH_MAX_ + 64];
        snprintf(path, sizeof path, "%s/%s", x->plots, name);
        return diag_set(d, SIM_EIO, path, 0, 0, "cannot write file");
    }
    return 0;
}

/* ---- reading the results ----------------------------------------------- */

static int read_summary(struct pctx *x, struct diag *d)
{
    char path[PATH_MAX_];
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

/* Configuration index of line l in panel k. */
static size_t cfg_at(const struct pctx *x, size_t k, size_t l)
{
    return l * x->n_panels + k;
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
    long col[4];         /* columns copied */
    size_t ncol;
    const char *want[4]; /* their names */
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

static int write_blocks(struct pctx *x, const char *csv, const char *dat,
                        const char *const *cols, size_t ncol, bool ts,
                        bool *have, struct diag *d)
{
    char path[PATH_MAX_];
    snprintf(path, sizeof path, "%s/%s", x->dir, csv);
    struct stat st;
    *have = stat(path, &st) == 0;
    if (!*have)
        return 0;
    FILE *out = open_in_plots(x, dat, d);
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
    int rc2 = close_plots_file(x, out, dat, d);
    return rc != 0 ? rc : rc2;
}

/* The header block comment of the .gp files. In the block data files,
 * configuration c is data index c. */
static void gp_head(FILE *fp, const char *name, const char *what,
                    const char *data)
{
    fprintf(fp,
            "# %s.gp - %s.\n"
            "# Written by burstsim " BURSTSIM_VERSION "; edit freely, then "
            "run `gnuplot %s.gp` in\n# this folder (or `burstsim plot "
            "RESULTS_DIR`) to redraw %s.png and %s.svg.\n"
            "# Data: %s\n\n",
            name, what, name, name, name, data);
}

/* Open the loop drawing PNG then SVG of size w x h pixels. */
static void gp_loop_open(FILE *fp, const char *name, int w, int h)
{
    fprintf(fp,
            "do for [fmt in \"png svg\"] {\n"
            "  if (fmt eq \"png\") {\n"
            "    set terminal pngcairo size %d,%d noenhanced font "
            "\"sans,10\" background rgb \"white\"\n"
            "  } else {\n"
            "    set terminal svg size %d,%d noenhanced font \"sans,10\" "
            "dynamic background rgb \"white\"\n"
            "  }\n"
            "  set output \"%s.\" . fmt\n",
            w, h, w, h, name);
}

static void gp_loop_close(FILE *fp)
{
    fputs("  set output\n}\n", fp);
}

/* Panel grid for n panels: columns and rows. */
static void grid(size_t n, size_t *cols, size_t *rows)
{
    size_t c = n <= 3 ? n : 3;
    if (c == 0)
        c = 1;
    *cols = c;
    *rows = (n + c - 1) / c;
}

/* ---- the time plots (backlog, executions) ------------------------------ */

static int write_time_plot(struct pctx *x, const char *name,
                           const char *what, const char *ylabel, int col,
                           bool slo, struct diag *d)
{
    char fname[64];
    snprintf(fname, sizeof fname, "%s.gp", name);
    FILE *fp = open_in_plots(x, fname, d);
    if (fp == NULL)
        return SIM_EIO;
    gp_head(fp, name, what,
            "timeseries.dat (one block per configuration; columns t_s "
            "backlog executions_running executions_pending)");
    double div = 1.0;
    const char *unit = "s";
    if (x->t_max > 3 * 3600.0) {
        div = 3600.0;
        unit = "h";
    } else if (x->t_max > 3 * 60.0) {
        div = 60.0;
        unit = "min";
    }
    size_t cols, rows;
    grid(x->n_panels, &cols, &rows);
    int w = (int)(cols * 620), h = (int)(rows * 400 + 40);
    fprintf(fp, "tdiv = %g   # seconds per x unit\n", div);
    if (slo && !isnan(x->slo_backlog))
        fprintf(fp, "slo_backlog = %.10g   # slo.backlog_max\n",
                x->slo_backlog);
    fprintf(fp, "set grid\nset key top right font \",8\"\n"
                "set xlabel \"time (%s)\"\nset ylabel \"%s\"\n"
                "set yrange [0:*]\n",
            unit, ylabel);
    gp_loop_open(fp, name, w, h);
    fprintf(fp, "  set multiplot layout %zu,%zu title \"%s\"\n", rows, cols,
            what);
    for (size_t k = 0; k < x->n_panels; k++) {
        fputs("  set title ", fp);
        gp_str(fp, x->n_panels > 1 ? x->panel[k] : "");
        fputs("\n  plot \\\n", fp);
        for (size_t l = 0; l < x->n_lines; l++) {
            size_t c = cfg_at(x, k, l);
            char color[16];
            ramp(color, sizeof color, l, x->n_lines);
            fprintf(fp, "    \"timeseries.dat\" index %zu using ($1/tdiv):%d "
                        "with steps lw 1.5 lc rgb \"%s\" title ",
                    c, col, color);
            gp_str(fp, x->c[c].line);
            fputs(l + 1 < x->n_lines || (slo && !isnan(x->slo_backlog))
                      ? ", \\\n"
                      : "\n",
                  fp);
        }
        if (slo && !isnan(x->slo_backlog))
            fputs("    slo_backlog with lines dt 2 lw 1.5 lc rgb \"red\" "
                  "title \"SLO backlog_max\"\n",
                  fp);
    }
    fputs("  unset multiplot\n", fp);
    gp_loop_close(fp);
    return close_plots_file(x, fp, fname, d);
}

/* ---- latency CDF ------------------------------------------------------- */

static int write_cdf_plot(struct pctx *x, struct diag *d)
{
    FILE *fp = open_in_plots(x, "latency_cdf.gp", d);
    if (fp == NULL)
        return SIM_EIO;
    gp_head(fp, "latency_cdf",
            "latency CDF (arrival -> first completion) per configuration: "
            "the mean over replications of each percentile",
            "latency_cdf.dat (one block per configuration; columns "
            "latency_s p)");
    size_t cols, rows;
    grid(x->n_panels, &cols, &rows);
    int w = (int)(cols * 620), h = (int)(rows * 400 + 40);
    bool logx = x->lat_min > 0 && x->lat_max / x->lat_min > 100.0;
    fprintf(fp, "set grid\nset key bottom right font \",8\"\n"
                "set xlabel \"latency (s)%s\"\nset ylabel \"fraction of "
                "messages\"\nset yrange [0:1]\n%s",
            logx ? ", log scale" : "", logx ? "set logscale x\n" : "");
    if (!isnan(x->slo_p95))
        fprintf(fp, "slo_p95 = %.10g   # slo.latency_p95, s\n"
                    "set arrow 1 from slo_p95, graph 0 to slo_p95, graph 1 "
                    "nohead dt 2 lw 1.5 lc rgb \"red\"\n"
                    "set label 1 \"SLO p95\" at slo_p95, graph 0.05 "
                    "offset 0.5,0 textcolor rgb \"red\"\n",
                x->slo_p95);
    fputs("set arrow 2 from graph 0, first 0.95 to graph 1, first 0.95 "
          "nohead dt 3 lc rgb \"gray40\"\n",
          fp);
    gp_loop_open(fp, "latency_cdf", w, h);
    fputs("  set multiplot layout ", fp);
    fprintf(fp, "%zu,%zu title \"Latency CDF\"\n", rows, cols);
    for (size_t k = 0; k < x->n_panels; k++) {
        fputs("  set title ", fp);
        gp_str(fp, x->n_panels > 1 ? x->panel[k] : "");
        fputs("\n  plot \\\n", fp);
        for (size_t l = 0; l < x->n_lines; l++) {
            size_t c = cfg_at(x, k, l);
            char color[16];
            ramp(color, sizeof color, l, x->n_lines);
            fprintf(fp, "    \"latency_cdf.dat\" index %zu using 1:2 with "
                        "lines lw 1.5 lc rgb \"%s\" title ",
                    c, color);
            gp_str(fp, x->c[c].line);
            fputs(l + 1 < x->n_lines ? ", \\\n" : "\n", fp);
        }
    }
    fputs("  unset multiplot\n", fp);
    gp_loop_close(fp);
    return close_plots_file(x, fp, "latency_cdf.gp", d);
}

/* ---- per-configuration plots ------------------------------------------- */

/* configs.dat and pareto.dat. */
static int write_config_data(struct pctx *x, struct diag *d)
{
    FILE *fp = open_in_plots(x, "configs.dat", d);
    if (fp == NULL)
        return SIM_EIO;
    fputs("# configs.dat - one row per configuration, from ../summary.json"
          " (means and 95 % half-widths)\n# 1 index  2 config  3 title  "
          "4 latency_p95_s  5 ci95  6 cost_usd  7 ci95  8 empty_executions"
          "  9 ci95\n# 10 duplicate_deliveries  11 ci95  12 "
          "duplicate_completions  13 ci95  14 slo_met (1/0/-1)  15 "
          "recommended (1/0)  16 axis values (x tics)\n",
          fp);
    for (size_t i = 0; i < x->n; i++) {
        const struct pcfg *c = &x->c[i];
        fprintf(fp, "%zu %s ", i, c->label);
        gp_str(fp, c->full);
        fprintf(fp,
                " %.10g %.10g %.10g %.10g %.10g %.10g %.10g %.10g %.10g "
                "%.10g %d %d ",
                c->p95, isnan(c->p95_ci) ? 0.0 : c->p95_ci, c->cost,
                isnan(c->cost_ci) ? 0.0 : c->cost_ci, c->empty,
                isnan(c->empty_ci) ? 0.0 : c->empty_ci, c->ddel,
                isnan(c->ddel_ci) ? 0.0 : c->ddel_ci, c->dcomp,
                isnan(c->dcomp_ci) ? 0.0 : c->dcomp_ci, c->met,
                c->rec ? 1 : 0);
        gp_str(fp, c->tic);
        fputc('\n', fp);
    }
    int rc = close_plots_file(x, fp, "configs.dat", d);
    if (rc != 0)
        return rc;

    /* Pareto frontier: configurations no other beats on both mean p95
     * latency and mean cost (lower is better; ties kept), by latency. */
    fp = open_in_plots(x, "pareto.dat", d);
    if (fp == NULL)
        return SIM_EIO;
    fputs("# pareto.dat - the Pareto frontier of (latency_p95_s, cost_usd)"
          " means, by latency\n# latency_p95_s cost_usd config\n",
          fp);
    size_t *idx = calloc(x->n + 1, sizeof *idx), m = 0;
    if (idx == NULL) {
        fclose(fp);
        return diag_set(d, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < x->n; i++) {
        const struct pcfg *a = &x->c[i];
        if (isnan(a->p95) || isnan(a->cost))
            continue;
        bool dominated = false;
        for (size_t j = 0; j < x->n && !dominated; j++) {
            const struct pcfg *b = &x->c[j];
            dominated = j != i && b->p95 <= a->p95 && b->cost <= a->cost &&
                        (b->p95 < a->p95 || b->cost < a->cost);
        }
        if (!dominated)
            idx[m++] = i;
    }
    for (size_t i = 1; i < m; i++)          /* insertion sort by p95 */
        for (size_t j = i; j > 0 && x->c[idx[j]].p95 < x->c[idx[j - 1]].p95;
             j--) {
            size_t t = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = t;
        }
    for (size_t i = 0; i < m; i++)
        fprintf(fp, "%.10g %.10g %s\n", x->c[idx[i]].p95, x->c[idx[i]].cost,
                x->c[idx[i]].label);
    free(idx);
    return close_plots_file(x, fp, "pareto.dat", d);
}

static int write_cost_plot(struct pctx *x, struct diag *d)
{
    FILE *fp = open_in_plots(x, "cost_latency.gp", d);
    if (fp == NULL)
        return SIM_EIO;
    gp_head(fp, "cost_latency",
            "mean cost per run versus mean p95 latency, with 95 % "
            "confidence error bars, the Pareto frontier and the latency SLO",
            "configs.dat (one row per configuration), pareto.dat");
    double lo = (double)INFINITY, hi = 0.0;
    for (size_t i = 0; i < x->n; i++)
        if (x->c[i].p95 > 0) {
            lo = x->c[i].p95 < lo ? x->c[i].p95 : lo;
            hi = x->c[i].p95 > hi ? x->c[i].p95 : hi;
        }
    bool logx = hi > 0 && hi / lo > 30.0;
    fprintf(fp, "set grid\nset key outside right top\n"
                "set xlabel \"latency p95 (s)%s\"\nset ylabel \"cost per "
                "simulated run (USD)\"\n%s",
            logx ? ", log scale" : "", logx ? "set logscale x\n" : "");
    if (!isnan(x->slo_p95))
        fprintf(fp, "slo_p95 = %.10g   # slo.latency_p95, s\n"
                    "set arrow 1 from slo_p95, graph 0 to slo_p95, graph 1 "
                    "nohead dt 2 lw 1.5 lc rgb \"red\"\n"
                    "set label 1 \"SLO latency_p95\" at slo_p95, graph 0.97 "
                    "offset 0.5,0 textcolor rgb \"red\"\n",
                x->slo_p95);
    fputs("set offsets graph 0.05, graph 0.05, graph 0.08, graph 0.05\n",
          fp);
    gp_loop_open(fp, "cost_latency", 1100, 700);
    fputs("  plot \\\n"
          "    \"pareto.dat\" using 1:2 with lines lw 2 lc rgb \"gray50\" "
          "title \"Pareto frontier\", \\\n"
          "    \"configs.dat\" using ($14==1?$4:NaN):6:5:7 with xyerrorbars "
          "pt 7 ps 1 lc rgb \"#1a9850\" title \"meets the SLOs\", \\\n"
          "    \"configs.dat\" using ($14==0?$4:NaN):6:5:7 with xyerrorbars "
          "pt 7 ps 1 lc rgb \"#d73027\" title \"fails an SLO\", \\\n"
          "    \"configs.dat\" using ($14<0?$4:NaN):6:5:7 with xyerrorbars "
          "pt 7 ps 1 lc rgb \"#4575b4\" title \"no SLO\", \\\n"
          "    \"configs.dat\" using ($15==1?$4:NaN):6 with points pt 6 ps 3 "
          "lw 2 lc rgb \"black\" title \"recommended\", \\\n"
          "    \"configs.dat\" using 4:6:2 with labels offset 1.2,0.6 font "
          "\",8\" notitle\n",
          fp);
    gp_loop_close(fp);
    return close_plots_file(x, fp, "cost_latency.gp", d);
}

static int write_waste_plot(struct pctx *x, struct diag *d)
{
    FILE *fp = open_in_plots(x, "waste.gp", d);
    if (fp == NULL)
        return SIM_EIO;
    gp_head(fp, "waste",
            "empty executions and duplicate deliveries / completions per "
            "configuration (means, 95 % error bars)",
            "configs.dat (one row per configuration)");
    int w = (int)(x->n * 38 + 300);
    w = w < 900 ? 900 : w > 3000 ? 3000 : w;
    fputs("set grid y\nset style data histograms\n"
          "set style histogram errorbars gap 1 lw 1\n"
          "set style fill solid 0.85 border -1\nset boxwidth 0.9\n"
          "set xtics rotate by -50 font \",8\" nomirror\n"
          "set yrange [0:*]\nset key top right\n",
          fp);
    fputs("set xlabel ", fp);
    gp_str(fp, x->axes_short[0] ? x->axes_short : "configuration");
    fputc('\n', fp);
    gp_loop_open(fp, "waste", w, 900);
    fputs("  set multiplot layout 2,1 title \"Wasted work per "
          "configuration\"\n"
          "  set ylabel \"empty executions per run\"\n"
          "  plot \"configs.dat\" using 8:9:xtic(16) lc rgb \"#fdae61\" "
          "title \"empty executions\"\n"
          "  set ylabel \"messages per run\"\n"
          "  plot \"configs.dat\" using 10:11:xtic(16) lc rgb \"#4575b4\" "
          "title \"duplicate deliveries\", \\\n"
          "       \"configs.dat\" using 12:13 lc rgb \"#d73027\" "
          "title \"duplicate completions\"\n"
          "  unset multiplot\n",
          fp);
    gp_loop_close(fp);
    /* The x labels are config labels: say what they stand for. */
    fputs("\n# Configurations:\n", fp);
    for (size_t i = 0; i < x->n; i++)
        fprintf(fp, "#   %s  %s\n", x->c[i].label, x->c[i].full);
    return close_plots_file(x, fp, "waste.gp", d);
}

int plot_write(const char *dir, struct diag *d)
{
    struct pctx x;
    memset(&x, 0, sizeof x);
    x.dir = dir;
    x.lat_min = x.lat_max = (double)NAN;
    snprintf(x.plots, sizeof x.plots, "%s/plots", dir);
    if (mkdir(x.plots, 0777) != 0 && errno != EEXIST)
        return diag_set(d, SIM_EIO, x.plots, 0, 0, "cannot create folder: %s",
                        strerror(errno));
    int rc = read_summary(&x, d);
    static const char *const ts_cols[] = {"t_s", "backlog",
                                          "executions_running",
                                          "executions_pending"};
    static const char *const q_cols[] = {"latency_s", "p"};
    if (rc == 0)
        rc = write_blocks(&x, "timeseries.csv", "timeseries.dat", ts_cols, 4,
                          true, &x.have_ts, d);
    if (rc == 0)
        rc = write_blocks(&x, "latency_quantiles.csv", "latency_cdf.dat",
                          q_cols, 2, false, &x.have_q, d);
    if (rc == 0 && x.have_ts)
        rc = write_time_plot(&x, "backlog",
                             "Backlog over time (replication 0)",
                             "backlog (messages)", 2, true, d);
    if (rc == 0 && x.have_ts)
        rc = write_time_plot(&x, "executions",
                             "Executions running over time (replication 0)",
                             "executions running", 3, false, d);
    if (rc == 0 && x.have_q)
        rc = write_cdf_plot(&x, d);
    if (rc == 0)
        rc = write_config_data(&x, d);
    if (rc == 0)
        rc = write_cost_plot(&x, d);
    if (rc == 0)
        rc = write_waste_plot(&x, d);
    free(x.c);
    free(x.panel);
    return rc;
}

/* ---- drawing ----------------------------------------------------------- */

/* Find an executable "gnuplot" in PATH; false when there is none. */
static bool find_gnuplot(char *buf, size_t n)
{
    const char *path = getenv("PATH");
    if (path == NULL || *path == '\0')
        return false;
    const char *p = path;
    for (;;) {
        const char *e = strchr(p, ':');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        int k = snprintf(buf, n, "%.*s/gnuplot", (int)len,
                         len > 0 ? p : ".");
        struct stat st;
        if (k > 0 && (size_t)k < n && stat(buf, &st) == 0 &&
            S_ISREG(st.st_mode) && access(buf, X_OK) == 0)
            return true;
        if (e == NULL)
            return false;
        p = e + 1;
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run gnuplot on script in folder dir; 0 or -1 with why filled. */
static int run_gnuplot(const char *gnuplot, const char *dir,
                       const char *script, char *why, size_t n)
{
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(why, n, "cannot fork: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        /* Child: async-signal-safe calls only, then exec. gnuplot gets
         * the default signal mask back (the runner blocks SIGINT & co. in
         * its threads while it stages results). */
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        if (chdir(dir) != 0)
            _exit(126);
        int in = open("/dev/null", O_RDONLY);
        int out = open("/dev/null", O_WRONLY);
        int log = open("gnuplot.log", O_WRONLY | O_CREAT | O_APPEND, 0666);
        if (in >= 0)
            dup2(in, 0);
        if (out >= 0)
            dup2(out, 1);
        if (log >= 0)
            dup2(log, 2);
        char *const argv[] = {(char *)"gnuplot", (char *)script, NULL};
        execv(gnuplot, argv);
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) {
            snprintf(why, n, "waitpid: %s", strerror(errno));
            return -1;
        }
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
        return 0;
    if (WIFEXITED(st))
        snprintf(why, n, "gnuplot exited with status %d; see "
                         "plots/gnuplot.log",
                 WEXITSTATUS(st));
    else
        snprintf(why, n, "gnuplot killed by signal %d", WTERMSIG(st));
    return -1;
}

bool plot_has_scripts(const char *dir)
{
    char plots[PATH_MAX_];
    snprintf(plots, sizeof plots, "%s/plots", dir);
    DIR *dh = opendir(plots);
    bool any = false;
    struct dirent *e;
    while (dh != NULL && !any && (e = readdir(dh)) != NULL) {
        size_t len = strlen(e->d_name);
        any = len >= 4 && strcmp(e->d_name + len - 3, ".gp") == 0;
    }
    if (dh != NULL)
        closedir(dh);
    return any;
}

void plot_render(const char *dir, struct plot_result *r)
{
    memset(r, 0, sizeof *r);
    char plots[PATH_MAX_], gnuplot[PATH_MAX_];
    snprintf(plots, sizeof plots, "%s/plots", dir);
    DIR *dh = opendir(plots);
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while (dh != NULL && (e = readdir(dh)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 3, ".gp") != 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **nn = realloc(names, cap * sizeof *nn);
            if (nn == NULL)
                break;
            names = nn;
        }
        if ((names[n] = strdup(e->d_name)) != NULL)
            n++;
    }
    if (dh != NULL)
        closedir(dh);
    if (n == 0) {
        r->status = PLOT_NO_SCRIPTS;
    } else if (!find_gnuplot(gnuplot, sizeof gnuplot)) {
        r->status = PLOT_NO_GNUPLOT;
    } else {
        qsort(names, n, sizeof *names, cmp_str);
        r->status = PLOT_DRAWN;
        for (size_t i = 0; i < n; i++) {
            char why[160];
            if (run_gnuplot(gnuplot, plots, names[i], why, sizeof why) == 0) {
                r->drawn++;
            } else if (r->status == PLOT_DRAWN) {
                r->status = PLOT_FAILED;
                snprintf(r->failed, sizeof r->failed, "%s", names[i]);
                snprintf(r->why, sizeof r->why, "%s", why);
            }
        }
        if (r->status == PLOT_DRAWN) {
            char log[PATH_MAX_ + 16];
            snprintf(log, sizeof log, "%s/gnuplot.log", plots);
            unlink(log);
        }
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}
