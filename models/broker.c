/* models/broker.c - the table of broker kinds generated from BROKER_LIST
 * (models/broker.h): broker_types[], the name tables and the look-ups
 * between kinds, rule types and names.
 *
 * Workload: read-only data and constant-time look-ups, called while a
 * scenario loads and once per replication; nothing here allocates. Each
 * kind's behaviour lives in its own file, models/broker_<sym>.c; this file
 * only gathers them, so a new kind needs no line here. */
#include "models/broker.h"

#define X_TYPE(id, name, rid, rname, sym, sk, rk) [id] = &broker_##sym,
const struct broker_type *const broker_types[BROKER_COUNT] = {
    BROKER_LIST(X_TYPE)};
#undef X_TYPE

#define X_NAME(id, name, rid, rname, sym, sk, rk) [id] = name,
const char *const broker_names[BROKER_COUNT + 1] = {BROKER_LIST(X_NAME)
                                                        NULL};
#undef X_NAME

#define X_RNAME(id, name, rid, rname, sym, sk, rk) [rid] = rname,
const char *const broker_rule_type_names[RULE_TYPE_COUNT + 1] = {
    BROKER_LIST(X_RNAME) NULL};
#undef X_RNAME

/* rule type -> kind and kind -> rule type, both generated from the list. */
#define X_KIND(id, name, rid, rname, sym, sk, rk) [rid] = id,
static const enum source_kind kind_of_rule[RULE_TYPE_COUNT] = {
    BROKER_LIST(X_KIND)};
#undef X_KIND
#define X_RULE(id, name, rid, rname, sym, sk, rk) [id] = rid,
static const enum rule_type rule_of_kind[BROKER_COUNT] = {
    BROKER_LIST(X_RULE)};
#undef X_RULE

const struct broker_type *broker_type_of(enum source_kind k)
{
    return (unsigned)k < BROKER_COUNT ? broker_types[k] : NULL;
}

enum source_kind broker_of_rule(enum rule_type t)
{
    return (unsigned)t < RULE_TYPE_COUNT ? kind_of_rule[t] : BROKER_COUNT;
}

enum rule_type broker_rule_of(enum source_kind k)
{
    return (unsigned)k < BROKER_COUNT ? rule_of_kind[k] : RULE_TYPE_COUNT;
}

const char *broker_name(enum source_kind k)
{
    return (unsigned)k < BROKER_COUNT ? broker_names[k] : "?";
}

const char *broker_rule_type_name(enum rule_type t)
{
    return (unsigned)t < RULE_TYPE_COUNT ? broker_rule_type_names[t] : "?";
}
