/* models/cost.c - Consumption-plan pricing of one replication (see
 * cost.h). */
#include "models/cost.h"


void cost_init(struct cost_meter *c, const struct scenario *scn)
{
    c->scn = scn;
    c->replica_us = 0;
}

sim_time cost_bill_replica(struct cost_meter *m, sim_time raw_us)
{
    sim_time g = m->scn->cost.billing_granularity_us;
    sim_time billed = raw_us < 0 ? 0 : raw_us;
    if (g > 1)
        billed = (billed + g - 1) / g * g;
    m->replica_us += billed;
    return billed;
}

double cost_grant_share(const struct scenario *scn, sim_time arrival_us)
{
    const struct scn_cost *c = &scn->cost;
    if (!c->free_grant || c->plan != PLAN_CONSUMPTION || c->month_us <= 0)
        return 0.0;
    return (double)arrival_us / (double)c->month_us;
}

double cost_ops_usd(const struct scenario *scn, double ops,
                    sim_time arrival_us)
{
    const struct scn_cost *c = &scn->cost;
    double billed = ops;
    if (!c->has_ops_price && scn->source.kind == SRC_SERVICE_BUS &&
        c->month_us > 0) {
        /* Service Bus Standard: the first 13 M operations of each month
         * are included (docs/model.md 8.2), prorated to the arrival span. */
        double share = (double)arrival_us / (double)c->month_us;
        billed = fmax(0.0, ops - COST_SB_INCLUDED_OPS * share);
    }
    return billed / 10000.0 * c->ops_price_per_10k;
}

void cost_finish(const struct cost_meter *m, const struct metrics *met,
                 const struct nodes *nodes, sim_time span_us,
                 sim_time arrival_us, int64_t polls, struct rep_result *out)
{
    const struct scn_cost *c = &m->scn->cost;
    const struct scn_job *j = &m->scn->job;
    double vcpu_s, gib_s, compute, mgmt = 0.0;
    if (c->plan == PLAN_DEDICATED) {
        /* Nodes are billed, not replicas (workload-profiles-overview.md):
         * node-hours at the per-vCPU and per-GiB hourly rates plus the
         * management fee for the whole span. */
        const struct scn_dedicated *d = &c->dedicated;
        double node_s = nodes_seconds(nodes, span_us);
        vcpu_s = node_s * d->node_vcpu;
        gib_s = node_s * d->node_gib;
        mgmt = d->management_hour * sim_to_s(span_us) / 3600.0;
        compute = (vcpu_s * d->vcpu_hour + gib_s * d->gib_hour) / 3600.0 +
                  mgmt;
    } else {
        double replica_s = sim_to_s(m->replica_us);
        vcpu_s = replica_s * j->cpu;
        gib_s = replica_s * j->memory_gib;
        double bill_vcpu = vcpu_s, bill_gib = gib_s;
        double share = cost_grant_share(m->scn, arrival_us);
        if (share > 0.0) {
            /* The monthly grant (180,000 vCPU-s, 360,000 GiB-s per
             * subscription, billing.md), prorated to the arrival span:
             * the span whose traffic cost_per_month_usd repeats. */
            bill_vcpu = fmax(0.0, vcpu_s - COST_GRANT_VCPU_S * share);
            bill_gib = fmax(0.0, gib_s - COST_GRANT_GIB_S * share);
        }
        compute = bill_vcpu * c->vcpu_second + bill_gib * c->gib_second;
    }
    double ops = (double)polls * (double)m->scn->scale.n_rules *
                     c->scaler_ops_per_poll +
                 (double)met->messages * c->message_ops;
    double ops_cost = cost_ops_usd(m->scn, ops, arrival_us);
    double log_cost = (double)met->executions * c->log_bytes_per_execution /
                      1e9 * c->log_price_per_gb;
    double total = compute + ops_cost + log_cost;
    out->m[RM_vcpu_seconds] = vcpu_s;
    out->m[RM_gib_seconds] = gib_s;
    out->m[RM_compute_cost_usd] = compute;
    out->m[RM_ops_cost_usd] = ops_cost;
    out->m[RM_log_cost_usd] = log_cost;
    out->m[RM_cost_usd] = total;
    /* The month repeats the arrival span's traffic: usage scales by
     * month / horizon; the Dedicated management fee is a time charge, so
     * a month pays it for the month, not for the drain time scaled up. */
    double fee_month = c->plan == PLAN_DEDICATED
                           ? c->dedicated.management_hour *
                                 sim_to_s(c->month_us) / 3600.0
                           : 0.0;
    out->m[RM_cost_per_month_usd] =
        arrival_us > 0 ? (total - mgmt) * (double)c->month_us /
                                 (double)arrival_us +
                             fee_month
                       : (double)NAN;
}
