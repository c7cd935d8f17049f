/* sim/io/scn_tree.h - internal to the scenario loader (sim/io/scn_*.c and
 * sim/io/scenario.c): the small owned YAML tree the loader reads, with the
 * file position of every node, built from YAML text by libyaml (scn_yaml.h), and written
 * back as flow YAML text (the values of a sweep axis). Not for other
 * modules: use scenario.h.
 * Units:   line and column are 1-based; 0 = unknown (a default's text).
 * Owns:    every node owns its text and children; free a tree with
 *          scn__ynode_free(). Aliases are expanded into copies.
 * Errors:  scn__yaml_to_tree() (scn_yaml.h) returns 0 or a negative SIM_E* with the
 *          loading context's diag set; the other functions report
 *          allocation failure by their return value.
 * Threads: no globals. */
#ifndef SIM_SCN_TREE_H
#define SIM_SCN_TREE_H

#include "sim/engine/common.h"

#include <stddef.h>

struct scn_ctx; /* sim/io/scn_ctx.h */

enum ykind { YN_SCALAR, YN_MAP, YN_SEQ };

/* One YAML node. Mapping keys are scalars (keys[i] pairs with vals[i]);
 * sequences use vals only. Aliases are expanded into copies. */
struct ynode {
    enum ykind kind;
    char *text;          /* scalar text, owned */
    bool quoted;         /* scalar was quoted: never null */
    bool ov;             /* from a --set override: file is "--set" */
    int line, col;       /* 1-based; 0 = unknown (defaults) */
    size_t n, cap;
    struct ynode **keys; /* YN_MAP */
    struct ynode **vals; /* YN_MAP values, YN_SEQ items */
};

/* Free node n and everything below it. Safe on NULL. */
void scn__ynode_free(struct ynode *n);

/* A new empty node (text NULL, no children), or NULL when out of memory. */
struct ynode *scn__ynode_new(enum ykind kind, bool ov, int line, int col);

/* Append (key, val) to a mapping or val to a sequence (key NULL). Takes
 * ownership of both, also on failure (false: out of memory). */
bool scn__ynode_add(struct ynode *n, struct ynode *key, struct ynode *val);

/* Is n absent or a YAML null (empty, ~, null, Null, NULL; not quoted)? */
bool scn__is_null(const struct ynode *n);

/* The value of key name in mapping m (NULL if absent or m is not a
 * mapping); *key gets its key when key is not NULL. */
const struct ynode *scn__map_get(const struct ynode *m, const char *name,
                                 const struct ynode **key);

/* Node n (NULL: ~) as flow YAML text, e.g. "{dist: fixed, value: 3s}";
 * scalars are written plain when that reads back the same, else
 * double-quoted. The caller frees the result; NULL when out of memory. */
char *scn__node_text(const struct ynode *n);

#endif
