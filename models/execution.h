/* models/execution.h - job executions and their replica: created by a poll,
 * start-up (schedule, image pull, container start), claim delay, receive
 * one message, process it, delete it, exit.
 * Lifecycle of an execution (one replica, parallelism 1):
 *   PENDING    created, container not yet Running (KEDA counts it pending:
 *              no pod in phase Running/Succeeded, scale_jobs.go)
 *   CLAIMING   Running, has not received its message yet (the window in
 *              which a visible-only metric still counts the message)
 *   WORKING    holding a message (invisible) while processing it
 *   finished   Succeeded (processed, or found no message: an empty
 *              execution), Stopped (replica_timeout reached).
 * replica_timeout counts from creation (ACA replicaTimeout -> Job
 * activeDeadlineSeconds); a stopped replica does not delete what it holds,
 * so the message becomes visible again when its visibility expires.
 * Billed time runs from creation (cost.bill_startup) or from Running to the
 * end, rounded up to cost.billing_granularity (domain.md 7.1).
 * Units:   sim_time us.
 * Owns:    struct executions is embedded in struct sim and owns the
 *          execution pool (sized by executions alive at once).
 * Threads: no globals. */
#ifndef MODELS_EXECUTION_H
#define MODELS_EXECUTION_H

#include "sim/common.h"
#include "sim/evq.h"

struct sim;
struct event;

enum exec_state { EX_FREE, EX_PENDING, EX_CLAIMING, EX_WORKING };

struct exec {
    int64_t id;              /* creation order, 0-based */
    enum exec_state state;
    uint32_t gen;            /* bumped when the slot is freed */
    uint32_t next_free;
    sim_time created, running; /* us; running = -1 until Running */
    int64_t messages;        /* messages received */
    bool claimed;            /* has received (or tried to receive) */
    uint32_t msg_slot, receipt; /* the message held while WORKING */
    int64_t msg_id;          /* its id: the slot may be reused once the
                                message is deleted by someone else */
    sim_time msg_arrival;    /* its arrival time, us */
    struct evq_handle step_ev;    /* RUNNING / CLAIM / WORK_DONE */
    struct evq_handle timeout_ev; /* REPLICA_TIMEOUT */
};

struct executions {
    struct exec *pool;       /* owned */
    uint32_t cap, free_head;
    int64_t created;         /* executions created so far */
    int64_t unfinished;      /* R: executions not in a terminal state */
    int64_t not_running;     /* unfinished with no replica Running yet */
    int64_t not_claimed;     /* unfinished that have not yet received */
};

int exec_init(struct executions *x);
void exec_fini(struct executions *x);

/* Create one execution now (a poll decided so). Returns 0 or SIM_ENOMEM. */
int exec_create(struct sim *s);

/* Handle EV_REPLICA_RUNNING, EV_CLAIM, EV_WORK_DONE, EV_REPLICA_TIMEOUT
 * (target = pool slot, gen = slot generation; stale events are ignored). */
void exec_on_event(struct sim *s, const struct event *ev);

/* Executions counted pending by KEDA under the scenario's `pending` mode. */
int64_t exec_pending(const struct sim *s);

/* Bill every execution still alive at `end` (run stopped at the drain
 * limit) as Stopped. */
void exec_stop_all(struct sim *s);

#endif
