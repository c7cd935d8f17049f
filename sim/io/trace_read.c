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

#include <stdlib.h>
#include <string.h>
/* ---- reading rows -------------------------------------------------------- */

/* Show at most TRACE_SHOW_MAX bytes of a bad field. */
#define SHOW_FMT "\"%.*s%s\""
#define SHOW_ARGS(s)                                                           \
    (int)(strlen(s) > TRACE_SHOW_MAX ? TRACE_SHOW_MAX : strlen(s)), (s),       \
        (strlen(s) > TRACE_SHOW_MAX ? "..." : "")

/* Check the head row's field count and time, resolve auto at the first
 * row, check order. Stores the time since time zero in *t. Returns 0 or a
 * negative SIM_E* code (recorded in tr->err). */
static int row_time(struct trace_reader *tr, const struct trace_row *r,
                    sim_time *t)
{
    int line = trace__diag_line(r->line);
    if (r->nfields < tr->min_fields)
        return diag_set(&tr->err, SIM_EPARSE, tr->path, line, 0,
                        "row has %d field%s, expected at least %d", r->nfields,
                        r->nfields == 1 ? "" : "s", tr->min_fields);
    const char *text = r->buf + r->off[K_TIME];
    size_t len = strlen(text);
    if (tr->time_format == TF_AUTO) { /* first data row decides */
        const char *s = text;
        size_t n = len;
        trace_time_trim(&s, &n);
        tr->time_format = trace_time_is_date(s, n) ? TF_ISO8601 : TF_OFFSET_S;
    }
    int64_t abs_us = 0;
    bool absolute = false;
    if (trace_parse_time(text, len, tr->time_format, &abs_us, &absolute) != 0)
        return diag_set(&tr->err, SIM_EPARSE, tr->path, line, tr->time_col + 1,
                        "%s: %s, got " SHOW_FMT, tr->time_key,
                        trace_time_expected(tr->time_format,
                                            tr->time_auto && !tr->have_first),
                        SHOW_ARGS(text));
    if (!absolute && abs_us < 0)
        return diag_set(&tr->err, SIM_EPARSE, tr->path, line, tr->time_col + 1,
                        "%s: expected an offset >= 0, got " SHOW_FMT,
                        tr->time_key, SHOW_ARGS(text));
    if (!tr->have_first) {
        tr->have_first = true;
        tr->time_absolute = absolute;
        tr->first_abs_us = absolute ? abs_us : 0;
    }
    sim_time now = abs_us - tr->first_abs_us;
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
            diag_set(&tr->err, SIM_EPARSE, tr->path,
                     trace__diag_line(r->line), tr->duration_col + 1,
                     "%s: expected a duration in seconds >= 0, got " SHOW_FMT,
                     tr->duration_key, SHOW_ARGS(text));
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
        diag_set(&tr->err, SIM_EPARSE, tr->path, trace__diag_line(r->line),
                 tr->count_col + 1,
                 "%s: expected a count (an integer >= 0), got " SHOW_FMT,
                 tr->count_key, SHOW_ARGS(text));
        return trace__fail(tr, d);
    }
    *interval_start_us = t;
    *count = c;
    row_pop(tr, r, t);
    return 1;
}
