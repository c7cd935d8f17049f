/* sim/engine/stream.h - random streams: one GSL generator per purpose.
 * Seeding: the seed of stream s in replication r under master seed m depends
 *          on (m, r, s) only, never on the configuration, so every
 *          configuration of a sweep sees the same arrivals for the same
 *          replication (common random numbers). Seeds are distinct and
 *          non-zero for distinct (r, s) under one m while r < 2^24.
 * Owns:    struct streams is caller-allocated; streams_init()/streams_fini().
 * Generator: gsl_rng_mt19937 (recorded in summary.json).
 * Threads: no globals (no gsl_rng_env_setup, no gsl_rng_default). */
#ifndef SIM_STREAM_H
#define SIM_STREAM_H

#include "sim/engine/common.h"

#include <gsl/gsl_rng.h>

/* Generators per replication. This is part of the seeding contract (the
 * stride of stream_seed()): changing it changes every result. What each
 * stream is for is the models' business (models/streams.h). */
#define STREAMS_PER_REP 8

struct streams {
    gsl_rng *rng[STREAMS_PER_REP];
    uint32_t master;       /* master seed */
    uint32_t replication;  /* replication index, 0-based */
};

/* The seed used for stream st of replication rep under master seed master:
 * 1 + ((master * 2654435761 + rep * STREAMS_PER_REP + st) mod (2^32 - 1)). */
unsigned long stream_seed(uint32_t master, uint32_t rep, int st);

/* Allocate and seed all streams for (master, rep). Returns 0 or SIM_ENOMEM
 * (then nothing is left allocated). */
int streams_init(struct streams *s, uint32_t master, uint32_t rep);

/* Free the generators; safe on a zeroed struct and twice. */
void streams_fini(struct streams *s);

/* The generator of one purpose. */
static inline gsl_rng *stream_get(const struct streams *s, int id)
{
    return s->rng[id];
}

/* Name of the generator type ("mt19937"), for results metadata. */
const char *stream_generator_name(void);

#endif
