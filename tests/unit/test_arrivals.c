/* tests/unit/test_arrivals.c - the arrivals model through whole
 * replications (world_init + world_run), watched with the arrivals observer:
 *  - every recorded trace in ../shared/data/traces (or $BURSTSIM_TRACES)
 *    replays with its true number of arrivals and its timestamps to the
 *    microsecond, the expected values being computed here independently
 *    (sscanf + timegm, awk-like column sums), not by sim/io/trace.c; missing
 *    traces print "SKIP: ..." and skip;
 *  - synthetic processes against their rate profiles with confidence
 *    bounds (Poisson counts and dispersion, piecewise, diurnal, MMPP
 *    long-run rate, batches exact), scale, speedup, window, superposition,
 *    counts spreads and counts_wide;
 *  - bad traces: each error names its line.
 * Statistical checks use bounds of 4 standard deviations (or a Student t
 * at 99.9 %), so a correct model fails them with probability < 1e-4 each;
 * seeds are fixed, so results are reproducible. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sim/io/scenario.h"
#include "models/world.h"
#include "sim/io/support.h"
#include "sim/io/trace_feed.h"

/* ---- helpers ------------------------------------------------------------- */

/* What the observer saw. Times are stored when keep is set (up to cap). */
struct obs {
    bool keep;
    sim_time *t;
    double *dur;
    size_t n, cap;
    int64_t count;
    bool sorted;
    sim_time first, last;
    sim_time bin_us;     /* > 0: count arrivals per bin */
    int64_t *bins;
    size_t nbins;
};

static void observe(void *ctx, sim_time t, double dur)
{
    struct obs *o = ctx;
    if (o->count == 0)
        o->first = t;
    else if (t < o->last)
        o->sorted = false;
    o->last = t;
    o->count++;
    if (o->keep) {
        if (o->n == o->cap) {
            o->cap = o->cap ? 2 * o->cap : 1024;
            o->t = realloc(o->t, o->cap * sizeof *o->t);
            o->dur = realloc(o->dur, o->cap * sizeof *o->dur);
            assert_non_null(o->t);
            assert_non_null(o->dur);
        }
        o->t[o->n] = t;
        o->dur[o->n++] = dur;
    }
    if (o->bin_us > 0) {
        size_t k = (size_t)(t / o->bin_us);
        if (k < o->nbins)
            o->bins[k]++;
    }
}

static void obs_init(struct obs *o, bool keep, sim_time bin_us, size_t nbins)
{
    memset(o, 0, sizeof *o);
    o->keep = keep;
    o->sorted = true;
    o->bin_us = bin_us;
    o->nbins = nbins;
    if (nbins > 0) {
        o->bins = calloc(nbins, sizeof *o->bins);
        assert_non_null(o->bins);
    }
}

static void obs_fini(struct obs *o)
{
    free(o->t);
    free(o->dur);
    free(o->bins);
}

/* Load YAML text (printf format) into scn and check it is supported. */
static int load_fmt(struct scenario *scn, struct diag *d, const char *fmt,
                    ...) __attribute__((format(printf, 3, 4)));
static int load_fmt(struct scenario *scn, struct diag *d, const char *fmt,
                    ...)
{
    char yaml[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(yaml, sizeof yaml, fmt, ap);
    va_end(ap);
    diag_init(d);
    int rc = scn_load_string(scn, yaml, "test.yaml", ".", NULL, 0, d);
    if (rc == 0)
        rc = scn_check_supported(scn, d);
    if (rc != 0) {
        char buf[2048];
        fprintf(stderr, "%s\n", diag_format(d, buf, sizeof buf));
    }
    return rc;
}

/* Run replication rep, watched by o; returns world_init/world_run's code and
 * leaves the diag in d. */
static int run_rep(const struct scenario *scn, uint32_t rep, struct obs *o,
                   struct rep_result *res, struct diag *d)
{
    struct world *s = malloc(sizeof *s);
    assert_non_null(s);
    diag_init(d);
    struct world_io io = {.feed = &trace_feed};
    int rc = world_init(s, scn, rep, &io, d);
    if (rc == 0) {
        s->arr.observe = observe;
        s->arr.observe_ctx = o;
        rc = world_run(s, res, d);
    }
    world_fini(s);
    free(s);
    return rc;
}

/* The rest of a scenario after `arrivals`: a fast job so runs are quick;
 * nothing here affects arrival times. */
#define REST                                                                   \
    "scale: {polling_interval: 10s, max_executions: 2000, rules: "             \
    "[{name: q, type: azure-queue, queue_length: 1}]}\n"                       \
    "job: {startup: 1s, claim: 0s, duration: 1s}\n"                            \
    "output: {timeseries: false}\n"

static const char *trace_dir(void)
{
    const char *e = getenv("BURSTSIM_TRACES");
    return e != NULL ? e : "../shared/data/traces";
}

/* Full path of a shared trace in buf, or NULL (and a SKIP line) when it is
 * not there. */
static const char *shared_trace(const char *name, char *buf, size_t n)
{
    snprintf(buf, n, "%s/%s", trace_dir(), name);
    if (access(buf, R_OK) != 0) {
        printf("SKIP: %s: not found (set BURSTSIM_TRACES)\n", buf);
        return NULL;
    }
    return buf;
}

/* A temporary file holding text; path in buf (size >= 32). */
static void write_tmp(char *buf, const char *text)
{
    strcpy(buf, "/tmp/burstsim-arrXXXXXX");
    int fd = mkstemp(buf);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* ---- independent parsers for the expected values ------------------------- */

/* "YYYY-MM-DD HH:MM:SS.fffffff" -> us since the epoch (UTC), fraction
 * rounded half up to us; by sscanf and timegm, not by sim/io/trace.c. */
static int64_t iso_us(const char *s)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    char frac[16] = "";
    int n = sscanf(s, "%d-%d-%d %d:%d:%d.%15[0-9]", &tm.tm_year, &tm.tm_mon,
                   &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, frac);
    assert_true(n >= 6);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    int64_t us = (int64_t)timegm(&tm) * 1000000;
    char d7[8] = "0000000";
    memcpy(d7, frac, strlen(frac) < 7 ? strlen(frac) : 7);
    return us + (atoll(d7) + 5) / 10;
}

/* Replay an events trace and compare every arrival with expected[] (us
 * relative to the first). */
static void check_replay(const char *path, const char *opts,
                         const int64_t *expected, size_t n_expected)
{
    struct scenario scn;
    struct diag d;
    assert_int_equal(load_fmt(&scn, &d, "arrivals: {trace: {path: \"%s\"%s}}\n"
                              REST, path, opts), 0);
    struct obs o;
    obs_init(&o, true, 0, 0);
    struct rep_result r;
    assert_int_equal(run_rep(&scn, 0, &o, &r, &d), 0);
    assert_int_equal((int64_t)r.m[RM_messages], (int64_t)n_expected);
    assert_int_equal(o.count, (int64_t)n_expected);
    assert_true(o.sorted);
    for (size_t i = 0; i < n_expected; i++)
        if (o.t[i] != expected[i]) {
            fprintf(stderr, "%s: arrival %zu at %lld us, expected %lld\n",
                    path, i, (long long)o.t[i], (long long)expected[i]);
            fail();
        }
    obs_fini(&o);
    scn_fini(&scn);
}

/* Expected times of an Azure LLM trace: first column, ISO, relative. */
static size_t llm_expected(const char *path, int64_t **out)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[512];
    size_t n = 0, cap = 1024;
    int64_t *v = malloc(cap * sizeof *v), first = 0;
    assert_non_null(fgets(line, sizeof line, f)); /* header */
    while (fgets(line, sizeof line, f)) {
        if (n == cap)
            v = realloc(v, (cap *= 2) * sizeof *v);
        int64_t us = iso_us(line);
        if (n == 0)
            first = us;
        v[n++] = us - first;
    }
    fclose(f);
    *out = v;
    return n;
}

/* The LLM code trace: 8,819 requests (README), ISO 8601 with 7 fractional
 * digits; time zero is the first row. */
static void test_replay_llm_code(void **state)
{
    (void)state;
    char buf[1024];
    const char *p = shared_trace("AzureLLMInferenceTrace_code.csv", buf,
                                 sizeof buf);
    if (p == NULL)
        skip();
    int64_t *e;
    size_t n = llm_expected(p, &e);
    assert_int_equal(n, 8819);
    check_replay(p, ", time_column: TIMESTAMP", e, n);
    free(e);
}

/* The LLM conversation trace: 19,366 requests. */
static void test_replay_llm_conv(void **state)
{
    (void)state;
    char buf[1024];
    const char *p = shared_trace("AzureLLMInferenceTrace_conv.csv", buf,
                                 sizeof buf);
    if (p == NULL)
        skip();
    int64_t *e;
    size_t n = llm_expected(p, &e);
    assert_int_equal(n, 19366);
    check_replay(p, "", e, n);
    free(e);
}

/* Mooncake: 12,031 requests, timestamp_ms offsets (t = ms * 1000 us). */
static void test_replay_mooncake(void **state)
{
    (void)state;
    char buf[1024];
    const char *p = shared_trace("mooncake_conversation_trace.csv", buf,
                                 sizeof buf);
    if (p == NULL)
        skip();
    FILE *f = fopen(p, "r");
    assert_non_null(f);
    char line[256];
    size_t n = 0;
    int64_t *e = malloc(20000 * sizeof *e);
    assert_non_null(fgets(line, sizeof line, f));
    while (fgets(line, sizeof line, f) && n < 20000)
        e[n++] = atoll(line) * 1000;
    fclose(f);
    assert_int_equal(n, 12031);
    check_replay(p, ", time_format: offset_ms", e, n);
    free(e);
}

/* The 2021 excerpt: 199 invocations, end_timestamp and duration in s, not
 * sorted by start. Start = end - duration, computed here in double and
 * rounded to us; a copy sorted by start is written with the start as
 * exact "s.uuuuuu" text and the duration as in the file, then replayed
 * with duration_column: every start survives to the us and every message
 * carries its duration. */
static void test_replay_2021(void **state)
{
    (void)state;
    char buf[1024];
    const char *p = shared_trace("azure_functions_2021_invitro_excerpt.csv",
                                 buf, sizeof buf);
    if (p == NULL)
        skip();
    FILE *f = fopen(p, "r");
    assert_non_null(f);
    char line[512];
    struct row { int64_t start; double dur; char text[40]; } rows[400];
    size_t n = 0;
    assert_non_null(fgets(line, sizeof line, f));
    while (fgets(line, sizeof line, f) && n < 400) {
        char *c1 = strchr(line, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
        char *c3 = c2 ? strchr(c2 + 1, ',') : NULL;
        assert_non_null(c3);
        double end = strtod(c2 + 1, NULL);
        rows[n].dur = strtod(c3 + 1, NULL);
        snprintf(rows[n].text, sizeof rows[n].text, "%.*s",
                 (int)strcspn(c3 + 1, "\r\n"), c3 + 1);
        rows[n].start = llround((end - rows[n].dur) * 1e6);
        n++;
    }
    fclose(f);
    assert_int_equal(n, 199);
    /* insertion sort by start (stable) */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && rows[j].start < rows[j - 1].start; j--) {
            struct row t = rows[j];
            rows[j] = rows[j - 1];
            rows[j - 1] = t;
        }
    size_t cap = 64 + n * 64;
    char *text = malloc(cap), *w = text;
    w += sprintf(w, "start_s,duration_s\n");
    for (size_t i = 0; i < n; i++)
        w += sprintf(w, "%lld.%06lld,%s\n",
                     (long long)(rows[i].start / 1000000),
                     (long long)(rows[i].start % 1000000), rows[i].text);
    char tmp[64];
    write_tmp(tmp, text);
    free(text);
    int64_t e[400];
    for (size_t i = 0; i < n; i++)
        e[i] = rows[i].start;
    struct scenario scn;
    struct diag d;
    assert_int_equal(load_fmt(&scn, &d,
                              "arrivals: {trace: {path: \"%s\", time_format: "
                              "offset_s, duration_column: duration_s}}\n" REST,
                              tmp), 0);
    struct obs o;
    obs_init(&o, true, 0, 0);
    struct rep_result r;
    assert_int_equal(run_rep(&scn, 0, &o, &r, &d), 0);
    assert_int_equal(o.count, 199);
    assert_int_equal((int64_t)r.m[RM_messages], 199);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(o.t[i], e[i]); /* offset format: zero is 0 s */
        assert_true(o.dur[i] == rows[i].dur);
    }
    obs_fini(&o);
    scn_fini(&scn);
    unlink(tmp);
}

/* Column sums of invocations.csv for Trigger = queue, minute by minute,
 * computed by splitting lines on commas here. */
static int64_t queue_minutes(const char *path, int64_t sums[480])
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t cap = 1 << 16;
    char *line = malloc(cap);
    int64_t total = 0;
    memset(sums, 0, 480 * sizeof *sums);
    assert_non_null(fgets(line, (int)cap, f));
    while (fgets(line, (int)cap, f)) {
        char *save = NULL, *tok = strtok_r(line, ",\r\n", &save);
        int col = 0;
        bool queue = false;
        for (; tok != NULL; tok = strtok_r(NULL, ",\r\n", &save), col++) {
            if (col == 3)
                queue = strcmp(tok, "queue") == 0;
            if (col >= 4 && queue && col - 4 < 480) {
                sums[col - 4] += atoll(tok);
                total += atoll(tok);
            }
        }
    }
    free(line);
    fclose(f);
    return total;
}

/* Replay a counts scenario and compare per-minute arrivals with sums
 * (minute k = [offset + k min, offset + k + 1 min)). */
static void check_minutes(const struct scenario *scn, const int64_t sums[480],
                          sim_time offset)
{
    struct obs o;
    obs_init(&o, false, 60 * SIM_US_PER_S, 2000);
    struct rep_result r;
    struct diag d;
    assert_int_equal(run_rep(scn, 0, &o, &r, &d), 0);
    assert_int_equal(o.count, 670036);
    assert_int_equal((int64_t)r.m[RM_messages], 670036);
    assert_true(o.sorted);
    size_t k0 = (size_t)(offset / (60 * SIM_US_PER_S));
    for (size_t k = 0; k < 480; k++)
        assert_int_equal(o.bins[k0 + k], sums[k]);
    obs_fini(&o);
}

/* invocations.csv, counts_wide filtered on Trigger = queue: 670,036 (the
 * README), every minute's count exact (spread uniform keeps counts). */
static void test_replay_2019_wide(void **state)
{
    (void)state;
    char buf[1024];
    const char *p = shared_trace(
        "azure_functions_2019_sample500/invocations.csv", buf, sizeof buf);
    if (p == NULL)
        skip();
    int64_t sums[480];
    assert_int_equal(queue_minutes(p, sums), 670036);
    struct scenario scn;
    struct diag d;
    assert_int_equal(load_fmt(&scn, &d,
                              "arrivals: {trace: {path: \"%s\", format: "
                              "counts_wide, interval: 1m, spread: uniform, "
                              "filter: {column: Trigger, equals: queue}}}\n"
                              REST, p), 0);
    check_minutes(&scn, sums, 0);
    scn_fini(&scn);
}

/* queue_triggered_long.csv (func, minute_of_day, count, ...): sorted by
 * function, so several rows share a minute and minutes go back. The test
 * writes a copy ordered by minute (rows of one minute kept, in file
 * order, so the reader must sum equal times) with the time in seconds
 * (minute * 60) and replays it as counts: the same 670,036 arrivals and
 * the same per-minute counts as the wide file, from minute 480 (t = 8 h). */
static void test_replay_2019_long(void **state)
{
    (void)state;
    char buf[1024], wide[1024];
    const char *p = shared_trace(
        "azure_functions_2019_sample500/queue_triggered_long.csv", buf,
        sizeof buf);
    const char *pw = shared_trace(
        "azure_functions_2019_sample500/invocations.csv", wide, sizeof wide);
    if (p == NULL || pw == NULL)
        skip();
    int64_t sums[480];
    queue_minutes(pw, sums);
    FILE *f = fopen(p, "r");
    assert_non_null(f);
    static char lines[8000][128];
    int minute[8000];
    size_t n = 0;
    char line[256];
    assert_non_null(fgets(line, sizeof line, f));
    while (fgets(line, sizeof line, f) && n < 8000) {
        char *c1 = strchr(line, ',');
        char *c2 = strchr(c1 + 1, ',');
        char *c3 = strchr(c2 + 1, ',');
        minute[n] = atoi(c1 + 1);
        snprintf(lines[n], sizeof lines[n], "%d,%.*s\n", minute[n] * 60,
                 (int)(c3 - c2 - 1), c2 + 1);
        n++;
    }
    fclose(f);
    assert_int_equal(n, 7200);
    char tmp[64];
    strcpy(tmp, "/tmp/burstsim-arrXXXXXX");
    int fd = mkstemp(tmp);
    FILE *o = fdopen(fd, "w");
    fputs("t_s,count\n", o);
    for (int m = 480; m < 960; m++)
        for (size_t i = 0; i < n; i++)
            if (minute[i] == m)
                fputs(lines[i], o);
    fclose(o);
    struct scenario scn;
    struct diag d;
    assert_int_equal(load_fmt(&scn, &d,
                              "arrivals: {trace: {path: \"%s\", format: "
                              "counts, time_format: offset_s, count_column: "
                              "count, interval: 1m}}\n" REST, tmp), 0);
    check_minutes(&scn, sums, 480 * 60 * SIM_US_PER_S);
    scn_fini(&scn);
    unlink(tmp);
}

/* ---- synthetic processes ------------------------------------------------- */

/* Poisson 5/s for 20,000 s: counts in 2,000 windows of 10 s have mean 50
 * (standard error sqrt(50 / 2000) = 0.158) and index of dispersion 1
 * (standard error about sqrt(2 / 1999) = 0.032). */
static void test_poisson_counts(void **state)
{
    (void)state;
    struct scenario scn;
    struct diag d;
    assert_int_equal(load_fmt(&scn, &d, "horizon: 20000s\narrivals: {process: "
                              "{kind: poisson, rate: 5/s}}\n" REST), 0);
    struct obs o;
    obs_init(&o, false, 10 * SIM_US_PER_S, 2000);
    struct rep_result r;
    assert_int_equal(run_rep(&scn, 0, &o, &r, &d), 0);
    double m = 0, v = 0;
    for (size_t k = 0; k < 2000; k++)
        m += (double)o.bins[k];
    m /= 2000;
    for (size_t k = 0; k < 2000; k++)
        v += ((double)o.bins[k] - m) * ((double)o.bins[k] - m);
    v /= 1999;
    printf("poisson: mean %.3f (50), dispersion %.3f (1)\n", m, v / m);
    assert_true(fabs(m - 50.0) < 4 * 0.158);
    assert_true(fabs(v / m - 1.0) < 4 * 0.032);
    obs_fini(&o);
    scn_fini(&scn);
}

/* Is observed count c within 4 standard deviations of a Poisson mean mu? */
static void near_poisson(int64_t c, double mu, const char *what)
{
    double sd = sqrt(mu > 1 ? mu : 1);
    if (fabs((double)c - mu) > 4 * sd) {
        fprintf(stderr, "%s: %lld arrivals, expected %.1f +- %.1f\n", what,
                (long long)c, mu, 4 * sd);
        fail();
    }
}

/* Piecewise, repeat 400 s, 20 cycles (8,000 s): steps at 50 s (2/s),
 * 150 s (10/s), 300 s (0/s), 350 s (5/s). Per cycle the rate is 5/s on
 * [0, 50) (wrap: the last step's rate continues), 2/s on [50, 150), 10/s
 * on [150, 300), 0 on [300, 350), 5/s on [350, 400): over 20 cycles the
 * bins expect 5000, 4000, 30000, 0 (exactly) and 5000. */
static void test_piecewise_profile(void **state)
{
    (void)state;
    struct scenario scn;
    struct diag d;
    assert_int_equal(
        load_fmt(&scn, &d,
                 "horizon: 8000s\narrivals: {process: {kind: piecewise, "
                 "repeat: 400s, steps: [{at: 50s, rate: 2/s}, {at: 150s, "
                 "rate: 10/s}, {at: 300s, rate: 0/s}, {at: 350s, rate: "
                 "5/s}]}}\n" REST), 0);
    struct obs o;
    obs_init(&o, true, 0, 0);
    struct rep_result r;
    assert_int_equal(run_rep(&scn, 0, &o, &r, &d), 0);
    int64_t bins[5] = {0};
    const double edges[6] = {0, 50, 150, 300, 350, 400};
    for (size_t i = 0; i < o.n; i++) {
        double x = fmod(sim_to_s(o.t[i]), 400.0);
        for (int b = 0; b < 5; b++)
            if (x >= edges[b] && x < edges[b + 1])
                bins[b]++;
    }
    near_poisson(bins[0], 5000, "piecewise [0,50)");
    near_poisson(bins[1], 4000, "piecewise [50,150)");
    near_poisson(bins[2], 30000, "piecewise [150,300)");
    assert_int_equal(bins[3], 0);
    near_poisson(bins[4], 5000, "piecewise [350,400)");
    assert_true(o.sorted);
    obs_fini(&o);
    scn_fini(&scn);
    /* Without repeat: rate 0 before the first step, then 3/s for ever:
     * nothing before 10 s, about 3 * 990 = 2970 by the 1000 s horizon. */
    assert_int_equal(load_fmt(&scn, &d,
                              "horizon: 1000s\narrivals: {process: {kind: "
                              "piecewise, steps: [{at: 10s, rate: 3/s}]}}\n"
                              REST), 0);
    obs_init(&o, true, 0, 0);
    assert_int_equal(run_rep(&scn, 0, &o, &r, &d), 0);
    assert_true(o.t[0] >= 10 * SIM_US_PER_S);
    assert_true(o.last <= 1000 * SIM_US_PER_S);
    near_poisson(o.count, 2970, "piecewise without repeat");
    obs_fini(&o);
    scn_fini(&scn);
}

/* Diurnal mean 10/s, amplitude 0.8, period 1000 s, peak at 250 s, 10
 * periods. Bin [a, b) of a period expects, over 10 periods,
 * 10 * mean * ((b - a) + A P / (2 pi) (sin(2 pi (b - pk) / P) -
 * sin(2 pi (a - pk) / P))); 10 bins of 100 s, each within 4 sd. */
static void test_diurnal_profile(void **state)
{
    (void)state;
    struct scenario scn;
    struct diag d;
    assert_int_equal(load_fmt(&scn, &d,
                              "horizon: 10000s\narrivals: {process: {kind: "
                              "diurnal, mean: 10/s, amplitude: 0.8, period: "
                              "1000s, peak_at: 250s}}\n" REST), 0);
    struct obs o;
    obs_init(&o, true, 0, 0);
    struct rep_result r;
    assert_int_equal(run_rep(&scn, 0, &o, &r, &d), 0);
    int64_t bins[10] = {0};
    for (size_t i = 0; i < o.n; i++)
        bins[(int)(fmod(sim_to_s(o.t[i]), 1000.0) / 100.0)]++;
    for (int b = 0; b < 10; b++) {
        double a = 100.0 * b, e = a + 100.0, w = 2 * M_PI / 1000.0;
        double mu = 10 * 10 * ((e - a) + 0.8 / w * (sin(w * (e - 250)) -
                                                    sin(w * (a - 250))));
        char what[32];
        snprintf(what, sizeof what, "diurnal bin %d", b);
        near_poisson(bins[b], mu, what);
    }
    /* the peak bin [200, 300) holds more than the trough bin [700, 800) */
    assert_true(bins[2] > 5 * bins[7]);
    obs_fini(&o);
    scn_fini(&scn);
}

/* MMPP states {1/s, 10 s} and {20/s, 2.5 s}: long-run rate
 * (1 * 10 + 20 * 2.5) / 12.5 = 4.8/s (not the plain mean 10.5). Over 20
 * replications of 2,000 s, the mean rate is within Student t(19, 0.9995)
 * = 3.88 standard errors of 4.8. */
static void test_mmpp_rate(void **state)
{
    (void)state;
    struct scenario scn;
    struct diag d;
    assert_int_equal(load_fmt(&scn, &d,
                              "horizon: 2000s\narrivals: {process: {kind: "
                              "mmpp, states: [{rate: 1/s, mean_sojourn: 10s}, "
                              "{rate: 20/s, mean_sojourn: 2.5s}]}}\n" REST),
                     0);
    double x[20], m = 0, v = 0;
    for (uint32_t rep = 0; rep < 20; rep++) {
        struct obs o;
        obs_init(&o, false, 0, 0);
        struct rep_result r;
        assert_int_equal(run_rep(&scn, rep, &o, &r, &d), 0);
        x[rep] = (double)o.count / 2000.0;
        m += x[rep] / 20;
        obs_fini(&o);
    }
    for (int i = 0; i < 20; i++)
        v += (x[i] - m) * (x[i] - m) / 19;
    double se = sqrt(v / 20);
    printf("mmpp: rate %.4f/s +- %.4f (4.8)\n", m, 3.88 * se);
    assert_true(fabs(m - 4.8) < 3.88 * se);
    assert_true(se > 0 && se < 0.2);
    scn_fini(&scn);
}

/* Batches every 100 s from 5 s, size 7, spread 10 s, horizon 1000 s:
 * batches at 5, 105, ..., 905 s (10; 1005 s is past the horizon), 70
 * arrivals, batch k's 7 within [5 + 100 k, 15 + 100 k] s. With size a
 * distribution uniform on [2.5, 4.5], each batch has 3 or 4 (rounded). */
static void test_batches_exact(void **state)
{
    (void)state;
    struct scenario scn;
    struct diag d;
    assert_int_equal(load_fmt(&scn, &d,
                              "horizon: 1000s\narrivals: {process: {kind: "
                              "batches, every: 100s, size: 7, offset: 5s, "
                              "spread: 10s}}\n" REST), 0);
    struct obs o;
    obs_init(&o, true, 0, 0);
    struct rep_result r;
    assert_int_equal(run_rep(&scn, 0, &o, &r, &d), 0);
    assert_int_equal(o.count, 70);
    for (size_t i = 0; i < o.n; i++) {
        sim_time lo = (5 + 100 * (sim_time)(i / 7)) * SIM_US_PER_S;
        assert_true(o.t[i] >= lo && o.t[i] <= lo + 10 * SIM_US_PER_S);
    }
    assert_true(o.sorted);
    obs_fini(&o);
    scn_fini(&scn);
    assert_int_equal(load_fmt(&scn, &d,
                              "horizon: 1000s\narrivals: {process: {kind: "
                              "batches, every: 100s, size: {dist: uniform, "
                              "min: 2.5, max: 4.5}}}\n" REST), 0);
    obs_init(&o, true, 0, 0);
    assert_int_equal(run_rep(&scn, 0, &o, &r, &d), 0);
    int64_t per[11] = {0};
    for (size_t i = 0; i < o.n; i++) {
        assert_int_equal(o.t[i] % (100 * SIM_US_PER_S), 0);
        per[o.t[i] / (100 * SIM_US_PER_S)]++;
    }
    for (int k = 0; k < 11; k++) /* batches at 0, 100, ..., 1000 s */
        assert_true(per[k] == 3 || per[k] == 4);
    obs_fini(&o);
    scn_fini(&scn);
}

/* ---- trace options ------------------------------------------------------- */

/* A temporary events trace of n rows at offsets i * step_us (us). */
static void regular_trace(char *path, size_t n, int64_t step_us,
                          bool durations)
{
    size_t cap = 64 + n * 48;
    char *text = malloc(cap), *w = text;
    w += sprintf(w, durations ? "t_s,dur\n" : "t_s\n");
    for (size_t i = 0; i < n; i++) {
        int64_t t = (int64_t)i * step_us;
        w += sprintf(w, "%lld.%06lld", (long long)(t / 1000000),
                     (long long)(t % 1000000));
        w += durations ? sprintf(w, ",%zu.25\n", i % 7) : sprintf(w, "\n");
    }
    write_tmp(path, text);
    free(text);
}

/* scale 0.5 on 20,000 rows keeps Binomial(20000, 0.5): 10,000 +- 4 * 70.7;
 * scale 2.5 gives 2 or 3 per row: 50,000 +- 4 * sqrt(20000 * 0.25), the
 * copies inside the gap to the next row (so still sorted, within the
 * trace's span). */
static void test_scale(void **state)
{
    (void)state;
    char tmp[64];
    regular_trace(tmp, 20000, 100000, false); /* every 0.1 s */
    struct scenario scn;
    struct diag d;
    struct obs o;
    struct rep_result r;
    assert_int_equal(load_fmt(&scn, &d,
                              "arrivals: {trace: {path: \"%s\", time_format: "
                              "offset_s, scale: 0.5}}\n" REST, tmp), 0);
    obs_init(&o, true, 0, 0);
    assert_int_equal(run_rep(&scn, 0, &o, &r, &d), 0);
    printf("scale 0.5: kept %lld of 20000\n", (long long)o.count);
    assert_true(fabs((double)o.count - 10000) < 4 * 70.72);
    for (size_t i = 0; i < o.n; i++) /* only original times */
        assert_int_equal(o.t[i] % 100000, 0);
    obs_fini(&o);
    scn_fini(&scn);
    assert_int_equal(load_fmt(&scn, &d,
                              "arrivals: {trace: {path: \"%s\", time_format: "
                              "offset_s, scale: 2.5}}\n" REST, tmp), 0);
    obs_init(&o, true, 0, 0);
    assert_int_equal(run_rep(&scn, 0, &o, &r, &d), 0);
    printf("scale 2.5: %lld from 20000\n", (long long)o.count);
    assert_true(fabs((double)o.count - 50000) < 4 * 70.72);
    assert_true(o.sorted);
    assert_int_equal(o.t[0], 0);
    assert_true(o.last <= 19999 * (int64_t)100000);
    size_t originals = 0;
    for (size_t i = 0; i < o.n; i++)
        originals += o.t[i] % 100000 == 0;
    assert_true(originals >= 20000); /* every row kept at its time */
    obs_fini(&o);
    scn_fini(&scn);
    unlink(tmp);
}

/* speedup 2 on rows every 0.1 s (even us): every time is halved exactly,
 * so the span 1999.9 s becomes 999.95 s. Window start 10 s, end 20 s
 * (inclusive) keeps rows 100..200 (101 rows), shifted to start at 0. */
static void test_speedup_window(void **state)
{
    (void)state;
    char tmp[64];
    regular_trace(tmp, 20000, 100000, false);
    struct scenario scn;
    struct diag d;
    struct obs o;
    struct rep_result r;
    assert_int_equal(load_fmt(&scn, &d,
                              "arrivals: {trace: {path: \"%s\", time_format: "
                              "offset_s, speedup: 2}}\n" REST, tmp), 0);
    obs_init(&o, true, 0, 0);
    assert_int_equal(run_rep(&scn, 0, &o, &r, &d), 0);
    assert_int_equal(o.count, 20000);
    for (size_t i = 0; i < o.n; i++)
        assert_int_equal(o.t[i], (int64_t)i * 50000);
    assert_int_equal(o.last - o.first, 999950000);
    obs_fini(&o);
    scn_fini(&scn);
    assert_int_equal(load_fmt(&scn, &d,
                              "arrivals: {trace: {path: \"%s\", time_format: "
                              "offset_s, start: 10s, end: 20s}}\n" REST, tmp),
                     0);
    obs_init(&o, true, 0, 0);
    assert_int_equal(run_rep(&scn, 0, &o, &r, &d), 0);
    assert_int_equal(o.count, 101);
    for (size_t i = 0; i < o.n; i++)
        assert_int_equal(o.t[i], (int64_t)i * 100000);
    obs_fini(&o);
    scn_fini(&scn);
    unlink(tmp);
}

/* duration_column: each message carries its own processing time. One
 * message at 0 s with duration 7.25 s: the poll at 0 s creates an
 * execution, Running at 1 s (start-up 1 s, claim 0), done at 8.25 s:
 * latency 8.25 s, whatever job.duration (1 s) says. */
static void test_duration_column(void **state)
{
    (void)state;
    char tmp[64];
    write_tmp(tmp, "t,d\n0,7.25\n");
    struct scenario scn;
    struct diag d;
    struct obs o;
    struct rep_result r;
    assert_int_equal(load_fmt(&scn, &d,
                              "arrivals: {trace: {path: \"%s\", "
                              "duration_column: d}}\n" REST, tmp), 0);
    obs_init(&o, true, 0, 0);
    assert_int_equal(run_rep(&scn, 0, &o, &r, &d), 0);
    assert_true(o.dur[0] == 7.25);
    assert_float_equal(r.m[RM_latency_mean_s], 8.25, 1e-9);
    obs_fini(&o);
    scn_fini(&scn);
    unlink(tmp);
    /* 70 rows, durations i % 7 + 0.25 s, every one seen by its message */
    regular_trace(tmp, 70, 1000000, true);
    assert_int_equal(load_fmt(&scn, &d,
                              "arrivals: {trace: {path: \"%s\", "
                              "duration_column: 2}}\n" REST, tmp), 0);
    obs_init(&o, true, 0, 0);
    assert_int_equal(run_rep(&scn, 0, &o, &r, &d), 0);
    for (size_t i = 0; i < o.n; i++)
        assert_true(o.dur[i] == (double)(i % 7) + 0.25);
    obs_fini(&o);
    scn_fini(&scn);
    unlink(tmp);
}

/* counts spreads over rows at 0, 60, 180 s (120 s has none) with counts
 * 5, 0 (a row at 60 s) + 3 (a second row at 60 s: summed), 4:
 *  uniform: exactly 5 in [0, 60), 3 in [60, 120), 4 in [180, 240);
 *  start:   5 at 0, 3 at 60 s, 4 at 180 s;
 *  poisson: the same intervals, counts random (checked over 400
 *           replications: mean total 12 +- 4 sqrt(12 / 400)). */
static void test_counts_spread(void **state)
{
    (void)state;
    char tmp[64];
    write_tmp(tmp, "t,n\n0,5\n60,0\n60,3\n180,4\n");
    const char *spreads[3] = {"uniform", "start", "poisson"};
    for (int sp = 0; sp < 3; sp++) {
        struct scenario scn;
        struct diag d;
        assert_int_equal(load_fmt(&scn, &d,
                                  "arrivals: {trace: {path: \"%s\", format: "
                                  "counts, interval: 1m, spread: %s}}\n" REST,
                                  tmp, spreads[sp]), 0);
        int reps = sp == 2 ? 400 : 3;
        double total = 0;
        for (int rep = 0; rep < reps; rep++) {
            struct obs o;
            obs_init(&o, true, 60 * SIM_US_PER_S, 4);
            struct rep_result r;
            assert_int_equal(run_rep(&scn, (uint32_t)rep, &o, &r, &d), 0);
            assert_true(o.sorted);
            assert_int_equal(o.bins[2], 0);
            total += (double)o.count;
            if (sp < 2) {
                assert_int_equal(o.bins[0], 5);
                assert_int_equal(o.bins[1], 3);
                assert_int_equal(o.bins[3], 4);
            }
            if (sp == 1)
                for (size_t i = 0; i < o.n; i++)
                    assert_int_equal(o.t[i] % (60 * SIM_US_PER_S), 0);
            obs_fini(&o);
        }
        if (sp == 2) {
            printf("counts poisson: mean total %.3f (12)\n", total / reps);
            assert_true(fabs(total / reps - 12) < 4 * sqrt(12.0 / 400));
        }
        scn_fini(&scn);
    }
    unlink(tmp);
}

/* counts_wide on a small file: first_count_column by name, rows filtered
 * and summed: columns c1..c3 of the queue rows are 1+4, 2+5, 0+6. */
static void test_counts_wide_small(void **state)
{
    (void)state;
    char tmp[64];
    write_tmp(tmp, "id,kind,c1,c2,c3\n"
                   "a,queue,1,2,0\n"
                   "b,http,100,100,100\n"
                   "c,queue,4,5,6\n");
    struct scenario scn;
    struct diag d;
    assert_int_equal(load_fmt(&scn, &d,
                              "arrivals: {trace: {path: \"%s\", format: "
                              "counts_wide, first_count_column: c1, interval: "
                              "10s, filter: {column: kind, equals: queue}}}\n"
                              REST, tmp), 0);
    struct obs o;
    obs_init(&o, true, 10 * SIM_US_PER_S, 3);
    struct rep_result r;
    assert_int_equal(run_rep(&scn, 0, &o, &r, &d), 0);
    assert_int_equal(o.bins[0], 5);
    assert_int_equal(o.bins[1], 7);
    assert_int_equal(o.bins[2], 6);
    obs_fini(&o);
    scn_fini(&scn);
    unlink(tmp);
}

/* Superposition: a trace of 100 rows every 1 s plus Poisson 2/s with a
 * horizon of 99 s, plus a second identical Poisson item: merged in time
 * order; the total is 100 + two Poisson(198); the two Poisson items draw
 * from different generators (item 0: ST_ARRIVALS, item 2: its own), so
 * their arrivals differ; the same seed gives the same arrivals again. */
static void test_superposition(void **state)
{
    (void)state;
    char tmp[64];
    regular_trace(tmp, 100, 1000000, false);
    struct scenario scn;
    struct diag d;
    assert_int_equal(load_fmt(&scn, &d,
                              "horizon: 99s\narrivals:\n"
                              "  - process: {kind: poisson, rate: 2/s}\n"
                              "  - trace: {path: \"%s\", time_format: "
                              "offset_s}\n"
                              "  - process: {kind: poisson, rate: 2/s}\n"
                              REST, tmp), 0);
    struct obs o, o2;
    obs_init(&o, true, 0, 0);
    obs_init(&o2, true, 0, 0);
    struct rep_result r;
    assert_int_equal(run_rep(&scn, 0, &o, &r, &d), 0);
    assert_int_equal(run_rep(&scn, 0, &o2, &r, &d), 0);
    assert_true(o.sorted);
    assert_int_equal(o.count, o2.count);
    for (size_t i = 0; i < o.n; i++)
        assert_int_equal(o.t[i], o2.t[i]);
    size_t whole = 0;
    for (size_t i = 0; i < o.n; i++)
        whole += o.t[i] % SIM_US_PER_S == 0;
    assert_true(whole >= 100);
    near_poisson(o.count - 100, 396, "superposed poisson");
    obs_fini(&o);
    obs_fini(&o2);
    scn_fini(&scn);
    assert_true(arr_item_seed(1, 0, 1) != arr_item_seed(1, 0, 2));
    assert_true(arr_item_seed(1, 0, 1) != arr_item_seed(1, 1, 1));
    unlink(tmp);
}

/* ---- bad traces ---------------------------------------------------------- */

/* Run a trace scenario over text; expect failure code and the diag's line
 * (and column when col >= 0) and a message containing what. */
static void bad(const char *text, const char *opts, int line, int col,
                const char *what)
{
    char tmp[64];
    write_tmp(tmp, text);
    struct scenario scn;
    struct diag d;
    assert_int_equal(load_fmt(&scn, &d, "arrivals: {trace: {path: \"%s\"%s}}\n"
                              REST, tmp, opts), 0);
    struct obs o;
    obs_init(&o, false, 0, 0);
    struct rep_result r;
    int rc = run_rep(&scn, 0, &o, &r, &d);
    char buf[2048];
    diag_format(&d, buf, sizeof buf);
    if (rc >= 0 || d.line != line || (col >= 0 && d.col != col) ||
        strstr(buf, what) == NULL ||
        strcmp(d.file, tmp) != 0) {
        fprintf(stderr, "got rc %d: %s\nexpected line %d col %d: %s\n", rc,
                buf, line, col, what);
        fail();
    }
    obs_fini(&o);
    scn_fini(&scn);
    unlink(tmp);
}

static void test_bad_traces(void **state)
{
    (void)state;
    bad("t\n1\n3\n2\n", "", 4, 0, "timestamp earlier than the previous row");
    bad("t\n1\n2x\n", "", 3, 1, "expected");
    bad("t\n", "", 0, -1, "trace has no rows");
    bad("t\n1\n", ", time_column: when", 1, 0, "no column \"when\"");
    bad("t,n\n0,4\n60,1.5\n", ", format: counts", 3, 2, "expected a count");
    bad("t,n\n0,4\n60,-1\n", ", format: counts", 3, 2, "expected a count");
    bad("t,n\n0,4\n60,1\n30,1\n", ", format: counts", 4, 0,
        "timestamp earlier");
    bad("t,n\n0,4\n30,1\n", ", format: counts, interval: 1m", 3, 0,
        "less than arrivals.trace.interval");
    bad("t,n\n0,4\n60,x\n", ", format: counts, count_column: m", 1, 0,
        "no column \"m\"");
    bad("id,kind,1,2\na,q,1,2\nb,q,3,z\n", ", format: counts_wide", 3, 4,
        "expected a count");
    bad("id,kind,1,2\na,q,1,2\nb,q,3\n", ", format: counts_wide", 3, 0,
        "row has 3 fields");
    bad("id,kind,1,2\na,q,1,2\n",
        ", format: counts_wide, filter: {column: kind, equals: http}", 0, -1,
        "no row has kind = \"http\"");
    bad("t,d\n1,2\n2,-3\n", ", duration_column: d", 3, 2,
        "expected a duration");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replay_llm_code),
        cmocka_unit_test(test_replay_llm_conv),
        cmocka_unit_test(test_replay_mooncake),
        cmocka_unit_test(test_replay_2021),
        cmocka_unit_test(test_replay_2019_wide),
        cmocka_unit_test(test_replay_2019_long),
        cmocka_unit_test(test_poisson_counts),
        cmocka_unit_test(test_piecewise_profile),
        cmocka_unit_test(test_diurnal_profile),
        cmocka_unit_test(test_mmpp_rate),
        cmocka_unit_test(test_batches_exact),
        cmocka_unit_test(test_scale),
        cmocka_unit_test(test_speedup_window),
        cmocka_unit_test(test_duration_column),
        cmocka_unit_test(test_counts_spread),
        cmocka_unit_test(test_counts_wide_small),
        cmocka_unit_test(test_superposition),
        cmocka_unit_test(test_bad_traces),
    };
    printf("seed: scenario default (1)\n");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
