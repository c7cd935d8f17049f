/* sim/io/scn_print.h - a resolved scenario written back: as YAML (valid
 * scenario input, every default filled) and as a jansson object (for
 * summary.json).
 * Errors:  SIM_EIO / NULL as below.
 * Threads: no globals. */
#ifndef SIM_IO_SCN_PRINT_H
#define SIM_IO_SCN_PRINT_H

#include "models/scenario.h"

#include <stdio.h>

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

#endif
