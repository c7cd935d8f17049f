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

/* Extra generators a replication may ask for (stream_extra()), beyond the
 * STREAMS_PER_REP allocated up front: purposes added after the seeding
 * contract was fixed (per-source arrivals, fault draws, ...). Their seeds
 * live in a separate range, so adding one never changes the numbers of the
 * first STREAMS_PER_REP streams. */
#define STREAMS_EXTRA 32

struct streams {
    gsl_rng *rng[STREAMS_PER_REP];
    gsl_rng *extra[STREAMS_EXTRA]; /* allocated by stream_extra(); owned */
    uint32_t master;       /* master seed */
    uint32_t replication;  /* replication index, 0-based */
};

/* The seed used for stream st of replication rep under master seed master:
 * 1 + ((master * 2654435761 + rep * STREAMS_PER_REP + st) mod (2^32 - 1)). */
unsigned long stream_seed(uint32_t master, uint32_t rep, int st);

/* The seed of extra stream k (0 <= k < STREAMS_EXTRA) of replication rep:
 * 1 + ((master * 2654435761 + 2^31 + rep * STREAMS_EXTRA + k) mod
 * (2^32 - 1)). For one master and rep < 2^24 it differs from every
 * stream_seed() and from every other extra seed. */
unsigned long stream_extra_seed(uint32_t master, uint32_t rep, int k);

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

/* Extra stream k (0 <= k < STREAMS_EXTRA) of this replication: allocated
 * and seeded with stream_extra_seed() on the first call, the same generator
 * afterwards. Call it while setting a replication up, not per event.
 * Returns NULL when k is out of range or memory runs out. Not thread-safe
 * on one struct streams (each replication owns its own). */
gsl_rng *stream_extra(struct streams *s, int k);

/* Name of the generator type ("mt19937"), for results metadata. */
const char *stream_generator_name(void);

#endif
