/* models/execution.h - job executions and their replicas.
 *
 * An execution (a Kubernetes Job created by KEDA for the ACA job) runs
 * replicas (pods). It keeps min(parallelism, replica_completion_count -
 * succeeded) replicas active, as the Kubernetes Job controller does
 * (kubernetes pkg/controller/job, manageJob: wantActive), and ends:
 *   Succeeded  when replica_completion_count replicas succeeded;
 *   Failed     when more than replica_retry_limit replicas failed (ACA
 *              replicaRetryLimit -> Job backoffLimit; each retry is a fresh
 *              replica with its own start-up, billed);
 *   Stopped    when a replica reaches replica_timeout (counted from that
 *              replica's creation, ACA replicaTimeout); its other replicas
 *              are stopped too.
 * When an execution ends, its live replicas are stopped; messages they hold
 * are not deleted and come back when their visibility expires.
 *
 * A replica: created -> start-up -> Running -> claim delay -> receive up to
 * receive_batch messages (at most messages_per_replica in all; 0 = drain
 * the queue) -> process them one by one (delete after each, or all on
 * receipt with delete: at_receive) -> receive again while its quota allows
 * -> exit_overhead -> ends. A receive that finds nothing ends the replica
 * (succeeded), except in drain mode with idle_exit, where it waits up to
 * idle_exit for a message (a long poll) before exiting. A processing failure
 * (failure_probability per message) leaves the message undeleted and ends
 * the replica Failed at once (no exit overhead).
 *
 * KEDA's view (scale_jobs.go): R = executions not finished; an execution is
 * pending (P) while none of its replicas is Running (scale.pending:
 * not_running) or none has received a message (not_claimed, the
 * pendingPodConditions-with-readiness-gate setup).
 *
 * Billing: each replica from creation (cost.bill_startup) or from Running
 * to its end, rounded up to cost.billing_granularity.
 * Units:   sim_time us.
 * Owns:    struct executions is owned by the world and owns the execution
 *          and replica pools (sized by what is alive at once).
 * Wiring:  it calls the source (receive, delete, complete, release), the
 *          downstream service and the node pool (struct exec_env), and
 *          reports to the cost meter and the metrics recorder; the world
 *          hears through env.state_changed when R or P changed, and the
 *          downstream / node pool call back through exec_on_admitted() /
 *          exec_on_placed(), wired by the world.
 * Threads: no globals. */
#ifndef MODELS_EXECUTION_H
#define MODELS_EXECUTION_H

#include "sim/engine/common.h"
#include "sim/engine/engine.h"
#include "sim/engine/pool.h"
#include "models/cost.h"
#include "models/downstream.h"
#include "models/metrics.h"
#include "models/nodes.h"
#include "models/result.h"
#include "models/scenario.h"
#include "models/source.h"

#include <gsl/gsl_rng.h>

#define EXEC_MAX_BATCH 32 /* Storage Queues return at most 32 per receive */

enum replica_state {
    RP_FREE,
    RP_PLACING,   /* dedicated plan: waiting for room on a node */
    RP_STARTING,  /* created, container not Running yet */
    RP_CLAIMING,  /* Running, before its first receive */
    RP_ADMISSION, /* held[cur] waits for the downstream service */
    RP_WORKING,   /* processing held[cur] */
    RP_WAITING,   /* drain mode: long poll on an empty queue */
    RP_EXITING,   /* exit_overhead after the last message */
};

/* A message held by a replica: its slot, pop receipt and identity. */
struct held_msg {
    uint32_t slot, receipt;
    int64_t id;
    sim_time arrival;
    double duration_s;        /* its processing time, s (drawn at arrival
                                 or the trace's duration_column) */
    bool first_delivery;      /* received for the first time */
};

struct replica {
    enum replica_state state;
    uint32_t gen;             /* bumped when the slot is freed */
    uint32_t exec;            /* owning execution slot */
    uint32_t next;            /* free list link */
    sim_time created, running;/* us; running = -1 until Running */
    int64_t taken;            /* messages received so far */
    struct held_msg held[EXEC_MAX_BATCH];
    int n_held, cur;          /* held[cur] is being processed */
    sim_time idle_deadline;   /* RP_WAITING: when it gives up, us */
    int64_t node;             /* dedicated plan: its node, -1 = none */
    bool in_call;             /* admitted by the downstream service */
    sim_time work_us;         /* processing time of held[cur], us */
    struct evq_handle step_ev;   /* RUNNING / CLAIM / WORK_DONE / EXIT */
    struct evq_handle timeout_ev;/* REPLICA_TIMEOUT */
    struct evq_handle idle_ev;   /* IDLE_EXIT */
};

struct exec {
    bool live;
    uint32_t gen;
    uint32_t next_free;
    int64_t id;               /* creation order, 0-based */
    sim_time created;
    sim_time running;         /* first replica Running, -1 = none yet */
    int64_t active;           /* live replicas */
    int64_t succeeded, failed;/* replicas */
    int64_t messages;         /* messages received by its replicas */
    sim_time billed;          /* billed replica time so far, us */
    bool pending;             /* counted in P (see scale.pending) */
    bool claimed;             /* a replica has received a message */
};

/* What executions use and whom they tell; every pointer is borrowed. */
struct exec_env {
    struct engine *eng;
    const struct scn_job *job;
    const struct scn_cost *cost_cfg;  /* bill_startup */
    enum pending_mode pending;        /* scale.pending */
    struct source *src;
    struct downstream *down;
    struct nodes *nodes;              /* NULL unless cost.plan dedicated */
    struct cost_meter *cost;
    struct metrics *met;
    gsl_rng *startup_rng, *claim_rng, *failure_rng;
    /* R or P changed now (the scaler may decide differently). */
    void (*state_changed)(void *ctx);
    void *ctx;
    /* Optional: each execution's record when it ends (executions.csv). */
    void (*record)(void *record_ctx, const struct exec_record *rec);
    void *record_ctx;
};

struct executions {
    struct exec_env env;
    struct slot_pool execs;        /* owned; struct exec slots */
    struct slot_pool rps;          /* owned; struct replica slots */
    struct id_fifo waiting;      /* replicas in a long poll (owned) */
    int64_t created;          /* executions created so far */
    int64_t unfinished;       /* R: executions not in a terminal state */
    int64_t not_running;      /* unfinished, no replica Running yet */
    int64_t not_claimed;      /* unfinished, no message received yet */
    bool cutting;             /* inside exec_stop_all() */
};

/* Set up with no execution, using env. Returns 0. */
int exec_init(struct executions *x, const struct exec_env *env);
void exec_fini(struct executions *x);

/* Create one execution now (a poll decided so) with its first replicas.
 * Returns 0 or SIM_ENOMEM. */
int exec_create(struct executions *x);

/* Engine handler of EV_REPLICA_RUNNING, EV_CLAIM, EV_WORK_DONE, EV_EXIT,
 * EV_IDLE_EXIT and EV_REPLICA_TIMEOUT (target = replica slot, gen = its
 * generation; stale events are dropped); model is the executions. */
int exec_on_event(void *model, const struct event *ev, struct diag *d);

/* A message became visible now: wake the first replica waiting in a long
 * poll (it receives at this instant, after the current event). */
void exec_message_available(struct executions *x);

/* Dedicated plan: replica r, waiting for room, was placed on `node` now;
 * its start-up begins. */
void exec_on_placed(struct executions *x, uint32_t r, int64_t node);

/* The downstream service admitted replica r's waiting call now. */
void exec_on_admitted(struct executions *x, uint32_t r);

/* R: executions not in a terminal state. */
static inline int64_t exec_unfinished(const struct executions *x)
{
    return x->unfinished;
}

/* Executions with no replica Running yet. */
static inline int64_t exec_not_running(const struct executions *x)
{
    return x->not_running;
}

/* P: executions counted pending by KEDA under scale.pending. */
int64_t exec_pending(const struct executions *x);

/* Stop every live execution now (the run reached its drain limit). They
 * are recorded as Stopped but not counted as timed out or empty. */
void exec_stop_all(struct executions *x);

#endif
