/* sim/io/report_csv.h - the CSV tables of a results folder:
 * summary.csv, replications.csv, latency_quantiles.csv and (partial
 * folders of --shard) latency_raw.csv, written with csvout.h's field
 * rules. Numbers: replications.csv prints COUNT metrics as integers
 * ("%.0f") and REAL ones with "%.17g" (round-trips); summary.csv and
 * latency_quantiles.csv print with "%.10g"; NAN is an empty field.
 * Units:   column names carry units (latency_s, cost_usd).
 * Owns:    nothing; each call creates, writes and closes its file.
 * Errors:  0 / SIM_EIO with diag naming the file and strerror(errno).
 * Threads: no globals. */
#ifndef SIM_REPORT_CSV_H
#define SIM_REPORT_CSV_H

#include "sim/io/report.h"

/* summary.csv: one row per configuration: config, each axis, replications,
 * then every metric (mean) followed by its _ci95 where the table says so,
 * then slo_met (empty when no SLO). */
int report_write_summary_csv(const char *dir, const struct report_input *in,
                             struct diag *d);
/* replications.csv: config, each axis, replication, every metric raw. */
int report_write_replications_csv(const char *dir,
                                  const struct report_input *in,
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
 * replications; burstsim merge (sim/run/merge.c) reads it back. */
int report_write_latency_raw_csv(const char *dir,
                                 const struct report_input *in,
                                 struct diag *d);

#endif
