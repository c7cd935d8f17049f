/* sim/runner.h - a whole run: configurations (the cartesian product of the
 * sweep axes) x replications, executed by a pool of threads, then the
 * results folder written in a staging folder and renamed into place.
 * Determinism: every (configuration, replication) is independent, seeded
 * from (seed, replication) only, and writes its own result slot and part
 * files, so results are bit-identical for any thread count.
 * Owns:    the runner loads one struct scenario per configuration and frees
 *          them before returning.
 * Errors:  returns a process exit code (sim/commands.h) and prints one
 *          "burstsim: ..." or "file:line:col: error: ..." line to stderr. */
#ifndef SIM_RUNNER_H
#define SIM_RUNNER_H

#include "sim/common.h"
#include "sim/scenario.h"

#include <stdio.h>

/* An axis given on the command line: --vary PATH=V1,V2,... */
struct run_axis {
    const char *path;     /* key path; not owned */
    char **values;        /* owned by the caller */
    size_t n_values;
};

struct run_opts {
    const char *scenario_path;       /* the scenario file */
    const struct scn_override *ov;   /* --set, --seed, --replications */
    size_t n_ov;
    const struct run_axis *vary;     /* --vary axes (add or replace) */
    size_t n_vary;
    const char *out_dir;             /* -o; NULL = output.dir or
                                        results/<name> */
    int threads;                     /* >= 1 */
    bool progress;                   /* progress line on stderr */
    FILE *table;                     /* summary table destination or NULL */
};

/* Run everything and write the results folder. Returns 0, 1 (run failed:
 * I/O or internal error), or 3 (invalid scenario or trace). */
int runner_run(const struct run_opts *o);

#endif
