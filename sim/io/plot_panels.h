/* sim/io/plot_panels.h - the plots drawn as panels of lines, one line per
 * value of the first axis and one panel per combination of the others:
 * backlog.gp and executions.gp (over time, replication 0, from
 * timeseries.dat) and latency_cdf.gp (from latency_cdf.dat).
 * Units:   time axis in s, min or h (chosen from the run's length).
 * Owns:    nothing; each call writes one script into x->plots.
 * Errors:  0 / SIM_EIO with d naming the script.
 * Threads: no globals. */
#ifndef SIM_PLOT_PANELS_H
#define SIM_PLOT_PANELS_H

#include "sim/io/plot_ctx.h"

/* Write NAME.gp: columns col (a level's per-interval maximum, solid
 * steps) and col + 1 (its time-average, dashed steps, same colour) of
 * timeseries.dat over time (what: the title, ylabel: the y axis), with
 * the backlog SLO line when slo and the scenario has slo.backlog_max. */
int plot_time_write(struct pctx *x, const char *name, const char *what,
                    const char *ylabel, int col, bool slo, struct diag *d);

/* Write latency_cdf.gp: the latency CDF per configuration, the p95 SLO
 * line when there is one, log x when the range spans over 100x. */
int plot_cdf_write(struct pctx *x, struct diag *d);

#endif
