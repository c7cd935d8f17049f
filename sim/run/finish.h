/* sim/run/finish.h - the end of a run or a merge: SLOs judged, the results
 * folder (or a shard's partial folder) written into the staging folder and
 * committed, the table, recommendation and notices printed.
 * Owns:    nothing; the plan stays the caller's.
 * Errors:  returns a process exit code (sim/run/exit_code.h) and prints
 *          one error line to stderr on failure.
 * Threads: main thread; plot_render forks gnuplot. */
#ifndef SIM_FINISH_H
#define SIM_FINISH_H

#include "sim/run/plan.h"

#include <stdio.h>

/* How runner_finish() ends a run. */
struct runner_finish_opts {
    const char *final_dir;        /* the results folder */
    FILE *table;                  /* table + recommendation, or NULL */
    bool quiet;                   /* -q */
    bool check;                   /* --check */
    bool partial;                 /* write a shard's partial folder */
    uint32_t shard_index, shard_count;
    const char *const *part_dirs; /* where the part files are */
    size_t n_part_dirs;
    bool remove_parts;            /* delete parts once copied */
};

/* Write the results folder of plan p (every item simulated, or read back
 * by a merge) into the staging folder tmp (from report_stage_begin) and
 * commit it to f->final_dir: timeseries.csv and executions.csv from the
 * parts, summary.csv, replications.csv, latency_quantiles.csv,
 * summary.json, report.md, plots/ (drawn when gnuplot is found); or, with
 * f->partial, the partial folder (manifest.json, replications.csv and
 * latency_raw.csv of the items present, shard-parts/). Prints the table,
 * the recommendation and notices to f->table. Aborts the staging folder on
 * failure. A plot that fails (gnuplot's exit status, an empty image) fails
 * the run. Returns an exit code (0, 1, 2 when the results folder turned
 * out not to be burstsim's at commit, or 4 under f->check). */
int runner_finish(struct runner_plan *p, const char *tmp,
                  const struct runner_finish_opts *f);

#endif
