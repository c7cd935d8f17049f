/* sim/run/exit_code.h - the process exit codes of burstsim (README and
 * `burstsim --help`), which the run, merge and every command return, and
 * the one error line a failed run prints.
 * Units:   none.
 * Owns:    nothing.
 * Errors:  these are the errors, as exit codes.
 * Threads: no globals; printing writes to stderr. */
#ifndef SIM_EXIT_CODE_H
#define SIM_EXIT_CODE_H

#include "sim/engine/common.h"

enum exit_code {
    EXIT_OK_ = 0,        /* success */
    EXIT_RUN_FAILED = 1, /* I/O error, internal error in a replication */
    EXIT_USAGE = 2,      /* bad command line */
    EXIT_INVALID = 3,    /* invalid scenario or trace */
    EXIT_SLO_NOT_MET = 4,/* --check: no configuration meets the SLOs */
};

/* Exit code for a negative SIM_E* that came out of loading or simulating:
 * a bad scenario or trace (SIM_EPARSE, SIM_ERANGE, SIM_EINVAL, SIM_EUNSUP,
 * SIM_EIO: a trace missing or unreadable) is EXIT_INVALID, anything else
 * EXIT_RUN_FAILED. */
int exit_code_for(int code);

/* Print d as one "file:line:col: error: ..." line to stderr. */
void exit_print_diag(const struct diag *d);

#endif
