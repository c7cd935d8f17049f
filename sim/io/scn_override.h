/* sim/io/scn_override.h - internal to the scenario loader (sim/io/scn_*.c
 * and sim/io/scenario.c): key paths ("scale.rules[0].queue_length") and the
 * --set overrides, spliced into the YAML tree before the typed walk reads
 * it, as if written in the file. scn_override_parse() of scenario.h is
 * implemented here too. Not for other modules: use scenario.h.
 * Units:   an override's nodes sit on "line" idx (1-based index of the
 *          override) and columns count from the start of PATH=VALUE.
 * Owns:    the override's value tree is moved into *root.
 * Errors:  0 or a negative SIM_E* with the loading context's diag set.
 * Threads: no globals. */
#ifndef SIM_SCN_OVERRIDE_H
#define SIM_SCN_OVERRIDE_H

#include "sim/io/scn_ctx.h"

/* Apply override o (number idx, 1-based) to the tree at *root: parse its
 * value as YAML and put it at its key path, creating the mappings on the
 * way (and a list that did not exist yet, from its item [0]); an index
 * past the end of an existing list is an error, and so is a path through a
 * value that is not a mapping. */
int scn__apply_override(struct scn_ctx *c, struct ynode **root,
                        const struct scn_override *o, int idx);

/* Is path a key path of the scenario (for sweep axes)? List indexes are
 * allowed on lists and arrivals; inside a distribution any parameter
 * name. */
bool scn__path_known(const char *path);

#endif
