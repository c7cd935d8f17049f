/* sim/support.h - which documented scenario keys the model honours yet.
 * The scenario format (docs/scenario-format.md) is implemented in full by
 * the loader; the simulation grows into it issue by issue. A key whose value
 * the model cannot honour yet is refused with "not supported yet" at the
 * line and column where it was written, never silently ignored.
 * Threads: pure. */
#ifndef SIM_SUPPORT_H
#define SIM_SUPPORT_H

#include "sim/common.h"
#include "sim/scenario.h"

/* Return 0 when every value in scn can be simulated, else SIM_EUNSUP with d
 * set to "file:line:col: error: key.path: <value> is not supported yet
 * (...)". */
int scn_check_supported(const struct scenario *scn, struct diag *d);

#endif
