/* sim/io/csvout.h - the fields of the CSV files burstsim writes: strings
 * quoted with libcsv (csv_fwrite) only when they hold a comma, quote, CR,
 * LF or a leading/trailing blank; numbers in one of three formats; times
 * in integer microseconds printed exactly as seconds with 6 decimals.
 * NAN numbers are empty fields.
 * Units:   sim_time is int64 microseconds; printed as seconds.
 * Owns:    nothing; the caller owns the FILE.
 * Errors:  write failures are recorded in *err (the first errno, see
 *          outfile_keep_errno) and reported when the file is closed
 *          (outfile_close); later writes still run but the file is bad.
 * Threads: no globals; one FILE per thread. */
#ifndef SIM_CSVOUT_H
#define SIM_CSVOUT_H

#include "sim/engine/common.h"

#include <stdio.h>

/* Number formats of the results files. */
enum csvout_numfmt {
    CSVOUT_INT,      /* "%.0f": COUNT metrics in replications.csv */
    CSVOUT_EXACT,    /* "%.17g": round-trips to the same double */
    CSVOUT_SUMMARY,  /* "%.10g": summary.csv, far finer than any 95 % CI */
};

/* Write s (not NULL) to fp as is. */
void csvout_raw(FILE *fp, int *err, const char *s);

/* Write one string field (NULL = empty), quoted with libcsv when needed. */
void csvout_str(FILE *fp, int *err, const char *s);

/* Write a number field in format f; NAN writes nothing (empty field). */
void csvout_num(FILE *fp, int *err, double v, enum csvout_numfmt f);

/* Write ",<seconds>" for t (integer us, exactly, 6 decimals, no floating
 * point on the way: 1500000 -> ",1.500000", -1 -> ",-0.000001"). */
void csvout_us(FILE *fp, int *err, sim_time t);

/* Write ",<integer>". */
void csvout_i64(FILE *fp, int *err, int64_t v);

#endif
