/* sim/io/scn_keys.h - internal to the scenario module (sim/io/scn_*.c and
 * sim/io/scenario.c): the table of every key of scenario format v1 (name,
 * kind, where it lives in struct scenario, its default written as YAML
 * text, its range, the kinds it applies to), shared by the loader
 * (scn_walk.c, scn_override.c, scenario.c) and the writers scn_print_yaml()
 * / scn_to_json() (scn_print.c). Not for other modules: use scenario.h.
 * Units:   as in scenario.h; ranges of durations are in seconds.
 * Owns:    the tables are static const; nothing is allocated here.
 * Errors:  none (data only).
 * Threads: read-only data only. */
#ifndef SIM_SCN_KEYS_H
#define SIM_SCN_KEYS_H

#include "models/scenario.h"

/* How the value of a key is written and stored. */
enum scn_kt {
    KT_STR,      /* char *, owned; KF_NULL: `~` = NULL */
    KT_PATH,     /* char * resolved at off, char * as written at aux */
    KT_DUR,      /* sim_time */
    KT_MEM,      /* double GiB */
    KT_RATE,     /* double per second */
    KT_INT,      /* int64_t */
    KT_SEED,     /* uint32_t */
    KT_NUM,      /* double */
    KT_BOOL,     /* bool */
    KT_ENUM,     /* an enum (int-sized), names[] index = value */
    KT_DIST,     /* struct dist of durations */
    KT_CDIST,    /* struct dist of counts (plain numbers) */
    KT_SECTION,  /* nested mapping, sub table, struct at off */
    KT_LIST,     /* sequence of mappings: pointer at off, size_t count at aux */
    KT_ARRIVALS, /* the arrivals section (mapping or list of items) */
    KT_SWEEP     /* the sweep section (key path -> list of YAML texts) */
};

#define KF_REQ 1u  /* must be written (when it applies) */
#define KF_NULL 2u /* `~` allowed: clears the has-flag at aux / NULL string */
#define KF_DISC 4u /* the discriminator of its table (process kind, source
                      kind, rule type, strategy): read first, it decides
                      which keys apply */
#define KF_ONE 8u  /* list: when absent, one item with every default */

#define R_GE 1u /* value >= lo */
#define R_GT 2u /* value > lo */
#define R_LE 4u /* value <= hi */
#define R_LT 8u /* value < hi */

/* aux holds an offset plus one, so that 0 (the zero initialiser) means
 * "none" while offset 0 stays usable. */
#define SCN_AUX(type, field) (offsetof(type, field) + 1)

/* The field of type `type` at offset off (a key's off, or aux - 1) of the
 * struct at base; CAT for a const struct. */
#define AT(base, off, type) ((type *)(void *)((char *)(base) + (off)))
#define CAT(base, off, type)                                                   \
    ((const type *)(const void *)((const char *)(base) + (off)))

struct scn_table;

/* The value a KF_DISC key must take, given the keys parsed before it (the
 * rule type follows source.kind): scn is the scenario loaded so far, v the
 * value written (or -1 when the key is absent). Returns the value the rest
 * of the scenario implies, which is the key's default; when v >= 0 differs
 * from it, writes why v does not apply into why (n bytes, e.g. "applies
 * only to source.kind service-bus, this source is storage-queue"). */
typedef int scn_follow_fn(const struct scenario *scn, int v, char *why,
                          size_t n);

/* One key. Invariant: off (and aux when used) are offsets inside the struct
 * the key's table describes. A key with mask != 0 applies only when its
 * table's KF_DISC key has a value v with bit v of mask set; it must not be
 * written otherwise (it is refused), keeps its zero value, and is not
 * printed. def is the default as YAML text (NULL: required, optional
 * without value, or filled by a cross-key rule such as follow). */
struct scn_key {
    const char *name;
    enum scn_kt type;
    unsigned flags;              /* KF_* */
    unsigned mask;               /* applies for these discriminator values */
    size_t off;                  /* offset of the value */
    size_t aux;                  /* SCN_AUX of has-flag / count / path as
                                    written; 0 = none */
    const char *def;             /* default as YAML text */
    const char *const *names;    /* KT_ENUM: NULL-terminated names */
    const struct scn_table *sub; /* KT_SECTION, KT_LIST */
    size_t elem;                 /* KT_LIST: item size */
    unsigned rng;                /* R_* */
    double lo, hi;               /* range bounds (durations in seconds) */
    scn_follow_fn *follow;       /* KF_DISC: value implied by other keys;
                                    NULL = def or KF_REQ decides */
};

struct scn_table {
    const struct scn_key *keys;
    size_t n;
    /* With a KF_DISC key: how a key that does not apply is refused, as the
     * tail "this source is %s" (%s = the discriminator's value) of
     * "source.lock_duration: applies only to source.kind service-bus, this
     * source is storage-queue". NULL: the older "not a key of kind X"
     * wording (process kinds). */
    const char *disc_is;
};

extern const struct scn_table scn__top;     /* struct scenario */
extern const struct scn_table scn__trace;   /* struct scn_trace */
extern const struct scn_table scn__process; /* struct scn_process */

/* Names of enum dist_kind ("fixed", ...), NULL-terminated. */
extern const char *const scn__dist_names[];

/* The two parameters of a distribution form (enum dist_form): their key
 * names and whether each is a duration (else a plain number). */
struct scn_form {
    const char *a, *b; /* NULL when the form has fewer parameters */
    bool a_dur, b_dur;
};
extern const struct scn_form scn__forms[];

#endif
