/* models/cost.h - what a replication costs on the ACA Consumption plan.
 * Meters (docs/model.md 8.1, 8.2): replicas are billed per second for the
 * vCPU and GiB allocated while they exist (jobs always pay the active rate),
 * each replica's billed time rounded up to cost.billing_granularity; broker
 * operations (scaler_ops_per_poll per rule per poll, message_ops per
 * message) priced per 10,000 (cost_ops_usd); Log Analytics ingestion per execution.
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

/* The Consumption plan's monthly free grant per subscription (billing.md). */
#define COST_GRANT_VCPU_S 180000.0
#define COST_GRANT_GIB_S 360000.0
/* Operations included each month in the Service Bus Standard tier
 * (the Service Bus pricing page's tier structure with the USD figures of
 * the Azure Retail Prices API; docs/model.md 8.2). */
#define COST_SB_INCLUDED_OPS 13e6

/* A meter at zero for scenario scn. */
void cost_init(struct cost_meter *c, const struct scenario *scn);

/* Round a replica's raw billed time (us, >= 0) up to the billing
 * granularity, add it to the meter and return the rounded value. */
sim_time cost_bill_replica(struct cost_meter *c, sim_time raw_us);

/* The fraction of the monthly free grant that applies to a run whose
 * arrivals span arrival_us: arrival_us / cost.month with cost.free_grant
 * on the Consumption plan, else 0. The job and the baseline each get this
 * whole share (they are alternatives, never billed together). */
double cost_grant_share(const struct scenario *scn, sim_time arrival_us);

/* USD of `ops` broker operations of a run whose arrivals span arrival_us:
 * ops / 10,000 x cost.ops_price_per_10k. When ops_price_per_10k is not
 * written and source.kind is service-bus, the price is the Standard
 * tier's ($0.80 per million, set at load) and the tier's 13 M included
 * operations a month, prorated to arrival_us / cost.month, are free. */
double cost_ops_usd(const struct scenario *scn, double ops,
                    sim_time arrival_us);

/* Price the meters into out. Consumption: vcpu_seconds and gib_seconds are
 * billed replica time x job.cpu / job.memory; with cost.free_grant the
 * monthly grant (180,000 vCPU-s and 360,000 GiB-s) prorated to arrival_us
 * / cost.month is subtracted before pricing. Dedicated: node-seconds x
 * node size (vcpu_seconds, gib_seconds) at the hourly rates, plus
 * management_hour over span_us (models/nodes.h). Fills vcpu_seconds,
 * gib_seconds, compute_cost_usd, ops_cost_usd, log_cost_usd, cost_usd
 * (what the whole run, drain included, costs), and cost_per_month_usd =
 * cost_usd x cost.month / arrival_us: the run's traffic, which arrives
 * over arrival_us (the horizon), repeated for a month; NAN when
 * arrival_us is 0. span_us is max(horizon, end of the run); polls is the
 * number of KEDA polls over it.
 * The message and execution counts come from met, node-seconds from
 * nodes (read only when the plan is dedicated). */
void cost_finish(const struct cost_meter *c, const struct metrics *met,
                 const struct nodes *nodes, sim_time span_us,
                 sim_time arrival_us, int64_t polls, struct rep_result *out);

#endif
