/* sim/engine/stream.c - random streams: one gsl_rng_mt19937 per purpose per
 * replication, seeded from (master seed, replication, purpose) only.
 *
 * Workload: a replication allocates STREAMS_PER_REP generators once (about 5 KiB
 * of MT state each) and then draws millions of numbers from them; nothing
 * here is on the hot path except stream_get(), which is inline.
 *
 * Why a formula and not a hash: GSL seeds mt19937 with 32 bits and treats 0
 * as "the default seed", so seeds must be non-zero and must not collide
 * between the streams of one sweep. master * 2654435761 + rep * STREAMS_PER_REP + st
 * is injective in (rep, st) for a fixed master as long as
 * rep * STREAMS_PER_REP + st < 2^32 - 1, and the "+ 1" after the modulus keeps
 * every seed in [1, 2^32 - 1]. A hash would mix better but could collide.
 * Cost: streams of neighbouring replications start from neighbouring seeds;
 * MT19937's seeding routine (Knuth's LCG initialisation) decorrelates them
 * well in practice. The upgrade path for formal independence is a
 * 64-bit-seeded generator wrapped as a custom gsl_rng_type. */
#include "sim/engine/stream.h"

unsigned long stream_seed(uint32_t master, uint32_t rep, int st)
{
    /* All in uint64: master * 2654435761 < 2^64 and the sum cannot wrap. */
    uint64_t k = (uint64_t)master * UINT64_C(2654435761) +
                 (uint64_t)rep * (uint64_t)STREAMS_PER_REP + (uint64_t)st;
    return 1ul + (unsigned long)(k % UINT64_C(0xFFFFFFFF));
}

unsigned long stream_extra_seed(uint32_t master, uint32_t rep, int k)
{
    /* The extra range starts 2^31 above the base range: for rep < 2^24
     * both ranges (8 and 32 seeds per replication) stay disjoint. */
    uint64_t v = (uint64_t)master * UINT64_C(2654435761) + UINT64_C(0x80000000) +
                 (uint64_t)rep * (uint64_t)STREAMS_EXTRA + (uint64_t)k;
    return 1ul + (unsigned long)(v % UINT64_C(0xFFFFFFFF));
}

gsl_rng *stream_extra(struct streams *s, int k)
{
    if (k < 0 || k >= STREAMS_EXTRA)
        return NULL;
    if (s->extra[k] == NULL) {
        s->extra[k] = gsl_rng_alloc(gsl_rng_mt19937);
        if (s->extra[k] == NULL)
            return NULL;
        gsl_rng_set(s->extra[k], stream_extra_seed(s->master, s->replication, k));
    }
    return s->extra[k];
}

int streams_init(struct streams *s, uint32_t master, uint32_t rep)
{
    s->master = master;
    s->replication = rep;
    for (int i = 0; i < STREAMS_PER_REP; i++)
        s->rng[i] = NULL;
    for (int i = 0; i < STREAMS_EXTRA; i++)
        s->extra[i] = NULL;
    for (int i = 0; i < STREAMS_PER_REP; i++) {
        s->rng[i] = gsl_rng_alloc(gsl_rng_mt19937);
        if (!s->rng[i]) {
            streams_fini(s);  /* leave nothing allocated */
            return SIM_ENOMEM;
        }
        gsl_rng_set(s->rng[i], stream_seed(master, rep, i));
    }
    return SIM_OK;
}

void streams_fini(struct streams *s)
{
    for (int i = 0; i < STREAMS_PER_REP; i++) {
        gsl_rng_free(s->rng[i]);  /* gsl_rng_free(NULL) is a no-op */
        s->rng[i] = NULL;
    }
    for (int i = 0; i < STREAMS_EXTRA; i++) {
        gsl_rng_free(s->extra[i]);
        s->extra[i] = NULL;
    }
}

const char *stream_generator_name(void)
{
    return gsl_rng_mt19937->name;
}
