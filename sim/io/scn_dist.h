/* sim/io/scn_dist.h - internal to the scenario loader (sim/io/scn_*.c and
 * sim/io/scenario.c): a distribution key of the scenario (a bare duration
 * or a mapping with dist:, including empirical distributions, whose CSV
 * column is read here, and mixtures) into a struct dist of
 * sim/engine/dist.h. Not for other modules: use scenario.h.
 * Units:   parameters of durations in seconds (dist.h); counts are plain
 *          numbers.
 * Owns:    what is allocated into d (parts, weights, empirical values and
 *          paths) belongs to d, freed by dist_fini() (scn_fini() does),
 *          also after an error.
 * Errors:  0 or a negative SIM_E* with the loading context's diag set; the
 *          values of an empirical CSV are located in the CSV file.
 * Threads: no globals. */
#ifndef SIM_SCN_DIST_H
#define SIM_SCN_DIST_H

#include "sim/io/scn_ctx.h"

/* Parse the distribution written at v (key path path) into d. counts: the
 * values are plain numbers (batch sizes), else durations. weight != NULL:
 * a mixture part, which must also carry weight: w (stored there). record:
 * record where each key was written (scn__add_loc()); false for defaults. */
int scn__parse_dist(struct scn_ctx *c, const struct ynode *v,
                    const char *path, struct dist *d, bool counts,
                    double *weight, bool record);

#endif
