/* sim/run/exit_code.c - exit codes for errors and the error line (see
 * exit_code.h). */
#include "sim/run/exit_code.h"

#include <stdio.h>

void exit_print_diag(const struct diag *d)
{
    char buf[2048];
    fprintf(stderr, "%s\n", diag_format(d, buf, sizeof buf));
}

int exit_code_for(int code)
{
    switch (code) {
    case SIM_EPARSE:
    case SIM_ERANGE:
    case SIM_EINVAL:
    case SIM_EUNSUP:
    case SIM_EIO: /* trace missing or unreadable */
        return EXIT_INVALID;
    default:
        return EXIT_RUN_FAILED;
    }
}
