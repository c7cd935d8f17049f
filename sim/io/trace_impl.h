/* sim/io/trace_impl.h - internals shared by the trace reader's two files:
 * sim/io/trace.c (opening, feeding libcsv, the row ring, counts_wide sums,
 * closing) and sim/io/trace_read.c (returning events and counts). Not for
 * other modules: use trace.h.
 * Units:   line numbers are 1-based file lines (int64).
 * Owns:    struct trace_row buffers belong to the reader's ring.
 * Errors:  negative SIM_E* codes, the first one kept in tr->err.
 * Threads: no globals; one reader per thread. */
#ifndef SIM_TRACE_IMPL_H
#define SIM_TRACE_IMPL_H

#include "sim/io/trace.h"

#include <limits.h>

#define TRACE_SHOW_MAX 80 /* bytes of a bad field shown in messages */

/* The fields a row keeps, by purpose. */
enum { K_TIME, K_DURATION, K_COUNT, K_N };

/* One data row as the callbacks assembled it. Only the kept fields are
 * stored, each NUL-terminated in buf; the buffer is reused by later rows in
 * the same slot, so it grows to the longest kept fields and no further. */
struct trace_row {
    int64_t line;     /* 1-based file line where the row starts */
    int nfields;      /* fields seen in this row */
    char *buf;        /* kept fields, each NUL-terminated */
    size_t len, cap;  /* bytes used / allocated in buf */
    size_t off[K_N];  /* offset of kept field k in buf */
    bool has[K_N];    /* kept field k was seen */
};

/* Clamp a 64-bit line number to the int of struct diag. */
static inline int trace__diag_line(int64_t line)
{
    return line > INT_MAX ? INT_MAX : (int)line;
}

/* Make sure a complete row is queued, feeding the parser as needed.
 * Returns 1 (tr->rows_buf[tr->rows_head] is it), 0 at end of input, or a
 * negative SIM_E* code (recorded in tr->err). */
int trace__row_ready(struct trace_reader *tr);

/* Copy the reader's first error into d (unless d already has one; d may
 * be NULL) and return its code. */
int trace__fail(const struct trace_reader *tr, struct diag *d);

#endif
