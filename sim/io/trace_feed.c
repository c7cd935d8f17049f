/* sim/io/trace_feed.c - the CSV arrival feed (see trace_feed.h). */
#include "sim/io/trace_feed.h"

#include "sim/io/trace.h"

#include <stdio.h>
#include <stdlib.h>

static int feed_open(void *ctx, const struct scenario *scn, size_t item,
                     void **reader, struct diag *d)
{
    (void)ctx;
    *reader = NULL;
    struct trace_reader *tr = calloc(1, sizeof *tr);
    if (tr == NULL)
        return diag_set(d, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    const struct scn_trace *cfg = &scn->arrivals[item].trace;
    struct diag td;
    diag_init(&td);
    int rc = trace_open(tr, cfg, &td);
    if (rc == SIM_EIO) {
        /* Point at the key that names the file, not at the file. */
        char key[64];
        if (scn->arrivals_is_list)
            snprintf(key, sizeof key, "arrivals[%zu].trace.path", item);
        else
            snprintf(key, sizeof key, "arrivals.trace.path");
        const struct scn_loc *l = scn_loc(scn, key);
        free(tr);
        return diag_set(d, rc, l ? l->file : scn->file, l ? l->line : 0,
                        l ? l->col : 0, "%s: %s: %s", key, cfg->path,
                        td.msg);
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
