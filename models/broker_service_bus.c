/* models/broker_service_bus.c - the Azure Service Bus queue broker kind
 * (`source.kind: service-bus`), read by KEDA's `azure-servicebus` trigger.
 *
 * Source: kedacore/keda pkg/scalers/azure_servicebus_scaler.go (main after
 * v2.20.2), keda-docs content/docs/2.21/scalers/azure-service-bus.md;
 * Microsoft Learn "Message transfers, locks, and settlement" (peek-lock,
 * LockDuration: default 1 min, at most 5 min) and the
 * QueueRuntimeProperties.ActiveMessageCount reference.
 *
 * A received (peek-locked) message stays locked for the queue's
 * LockDuration (`source.lock_duration`). The trigger reads
 * ActiveMessageCount, which includes locked (in-flight) messages: there is
 * no count of unlocked messages only. */
#include "models/broker.h"
#include "models/scenario.h"

static sim_time visibility_us(const struct scn_source *cfg)
{
    return cfg->lock_duration_us;
}

static int64_t metric(const struct count_snap *c, const struct scn_rule *r)
{
    (void)r; /* azure-servicebus has no queueLengthStrategy */
    return c->visible + c->in_flight;
}

const struct broker_type broker_service_bus = {
    .name = "service-bus",
    .rule_type = "azure-servicebus",
    .source = "kedacore/keda pkg/scalers/azure_servicebus_scaler.go (main "
              "after v2.20.2); Microsoft Learn Service Bus: Message "
              "transfers, locks, and settlement (peek-lock, LockDuration), "
              "QueueRuntimeProperties.ActiveMessageCount",
    .visibility_us = visibility_us,
    .metric = metric,
};
