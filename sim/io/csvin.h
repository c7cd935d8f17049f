/* sim/io/csvin.h - read a CSV file row by row (libcsv): the results files
 * burstsim reads back (replications.csv and latency_raw.csv of partial
 * folders for `burstsim merge`, timeseries.csv and latency_quantiles.csv
 * for `burstsim plot`).
 * Owns:    field strings are valid only during the row callback.
 * Errors:  0, SIM_EIO (cannot read), SIM_EPARSE (malformed CSV), or the
 *          callback's negative return, with d naming the file and line.
 * Threads: no globals. */
#ifndef SIM_CSVIN_H
#define SIM_CSVIN_H

#include "sim/engine/common.h"

/* Called once per row (the header included, line 1): fields[0..n-1] are
 * NUL-terminated. Return 0 to go on, a negative SIM_E* to stop (set d
 * yourself; csvin_read then returns that code). */
typedef int (*csvin_row_fn)(void *ctx, size_t line, char **fields, size_t n,
                            struct diag *d);

/* Read the CSV file at path, calling row for every row. */
int csvin_read(const char *path, csvin_row_fn row, void *ctx,
               struct diag *d);

/* Parse a number field: "" is NAN; otherwise the whole field must be a
 * number (strtod). Returns 0 or SIM_EPARSE. */
int csvin_number(const char *s, double *out);

#endif
