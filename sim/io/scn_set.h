/* sim/io/scn_set.h - a command-line override of one scenario key (--set,
 * --vary), as text: PATH=VALUE. Applying it is the loader's business
 * (scn_load(), sim/io/scn_override.c).
 * Owns:    nothing; an override points into the argument it was parsed from.
 * Threads: no globals. */
#ifndef SIM_IO_SCN_SET_H
#define SIM_IO_SCN_SET_H

#include "sim/engine/common.h"

/* A command-line override, PATH=VALUE. VALUE is YAML (a scalar, or a flow
 * sequence / mapping such as [5, 10] or {dist: fixed, value: 3s}). */
struct scn_override {
    const char *path;   /* dotted key path, e.g. "scale.max_executions" or
                           "scale.rules[0].queue_length"; not owned */
    const char *value;  /* YAML text; not owned */
};

/* Parse one override "PATH=VALUE" (as given to --set). The returned struct
 * points into arg (not copied). Returns 0, or SIM_EINVAL with d set when
 * there is no '=' or the path is empty. */
int scn_override_parse(const char *arg, struct scn_override *ov,
                       struct diag *d);

#endif
