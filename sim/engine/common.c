/* sim/engine/common.c - error names and diagnostics (see common.h). */
#include "sim/engine/common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *sim_strerror(int code)
{
    switch (code) {
#define SIM_ERR_TEXT(name, c, text)                                            \
    case c:                                                                    \
        return text;
        SIM_ERRORS(SIM_ERR_TEXT)
#undef SIM_ERR_TEXT
    default:
        return "unknown error";
    }
}

const char *sim_errname(int code)
{
    switch (code) {
#define SIM_ERR_NAME(name, c, text)                                            \
    case c:                                                                    \
        return "SIM_" #name;
        SIM_ERRORS(SIM_ERR_NAME)
#undef SIM_ERR_NAME
    default:
        return "SIM_EUNKNOWN";
    }
}

void diag_init(struct diag *d)
{
    memset(d, 0, sizeof *d);
}

int diag_set(struct diag *d, int code, const char *file, int line, int col,
             const char *fmt, ...)
{
    if (d == NULL || d->code != SIM_OK)
        return code;
    d->code = code;
    if (file != NULL)
        snprintf(d->file, sizeof d->file, "%s", file);
    d->line = line;
    d->col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->msg, sizeof d->msg, fmt, ap);
    va_end(ap);
    return code;
}

char *diag_format(const struct diag *d, char *buf, size_t n)
{
    size_t k = 0;
    buf[0] = '\0';
    if (d->file[0] != '\0') {
        if (d->line > 0 && d->col > 0)
            k = (size_t)snprintf(buf, n, "%s:%d:%d: ", d->file, d->line, d->col);
        else if (d->line > 0)
            k = (size_t)snprintf(buf, n, "%s:%d: ", d->file, d->line);
        else
            k = (size_t)snprintf(buf, n, "%s: ", d->file);
    }
    if (k < n)
        snprintf(buf + k, n - k, "error: %s", d->msg);
    return buf;
}

void sim_assert_fail(const char *expr, const char *file, int line)
{
    fprintf(stderr, "burstsim: internal error: assertion '%s' failed at %s:%d\n",
            expr, file, line);
    abort();
}
