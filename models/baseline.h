/* models/baseline.h - the always-on worker a job would replace: `replicas`
 * workers that run for the whole span with no start-up, each receiving and
 * processing one message at a time from the same source, on the same
 * arrivals and the same per-message processing times as the job (common
 * random numbers: a message's duration is drawn once, at its arrival). A
 * worker whose processing fails lets the message go (not deleted) and goes
 * on. The downstream limit and the scaler do not apply to it.
 * Cost: each worker is billed for the whole span, at the active rate
 * (cpu x vcpu_second + memory x gib_second) while processing and at the ACA
 * idle rate (cpu x idle_vcpu_second + memory x gib_second, docs/model.md 9)
 * otherwise, less the free grant when cost.free_grant is on, plus the
 * broker operations of its messages.
 * Units:   sim_time us; USD.
 * Owns:    struct baseline is owned by the world and owns the worker
 *          array (baseline.replicas entries).
 * Wiring:  it receives from, completes on and releases to the source; the
 *          world registers its handlers for EV_CLAIM and EV_WORK_DONE in
 *          place of the job's, and sends it the source's message-available
 *          notification.
 * Threads: no globals. */
#ifndef MODELS_BASELINE_H
#define MODELS_BASELINE_H

#include "sim/engine/common.h"
#include "sim/engine/engine.h"
#include "sim/engine/pool.h"
#include "models/metrics.h"
#include "models/scenario.h"
#include "models/source.h"

#include <gsl/gsl_rng.h>

struct worker {
    bool busy;
    bool receive_scheduled;   /* an EV_CLAIM is pending */
    uint32_t slot, receipt;   /* the message being processed */
    int64_t id;
    sim_time arrival, started;
};

/* What the baseline uses; every pointer is borrowed. */
struct base_env {
    struct engine *eng;
    const struct scenario *scn;  /* baseline, job and cost sections */
    struct source *src;
    struct metrics *met;
    gsl_rng *failure_rng;        /* the ST_FAILURE stream */
};

struct baseline {
    struct base_env env;
    struct worker *w;         /* owned */
    uint32_t n;
    struct id_fifo idle;         /* idle workers, in the order they went idle */
    sim_time busy_us;         /* total processing time of all workers */
};

/* Start the workers (all idle, waiting for a message) at t = 0. Returns 0
 * or SIM_ENOMEM. */
int base_init(struct baseline *b, const struct base_env *env);
void base_fini(struct baseline *b);

/* A message became visible now: send the first idle worker to take it. */
void base_message_available(struct baseline *b);

/* Engine handler of EV_CLAIM and EV_WORK_DONE of a worker (target = worker
 * index); model is the baseline. */
int base_on_event(void *model, const struct event *ev, struct diag *d);

/* The baseline's cost over [0, span_us], USD, for arrivals spanning
 * arrival_us: with cost.free_grant (Consumption) the grant prorated to
 * arrival_us / cost.month is subtracted, the whole share, as for the job
 * (cost_grant_share: the two are alternatives); vCPU-seconds at the
 * active rate take the grant first, then those at the idle rate. Broker
 * operations are priced as the job's (cost_ops_usd). */
double base_cost(const struct baseline *b, sim_time span_us,
                 sim_time arrival_us);

#endif
