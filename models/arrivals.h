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
 * Owns:    struct arrivals is owned by the world and owns its items
 *          (trace readers, per-item generators).
 * Errors:  trace errors (unsorted, unparsable, overlapping count rows)
 *          surface from arr_on_event() as negative SIM_E* codes with a diag
 *          "file:LINE[:COL]: error: ...".
 * Files:   a model reads no file: a trace item reads its rows from an
 *          arrival feed the program supplies (struct arrival_feed; the
 *          CSV reader is sim/io/trace_feed.c).
 * Threads: no globals; each replication re-opens (re-reads) its traces. */
#ifndef MODELS_ARRIVALS_H
#define MODELS_ARRIVALS_H

#include "sim/engine/common.h"
#include "sim/engine/engine.h"
#include "sim/engine/stream.h"
#include "models/scenario.h"
#include "models/source.h"

#include <gsl/gsl_rng.h>

/* Where trace items get their rows: implemented by the program (the CSV
 * reader), or by a test. Each function returns 1 with a row, 0 at the end,
 * or a negative SIM_E* with d set ("file:line: ..."). */
struct arrival_feed {
    /* Open the trace of arrivals item `item` of scn (its scn_trace, path
     * resolved); *reader receives the reader. Errors name the key. */
    int (*open)(void *ctx, const struct scenario *scn, size_t item,
                void **reader, struct diag *d);
    /* format events: the next row's time (us since time zero) and its
     * duration_column value (s, NAN when none). */
    int (*next_event)(void *reader, sim_time *t_us, double *duration_s,
                      struct diag *d);
    /* formats counts / counts_wide: the next row's interval start (us since
     * time zero) and its count (>= 0). */
    int (*next_count)(void *reader, sim_time *start_us, int64_t *count,
                      struct diag *d);
    /* The file line of the row last returned, and the trace's path. */
    int64_t (*last_line)(const void *reader);
    const char *(*path)(const void *reader);
    /* Close the reader (not NULL). */
    void (*close)(void *reader);
    void *ctx;
};

/* The state of one arrivals item. Invariant: when has_next, next_t is the
 * item's pending arrival time. */
struct arr_item {
    const struct scn_arrival_item *cfg; /* borrowed from the scenario */
    gsl_rng *rng;            /* ST_ARRIVALS (item 0, borrowed) or owned */
    bool rng_owned;
    bool has_next;           /* a pending arrival exists */
    sim_time next_t;         /* us */
    double next_dur;         /* duration_column value (s) or NAN */
    sim_time last_t;         /* latest time produced by this item, us */
    /* trace */
    void *reader;            /* the feed's reader, NULL = none open */
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

/* What the arrivals use and whom they tell; every pointer is borrowed. */
struct arrivals_env {
    struct engine *eng;
    const struct scenario *scn;
    struct source *src;           /* every arrival is put here */
    const struct streams *st;     /* ST_ARRIVALS (item 0) and the seeds of
                                     the other items' own generators */
    const struct arrival_feed *feed; /* NULL: trace items are refused */
    /* The horizon is known (given, or the arrivals are over): horizon us. */
    void (*horizon_known)(void *ctx, sim_time horizon);
    /* Every arrival is in (called after horizon_known). */
    void (*exhausted)(void *ctx);
    void *ctx;
};

struct arrivals {
    struct arrivals_env env;
    struct arr_item *items;  /* [n_items], owned */
    size_t n_items;          /* scenario n_arrivals */
    size_t cur;              /* item of the scheduled EV_ARRIVAL */
    bool exhausted;          /* no more arrivals */
    bool horizon_known;      /* horizon given, or trace exhausted */
    sim_time horizon;        /* us, valid when horizon_known */
    sim_time last;           /* time of the latest arrival, -1 = none */
    int64_t count;           /* arrivals so far */
    /* Optional observer, NULL in runs: tests and tools set it after
     * world_init() to see every arrival (time us, duration s or NAN) as it
     * enters the source. */
    void (*observe)(void *ctx, sim_time t_us, double duration_s);
    void *observe_ctx;
};

/* Open the traces, prepare the processes and schedule the first arrival.
 * Returns 0 or a negative SIM_E* with d set (a trace cannot be opened, a
 * trace item without a feed, out of memory). Call arr_fini() in every
 * case. */
int arr_init(struct arrivals *a, const struct arrivals_env *env,
             struct diag *d);

/* Engine handler of EV_ARRIVAL: the earliest pending arrival enters the
 * source, its item draws its next one, the next EV_ARRIVAL is scheduled.
 * model is the arrivals. Returns 0 or a negative SIM_E* (a trace row that
 * is unsorted or unparsable, out of memory). */
int arr_on_event(void *model, const struct event *ev, struct diag *d);

/* Close the traces and free the items; safe twice and on a zeroed struct. */
void arr_fini(struct arrivals *a);

/* The seed of item i's own generator (i >= 1) in replication rep under
 * master seed master (splitmix64 of the three; never 0). */
unsigned long arr_item_seed(uint32_t master, uint32_t rep, size_t item);

#endif
