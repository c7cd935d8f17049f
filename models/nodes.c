/* models/nodes.c - Dedicated plan node pool (see nodes.h). Sizes are small
 * (max_nodes entries), so placement is a linear first-fit scan. Waiting
 * replicas form an rp_fifo (models/execution.h). */
#include "models/nodes.h"


#include <stdlib.h>
#include <string.h>

int64_t nodes_per_node(const struct scenario *scn)
{
    const struct scn_dedicated *d = &scn->cost.dedicated;
    double by_cpu = floor(d->node_vcpu / scn->job.cpu + 1e-9);
    double by_mem = floor(d->node_gib / scn->job.memory_gib + 1e-9);
    double k = by_cpu < by_mem ? by_cpu : by_mem;
    return k < 0 ? 0 : (int64_t)k;
}

int nodes_init(struct nodes *n, const struct scenario *scn,
               const struct nodes_env *env)
{
    memset(n, 0, sizeof *n);
    n->env = *env;
    id_fifo_init(&n->wait);
    if (scn->cost.plan != PLAN_DEDICATED)
        return SIM_OK;
    n->on = true;
    n->per_node = nodes_per_node(scn);
    n->min_nodes = scn->cost.dedicated.min_nodes;
    n->max_nodes = scn->cost.dedicated.max_nodes;
    n->load = malloc((size_t)(n->max_nodes > 0 ? n->max_nodes : 1) *
                     sizeof *n->load);
    if (n->load == NULL)
        return SIM_ENOMEM;
    for (int64_t i = 0; i < n->max_nodes; i++)
        n->load[i] = i < n->min_nodes ? 0 : -1;
    n->n_nodes = n->min_nodes;
    n->peak = n->n_nodes;
    return SIM_OK;
}

void nodes_fini(struct nodes *n)
{
    free(n->load);
    n->load = NULL;
    id_fifo_fini(&n->wait);
}

/* The node count changes now: integrate the old count up to now. */
static void account(struct nodes *n, sim_time now)
{
    n->node_us += (double)n->n_nodes * (double)(now - n->last);
    n->last = now;
}

/* First node with room, adding one if allowed; -1 if none. */
static int64_t find_room(struct nodes *n, sim_time now)
{
    for (int64_t i = 0; i < n->max_nodes; i++)
        if (n->load[i] >= 0 && n->load[i] < n->per_node)
            return i;
    for (int64_t i = 0; i < n->max_nodes; i++) {
        if (n->load[i] < 0) {
            account(n, now);
            n->load[i] = 0;
            n->n_nodes++;
            if (n->n_nodes > n->peak)
                n->peak = n->n_nodes;
            return i;
        }
    }
    return -1;
}

int64_t nodes_place(struct nodes *n, uint32_t who)
{
    int64_t i = id_fifo_len(&n->wait) == 0 ? find_room(n, n->env.eng->now) : -1;
    if (i >= 0) {
        n->load[i]++;
        return i;
    }
    SIM_ASSERT(id_fifo_push(&n->wait, who) == SIM_OK); /* out of memory */
    return -1;
}

void nodes_leave(struct nodes *n, uint32_t who, int64_t node)
{
    if (node < 0) { /* was waiting */
        id_fifo_remove(&n->wait, who);
        return;
    }
    n->load[node]--;
    /* Hand the room to the first waiting replica, if any. */
    if (id_fifo_len(&n->wait) > 0) {
        uint32_t w = id_fifo_pop(&n->wait);
        n->load[node]++;
        n->env.placed(n->env.ctx, w, node);
        return;
    }
    if (n->load[node] == 0 && n->n_nodes > n->min_nodes) {
        account(n, n->env.eng->now);
        n->load[node] = -1;
        n->n_nodes--;
    }
}

double nodes_seconds(const struct nodes *n, sim_time end)
{
    double until = (double)n->n_nodes * (double)(end - n->last);
    return (n->node_us + until) * 1e-6;
}
