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
 * Owns:    struct nodes is embedded in struct sim and owns its arrays
 *          (max_nodes counts).
 * Threads: no globals. */
#ifndef MODELS_NODES_H
#define MODELS_NODES_H

#include "sim/engine/common.h"
#include "models/scenario.h"
#include "models/execution.h"

struct sim;

struct nodes {
    bool on;                  /* cost.plan: dedicated */
    int64_t per_node;         /* replicas per node, >= 1 */
    int64_t min_nodes, max_nodes;
    int64_t *load;            /* replicas on node i; -1 = node absent */
    int64_t n_nodes;          /* nodes present */
    int64_t peak;             /* most nodes at once */
    sim_time last;            /* time of the last change, us */
    double node_us;           /* integral of n_nodes over time, node-us */
    struct rp_fifo wait;      /* replicas waiting for room */
};

/* Replicas of job.cpu / job.memory per node of the dedicated profile (0 when
 * a replica does not fit on a node). */
int64_t nodes_per_node(const struct scenario *scn);

/* Set up: min_nodes nodes present at t = 0. Returns 0 or SIM_ENOMEM. */
int nodes_init(struct nodes *n, const struct scenario *scn);
void nodes_fini(struct nodes *n);

/* Place replica r now. Returns the node index, or -1 when it must wait
 * (it is queued; exec_on_placed(s, r, node) is called once it is placed). */
int64_t nodes_place(struct sim *s, uint32_t r);

/* Replica r left node `node` (>= 0), or gave up waiting (node -1). */
void nodes_leave(struct sim *s, uint32_t r, int64_t node);

/* Node-seconds up to `end` (us). */
double nodes_seconds(const struct nodes *n, sim_time end);

#endif
