/* sim/report.h - the results folder (docs/scenario-format.md "Results
 * folder"): staging in a temporary folder renamed at the end, streamed
 * per-sample and per-execution CSV parts, summary.csv, replications.csv,
 * summary.json and the table printed on stdout. CSV is written with libcsv
 * (csv_fwrite) so labels are quoted correctly; numbers use "%.17g" for
 * REAL in replications.csv and "%.6g"-style shortest-roundtrip in
 * summary.csv; NAN is an empty field.
 * Owns:    writers are caller-allocated; each owns its FILE.
 * Errors:  0 / SIM_EIO with diag naming the file and strerror(errno).
 * Threads: no globals; each replication has its own part writers. */
#ifndef SIM_REPORT_H
#define SIM_REPORT_H

#include "sim/common.h"
#include "sim/result.h"
#include "sim/scenario.h"

#include <stdio.h>

/* ---- staging ----------------------------------------------------------- */

/* Create a fresh staging folder for final_dir: "<final_dir>.tmp-<pid>"
 * (parents of final_dir are created as needed), with a "parts/" subfolder.
 * The path is written to tmp (size n). Returns 0 or SIM_EIO. */
int report_stage_begin(const char *final_dir, char *tmp, size_t n,
                       struct diag *d);

/* Move the staging folder into place: an existing final_dir is replaced
 * (renamed aside, then removed) so readers never see a mix; "parts/" is
 * removed first. Returns 0 or SIM_EIO. */
int report_stage_commit(const char *tmp, const char *final_dir,
                        struct diag *d);

/* Remove the staging folder and everything in it (after a failed run). */
void report_stage_abort(const char *tmp);

/* ---- streamed parts ---------------------------------------------------- */

/* Writes rows of one (configuration, replication) into
 * "<tmp>/parts/<kind>-c<config>-r<rep>.csv" without a header. */
struct part_writer {
    FILE *fp;
    char path[1200];
    const char *config_label;   /* not owned; must outlive the writer */
    uint32_t replication;
    int err;                    /* first errno seen, 0 if none */
};

/* Open a part file of kind "timeseries" or "executions". Returns 0 or
 * SIM_EIO. */
int report_part_open(struct part_writer *w, const char *tmp, const char *kind,
                     size_t config, const char *config_label, uint32_t rep,
                     struct diag *d);
/* Append one timeseries.csv row: config, t_s, visible, in_flight, backlog,
 * executions_pending, executions_running, downstream_busy. */
void report_part_sample(struct part_writer *w, const struct ts_sample *s);
/* Append one executions.csv row: config, replication, execution, created_s,
 * running_s (empty if -1), finished_s, status, messages, empty (0/1),
 * billed_s. */
void report_part_execution(struct part_writer *w, const struct exec_record *e);
/* Flush and close; returns 0 or SIM_EIO (a write failed). Safe twice. */
int report_part_close(struct part_writer *w, struct diag *d);

/* Concatenate the parts of one kind, in (config, rep) order, for configs
 * 0..n_configs-1 and reps 0..n_reps-1 (missing parts are skipped), into
 * "<tmp>/<kind>.csv" with its header line; delete the parts. Returns 0 or
 * SIM_EIO. */
int report_parts_merge(const char *tmp, const char *kind, size_t n_configs,
                       uint32_t n_reps, struct diag *d);

/* ---- summaries --------------------------------------------------------- */

/* One configuration of a run. */
struct report_config {
    const char *label;              /* "c0", "c1", ... */
    const char *const *axis_values; /* n_axes values as written */
    const struct rep_result *reps;  /* n_reps results, replication order */
    size_t n_reps;
    int slo_met;                    /* 1 met, 0 not met, -1 no SLO given */
};

struct report_input {
    const struct scenario *scn;         /* the base scenario (resolved) */
    const char *const *axis_names;      /* swept key paths */
    size_t n_axes;
    const struct report_config *configs;
    size_t n_configs;
    const char *version;                /* burstsim version string */
};

/* Mean over replications of metric i of configuration c (NAN values are
 * skipped; NAN when none), and the 95 % Student-t half-width (NAN when
 * fewer than 2 values). Uses gsl_stats_mean/gsl_stats_sd and
 * gsl_cdf_tdist_Pinv. */
void report_metric_stats(const struct report_config *c, int i, double *mean,
                         double *ci95);

/* summary.csv: one row per configuration: config, each axis, replications,
 * then every metric (mean) followed by its _ci95 where the table says so,
 * then slo_met (empty when no SLO). */
int report_write_summary_csv(const char *dir, const struct report_input *in,
                             struct diag *d);
/* replications.csv: config, each axis, replication, every metric raw. */
int report_write_replications_csv(const char *dir,
                                  const struct report_input *in,
                                  struct diag *d);
/* summary.json: {"burstsim": version, "generator": "mt19937", "seed": ...,
 * "scenario": scn_to_json(scn), "axes": [...], "configs": [{"config":
 * label, "values": {...}, "replications": n, "metrics": {name: {"mean",
 * "ci95"}}, "slo_met"}]} written with jansson. */
int report_write_summary_json(const char *dir, const struct report_input *in,
                              struct diag *d);

/* The short table on stdout: one line per configuration with messages,
 * completed, unfinished, latency p95, backlog max, executions, empty,
 * cost; aligned columns. */
void report_print_table(FILE *out, const struct report_input *in);

#endif
