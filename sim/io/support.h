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
 * found". Besides the checks above it refuses: job.idle_exit (non-zero)
 * with job.messages_per_replica >= 1 (it applies to drain mode only), a
 * job.replica_timeout that start-up always reaches (0 completions), a
 * scale.polling_interval that is not whole seconds >= 1 s unless the
 * scenario says `model: theoretical`, and two scale.rules with one name
 * (the message names both). */
int scn_check_supported(const struct scenario *scn, struct diag *d);

/* Print "file:line:col: warning: ..." lines to err for values Azure would
 * refuse (job.cpu / job.memory outside the ACA Consumption combinations,
 * docs/model.md 8.3), for `model: theoretical` (ACA limits not enforced),
 * and when start-up alone reaches job.replica_timeout with probability
 * above 1 % (scn_dist_tail). Returns the number of warnings. */
int scn_warnings(const struct scenario *scn, FILE *err);

/* P(X >= t_s) for a sample X of distribution d (seconds), from GSL's CDFs
 * (gsl_cdf_*_Q), the empirical values, or the mixture's weighted parts. */
double scn_dist_tail(const struct dist *d, double t_s);

#endif
