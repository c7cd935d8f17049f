/* sim/io/plot_ctx.h - what the plot writers share: the configurations of a
 * results folder as the plots need them (read back from summary.json), the
 * "<dir>/plots/" folder, and the block data files streamed from
 * timeseries.csv and latency_quantiles.csv (one gnuplot data block per
 * configuration, in configuration order).
 * Units:   seconds and USD as in summary.json.
 * Owns:    struct pctx is caller-allocated (zeroed, dir set, lat_min/max
 *          NAN); plot_ctx_read allocates c and panel, which the caller
 *          frees.
 * Errors:  0 / negative SIM_E* with d naming the file.
 * Threads: no globals. */
#ifndef SIM_PLOT_CTX_H
#define SIM_PLOT_CTX_H

#include "sim/engine/common.h"

#include <stdio.h>

#define PLOT_PATH_MAX 4096

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
    char plots[PLOT_PATH_MAX];
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

/* Configuration index of line l in panel k (configurations are
 * first-axis-major). */
static inline size_t plot_ctx_cfg_at(const struct pctx *x, size_t k,
                                     size_t l)
{
    return l * x->n_panels + k;
}

/* Read "<x->dir>/summary.json" into x: configurations, their titles and
 * metrics, the panel layout and the SLO lines. Returns 0, SIM_EIO (cannot
 * read or parse) or SIM_ENOMEM. */
int plot_ctx_read(struct pctx *x, struct diag *d);

/* Create file `name` in x->plots for writing; NULL with d set. */
FILE *plot_ctx_open(struct pctx *x, const char *name, struct diag *d);

/* Close fp (from plot_ctx_open); SIM_EIO with d set when a write or the
 * close failed, else 0. */
int plot_ctx_close(struct pctx *x, FILE *fp, const char *name,
                   struct diag *d);

/* Most columns plot_ctx_blocks copies. */
#define PLOT_BLK_MAXCOL 8

/* Stream columns cols[0..ncol-1] (ncol <= PLOT_BLK_MAXCOL) of "<x->dir>/<csv>" into
 * "<x->plots>/<dat>", one block per configuration (a configuration without
 * rows gets one row of NaN so gnuplot's index numbering holds). ts: track
 * x->t_max from the first column, else the positive latency range. *have
 * tells whether csv exists (nothing is written when it does not). Returns
 * 0 or a negative SIM_E* with d set. */
int plot_ctx_blocks(struct pctx *x, const char *csv, const char *dat,
                    const char *const *cols, size_t ncol, bool ts,
                    bool *have, struct diag *d);

#endif
