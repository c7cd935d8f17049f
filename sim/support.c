/* sim/support.c - refuse scenario values the model does not honour yet
 * (see support.h). Each check names the key path; the location comes from
 * the loader's record of where the key was written. */
#include "sim/support.h"

#include <stdio.h>

/* Report key `path` (written at its recorded location) as unsupported. */
static int refuse(const struct scenario *scn, struct diag *d,
                  const char *path, const char *what)
{
    const struct scn_loc *l = scn_loc(scn, path);
    const char *file = l != NULL ? l->file : scn->file;
    int line = l != NULL ? l->line : 0;
    int col = l != NULL ? l->col : 0;
    return diag_set(d, SIM_EUNSUP, file, line, col,
                    "%s: %s is not supported yet", path, what);
}

int scn_check_supported(const struct scenario *scn, struct diag *d)
{
    if (scn->arrivals_is_list || scn->n_arrivals != 1)
        return refuse(scn, d, "arrivals", "a list of arrival items");
    const struct scn_arrival_item *a = &scn->arrivals[0];
    if (a->is_trace) {
        if (a->trace.format != TRACE_EVENTS)
            return refuse(scn, d, "arrivals.trace.format",
                          "a format other than events");
        if (a->trace.scale != 1.0)
            return refuse(scn, d, "arrivals.trace.scale",
                          "a volume scale other than 1");
    } else if (a->process.kind != PROC_POISSON &&
               a->process.kind != PROC_BATCHES) {
        return refuse(scn, d, "arrivals.process.kind",
                      "a process other than poisson or batches");
    } else if (a->process.kind == PROC_BATCHES &&
               a->process.spread_us > a->process.every_us) {
        const struct scn_loc *l = scn_loc(scn, "arrivals.process.spread");
        return diag_set(d, SIM_ERANGE, l ? l->file : scn->file,
                        l ? l->line : 0, l ? l->col : 0,
                        "arrivals.process.spread: expected at most `every` "
                        "(%g s), got %g s: batches must not overlap",
                        sim_to_s(a->process.every_us),
                        sim_to_s(a->process.spread_us));
    }

    const struct scn_downstream *ds = &scn->downstream;
    if (ds->concurrency != 0)
        return refuse(scn, d, "downstream.concurrency",
                      "a downstream concurrency limit");
    if (ds->rate_per_s != 0.0)
        return refuse(scn, d, "downstream.rate", "a downstream rate limit");

    if (scn->cost.plan != PLAN_CONSUMPTION)
        return refuse(scn, d, "cost.plan", "the dedicated plan");
    if (scn->cost.free_grant)
        return refuse(scn, d, "cost.free_grant", "the free grant");
    if (scn->baseline.present)
        return refuse(scn, d, "baseline", "the always-on baseline");
    return SIM_OK;
}
