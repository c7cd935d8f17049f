/* sim/engine/common.h - time base, error codes and diagnostics shared by every module.
 * Units:   sim_time is int64 microseconds since t = 0 of a replication.
 * Owns:    nothing; struct diag is caller-allocated and holds its text inline.
 * Errors:  int results are 0 (SIM_OK) or a negative SIM_E* code.
 * Threads: no globals; every function here is reentrant. */
#ifndef SIM_COMMON_H
#define SIM_COMMON_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Simulation time: integer microseconds, so poll ticks and durations that
 * are multiples of them tie exactly and the event order rule decides. */
typedef int64_t sim_time;

#define SIM_TIME_MAX INT64_MAX
#define SIM_US_PER_S INT64_C(1000000)

/* Convert seconds (double) to microseconds, rounding to nearest. */
static inline sim_time sim_from_s(double s) { return (sim_time)llround(s * 1e6); }
/* Convert microseconds to seconds. */
static inline double sim_to_s(sim_time t) { return (double)t * 1e-6; }

/* One X-macro list makes the enum, sim_strerror() and sim_errname(). */
#define SIM_ERRORS(X)                                                          \
    X(OK, 0, "success")                                                        \
    X(ENOMEM, -1, "out of memory")                                             \
    X(EINVAL, -2, "invalid argument")                                          \
    X(EPARSE, -3, "syntax error")                                              \
    X(ERANGE, -4, "value out of range")                                        \
    X(EIO, -5, "I/O error")                                                    \
    X(EUNSUP, -6, "not supported yet")                                         \
    X(EINTERNAL, -7, "internal error")

enum sim_error {
#define SIM_ERR_ENUM(name, code, text) SIM_##name = (code),
    SIM_ERRORS(SIM_ERR_ENUM)
#undef SIM_ERR_ENUM
};

/* Human text of an error code ("out of memory"); never NULL. */
const char *sim_strerror(int code);
/* Symbolic name of an error code ("SIM_ENOMEM"); never NULL. */
const char *sim_errname(int code);

/* A diagnostic: the first error of an operation, with its location.
 * file is a path (scenario or trace) or "" when there is none; line and col
 * are 1-based, 0 when unknown (then they are not printed). msg holds the
 * text after "error: ", by convention "key.path: what was expected, what
 * was found". */
struct diag {
    char file[512];  /* file the error is in, "" if none */
    int line;        /* 1-based line, 0 = unknown */
    int col;         /* 1-based column, 0 = unknown */
    int code;        /* SIM_E* code, SIM_OK while no error was set */
    char msg[768];   /* message text, NUL-terminated */
};

/* Reset d to "no error". */
void diag_init(struct diag *d);

/* Record an error in d unless one is already recorded (the first error wins).
 * file may be NULL (keeps the current file). Returns code, so callers can
 * write `return diag_set(d, SIM_EPARSE, ...)`. d may be NULL (then only the
 * code is returned). */
int diag_set(struct diag *d, int code, const char *file, int line, int col,
             const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Format d as "file:line:col: error: msg" (parts that are unknown are left
 * out) into buf of size n. Returns buf. */
char *diag_format(const struct diag *d, char *buf, size_t n);

/* Release-mode assertion for cheap invariant checks: a failure is a bug in
 * burstsim, not bad input. Prints the expression and location and aborts. */
#define SIM_ASSERT(c)                                                          \
    ((c) ? (void)0 : sim_assert_fail(#c, __FILE__, __LINE__))
#ifdef SIM_DEBUG
#define SIM_DASSERT(c) SIM_ASSERT(c)
#else
#define SIM_DASSERT(c) ((void)0)
#endif
_Noreturn void sim_assert_fail(const char *expr, const char *file, int line);

#endif
