/* sim/io/trace_read.c - the rows of an open trace as arrivals: events
 * (trace_next) and counts (trace_next_count; counts_wide returns the column
 * sums trace_open computed). See trace.h.
 *
 * Workload: one call per trace row, 10^3..10^8 rows: each call checks the
 * head row of the reader's ring (field count, time format, order), parses
 * its fields with trace_time.h and drops it from the ring; no allocation.
 * Errors carry the file line of the row and the 1-based field as column. */
#include "sim/io/trace_impl.h"

#include "sim/io/trace_time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* ---- reading rows -------------------------------------------------------- */

/* A field as shown in messages: quoted, control bytes escaped (trace.h),
 * at most TRACE_SHOW_MAX bytes of it. */
struct shown {
    char s[4 * TRACE_SHOW_MAX + 8];
};
static const char *show(struct shown *b, const char *text)
{
    trace_escape(b->s, sizeof b->s, text, strlen(text), TRACE_SHOW_MAX);
    return b->s;
}

/* Check the head row's field count and time, resolve auto at the first
 * row, check order. Stores the time since time zero in *t. Returns 0 or a
 * negative SIM_E* code (recorded in tr->err). */
static int row_time(struct trace_reader *tr, const struct trace_row *r,
                    sim_time *t)
{
    int line = trace__diag_line(r->line);
    struct shown sh;
    if (r->nfields != tr->n_header)
        /* Every row has the header's fields (an empty last field after a
         * trailing comma is a field): a missing or extra field means the
         * columns are shifted, and guessing which would be silent. */
        return diag_set(&tr->err, SIM_EPARSE, tr->path, line, 0,
                        "row has %d field%s, expected %d (one per header "
                        "column)", r->nfields, r->nfields == 1 ? "" : "s",
                        tr->n_header);
    const char *text = r->buf + r->off[K_TIME];
    size_t len = strlen(text);
    if (tr->time_format == TF_AUTO) { /* first data row decides */
        char why[240];
        if (trace_time_auto(text, len, &tr->hint, &tr->time_format, why,
                            sizeof why) != 0)
            return diag_set(&tr->err, SIM_EPARSE, tr->path, line,
                            tr->time_col + 1,
                            "%s: time_format auto cannot decide from \"%s\" "
                            "(header '%s'): %s; set "
                            "arrivals.trace.time_format", tr->time_key,
                            show(&sh, text), tr->time_key, why);
        tr->auto_line = r->line;
        trace_escape(tr->auto_first, sizeof tr->auto_first, text, len, 40);
    } else if (tr->time_auto) {
        char why[160];
        if (!trace_time_auto_fits(tr->time_format, text, len, why,
                                  sizeof why))
            return diag_set(&tr->err, SIM_EPARSE, tr->path, line,
                            tr->time_col + 1,
                            "%s: \"%s\" contradicts time_format auto's "
                            "choice %s (from \"%s\" at line %lld): %s; set "
                            "arrivals.trace.time_format", tr->time_key,
                            show(&sh, text),
                            trace_time_format_name(tr->time_format),
                            tr->auto_first, (long long)tr->auto_line, why);
    }
    int64_t abs_us = 0;
    bool absolute = false;
    if (trace_parse_time(text, len, tr->time_format, &abs_us, &absolute) != 0)
        return diag_set(&tr->err, SIM_EPARSE, tr->path, line, tr->time_col + 1,
                        "%s: %s, got \"%s\"%s", tr->time_key,
                        trace_time_expected(tr->time_format, false),
                        show(&sh, text),
                        tr->time_auto ? " (time_format auto chose this "
                                        "format at the first row)" : "");
    if (!absolute && abs_us < 0)
        return diag_set(&tr->err, SIM_EPARSE, tr->path, line, tr->time_col + 1,
                        "%s: expected an offset >= 0, got \"%s\"",
                        tr->time_key, show(&sh, text));
    if (!tr->have_first) {
        tr->have_first = true;
        tr->time_absolute = absolute;
        tr->first_abs_us = absolute ? abs_us : 0;
    }
    /* |abs_us| <= TRACE_ABS_MAX = INT64_MAX / 2: the difference fits. */
    sim_time now = abs_us - tr->first_abs_us;
    if (now > TRACE_TIME_MAX_US)
        return diag_set(&tr->err, SIM_ERANGE, tr->path, line,
                        tr->time_col + 1,
                        "%s: \"%s\" is %.6g s after time zero: arrival "
                        "times beyond 1e11 s (3,170 years) are refused",
                        tr->time_key, show(&sh, text), sim_to_s(now));
    if (tr->rows > 0 && now < tr->last_us)
        /* The row is at fault, not one field: "file:LINE: error: ..." */
        return diag_set(&tr->err, SIM_EPARSE, tr->path, line, 0,
                        "timestamp earlier than the previous row (line %lld): "
                        "%s is %.6f s after time zero, the previous row %.6f s",
                        (long long)tr->last_line, tr->time_key, sim_to_s(now),
                        sim_to_s(tr->last_us));
    *t = now;
    return SIM_OK;
}

/* Accept the head row whose time is t and drop it from the ring. */
static void row_pop(struct trace_reader *tr, const struct trace_row *r,
                    sim_time t)
{
    tr->last_us = t;
    tr->last_line = r->line;
    tr->rows++;
    tr->rows_head = (tr->rows_head + 1) % tr->rows_cap;
    tr->rows_n--;
}

/* Common start of trace_next / trace_next_count: checks, sticky errors and
 * end of input. Returns 1 with *r = the head row, 0 at end, or an error. */
static int row_begin(struct trace_reader *tr, enum trace_format want,
                     struct trace_row **r, struct diag *d)
{
    if (tr->csv == NULL && tr->err.code == SIM_OK)
        return diag_set(d, SIM_EINVAL, tr->path, 0, 0, "trace is not open");
    if (tr->err.code != SIM_OK)
        return trace__fail(tr, d);
    if (tr->format != want)
        return diag_set(d, SIM_EINVAL, tr->path, 0, 0,
                        "trace opened as %s, read as %s",
                        tr->format == TRACE_EVENTS ? "events"
                        : tr->format == TRACE_COUNTS ? "counts" : "counts_wide",
                        want == TRACE_EVENTS ? "events" : "counts");
    int rc = trace__row_ready(tr);
    if (rc < 0)
        return trace__fail(tr, d);
    if (rc == 0) {
        if (tr->rows > 0)
            return 0;
        diag_set(&tr->err, SIM_EPARSE, tr->path, 0, 0, "trace has no rows");
        return trace__fail(tr, d);
    }
    *r = &tr->rows_buf[tr->rows_head];
    return 1;
}

/* See trace.h. The duration is checked with trace_time_decimal's strict
 * grammar (so "nan", "inf" and hex floats are rejected) and then read by
 * strtod for full double precision: a duration is a model input in
 * seconds, not a time stamp, so it is not rounded to us here. */
int trace_next(struct trace_reader *tr, struct trace_event *ev,
               struct diag *d)
{
    struct trace_row *r = NULL;
    int rc = row_begin(tr, TRACE_EVENTS, &r, d);
    if (rc <= 0)
        return rc;
    sim_time t = 0;
    if (row_time(tr, r, &t) != 0)
        return trace__fail(tr, d);
    double dur = (double)NAN; /* NAN is a float */
    if (tr->duration_col >= 0) {
        const char *text = r->buf + r->off[K_DURATION];
        const char *s = text;
        size_t n = strlen(text);
        int64_t us;
        bool exact;
        trace_time_trim(&s, &n);
        char *end = NULL;
        if (trace_time_decimal(s, n, 0, &us, &exact) == 0) {
            dur = strtod(s, &end);
            while (end != NULL && (*end == ' ' || *end == '\t'))
                end++;
        }
        if (end == NULL || *end != '\0' || !(dur >= 0.0) || !isfinite(dur)) {
            struct shown sh;
            diag_set(&tr->err, SIM_EPARSE, tr->path,
                     trace__diag_line(r->line), tr->duration_col + 1,
                     "%s: expected a duration in seconds >= 0, got \"%s\"",
                     tr->duration_key, show(&sh, text));
            return trace__fail(tr, d);
        }
        dur += 0.0; /* -0 -> +0 */
    }
    ev->t_us = t;
    ev->duration_s = dur;
    ev->line = r->line;
    row_pop(tr, r, t);
    return 1;
}

/* See trace.h. Counts must be exact integers: "12.0" and "1.2e1" are 12,
 * "1.5" is an error rather than a silent rounding. */
int trace_next_count(struct trace_reader *tr, sim_time *interval_start_us,
                     int64_t *count, struct diag *d)
{
    if (tr->format == TRACE_COUNTS_WIDE) {
        if (tr->err.code != SIM_OK)
            return trace__fail(tr, d);
        if (tr->sums == NULL)
            return diag_set(d, SIM_EINVAL, tr->path, 0, 0,
                            "trace is not open");
        if (tr->next_col >= tr->n_counts)
            return 0;
        /* Checked at open: (n_counts * interval) <= TRACE_TIME_MAX_US. */
        *interval_start_us = (sim_time)tr->next_col * tr->interval_us;
        *count = tr->sums[tr->next_col++];
        tr->last_line = 0;
        tr->rows++;
        return 1;
    }
    struct trace_row *r = NULL;
    int rc = row_begin(tr, TRACE_COUNTS, &r, d);
    if (rc <= 0)
        return rc;
    sim_time t = 0;
    if (row_time(tr, r, &t) != 0)
        return trace__fail(tr, d);
    const char *text = r->buf + r->off[K_COUNT];
    const char *s = text;
    size_t n = strlen(text);
    int64_t c = 0;
    bool exact = false;
    trace_time_trim(&s, &n);
    if (trace_time_decimal(s, n, 0, &c, &exact) != 0 || !exact || c < 0) {
        struct shown sh;
        diag_set(&tr->err, SIM_EPARSE, tr->path, trace__diag_line(r->line),
                 tr->count_col + 1,
                 "%s: expected a count (an integer >= 0), got \"%s\"",
                 tr->count_key, show(&sh, text));
        return trace__fail(tr, d);
    }
    *interval_start_us = t;
    *count = c;
    row_pop(tr, r, t);
    return 1;
}

/* See trace.h. */
void trace_auto_describe(const struct trace_reader *tr, char *buf, size_t n)
{
    if (n == 0)
        return;
    buf[0] = '\0';
    if (!tr->time_auto || tr->format == TRACE_COUNTS_WIDE ||
        tr->auto_line == 0)
        return;
    const char *unit = tr->hint.epoch ? "says epoch" : "names no unit";
    if (tr->hint.unit == TF_OFFSET_S)
        unit = "says seconds";
    else if (tr->hint.unit == TF_OFFSET_MS)
        unit = "says ms";
    else if (tr->hint.unit == TF_OFFSET_US)
        unit = "says us";
    if (tr->time_format == TF_ISO8601)
        unit = "not used for dates";
    snprintf(buf, n, "'%s': %s (auto; first value %s at line %lld; header %s)",
             tr->time_key, trace_time_format_name(tr->time_format),
             tr->auto_first, (long long)tr->auto_line, unit);
}

/* See trace.h. */
int trace_detect_time(const struct scn_trace *cfg, enum time_format *fmt,
                      char *desc, size_t n, struct diag *d)
{
    if (n > 0)
        desc[0] = '\0';
    *fmt = cfg->time_format;
    if (cfg->format == TRACE_COUNTS_WIDE || cfg->time_format != TF_AUTO) {
        *fmt = cfg->format == TRACE_COUNTS_WIDE ? TF_AUTO : cfg->time_format;
        return SIM_OK;
    }
    struct trace_reader *tr = malloc(sizeof *tr);
    if (tr == NULL)
        return diag_set(d, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    int rc = trace_open(tr, cfg, d);
    if (rc == 0) {
        if (cfg->format == TRACE_EVENTS) {
            struct trace_event ev;
            rc = trace_next(tr, &ev, d);
        } else {
            sim_time t;
            int64_t c;
            rc = trace_next_count(tr, &t, &c, d);
        }
        if (rc > 0) {
            rc = SIM_OK;
            *fmt = tr->time_format;
            trace_auto_describe(tr, desc, n);
        }
    }
    trace_close(tr);
    free(tr);
    return rc;
}
