/* sim/plot.h - the plots of a results folder, drawn by gnuplot: each plot
 * is a `.gp` script with its data beside it in "<dir>/plots/", producing a
 * PNG (pngcairo) and an SVG, so users can restyle a plot by editing its
 * script and running `gnuplot NAME.gp` in that folder (or `burstsim plot
 * DIR`).
 *   backlog.gp       backlog over time, replication 0, per configuration
 *   executions.gp    executions running over time, per configuration
 *   latency_cdf.gp   latency CDF per configuration
 *   cost_latency.gp  mean cost vs mean p95 latency (95 % error bars), the
 *                    Pareto frontier, the latency SLO line, the
 *                    recommendation ringed
 *   waste.gp         empty executions and duplicate deliveries/completions
 *                    per configuration
 * Configurations are grouped for the time and CDF plots: one panel per
 * combination of the axes after the first, one line per value of the
 * first axis.
 * Inputs read: summary.json, timeseries.csv (optional), and
 * latency_quantiles.csv of the folder.
 * Errors:  plot_write returns 0 or a negative SIM_E* with d set; drawing
 *          failures are reported in struct plot_result, never as errors
 *          (a run whose plots fail still has its results).
 * Threads: call from the main thread only (plot_render forks). */
#ifndef SIM_PLOT_H
#define SIM_PLOT_H

#include "sim/engine/common.h"

/* Write "<dir>/plots/" (created if missing): data files and scripts, from
 * the results files in dir. Existing files of the same names are
 * replaced. */
int plot_write(const char *dir, struct diag *d);

/* Whether "<dir>/plots" holds at least one *.gp script. */
bool plot_has_scripts(const char *dir);

enum plot_status {
    PLOT_DRAWN,        /* every script ran */
    PLOT_NO_GNUPLOT,   /* no gnuplot in PATH: nothing drawn */
    PLOT_NO_SCRIPTS,   /* "<dir>/plots" holds no script */
    PLOT_FAILED,       /* a script failed (failed, why say which) */
};

struct plot_result {
    enum plot_status status;
    size_t drawn;          /* scripts that ran successfully */
    char failed[64];       /* first script that failed */
    char why[160];         /* how it failed */
};

/* Run `gnuplot NAME.gp` (fork and exec of the gnuplot found in PATH, no
 * shell; working folder "<dir>/plots", stdin /dev/null, stderr appended to
 * plots/gnuplot.log, which is removed when every script succeeded) for
 * every *.gp file in "<dir>/plots", in name order. */
void plot_render(const char *dir, struct plot_result *r);

#endif
