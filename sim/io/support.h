/* sim/io/support.h - checks of a loaded scenario that span several keys and
 * that the simulation relies on (batches must not overlap, piecewise steps
 * before `repeat`, a replica must fit on a dedicated node), and warnings
 * about values that Azure would refuse but that can still be simulated.
 * Every key of the scenario format is simulated; a key the model could not
 * honour would be refused here with "not supported yet", never ignored.
 * Threads: pure (scn_warnings writes to the stream it is given). */
#ifndef SIM_SUPPORT_H
#define SIM_SUPPORT_H

#include "sim/engine/common.h"
#include "sim/io/scenario.h"

#include <stdio.h>

/* Return 0 when scn can be simulated, else SIM_ERANGE (or SIM_EUNSUP) with
 * d set to "file:line:col: error: key.path: what was expected, what was
 * found". */
int scn_check_supported(const struct scenario *scn, struct diag *d);

/* Print "file:line:col: warning: ..." lines to err for values Azure would
 * refuse (job.cpu / job.memory outside the ACA Consumption combinations,
 * docs/model.md 8.3). Returns the number of warnings. */
int scn_warnings(const struct scenario *scn, FILE *err);

#endif
