/* sim/cli/cmd_trace_stats.c - `burstsim trace-stats FILE`: the numbers a
 * capacity planner wants before choosing settings: events, span, mean and
 * peak per minute, peak/mean, inter-arrival coefficient of variation and
 * the busiest minutes.
 *
 * Workload: one pass over a trace of any length through the same streaming
 * reader the simulation uses (sim/io/trace.c), so a file the simulator
 * accepts gives these statistics and a file it refuses gives the same
 * file:LINE error (exit 3). Memory: one int64 per 1-minute bucket of the
 * span (a growing array: 8 bytes per minute, 4.2 MiB for a year), not per
 * event; the inter-arrival moments are accumulated on the fly (Welford).
 *
 * Definitions (the same as ../shared/data/traces/README.md):
 *  - events trace: bucket k holds the events with
 *    k = floor((t - t_first) / 60 s); the buckets run from the first
 *    event's to the last event's (n = k_last + 1); mean per minute =
 *    events / n; peak = the busiest bucket; span = t_last - t_first;
 *    IAT CV = sample standard deviation / mean of the n - 1 gaps.
 *  - counts traces: bucket k is interval k (rows at the same time are
 *    summed), span = n * interval; per-minute figures are per-interval
 *    counts times 60 s / interval (exact when interval = 1m); there is no
 *    IAT CV (no timing inside an interval).
 *
 * Exit codes (sim/run/exit_code.h): 0 ok, 2 usage error, 3 invalid trace. */
#include "sim/cli/commands.h"
#include "sim/io/scenario.h"
#include "sim/io/trace.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CMD "trace-stats"
#define TOP_N 5 /* busiest minutes shown */
/* Most buckets (8 bytes each: 128 MiB; 31.9 years of minutes): a span
 * beyond that is refused, naming the row and the interval, rather than
 * grown until allocation fails. */
#define MAX_BUCKETS ((size_t)1 << 24)

enum opt_id {
    OPT_COUNT_COLUMN = 256, OPT_FILTER, OPT_FIRST_COUNT_COLUMN, OPT_FORMAT,
    OPT_INTERVAL, OPT_JSON, OPT_TIME_COLUMN, OPT_TIME_FORMAT
};

/* The option table, sorted by name. */
static const struct option long_opts[] = {
    {"count-column", required_argument, NULL, OPT_COUNT_COLUMN},
    {"filter", required_argument, NULL, OPT_FILTER},
    {"first-count-column", required_argument, NULL, OPT_FIRST_COUNT_COLUMN},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"help", no_argument, NULL, 'h'},
    {"interval", required_argument, NULL, OPT_INTERVAL},
    {"json", no_argument, NULL, OPT_JSON},
    {"time-column", required_argument, NULL, OPT_TIME_COLUMN},
    {"time-format", required_argument, NULL, OPT_TIME_FORMAT},
    {NULL, 0, NULL, 0},
};

static const char usage_text[] =
    "usage: burstsim trace-stats FILE [--format events|counts|counts_wide]\n"
    "           [--time-column C] [--time-format F] [--count-column C]\n"
    "           [--interval D] [--first-count-column C] [--filter COL=VALUE]\n"
    "           [--json]\n"
    "\n"
    "Statistics of a recorded arrival trace, read the way `arrivals.trace`\n"
    "reads it: events, span, mean and peak per minute, peak/mean, the\n"
    "inter-arrival coefficient of variation and the 5 busiest minutes.\n"
    "\n"
    "  --format F             events (default) | counts | counts_wide\n"
    "  --time-column C        header name or 1-based index (default: 1)\n"
    "  --time-format F        auto | iso8601 | epoch_s | epoch_ms | epoch_us\n"
    "                         | offset_s | offset_ms | offset_us (default:\n"
    "                         auto: decided from the header and the first\n"
    "                         row, printed as \"time format:\")\n"
    "  --count-column C       counts: the count column (default: 2)\n"
    "  --interval D           counts, counts_wide: one row's (column's)\n"
    "                         interval (default: 1m)\n"
    "  --first-count-column C counts_wide: the first count column (default:\n"
    "                         the first column whose header is an integer)\n"
    "  --filter COL=VALUE     counts_wide: keep rows whose COL is VALUE\n"
    "  --json                 print one JSON object\n"
    "  -h, --help             print this help and exit\n"
    "\n"
    "Exit status: 0 ok, 2 usage error, 3 invalid trace (file:LINE: error).\n";

/* "burstsim: trace-stats: MSG[: ARG]" and the general help hint. */
static int usage_error(const char *msg, const char *arg)
{
    return cmd_usage_error_hint(CMD, NULL, "%s%s%s", msg, arg ? ": " : "",
                                arg ? arg : "");
}

/* Index of name in a NULL-terminated list, or -1. */
static int lookup(const char *const *names, const char *name)
{
    for (int i = 0; names[i] != NULL; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

/* The per-bucket counts: a growing array (span-bound, see above). */
struct buckets {
    int64_t *v;
    size_t n, cap;
};

/* Add c to bucket k (k < MAX_BUCKETS), growing the array. Returns false
 * out of memory, leaving b as it was (its array still owned by b). */
static bool bucket_add(struct buckets *b, size_t k, int64_t c)
{
    if (k >= MAX_BUCKETS)
        return false;
    if (k >= b->cap) {
        size_t nc = b->cap ? b->cap : 64;
        while (nc <= k)
            nc *= 2; /* <= 2 * MAX_BUCKETS: no overflow */
        int64_t *nv = realloc(b->v, nc * sizeof *nv);
        if (nv == NULL)
            return false;
        memset(nv + b->cap, 0, (nc - b->cap) * sizeof *nv);
        b->v = nv;
        b->cap = nc;
    }
    b->v[k] += c;
    if (k + 1 > b->n)
        b->n = k + 1;
    return true;
}

/* The row at t_us after the first one needs bucket k = t_us / bucket_us:
 * refuse one beyond MAX_BUCKETS ("file:LINE: error: --interval: ..."). */
static int bucket_check(const struct trace_reader *tr, sim_time t_us,
                        sim_time bucket_us, bool fixed, struct diag *d)
{
    if ((uint64_t)(t_us / bucket_us) < MAX_BUCKETS)
        return SIM_OK;
    if (fixed)
        return diag_set(d, SIM_ERANGE, tr->path, (int)tr->last_line, 0,
                        "trace-stats: this row is %.6g s after the first: "
                        "more than %zu one-minute buckets (31.9 years)",
                        sim_to_s(t_us), MAX_BUCKETS);
    return diag_set(d, SIM_ERANGE, tr->path, (int)tr->last_line, 0,
                    "--interval: this row is %.6g s after the first: with "
                    "buckets of %.6g s that is more than %zu buckets; use a "
                    "longer --interval", sim_to_s(t_us), sim_to_s(bucket_us),
                    MAX_BUCKETS);
}

struct stats {
    int64_t events;
    double span_s;       /* events: last - first; counts: n * interval */
    double bucket_s;     /* 60, or the counts interval */
    double per_min;      /* factor from a bucket count to a per-minute one */
    size_t n_buckets;
    double mean_per_min, peak_per_min;
    bool has_cv;
    double iat_cv;
    size_t top[TOP_N];   /* bucket indexes, busiest first */
    size_t n_top;
    bool absolute;       /* times are absolute: print wall-clock times */
    enum time_format time_format; /* as read (auto resolved); TF_AUTO for
                                     counts_wide */
    char time_auto[400]; /* what auto chose and why, "" if not auto */
    int64_t first_abs_us;/* absolute time of bucket 0's start, us */
};

/* The TOP_N busiest buckets (ties: earlier first), n_top of them. */
static void busiest(const struct buckets *b, struct stats *st)
{
    st->n_top = 0;
    for (size_t r = 0; r < TOP_N; r++) {
        size_t best = b->n;
        for (size_t k = 0; k < b->n; k++) {
            bool used = false;
            for (size_t j = 0; j < st->n_top; j++)
                used = used || st->top[j] == k;
            if (!used && (best == b->n || b->v[k] > b->v[best]))
                best = k;
        }
        if (best == b->n)
            break;
        st->top[st->n_top++] = best;
    }
}

/* Format the wall-clock start of bucket k ("2023-11-16 18:40:03Z"). */
static void wall_time(const struct stats *st, size_t k, char *buf, size_t n)
{
    int64_t us = st->first_abs_us + (int64_t)((double)k * st->bucket_s * 1e6);
    time_t secs = (time_t)(us >= 0 ? us / 1000000 : (us - 999999) / 1000000);
    struct tm tm;
    if (gmtime_r(&secs, &tm) == NULL ||
        strftime(buf, n, "%Y-%m-%d %H:%M:%SZ", &tm) == 0)
        snprintf(buf, n, "?");
}

/* Read the whole trace into st. Returns 0 or a negative SIM_E* (d set). */
static int collect(struct trace_reader *tr, const struct scn_trace *cfg,
                   struct stats *st, struct buckets *b, struct diag *d)
{
    memset(st, 0, sizeof *st);
    if (cfg->format == TRACE_EVENTS) {
        struct trace_event ev;
        sim_time first = 0, prev = 0;
        double mean = 0.0, m2 = 0.0; /* Welford over the gaps, s */
        int64_t gaps = 0;
        int rc;
        while ((rc = trace_next(tr, &ev, d)) == 1) {
            if (st->events == 0) {
                first = ev.t_us;
            } else {
                double g = sim_to_s(ev.t_us - prev);
                gaps++;
                double delta = g - mean;
                mean += delta / (double)gaps;
                m2 += delta * (g - mean);
            }
            prev = ev.t_us;
            st->events++;
            if (bucket_check(tr, ev.t_us - first, 60 * SIM_US_PER_S, true,
                             d) != 0)
                return SIM_ERANGE;
            size_t k = (size_t)((ev.t_us - first) / (60 * SIM_US_PER_S));
            if (!bucket_add(b, k, 1))
                return diag_set(d, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        }
        if (rc < 0)
            return rc;
        st->span_s = sim_to_s(prev - first);
        st->bucket_s = 60.0;
        st->per_min = 1.0;
        st->has_cv = gaps >= 2 && mean > 0.0;
        if (st->has_cv)
            st->iat_cv = sqrt(m2 / (double)(gaps - 1)) / mean;
        st->first_abs_us = tr->first_abs_us + first;
    } else {
        sim_time t, first = 0;
        int64_t c;
        int rc;
        while ((rc = trace_next_count(tr, &t, &c, d)) == 1) {
            if (st->events == 0 && b->n == 0)
                first = t;
            if (st->events > INT64_MAX - c)
                return diag_set(d, SIM_ERANGE, tr->path, (int)tr->last_line,
                                0, "the total count overflows a 64-bit "
                                "integer");
            st->events += c;
            if (bucket_check(tr, t - first, cfg->interval_us, false, d) != 0)
                return SIM_ERANGE;
            if (!bucket_add(b, (size_t)((t - first) / cfg->interval_us), c))
                return diag_set(d, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        }
        if (rc < 0)
            return rc;
        st->bucket_s = sim_to_s(cfg->interval_us);
        st->span_s = (double)b->n * st->bucket_s;
        st->per_min = 60.0 / st->bucket_s;
        st->first_abs_us = tr->first_abs_us + first;
    }
    st->absolute = tr->time_absolute && cfg->format != TRACE_COUNTS_WIDE;
    st->time_format =
        cfg->format == TRACE_COUNTS_WIDE ? TF_AUTO : tr->time_format;
    trace_auto_describe(tr, st->time_auto, sizeof st->time_auto);
    st->n_buckets = b->n;
    int64_t peak = 0;
    for (size_t k = 0; k < b->n; k++)
        if (b->v[k] > peak)
            peak = b->v[k];
    st->mean_per_min =
        b->n ? (double)st->events / (double)b->n * st->per_min : 0.0;
    st->peak_per_min = (double)peak * st->per_min;
    busiest(b, st);
    return SIM_OK;
}

static void print_text(const char *file, const struct scn_trace *cfg,
                       const struct stats *st, const struct buckets *b)
{
    static const char *const fmt_names[] = {"events", "counts",
                                            "counts_wide"};
    printf("trace:             %s (%s)\n", file, fmt_names[cfg->format]);
    if (st->time_format != TF_AUTO)
        printf("time format:       %s%s\n",
               st->time_auto[0] ? st->time_auto
                                : trace_time_format_name(st->time_format),
               st->time_auto[0] ? "" : " (as given)");
    printf("events:            %lld\n", (long long)st->events);
    printf("span:              %.3f s (%.1f min)\n", st->span_s,
           st->span_s / 60.0);
    const char *unit = st->bucket_s == 60.0 ? "minute" : "interval";
    printf("buckets:           %zu of %g s (one %s each)\n", st->n_buckets,
           st->bucket_s, unit);
    printf("mean per minute:   %.2f\n", st->mean_per_min);
    printf("peak per minute:   %.2f\n", st->peak_per_min);
    printf("peak/mean:         %.2f\n", st->mean_per_min > 0.0
                                            ? st->peak_per_min /
                                                  st->mean_per_min
                                            : 0.0);
    if (st->has_cv)
        printf("inter-arrival CV:  %.2f\n", st->iat_cv);
    else
        printf("inter-arrival CV:  n/a\n");
    printf("busiest %ss:\n", unit);
    for (size_t j = 0; j < st->n_top; j++) {
        size_t k = st->top[j];
        char when[64] = "";
        if (st->absolute) {
            char w[48];
            wall_time(st, k, w, sizeof w);
            snprintf(when, sizeof when, "  (%s)", w);
        }
        printf("  %zu. +%.0f s%s  %lld\n", j + 1, (double)k * st->bucket_s,
               when, (long long)b->v[k]);
    }
}

static int print_json(const char *file, const struct scn_trace *cfg,
                      const struct stats *st, const struct buckets *b)
{
    static const char *const fmt_names[] = {"events", "counts",
                                            "counts_wide"};
    json_t *top = json_array();
    for (size_t j = 0; top != NULL && j < st->n_top; j++) {
        size_t k = st->top[j];
        json_t *o = json_object();
        json_object_set_new(o, "start_s", json_real((double)k * st->bucket_s));
        if (st->absolute) {
            char w[48];
            wall_time(st, k, w, sizeof w);
            json_object_set_new(o, "start", json_string(w));
        }
        json_object_set_new(o, "count", json_integer((json_int_t)b->v[k]));
        json_array_append_new(top, o);
    }
    json_t *o = json_pack(
        "{s:s, s:s, s:I, s:f, s:f, s:I, s:f, s:f, s:f, s:o, s:o}", "file",
        file, "format", fmt_names[cfg->format], "events",
        (json_int_t)st->events, "span_s", st->span_s, "bucket_s",
        st->bucket_s, "buckets", (json_int_t)st->n_buckets, "mean_per_min",
        st->mean_per_min, "peak_per_min", st->peak_per_min, "peak_to_mean",
        st->mean_per_min > 0.0 ? st->peak_per_min / st->mean_per_min : 0.0,
        "iat_cv", st->has_cv ? json_real(st->iat_cv) : json_null(), "busiest",
        top != NULL ? top : json_null());
    if (o == NULL)
        return EXIT_RUN_FAILED;
    json_object_set_new(o, "time_format",
                        st->time_format != TF_AUTO
                            ? json_string(trace_time_format_name(
                                  st->time_format))
                            : json_null());
    json_object_set_new(o, "time_format_auto",
                        st->time_auto[0] ? json_string(st->time_auto)
                                         : json_null());
    int rc = json_dumpf(o, stdout, JSON_INDENT(2)) == 0 ? EXIT_OK_
                                                         : EXIT_RUN_FAILED;
    putchar('\n');
    json_decref(o);
    return rc;
}

int cmd_trace_stats(int argc, char **argv)
{
    static const char *const formats[] = {"events", "counts", "counts_wide",
                                          NULL};
    static const char *const tformats[] = {"auto", "iso8601", "epoch_s",
                                           "epoch_ms", "offset_s",
                                           "offset_ms", "epoch_us",
                                           "offset_us", NULL};
    struct scn_trace cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.interval_us = 60 * SIM_US_PER_S;
    cfg.scale = cfg.speedup = 1.0;
    bool json = false;
    char filter[512]; /* COLUMN\0VALUE of --filter */
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
        int v;
        switch (c) {
        case 'h':
            fputs(usage_text, stdout);
            return EXIT_OK_;
        case OPT_FORMAT:
            if ((v = lookup(formats, optarg)) < 0)
                return usage_error("--format: expected events, counts or "
                                   "counts_wide, got", optarg);
            cfg.format = (enum trace_format)v;
            break;
        case OPT_TIME_FORMAT:
            if ((v = lookup(tformats, optarg)) < 0)
                return usage_error("--time-format: unknown format", optarg);
            cfg.time_format = (enum time_format)v;
            break;
        case OPT_TIME_COLUMN:
            cfg.time_column = optarg;
            break;
        case OPT_COUNT_COLUMN:
            cfg.count_column = optarg;
            break;
        case OPT_FIRST_COUNT_COLUMN:
            cfg.first_count_column = optarg;
            break;
        case OPT_INTERVAL:
            if (scn_parse_duration(optarg, &cfg.interval_us) != 0 ||
                cfg.interval_us <= 0)
                return usage_error("--interval: expected a duration > 0 "
                                   "like 1m", optarg);
            break;
        case OPT_FILTER: {
            const char *eq = strchr(optarg, '=');
            if (eq == NULL || eq == optarg || strlen(optarg) >= sizeof filter)
                return usage_error("--filter: expected COLUMN=VALUE", optarg);
            snprintf(filter, sizeof filter, "%s", optarg);
            filter[eq - optarg] = '\0';
            cfg.filter.column = filter;
            cfg.filter.equals = filter + (eq - optarg) + 1;
            break;
        }
        case OPT_JSON:
            json = true;
            break;
        default:
            return usage_error("unknown option", argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return usage_error(optind >= argc ? "expected one trace FILE"
                                          : "expected one trace FILE, got "
                                            "more",
                           NULL);
    char *file = argv[optind];
    cfg.path = file; /* only read by trace_open */

    struct diag d;
    diag_init(&d);
    struct trace_reader *tr = malloc(sizeof *tr);
    struct buckets b = {0};
    struct stats st;
    int code = EXIT_OK_;
    if (tr == NULL) {
        code = EXIT_RUN_FAILED;
    } else if (trace_open(tr, &cfg, &d) != 0 ||
               collect(tr, &cfg, &st, &b, &d) != 0) {
        exit_print_diag(&d);
        code = d.code == SIM_ENOMEM ? EXIT_RUN_FAILED : EXIT_INVALID;
    } else if (json) {
        code = print_json(file, &cfg, &st, &b);
    } else {
        print_text(file, &cfg, &st, &b);
    }
    if (tr != NULL)
        trace_close(tr);
    free(tr);
    free(b.v);
    return code;
}
