/* models/cost.h - what a replication costs on the ACA Consumption plan.
 * Meters (docs/model.md 8.1, 8.2): replicas are billed per second for the
 * vCPU and GiB allocated while they exist (jobs always pay the active rate),
 * each replica's billed time rounded up to cost.billing_granularity; broker
 * operations (scaler_ops_per_poll per rule per poll, message_ops per
 * message) priced per 10,000; Log Analytics ingestion per execution.
 * Usage accrues as integer replica-microseconds and is priced only at the
 * end (cost_finish), so the totals do not depend on event order.
 * Units:   sim_time us; USD.
 * Owns:    struct cost_meter is owned by the world; it borrows the scenario.
 * Threads: no globals. */
#ifndef MODELS_COST_H
#define MODELS_COST_H

#include "sim/engine/common.h"
#include "models/metrics.h"
#include "models/nodes.h"
#include "models/result.h"
#include "models/scenario.h"

struct cost_meter {
    const struct scenario *scn; /* borrowed: cost, job, scale sections */
    int64_t replica_us;      /* billed replica time, after rounding, us */
};

/* A meter at zero for scenario scn. */
void cost_init(struct cost_meter *c, const struct scenario *scn);

/* Round a replica's raw billed time (us, >= 0) up to the billing
 * granularity, add it to the meter and return the rounded value. */
sim_time cost_bill_replica(struct cost_meter *c, sim_time raw_us);

/* Price the meters into out. Consumption: vcpu_seconds and gib_seconds are
 * billed replica time x job.cpu / job.memory; with cost.free_grant the
 * monthly grant (180,000 vCPU-s and 360,000 GiB-s) prorated to span_us /
 * cost.month is subtracted before pricing. Dedicated: node-seconds x node
 * size (vcpu_seconds, gib_seconds) at the hourly rates, plus
 * management_hour over the span (models/nodes.h). Fills vcpu_seconds,
 * gib_seconds, compute_cost_usd,
 * ops_cost_usd, log_cost_usd, cost_usd, and cost_per_month_usd = cost_usd
 * scaled from the simulated span (span_us, > 0) to cost.month. polls is the
 * number of KEDA polls over the span.
 * The message and execution counts come from met, node-seconds from
 * nodes (read only when the plan is dedicated). */
void cost_finish(const struct cost_meter *c, const struct metrics *met,
                 const struct nodes *nodes, sim_time span_us, int64_t polls,
                 struct rep_result *out);

#endif
