/* sim/runner.h - a whole run: configurations (the cartesian product of the
 * sweep axes and --vary) x replications, executed by a pool of threads,
 * then the results folder written in a staging folder and renamed into
 * place; also one shard of a run (--shard I/N, a partial folder) and the
 * merge of partial folders (burstsim merge).
 * Determinism: every (configuration, replication) is independent, seeded
 * from (seed, replication) only, and writes its own result slot and part
 * files, so results are bit-identical for any thread count and any
 * sharding.
 * Owns:    struct runner_plan owns its scenarios, labels and results
 *          (runner_plan_init / runner_plan_fini).
 * Errors:  runner_run / runner_merge return a process exit code
 *          (sim/commands.h) and print one "burstsim: ..." or
 *          "file:line:col: error: ..." line to stderr; the plan functions
 *          return 0 or a negative SIM_E* with a struct diag.
 * Threads: no globals; the progress bar reads the wall clock (the program
 *          layer may; the simulation never does). */
#ifndef SIM_RUNNER_H
#define SIM_RUNNER_H

#include "sim/engine/common.h"
#include "sim/io/report.h"
#include "sim/io/scenario.h"

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
    bool progress;                   /* progress bar on stderr */
    bool quiet;                      /* -q: no notices on stdout */
    bool check;                      /* --check: exit 4 when no
                                        configuration meets the SLOs */
    uint32_t shard_index;            /* --shard I/N: 1 <= I <= N */
    uint32_t shard_count;            /* 0 or 1 = the whole run */
    FILE *table;                     /* summary table destination or NULL */
};

/* The configurations x replications of one run and their results.
 * Configuration c has label "c<c>" and the axis values
 * axis_values[c][0..n_axes-1]; its replication r is item c * n_rep + r. */
struct runner_plan {
    char *text;                 /* the scenario file's text; owned */
    char *file;                 /* its path as given; owned */
    char *base_dir;             /* folder for relative paths; owned */
    struct scn_override *ov;    /* --set etc. (copied, owned) */
    size_t n_ov;
    char **ov_strings;          /* storage of ov and vary strings */
    size_t n_strings;
    struct scenario base;       /* the scenario with overrides only */
    const char **axis_names;    /* n_axes key paths (point into base or
                                   vary_store) */
    char ***axis_vals;          /* [axis] -> values (not owned) */
    size_t *axis_n;             /* [axis] -> number of values */
    size_t n_axes;
    struct run_axis *vary;      /* copied --vary axes (owned) */
    size_t n_vary;
    struct scenario *cfg;       /* n_cfg loaded configurations */
    size_t n_cfg;
    uint32_t n_rep;
    const char ***axis_values;  /* [cfg][axis] */
    char (*labels)[32];
    struct rep_result *res;     /* [cfg * n_rep + rep] */
    unsigned char *have;        /* [item]: 1 when res holds a result */
};

/* Build the plan: read the scenario file (or use `text` when not NULL,
 * with `file` naming it in messages and base_dir for relative paths;
 * base_dir NULL = the folder of file), apply ov, gather the axes (the
 * scenario's sweep, then vary, replacing an axis of the same path) and
 * load every configuration. Returns 0, or a negative SIM_E* with d set
 * (SIM_EINVAL "replications cannot be swept" included). Call
 * runner_plan_fini() in every case. */
int runner_plan_init(struct runner_plan *p, const char *file,
                     const char *text, const char *base_dir,
                     const struct scn_override *ov, size_t n_ov,
                     const struct run_axis *vary, size_t n_vary,
                     struct diag *d);

/* Simulate the items of shard (shard_index of shard_count; count 0 or 1 =
 * every item; item i belongs to shard (i mod count) + 1) on `threads`
 * threads. Part files (timeseries of replication 0, executions) are
 * streamed under "<tmp>/parts/" when tmp is not NULL. progress draws a bar
 * with an ETA on stderr. Returns 0 or the error of the first failed item
 * in item order (negative SIM_E*, d set). */
int runner_plan_simulate(struct runner_plan *p, const char *tmp,
                         int threads, uint32_t shard_index,
                         uint32_t shard_count, bool progress,
                         struct diag *d);

/* Fill cfgs[0..n_cfg-1] (caller-allocated) with views of the plan's
 * results for the report writers (slo_met filled from each
 * configuration's slo section). */
void runner_plan_configs(const struct runner_plan *p,
                         struct report_config *cfgs);

/* Free everything the plan owns and zero it; safe on a zeroed plan. */
void runner_plan_fini(struct runner_plan *p);

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
 * failure. Returns an exit code (0, 1, or 4 under f->check). */
int runner_finish(struct runner_plan *p, const char *tmp,
                  const struct runner_finish_opts *f);

/* Run everything and write the results folder (or, with a shard, the
 * partial folder). Returns 0, 1 (run failed: I/O or internal error), 2
 * (usage: bad shard, --check without an slo section), 3 (invalid scenario
 * or trace) or 4 (--check and no configuration meets the SLOs; the
 * results are written). */
int runner_run(const struct run_opts *o);

/* burstsim merge: combine the partial folders in_dirs[0..n-1] (written by
 * --shard runs of the same scenario, options and shard count, together
 * holding every item once) into the results folder out_dir, identical to
 * the folder a single run writes. table and quiet as in run_opts; check
 * as --check. Returns an exit code like runner_run (2 when the folders do
 * not belong together or miss items). */
int runner_merge(const char *out_dir, const char *const *in_dirs, size_t n,
                 FILE *table, bool quiet, bool check);

#endif
