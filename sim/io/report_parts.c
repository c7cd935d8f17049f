/* sim/io/report_parts.c - streamed part files of timeseries.csv and
 * executions.csv (see report_parts.h).
 *
 * Workload: these two files can reach millions of rows. Rows are streamed
 * by each replication into its own part file (no locking, no memory
 * growth) and concatenated once at the end in (configuration, replication)
 * order, so the output does not depend on which worker thread finished
 * first. Times are integer microseconds printed exactly as seconds with 6
 * decimals (csvout_us). */
#include "sim/io/report_parts.h"

#include "sim/io/csvout.h"
#include "sim/io/outfile.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
/* Header line of each part kind, or NULL for an unknown kind. */
static const char *part_header(const char *kind)
{
    if (strcmp(kind, "timeseries") == 0)
        return "config,t_s,t_end_s,visible_mean,visible_max,in_flight_mean,"
               "in_flight_max,backlog_mean,backlog_max,"
               "executions_pending_mean,executions_pending_max,"
               "executions_running_mean,executions_running_max,"
               "downstream_busy_mean,downstream_busy_max\n";
    if (strcmp(kind, "executions") == 0)
        return "config,replication,execution,created_s,running_s,finished_s,"
               "status,messages,empty,billed_s\n";
    return NULL;
}

/* Path of the part of (kind, config, rep) under tmp. Returns 0 or
 * ENAMETOOLONG. */
static int part_path(char *buf, size_t n, const char *tmp, const char *kind,
                     size_t config, uint32_t rep)
{
    int k = snprintf(buf, n, "%s/parts/%s-c%zu-r%" PRIu32 ".csv", tmp, kind,
                     config, rep);
    return (k < 0 || (size_t)k >= n) ? ENAMETOOLONG : 0;
}

int report_part_open(struct part_writer *w, const char *tmp, const char *kind,
                     size_t config, const char *config_label, uint32_t rep,
                     struct diag *d)
{
    memset(w, 0, sizeof *w);
    w->config_label = config_label;
    w->replication = rep;
    if (part_header(kind) == NULL)
        return diag_set(d, SIM_EINVAL, NULL, 0, 0,
                        "report: unknown part kind '%s'", kind);
    if (part_path(w->path, sizeof w->path, tmp, kind, config, rep) != 0)
        return outfile_fail(d, tmp, "cannot create part file", ENAMETOOLONG);
    w->fp = outfile_open(w->path, d);
    return w->fp != NULL ? 0 : SIM_EIO;
}

void report_part_sample(struct part_writer *w, const struct ts_sample *s)
{
    if (w->fp == NULL || w->err != 0)
        return;
    csvout_str(w->fp, &w->err, w->config_label);
    csvout_us(w->fp, &w->err, s->t_us);
    csvout_us(w->fp, &w->err, s->end_us);
    for (int i = 0; i < TS_COUNT; i++) {
        /* the header above lists the levels in enum ts_level order */
        csvout_raw(w->fp, &w->err, ",");
        csvout_num(w->fp, &w->err, s->mean[i], CSVOUT_SUMMARY);
        csvout_i64(w->fp, &w->err, s->max[i]);
    }
    csvout_raw(w->fp, &w->err, "\n");
}

void report_part_execution(struct part_writer *w, const struct exec_record *e)
{
    if (w->fp == NULL || w->err != 0)
        return;
    csvout_str(w->fp, &w->err, w->config_label);
    csvout_i64(w->fp, &w->err, (int64_t)w->replication);
    csvout_i64(w->fp, &w->err, e->execution);
    csvout_us(w->fp, &w->err, e->created_us);
    if (e->running_us < 0)
        csvout_raw(w->fp, &w->err, ",");
    else
        csvout_us(w->fp, &w->err, e->running_us);
    csvout_us(w->fp, &w->err, e->finished_us);
    csvout_raw(w->fp, &w->err, ",");
    csvout_raw(w->fp, &w->err, exec_status_name(e->status));
    csvout_i64(w->fp, &w->err, e->messages);
    csvout_raw(w->fp, &w->err, e->empty ? ",1" : ",0");
    csvout_us(w->fp, &w->err, e->billed_us);
    csvout_raw(w->fp, &w->err, "\n");
}

int report_part_close(struct part_writer *w, struct diag *d)
{
    if (w->fp == NULL)
        return w->err != 0
                   ? outfile_fail(d, w->path, "cannot write file", w->err)
                   : 0;
    FILE *fp = w->fp;
    w->fp = NULL;
    int rc = outfile_close(fp, w->path, w->err, d);
    if (rc != 0 && w->err == 0)
        w->err = EIO;
    return rc;
}

/* Append the whole of file src to out. Returns 0 or an errno value; *which
 * says whether reading (0) or writing (1) failed. */
static int copy_file(FILE *out, const char *src, int *which)
{
    FILE *in = fopen(src, "r");
    if (in == NULL) {
        *which = 0;
        return errno;
    }
    char buf[1 << 16];
    int err = 0;
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, in)) > 0) {
        if (fwrite(buf, 1, got, out) != got) {
            *which = 1;
            err = errno != 0 ? errno : EIO;
            break;
        }
    }
    if (err == 0 && ferror(in)) {
        *which = 0;
        err = errno != 0 ? errno : EIO;
    }
    fclose(in);
    return err;
}

int report_parts_gather(const char *out_dir, const char *kind,
                        const char *const *part_dirs, size_t n_dirs,
                        size_t n_configs, uint32_t n_reps, bool remove_parts,
                        struct diag *d)
{
    const char *header = part_header(kind);
    if (header == NULL)
        return diag_set(d, SIM_EINVAL, NULL, 0, 0,
                        "report: unknown part kind '%s'", kind);
    char out_file[OUTFILE_PATH_MAX], part[OUTFILE_PATH_MAX];
    int k = snprintf(out_file, sizeof out_file, "%s/%s.csv", out_dir, kind);
    if (k < 0 || (size_t)k >= sizeof out_file)
        return outfile_fail(d, out_dir, "cannot create file", ENAMETOOLONG);
    FILE *out = outfile_open(out_file, d);
    if (out == NULL)
        return SIM_EIO;
    int err = 0;
    csvout_raw(out, &err, header);

    /* Config-major, replication-minor; with remove_parts each part is
     * deleted as soon as it is copied so the peak disk use stays near one
     * copy of the data. */
    for (size_t c = 0; c < n_configs && err == 0; c++) {
        for (uint32_t r = 0; r < n_reps && err == 0; r++) {
            for (size_t s = 0; s < n_dirs; s++) {
                k = snprintf(part, sizeof part, "%s/%s-c%zu-r%" PRIu32 ".csv",
                             part_dirs[s], kind, c, r);
                if (k < 0 || (size_t)k >= sizeof part) {
                    fclose(out);
                    return outfile_fail(d, part_dirs[s], "cannot read part",
                                        ENAMETOOLONG);
                }
                int which = 0;
                int e = copy_file(out, part, &which);
                if (e == ENOENT && which == 0)
                    continue;       /* not in this folder */
                if (e != 0) {
                    if (which == 0) {
                        fclose(out);
                        return outfile_fail(d, part, "cannot read part", e);
                    }
                    err = e;
                    break;
                }
                if (remove_parts && remove(part) != 0) {
                    e = errno;
                    fclose(out);
                    return outfile_fail(d, part, "cannot remove part", e);
                }
                break;              /* found: later folders are not read */
            }
        }
    }
    return outfile_close(out, out_file, err, d);
}

int report_parts_merge(const char *tmp, const char *kind, size_t n_configs,
                       uint32_t n_reps, struct diag *d)
{
    char parts[OUTFILE_PATH_MAX];
    if (outfile_join(parts, sizeof parts, tmp, "/parts") != 0)
        return outfile_fail(d, tmp, "cannot read part", ENAMETOOLONG);
    const char *dirs[1] = {parts};
    return report_parts_gather(tmp, kind, dirs, 1, n_configs, n_reps, true,
                               d);
}
