/* sim/io/report_parts.h - the streamed rows of timeseries.csv and
 * executions.csv: each (configuration, replication) writes its own part
 * file "<tmp>/parts/<kind>-c<config>-r<rep>.csv" (no header), and the
 * parts are concatenated at the end in (configuration, replication) order
 * under one header line.
 * Units:   times are sim_time us, printed as seconds with 6 decimals.
 * Owns:    struct part_writer is caller-allocated and owns its FILE.
 * Errors:  0 / SIM_EIO with diag naming the file and strerror(errno);
 *          SIM_EINVAL for an unknown part kind (a caller bug).
 * Threads: no globals; each replication has its own part writers. */
#ifndef SIM_REPORT_PARTS_H
#define SIM_REPORT_PARTS_H

#include "sim/engine/common.h"
#include "models/result.h"

#include <stdio.h>

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

#endif
