/* models/streams.h - what each random stream of a replication is for. One
 * generator per purpose (sim/engine/stream.h), so adding draws for one
 * purpose never shifts the numbers of another (common random numbers across
 * configurations).
 * Threads: constants only. */
#ifndef MODELS_STREAMS_H
#define MODELS_STREAMS_H

#include "sim/engine/stream.h"

/* Stream purposes. Append only: reordering changes every result. */
enum stream_id {
    ST_ARRIVALS,   /* arrival process draws, trace thinning/copies */
    ST_STARTUP,    /* replica start-up latency */
    ST_CLAIM,      /* running -> first receive */
    ST_DURATION,   /* message processing time */
    ST_FAILURE,    /* per-message failure draws */
    ST_DOWNSTREAM, /* downstream service draws */
    ST_BASELINE,   /* always-on baseline workers */
    ST_MISC,       /* anything else; keep last */
    ST_COUNT
};

_Static_assert(ST_COUNT == STREAMS_PER_REP,
               "every purpose has its generator in the seeding stride");

/* Purposes added later, served by stream_extra() (their own seed range, so
 * the streams above keep their numbers). Append only. */
enum stream_extra_id {
    SX_ARRIVALS_SOURCE_FIRST = 0, /* arrivals of sources[1], sources[2], ...
                                     (sources[0] keeps ST_ARRIVALS):
                                     SX_ARRIVALS_SOURCE_FIRST + i - 1 */
    SX_ARRIVALS_SOURCE_LAST = 15,
    SX_COUNT_LAG,   /* a distributed count_lag, one draw per poll */
    SX_DELAY,       /* delayed / scheduled message delays */
    SX_FAULTS,      /* fault draws (hung replicas, ...) */
    SX_BACKOFF,     /* anything drawn by the pod retry back-off */
    SX_COUNT
};

_Static_assert(SX_COUNT <= STREAMS_EXTRA, "extra purposes fit the extra range");

#endif
