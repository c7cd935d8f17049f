/* models/arrivals.h - where messages come from: a recorded trace replayed
 * row by row (streamed: one row is read ahead, so memory does not grow with
 * the trace) or a synthetic process: Poisson, or batches (a burst of `size`
 * messages every `every` from `offset`, spread uniformly over `spread`). Produces one EV_ARRIVAL at a
 * time; each arrival puts one message into the source and schedules the
 * next.
 * Horizon: arrivals stop at scenario `horizon` (an arrival exactly at the
 *          horizon is included); without one (traces only) the horizon is
 *          the last arrival's time, known when the trace is exhausted.
 * Units:   sim_time us.
 * Owns:    struct arrivals is embedded in struct sim and owns its trace
 *          reader.
 * Errors:  trace errors (unsorted, unparsable rows) surface from
 *          arr_on_event() as negative SIM_E* codes with a diag.
 * Threads: no globals; each replication re-opens the trace. */
#ifndef MODELS_ARRIVALS_H
#define MODELS_ARRIVALS_H

#include "sim/common.h"
#include "sim/scenario.h"
#include "sim/trace.h"

struct sim;
struct event;

struct arrivals {
    const struct scn_arrival_item *item; /* borrowed from the scenario */
    struct trace_reader tr;
    bool trace_open;
    bool exhausted;          /* no more arrivals */
    bool horizon_known;      /* horizon given, or trace exhausted */
    sim_time horizon;        /* us, valid when horizon_known */
    sim_time last;           /* time of the latest arrival, -1 = none */
    double next_duration_s;  /* duration_column of the scheduled arrival */
    /* batches process */
    int64_t batch;           /* index of the current batch */
    sim_time batch_start;    /* us */
    int64_t batch_left;      /* arrivals still to come in this batch */
    double batch_u;          /* last uniform order statistic drawn, [0, 1] */
};

/* Open the trace (if any) and schedule the first arrival. Returns 0 or a
 * negative SIM_E* with d set (cannot open, missing column, empty trace). */
int arr_init(struct sim *s, struct diag *d);

/* Handle EV_ARRIVAL: the message arrives, the next one is scheduled.
 * Returns 0 or a negative SIM_E* with d set (bad trace row). */
int arr_on_event(struct sim *s, const struct event *ev, struct diag *d);

void arr_fini(struct arrivals *a);

#endif
