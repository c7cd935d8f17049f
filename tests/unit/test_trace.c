/* tests/unit/test_trace.c - the CSV trace reader (sim/io/trace*.c).
 *
 * Expected values are computed independently of the code under test: epoch
 * seconds of dates come from `date -u -d ... +%s`, event counts and spans of
 * the recorded traces from `wc -l` and the first/last TIMESTAMP of each file
 * (see data/traces/README.md). Bad traces are written to a temp folder. The
 * streaming check writes a 2-million-row trace to /tmp, reads it back, and
 * checks that the reader's memory does not grow (ring capacity, mallinfo2);
 * it prints the rows/s it measured.
 *
 * Run from the repository root (the recorded traces are found through
 * ../shared/data/traces; without them those tests print "SKIP:" and skip). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sim/io/trace.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TRACES "../shared/data/traces"

/* Per-group state: a temp folder for the bad traces. */
struct ctx {
    char dir[64];
    char files[64][128];
    int n_files;
};

static int group_setup(void **state)
{
    struct ctx *cx = calloc(1, sizeof *cx);
    if (cx == NULL)
        return -1;
    snprintf(cx->dir, sizeof cx->dir, "/tmp/test_trace.XXXXXX");
    if (mkdtemp(cx->dir) == NULL) {
        free(cx);
        return -1;
    }
    *state = cx;
    return 0;
}

static int group_teardown(void **state)
{
    struct ctx *cx = *state;
    for (int j = 0; j < cx->n_files; j++)
        remove(cx->files[j]);
    rmdir(cx->dir);
    free(cx);
    return 0;
}

/* Write len bytes of text to <tmpdir>/name; returns the path (in cx). */
static const char *write_trace(struct ctx *cx, const char *name,
                               const char *text, size_t len)
{
    assert_true(cx->n_files < 64);
    char *path = cx->files[cx->n_files++];
    char tmp[128]; /* not straight into cx: GCC's -Wrestrict sees overlap */
    snprintf(tmp, sizeof tmp, "%s/%s", cx->dir, name);
    memcpy(path, tmp, sizeof tmp);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    return path;
}

/* A trace config with defaults: events, auto, first column. */
static struct scn_trace cfg_of(const char *path)
{
    struct scn_trace c;
    memset(&c, 0, sizeof c);
    c.path = (char *)(uintptr_t)path;
    c.format = TRACE_EVENTS;
    c.time_format = TF_AUTO;
    c.scale = 1.0;
    c.speedup = 1.0;
    return c;
}

/* Write text and open it; asserts that the open succeeds. */
static void open_text(struct ctx *cx, const char *name, const char *text,
                      struct scn_trace *c, struct trace_reader *tr)
{
    const char *path = write_trace(cx, name, text, strlen(text));
    c->path = (char *)(uintptr_t)path;
    struct diag d;
    diag_init(&d);
    int rc = trace_open(tr, c, &d);
    if (rc != 0) {
        char buf[1400];
        print_error("trace_open: %s\n", diag_format(&d, buf, sizeof buf));
    }
    assert_int_equal(rc, 0);
}

/* Assert that d formats exactly as "<path><rest>". */
static void assert_diag(const struct diag *d, const char *path,
                        const char *rest)
{
    char got[1400], want[1400];
    diag_format(d, got, sizeof got);
    snprintf(want, sizeof want, "%s%s", path, rest);
    assert_string_equal(got, want);
}

/* Parse with trace_parse_time, asserting success; returns us. */
static int64_t pt(const char *s, enum time_format f, bool want_abs)
{
    int64_t us = -42;
    bool abs = !want_abs;
    int rc = trace_parse_time(s, strlen(s), f, &us, &abs);
    if (rc != 0)
        print_error("trace_parse_time(\"%s\") failed\n", s);
    assert_int_equal(rc, 0);
    assert_int_equal(abs, want_abs);
    return us;
}

static void assert_bad_time(const char *s, enum time_format f)
{
    int64_t us = 0;
    bool abs = false;
    int rc = trace_parse_time(s, strlen(s), f, &us, &abs);
    if (rc != SIM_EPARSE)
        print_error("trace_parse_time(\"%s\") accepted: %lld\n", s,
                    (long long)us);
    assert_int_equal(rc, SIM_EPARSE);
}

/* ---- trace_parse_time -------------------------------------------------- */

/* trace/parse-iso: dates checked against `date -u -d`. */
static void test_parse_iso(void **state)
{
    (void)state;
    assert_int_equal(pt("1970-01-01T00:00:00Z", TF_ISO8601, true), 0);
    assert_int_equal(pt("1970-01-01 00:00:00", TF_ISO8601, true), 0);
    /* date -u -d '2023-11-16 18:17:03' +%s = 1700158623; .9799600 s */
    assert_int_equal(pt("2023-11-16 18:17:03.9799600", TF_ISO8601, true),
                     INT64_C(1700158623979960));
    assert_int_equal(pt("2023-11-16T18:17:03.9799600Z", TF_AUTO, true),
                     INT64_C(1700158623979960));
    /* zones: the same instant written east and west of UTC */
    assert_int_equal(pt("2023-11-16T19:17:03.97996+01:00", TF_ISO8601, true),
                     INT64_C(1700158623979960));
    assert_int_equal(pt("2023-11-16T19:17:03.97996+0100", TF_ISO8601, true),
                     INT64_C(1700158623979960));
    assert_int_equal(pt("2023-11-16T13:17:03.97996-05:00", TF_ISO8601, true),
                     INT64_C(1700158623979960));
    assert_int_equal(pt("2023-11-17T00:02:03.97996+05:45", TF_ISO8601, true),
                     INT64_C(1700158623979960));
    /* leap years: date -u -d 2024-02-29 / 2000-02-29 / 2100-03-01 */
    assert_int_equal(pt("2024-02-29T00:00:00Z", TF_ISO8601, true),
                     INT64_C(1709164800000000));
    assert_int_equal(pt("2000-02-29T00:00:00Z", TF_ISO8601, true),
                     INT64_C(951782400000000));
    assert_int_equal(pt("2100-03-01T00:00:00Z", TF_ISO8601, true),
                     INT64_C(4107542400000000));
    /* before the epoch: date -u -d 1969-12-31T23:59:59 +%s = -1 */
    assert_int_equal(pt("1969-12-31T23:59:59.5Z", TF_ISO8601, true), -500000);
    /* blanks around the field are ignored */
    assert_int_equal(pt("  1970-01-01T00:00:01Z\t", TF_ISO8601, true),
                     1000000);
}

/* trace/parse-fraction: 1, 3, 6, 9 and more digits, rounded to nearest. */
static void test_parse_fraction(void **state)
{
    (void)state;
    const int64_t base = INT64_C(1709164800000000); /* 2024-02-29 00:00 */
    assert_int_equal(pt("2024-02-29T00:00:00.5Z", TF_ISO8601, true) - base,
                     500000);
    assert_int_equal(pt("2024-02-29T00:00:00.125Z", TF_ISO8601, true) - base,
                     125000);
    assert_int_equal(pt("2024-02-29T00:00:00.123456Z", TF_ISO8601, true) - base,
                     123456);
    assert_int_equal(pt("2024-02-29 00:00:00.123456789", TF_ISO8601, true) -
                         base, 123457);
    assert_int_equal(pt("2024-02-29 00:00:00.123456499", TF_ISO8601, true) -
                         base, 123456);
    assert_int_equal(pt("2024-02-29 00:00:00.0000005", TF_ISO8601, true) - base,
                     1);
    assert_int_equal(pt("2024-02-29 00:00:00,25", TF_ISO8601, true) - base,
                     250000);
    /* rounding up carries into the next day (2024-03-01 00:00:00) */
    assert_int_equal(pt("2024-02-29T23:59:59.9999996Z", TF_ISO8601, true),
                     INT64_C(1709251200000000));
}

/* trace/parse-numbers: epoch and offset formats, exact decimal conversion. */
static void test_parse_numbers(void **state)
{
    (void)state;
    assert_int_equal(pt("1700158623.97996", TF_EPOCH_S, true),
                     INT64_C(1700158623979960));
    assert_int_equal(pt("1700158623979.96", TF_EPOCH_MS, true),
                     INT64_C(1700158623979960));
    assert_int_equal(pt("1700158623979", TF_EPOCH_MS, true),
                     INT64_C(1700158623979000));
    /* 17 significant digits: a double (ulp 2.4e-7 s here) would misround */
    assert_int_equal(pt("1700158623.9799605", TF_EPOCH_S, true),
                     INT64_C(1700158623979961));
    assert_int_equal(pt("1700158623.9799604999", TF_EPOCH_S, true),
                     INT64_C(1700158623979960));
    assert_int_equal(pt("3536999", TF_OFFSET_MS, false), INT64_C(3536999000));
    assert_int_equal(pt("0.0015", TF_OFFSET_MS, false), 2);   /* 1.5 us */
    assert_int_equal(pt("0.0014", TF_OFFSET_MS, false), 1);
    assert_int_equal(pt("2.385", TF_OFFSET_S, false), 2385000);
    assert_int_equal(pt(".5", TF_OFFSET_S, false), 500000);
    assert_int_equal(pt("7.", TF_OFFSET_S, false), 7000000);
    assert_int_equal(pt("+1.5e3", TF_OFFSET_S, false), INT64_C(1500000000));
    assert_int_equal(pt("25E-7", TF_OFFSET_S, false), 3); /* 2.5 us */
    assert_int_equal(pt("1e-9", TF_OFFSET_S, false), 0);
    assert_int_equal(pt("-2.5", TF_OFFSET_S, false), -2500000);
    assert_int_equal(pt("-0.0000025", TF_OFFSET_S, false), -3);
    assert_int_equal(pt("12.5", TF_AUTO, false), 12500000);
    assert_int_equal(pt("0000000000000000000000012", TF_OFFSET_S, false),
                     12000000);
}

/* trace/parse-garbage: everything malformed is SIM_EPARSE. */
static void test_parse_garbage(void **state)
{
    (void)state;
    const char *bad_iso[] = {
        "", "   ", "x", "2023-11-16", "2023-11-16 18:17", "2023-11-16T18:17:3",
        "2023-13-01 00:00:00", "2023-00-10 00:00:00", "2023-02-29 00:00:00",
        "1900-02-29 00:00:00", "2023-04-31 00:00:00", "2023-11-16 24:00:00",
        "2023-11-16 18:60:00", "2023-11-16 18:17:60", "2023-11-16 18:17:03.",
        "2023-11-16 18:17:03Zjunk", "2023-11-16 18:17:03+1",
        "2023-11-16 18:17:03+24:00", "2023-11-16 18:17:03+01:60",
        "2023-11-16_18:17:03", "23-11-16 18:17:03", "2023/11/16 18:17:03",
        "2023-11-16 18:17:03 Z",
    };
    for (size_t j = 0; j < sizeof bad_iso / sizeof *bad_iso; j++)
        assert_bad_time(bad_iso[j], TF_ISO8601);
    const char *bad_num[] = {
        "", "abc", "nan", "inf", "0x10", "1e", "1e+", "--1", "+-1", "1.2.3",
        ".", "-", "1,5", "1 2", "99999999999999999999", "1e300", "12s",
    };
    for (size_t j = 0; j < sizeof bad_num / sizeof *bad_num; j++) {
        assert_bad_time(bad_num[j], TF_EPOCH_S);
        assert_bad_time(bad_num[j], TF_OFFSET_MS);
    }
    assert_bad_time("2023-11-16 18:17:03", TF_EPOCH_S); /* not a number */
    assert_bad_time("17", TF_ISO8601);
    assert_bad_time("abc", TF_AUTO);
    int64_t us;
    assert_int_equal(trace_parse_time(NULL, 0, TF_AUTO, &us, NULL), SIM_EPARSE);
    /* len is honoured: the text need not be NUL-terminated */
    assert_int_equal(trace_parse_time("12345", 2, TF_OFFSET_S, &us, NULL), 0);
    assert_int_equal(us, 12000000);
}

/* ---- recorded traces ---------------------------------------------------- */

/* Replay a whole trace; checks count, first/last time, order, last line. */
static void replay(const char *file, const char *time_column,
                   enum time_format tf, int64_t want_n, sim_time want_last_us,
                   int64_t want_last_line)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", TRACES, file);
    if (access(path, R_OK) != 0) {
        printf("SKIP: trace/replay %s: %s not found (run from the repo "
               "root)\n", file, path);
        skip();
    }
    struct scn_trace c = cfg_of(path);
    c.time_column = (char *)(uintptr_t)time_column;
    c.time_format = tf;
    struct trace_reader tr;
    struct diag d;
    diag_init(&d);
    assert_int_equal(trace_open(&tr, &c, &d), 0);
    struct trace_event ev;
    int64_t n = 0;
    sim_time prev = 0, last = -1;
    int64_t last_line = 0;
    int rc;
    while ((rc = trace_next(&tr, &ev, &d)) == 1) {
        if (n == 0)
            assert_int_equal(ev.t_us, 0);
        assert_true(ev.t_us >= prev);
        assert_true(isnan(ev.duration_s));
        prev = last = ev.t_us;
        last_line = ev.line;
        n++;
    }
    if (rc != 0) {
        char buf[1400];
        print_error("%s\n", diag_format(&d, buf, sizeof buf));
    }
    assert_int_equal(rc, 0);
    assert_int_equal(n, want_n);
    assert_int_equal(last, want_last_us);
    assert_int_equal(last_line, want_last_line);
    assert_int_equal(trace_next(&tr, &ev, &d), 0); /* stays at the end */
    assert_true(tr.rows_cap <= 2);
    trace_close(&tr);
}

/* trace/replay-code: 8,819 rows, 18:17:03.9799600 to 19:14:19.9280160 =
 * 1700162059.928016 - 1700158623.979960 s = 3435.948056 s (57.3 min); CRLF
 * line ends and no final newline, so the last row is file line 8,820. */
static void test_replay_code(void **state)
{
    (void)state;
    replay("AzureLLMInferenceTrace_code.csv", "TIMESTAMP", TF_AUTO, 8819,
           INT64_C(3435948056), 8820);
    replay("AzureLLMInferenceTrace_code.csv", "1", TF_ISO8601, 8819,
           INT64_C(3435948056), 8820);
    replay("AzureLLMInferenceTrace_code.csv", "timestamp", TF_ISO8601, 8819,
           INT64_C(3435948056), 8820);
}

/* trace/replay-conv: 19,366 rows, 18:15:46.6805900 to 19:14:08.4025270 =
 * 1700162048.402527 - 1700158546.680590 s = 3501.721937 s (58.4 min). */
static void test_replay_conv(void **state)
{
    (void)state;
    replay("AzureLLMInferenceTrace_conv.csv", NULL, TF_AUTO, 19366,
           INT64_C(3501721937), 19367);
}

/* trace/replay-mooncake: 12,031 rows, offset_ms 0 .. 3536999 (58.9 min),
 * CRLF line ends with a final newline: last row on line 12,032. */
static void test_replay_mooncake(void **state)
{
    (void)state;
    replay("mooncake_conversation_trace.csv", "timestamp_ms", TF_OFFSET_MS,
           12031, INT64_C(3536999000), 12032);
    /* issue 11 #1: auto reads the header "timestamp_ms" (unit token ms)
     * and the first value 0 (small: an offset): offset_ms, the same 58.9
     * min; before, auto read seconds and made it 3536999 s = 40.9 days. */
    replay("mooncake_conversation_trace.csv", "timestamp_ms", TF_AUTO,
           12031, INT64_C(3536999000), 12032);
}

/* trace/replay-2021-unsorted: the invitro excerpt is not sorted by
 * end_timestamp; row 4 (line 5, 6.2525... s) is earlier than row 3 (line 4,
 * 59.1305 s), which the reader reports after three events. */
static void test_replay_2021_unsorted(void **state)
{
    (void)state;
    const char *path = TRACES "/azure_functions_2021_invitro_excerpt.csv";
    if (access(path, R_OK) != 0) {
        printf("SKIP: trace/replay-2021-unsorted: %s not found\n", path);
        skip();
    }
    struct scn_trace c = cfg_of(path);
    c.time_column = (char *)(uintptr_t)"end_timestamp";
    c.duration_column = (char *)(uintptr_t)"duration";
    c.time_format = TF_OFFSET_S;
    struct trace_reader tr;
    struct diag d;
    diag_init(&d);
    assert_int_equal(trace_open(&tr, &c, &d), 0);
    struct trace_event ev;
    assert_int_equal(trace_next(&tr, &ev, &d), 1);
    assert_int_equal(ev.t_us, 79491); /* 0.07949090003967285 s */
    assert_true(ev.duration_s == 0.078);
    assert_int_equal(trace_next(&tr, &ev, &d), 1);
    assert_int_equal(trace_next(&tr, &ev, &d), 1);
    assert_int_equal(trace_next(&tr, &ev, &d), SIM_EPARSE);
    assert_int_equal(d.line, 5);
    assert_non_null(strstr(d.msg, "timestamp earlier than the previous row"));
    assert_non_null(strstr(d.msg, "(line 4)"));
    trace_close(&tr);
}

/* ---- small traces ------------------------------------------------------- */

/* trace/crlf-quoted-bom: BOM on the header, CRLF, quoted fields with commas,
 * doubled quotes and a line break, blank lines, equal timestamps. */
static void test_crlf_quoted_bom(void **state)
{
    struct ctx *cx = *state;
    const char *text =
        "\xEF\xBB\xBF\"time\",\"note\"\r\n"
        "\"2023-01-01 00:00:00\",\"a, \"\"quoted\"\"\r\nsecond line\"\r\n"
        "\r\n"
        "2023-01-01T00:00:01Z,x\r\n"
        "2023-01-01T00:00:01Z,\"\"\r\n"
        "\r\n";
    struct scn_trace c = cfg_of(NULL);
    struct trace_reader tr;
    struct diag d;
    diag_init(&d);
    c.time_column = (char *)(uintptr_t)"time"; /* exact match after the BOM */
    open_text(cx, "crlf.csv", text, &c, &tr);
    struct trace_event ev;
    assert_int_equal(trace_next(&tr, &ev, &d), 1);
    assert_int_equal(ev.t_us, 0);
    assert_int_equal(ev.line, 2);
    assert_int_equal(trace_next(&tr, &ev, &d), 1);
    assert_int_equal(ev.t_us, 1000000);
    assert_int_equal(ev.line, 5);
    assert_int_equal(trace_next(&tr, &ev, &d), 1);
    assert_int_equal(ev.t_us, 1000000);
    assert_int_equal(ev.line, 6);
    assert_int_equal(trace_next(&tr, &ev, &d), 0);
    assert_int_equal(d.code, SIM_OK);
    trace_close(&tr);
    trace_close(&tr); /* twice is fine */
}

/* trace/no-final-newline: the last row is completed by csv_fini. */
static void test_no_final_newline(void **state)
{
    struct ctx *cx = *state;
    struct scn_trace c = cfg_of(NULL);
    struct trace_reader tr;
    struct diag d;
    diag_init(&d);
    open_text(cx, "nonl.csv", "t\n5\n6.5", &c, &tr);
    struct trace_event ev;
    assert_int_equal(trace_next(&tr, &ev, &d), 1);
    assert_int_equal(ev.t_us, 5000000); /* offsets: zero is offset 0 */
    assert_int_equal(trace_next(&tr, &ev, &d), 1);
    assert_int_equal(ev.t_us, 6500000);
    assert_int_equal(ev.line, 3);
    assert_int_equal(trace_next(&tr, &ev, &d), 0);
    trace_close(&tr);
    /* also with CRLF and a lone-CR (classic Mac) file */
    open_text(cx, "nonl2.csv", "t\r\n1\r\n2", &c, &tr);
    assert_int_equal(trace_next(&tr, &ev, &d), 1);
    assert_int_equal(trace_next(&tr, &ev, &d), 1);
    assert_int_equal(ev.line, 3);
    assert_int_equal(trace_next(&tr, &ev, &d), 0);
    trace_close(&tr);
    open_text(cx, "cr.csv", "t\r1\r2\r\r3\r", &c, &tr);
    for (int j = 1; j <= 3; j++) {
        assert_int_equal(trace_next(&tr, &ev, &d), 1);
        assert_int_equal(ev.t_us, j * 1000000);
    }
    assert_int_equal(ev.line, 5);
    assert_int_equal(trace_next(&tr, &ev, &d), 0);
    trace_close(&tr);
}

/* trace/duration: duration_column values in seconds; bad ones are errors. */
static void test_duration(void **state)
{
    struct ctx *cx = *state;
    struct scn_trace c = cfg_of(NULL);
    c.duration_column = (char *)(uintptr_t)"Dur";
    c.time_format = TF_EPOCH_MS;
    struct trace_reader tr;
    struct diag d;
    diag_init(&d);
    open_text(cx, "dur.csv",
              "ts,dur,x\n1700000000000,2.385,a\n1700000000250,0,b\n"
              "1700000000250, 1e-3 ,c\n1700000001000,-0.5,d\n",
              &c, &tr);
    struct trace_event ev;
    assert_int_equal(trace_next(&tr, &ev, &d), 1);
    assert_int_equal(ev.t_us, 0); /* epoch: zero is the first row */
    assert_true(ev.duration_s == 2.385);
    assert_int_equal(trace_next(&tr, &ev, &d), 1);
    assert_int_equal(ev.t_us, 250000);
    assert_true(ev.duration_s == 0.0);
    assert_int_equal(trace_next(&tr, &ev, &d), 1);
    assert_true(ev.duration_s == 0.001);
    assert_int_equal(trace_next(&tr, &ev, &d), SIM_EPARSE);
    assert_diag(&d, tr.path,
                ":5:2: error: dur: expected a duration in seconds >= 0, "
                "got \"-0.5\"");
    /* the error is sticky */
    struct diag d2;
    diag_init(&d2);
    assert_int_equal(trace_next(&tr, &ev, &d2), SIM_EPARSE);
    assert_int_equal(d2.line, 5);
    trace_close(&tr);

    diag_init(&d);
    c.duration_column = (char *)(uintptr_t)"2";
    open_text(cx, "dur2.csv", "ts,dur\n1700000000000,nan\n", &c, &tr);
    assert_int_equal(trace_next(&tr, &ev, &d), SIM_EPARSE);
    assert_int_equal(d.col, 2);
    trace_close(&tr);
}

/* trace/unsorted: names the row out of order and the previous one. */
static void test_unsorted(void **state)
{
    struct ctx *cx = *state;
    struct scn_trace c = cfg_of(NULL);
    struct trace_reader tr;
    struct diag d;
    diag_init(&d);
    open_text(cx, "unsorted.csv",
              "TIMESTAMP,n\n2023-11-16 18:17:03.5,1\n"
              "2023-11-16 18:17:03.5,2\n2023-11-16 18:17:04,3\n"
              "2023-11-16 18:17:03.75,4\n",
              &c, &tr);
    struct trace_event ev;
    for (int j = 0; j < 3; j++)
        assert_int_equal(trace_next(&tr, &ev, &d), 1);
    assert_int_equal(trace_next(&tr, &ev, &d), SIM_EPARSE);
    assert_int_equal(d.line, 5);
    assert_int_equal(d.col, 0); /* the row, not a field: file:LINE: */
    assert_true(strncmp(d.msg, "timestamp earlier than the previous row",
                        strlen("timestamp earlier than the previous row")) ==
                0);
    assert_non_null(strstr(d.msg, "(line 4)"));
    trace_close(&tr);
}

/* trace/bad-time: file:LINE:COL and the header name as the key. */
static void test_bad_time(void **state)
{
    struct ctx *cx = *state;
    struct scn_trace c = cfg_of(NULL);
    c.time_column = (char *)(uintptr_t)"TIMESTAMP";
    struct trace_reader tr;
    struct diag d;
    diag_init(&d);
    open_text(cx, "badtime.csv",
              "id,TIMESTAMP\n1,2023-11-16 18:17:03\n2,x\n", &c, &tr);
    struct trace_event ev;
    assert_int_equal(trace_next(&tr, &ev, &d), 1);
    assert_int_equal(trace_next(&tr, &ev, &d), SIM_EPARSE);
    assert_diag(&d, tr.path,
                ":3:2: error: TIMESTAMP: expected an ISO 8601 time, got \"x\" "
                "(time_format auto chose this format at the first row)");
    trace_close(&tr);

    /* auto decided ISO at the first row: a number later is an error */
    diag_init(&d);
    c.time_column = NULL;
    open_text(cx, "badtime2.csv", "t\n2023-11-16 18:17:03\n12.5\n", &c, &tr);
    assert_int_equal(trace_next(&tr, &ev, &d), 1);
    assert_int_equal(trace_next(&tr, &ev, &d), SIM_EPARSE);
    assert_int_equal(d.line, 3);
    trace_close(&tr);

    /* auto on a first row that is neither */
    diag_init(&d);
    open_text(cx, "badtime3.csv", "when\n\"soon\"\n", &c, &tr);
    assert_int_equal(trace_next(&tr, &ev, &d), SIM_EPARSE);
    assert_diag(&d, tr.path,
                ":2:1: error: when: time_format auto cannot decide from "
                "\"soon\" (header 'when'): neither an ISO 8601 time nor a "
                "number; set arrivals.trace.time_format");
    trace_close(&tr);

    /* negative offsets and an empty time field */
    diag_init(&d);
    open_text(cx, "badtime4.csv", "t,x\n-1,a\n", &c, &tr);
    assert_int_equal(trace_next(&tr, &ev, &d), SIM_EPARSE);
    assert_diag(&d, tr.path,
                ":2:1: error: t: time_format auto cannot decide from \"-1\" "
                "(header 't'): a negative value fits no format (epoch_s "
                "316227766..10000000000, epoch_ms and epoch_us 10^3 and 10^6 "
                "times that, offsets 0..316227766); set "
                "arrivals.trace.time_format");
    trace_close(&tr);
    diag_init(&d);
    c.time_format = TF_OFFSET_S;
    open_text(cx, "badtime4b.csv", "t,x\n-1,a\n", &c, &tr);
    assert_int_equal(trace_next(&tr, &ev, &d), SIM_EPARSE);
    assert_diag(&d, tr.path,
                ":2:1: error: t: expected an offset >= 0, got \"-1\"");
    trace_close(&tr);
    diag_init(&d);
    c.time_format = TF_OFFSET_S;
    open_text(cx, "badtime5.csv", "x,t\na,1\nb,\n", &c, &tr);
    /* time_column NULL = first column "x": "a" is not a number */
    assert_int_equal(trace_next(&tr, &ev, &d), SIM_EPARSE);
    assert_diag(&d, tr.path,
                ":2:1: error: x: expected an offset in seconds (offset_s), "
                "got \"a\"");
    trace_close(&tr);
}

/* trace/columns: missing column message, index, case-insensitive, too few
 * fields in a row. */
static void test_columns(void **state)
{
    struct ctx *cx = *state;
    const char *path = write_trace(cx, "cols.csv", "a,b,c\n1,2,3\n4,5\n",
                                   strlen("a,b,c\n1,2,3\n4,5\n"));
    struct scn_trace c = cfg_of(path);
    struct trace_reader tr;
    struct diag d;
    diag_init(&d);
    c.time_column = (char *)(uintptr_t)"X";
    assert_int_equal(trace_open(&tr, &c, &d), SIM_EPARSE);
    assert_diag(&d, path,
                ":1: error: arrivals.trace.time_column: no column \"X\" "
                "(columns: a, b, c)");
    trace_close(&tr); /* harmless after a failed open */

    diag_init(&d);
    c.time_column = (char *)(uintptr_t)"4";
    assert_int_equal(trace_open(&tr, &c, &d), SIM_EPARSE);
    assert_diag(&d, path,
                ":1: error: arrivals.trace.time_column: no column \"4\" "
                "(columns: a, b, c)");

    diag_init(&d);
    c.time_column = (char *)(uintptr_t)"a";
    c.duration_column = (char *)(uintptr_t)"nope";
    assert_int_equal(trace_open(&tr, &c, &d), SIM_EPARSE);
    assert_non_null(strstr(d.msg, "arrivals.trace.duration_column: no column"));

    /* "C" matches "c" case-insensitively; index 2 is "b" */
    diag_init(&d);
    c.time_column = (char *)(uintptr_t)"2";
    c.duration_column = (char *)(uintptr_t)"C";
    assert_int_equal(trace_open(&tr, &c, &d), 0);
    assert_int_equal(tr.time_col, 1);
    assert_int_equal(tr.duration_col, 2);
    struct trace_event ev;
    assert_int_equal(trace_next(&tr, &ev, &d), 1);
    assert_int_equal(ev.t_us, 2000000);
    assert_true(ev.duration_s == 3.0);
    assert_int_equal(trace_next(&tr, &ev, &d), SIM_EPARSE);
    assert_diag(&d, path,
                ":3: error: row has 2 fields, expected 3 (one per header "
                "column)");
    trace_close(&tr);

    /* a header name made of digits wins over the index */
    diag_init(&d);
    c.duration_column = NULL;
    c.time_column = (char *)(uintptr_t)"1";
    open_text(cx, "digits.csv", "x,1\n7,8\n", &c, &tr);
    assert_int_equal(tr.time_col, 1);
    trace_close(&tr);
}

/* trace/empty: header only, nothing at all, cannot open, unclosed quote,
 * malformed quoting, zeroed reader. */
static void test_empty(void **state)
{
    struct ctx *cx = *state;
    struct scn_trace c = cfg_of(NULL);
    struct trace_reader tr;
    struct diag d;
    diag_init(&d);
    open_text(cx, "hdr.csv", "TIMESTAMP,n\r\n\r\n", &c, &tr);
    struct trace_event ev;
    assert_int_equal(trace_next(&tr, &ev, &d), SIM_EPARSE);
    assert_diag(&d, tr.path, ": error: trace has no rows");
    trace_close(&tr);

    diag_init(&d);
    const char *path = write_trace(cx, "empty.csv", "", 0);
    c.path = (char *)(uintptr_t)path;
    assert_int_equal(trace_open(&tr, &c, &d), SIM_EPARSE);
    assert_diag(&d, path, ": error: trace is empty (no header row)");

    diag_init(&d);
    c.path = (char *)(uintptr_t)"/nonexistent/dir/trace.csv";
    assert_int_equal(trace_open(&tr, &c, &d), SIM_EIO);
    assert_diag(&d, "/nonexistent/dir/trace.csv",
                ": error: cannot open trace: No such file or directory");
    trace_close(&tr);

    /* a quote never closed would swallow the rest of the file */
    diag_init(&d);
    c.path = NULL;
    open_text(cx, "quote.csv", "t,x\n1,a\n2,\"abc\n3,d\n4,e\n", &c, &tr);
    assert_int_equal(trace_next(&tr, &ev, &d), 1);
    assert_int_equal(trace_next(&tr, &ev, &d), SIM_EPARSE);
    assert_int_equal(d.line, 3);
    assert_non_null(strstr(d.msg, "unterminated quoted field"));
    trace_close(&tr);

    /* malformed quoting in the middle: line and field */
    diag_init(&d);
    open_text(cx, "quote2.csv", "t,x\n1,a\n2,\"b\"c\n3,d\n", &c, &tr);
    assert_int_equal(trace_next(&tr, &ev, &d), 1);
    assert_int_equal(trace_next(&tr, &ev, &d), SIM_EPARSE);
    assert_int_equal(d.line, 3);
    assert_int_equal(d.col, 2);
    assert_non_null(strstr(d.msg, "malformed CSV quoting"));
    trace_close(&tr);

    /* a zeroed reader: close is a no-op, reading is SIM_EINVAL */
    struct trace_reader z;
    memset(&z, 0, sizeof z);
    trace_close(&z);
    diag_init(&d);
    assert_int_equal(trace_next(&z, &ev, &d), SIM_EINVAL);
    trace_close(&z);
}

/* trace/counts: format counts via trace_next_count; counts_wide sums. */
static void test_counts(void **state)
{
    struct ctx *cx = *state;
    struct scn_trace c = cfg_of(NULL);
    c.format = TRACE_COUNTS;
    c.time_format = TF_OFFSET_S;
    struct trace_reader tr;
    struct diag d;
    diag_init(&d);
    open_text(cx, "counts.csv", "minute,count\n0,5\n60,0\n120,12.0\n180,1.5\n",
              &c, &tr);
    sim_time t;
    int64_t n;
    assert_int_equal(trace_next_count(&tr, &t, &n, &d), 1);
    assert_int_equal(t, 0);
    assert_int_equal(n, 5);
    assert_int_equal(trace_next_count(&tr, &t, &n, &d), 1);
    assert_int_equal(t, 60000000);
    assert_int_equal(n, 0);
    assert_int_equal(trace_next_count(&tr, &t, &n, &d), 1);
    assert_int_equal(n, 12);
    assert_int_equal(trace_next_count(&tr, &t, &n, &d), SIM_EPARSE);
    assert_diag(&d, tr.path,
                ":5:2: error: count: expected a count (an integer >= 0), "
                "got \"1.5\"");
    trace_close(&tr);

    diag_init(&d);
    open_text(cx, "counts2.csv", "m,n\n0,-3\n", &c, &tr);
    struct trace_event ev;
    assert_int_equal(trace_next(&tr, &ev, &d), SIM_EINVAL); /* wrong call */
    diag_init(&d);
    assert_int_equal(trace_next_count(&tr, &t, &n, &d), SIM_EPARSE);
    assert_int_equal(d.col, 2);
    trace_close(&tr);

    /* counts_wide: the first integer header ("10") starts the counts;
     * the rows with kind = q are summed per column: 1+3, 2+4; column k
     * starts at k * interval (30 s). */
    diag_init(&d);
    c.format = TRACE_COUNTS_WIDE;
    c.interval_us = 30 * SIM_US_PER_S;
    c.filter.column = (char *)(uintptr_t)"kind";
    c.filter.equals = (char *)(uintptr_t)"q";
    open_text(cx, "wide.csv",
              "id,kind,10,11\r\na,q,1,2\r\nb,x,9,9\r\nc,q,3,4\r\n",
              &c, &tr);
    assert_int_equal(trace_next_count(&tr, &t, &n, &d), 1);
    assert_int_equal(t, 0);
    assert_int_equal(n, 4);
    assert_int_equal(trace_next_count(&tr, &t, &n, &d), 1);
    assert_int_equal(t, 30000000);
    assert_int_equal(n, 6);
    assert_int_equal(trace_next_count(&tr, &t, &n, &d), 0);
    assert_int_equal(trace_next(&tr, &ev, &d), SIM_EINVAL); /* wrong call */
    trace_close(&tr);

    /* a bad count names its line and column, with the column's header */
    diag_init(&d);
    c.filter.column = c.filter.equals = NULL;
    c.path = (char *)(uintptr_t)write_trace(cx, "wide2.csv",
                                            "id,10,11\na,1,2\nb,3,x\n", 22);
    assert_int_equal(trace_open(&tr, &c, &d), SIM_EPARSE);
    assert_diag(&d, tr.path,
                ":3:3: error: 11: expected a count (an integer >= 0), "
                "got \"x\"");
    trace_close(&tr);
}

/* trace/chunk-boundary: a CRLF split across the 64 KiB chunk boundary, and
 * a quoted field spanning it. */
static void test_chunk_boundary(void **state)
{
    struct ctx *cx = *state;
    const size_t chunk = 64 * 1024;
    size_t cap = 3 * chunk;
    char *text = malloc(cap);
    assert_non_null(text);
    /* "t,pad\r\n0,xxx...x\r\n" with the CR as the chunk's last byte */
    size_t k = (size_t)sprintf(text, "t,pad\r\n0,");
    while (k < chunk - 1)
        text[k++] = 'x';
    k += (size_t)sprintf(text + k, "\r\n1,\"");
    while (k < 2 * chunk + 10)
        text[k++] = 'y';
    k += (size_t)sprintf(text + k, "\"\r\n2,z\r\n");
    assert_int_equal(text[chunk - 1], '\r');
    const char *path = write_trace(cx, "chunks.csv", text, k);
    free(text);
    struct scn_trace c = cfg_of(path);
    struct trace_reader tr;
    struct diag d;
    diag_init(&d);
    assert_int_equal(trace_open(&tr, &c, &d), 0);
    struct trace_event ev;
    for (int j = 0; j < 3; j++) {
        assert_int_equal(trace_next(&tr, &ev, &d), 1);
        assert_int_equal(ev.t_us, j * 1000000);
        assert_int_equal(ev.line, j + 2);
    }
    assert_int_equal(trace_next(&tr, &ev, &d), 0);
    trace_close(&tr);
}

/* ---- streaming ---------------------------------------------------------- */

#define BIG_ROWS 2000000

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* trace/stream-2M: 2,000,000 ISO rows (one per ms from 2024-02-29 00:00,
 * durations) read back with bounded memory; prints the rows/s measured. */
static void test_stream_2m(void **state)
{
    (void)state;
    char path[] = "/tmp/test_trace_big.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fprintf(f, "TIMESTAMP,ContextTokens,duration_s\r\n");
    for (int64_t j = 0; j < BIG_ROWS; j++) {
        int64_t ms = j, s = ms / 1000;
        fprintf(f, "2024-02-29 %02d:%02d:%02d.%03d0000,%d,%d.%03d\r\n",
                (int)(s / 3600), (int)(s / 60 % 60), (int)(s % 60),
                (int)(ms % 1000), (int)(j % 5000), (int)(j % 7),
                (int)(j % 1000));
    }
    assert_int_equal(fclose(f), 0);

    struct scn_trace c = cfg_of(path);
    c.duration_column = (char *)(uintptr_t)"duration_s";
    struct trace_reader tr;
    struct diag d;
    diag_init(&d);
    double t0 = now_s();
    int orc = trace_open(&tr, &c, &d);
    remove(path); /* the open FILE keeps the data; nothing left on failure */
    assert_int_equal(orc, 0);
    struct trace_event ev;
    assert_int_equal(trace_next(&tr, &ev, &d), 1);
    struct mallinfo2 m0 = mallinfo2();
    int64_t n = 1;
    sim_time last = 0;
    size_t max_cap = tr.rows_cap;
    int rc;
    while ((rc = trace_next(&tr, &ev, &d)) == 1) {
        if (ev.t_us != n * 1000 || ev.line != n + 2)
            fail_msg("row %lld: t=%lld line=%lld", (long long)n,
                     (long long)ev.t_us, (long long)ev.line);
        last = ev.t_us;
        if (tr.rows_cap > max_cap)
            max_cap = tr.rows_cap;
        n++;
    }
    double dt = now_s() - t0;
    struct mallinfo2 m1 = mallinfo2();
    assert_int_equal(rc, 0);
    assert_int_equal(n, BIG_ROWS);
    assert_int_equal(last, (int64_t)(BIG_ROWS - 1) * 1000);
    assert_true(ev.duration_s == (double)((BIG_ROWS - 1) % 7) +
                                     (double)((BIG_ROWS - 1) % 1000) / 1000.0);
    assert_true(max_cap <= 2); /* the ring never grew */
    /* heap in use did not grow while 2M rows went by (ASan: both 0) */
    long long grew = (long long)m1.uordblks - (long long)m0.uordblks;
    assert_true(grew < 4096);
    trace_close(&tr);
    printf("trace/stream-2M: %d rows in %.3f s = %.2f M rows/s; ring %zu "
           "slots, heap growth %lld B\n",
           BIG_ROWS, dt, (double)BIG_ROWS / dt * 1e-6, max_cap, grew);
}


/* Open text with time_format auto and column 1, read the first event.
 * Returns trace_next's code; *fmt gets the format the reader decided. */
static int auto_first(struct ctx *cx, const char *text,
                      enum time_format *fmt, sim_time *t, struct diag *d)
{
    struct scn_trace c = cfg_of(NULL);
    struct trace_reader tr;
    diag_init(d);
    open_text(cx, "auto.csv", text, &c, &tr);
    struct trace_event ev = {0};
    int rc = trace_next(&tr, &ev, d);
    *fmt = tr.time_format;
    *t = ev.t_us;
    trace_close(&tr);
    return rc;
}

/* trace/auto-decides (issue 11 #1): header hint x first value's magnitude.
 * Class bounds: 10^8.5 = 316227766.0 s = 1980-01-08, 10^10 s = 2286-11-20;
 * ms and us ranges are 10^3 and 10^6 times those. The second row's time
 * after time zero is v2 - v1 in the unit for epoch formats (time zero =
 * the first row) and v2 for offsets (time zero = offset 0): every case has
 * its second row at 3600 s = 3.6e9 us. */
static void test_auto_decides(void **state)
{
    struct ctx *cx = *state;
    static const struct {
        const char *text;
        enum time_format want;
    } cases[] = {
        /* 1704067200 = 2024-01-01T00:00:00Z, in [10^8.5, 10^10): epoch_s */
        {"ts\n1704067200\n1704070800\n", TF_EPOCH_S},
        {"ts,x\n1704067200.5,1\n1704070800.5,1\n", TF_EPOCH_S},
        /* x1000 and x10^6: epoch_ms / epoch_us, with or without a hint */
        {"ts\n1704067200000\n1704070800000\n", TF_EPOCH_MS},
        {"timestamp_ms\n1704067200000\n1704070800000\n", TF_EPOCH_MS},
        {"TimestampMs\n1704067200000\n1704070800000\n", TF_EPOCH_MS},
        {"t\n1704067200000000\n1704070800000000\n", TF_EPOCH_US},
        {"unix_time\n1704067200\n1704070800\n", TF_EPOCH_S},
        /* small values: offsets in the header's unit, seconds without */
        {"t\n0\n3600\n", TF_OFFSET_S},
        {"t_s\n0\n3600\n", TF_OFFSET_S},
        {"timestamp_ms\n0\n3600000\n", TF_OFFSET_MS},
        {"millis\n0\n3600000\n", TF_OFFSET_MS},
        {"t (us)\n0\n3600000000\n", TF_OFFSET_US},
        /* a date is a date, whatever the header says */
        {"ts_ms\n2024-01-01T00:00:00Z\n2024-01-01T01:00:00Z\n", TF_ISO8601},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum time_format f = TF_AUTO;
        sim_time t = -1;
        struct diag d;
        struct scn_trace c = cfg_of(NULL);
        struct trace_reader tr;
        diag_init(&d);
        open_text(cx, "auto.csv", cases[i].text, &c, &tr);
        struct trace_event ev;
        int rc = trace_next(&tr, &ev, &d);
        if (rc == 1)
            rc = trace_next(&tr, &ev, &d);
        if (rc != 1) {
            char buf[1400];
            print_error("case %zu: %s\n", i, diag_format(&d, buf, sizeof buf));
        }
        assert_int_equal(rc, 1);
        f = tr.time_format;
        t = ev.t_us;
        trace_close(&tr);
        if (f != cases[i].want)
            print_error("case %zu: got %s\n", i, trace_time_format_name(f));
        assert_int_equal(f, cases[i].want);
        assert_int_equal(t, INT64_C(3600000000));
    }

    /* the description for the note, trace-stats and summary.json */
    struct scn_trace c = cfg_of(NULL);
    struct trace_reader tr;
    struct diag d;
    diag_init(&d);
    open_text(cx, "auto.csv", "timestamp_ms\n1704067200000\n", &c, &tr);
    struct trace_event ev;
    assert_int_equal(trace_next(&tr, &ev, &d), 1);
    char desc[400];
    trace_auto_describe(&tr, desc, sizeof desc);
    assert_string_equal(desc, "'timestamp_ms': epoch_ms (auto; first value "
                              "1704067200000 at line 2; header says ms)");
    trace_close(&tr);

    /* trace_detect_time reads one row: the same decision */
    enum time_format f = TF_AUTO;
    c.path = (char *)(uintptr_t)cx->files[cx->n_files - 1];
    assert_int_equal(trace_detect_time(&c, &f, desc, sizeof desc, &d), 0);
    assert_int_equal(f, TF_EPOCH_MS);
    assert_non_null(strstr(desc, "epoch_ms (auto;"));
    c.time_format = TF_OFFSET_S; /* not auto: nothing to decide */
    assert_int_equal(trace_detect_time(&c, &f, desc, sizeof desc, &d), 0);
    assert_int_equal(f, TF_OFFSET_S);
    assert_string_equal(desc, "");
}

/* trace/auto-refuses (issue 11 #1): what fits no class or two is refused,
 * naming the candidates; a later row that leaves the decided class too. */
static void test_auto_refuses(void **state)
{
    struct ctx *cx = *state;
    enum time_format f;
    sim_time t;
    struct diag d;
    char buf[1400];
    /* 1704067200 is epoch_s by magnitude; the header says ms (offset_ms
     * would be 19.7 days): two candidates */
    assert_int_equal(auto_first(cx, "ts_ms\n1704067200\n", &f, &t, &d),
                     SIM_EPARSE);
    assert_non_null(strstr(diag_format(&d, buf, sizeof buf),
                           ":2:1: error: ts_ms: time_format auto cannot "
                           "decide from \"1704067200\" (header 'ts_ms'): "
                           "candidates epoch_s (by the value's magnitude) "
                           "or offset_ms (the header says milliseconds)"));
    /* 3.1e10 lies between epoch_s (< 1e10) and epoch_ms (>= 10^11.5) */
    assert_int_equal(auto_first(cx, "ts\n31000000000\n", &f, &t, &d),
                     SIM_EPARSE);
    assert_non_null(strstr(d.msg, "the value fits no format"));
    /* 12 is no date; the header says epoch */
    assert_int_equal(auto_first(cx, "epoch\n12\n", &f, &t, &d), SIM_EPARSE);
    assert_non_null(strstr(d.msg, "candidates offset_s (by the value"));
    assert_non_null(strstr(d.msg, "or epoch (by the header)"));
    /* two unit tokens */
    assert_int_equal(auto_first(cx, "t_ms_us\n1\n", &f, &t, &d), SIM_EPARSE);
    assert_non_null(strstr(d.msg, "the header names two different units"));
    /* >= 10^16 (epoch ns) fits nothing */
    assert_int_equal(auto_first(cx, "t\n1704067200000000000\n", &f, &t, &d),
                     SIM_EPARSE);
    assert_non_null(strstr(d.msg, "fits no format"));

    /* a later row outside the decided range: offsets then an epoch time */
    struct scn_trace c = cfg_of(NULL);
    struct trace_reader tr;
    struct trace_event ev;
    diag_init(&d);
    open_text(cx, "mixed.csv", "t\n0\n5\n1704067200\n", &c, &tr);
    assert_int_equal(trace_next(&tr, &ev, &d), 1);
    assert_int_equal(trace_next(&tr, &ev, &d), 1);
    assert_int_equal(trace_next(&tr, &ev, &d), SIM_EPARSE);
    assert_diag(&d, tr.path,
                ":4:1: error: t: \"1704067200\" contradicts time_format "
                "auto's choice offset_s (from \"0\" at line 2): expected "
                "offset_s from 0 to below 316227766; set "
                "arrivals.trace.time_format");
    trace_close(&tr);
    /* epoch_s then an epoch_ms value */
    diag_init(&d);
    open_text(cx, "mixed2.csv", "t\n1704067200\n1704067200000\n", &c, &tr);
    assert_int_equal(trace_next(&tr, &ev, &d), 1);
    assert_int_equal(trace_next(&tr, &ev, &d), SIM_EPARSE);
    assert_int_equal(d.line, 3);
    assert_non_null(strstr(d.msg, "expected epoch_s from 316227766 to below "
                                  "10000000000"));
    trace_close(&tr);
    /* the same file with time_format given: read as written (one hour of
     * epoch_ms would be... the second row is 1.7e12 s later: beyond 1e11 s,
     * refused by the time bound instead) */
    diag_init(&d);
    c.time_format = TF_EPOCH_S;
    open_text(cx, "mixed3.csv", "t\n1704067200\n1704067200000\n", &c, &tr);
    assert_int_equal(trace_next(&tr, &ev, &d), 1);
    assert_int_equal(trace_next(&tr, &ev, &d), SIM_ERANGE);
    assert_non_null(strstr(d.msg, "arrival times beyond 1e11 s (3,170 "
                                  "years) are refused"));
    trace_close(&tr);
}

/* trace/ragged (issue 11 #5): every data row has the header's fields; an
 * empty last field after a trailing comma is a field. */
static void test_ragged(void **state)
{
    struct ctx *cx = *state;
    struct scn_trace c = cfg_of(NULL);
    struct trace_reader tr;
    struct trace_event ev;
    struct diag d;
    diag_init(&d);
    /* one more field than the header: refused (was accepted) */
    open_text(cx, "wide.csv", "t,n\n1,2\n2,3,4\n", &c, &tr);
    assert_int_equal(trace_next(&tr, &ev, &d), 1);
    assert_int_equal(trace_next(&tr, &ev, &d), SIM_EPARSE);
    assert_diag(&d, tr.path,
                ":3: error: row has 3 fields, expected 2 (one per header "
                "column)");
    trace_close(&tr);
    /* fewer fields, although the time column is there: refused (was
     * accepted) */
    diag_init(&d);
    open_text(cx, "short.csv", "t,n,m\n1,2,3\n2\n", &c, &tr);
    assert_int_equal(trace_next(&tr, &ev, &d), 1);
    assert_int_equal(trace_next(&tr, &ev, &d), SIM_EPARSE);
    assert_int_equal(d.line, 3);
    assert_non_null(strstr(d.msg, "row has 1 field, expected 3"));
    trace_close(&tr);
    /* "2," has two fields, the second empty: fine under "t,n" */
    diag_init(&d);
    open_text(cx, "trail.csv", "t,n\n1,2\n2,\n", &c, &tr);
    assert_int_equal(trace_next(&tr, &ev, &d), 1);
    assert_int_equal(trace_next(&tr, &ev, &d), 1);
    assert_int_equal(ev.t_us, 2000000); /* offset 2 s */
    assert_int_equal(trace_next(&tr, &ev, &d), 0);
    trace_close(&tr);
    /* counts too */
    diag_init(&d);
    c.format = TRACE_COUNTS;
    open_text(cx, "cwide.csv", "t,count\n0,1\n60,2,x\n", &c, &tr);
    sim_time t;
    int64_t n;
    assert_int_equal(trace_next_count(&tr, &t, &n, &d), 1);
    assert_int_equal(trace_next_count(&tr, &t, &n, &d), SIM_EPARSE);
    assert_int_equal(d.line, 3);
    trace_close(&tr);
}

/* trace/escape (issue 11 #10): text echoed from a trace has its control
 * bytes escaped as \xHH; valid UTF-8 passes, C1 controls do not. */
static void test_escape(void **state)
{
    struct ctx *cx = *state;
    char out[64];
    assert_int_equal(trace_escape(out, sizeof out, "a\x1b[31mb", 7, 80), 10);
    assert_string_equal(out, "a\\x1b[31mb");
    trace_escape(out, sizeof out, "\xc3\xa9t\xc3\xa9", 5, 80); /* "été" */
    assert_string_equal(out, "\xc3\xa9t\xc3\xa9");
    trace_escape(out, sizeof out, "\xc2\x9b" "2J\xff\\", 6, 80);
    assert_string_equal(out, "\\xc2\\x9b2J\\xff\\x5c");
    trace_escape(out, sizeof out, "abcdef", 6, 3);
    assert_string_equal(out, "abc...");
    trace_escape(out, 8, "abcdefghij", 10, 80); /* out full: cut */
    assert_string_equal(out, "abcd...");

    /* in messages: a header name and a field with ANSI escapes */
    struct scn_trace c = cfg_of(NULL);
    struct trace_reader tr;
    struct trace_event ev;
    struct diag d;
    diag_init(&d);
    open_text(cx, "ansi.csv", "\x1b[31mred\x1b[0m,x\n1,2\nzz\x1b[2J,3\n", &c,
              &tr);
    assert_int_equal(trace_next(&tr, &ev, &d), 1);
    assert_int_equal(trace_next(&tr, &ev, &d), SIM_EPARSE);
    assert_diag(&d, tr.path,
                ":3:1: error: \\x1b[31mred\\x1b[0m: expected an offset in "
                "seconds (offset_s), got \"zz\\x1b[2J\" (time_format auto "
                "chose this format at the first row)");
    trace_close(&tr);
    diag_init(&d);
    c.time_column = (char *)(uintptr_t)"nope";
    const char *path = write_trace(cx, "ansi2.csv", "a\x07,b\n1,2\n", 10);
    c.path = (char *)(uintptr_t)path;
    assert_int_equal(trace_open(&tr, &c, &d), SIM_EPARSE);
    assert_diag(&d, path,
                ":1: error: arrivals.trace.time_column: no column \"nope\" "
                "(columns: a\\x07, b)");
}

/* trace/time-bound (issue 11 #14): no time beyond 1e11 s after time zero
 * (1e17 us; INT64_MAX is 9.2e18), so k * interval and later sums cannot
 * overflow. */
static void test_time_bound(void **state)
{
    struct ctx *cx = *state;
    struct scn_trace c = cfg_of(NULL);
    struct trace_reader tr;
    struct trace_event ev;
    struct diag d;
    diag_init(&d);
    c.time_format = TF_OFFSET_S;
    /* exactly 1e11 s is allowed; 1e11 s + 1 us is not */
    open_text(cx, "far.csv", "t\n0\n1e11\n100000000000.000001\n", &c, &tr);
    assert_int_equal(trace_next(&tr, &ev, &d), 1);
    assert_int_equal(trace_next(&tr, &ev, &d), 1);
    assert_int_equal(ev.t_us, INT64_C(100000000000000000));
    assert_int_equal(trace_next(&tr, &ev, &d), SIM_ERANGE);
    assert_diag(&d, tr.path,
                ":4:1: error: t: \"100000000000.000001\" is 1e+11 s after "
                "time zero: arrival times beyond 1e11 s (3,170 years) are "
                "refused");
    trace_close(&tr);

    /* counts_wide: 2 columns of 1e11 s end at 2e11 s: refused at open (the
     * old reader returned column 1 at 1e17 us and, with more columns,
     * k * interval wrapped past INT64_MAX) */
    c = cfg_of(NULL);
    c.format = TRACE_COUNTS_WIDE;
    c.interval_us = INT64_C(100000000000) * SIM_US_PER_S;
    const char *path = write_trace(cx, "wide1e11.csv", "f,480,481\na,1,2\n",
                                   16);
    c.path = (char *)(uintptr_t)path;
    diag_init(&d);
    assert_int_equal(trace_open(&tr, &c, &d), SIM_ERANGE);
    assert_diag(&d, path,
                ":1: error: arrivals.trace.interval: 2 count columns of 1e+11 "
                "s span 2e+11 s: arrival times beyond 1e11 s (3,170 years) "
                "are refused");
    /* one column of 1e11 s ends exactly at the bound: fine */
    path = write_trace(cx, "wide1.csv", "f,480\na,3\n", 10);
    c.path = (char *)(uintptr_t)path;
    diag_init(&d);
    assert_int_equal(trace_open(&tr, &c, &d), 0);
    sim_time t;
    int64_t n;
    assert_int_equal(trace_next_count(&tr, &t, &n, &d), 1);
    assert_int_equal(t, 0);
    assert_int_equal(n, 3);
    trace_close(&tr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_iso),
        cmocka_unit_test(test_parse_fraction),
        cmocka_unit_test(test_parse_numbers),
        cmocka_unit_test(test_parse_garbage),
        cmocka_unit_test(test_replay_code),
        cmocka_unit_test(test_replay_conv),
        cmocka_unit_test(test_replay_mooncake),
        cmocka_unit_test(test_replay_2021_unsorted),
        cmocka_unit_test(test_crlf_quoted_bom),
        cmocka_unit_test(test_no_final_newline),
        cmocka_unit_test(test_duration),
        cmocka_unit_test(test_unsorted),
        cmocka_unit_test(test_bad_time),
        cmocka_unit_test(test_columns),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_chunk_boundary),
        cmocka_unit_test(test_stream_2m),
        cmocka_unit_test(test_auto_decides),
        cmocka_unit_test(test_auto_refuses),
        cmocka_unit_test(test_ragged),
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_time_bound),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
