/* sim/io/report_md.h - report.md, the results folder's human-readable
 * page: what was compared, the objectives, the recommendation and why,
 * the table, the baseline comparison and links to the plots.
 * Units:   metrics in their own units; cells hold 4 significant digits.
 * Owns:    nothing; the call creates, writes and closes the file.
 * Errors:  0 / SIM_EIO with diag naming the file.
 * Threads: no globals. */
#ifndef SIM_REPORT_MD_H
#define SIM_REPORT_MD_H

#include "sim/io/report.h"

/* report.md: scenario name and description, the
 * configurations compared, the objectives, the recommendation and why,
 * the summary table in markdown (mean +- 95 % half-width), the baseline
 * comparison when baseline_cost_usd has values, and links to the plots
 * (PNG and SVG files in plots/) when with_plots. Returns 0 or SIM_EIO. */
int report_write_report_md(const char *dir, const struct report_input *in,
                           bool with_plots, struct diag *d);

#endif
