/* sim/io/scn_walk.h - internal to the scenario loader (sim/io/scn_*.c and
 * sim/io/scenario.c): the typed walk, which reads the YAML tree into
 * struct scenario driven by the key tables of sim/io/scn_keys.h: the
 * discriminator of a table first (it decides which keys apply), then every
 * written key checked against the table, then each key's value (or its
 * default, written in the table as YAML text and parsed by the same code).
 * Not for other modules: use scenario.h.
 * Units:   as in scenario.h; ranges of durations in the table in seconds.
 * Owns:    what is allocated into the struct belongs to the scenario,
 *          freed by scn_fini() (which walks the same tables), also after
 *          an error.
 * Errors:  the first error stops the walk: a negative SIM_E* with the
 *          loading context's diag set (unknown key, key that does not
 *          apply, wrong type, out of range, missing).
 * Threads: no globals. */
#ifndef SIM_SCN_WALK_H
#define SIM_SCN_WALK_H

#include "sim/io/scn_ctx.h"
#include "sim/io/scn_keys.h"

/* Read mapping map (NULL or null: every key at its default) into the
 * struct at base that table t describes. where: the node errors about
 * missing keys point at when map is absent; prefix: the key path of map
 * ("" at the top level); record: record where each key was written
 * (scn__add_loc()), false for defaults. */
int scn__parse_table(struct scn_ctx *c, const struct scn_table *t,
                     void *base, const struct ynode *map,
                     const struct ynode *where, const char *prefix,
                     bool record);

#endif
