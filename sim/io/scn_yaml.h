/* sim/io/scn_yaml.h - internal to the scenario loader: YAML text (a file,
 * or the value of a --set override) to the loader's tree (scn_tree.h),
 * with libyaml, positions kept, limits on nesting and size checked while
 * parsing. Not for other modules: use scenario.h.
 * Errors:  0 or a negative SIM_E* with the context's diag set.
 * Threads: no globals; one libyaml parser per call. */
#ifndef SIM_SCN_YAML_H
#define SIM_SCN_YAML_H

#include "sim/io/scn_ctx.h"
#include "sim/io/scn_tree.h"

/* Parse YAML text (len bytes) into a tree (*root NULL for an empty
 * document; a second document is an error). ov: the text is the value of
 * --set override number line, every node is on that line and its column is
 * col0 plus the column inside the text; else positions are the text's own.
 * path names the place in errors ("" for the top level). Returns 0 or a
 * negative SIM_E* with c's diag set (syntax, nesting deeper than 64, more
 * nodes than c->budget, memory); *root is NULL on error. */
int scn__yaml_to_tree(struct scn_ctx *c, const char *text, size_t len,
                      bool ov, int line, int col0, const char *path,
                      struct ynode **root);

#endif
