/* models/events.h - the event kinds of the models and their order at one
 * instant. Each model schedules only its own kinds; models/world.c
 * registers a handler for each kind with the engine, with the kind's value
 * as its priority, so this enum order IS the order of events at equal time:
 * arrivals first, then message expiries, completions and replica exits,
 * downstream tokens, visibility expiries (a message finished at the instant
 * its visibility ends is deleted, not re-delivered), replica time-outs,
 * replicas becoming Running, receives, idle exits (a message that becomes
 * visible at the deadline is still taken), and the KEDA poll last, so a poll
 * sees everything that happened at its instant. Equal (time, kind) events
 * run in the order they were scheduled (sim/engine/evq.h).
 * Threads: constants only. */
#ifndef MODELS_EVENTS_H
#define MODELS_EVENTS_H

enum ev_kind {
    EV_ARRIVAL,         /* arrivals: next message arrives */
    EV_MSG_TTL,         /* source: a message's message_ttl passes */
    EV_WORK_DONE,       /* execution / baseline: processing finished */
    EV_EXIT,            /* execution: a replica's exit_overhead is over */
    EV_DOWNSTREAM,      /* downstream: a token for the waiting call */
    EV_VISIBILITY,      /* source: a received message's visibility expires */
    EV_REPLICA_TIMEOUT, /* execution: a replica reaches replica_timeout */
    EV_REPLICA_RUNNING, /* execution: start-up done, container Running */
    EV_CLAIM,           /* execution / baseline: a receive call */
    EV_IDLE_EXIT,       /* execution: drain mode, idle_exit ran out */
    EV_POLL,            /* scaler: KEDA polling tick */
    EV_KIND_COUNT
};

#endif
