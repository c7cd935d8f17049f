/* sim/cmd_util.c - helpers shared by the subcommands (see commands.h). */
#include "sim/cli/commands.h"

#include <stdarg.h>
#include <stdio.h>

int cmd_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "burstsim: %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\ntry 'burstsim %s --help'\n", cmd);
    return EXIT_USAGE;
}
