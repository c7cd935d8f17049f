/* sim/run/runner.h - `burstsim run`: plan, simulate (sim/run/pool.h) and
 * write the results folder (sim/run/finish.h), or with --shard I/N the
 * partial folder of one shard; a run interrupted by SIGINT, SIGTERM or
 * SIGHUP leaves no staging folder behind.
 * Determinism: every (configuration, replication) is independent, seeded
 * from (seed, replication) only, so results are bit-identical for any
 * thread count and any sharding.
 * Owns:    struct run_opts points at the caller's strings.
 * Errors:  runner_run returns a process exit code (sim/run/exit_code.h)
 *          and prints one "burstsim: ..." or "file:line:col: error: ..."
 *          line to stderr.
 * Threads: no globals; the progress bar reads the wall clock (the program
 *          layer may; the simulation never does). */
#ifndef SIM_RUNNER_H
#define SIM_RUNNER_H

#include "sim/engine/common.h"
#include "sim/run/plan.h"

#include <stdio.h>

struct run_opts {
    const char *scenario_path;       /* the scenario file */
    const struct scn_override *ov;   /* --set, --seed, --replications */
    size_t n_ov;
    const struct run_axis *vary;     /* --vary axes (add or replace) */
    size_t n_vary;
    const char *out_dir;             /* -o; NULL = output.dir or
                                        results/<name> */
    int threads;                     /* >= 1 */
    bool progress;                   /* progress bar on stderr */
    bool quiet;                      /* -q: no notices on stdout */
    bool check;                      /* --check: exit 4 when no
                                        configuration meets the SLOs */
    uint32_t shard_index;            /* --shard I/N: 1 <= I <= N */
    uint32_t shard_count;            /* 0 or 1 = the whole run */
    FILE *table;                     /* summary table destination or NULL */
    double max_arrivals;             /* --max-arrivals: work budget per
                                        replication (sim/run/budget.h);
                                        0 = BUDGET_DEFAULT_MAX */
};

/* Run everything and write the results folder (or, with a shard, the
 * partial folder). Returns 0, 1 (run failed: I/O or internal error), 2
 * (usage: bad shard, --check without an slo section), 3 (invalid scenario
 * or trace, or beyond the work budget of sim/run/budget.h) or 4 (--check and no configuration meets the SLOs; the
 * results are written). */
int runner_run(const struct run_opts *o);

#endif
