/* sim/io/plot_configs.h - the plots with one point or bar per
 * configuration: configs.dat and pareto.dat (their data), cost_latency.gp
 * (mean cost vs mean p95 latency with 95 % error bars, the Pareto
 * frontier, the latency SLO, the recommendation ringed) and waste.gp
 * (empty executions, duplicate deliveries and completions).
 * Units:   latency in s, cost in USD per simulated run.
 * Owns:    nothing; each call writes its files into x->plots.
 * Errors:  0 / SIM_EIO with d naming the file, or SIM_ENOMEM.
 * Threads: no globals. */
#ifndef SIM_PLOT_CONFIGS_H
#define SIM_PLOT_CONFIGS_H

#include "sim/io/plot_ctx.h"

/* Write configs.dat (one row per configuration: means and 95 %
 * half-widths, SLO and recommendation flags, tic labels) and pareto.dat
 * (the configurations no other beats on both mean p95 latency and mean
 * cost, ties kept, by latency). */
int plot_configs_data_write(struct pctx *x, struct diag *d);

/* Write cost_latency.gp (reads configs.dat and pareto.dat). */
int plot_cost_write(struct pctx *x, struct diag *d);

/* Write waste.gp (reads configs.dat). */
int plot_waste_write(struct pctx *x, struct diag *d);

#endif
