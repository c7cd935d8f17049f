/* sim/report.c - the results folder (see report.h and docs/scenario-format.md
 * "Results folder").
 *
 * Workload: one call per run for the summaries (a few configurations times a
 * few dozen replications: tiny), and streamed rows for timeseries.csv and
 * executions.csv, which can reach millions of rows. Rows are streamed by
 * each replication into its own part file (no locking, no memory growth) and
 * concatenated once at the end in (configuration, replication) order, so
 * the output does not depend on which worker thread finished first.
 *
 * Everything is written into "<final>.tmp-<pid>" and renamed into place by
 * report_stage_commit(): a failed or interrupted run never leaves a
 * half-written results folder where the previous good one was.
 *
 * Number formats: times of streamed rows are integer microseconds printed
 * exactly as seconds with 6 decimals (no floating point on the way);
 * replications.csv prints COUNT metrics as integers ("%.0f") and REAL ones
 * with "%.17g" (round-trips to the same double); summary.csv prints means
 * and half-widths with "%.10g" (readable, far finer than any 95 % CI); NAN
 * is an empty field. String fields (labels, axis values, axis names) go
 * through libcsv's csv_fwrite when they contain a comma, quote, CR or LF or
 * leading/trailing blanks, and are written bare otherwise.
 *
 * Errors: every stdio call is checked; the first errno is kept and turned
 * into SIM_EIO with a diag naming the file. strerror_r (XSI) is used so
 * worker threads closing their part writers do not share a buffer. */
#include "sim/io/report.h"

#include <csv.h>
#include <dirent.h>
#include <errno.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

/* Longest path this module builds (folders plus file names). */
#define REPORT_PATH_MAX 4096

/* ---- small helpers ----------------------------------------------------- */

/* Record errno (or EIO when a stdio call failed without setting it) in
 * *err unless an earlier error is already recorded. */
static void keep_errno(int *err)
{
    if (*err == 0)
        *err = errno != 0 ? errno : EIO;
}

/* Set d to SIM_EIO for path with "what: strerror(e)"; returns SIM_EIO. */
static int io_fail(struct diag *d, const char *path, const char *what, int e)
{
    char buf[256];
    if (strerror_r(e, buf, sizeof buf) != 0)
        snprintf(buf, sizeof buf, "error %d", e);
    return diag_set(d, SIM_EIO, path, 0, 0, "%s: %s", what, buf);
}

/* snprintf into buf (size n) with overflow reported as ENAMETOOLONG.
 * Returns 0 or ENAMETOOLONG. */
static int path_join(char *buf, size_t n, const char *a, const char *b)
{
    int k = snprintf(buf, n, "%s%s", a, b);
    return (k < 0 || (size_t)k >= n) ? ENAMETOOLONG : 0;
}

/* Write s to fp; a failure is recorded in *err. */
static void put_raw(FILE *fp, int *err, const char *s)
{
    if (fputs(s, fp) == EOF)
        keep_errno(err);
}

/* Whether a CSV field must be quoted: it holds a separator, quote or line
 * break, or starts or ends with a blank (which some readers trim). */
static bool needs_quotes(const char *s)
{
    size_t len = strlen(s);
    if (len > 0 && (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' ||
                    s[len - 1] == '\t'))
        return true;
    return strpbrk(s, ",\"\r\n") != NULL;
}

/* Write one string field (NULL = empty) to fp, quoted with libcsv when
 * needed. */
static void put_str(FILE *fp, int *err, const char *s)
{
    if (s == NULL)
        return;
    if (!needs_quotes(s)) {
        put_raw(fp, err, s);
        return;
    }
    if (csv_fwrite(fp, s, strlen(s)) != 0)
        keep_errno(err);
}

/* Number formats of this module (see the file comment). */
enum numfmt {
    NF_INT,      /* "%.0f": COUNT metrics in replications.csv */
    NF_EXACT,    /* "%.17g": round-trippable */
    NF_SUMMARY,  /* "%.10g": summary.csv */
};

/* Write a number field to fp; NAN writes nothing (empty field). */
static void put_num(FILE *fp, int *err, double v, enum numfmt f)
{
    char buf[64] = "";
    if (isnan(v))
        return;
    switch (f) {
    case NF_INT:
        snprintf(buf, sizeof buf, "%.0f", v);
        break;
    case NF_EXACT:
        snprintf(buf, sizeof buf, "%.17g", v);
        break;
    case NF_SUMMARY:
        snprintf(buf, sizeof buf, "%.10g", v);
        break;
    }
    put_raw(fp, err, buf);
}

/* Format t (integer microseconds) as seconds with exactly 6 decimals,
 * without going through a double: 1500000 -> "1.500000", -1 -> "-0.000001".
 * buf must hold 32 bytes. */
static void fmt_us(char *buf, size_t n, sim_time t)
{
    uint64_t u = t < 0 ? (uint64_t)0 - (uint64_t)t : (uint64_t)t;
    snprintf(buf, n, "%s%" PRIu64 ".%06" PRIu64, t < 0 ? "-" : "",
             u / (uint64_t)SIM_US_PER_S, u % (uint64_t)SIM_US_PER_S);
}

/* Write ",<seconds>" for t. */
static void put_us(FILE *fp, int *err, sim_time t)
{
    char buf[40];
    buf[0] = ',';
    fmt_us(buf + 1, sizeof buf - 1, t);
    put_raw(fp, err, buf);
}

/* Write ",<integer>". */
static void put_i64(FILE *fp, int *err, int64_t v)
{
    if (fprintf(fp, ",%" PRId64, v) < 0)
        keep_errno(err);
}

/* Open path for writing. Returns the stream, or NULL with d set. */
static FILE *open_out(const char *path, struct diag *d)
{
    FILE *fp = fopen(path, "w");
    if (fp == NULL)
        io_fail(d, path, "cannot create file", errno);
    return fp;
}

/* Close fp (opened by open_out) and turn any error seen while writing (err,
 * ferror) or closing into SIM_EIO. Returns 0 or SIM_EIO. */
static int close_out(FILE *fp, const char *path, int err, struct diag *d)
{
    if (err == 0 && ferror(fp))
        err = EIO;
    errno = 0;
    if (fclose(fp) != 0 && err == 0)
        err = errno != 0 ? errno : EIO;
    return err != 0 ? io_fail(d, path, "cannot write file", err) : 0;
}

/* ---- folders ----------------------------------------------------------- */

/* Create folder path and its missing parents (mkdir -p). Returns 0 or an
 * errno value; an existing folder is success, an existing non-folder is
 * ENOTDIR / EEXIST. */
static int mkdir_p(const char *path)
{
    char buf[REPORT_PATH_MAX];
    if (path_join(buf, sizeof buf, path, "") != 0)
        return ENAMETOOLONG;
    size_t len = strlen(buf);
    for (size_t i = 1; i <= len; i++) {
        if (buf[i] != '/' && buf[i] != '\0')
            continue;
        if (buf[i - 1] == '/')      /* "a//b" or a trailing slash */
            continue;
        char c = buf[i];
        buf[i] = '\0';
        if (mkdir(buf, 0777) != 0) {
            int e = errno;
            struct stat st;
            if (e != EEXIST)
                return e;
            if (stat(buf, &st) != 0)
                return errno;
            if (!S_ISDIR(st.st_mode))
                return ENOTDIR;
        }
        buf[i] = c;
    }
    return 0;
}

/* Remove path and, when it is a folder, everything below it, without
 * following symbolic links (rm -rf). Child paths live on the heap so deep
 * trees do not grow the stack by a path buffer per level. Returns 0 (also
 * when path does not exist) or the first errno value met; it keeps going
 * after an error so as much as possible is removed. */
static int rm_rf(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : errno;
    if (!S_ISDIR(st.st_mode))
        return (unlink(path) == 0 || errno == ENOENT) ? 0 : errno;

    DIR *dir = opendir(path);
    if (dir == NULL)
        return errno;
    int err = 0;
    size_t plen = strlen(path);
    for (;;) {
        errno = 0;
        struct dirent *e = readdir(dir);
        if (e == NULL) {
            if (errno != 0 && err == 0)
                err = errno;
            break;
        }
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        size_t n = plen + 1 + strlen(e->d_name) + 1;
        char *child = malloc(n);
        if (child == NULL) {
            err = err != 0 ? err : ENOMEM;
            break;
        }
        snprintf(child, n, "%s/%s", path, e->d_name);
        int r = rm_rf(child);
        free(child);
        if (r != 0 && err == 0)
            err = r;
    }
    closedir(dir);
    if (rmdir(path) != 0 && err == 0)
        err = errno;
    return err;
}

/* Copy final_dir into buf without trailing slashes ("out/" -> "out"), so
 * suffixes attach to the folder name. Returns 0 or ENAMETOOLONG / EINVAL
 * (empty or root). */
static int strip_slashes(char *buf, size_t n, const char *final_dir)
{
    if (path_join(buf, n, final_dir, "") != 0)
        return ENAMETOOLONG;
    size_t len = strlen(buf);
    while (len > 0 && buf[len - 1] == '/')
        buf[--len] = '\0';
    return len == 0 ? EINVAL : 0;
}

/* ---- staging ----------------------------------------------------------- */

/* True when folder `dir` may be replaced by new results: it is empty, or
 * it holds burstsim results (summary.json) or a shard (manifest.json). */
static bool replaceable(const char *dir)
{
    DIR *dh = opendir(dir);
    if (dh == NULL)
        return false;
    bool empty = true, ours = false;
    struct dirent *de;
    while ((de = readdir(dh)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        empty = false;
        if (strcmp(de->d_name, "summary.json") == 0 ||
            strcmp(de->d_name, "manifest.json") == 0)
            ours = true;
    }
    closedir(dh);
    return empty || ours;
}

/* Remove "<base>.tmp-<pid>" and "<base>.old-<pid>" folders next to `final`
 * left by runs that were killed (their pid no longer exists). */
static void remove_stale(const char *final)
{
    char dir[REPORT_PATH_MAX], path[REPORT_PATH_MAX * 2];
    const char *slash = strrchr(final, '/');
    const char *base = slash ? slash + 1 : final;
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - final) : 1,
             slash ? final : ".");
    if (slash == final)
        snprintf(dir, sizeof dir, "/");
    size_t bl = strlen(base);
    DIR *dh = opendir(dir);
    if (dh == NULL)
        return;
    struct dirent *de;
    while ((de = readdir(dh)) != NULL) {
        const char *nm = de->d_name;
        if (strncmp(nm, base, bl) != 0 || (strncmp(nm + bl, ".tmp-", 5) != 0 &&
                                           strncmp(nm + bl, ".old-", 5) != 0))
            continue;
        char *end;
        long pid = strtol(nm + bl + 5, &end, 10);
        if (*end != '\0' || pid <= 0 || pid == (long)getpid())
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue; /* that run is still going */
        snprintf(path, sizeof path, "%s/%s", dir, nm);
        rm_rf(path);
    }
    closedir(dh);
}

int report_stage_begin(const char *final_dir, char *tmp, size_t n,
                       struct diag *d)
{
    char final[REPORT_PATH_MAX], parts[REPORT_PATH_MAX + 8];
    int e = strip_slashes(final, sizeof final, final_dir);
    if (e != 0)
        return io_fail(d, final_dir, "bad results folder", e);

    /* Never replace what is not ours: a file, a device, or a folder with
     * other content. */
    struct stat fst;
    if (lstat(final, &fst) == 0) {
        if (!S_ISDIR(fst.st_mode))
            return diag_set(d, SIM_EINVAL, final, 0, 0,
                            "results folder: exists and is not a folder; "
                            "refusing to replace it (choose another -o)");
        if (!replaceable(final))
            return diag_set(d, SIM_EINVAL, final, 0, 0,
                            "results folder: exists and holds no burstsim "
                            "results (no summary.json); refusing to replace "
                            "it (choose another -o, or remove it)");
    }
    remove_stale(final);

    /* The parent of the final folder must exist for the renames. */
    char *slash = strrchr(final, '/');
    if (slash != NULL && slash != final) {
        *slash = '\0';
        e = mkdir_p(final);
        if (e != 0)
            return io_fail(d, final, "cannot create folder", e);
        *slash = '/';
    }

    int k = snprintf(tmp, n, "%s.tmp-%ld", final, (long)getpid());
    if (k < 0 || (size_t)k >= n)
        return io_fail(d, final, "cannot stage results", ENAMETOOLONG);
    /* A folder left by a crashed run that had our pid is stale. */
    e = rm_rf(tmp);
    if (e != 0)
        return io_fail(d, tmp, "cannot remove stale folder", e);
    if (mkdir(tmp, 0777) != 0)
        return io_fail(d, tmp, "cannot create folder", errno);
    e = path_join(parts, sizeof parts, tmp, "/parts");
    if (e == 0 && mkdir(parts, 0777) != 0)
        e = errno;
    if (e != 0) {
        io_fail(d, parts, "cannot create folder", e);
        rm_rf(tmp);
        return SIM_EIO;
    }
    return 0;
}

int report_stage_commit(const char *tmp, const char *final_dir,
                        struct diag *d)
{
    char final[REPORT_PATH_MAX], parts[REPORT_PATH_MAX + 8];
    char old[REPORT_PATH_MAX + 32];
    int e = strip_slashes(final, sizeof final, final_dir);
    if (e != 0)
        return io_fail(d, final_dir, "bad results folder", e);
    e = path_join(parts, sizeof parts, tmp, "/parts");
    if (e == 0)
        e = rm_rf(parts);
    if (e != 0)
        return io_fail(d, parts, "cannot remove folder", e);

    /* Move an existing final folder aside first: rename(2) cannot replace
     * a non-empty folder, and the old results must survive if the second
     * rename fails. */
    int k = snprintf(old, sizeof old, "%s.old-%ld", final, (long)getpid());
    if (k < 0 || (size_t)k >= sizeof old)
        return io_fail(d, final, "cannot replace folder", ENAMETOOLONG);
    struct stat st;
    bool had_old = lstat(final, &st) == 0;
    if (had_old) {
        e = rm_rf(old);
        if (e != 0)
            return io_fail(d, old, "cannot remove stale folder", e);
        if (rename(final, old) != 0)
            return io_fail(d, final, "cannot move old results aside", errno);
    }
    if (rename(tmp, final) != 0) {
        e = errno;
        if (had_old)
            rename(old, final);     /* best effort: put the old one back */
        return io_fail(d, final, "cannot move results into place", e);
    }
    /* The new results are in place; an old folder that cannot be removed
     * (e.g. a file inside is busy) is left as "<final>.old-<pid>" rather
     * than failing a run whose output is complete. */
    if (had_old)
        rm_rf(old);
    return 0;
}

void report_stage_abort(const char *tmp)
{
    if (tmp != NULL && tmp[0] != '\0')
        rm_rf(tmp);
}

/* ---- streamed parts ---------------------------------------------------- */

/* Header line of each part kind, or NULL for an unknown kind. */
static const char *part_header(const char *kind)
{
    if (strcmp(kind, "timeseries") == 0)
        return "config,t_s,visible,in_flight,backlog,executions_pending,"
               "executions_running,downstream_busy\n";
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
        return io_fail(d, tmp, "cannot create part file", ENAMETOOLONG);
    w->fp = open_out(w->path, d);
    return w->fp != NULL ? 0 : SIM_EIO;
}

void report_part_sample(struct part_writer *w, const struct ts_sample *s)
{
    if (w->fp == NULL || w->err != 0)
        return;
    put_str(w->fp, &w->err, w->config_label);
    put_us(w->fp, &w->err, s->t_us);
    put_i64(w->fp, &w->err, s->visible);
    put_i64(w->fp, &w->err, s->in_flight);
    put_i64(w->fp, &w->err, s->backlog);
    put_i64(w->fp, &w->err, s->executions_pending);
    put_i64(w->fp, &w->err, s->executions_running);
    put_i64(w->fp, &w->err, s->downstream_busy);
    put_raw(w->fp, &w->err, "\n");
}

void report_part_execution(struct part_writer *w, const struct exec_record *e)
{
    if (w->fp == NULL || w->err != 0)
        return;
    put_str(w->fp, &w->err, w->config_label);
    put_i64(w->fp, &w->err, (int64_t)w->replication);
    put_i64(w->fp, &w->err, e->execution);
    put_us(w->fp, &w->err, e->created_us);
    if (e->running_us < 0)
        put_raw(w->fp, &w->err, ",");
    else
        put_us(w->fp, &w->err, e->running_us);
    put_us(w->fp, &w->err, e->finished_us);
    put_raw(w->fp, &w->err, ",");
    put_raw(w->fp, &w->err, exec_status_name(e->status));
    put_i64(w->fp, &w->err, e->messages);
    put_raw(w->fp, &w->err, e->empty ? ",1" : ",0");
    put_us(w->fp, &w->err, e->billed_us);
    put_raw(w->fp, &w->err, "\n");
}

int report_part_close(struct part_writer *w, struct diag *d)
{
    if (w->fp == NULL)
        return w->err != 0 ? io_fail(d, w->path, "cannot write file", w->err)
                           : 0;
    FILE *fp = w->fp;
    w->fp = NULL;
    int rc = close_out(fp, w->path, w->err, d);
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
    char out_path[REPORT_PATH_MAX], part[REPORT_PATH_MAX];
    int k = snprintf(out_path, sizeof out_path, "%s/%s.csv", out_dir, kind);
    if (k < 0 || (size_t)k >= sizeof out_path)
        return io_fail(d, out_dir, "cannot create file", ENAMETOOLONG);
    FILE *out = open_out(out_path, d);
    if (out == NULL)
        return SIM_EIO;
    int err = 0;
    put_raw(out, &err, header);

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
                    return io_fail(d, part_dirs[s], "cannot read part",
                                   ENAMETOOLONG);
                }
                int which = 0;
                int e = copy_file(out, part, &which);
                if (e == ENOENT && which == 0)
                    continue;       /* not in this folder */
                if (e != 0) {
                    if (which == 0) {
                        fclose(out);
                        return io_fail(d, part, "cannot read part", e);
                    }
                    err = e;
                    break;
                }
                if (remove_parts && remove(part) != 0) {
                    e = errno;
                    fclose(out);
                    return io_fail(d, part, "cannot remove part", e);
                }
                break;              /* found: later folders are not read */
            }
        }
    }
    return close_out(out, out_path, err, d);
}

int report_parts_merge(const char *tmp, const char *kind, size_t n_configs,
                       uint32_t n_reps, struct diag *d)
{
    char parts[REPORT_PATH_MAX];
    if (path_join(parts, sizeof parts, tmp, "/parts") != 0)
        return io_fail(d, tmp, "cannot read part", ENAMETOOLONG);
    const char *dirs[1] = {parts};
    return report_parts_gather(tmp, kind, dirs, 1, n_configs, n_reps, true,
                               d);
}

/* ---- summaries --------------------------------------------------------- */

void report_metric_ci(const struct report_config *c, int i, double conf,
                      double *mean, double *half)
{
    /* Copy the values that apply: a stack buffer covers every usual run;
     * larger ones take the heap (on allocation failure the statistics are
     * NAN, the same as "no value"). */
    double small[256];
    double *x = small;
    *mean = (double)NAN;
    *half = (double)NAN;
    if (c->n_reps > sizeof small / sizeof small[0]) {
        x = malloc(c->n_reps * sizeof *x);
        if (x == NULL)
            return;
    }
    size_t n = 0;
    for (size_t r = 0; r < c->n_reps; r++) {
        double v = c->reps[r].m[i];
        if (!isnan(v))
            x[n++] = v;
    }
    if (n > 0)
        *mean = gsl_stats_mean(x, 1, n);
    if (n > 1) {
        double sd = gsl_stats_sd(x, 1, n);
        double t = gsl_cdf_tdist_Pinv(0.5 + conf / 2.0, (double)(n - 1));
        *half = t * sd / sqrt((double)n);
    }
    if (x != small)
        free(x);
}

void report_metric_stats(const struct report_config *c, int i, double *mean,
                         double *ci95)
{
    report_metric_ci(c, i, 0.95, mean, ci95);
}

/* Write "config,<axis>...," (the columns both CSV files start with). */
static void put_head_common(FILE *fp, int *err, const struct report_input *in)
{
    put_raw(fp, err, "config");
    for (size_t a = 0; a < in->n_axes; a++) {
        put_raw(fp, err, ",");
        put_str(fp, err, in->axis_names[a]);
    }
}

/* Write "<label>,<axis value>..." of configuration c. */
static void put_row_common(FILE *fp, int *err, const struct report_input *in,
                           const struct report_config *c)
{
    put_str(fp, err, c->label);
    for (size_t a = 0; a < in->n_axes; a++) {
        put_raw(fp, err, ",");
        put_str(fp, err, c->axis_values != NULL ? c->axis_values[a] : NULL);
    }
}

/* Build dir/name into buf. Returns 0 or SIM_EIO with d set. */
static int out_path(char *buf, size_t n, const char *dir, const char *name,
                    struct diag *d)
{
    int k = snprintf(buf, n, "%s/%s", dir, name);
    if (k < 0 || (size_t)k >= n)
        return io_fail(d, dir, "cannot create file", ENAMETOOLONG);
    return 0;
}

/* Create file `name` in dir for writing; its path goes to path (size n).
 * NULL with d set when the path is too long or the file cannot be
 * created. */
static FILE *create_in(const char *dir, const char *name, char *path,
                       size_t n, struct diag *d)
{
    if (out_path(path, n, dir, name, d) != 0)
        return NULL;
    return open_out(path, d);
}

int report_write_summary_csv(const char *dir, const struct report_input *in,
                             struct diag *d)
{
    char path[REPORT_PATH_MAX];
    FILE *fp = create_in(dir, "summary.csv", path, sizeof path, d);
    if (fp == NULL)
        return SIM_EIO;
    int err = 0;

    put_head_common(fp, &err, in);
    put_raw(fp, &err, ",replications");
    for (int i = 0; i < RM_COUNT; i++) {
        put_raw(fp, &err, ",");
        put_raw(fp, &err, result_metric_info[i].name);
        if (result_metric_info[i].ci) {
            put_raw(fp, &err, ",");
            put_raw(fp, &err, result_metric_info[i].name);
            put_raw(fp, &err, "_ci95");
        }
    }
    put_raw(fp, &err, ",slo_met\n");

    for (size_t ci = 0; ci < in->n_configs && err == 0; ci++) {
        const struct report_config *c = &in->configs[ci];
        put_row_common(fp, &err, in, c);
        if (fprintf(fp, ",%zu", c->n_reps) < 0)
            keep_errno(&err);
        for (int i = 0; i < RM_COUNT; i++) {
            double mean, hw;
            report_metric_stats(c, i, &mean, &hw);
            put_raw(fp, &err, ",");
            put_num(fp, &err, mean, NF_SUMMARY);
            if (result_metric_info[i].ci) {
                put_raw(fp, &err, ",");
                put_num(fp, &err, hw, NF_SUMMARY);
            }
        }
        put_raw(fp, &err, c->slo_met > 0    ? ",true\n"
                          : c->slo_met == 0 ? ",false\n"
                                            : ",\n");
    }
    return close_out(fp, path, err, d);
}

int report_write_replications_csv(const char *dir,
                                  const struct report_input *in,
                                  struct diag *d)
{
    char path[REPORT_PATH_MAX];
    FILE *fp = create_in(dir, "replications.csv", path, sizeof path, d);
    if (fp == NULL)
        return SIM_EIO;
    int err = 0;

    put_head_common(fp, &err, in);
    put_raw(fp, &err, ",replication");
    for (int i = 0; i < RM_COUNT; i++) {
        put_raw(fp, &err, ",");
        put_raw(fp, &err, result_metric_info[i].name);
    }
    put_raw(fp, &err, "\n");

    for (size_t ci = 0; ci < in->n_configs && err == 0; ci++) {
        const struct report_config *c = &in->configs[ci];
        for (size_t r = 0; r < c->n_reps && err == 0; r++) {
            const struct rep_result *rr = &c->reps[r];
            if (c->have != NULL && !c->have[r])
                continue;           /* another shard's replication */
            put_row_common(fp, &err, in, c);
            put_i64(fp, &err, (int64_t)rr->replication);
            for (int i = 0; i < RM_COUNT; i++) {
                put_raw(fp, &err, ",");
                put_num(fp, &err, rr->m[i],
                        result_metric_info[i].kind == RK_COUNT ? NF_INT
                                                               : NF_EXACT);
            }
            put_raw(fp, &err, "\n");
        }
    }
    return close_out(fp, path, err, d);
}

/* A JSON number for v, or null when v is NAN or infinite (JSON has no such
 * numbers). NULL only on allocation failure. */
static json_t *json_num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

/* The "slo" array of one configuration: its objectives, or null. */
static json_t *json_slo(const struct slo_eval *e)
{
    if (e == NULL || !e->present)
        return json_null();
    json_t *a = json_array();
    int bad = a == NULL;
    for (size_t i = 0; i < e->n && !bad; i++) {
        const struct slo_objective *o = &e->obj[i];
        json_t *j = json_object();
        bad |= j == NULL;
        if (bad)
            break;
        bad |= json_object_set_new(j, "objective", json_string(o->key));
        bad |= json_object_set_new(j, "metric",
                                   json_string(result_metric_info[o->metric]
                                                   .name));
        bad |= json_object_set_new(j, "limit", json_num(o->limit));
        bad |= json_object_set_new(j, "mean", json_num(o->mean));
        bad |= json_object_set_new(j, "upper", json_num(o->upper));
        bad |= json_object_set_new(j, "margin", json_num(slo_margin(o)));
        bad |= json_object_set_new(j, "met", json_boolean(o->met));
        bad |= json_array_append_new(a, j);
    }
    if (bad) {
        json_decref(a);
        return NULL;
    }
    return a;
}

/* The "recommendation" object of summary.json, or null without an SLO. */
static json_t *json_recommendation(const struct report_input *in)
{
    const struct slo_recommendation *r = in->rec;
    if (r == NULL || r->kind == SLO_REC_NONE || in->evals == NULL)
        return json_null();
    const struct report_config *c = &in->configs[r->config];
    const struct slo_eval *e = &in->evals[r->config];
    json_t *o = json_object();
    json_t *values = json_object();
    json_t *failing = json_array();
    int bad = o == NULL || values == NULL || failing == NULL;
    for (size_t a = 0; a < in->n_axes && !bad; a++) {
        const char *v = c->axis_values != NULL ? c->axis_values[a] : NULL;
        bad |= json_object_set_new(values, in->axis_names[a],
                                   v != NULL ? json_string(v) : json_null());
    }
    for (size_t i = 0; i < e->n && !bad; i++)
        if (!e->obj[i].met)
            bad |= json_array_append_new(failing,
                                         json_string(e->obj[i].key));
    if (!bad) {
        bad |= json_object_set_new(o, "config", json_string(c->label));
        bad |= json_object_set_new(o, "values", values);
        values = NULL;
        bad |= json_object_set_new(o, "slo_met",
                                   json_boolean(r->kind == SLO_REC_MET));
        bad |= json_object_set_new(o, "configs_meeting_slo",
                                   json_integer((json_int_t)r->n_met));
        bad |= json_object_set_new(o, "cost_usd", json_num(r->cost_mean));
        bad |= json_object_set_new(o, "cost_usd_ci95",
                                   json_num(r->cost_ci95));
        bad |= json_object_set_new(o, "confidence", json_num(e->confidence));
        bad |= json_object_set_new(o, "objectives", json_slo(e));
        bad |= json_object_set_new(o, "failing", failing);
        failing = NULL;
    }
    json_decref(values);
    json_decref(failing);
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* One element of "configs" in summary.json; NULL on allocation failure. */
static json_t *json_config(const struct report_input *in,
                           const struct report_config *c)
{
    json_t *o = json_object();
    json_t *values = json_object();
    json_t *metrics = json_object();
    int bad = (o == NULL || values == NULL || metrics == NULL);
    for (size_t a = 0; a < in->n_axes && !bad; a++) {
        const char *v = c->axis_values != NULL ? c->axis_values[a] : NULL;
        bad |= json_object_set_new(values, in->axis_names[a],
                                   v != NULL ? json_string(v) : json_null());
    }
    /* Every metric carries both mean and ci95 (also those without a
     * _ci95 column in summary.csv), so readers find a fixed shape. */
    for (int i = 0; i < RM_COUNT && !bad; i++) {
        double mean, hw;
        report_metric_stats(c, i, &mean, &hw);
        json_t *m = json_object();
        bad |= (m == NULL);
        if (!bad) {
            bad |= json_object_set_new(m, "mean", json_num(mean));
            bad |= json_object_set_new(m, "ci95", json_num(hw));
        }
        bad |= json_object_set_new(metrics, result_metric_info[i].name, m);
    }
    if (!bad) {
        bad |= json_object_set_new(o, "config", json_string(c->label));
        bad |= json_object_set_new(o, "values", values);
        values = NULL;
        bad |= json_object_set_new(o, "replications",
                                   json_integer((json_int_t)c->n_reps));
        bad |= json_object_set_new(o, "metrics", metrics);
        metrics = NULL;
        bad |= json_object_set_new(o, "slo_met",
                                   c->slo_met < 0 ? json_null()
                                                  : json_boolean(c->slo_met));
        bad |= json_object_set_new(
            o, "slo",
            json_slo(in->evals != NULL ? &in->evals[c - in->configs] : NULL));
    }
    json_decref(values);
    json_decref(metrics);
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* The whole summary.json document; NULL on allocation failure. */
static json_t *json_summary(const struct report_input *in)
{
    json_t *root = json_object();
    json_t *axes = json_array();
    json_t *configs = json_array();
    int bad = (root == NULL || axes == NULL || configs == NULL);
    for (size_t a = 0; a < in->n_axes && !bad; a++)
        bad |= json_array_append_new(axes, json_string(in->axis_names[a]));
    for (size_t c = 0; c < in->n_configs && !bad; c++)
        bad |= json_array_append_new(configs,
                                     json_config(in, &in->configs[c]));
    if (!bad) {
        const struct scenario *scn = in->scn;
        bad |= json_object_set_new(
            root, "burstsim", json_string(in->version ? in->version : ""));
        bad |= json_object_set_new(root, "generator", json_string("mt19937"));
        bad |= json_object_set_new(
            root, "seed", scn ? json_integer((json_int_t)scn->seed) : json_null());
        bad |= json_object_set_new(
            root, "replications",
            scn ? json_integer((json_int_t)scn->replications) : json_null());
        json_t *s = scn ? scn_to_json(scn) : json_null();
        bad |= json_object_set_new(root, "scenario", s);
        bad |= json_object_set_new(root, "axes", axes);
        axes = NULL;
        bad |= json_object_set_new(root, "configs", configs);
        configs = NULL;
        bad |= json_object_set_new(root, "recommendation",
                                   json_recommendation(in));
    }
    json_decref(axes);
    json_decref(configs);
    if (bad) {
        json_decref(root);
        return NULL;
    }
    return root;
}

int report_write_summary_json(const char *dir, const struct report_input *in,
                              struct diag *d)
{
    char path[REPORT_PATH_MAX];
    if (out_path(path, sizeof path, dir, "summary.json", d) != 0)
        return SIM_EIO;
    json_t *root = json_summary(in);
    if (root == NULL)
        return diag_set(d, SIM_ENOMEM, path, 0, 0,
                        "out of memory building the document");
    /* json_dumpf on our own stream (rather than json_dump_file) so errno
     * of a failed write reaches the diagnostic, plus a final newline. */
    FILE *fp = open_out(path, d);
    if (fp == NULL) {
        json_decref(root);
        return SIM_EIO;
    }
    int err = 0;
    errno = 0;
    if (json_dumpf(root, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0)
        keep_errno(&err);
    put_raw(fp, &err, "\n");
    json_decref(root);
    return close_out(fp, path, err, d);
}

/* ---- terminal table ---------------------------------------------------- */

/* The metric columns of the table, in order. */
static const int table_metrics[] = {
    RM_messages,     RM_completed,  RM_unfinished,       RM_latency_p95_s,
    RM_backlog_max,  RM_executions, RM_empty_executions, RM_cost_usd,
};
#define TABLE_NM (sizeof table_metrics / sizeof table_metrics[0])

/* Format the mean of table column m of configuration c into buf: integral
 * values without decimals, other counts with one, reals with 5 significant
 * digits; "-" when not applicable. */
static void table_cell(char *buf, size_t n, const struct report_config *c,
                       int m)
{
    double mean, hw;
    report_metric_stats(c, m, &mean, &hw);
    if (isnan(mean))
        snprintf(buf, n, "-");
    else if (result_metric_info[m].kind == RK_COUNT)
        snprintf(buf, n, mean == floor(mean) ? "%.0f" : "%.1f", mean);
    else
        snprintf(buf, n, "%.5g", mean);
}

/* Value of axis a of configuration c, "" when absent. */
static const char *axis_value(const struct report_config *c, size_t a)
{
    const char *v = c->axis_values != NULL ? c->axis_values[a] : NULL;
    return v != NULL ? v : "";
}

/* Width of the table column of axis a: its longest value or its name. */
static size_t axis_width(const struct report_input *in, size_t a)
{
    size_t w = strlen(in->axis_names[a]);
    for (size_t c = 0; c < in->n_configs; c++) {
        size_t len = strlen(axis_value(&in->configs[c], a));
        w = len > w ? len : w;
    }
    return w;
}

/* Print the table in two passes (widths, then rows) so it needs no heap:
 * formatting the cells twice is cheap for a handful of configurations.
 * Write errors are left for the caller to find with ferror(out). */
void report_print_table(FILE *out, const struct report_input *in)
{
    size_t w_cfg = strlen("config");
    size_t w_m[TABLE_NM];
    char cell[64];
    for (size_t j = 0; j < TABLE_NM; j++)
        w_m[j] = strlen(result_metric_info[table_metrics[j]].name);
    for (size_t c = 0; c < in->n_configs; c++) {
        const struct report_config *rc = &in->configs[c];
        size_t len = strlen(rc->label != NULL ? rc->label : "");
        w_cfg = len > w_cfg ? len : w_cfg;
        for (size_t j = 0; j < TABLE_NM; j++) {
            table_cell(cell, sizeof cell, rc, table_metrics[j]);
            w_m[j] = strlen(cell) > w_m[j] ? strlen(cell) : w_m[j];
        }
    }

    /* Text columns are left-aligned, numbers right-aligned. */
    fprintf(out, "%-*s", (int)w_cfg, "config");
    for (size_t a = 0; a < in->n_axes; a++)
        fprintf(out, "  %-*s", (int)axis_width(in, a), in->axis_names[a]);
    for (size_t j = 0; j < TABLE_NM; j++)
        fprintf(out, "  %*s", (int)w_m[j],
                result_metric_info[table_metrics[j]].name);
    fputc('\n', out);

    for (size_t c = 0; c < in->n_configs; c++) {
        const struct report_config *rc = &in->configs[c];
        fprintf(out, "%-*s", (int)w_cfg, rc->label != NULL ? rc->label : "");
        for (size_t a = 0; a < in->n_axes; a++)
            fprintf(out, "  %-*s", (int)axis_width(in, a), axis_value(rc, a));
        for (size_t j = 0; j < TABLE_NM; j++) {
            table_cell(cell, sizeof cell, rc, table_metrics[j]);
            fprintf(out, "  %*s", (int)w_m[j], cell);
        }
        fputc('\n', out);
    }
}

/* ---- latency quantiles ------------------------------------------------- */

int report_write_latency_quantiles_csv(const char *dir,
                                       const struct report_input *in,
                                       struct diag *d)
{
    char path[REPORT_PATH_MAX];
    FILE *fp = create_in(dir, "latency_quantiles.csv", path, sizeof path, d);
    if (fp == NULL)
        return SIM_EIO;
    int err = 0;
    put_head_common(fp, &err, in);
    put_raw(fp, &err, ",p,latency_s\n");
    for (size_t ci = 0; ci < in->n_configs && err == 0; ci++) {
        const struct report_config *c = &in->configs[ci];
        for (int k = 0; k < RESULT_NQ; k++) {
            /* Mean of the replications' quantiles (Vincent averaging):
             * the quantile function of the "average replication". */
            double sum = 0.0;
            size_t n = 0;
            for (size_t r = 0; r < c->n_reps; r++)
                if (!isnan(c->reps[r].latency_q[k])) {
                    sum += c->reps[r].latency_q[k];
                    n++;
                }
            char p[32];
            snprintf(p, sizeof p, ",%.2f,", (double)k / (RESULT_NQ - 1));
            put_row_common(fp, &err, in, c);
            put_raw(fp, &err, p);
            put_num(fp, &err, n > 0 ? sum / (double)n : (double)NAN,
                    NF_SUMMARY);
            put_raw(fp, &err, "\n");
        }
    }
    return close_out(fp, path, err, d);
}

int report_write_latency_raw_csv(const char *dir,
                                 const struct report_input *in,
                                 struct diag *d)
{
    char path[REPORT_PATH_MAX];
    FILE *fp = create_in(dir, "latency_raw.csv", path, sizeof path, d);
    if (fp == NULL)
        return SIM_EIO;
    int err = 0;
    put_raw(fp, &err, "config,replication");
    for (int k = 0; k < RESULT_NQ; k++)
        if (fprintf(fp, ",q%d", k) < 0)
            keep_errno(&err);
    put_raw(fp, &err, "\n");
    for (size_t ci = 0; ci < in->n_configs && err == 0; ci++) {
        const struct report_config *c = &in->configs[ci];
        for (size_t r = 0; r < c->n_reps && err == 0; r++) {
            if (c->have != NULL && !c->have[r])
                continue;
            put_str(fp, &err, c->label);
            put_i64(fp, &err, (int64_t)c->reps[r].replication);
            for (int k = 0; k < RESULT_NQ; k++) {
                put_raw(fp, &err, ",");
                put_num(fp, &err, c->reps[r].latency_q[k], NF_EXACT);
            }
            put_raw(fp, &err, "\n");
        }
    }
    return close_out(fp, path, err, d);
}

/* ---- recommendation ---------------------------------------------------- */

void report_config_title(const struct report_input *in, size_t c, char *buf,
                         size_t n)
{
    const struct report_config *rc = &in->configs[c];
    size_t len = 0;
    buf[0] = '\0';
    for (size_t a = 0; a < in->n_axes && len < n; a++) {
        const char *name = in->axis_names[a];
        const char *dot = strrchr(name, '.');
        int k = snprintf(buf + len, n - len, "%s%s=%s", a > 0 ? ", " : "",
                         dot != NULL ? dot + 1 : name, axis_value(rc, a));
        if (k < 0)
            break;
        len += (size_t)k;
    }
    if (in->n_axes == 0)
        snprintf(buf, n, "%s", rc->label != NULL ? rc->label : "");
}

/* Unit suffix of metric m for messages ("s" for seconds). */
static const char *metric_unit(int m)
{
    const char *name = result_metric_info[m].name;
    size_t len = strlen(name);
    return len > 2 && strcmp(name + len - 2, "_s") == 0 ? " s" : "";
}

void report_print_recommendation(FILE *out, const struct report_input *in)
{
    const struct slo_recommendation *r = in->rec;
    if (r == NULL || r->kind == SLO_REC_NONE || in->evals == NULL)
        return;
    const struct slo_eval *e = &in->evals[r->config];
    char title[512];
    report_config_title(in, r->config, title, sizeof title);
    const char *label = in->configs[r->config].label;
    if (r->kind == SLO_REC_MET) {
        fprintf(out,
                "recommendation: %s (%s): the cheapest configuration "
                "meeting every SLO at %g %% confidence (%zu of %zu do), "
                "cost_usd %.5g +- %.2g\n",
                label, title, e->confidence * 100.0, r->n_met,
                in->n_configs, r->cost_mean,
                isnan(r->cost_ci95) ? 0.0 : r->cost_ci95);
    } else {
        fprintf(out,
                "recommendation: none of the %zu configurations meets "
                "every SLO at %g %% confidence; closest: %s (%s), "
                "cost_usd %.5g\n",
                in->n_configs, e->confidence * 100.0, label, title,
                r->cost_mean);
    }
    for (size_t i = 0; i < e->n; i++) {
        const struct slo_objective *o = &e->obj[i];
        const char *u = metric_unit(o->metric);
        if (isnan(o->upper))
            fprintf(out, "  %-26s FAILS: no value (limit %.6g%s)\n", o->key,
                    o->limit, u);
        else
            fprintf(out, "  %-26s %s: upper bound %.6g%s %s %.6g%s "
                    "(margin %.4g%s)\n",
                    o->key, o->met ? "met" : "FAILS", o->upper, u,
                    o->met ? "<=" : ">", o->limit, u, slo_margin(o), u);
    }
}
