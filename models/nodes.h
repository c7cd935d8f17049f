/* models/nodes.h - the Dedicated plan: workload-profile nodes on which the
 * replicas must be placed (docs/model.md 7). Every replica needs job.cpu vCPU
 * and job.memory GiB; a node of node_vcpu / node_gib holds
 * floor(min(node_vcpu / cpu, node_gib / memory)) of them. A new replica
 * goes to the first node with room (first fit); when none has room a node
 * is added, up to max_nodes; beyond that the replica waits (Pending, not
 * yet starting) until one leaves. A node left empty is removed, down to
 * min_nodes. Nodes appear and disappear instantly (provisioning time is
 * not modelled) and replicas are never moved between nodes, so a
 * fragmented cluster can hold more nodes than ceil(replicas / per node).
 * Billing: node-seconds x (node_vcpu x vcpu_hour + node_gib x gib_hour) /
 * 3600, plus management_hour per hour of the simulated span.
 * Units:   sim_time us.
 * Owns:    struct nodes is owned by the world and owns its arrays
 *          (max_nodes counts).
 * Threads: no globals. */
#ifndef MODELS_NODES_H
#define MODELS_NODES_H

#include "sim/engine/common.h"
#include "sim/engine/engine.h"
#include "sim/engine/pool.h"
#include "models/scenario.h"

/* What the node pool uses and whom it tells; pointers borrowed. */
struct nodes_env {
    struct engine *eng;
    /* Replica `who`, which was waiting for room, was placed on `node` now. */
    void (*placed)(void *ctx, uint32_t who, int64_t node);
    void *ctx;
};

struct nodes {
    struct nodes_env env;
    bool on;                  /* cost.plan: dedicated */
    int64_t per_node;         /* replicas per node, >= 1 */
    int64_t min_nodes, max_nodes;
    int64_t *load;            /* replicas on node i; -1 = node absent */
    int64_t n_nodes;          /* nodes present */
    int64_t peak;             /* most nodes at once */
    sim_time last;            /* time of the last change, us */
    double node_us;           /* integral of n_nodes over time, node-us */
    struct id_fifo wait;         /* replicas waiting for room (owned) */
};

/* Replicas of job.cpu / job.memory per node of the dedicated profile (0 when
 * one does not fit on a node). */
int64_t nodes_per_node(const struct scenario *scn);

/* Set up: min_nodes nodes present at t = 0 (nothing when the plan is not
 * dedicated: then `on` is false and nothing else may be called but
 * nodes_fini()). Returns 0 or SIM_ENOMEM. */
int nodes_init(struct nodes *n, const struct scenario *scn,
               const struct nodes_env *env);
void nodes_fini(struct nodes *n);

/* Place replica `who` now. Returns the node index, or -1 when it must wait
 * (env.placed is called when room frees up). */
int64_t nodes_place(struct nodes *n, uint32_t who);

/* Replica `who` left node `node` (>= 0), or gave up waiting (node -1). */
void nodes_leave(struct nodes *n, uint32_t who, int64_t node);

/* Node-seconds up to `end` (us). */
double nodes_seconds(const struct nodes *n, sim_time end);

#endif
