/* sim/io/trace_feed.c - the CSV arrival feed (see trace_feed.h). */
#include "sim/io/trace_feed.h"

#include "sim/io/trace.h"

#include <stdio.h>
#include <stdlib.h>

/* "arrivals.trace.KEY" or "arrivals[i].trace.KEY" into key[0..n). */
static void item_key(const struct scenario *scn, size_t item,
                     const char *what, char *key, size_t n)
{
    if (scn->arrivals_is_list)
        snprintf(key, n, "arrivals[%zu].trace.%s", item, what);
    else
        snprintf(key, n, "arrivals.trace.%s", what);
}

/* A trace that cannot be opened, reported at the key that names it. */
static int open_failed(const struct scenario *scn, size_t item,
                       const struct diag *td, struct diag *d)
{
    char key[64];
    item_key(scn, item, "path", key, sizeof key);
    const struct scn_loc *l = scn_loc(scn, key);
    return diag_set(d, td->code, l ? l->file : scn->file, l ? l->line : 0,
                    l ? l->col : 0, "%s: %s: %s", key,
                    scn->arrivals[item].trace.path, td->msg);
}

/* Largest arrivals.trace.scale: each row becomes at most this many
 * arrivals, so the copy count fits int64 (models/arrivals.c). */
#define SCALE_MAX 1e6

/* Refuse a scale above SCALE_MAX, at the key's place. */
static int check_scale(const struct scenario *scn, size_t item,
                       struct diag *d)
{
    double sc = scn->arrivals[item].trace.scale;
    if (sc <= SCALE_MAX)
        return SIM_OK;
    char key[64];
    item_key(scn, item, "scale", key, sizeof key);
    const struct scn_loc *l = scn_loc(scn, key);
    return diag_set(d, SIM_EINVAL, l ? l->file : scn->file, l ? l->line : 0,
                    l ? l->col : 0,
                    "%s: expected at most 1e6 (copies of each trace row), "
                    "got %g", key, sc);
}

/* See trace_feed.h. */
int trace_feed_resolve(struct scenario *scn, FILE *note, struct diag *d)
{
    for (size_t i = 0; i < scn->n_arrivals; i++) {
        struct scn_arrival_item *it = &scn->arrivals[i];
        int rc = it->is_trace ? check_scale(scn, i, d) : SIM_OK;
        if (rc != 0)
            return rc;
        if (!it->is_trace || it->trace.time_format != TF_AUTO ||
            it->trace.format == TRACE_COUNTS_WIDE)
            continue;
        char desc[400];
        enum time_format f = TF_AUTO;
        struct diag td;
        diag_init(&td);
        rc = trace_detect_time(&it->trace, &f, desc, sizeof desc, &td);
        if (rc == SIM_EIO)
            return open_failed(scn, i, &td, d);
        if (rc < 0) {
            if (d != NULL && d->code == SIM_OK)
                *d = td;
            return rc;
        }
        it->trace.time_format_detected = f;
        /* ISO 8601 carries its own unit and zone: nothing was guessed. */
        if (note != NULL && f != TF_ISO8601) {
            char key[64];
            item_key(scn, i, "time_column", key, sizeof key);
            fprintf(note, "note: %s %s\n", key, desc);
        }
    }
    return SIM_OK;
}

static int feed_open(void *ctx, const struct scenario *scn, size_t item,
                     void **reader, struct diag *d)
{
    (void)ctx;
    *reader = NULL;
    if (check_scale(scn, item, d) != 0)
        return SIM_EINVAL;
    struct trace_reader *tr = calloc(1, sizeof *tr);
    if (tr == NULL)
        return diag_set(d, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    const struct scn_trace *cfg = &scn->arrivals[item].trace;
    struct diag td;
    diag_init(&td);
    int rc = trace_open(tr, cfg, &td);
    if (rc == SIM_EIO) {
        /* Point at the key that names the file, not at the file. */
        free(tr);
        return open_failed(scn, item, &td, d);
    }
    if (rc < 0) {
        if (d != NULL && d->code == SIM_OK)
            *d = td;
        free(tr);
        return rc;
    }
    *reader = tr;
    return SIM_OK;
}

static int feed_next_event(void *reader, sim_time *t_us, double *duration_s,
                           struct diag *d)
{
    struct trace_event ev;
    int rc = trace_next(reader, &ev, d);
    if (rc == 1) {
        *t_us = ev.t_us;
        *duration_s = ev.duration_s;
    }
    return rc;
}

static int feed_next_count(void *reader, sim_time *start_us, int64_t *count,
                           struct diag *d)
{
    return trace_next_count(reader, start_us, count, d);
}

static int64_t feed_last_line(const void *reader)
{
    return ((const struct trace_reader *)reader)->last_line;
}

static const char *feed_path(const void *reader)
{
    return ((const struct trace_reader *)reader)->path;
}

static void feed_close(void *reader)
{
    trace_close(reader);
    free(reader);
}

const struct arrival_feed trace_feed = {
    .open = feed_open,
    .next_event = feed_next_event,
    .next_count = feed_next_count,
    .last_line = feed_last_line,
    .path = feed_path,
    .close = feed_close,
    .ctx = NULL,
};
