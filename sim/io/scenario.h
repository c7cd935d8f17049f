/* sim/io/scenario.h - loading a scenario file: YAML (libyaml) to the typed
 * struct scenario of models/scenario.h, with --set overrides, defaults
 * filled and relative paths resolved; printing it back as YAML or JSON.
 * Errors:  file:line:col diagnostics in a struct diag (see scn_load()).
 * Threads: no globals; a loaded scenario is read-only and shared. */
#ifndef SIM_IO_SCENARIO_H
#define SIM_IO_SCENARIO_H

#include "models/scenario.h"

#include <stdio.h>

/* A command-line override, PATH=VALUE. VALUE is YAML (a scalar, or a flow
 * sequence / mapping such as [5, 10] or {dist: fixed, value: 3s}). */
struct scn_override {
    const char *path;   /* dotted key path, e.g. "scale.max_executions" or
                           "scale.rules[0].queue_length"; not owned */
    const char *value;  /* YAML text; not owned */
};

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

/* Parse one override "PATH=VALUE" (as given to --set). The returned struct
 * points into arg (not copied). Returns 0, or SIM_EINVAL with d set when
 * there is no '=' or the path is empty. */
int scn_override_parse(const char *arg, struct scn_override *ov,
                       struct diag *d);

/* Free everything scn owns and zero it. Safe on a zeroed struct. */
void scn_fini(struct scenario *scn);

/* Where key path was written, or NULL if it was left at its default. */
const struct scn_loc *scn_loc(const struct scenario *scn, const char *path);

/* Print the resolved scenario as YAML, every key with its value (defaults
 * filled), in the same layout and key order as docs/scenario-format.md, so
 * the output is itself a valid scenario equivalent to the input. Returns 0
 * or SIM_EIO. */
int scn_print_yaml(FILE *out, const struct scenario *scn);

/* The resolved scenario as a jansson object (json_t *, returned as void *
 * so this header does not need jansson.h); the caller owns the reference
 * (json_decref). Same keys and nesting as scn_print_yaml(). NULL on
 * allocation failure. */
void *scn_to_json(const struct scenario *scn);

/* ---- value parsers, exported for tests and --vary ---------------------- */

/* Parse a duration: number + unit us|ms|s|m|min|h|d, or a bare number of
 * seconds ("500ms", "1.5h", "30"). Negative, NaN, infinite or unknown units
 * are errors. Returns 0 or SIM_EPARSE / SIM_ERANGE; *out in microseconds. */
int scn_parse_duration(const char *text, sim_time *out);
/* Parse memory: number + Ki|Mi|Gi (binary) or K|M|G (decimal); a bare number
 * is an error (ambiguous). Result in GiB (2^30 bytes): "512Mi" -> 0.5. */
int scn_parse_memory(const char *text, double *gib);
/* Parse a rate: number + /s|/min|/h; result per second. */
int scn_parse_rate(const char *text, double *per_s);

#endif
