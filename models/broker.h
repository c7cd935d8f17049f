/* models/broker.h - the list of broker kinds, in the shape of GSL's
 * gsl_rng_type: one X-macro entry per kind, and per kind one const ops
 * table (struct broker_type) in its own file, models/broker_<sym>.c.
 *
 * BROKER_LIST(X) calls X(ID, NAME, RULE_ID, RULE_NAME, SYM, SOURCE_KEYS,
 * RULE_KEYS) once per kind, in enum order:
 *   ID          the enum source_kind value (SRC_...), also the index of the
 *               kind in broker_types[];
 *   NAME        its name in scenario files (`source.kind`);
 *   RULE_ID     the enum rule_type value of the KEDA trigger that reads it;
 *   RULE_NAME   that trigger's type as written in `scale.rules[].type`
 *               (KEDA's trigger type);
 *   SYM         the suffix of its ops table, broker_SYM;
 *   SOURCE_KEYS the `source:` keys that apply to this kind (BK_* bits); a
 *               key that does not apply is refused by the loader;
 *   RULE_KEYS   the `scale.rules[]` keys that apply to its rule (RK_* bits).
 * The scenario key table, the name tables and the rule-type check are all
 * generated from this list, so adding a broker kind is: one entry here, one
 * file models/broker_<sym>.c, and the keys it adds (a field in struct
 * scn_source and an entry in sim/io/scn_keys.c with its BK_ bit).
 *
 * Threads: read-only data only. */
#ifndef MODELS_BROKER_H
#define MODELS_BROKER_H

#include "sim/engine/common.h"

/* `source:` keys that apply only to some kinds (all others apply to every
 * kind). */
#define BK_VISIBILITY_TIMEOUT (1u << 0) /* Storage Queue visibilitytimeout */
#define BK_LOCK_DURATION (1u << 1)      /* Service Bus LockDuration */

/* `scale.rules[]` keys that apply only to some rule types. */
#define RK_QUEUE_LENGTH_STRATEGY (1u << 0) /* KEDA azure-queue queueLengthStrategy */

/* The list. BROKER_LIST_K passes a constant k through to every X call
 * (for the key masks below); BROKER_LIST(X) is the ordinary form. */
#define BROKER_LIST_K(X, k)                                                   \
    X(k, SRC_STORAGE_QUEUE, "storage-queue", RULE_AZURE_QUEUE, "azure-queue", \
      storage_queue, BK_VISIBILITY_TIMEOUT, RK_QUEUE_LENGTH_STRATEGY)         \
    X(k, SRC_SERVICE_BUS, "service-bus", RULE_AZURE_SERVICEBUS,               \
      "azure-servicebus", service_bus, BK_LOCK_DURATION, 0u)
/* X(ID, NAME, RULE_ID, RULE_NAME, SYM, SOURCE_KEYS, RULE_KEYS) */
#define BROKER_LIST(X) BROKER_LIST_K(BROKER_X_APPLY, X)
#define BROKER_X_APPLY(X, id, name, rid, rname, sym, sk, rk) \
    X(id, name, rid, rname, sym, sk, rk)

#define BROKER_X_ENUM(id, name, rid, rname, sym, sk, rk) id,
enum source_kind { BROKER_LIST(BROKER_X_ENUM) BROKER_COUNT };
#undef BROKER_X_ENUM
#define BROKER_X_RENUM(id, name, rid, rname, sym, sk, rk) rid,
enum rule_type { BROKER_LIST(BROKER_X_RENUM) RULE_TYPE_COUNT };
#undef BROKER_X_RENUM

/* The bit set (1u << kind) of kinds whose SOURCE_KEYS contain key bit k,
 * and (1u << rule type) of rule types whose RULE_KEYS contain k, as
 * constant expressions for key tables:
 * BROKER_SOURCE_KEY_MASK(BK_LOCK_DURATION) == 1u << SRC_SERVICE_BUS. */
#define BROKER_X_SMASK(k, id, name, rid, rname, sym, sk, rk) \
    | (((sk) & (k)) ? (1u << (id)) : 0u)
#define BROKER_X_RMASK(k, id, name, rid, rname, sym, sk, rk) \
    | (((rk) & (k)) ? (1u << (rid)) : 0u)
#define BROKER_SOURCE_KEY_MASK(k) (0u BROKER_LIST_K(BROKER_X_SMASK, k))
#define BROKER_RULE_KEY_MASK(k) (0u BROKER_LIST_K(BROKER_X_RMASK, k))

/* A queue's counts at one instant, as a KEDA scaler reads them (and, with
 * source.count_lag, as they were count_lag ago). */
struct count_snap {
    sim_time t;              /* us; INT64_MIN for the initial empty queue */
    int64_t visible, in_flight;
};

struct scn_rule;
struct scn_source;

/* One broker kind's behaviour, as the models need it. */
struct broker_type {
    const char *name;        /* scenario `source.kind` */
    const char *rule_type;   /* KEDA trigger type of its rule */
    const char *source;      /* where the behaviour comes from (KEDA file
                                and version, Azure doc page) */
    /* How long a received message stays invisible (Storage Queue
     * visibility timeout) or locked (Service Bus lock duration), us. */
    sim_time (*visibility_us)(const struct scn_source *cfg);
    /* The metric the KEDA scaler of this kind reads from counts c, for
     * rule r (e.g. ApproximateMessagesCount, ActiveMessageCount). */
    int64_t (*metric)(const struct count_snap *c, const struct scn_rule *r);
};

#define BROKER_X_DECL(id, name, rid, rname, sym, sk, rk) \
    extern const struct broker_type broker_##sym;
BROKER_LIST(BROKER_X_DECL)
#undef BROKER_X_DECL

/* Every kind's ops table, indexed by enum source_kind. */
extern const struct broker_type *const broker_types[BROKER_COUNT];

/* The ops table of kind k; NULL when k is out of range. */
const struct broker_type *broker_type_of(enum source_kind k);

/* The kind that rule type t reads (the inverse of RULE_ID); BROKER_COUNT
 * when t is out of range. */
enum source_kind broker_of_rule(enum rule_type t);

/* The rule type that reads kind k (its RULE_ID): the default of
 * `scale.rules[].type`, and the only type the loader accepts for a source
 * of kind k; RULE_TYPE_COUNT when k is out of range. */
enum rule_type broker_rule_of(enum source_kind k);

/* Names as written in scenario files; "?" out of range. */
const char *broker_name(enum source_kind k);
const char *broker_rule_type_name(enum rule_type t);

/* NULL-terminated name tables in enum order (for key tables and usage). */
extern const char *const broker_names[BROKER_COUNT + 1];
extern const char *const broker_rule_type_names[RULE_TYPE_COUNT + 1];

#endif
