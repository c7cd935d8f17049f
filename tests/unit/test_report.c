/* tests/unit/test_report.c - the results folder (sim/io/report_*.c, sim/run/summary.c): confidence
 * half-widths against hand-computed values, summary.csv / replications.csv
 * read back with libcsv, part streaming and merge order, staging (commit,
 * abort, failure), summary.json read back with jansson, the terminal table
 * and I/O errors.
 *
 * Expected numbers were computed outside burstsim with mpmath at 30 digits
 * (Student t quantile by inverting the regularized incomplete beta), not
 * with GSL, so the check is independent of the code under test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "sim/io/report_csv.h"
#include "sim/io/report_json.h"
#include "sim/io/report_parts.h"
#include "sim/io/report_stage.h"
#include "sim/io/report_text.h"

#include <csv.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- helpers ----------------------------------------------------------- */

/* NAN as a double (the macro is a float; -Wdouble-promotion). */
#define DNAN ((double)NAN)

/* assert |a - b| <= tol * max(1, |b|) with both values in the message. */
#define CHECK_NEAR(a, b, tol)                                                  \
    do {                                                                       \
        double a_ = (a), b_ = (b);                                             \
        double s_ = fabs(b_) > 1.0 ? fabs(b_) : 1.0;                           \
        if (!(fabs(a_ - b_) <= (tol) * s_))                                    \
            fail_msg("%s = %.17g, expected %.17g", #a, a_, b_);                \
    } while (0)

/* A fresh folder under /tmp for one test; removed by rm_tree(). */
static void make_tmpdir(char *buf, size_t n)
{
    snprintf(buf, n, "/tmp/test_report.XXXXXX");
    assert_non_null(mkdtemp(buf));
}

/* report_stage_abort() removes any tree; it is what the tests clean up with
 * (it is itself tested by stage/abort). */
static void rm_tree(const char *path) { report_stage_abort(path); }

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Number of entries of a folder other than . and .. (-1 if unreadable). */
static int count_entries(const char *path)
{
    DIR *dir = opendir(path);
    if (dir == NULL)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(dir);
    return n;
}

/* The whole file as a NUL-terminated string (caller frees). */
static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        fail_msg("cannot open %s: %s", path, strerror(errno));
    char *buf = NULL;
    size_t len = 0, cap = 0, got;
    char chunk[4096];
    while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        if (len + got + 1 > cap) {
            cap = (len + got + 1) * 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        memcpy(buf + len, chunk, got);
        len += got;
    }
    fclose(fp);
    if (buf == NULL) {
        buf = malloc(1);
        assert_non_null(buf);
    }
    buf[len] = '\0';
    return buf;
}

static void write_text(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    assert_true(fputs(text, fp) >= 0);
    assert_int_equal(fclose(fp), 0);
}

/* A CSV file parsed with libcsv: rows of NUL-terminated fields. */
#define T_ROWS 32
#define T_COLS 96
struct table {
    size_t n_rows;
    size_t n_cols[T_ROWS];
    char *f[T_ROWS][T_COLS];
};

static void tab_field(void *s, size_t len, void *data)
{
    struct table *t = data;
    assert_true(t->n_rows < T_ROWS);
    size_t c = t->n_cols[t->n_rows]++;
    assert_true(c < T_COLS);
    t->f[t->n_rows][c] = strndup(s != NULL ? s : "", len);
}

static void tab_row(int ch, void *data)
{
    (void)ch;
    struct table *t = data;
    t->n_rows++;
}

static void tab_read(struct table *t, const char *path)
{
    memset(t, 0, sizeof *t);
    char *text = slurp(path);
    struct csv_parser p;
    assert_int_equal(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI), 0);
    size_t len = strlen(text);
    assert_int_equal(csv_parse(&p, text, len, tab_field, tab_row, t), len);
    assert_int_equal(csv_fini(&p, tab_field, tab_row, t), 0);
    csv_free(&p);
    free(text);
}

static void tab_free(struct table *t)
{
    for (size_t r = 0; r < T_ROWS; r++)
        for (size_t c = 0; c < T_COLS; c++)
            free(t->f[r][c]);
}

/* Index of column name in the header row, or fail. */
static size_t tab_col(const struct table *t, const char *name)
{
    for (size_t c = 0; c < t->n_cols[0]; c++)
        if (strcmp(t->f[0][c], name) == 0)
            return c;
    fail_msg("no column %s", name);
    return 0;
}

/* ---- a small run: 2 configurations x 3 replications -------------------- */

#define F_REPS 3
struct fixture {
    struct rep_result reps[2][F_REPS];
    const char *values[2][1];
    struct report_config configs[2];
    struct report_input in;
};

static const char *const f_axes[] = {"job.duration"};

/* Every metric gets i + 1 + r (integral, so COUNT metrics are valid), then
 * a few metrics get the hand-checked values used below. */
static void fixture_init(struct fixture *f)
{
    memset(f, 0, sizeof *f);
    for (int c = 0; c < 2; c++)
        for (int r = 0; r < F_REPS; r++) {
            f->reps[c][r].replication = (uint32_t)r;
            for (int i = 0; i < RM_COUNT; i++)
                f->reps[c][r].m[i] = (double)(i + 1 + r);
            f->reps[c][r].m[RM_savings_pct] = DNAN;   /* never applies */
        }
    const double msg[2][3] = {{10, 11, 13}, {12, 12, 15}};
    const double p95[3] = {0.1, 0.25, 0.4};
    for (int r = 0; r < F_REPS; r++) {
        f->reps[0][r].m[RM_messages] = msg[0][r];
        f->reps[1][r].m[RM_messages] = msg[1][r];
        f->reps[0][r].m[RM_latency_p95_s] = p95[r];
        /* c1: wait applies in one replication only -> no half-width */
        f->reps[1][r].m[RM_wait_mean_s] = r == 2 ? 4.77 : DNAN;
    }
    f->values[0][0] = "10";
    f->values[1][0] = "a,\"b\"";      /* needs quoting: comma and quote */
    const char *labels[2] = {"c0", "c1"};
    for (int c = 0; c < 2; c++) {
        f->configs[c].label = labels[c];
        f->configs[c].axis_values = f->values[c];
        f->configs[c].reps = f->reps[c];
        f->configs[c].n_reps = F_REPS;
    }
    f->configs[0].slo_met = 0;
    f->configs[1].slo_met = -1;
    f->in.scn = NULL;
    f->in.axis_names = f_axes;
    f->in.n_axes = 1;
    f->in.configs = f->configs;
    f->in.n_configs = 2;
    f->in.version = "0.1.0-test";
}

/* ---- report_metric_stats ----------------------------------------------- */

/* One configuration whose metric 0 takes the n values x. */
static void stats_of(const double *x, size_t n, double *mean, double *ci)
{
    struct rep_result *reps = calloc(n > 0 ? n : 1, sizeof *reps);
    assert_non_null(reps);
    for (size_t r = 0; r < n; r++)
        reps[r].m[0] = x[r];
    struct report_config c = {.label = "c0", .reps = reps, .n_reps = n,
                              .slo_met = -1};
    report_metric_stats(&c, 0, mean, ci);
    free(reps);
}

static void stats_hand_values(void **state)
{
    (void)state;
    /* {1,2,3,4}: mean 2.5, sd = sqrt(5/3) = 1.2909944487358056284,
     * t(0.975, 3) = 3.1824463052837095927,
     * ci95 = t * sd / sqrt(4) = 2.0542602567605220263. */
    const double x[] = {1, 2, 3, 4};
    double mean, ci;
    stats_of(x, 4, &mean, &ci);
    CHECK_NEAR(mean, 2.5, 1e-15);
    CHECK_NEAR(ci, 2.0542602567605220263, 1e-12);

    /* {0.1, 0.25, 0.4}: mean 0.25, sd 0.15, t(0.975, 2) =
     * 4.3026527297494638523, ci95 = 0.37262065676254966066. */
    const double y[] = {0.1, 0.25, 0.4};
    stats_of(y, 3, &mean, &ci);
    CHECK_NEAR(mean, 0.25, 1e-15);
    CHECK_NEAR(ci, 0.37262065676254966066, 1e-12);
}

static void stats_nan_skipped(void **state)
{
    (void)state;
    /* {2.385, DNAN, 4.77, 3.1} -> {2.385, 4.77, 3.1}: mean
     * 3.4183333333333333333, sd 1.2239519326073770832, t(0.975, 2)
     * 4.3026527297494638523, ci95 3.0404651531596851338. */
    const double x[] = {2.385, DNAN, 4.77, 3.1};
    double mean, ci;
    stats_of(x, 4, &mean, &ci);
    CHECK_NEAR(mean, 3.4183333333333333333, 1e-15);
    CHECK_NEAR(ci, 3.0404651531596851338, 1e-12);
}

static void stats_few_values(void **state)
{
    (void)state;
    double mean, ci;
    const double one[] = {2.385};
    stats_of(one, 1, &mean, &ci);
    CHECK_NEAR(mean, 2.385, 0);
    assert_true(isnan(ci));

    const double nan_and_one[] = {DNAN, 7.5, DNAN};
    stats_of(nan_and_one, 3, &mean, &ci);
    CHECK_NEAR(mean, 7.5, 0);
    assert_true(isnan(ci));

    const double all_nan[] = {DNAN, DNAN};
    stats_of(all_nan, 2, &mean, &ci);
    assert_true(isnan(mean));
    assert_true(isnan(ci));

    stats_of(NULL, 0, &mean, &ci);
    assert_true(isnan(mean));
    assert_true(isnan(ci));

    const double same[] = {3.25, 3.25, 3.25};   /* sd 0 -> half-width 0 */
    stats_of(same, 3, &mean, &ci);
    CHECK_NEAR(mean, 3.25, 0);
    CHECK_NEAR(ci, 0.0, 0);
}

static void stats_many_values(void **state)
{
    (void)state;
    /* 300 values 0, 0.5, ..., 149.5 (more than the stack buffer): mean
     * 74.75, sd 43.373378932243681031, t(0.975, 299) =
     * 1.967929669065669937, ci95 = 4.9280170578942975336. */
    double x[300];
    for (int i = 0; i < 300; i++)
        x[i] = 0.5 * i;
    double mean, ci;
    stats_of(x, 300, &mean, &ci);
    CHECK_NEAR(mean, 74.75, 1e-14);
    CHECK_NEAR(ci, 4.9280170578942975336, 1e-10);
}

/* ---- summary.csv / replications.csv ------------------------------------ */

static void csv_summary_header(void **state)
{
    (void)state;
    char dir[64];
    make_tmpdir(dir, sizeof dir);
    struct fixture f;
    fixture_init(&f);
    struct diag d;
    diag_init(&d);
    assert_int_equal(report_write_summary_csv(dir, &f.in, &d), 0);

    char path[128];
    snprintf(path, sizeof path, "%s/summary.csv", dir);
    struct table t;
    tab_read(&t, path);
    assert_int_equal(t.n_rows, 3);               /* header + 2 configs */

    /* The documented leading columns, then the metric table. */
    size_t k = 0;
    assert_string_equal(t.f[0][k++], "config");
    assert_string_equal(t.f[0][k++], "job.duration");
    assert_string_equal(t.f[0][k++], "replications");
    assert_string_equal(t.f[0][k], "messages");
    assert_string_equal(t.f[0][k + 1], "messages_ci95");
    size_t n_ci = 0;
    for (int i = 0; i < RM_COUNT; i++) {
        assert_string_equal(t.f[0][k++], result_metric_info[i].name);
        if (result_metric_info[i].ci) {
            char want[64];
            snprintf(want, sizeof want, "%s_ci95", result_metric_info[i].name);
            assert_string_equal(t.f[0][k++], want);
            n_ci++;
        }
    }
    assert_string_equal(t.f[0][k++], "slo_met");
    assert_int_equal(t.n_cols[0], k);
    assert_int_equal(k, 3 + RM_COUNT + n_ci + 1);
    /* Spot checks against docs/result.h: which metrics have a _ci95. */
    tab_col(&t, "latency_p95_s_ci95");
    tab_col(&t, "cost_usd_ci95");
    for (size_t c = 0; c < t.n_cols[0]; c++)
        assert_string_not_equal(t.f[0][c], "latency_p99_s_ci95");
    for (size_t r = 1; r < t.n_rows; r++)
        assert_int_equal(t.n_cols[r], k);
    tab_free(&t);
    rm_tree(dir);
}

static void csv_summary_values(void **state)
{
    (void)state;
    char dir[64];
    make_tmpdir(dir, sizeof dir);
    struct fixture f;
    fixture_init(&f);
    struct diag d;
    diag_init(&d);
    assert_int_equal(report_write_summary_csv(dir, &f.in, &d), 0);
    char path[128];
    snprintf(path, sizeof path, "%s/summary.csv", dir);

    /* The axis value with a comma and a quote is quoted in the file ... */
    char *text = slurp(path);
    assert_non_null(strstr(text, "\nc1,\"a,\"\"b\"\"\",3,"));
    assert_non_null(strstr(text, "\nc0,10,3,"));
    free(text);

    /* ... and reads back as written. */
    struct table t;
    tab_read(&t, path);
    assert_string_equal(t.f[1][0], "c0");
    assert_string_equal(t.f[1][1], "10");
    assert_string_equal(t.f[2][0], "c1");
    assert_string_equal(t.f[2][1], "a,\"b\"");
    assert_string_equal(t.f[1][tab_col(&t, "replications")], "3");

    /* messages c0 {10,11,13}: mean 11.333333333333333333, ci95
     * 3.7945830335967611898; c1 {12,12,15}: mean 13, ci95
     * 4.3026527297494638523 (sd = sqrt 3, so ci95 = t). "%.10g". */
    size_t m = tab_col(&t, "messages"), mc = tab_col(&t, "messages_ci95");
    assert_string_equal(t.f[1][m], "11.33333333");
    assert_string_equal(t.f[1][mc], "3.794583034");
    assert_string_equal(t.f[2][m], "13");
    assert_string_equal(t.f[2][mc], "4.30265273");

    /* latency_p95_s c0 {0.1, 0.25, 0.4}: 0.25 +- 0.37262065676254966066 */
    size_t l = tab_col(&t, "latency_p95_s");
    CHECK_NEAR(strtod(t.f[1][l], NULL), 0.25, 1e-12);
    CHECK_NEAR(strtod(t.f[1][l + 1], NULL), 0.37262065676254966066, 1e-9);

    /* A metric without ci: latency_p50_s = i + 1 + r -> mean i + 2. */
    size_t p50 = tab_col(&t, "latency_p50_s");
    char want[32];
    snprintf(want, sizeof want, "%d", RM_latency_p50_s + 2);
    assert_string_equal(t.f[2][p50], want);

    /* DNAN everywhere -> empty; one value -> mean, empty half-width. */
    assert_string_equal(t.f[1][tab_col(&t, "savings_pct")], "");
    assert_string_equal(t.f[2][tab_col(&t, "wait_mean_s")], "4.77");
    assert_string_equal(t.f[2][tab_col(&t, "wait_mean_s_ci95")], "");

    size_t s = tab_col(&t, "slo_met");
    assert_string_equal(t.f[1][s], "false");
    assert_string_equal(t.f[2][s], "");
    tab_free(&t);

    f.configs[1].slo_met = 1;
    assert_int_equal(report_write_summary_csv(dir, &f.in, &d), 0);
    tab_read(&t, path);
    assert_string_equal(t.f[2][s], "true");
    tab_free(&t);
    rm_tree(dir);
}

static void csv_replications(void **state)
{
    (void)state;
    char dir[64];
    make_tmpdir(dir, sizeof dir);
    struct fixture f;
    fixture_init(&f);
    struct diag d;
    diag_init(&d);
    assert_int_equal(report_write_replications_csv(dir, &f.in, &d), 0);
    char path[128];
    snprintf(path, sizeof path, "%s/replications.csv", dir);
    struct table t;
    tab_read(&t, path);
    assert_int_equal(t.n_rows, 1 + 2 * F_REPS);

    size_t k = 0;
    assert_string_equal(t.f[0][k++], "config");
    assert_string_equal(t.f[0][k++], "job.duration");
    assert_string_equal(t.f[0][k++], "replication");
    for (int i = 0; i < RM_COUNT; i++)
        assert_string_equal(t.f[0][k++], result_metric_info[i].name);
    assert_int_equal(t.n_cols[0], k);

    /* Rows config-major; every value reads back to the same double. */
    for (int c = 0; c < 2; c++)
        for (int r = 0; r < F_REPS; r++) {
            size_t row = 1 + (size_t)(c * F_REPS + r);
            assert_int_equal(t.n_cols[row], k);
            assert_string_equal(t.f[row][0], c == 0 ? "c0" : "c1");
            assert_string_equal(t.f[row][1], c == 0 ? "10" : "a,\"b\"");
            assert_int_equal(atoi(t.f[row][2]), r);
            for (int i = 0; i < RM_COUNT; i++) {
                const char *s = t.f[row][3 + i];
                double v = f.reps[c][r].m[i];
                if (isnan(v)) {
                    assert_string_equal(s, "");
                    continue;
                }
                if (result_metric_info[i].kind == RK_COUNT)
                    assert_null(strpbrk(s, ".eE"));   /* an integer */
                char *end;
                double got = strtod(s, &end);
                assert_true(*end == '\0' && end != s);
                if (got != v)
                    fail_msg("%s: %s != %.17g", result_metric_info[i].name, s,
                             v);
            }
        }
    assert_string_equal(t.f[2][3 + RM_messages], "11");
    assert_string_equal(t.f[1][3 + RM_latency_p95_s], "0.10000000000000001");
    tab_free(&t);
    rm_tree(dir);
}

/* ---- parts ------------------------------------------------------------- */

/* One part of (kind, config, rep) with one timeseries row at t_us. */
static void write_ts_part(const char *tmp, size_t c, const char *label,
                          uint32_t r, sim_time t_us)
{
    struct part_writer w;
    struct diag d;
    diag_init(&d);
    assert_int_equal(report_part_open(&w, tmp, "timeseries", c, label, r, &d),
                     0);
    struct ts_sample s = {.t_us = t_us, .end_us = t_us + 500000};
    s.mean[TS_VISIBLE] = 2.5;
    s.max[TS_VISIBLE] = 3;
    s.mean[TS_IN_FLIGHT] = 1.25;
    s.max[TS_IN_FLIGHT] = 2;
    s.mean[TS_BACKLOG] = 3.75;
    s.max[TS_BACKLOG] = 5;
    s.mean[TS_PENDING] = 0.5;
    s.max[TS_PENDING] = 1;
    s.mean[TS_RUNNING] = (double)r / 4.0;
    s.max[TS_RUNNING] = (int64_t)r;
    s.max[TS_DOWNSTREAM] = (int64_t)c;
    report_part_sample(&w, &s);
    assert_int_equal(report_part_close(&w, &d), 0);
    assert_int_equal(report_part_close(&w, &d), 0);   /* safe twice */
}

static void parts_merge_order(void **state)
{
    (void)state;
    char dir[64], final[96], tmp[256], path[300];
    make_tmpdir(dir, sizeof dir);
    snprintf(final, sizeof final, "%s/out", dir);
    struct diag d;
    diag_init(&d);
    assert_int_equal(report_stage_begin(final, tmp, sizeof tmp, &d), 0);

    /* Written out of order, as parallel workers would; c1 r1 is missing. */
    write_ts_part(tmp, 1, "c1", 0, 4000000);
    write_ts_part(tmp, 0, "c0", 1, 2000000);
    write_ts_part(tmp, 2, "c2", 0, 5000000);   /* beyond n_configs: kept */
    write_ts_part(tmp, 0, "c0", 0, 1500000);
    assert_int_equal(report_parts_merge(tmp, "timeseries", 2, 2, &d), 0);

    snprintf(path, sizeof path, "%s/timeseries.csv", tmp);
    char *text = slurp(path);
    assert_string_equal(text,
                        "config,t_s,t_end_s,visible_mean,visible_max,"
                        "in_flight_mean,in_flight_max,backlog_mean,"
                        "backlog_max,executions_pending_mean,"
                        "executions_pending_max,executions_running_mean,"
                        "executions_running_max,downstream_busy_mean,"
                        "downstream_busy_max\n"
                        "c0,1.500000,2.000000,2.5,3,1.25,2,3.75,5,0.5,1,0,0,"
                        "0,0\n"
                        "c0,2.000000,2.500000,2.5,3,1.25,2,3.75,5,0.5,1,0.25,"
                        "1,0,0\n"
                        "c1,4.000000,4.500000,2.5,3,1.25,2,3.75,5,0.5,1,0,0,"
                        "0,1\n");
    free(text);
    /* Merged parts are gone; only the one outside the range is left. */
    snprintf(path, sizeof path, "%s/parts", tmp);
    assert_int_equal(count_entries(path), 1);
    report_stage_abort(tmp);
    rm_tree(dir);
}

static void parts_executions(void **state)
{
    (void)state;
    char dir[64], final[96], tmp[256], path[300];
    make_tmpdir(dir, sizeof dir);
    snprintf(final, sizeof final, "%s/out", dir);
    struct diag d;
    diag_init(&d);
    assert_int_equal(report_stage_begin(final, tmp, sizeof tmp, &d), 0);

    struct part_writer w;
    assert_int_equal(
        report_part_open(&w, tmp, "executions", 0, "x,y", 2, &d), 0);
    struct exec_record e1 = {.execution = 7, .created_us = 0,
                             .running_us = -1, .finished_us = 2000001,
                             .status = EXEC_FAILED, .messages = 0,
                             .empty = true, .billed_us = 1000000};
    struct exec_record e2 = {.execution = 8, .created_us = 86400000000123,
                             .running_us = 86400012345678,
                             .finished_us = 86400099999999,
                             .status = EXEC_SUCCEEDED, .messages = 12,
                             .empty = false, .billed_us = 87654321};
    report_part_execution(&w, &e1);
    report_part_execution(&w, &e2);
    assert_int_equal(report_part_close(&w, &d), 0);
    assert_int_equal(report_parts_merge(tmp, "executions", 1, 3, &d), 0);

    snprintf(path, sizeof path, "%s/executions.csv", tmp);
    char *text = slurp(path);
    assert_string_equal(
        text,
        "config,replication,execution,created_s,running_s,finished_s,"
        "status,messages,empty,billed_s\n"
        "\"x,y\",2,7,0.000000,,2.000001,Failed,0,1,1.000000\n"
        "\"x,y\",2,8,86400000.000123,86400012.345678,86400099.999999,"
        "Succeeded,12,0,87.654321\n");
    free(text);
    snprintf(path, sizeof path, "%s/parts", tmp);
    assert_int_equal(count_entries(path), 0);

    /* No part at all: just the header. */
    assert_int_equal(report_parts_merge(tmp, "timeseries", 3, 3, &d), 0);
    snprintf(path, sizeof path, "%s/timeseries.csv", tmp);
    text = slurp(path);
    assert_non_null(strstr(text, "config,t_s,"));
    assert_null(strchr(strchr(text, '\n') + 1, '\n'));
    free(text);

    /* An unknown kind is a caller bug: SIM_EINVAL. */
    diag_init(&d);
    assert_int_equal(report_part_open(&w, tmp, "bogus", 0, "c0", 0, &d),
                     SIM_EINVAL);
    assert_null(w.fp);
    assert_int_equal(report_parts_merge(tmp, "bogus", 1, 1, &d), SIM_EINVAL);
    report_stage_abort(tmp);
    rm_tree(dir);
}

/* ---- staging ----------------------------------------------------------- */

static void stage_commit_replaces(void **state)
{
    (void)state;
    char dir[64], final[96], tmp[256], path[300];
    make_tmpdir(dir, sizeof dir);
    /* Parents are created; an existing final folder holds old results. */
    snprintf(final, sizeof final, "%s/results/run", dir);
    struct diag d;
    diag_init(&d);
    assert_int_equal(report_stage_begin(final, tmp, sizeof tmp, &d), 0);
    char want[128];
    snprintf(want, sizeof want, "%s.tmp-%ld", final, (long)getpid());
    assert_string_equal(tmp, want);
    snprintf(path, sizeof path, "%s/parts", tmp);
    assert_true(is_dir(path));

    /* Old results: a file and a nested folder. */
    snprintf(path, sizeof path, "%s/results/run", dir);
    assert_int_equal(mkdir(path, 0777), 0);
    snprintf(path, sizeof path, "%s/results/run/stale.csv", dir);
    write_text(path, "old\n");
    snprintf(path, sizeof path, "%s/results/run/plots", dir);
    assert_int_equal(mkdir(path, 0777), 0);
    snprintf(path, sizeof path, "%s/results/run/plots/a.gp", dir);
    write_text(path, "plot\n");
    /* ... with the marker of a folder burstsim wrote, listing them. */
    snprintf(path, sizeof path, "%s/results/run/.burstsim", dir);
    write_text(path, "{\"kind\": \"burstsim-results\", \"files\": "
                     "[\"plots/\", \"plots/a.gp\", \"stale.csv\"]}\n");

    snprintf(path, sizeof path, "%s/summary.csv", tmp);
    write_text(path, "new\n");
    snprintf(path, sizeof path, "%s/summary.json", tmp);
    write_text(path, "{}\n");
    assert_int_equal(report_stage_commit(tmp, final, &d), 0);

    snprintf(path, sizeof path, "%s/summary.csv", final);
    char *text = slurp(path);
    assert_string_equal(text, "new\n");
    free(text);
    assert_int_equal(count_entries(final), 3);   /* + .burstsim; no parts/,
                                                    no stale */
    assert_false(exists(tmp));
    snprintf(path, sizeof path, "%s.old-%ld", final, (long)getpid());
    assert_false(exists(path));
    snprintf(path, sizeof path, "%s/results", dir);
    assert_int_equal(count_entries(path), 1);    /* only run/ */

    /* A folder with other content, or a file, is never replaced. */
    char other[128];
    snprintf(other, sizeof other, "%s/precious", dir);
    assert_int_equal(mkdir(other, 0777), 0);
    snprintf(path, sizeof path, "%s/keep.txt", other);
    write_text(path, "keep\n");
    assert_int_equal(report_stage_begin(other, tmp, sizeof tmp, &d),
                     SIM_EINVAL);
    assert_true(exists(path));
    diag_init(&d);
    assert_int_equal(report_stage_begin(path, tmp, sizeof tmp, &d),
                     SIM_EINVAL);
    assert_true(exists(path));
    diag_init(&d);
    rm_tree(other);

    /* Again with a trailing slash: run/ holds our results. */
    snprintf(final, sizeof final, "%s/results/run/", dir);
    assert_int_equal(report_stage_begin(final, tmp, sizeof tmp, &d), 0);
    assert_null(strstr(tmp, "/.tmp"));
    assert_int_equal(report_stage_commit(tmp, final, &d), 0);
    assert_int_equal(count_entries(final), 1);   /* only .burstsim */
    assert_int_equal(d.code, SIM_OK);
    rm_tree(dir);
}

static void stage_abort(void **state)
{
    (void)state;
    char dir[64], final[96], tmp[256], path[300];
    make_tmpdir(dir, sizeof dir);
    snprintf(final, sizeof final, "%s/out", dir);
    struct diag d;
    diag_init(&d);
    assert_int_equal(report_stage_begin(final, tmp, sizeof tmp, &d), 0);
    write_ts_part(tmp, 0, "c0", 0, 1);
    snprintf(path, sizeof path, "%s/summary.csv", tmp);
    write_text(path, "half\n");
    report_stage_abort(tmp);
    assert_false(exists(tmp));
    assert_false(exists(final));
    assert_int_equal(count_entries(dir), 0);
    report_stage_abort(tmp);                      /* nothing left: no-op */
    rm_tree(dir);
}

static void stage_begin_fails(void **state)
{
    (void)state;
    char dir[64], final[128], tmp[256], path[128];
    make_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/afile", dir);
    write_text(path, "x\n");

    /* A parent that is a file. */
    snprintf(final, sizeof final, "%s/afile/sub/out", dir);
    struct diag d;
    diag_init(&d);
    assert_int_equal(report_stage_begin(final, tmp, sizeof tmp, &d), SIM_EIO);
    assert_int_equal(d.code, SIM_EIO);
    assert_non_null(strstr(d.file, "afile"));
    assert_non_null(strstr(d.msg, strerror(ENOTDIR)));

    /* The staging folder's own parent is a file. */
    snprintf(final, sizeof final, "%s/afile/out", dir);
    diag_init(&d);
    assert_int_equal(report_stage_begin(final, tmp, sizeof tmp, &d), SIM_EIO);
    assert_non_null(strstr(d.file, "afile"));

    /* tmp buffer too small for the path. */
    char small[8];
    snprintf(final, sizeof final, "%s/out", dir);
    diag_init(&d);
    assert_int_equal(report_stage_begin(final, small, sizeof small, &d),
                     SIM_EIO);
    assert_int_equal(count_entries(dir), 1);      /* only afile */
    rm_tree(dir);
}

/* ---- I/O errors -------------------------------------------------------- */

static void io_errors(void **state)
{
    (void)state;
    char dir[64], missing[96];
    make_tmpdir(dir, sizeof dir);
    snprintf(missing, sizeof missing, "%s/no/such", dir);
    struct fixture f;
    fixture_init(&f);
    struct diag d;

    diag_init(&d);
    assert_int_equal(report_write_summary_csv(missing, &f.in, &d), SIM_EIO);
    assert_non_null(strstr(d.file, "no/such/summary.csv"));
    assert_non_null(strstr(d.msg, strerror(ENOENT)));
    diag_init(&d);
    assert_int_equal(report_write_replications_csv(missing, &f.in, &d),
                     SIM_EIO);
    assert_non_null(strstr(d.file, "replications.csv"));
    diag_init(&d);
    assert_int_equal(report_part_open(&(struct part_writer){0}, missing,
                                      "timeseries", 0, "c0", 0, &d),
                     SIM_EIO);
    assert_non_null(strstr(d.file, "timeseries-c0-r0.csv"));
    diag_init(&d);
    assert_int_equal(report_parts_merge(missing, "timeseries", 1, 1, &d),
                     SIM_EIO);

    /* A full device: the error shows at close, named with strerror. */
    FILE *full = fopen("/dev/full", "w");
    if (full != NULL) {
        struct part_writer w = {.fp = full, .config_label = "c0"};
        snprintf(w.path, sizeof w.path, "/dev/full");
        struct ts_sample s = {.t_us = 1};
        for (int i = 0; i < 10000; i++)          /* past the stdio buffer */
            report_part_sample(&w, &s);
        diag_init(&d);
        assert_int_equal(report_part_close(&w, &d), SIM_EIO);
        assert_string_equal(d.file, "/dev/full");
        assert_non_null(strstr(d.msg, strerror(ENOSPC)));
        assert_null(w.fp);
        diag_init(&d);
        assert_int_equal(report_part_close(&w, &d), SIM_EIO);  /* sticky */
    }
    rm_tree(dir);
}

/* ---- summary.json ------------------------------------------------------ */

static const char scenario_yaml[] =
    "name: report-test\n"
    "seed: 7\n"
    "replications: 3\n"
    "horizon: 1h\n"
    "arrivals:\n"
    "  process:\n"
    "    kind: poisson\n"
    "    rate: 5/s\n";

static void json_summary(void **state)
{
    (void)state;
    char dir[64], path[128];
    make_tmpdir(dir, sizeof dir);
    struct scenario scn;
    struct diag d;
    diag_init(&d);
    int rc = scn_load_string(&scn, scenario_yaml, "report-test.yaml", "/tmp",
                             NULL, 0, &d);
    if (rc != 0) {
        char buf[1400];
        fail_msg("scenario: %s", diag_format(&d, buf, sizeof buf));
    }
    struct fixture f;
    fixture_init(&f);
    f.in.scn = &scn;
    assert_int_equal(report_write_summary_json(dir, &f.in, &d), 0);
    scn_fini(&scn);

    snprintf(path, sizeof path, "%s/summary.json", dir);
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (root == NULL)
        fail_msg("%s:%d: %s", path, je.line, je.text);
    assert_string_equal(json_string_value(json_object_get(root, "burstsim")),
                        "0.1.0-test");
    assert_string_equal(json_string_value(json_object_get(root, "generator")),
                        "mt19937");
    assert_int_equal(json_integer_value(json_object_get(root, "seed")), 7);
    assert_int_equal(
        json_integer_value(json_object_get(root, "replications")), 3);
    /* The resolved scenario, defaults filled (scn_to_json). */
    json_t *sj = json_object_get(root, "scenario");
    assert_true(json_is_object(sj));
    assert_string_equal(json_string_value(json_object_get(sj, "name")),
                        "report-test");
    assert_true(json_object_size(sj) > 5);
    json_t *axes = json_object_get(root, "axes");
    assert_int_equal(json_array_size(axes), 1);
    assert_string_equal(json_string_value(json_array_get(axes, 0)),
                        "job.duration");

    /* Keys in the documented order. */
    const char *order[] = {"burstsim", "generator", "seed", "replications",
                           "scenario", "axes", "configs", "recommendation"};
    size_t k = 0;
    const char *key;
    json_t *val;
    json_object_foreach(root, key, val) {
        assert_true(k < 8);
        assert_string_equal(key, order[k++]);
    }
    assert_int_equal(k, 8);
    /* No SLO evaluations given: no recommendation, no per-config slo. */
    assert_true(json_is_null(json_object_get(root, "recommendation")));

    json_t *configs = json_object_get(root, "configs");
    assert_int_equal(json_array_size(configs), 2);
    json_t *c0 = json_array_get(configs, 0), *c1 = json_array_get(configs, 1);
    assert_string_equal(json_string_value(json_object_get(c0, "config")),
                        "c0");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(c1, "values"),
                                          "job.duration")),
        "a,\"b\"");
    assert_int_equal(json_integer_value(json_object_get(c0, "replications")),
                     3);
    assert_true(json_is_false(json_object_get(c0, "slo_met")));
    assert_true(json_is_null(json_object_get(c1, "slo_met")));

    json_t *m0 = json_object_get(c0, "metrics");
    assert_int_equal(json_object_size(m0), RM_COUNT);
    json_t *msg = json_object_get(m0, "messages");
    CHECK_NEAR(json_number_value(json_object_get(msg, "mean")),
               11.333333333333333333, 1e-15);
    CHECK_NEAR(json_number_value(json_object_get(msg, "ci95")),
               3.7945830335967611898, 1e-12);
    json_t *sav = json_object_get(m0, "savings_pct");
    assert_true(json_is_null(json_object_get(sav, "mean")));
    assert_true(json_is_null(json_object_get(sav, "ci95")));
    json_t *w1 = json_object_get(json_object_get(c1, "metrics"),
                                 "wait_mean_s");
    CHECK_NEAR(json_number_value(json_object_get(w1, "mean")), 4.77, 0);
    assert_true(json_is_null(json_object_get(w1, "ci95")));
    json_decref(root);
    rm_tree(dir);
}

/* ---- terminal table ---------------------------------------------------- */

static void table_print(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    report_print_table(out, &f.in);
    assert_int_equal(fclose(out), 0);

    /* Header first, one line per configuration, all the same width. */
    char *lines[4] = {0};
    size_t n = 0;
    for (char *s = strtok(buf, "\n"); s != NULL; s = strtok(NULL, "\n")) {
        assert_true(n < 4);
        lines[n++] = s;
    }
    assert_int_equal(n, 3);
    assert_int_equal(strncmp(lines[0], "config", 6), 0);
    const char *cols[] = {"job.duration", "messages", "completed",
                          "unfinished", "latency_p95_s", "backlog_max",
                          "executions", "empty_executions", "cost_usd"};
    const char *prev = lines[0];
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
        const char *p = strstr(prev, cols[i]);
        if (p == NULL)
            fail_msg("column %s missing or out of order: %s", cols[i],
                     lines[0]);
        prev = p + strlen(cols[i]);
    }
    assert_int_equal(strlen(lines[1]), strlen(lines[0]));
    assert_int_equal(strlen(lines[2]), strlen(lines[0]));
    assert_int_equal(strncmp(lines[1], "c0", 2), 0);
    assert_int_equal(strncmp(lines[2], "c1", 2), 0);
    assert_non_null(strstr(lines[1], " 11.3 "));   /* mean of 10, 11, 13 */
    assert_non_null(strstr(lines[2], "a,\"b\""));
    assert_non_null(strstr(lines[2], " 13 "));
    /* The last column (cost_usd) ends both rows at the same place. */
    const char *hdr_end = lines[0] + strlen(lines[0]);
    assert_string_equal(hdr_end - strlen("cost_usd"), "cost_usd");
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stats_hand_values),
        cmocka_unit_test(stats_nan_skipped),
        cmocka_unit_test(stats_few_values),
        cmocka_unit_test(stats_many_values),
        cmocka_unit_test(csv_summary_header),
        cmocka_unit_test(csv_summary_values),
        cmocka_unit_test(csv_replications),
        cmocka_unit_test(parts_merge_order),
        cmocka_unit_test(parts_executions),
        cmocka_unit_test(stage_commit_replaces),
        cmocka_unit_test(stage_abort),
        cmocka_unit_test(stage_begin_fails),
        cmocka_unit_test(io_errors),
        cmocka_unit_test(json_summary),
        cmocka_unit_test(table_print),
    };
    return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
