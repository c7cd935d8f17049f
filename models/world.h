/* models/world.h - one replication of the whole model: the single place
 * that knows every model. The world owns the engine, the random streams
 * and every model's state; it registers each event kind's {priority,
 * handler} with the engine (the job's handlers, or the always-on
 * baseline's), and wires the cross-model notifications as function
 * pointers: message available (source -> executions or baseline workers),
 * counts changed (source -> scaler), R or P changed (executions ->
 * scaler), replica admitted (downstream -> executions), replica placed
 * (nodes -> executions), horizon known and arrivals over (arrivals ->
 * engine end limit, scaler). No model writes another model's fields.
 *
 * Event order: the kind order of models/events.h.
 * Units:   sim_time microseconds; counts int64_t.
 * Owns:    struct world is caller-allocated; world_init()/world_fini(). It
 *          borrows the scenario (read-only, shared between threads), the
 *          sinks and the arrival feed.
 * Errors:  0 / negative SIM_E* with a struct diag.
 * Threads: no global mutable state, so replications and configurations run
 *          in parallel threads and give bit-identical results on any
 *          thread count. */
#ifndef MODELS_WORLD_H
#define MODELS_WORLD_H

#include "sim/engine/common.h"
#include "sim/engine/engine.h"
#include "sim/engine/stream.h"
#include "models/arrivals.h"
#include "models/baseline.h"
#include "models/cost.h"
#include "models/downstream.h"
#include "models/events.h"
#include "models/execution.h"
#include "models/metrics.h"
#include "models/nodes.h"
#include "models/result.h"
#include "models/scaler.h"
#include "models/scenario.h"
#include "models/source.h"

/* What the program gives a replication: where streamed rows go (any sink
 * may be NULL) and where trace items read their rows (NULL: a scenario
 * with a trace item is refused). */
struct world_io {
    void (*sample)(void *ctx, const struct ts_sample *s);
    void (*execution)(void *ctx, const struct exec_record *e);
    void *ctx;
    const struct arrival_feed *feed;
    int64_t backlog_limit;      /* 0: WORLD_BACKLOG_LIMIT; else the limit */
    /* Optional: how far the replication is, in simulated time over the
     * horizon (0..1), told every 65,536 events while the horizon is known. */
    void (*progress)(void *progress_ctx, double fraction);
    void *progress_ctx;
};

/* Messages in the system (visible + in flight) beyond which a replication
 * is unstable: it ends at once, marked `unstable` in its results, instead
 * of growing memory without bound (about 110 bytes a message: ~1.1 GB).
 * A configuration with an unstable replication never meets the SLOs. */
#define WORLD_BACKLOG_LIMIT INT64_C(10000000)

struct world {
    const struct scenario *scn; /* borrowed, read-only */
    struct engine eng;          /* owned: clock, event set, handler table */
    struct streams st;          /* owned */
    struct world_io io;
    bool stopping;              /* all work done: no new executions */
    bool unstable;              /* ended early: backlog > the limit */
    int64_t backlog_limit;      /* io.backlog_limit or WORLD_BACKLOG_LIMIT */

    struct arrivals arr;
    struct source src;
    struct scaler sc;
    struct executions ex;
    struct downstream down;
    struct nodes nodes;
    struct baseline base;
    struct cost_meter cost;
    struct metrics met;

    /* time series (io.sample): the open interval [win_start, win_end)
     * and its running sums; constant memory whatever the run's length */
    bool sampling;
    sim_time sample_interval;   /* us */
    sim_time win_start, win_end;/* us */
    sim_time seg_t;             /* us; the sums cover [win_start, seg_t) */
    double area[TS_COUNT];      /* integral of each level, level x us */
    int64_t max[TS_COUNT];      /* highest level of the interval so far */
    double rows;                /* intervals emitted */
};

/* Prepare replication rep of scenario scn (already validated): seed the
 * streams from (scn->seed, rep), wire the job's models, open the traces,
 * schedule the first arrival and the first poll. io may be NULL (no sinks,
 * no trace feed). Returns 0, or a negative SIM_E* with d set (a trace
 * cannot be opened). Call world_fini() in every case. */
int world_init(struct world *w, const struct scenario *scn, uint32_t rep,
               const struct world_io *io, struct diag *d);

/* Run the replication to its end: until every arrival is in and every
 * message is done and no execution is left, or horizon + drain_limit; then,
 * when the scenario has a baseline, simulate it on the same arrivals (same
 * replication seeds) and put its numbers beside the job's. Fills *out.
 * Returns 0 or a negative SIM_E* with d set (a trace row that is unsorted
 * or unparsable surfaces here). */
int world_run(struct world *w, struct rep_result *out, struct diag *d);

/* Process events up to and including time `until` (for tests); returns the
 * number of events processed or a negative SIM_E*. */
int64_t world_run_until(struct world *w, sim_time until, struct diag *d);

/* Free everything the replication owns; safe on a zeroed struct. */
void world_fini(struct world *w);

/* True when the run's work is complete: every arrival is in, the source is
 * empty and the scaler sees it empty (source.count_lag). Then no new
 * execution is created and the run ends when the last live execution
 * ends. */
bool world_work_done(struct world *w);

#endif
