/* sim/io/scn_ctx.h - internal to the scenario loader (sim/io/scn_*.c and
 * sim/io/scenario.c): the loading context every step of the loader carries,
 * its error helpers (a diagnostic at a node of the tree or at the place a
 * key path was written), the record of where each key path was written
 * (scn_loc() of scenario.h reads it), key path formatting, and the
 * resolution of relative file paths. Not for other modules: use
 * scenario.h.
 * Units:   key paths are at most SCN_PATH_MAX bytes (longer ones are cut).
 * Owns:    struct scn_ctx is on the loader's stack and owns nothing; the
 *          locations it records belong to the scenario (freed by
 *          scn_fini()).
 * Errors:  the error helpers fill c->d (first error wins, see diag_set())
 *          and return its negative SIM_E* code; they are written
 *          `return scn__err_at(c, ...)`.
 * Threads: no globals. */
#ifndef SIM_SCN_CTX_H
#define SIM_SCN_CTX_H

#include "models/scenario.h"
#include "sim/io/scn_loc.h"
#include "sim/io/scn_set.h"
#include "sim/io/scn_tree.h"

/* Size of a key path buffer, "scale.rules[0].queue_length". */
enum { SCN_PATH_MAX = 512 };

/* What one load carries from step to step. */
struct scn_ctx {
    struct scenario *scn;          /* being filled; file and base_dir set */
    struct diag *d;                /* may be NULL */
    size_t budget;                 /* nodes left before "document too big" */
    const struct ynode *arrivals;  /* the arrivals key, for cross-checks */
};

/* Record an error located at node n (NULL: no position; a node of a --set
 * override names the file "--set"). Returns the error code. */
int scn__err_at(struct scn_ctx *c, const struct ynode *n, int code,
                const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Describe a node for "got ...": the quoted text of a scalar (shortened to
 * 80 bytes, written into buf of size bytes), "a mapping", "a list" ("an
 * empty mapping", "an empty list" when they have no items), or "nothing"
 * for NULL. */
const char *scn__got(const struct ynode *n, char *buf, size_t size);

/* "<path>: expected <what>, got <node>" at node n. */
int scn__err_expect(struct scn_ctx *c, const struct ynode *n,
                    const char *path, int code, const char *what);

/* Record an error at the place key path was written (see scn__add_loc()),
 * or at the file without a position when it was not written. */
int scn__err_loc(struct scn_ctx *c, const char *path, int code,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Record where path was written: at the value, except that a collection
 * written in the file points at its key (a block mapping's own position is
 * its first child's). Override values always point at the value. Nothing is
 * recorded for a default (no position). Returns 0 or SIM_ENOMEM (with the
 * diag set). */
int scn__add_loc(struct scn_ctx *c, const char *path, const struct ynode *key,
                 const struct ynode *val);

/* Format a key path into out (SCN_PATH_MAX bytes); overlong paths are cut. */
void scn__pathf(char *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* out = "prefix.name", or "name" when prefix is "" (SCN_PATH_MAX bytes). */
void scn__join_path(char *out, const char *prefix, const char *name);

/* Resolve the path written at node against the scenario's folder when it
 * was written in the file; a path given with --set (node->ov) is relative
 * to the current folder, like any command-line path, and is kept as given.
 * The caller frees the result; NULL when out of memory. */
char *scn__resolve(const struct scenario *s, const struct ynode *node);

#endif
