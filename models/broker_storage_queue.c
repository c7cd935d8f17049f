/* models/broker_storage_queue.c - the Azure Storage Queue broker kind
 * (`source.kind: storage-queue`), read by KEDA's `azure-queue` trigger.
 *
 * Source: kedacore/keda pkg/scalers/azure_queue_scaler.go (main after
 * v2.20.2; queueLengthStrategy since v2.15, keda#5875), keda-docs
 * content/docs/2.21/scalers/azure-storage-queue.md; Microsoft Learn, Azure
 * Storage Queues REST API "Get Messages" (visibilitytimeout), "Peek
 * Messages" (at most 32) and "Get Queue Metadata"
 * (x-ms-approximate-messages-count counts visible and invisible messages).
 *
 * A received message stays invisible for the queue client's
 * visibilitytimeout (`source.visibility_timeout`). The azure-queue trigger
 * reads ApproximateMessagesCount (visible + in flight) with
 * queueLengthStrategy `all`; with `visibleonly` it peeks 32 and reads the
 * visible count when fewer than 32 are visible, else falls back to
 * ApproximateMessagesCount. */
#include "models/broker.h"
#include "models/scenario.h"

/* Peek Messages returns at most this many visible messages. */
#define PEEK_MAX 32

static sim_time visibility_us(const struct scn_source *cfg)
{
    return cfg->visibility_timeout_us;
}

/* The loader accepts only azure-queue rules on a storage-queue source, so
 * r->type is RULE_AZURE_QUEUE here. */
static int64_t metric(const struct count_snap *c, const struct scn_rule *r)
{
    if (r->queue_length_strategy == QLS_VISIBLEONLY && c->visible < PEEK_MAX)
        return c->visible;
    return c->visible + c->in_flight;
}

const struct broker_type broker_storage_queue = {
    .name = "storage-queue",
    .rule_type = "azure-queue",
    .source = "kedacore/keda pkg/scalers/azure_queue_scaler.go (main after "
              "v2.20.2; queueLengthStrategy since v2.15); Microsoft Learn "
              "Azure Storage Queues REST API: Get Messages "
              "(visibilitytimeout), Peek Messages, Get Queue Metadata "
              "(ApproximateMessagesCount)",
    .visibility_us = visibility_us,
    .metric = metric,
};
