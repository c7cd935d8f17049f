/* sim/run/pool.h - the items of a plan (or of one shard of it) simulated
 * on a pool of threads, with a progress bar on stderr.
 * Determinism: items are handed out in item order; each writes only its
 * own result slot and part files, and the error reported is the first in
 * item order (not in time order), so results and failures are identical
 * for any thread count.
 * Owns:    nothing beyond the call; threads are joined before it returns.
 * Errors:  0 or a negative SIM_E* with d set.
 * Threads: starts and joins its own threads; no globals. */
#ifndef SIM_POOL_H
#define SIM_POOL_H

#include "sim/run/plan.h"

/* Simulate the items of shard (shard_index of shard_count; count 0 or 1 =
 * every item; item i belongs to shard (i mod count) + 1) on `threads`
 * threads. Part files (timeseries of replication 0, executions) are
 * streamed under "<tmp>/parts/" when tmp is not NULL. progress draws a bar
 * with an ETA on stderr. Returns 0 or the error of the first failed item
 * in item order (negative SIM_E*, d set). */
int runner_plan_simulate(struct runner_plan *p, const char *tmp,
                         int threads, uint32_t shard_index,
                         uint32_t shard_count, bool progress,
                         struct diag *d);

#endif
