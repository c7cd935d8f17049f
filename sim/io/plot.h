/* sim/io/plot.h - the plots of a results folder, drawn by gnuplot
 * (plot_render.h): each plot is a `.gp` script with its data beside it in
 * "<dir>/plots/", producing a PNG (pngcairo) and an SVG, so users can
 * restyle a plot by editing its script and running `gnuplot NAME.gp` in
 * that folder (or `burstsim plot DIR`).
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
 * Owns:    nothing; the files are on disk.
 * Errors:  plot_write returns 0 or a negative SIM_E* with d set.
 * Threads: no globals. */
#ifndef SIM_PLOT_H
#define SIM_PLOT_H

#include "sim/engine/common.h"

/* Write "<dir>/plots/" (created if missing): data files and scripts, from
 * the results files in dir. Existing files of the same names are
 * replaced. */
int plot_write(const char *dir, struct diag *d);

#endif
