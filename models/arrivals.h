/* models/arrivals.h - where messages come from. Each item of the scenario's
 * `arrivals` (one, or a list that is superposed) is either a recorded trace
 * replayed row by row or a synthetic process:
 *   trace   events (one row per message, optional duration_column), counts
 *           (one row per interval with a count, spread uniform | poisson |
 *           start within the interval) or counts_wide (Azure Functions 2019
 *           layout, rows filtered and summed per column); then the window
 *           (start/end), speedup and scale (thinning below 1, jittered
 *           copies above 1) are applied, in that order;
 *   process poisson, piecewise (non-homogeneous Poisson, exact by time
 *           change), diurnal (sinusoidal rate, by thinning), mmpp (Markov-
 *           modulated Poisson, cyclic state order), batches.
 * Streaming: every item holds one pending arrival (and a trace item with
 *          scale > 1 one more, to know the gap to the next); the model
 *          schedules a single EV_ARRIVAL at the earliest pending time of all
 *          items (ties: the item listed first). Memory is constant in the
 *          trace length: a trace is read as the simulation advances and
 *          counts are expanded one arrival at a time (sorted uniform times
 *          are drawn as order statistics); counts_wide keeps one sum per
 *          column.
 * Horizon: arrivals stop at scenario `horizon` (an arrival exactly at the
 *          horizon is included); without one (traces only) the horizon is
 *          the last arrival's time, known when every item is exhausted.
 * Random:  item 0 draws from stream ST_ARRIVALS (so a single-item scenario
 *          gives the same arrivals as before lists existed); item i >= 1
 *          owns an mt19937 seeded from (seed, replication, i) only (see
 *          arr_item_seed), so configurations still share arrivals.
 * Units:   sim_time us; rates per second; process clocks in double seconds,
 *          rounded to us when an arrival is scheduled.
 * Owns:    struct arrivals is embedded in struct sim and owns its items
 *          (trace readers, per-item generators).
 * Errors:  trace errors (unsorted, unparsable, overlapping count rows)
 *          surface from arr_on_event() as negative SIM_E* codes with a diag
 *          "file:LINE[:COL]: error: ...".
 * Threads: no globals; each replication re-opens (re-reads) its traces. */
#ifndef MODELS_ARRIVALS_H
#define MODELS_ARRIVALS_H

#include "sim/engine/common.h"
#include "models/scenario.h"
#include "sim/io/trace.h"

#include <gsl/gsl_rng.h>

struct sim;
struct event;

/* The state of one arrivals item. Invariant: when has_next, next_t is the
 * item's next arrival (us, >= every arrival it produced before, and within
 * the horizon when the horizon is known). */
struct arr_item {
    const struct scn_arrival_item *cfg; /* borrowed from the scenario */
    gsl_rng *rng;            /* ST_ARRIVALS (item 0, borrowed) or owned */
    bool rng_owned;
    bool has_next;           /* a pending arrival exists */
    sim_time next_t;         /* us */
    double next_dur;         /* duration_column value (s) or NAN */
    sim_time last_t;         /* latest time produced by this item, us */
    /* trace */
    struct trace_reader tr;
    bool trace_open;
    /* counts expansion: the current interval and one row read ahead */
    bool row_ahead;          /* row_t/row_c/row_line hold an unused row */
    sim_time row_t;          /* us since time zero */
    int64_t row_c, row_line;
    sim_time iv_start;       /* current interval start, us */
    int64_t iv_left;         /* uniform/start: arrivals still to come */
    double iv_u;             /* uniform: last order statistic, [0, 1) */
    bool iv_poisson;         /* poisson: inside an interval */
    double iv_rate;          /* poisson: arrivals per us */
    double iv_pos;           /* poisson: offset in the interval, us */
    /* scale > 1: the arrival after the base, and copies of the base */
    bool la_valid;
    sim_time la_t;
    double la_dur;
    sim_time base_t;         /* us */
    double base_dur;
    sim_time gap;            /* la_t - base_t, 0 for the last arrival */
    int64_t copies_left;
    double copy_u;           /* last order statistic, [0, 1) */
    /* processes */
    double pt_s;             /* process clock, s */
    size_t state;            /* mmpp: current state */
    double sojourn_end_s;    /* mmpp: when the current state ends, s */
    int64_t batch;           /* batches: index of the next batch */
    sim_time batch_start;    /* us */
    int64_t batch_left;      /* arrivals still to come in this batch */
    double batch_u;          /* last uniform order statistic, [0, 1] */
};

struct arrivals {
    struct arr_item *items;  /* [n_items], owned */
    size_t n_items;          /* scenario n_arrivals */
    size_t cur;              /* item of the scheduled EV_ARRIVAL */
    bool exhausted;          /* no more arrivals */
    bool horizon_known;      /* horizon given, or trace exhausted */
    sim_time horizon;        /* us, valid when horizon_known */
    sim_time last;           /* time of the latest arrival, -1 = none */
    int64_t count;           /* arrivals so far */
    /* Optional observer, NULL in runs: tests and tools set it after
     * sim_init() to see every arrival (time us, duration s or NAN) as it
     * enters the source. */
    void (*observe)(void *ctx, sim_time t_us, double duration_s);
    void *observe_ctx;
};

/* Open the traces, prepare the processes and schedule the first arrival.
 * Returns 0 or a negative SIM_E* with d set (cannot open a trace, missing
 * column, empty trace, out of memory). Call arr_fini() in every case. */
int arr_init(struct sim *s, struct diag *d);

/* Handle EV_ARRIVAL: the earliest pending arrival enters the source, its
 * item draws its next one, and the earliest of all is scheduled. Returns 0
 * or a negative SIM_E* with d set (bad trace row). */
int arr_on_event(struct sim *s, const struct event *ev, struct diag *d);

/* Close the traces and free the items; safe twice and on a zeroed struct. */
void arr_fini(struct arrivals *a);

/* The seed of item i's own generator (i >= 1) in replication rep under
 * master seed master: splitmix64 of (master, rep, i), mapped to
 * 1..2^32-1. Distinct inputs give distinct seeds except with probability
 * about 2^-32 per pair (a hash, unlike stream_seed's affine map). */
unsigned long arr_item_seed(uint32_t master, uint32_t rep, size_t item);

#endif
