/* sim/report.h - the results folder (docs/scenario-format.md "Results
 * folder"): staging in a temporary folder renamed at the end, streamed
 * per-sample and per-execution CSV parts, summary.csv, replications.csv,
 * summary.json and the table printed on stdout. CSV is written with libcsv
 * (csv_fwrite) so labels are quoted correctly: a string field (label, axis
 * name or value) is quoted only when it holds a comma, quote, CR, LF or
 * leading/trailing blank. Numbers: replications.csv prints COUNT metrics as
 * integers ("%.0f") and REAL ones with "%.17g" (round-trips); summary.csv
 * prints means and half-widths with "%.10g"; streamed times are integer us
 * printed exactly as seconds with 6 decimals; NAN is an empty field.
 * Owns:    writers are caller-allocated; each owns its FILE.
 * Errors:  0 / SIM_EIO with diag naming the file and strerror(errno).
 * Threads: no globals; each replication has its own part writers. */
#ifndef SIM_REPORT_H
#define SIM_REPORT_H

#include "sim/engine/common.h"
#include "models/result.h"
#include "sim/io/scenario.h"
#include "sim/run/slo.h"

#include <stdio.h>

/* ---- staging ----------------------------------------------------------- */

/* Create a fresh staging folder for final_dir: "<final_dir>.tmp-<pid>"
 * (parents of final_dir are created as needed; trailing slashes of
 * final_dir are ignored; a stale folder of that name is removed first),
 * with a "parts/" subfolder. The path is written to tmp (size n; too small
 * is SIM_EIO "File name too long"). Returns 0 or SIM_EIO; on failure no
 * staging folder is left (parents already created stay). */
int report_stage_begin(const char *final_dir, char *tmp, size_t n,
                       struct diag *d);

/* Move the staging folder into place: an existing final_dir is replaced
 * (renamed aside to "<final_dir>.old-<pid>", then removed) so readers never
 * see a mix; "parts/" is removed first. If the move fails the old folder is
 * put back. If the old folder cannot be removed once the new one is in
 * place, it is left as "<final_dir>.old-<pid>" and 0 is returned (the
 * results are complete). Returns 0 or SIM_EIO. */
int report_stage_commit(const char *tmp, const char *final_dir,
                        struct diag *d);

/* Remove the staging folder and everything in it (after a failed run).
 * Does not follow symbolic links; a missing folder is not an error. */
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

/* Open a part file of kind "timeseries" or "executions" (w is zeroed
 * first). Returns 0, SIM_EIO, or SIM_EINVAL for another kind (a caller
 * bug). Write errors of the row functions are kept in w->err (later rows are
 * then dropped) and reported by report_part_close(). */
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
/* Flush and close; returns 0 or SIM_EIO (a write failed). Safe twice (a
 * second call returns SIM_EIO again if the first one failed). */
int report_part_close(struct part_writer *w, struct diag *d);

/* Concatenate the parts of one kind, in (config, rep) order, for configs
 * 0..n_configs-1 and reps 0..n_reps-1 (missing parts are skipped), into
 * "<tmp>/<kind>.csv" with its header line; delete the parts (each one as
 * soon as it is copied). Returns 0, SIM_EIO, or SIM_EINVAL for an unknown
 * kind. */
int report_parts_merge(const char *tmp, const char *kind, size_t n_configs,
                       uint32_t n_reps, struct diag *d);

/* Like report_parts_merge() but the parts are looked up in several
 * folders, each holding part files directly (e.g. "<shard>/shard-parts"):
 * part (c, r) is taken from the first folder that has it, into
 * "<out_dir>/<kind>.csv". Parts are left in place unless remove_parts.
 * Returns 0, SIM_EIO or SIM_EINVAL. */
int report_parts_gather(const char *out_dir, const char *kind,
                        const char *const *part_dirs, size_t n_dirs,
                        size_t n_configs, uint32_t n_reps, bool remove_parts,
                        struct diag *d);

/* ---- summaries --------------------------------------------------------- */

/* One configuration of a run. */
struct report_config {
    const char *label;              /* "c0", "c1", ... */
    const char *const *axis_values; /* n_axes values as written */
    const struct rep_result *reps;  /* n_reps results, replication order */
    size_t n_reps;
    int slo_met;                    /* 1 met, 0 not met, -1 no SLO given */
    const unsigned char *have;      /* n_reps flags: which replications
                                       are present (a shard); NULL = all.
                                       Only replications.csv and
                                       latency_raw.csv honour it. */
};

struct report_input {
    const struct scenario *scn;         /* the base scenario (resolved) */
    const char *const *axis_names;      /* swept key paths */
    size_t n_axes;
    const struct report_config *configs;
    size_t n_configs;
    const char *version;                /* burstsim version string */
    const struct slo_eval *evals;       /* n_configs evaluations or NULL */
    const struct slo_recommendation *rec; /* or NULL (no SLO) */
};

/* Mean over replications of metric i of configuration c (NAN values are
 * skipped; NAN when none), and the 95 % Student-t half-width
 * t(0.975, n-1) * sd / sqrt(n) (NAN when fewer than 2 values; also both NAN
 * if more than 256 replications and the copy cannot be allocated). Uses
 * gsl_stats_mean/gsl_stats_sd and gsl_cdf_tdist_Pinv. */
void report_metric_stats(const struct report_config *c, int i, double *mean,
                         double *ci95);

/* Same, for a two-sided Student-t interval of confidence conf in (0, 1):
 * *half is its half-width (NAN when fewer than 2 values). */
void report_metric_ci(const struct report_config *c, int i, double conf,
                      double *mean, double *half);

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
 * "replications": scn->replications, "scenario": scn_to_json(scn), "axes":
 * [...], "configs": [{"config": label, "values": {axis: value as written,
 * a string}, "replications": n, "metrics": {name: {"mean", "ci95"}},
 * "slo_met"}]} written with jansson (indent 2, keys in this order, final
 * newline). Every metric has both "mean" and "ci95" (also those without a
 * _ci95 column in summary.csv); NAN or infinite values and slo_met = -1 are
 * null. in->scn may be NULL (seed, replications and scenario are then
 * null). Returns 0, SIM_EIO, or SIM_ENOMEM. */
int report_write_summary_json(const char *dir, const struct report_input *in,
                              struct diag *d);

/* latency_quantiles.csv: config, each axis, p, latency_s: for each
 * configuration RESULT_NQ rows (p = 0, 0.01, ..., 1), latency_s the mean
 * over replications of the replication's p-quantile ("%.10g"; empty when
 * no replication completed a message). */
int report_write_latency_quantiles_csv(const char *dir,
                                       const struct report_input *in,
                                       struct diag *d);

/* latency_raw.csv (partial folders of --shard): config, replication, q0 ..
 * q100, the replication's quantiles exactly ("%.17g"), for the present
 * replications; report_read_latency_raw() reads it back. */
int report_write_latency_raw_csv(const char *dir,
                                 const struct report_input *in,
                                 struct diag *d);

/* Print the recommendation after the table: one paragraph naming the
 * configuration, its axis values, mean cost, and the margin of each
 * objective (or, when none meets them, the closest one and the objectives
 * it fails). Nothing without an SLO. */
void report_print_recommendation(FILE *out, const struct report_input *in);

/* report.md (sim/report_md.c): scenario name and description, the
 * configurations compared, the objectives, the recommendation and why,
 * the summary table in markdown (mean +- 95 % half-width), the baseline
 * comparison when baseline_cost_usd has values, and links to the plots
 * (PNG and SVG files in plots/) when with_plots. Returns 0 or SIM_EIO. */
int report_write_report_md(const char *dir, const struct report_input *in,
                           bool with_plots, struct diag *d);

/* Short description of configuration c: "max_executions=5,
 * polling_interval=10s" (last component of each axis path), or its label
 * when there is no axis. Written into buf (size n). */
void report_config_title(const struct report_input *in, size_t c, char *buf,
                         size_t n);

/* The short table on stdout: a header line, then one line per
 * configuration with config, each axis value, and the means of messages,
 * completed, unfinished, latency_p95_s, backlog_max, executions,
 * empty_executions, cost_usd; text left-aligned, numbers right-aligned,
 * columns two spaces apart; counts print "%.0f" when integral else "%.1f",
 * reals "%.5g", "-" when not applicable. Write errors are left for the
 * caller's ferror(out). */
void report_print_table(FILE *out, const struct report_input *in);

#endif
