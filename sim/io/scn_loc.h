/* sim/io/scn_loc.h - where each key of a loaded scenario was written (the
 * records in struct scenario's locs, filled by the loader), for errors found
 * after loading.
 * Threads: read-only look-ups. */
#ifndef SIM_IO_SCN_LOC_H
#define SIM_IO_SCN_LOC_H

#include "models/scenario.h"

/* Where key path was written, or NULL if it was left at its default. */
const struct scn_loc *scn_loc(const struct scenario *scn, const char *path);

#endif
