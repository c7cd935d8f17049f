/* sim/cli/cmd_util.c - helpers shared by the subcommands (see commands.h):
 * the usage-error message and number parsing of option values. */
#include "sim/cli/commands.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* Print "burstsim: CMD: <message>" and the hint line naming `burstsim
 * HELP --help` (or `burstsim --help` when help_cmd is NULL). */
static int usage_errorv(const char *cmd, const char *help_cmd,
                        const char *fmt, va_list ap)
{
    fprintf(stderr, "burstsim: %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    if (help_cmd != NULL)
        fprintf(stderr, "\ntry 'burstsim %s --help'\n", help_cmd);
    else
        fprintf(stderr, "\ntry 'burstsim --help'\n");
    return EXIT_USAGE;
}

int cmd_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = usage_errorv(cmd, cmd, fmt, ap);
    va_end(ap);
    return rc;
}

int cmd_usage_error_hint(const char *cmd, const char *help_cmd,
                         const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = usage_errorv(cmd, help_cmd, fmt, ap);
    va_end(ap);
    return rc;
}

bool cmd_parse_uint(const char *s, unsigned long long max,
                    unsigned long long *out)
{
    if (s == NULL || *s == '\0' || *s == '-' || *s == '+')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0' || v > max)
        return false;
    *out = v;
    return true;
}
