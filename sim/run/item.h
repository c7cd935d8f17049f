/* sim/run/item.h - one item of a plan: configuration c, replication r
 * (item = c * n_rep + r) simulated into its result slot, with its part
 * files (timeseries of replication 0, executions) streamed when the
 * scenario asks for them.
 * Owns:    the part writers and the simulation state live for the call
 *          only; the result goes to p->res[item], p->have[item] = 1.
 * Errors:  d set on failure (the item's own diag; p->have[item] stays 0).
 * Threads: one item per thread at a time; items share nothing but the
 *          read-only plan and write disjoint slots. */
#ifndef SIM_ITEM_H
#define SIM_ITEM_H

#include "sim/run/plan.h"

/* Simulate item `item` of plan p. Part files go under "<tmp>/parts/" when
 * tmp is not NULL. progress (may be NULL) is told, with ctx, how far the
 * replication is (0..1 of its horizon in simulated time) while it runs. */
void runner_item_run(struct runner_plan *p, const char *tmp, size_t item,
                     void (*progress)(void *ctx, double fraction), void *ctx,
                     struct diag *d);

#endif
