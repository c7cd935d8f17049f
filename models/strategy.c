/* models/strategy.c - the table of KEDA ScaledJob scaling strategies
 * generated from STRATEGY_LIST (models/strategy.h): strategy_types[], the
 * name table, and the READS_P and KEYS look-ups.
 *
 * Workload: read-only data and constant-time look-ups (the scaler asks
 * strategy_reads_pending() on every wake-up test); nothing allocates. Each
 * strategy's arithmetic lives in its own file, models/strategy_<sym>.c;
 * this file only gathers them, so a new strategy needs no line here. */
#include "models/strategy.h"

#define X_TYPE(id, name, sym, reads_p, keys) [id] = &strategy_##sym,
const struct strategy_type *const strategy_types[STRATEGY_COUNT] = {
    STRATEGY_LIST(X_TYPE)};
#undef X_TYPE

#define X_NAME(id, name, sym, reads_p, keys) [id] = name,
const char *const strategy_names[STRATEGY_COUNT + 1] = {
    STRATEGY_LIST(X_NAME) NULL};
#undef X_NAME

#define X_READS(id, name, sym, reads_p, keys) [id] = (reads_p) != 0,
static const bool reads_p_of[STRATEGY_COUNT] = {STRATEGY_LIST(X_READS)};
#undef X_READS

#define X_KEYS(id, name, sym, reads_p, keys) [id] = (keys),
static const unsigned keys_of[STRATEGY_COUNT] = {STRATEGY_LIST(X_KEYS)};
#undef X_KEYS

bool strategy_reads_pending(enum scale_strategy s)
{
    return (unsigned)s < STRATEGY_COUNT && reads_p_of[s];
}

unsigned strategy_keys(enum scale_strategy s)
{
    return (unsigned)s < STRATEGY_COUNT ? keys_of[s] : 0u;
}

const struct strategy_type *strategy_type_of(enum scale_strategy s)
{
    return (unsigned)s < STRATEGY_COUNT ? strategy_types[s] : NULL;
}

const char *strategy_name(enum scale_strategy s)
{
    return (unsigned)s < STRATEGY_COUNT ? strategy_names[s] : "?";
}
