/* sim/io/scenario.h - loading a scenario file: YAML (libyaml) to the typed
 * struct scenario of models/scenario.h, with --set overrides, defaults
 * filled and relative paths resolved; printing it back as YAML or JSON.
 * Errors:  file:line:col diagnostics in a struct diag (see scn_load()).
 * Threads: no globals; a loaded scenario is read-only and shared. */
#ifndef SIM_IO_SCENARIO_H
#define SIM_IO_SCENARIO_H

#include "models/scenario.h"
#include "sim/io/scn_loc.h"
#include "sim/io/scn_print.h"
#include "sim/io/scn_set.h"
#include "sim/io/scn_units.h"

#include <stdio.h>


/* Load and validate the scenario at path, apply the overrides in order (as
 * if written in the file; a path that does not exist in the file is added;
 * an unknown key is an error), fill every default and resolve relative paths
 * against the scenario's folder. Unknown keys, wrong types, bad units,
 * negative durations and out-of-range values are errors, and so is a key
 * that does not apply to the source kind, rule type or strategy (the
 * per-kind masks of models/broker.h and models/strategy.h), and a rule type
 * other than the one of source.kind. On error, returns
 * a negative SIM_E* code, fills d with file:line:col and "key.path: expected
 * X, got Y", and leaves *scn zeroed (nothing to free). On success returns 0;
 * free with scn_fini(). Empirical distributions read their CSV here. */
int scn_load(struct scenario *scn, const char *path,
             const struct scn_override *ov, size_t n_ov, struct diag *d);

/* Same as scn_load() but from YAML text held in memory; file is the name
 * used in diagnostics and base_dir the folder for relative paths. */
int scn_load_string(struct scenario *scn, const char *text, const char *file,
                    const char *base_dir, const struct scn_override *ov,
                    size_t n_ov, struct diag *d);


/* Free everything scn owns and zero it. Safe on a zeroed struct. */
void scn_fini(struct scenario *scn);




#endif
