/* sim/run/item.c - one (configuration, replication) of a run (see item.h).
 *
 * The simulation itself is called in one place, item_simulate(), so the
 * engine/world API it uses is swapped in one function. */
#include "sim/run/item.h"

#include "sim/io/report_parts.h"
#include "models/world.h"
#include "sim/io/trace_feed.h"

#include <stdlib.h>
#include <string.h>

static void sink_sample(void *ctx, const struct ts_sample *x)
{
    struct part_writer **w = ctx;
    if (w[0] != NULL)
        report_part_sample(w[0], x);
}

static void sink_exec(void *ctx, const struct exec_record *e)
{
    struct part_writer **w = ctx;
    if (w[1] != NULL)
        report_part_execution(w[1], e);
}

/* Simulate replication rep of scn into *res with the given sinks (the
 * trace feed is the CSV reader). Returns 0 or a negative SIM_E* with d
 * set. */
static int item_simulate(const struct scenario *scn, uint32_t rep,
                         const struct world_io *io, struct rep_result *res,
                         struct diag *d)
{
    struct world *s = malloc(sizeof *s);
    if (s == NULL)
        return diag_set(d, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    int rc = world_init(s, scn, rep, io, d);
    if (rc == 0)
        rc = world_run(s, res, d);
    world_fini(s);
    free(s);
    return rc;
}

void runner_item_run(struct runner_plan *p, const char *tmp, size_t item,
                     void (*progress)(void *ctx, double fraction), void *ctx,
                     struct diag *d)
{
    size_t c = item / p->n_rep;
    uint32_t rep = (uint32_t)(item % p->n_rep);
    const struct scenario *scn = &p->cfg[c];
    struct part_writer ts, ex;
    struct part_writer *w[2] = {NULL, NULL};
    memset(&ts, 0, sizeof ts);
    memset(&ex, 0, sizeof ex);
    if (tmp != NULL && scn->output.timeseries && rep == 0) {
        if (report_part_open(&ts, tmp, "timeseries", c, p->labels[c],
                             rep, d) != 0)
            return;
        w[0] = &ts;
    }
    if (tmp != NULL && scn->output.executions) {
        if (report_part_open(&ex, tmp, "executions", c, p->labels[c],
                             rep, d) != 0)
            goto out;
        w[1] = &ex;
    }
    struct world_io io = {
        .sample = w[0] ? sink_sample : NULL,
        .execution = w[1] ? sink_exec : NULL,
        .ctx = w,
        .feed = &trace_feed,
        .progress = progress,
        .progress_ctx = ctx,
    };
    if (item_simulate(scn, rep, &io, &p->res[item], d) == 0)
        p->have[item] = 1;
out:
    if (w[0] != NULL)
        report_part_close(&ts, d);
    if (w[1] != NULL)
        report_part_close(&ex, d);
}
