/* sim/io/scn_units.h - internal to the scenario module (sim/io/scn_*.c and
 * sim/io/scenario.c): the text of scalar values as numbers, plain numbers
 * and integers as the loader reads them, and numbers and durations written
 * back the way the writers and messages print them. The unit parsers
 * scn_parse_duration(), scn_parse_memory() and scn_parse_rate() of
 * scenario.h are implemented alongside (sim/io/scn_units.c). Not for other
 * modules: use scenario.h.
 * Units:   durations are sim_time microseconds.
 * Owns:    nothing; buffers are the caller's.
 * Errors:  the readers return false for text that is not the number.
 * Threads: pure functions; no globals. */
#ifndef SIM_SCN_UNITS_H
#define SIM_SCN_UNITS_H

#include "sim/engine/common.h"

/* A plain decimal number (digits, '.', exponent, signs; no hex, inf or
 * nan, nothing after it) that is finite. */
bool scn__num_text(const char *s, double *v);
/* An optionally signed decimal integer that fits in int64_t. */
bool scn__int_text(const char *s, int64_t *v);
/* Is s an optionally signed string of decimal digits (of any length)? */
bool scn__int_digits(const char *s);

/* Format x as the shortest decimal text that strtod() reads back as x. */
void scn__fmt_num(char *buf, size_t n, double x);
/* Format a duration in the largest unit that divides it ("30s", "1500ms"). */
void scn__fmt_dur(char *buf, size_t n, sim_time us);

/* ---- public: the value parsers (tests, --vary) ------------------------- */

/* Parse a duration: number + unit us|ms|s|m|min|h|d, or a bare number of
 * seconds ("500ms", "1.5h", "30"). Negative, NaN, infinite or unknown units
 * are errors. Returns 0 or SIM_EPARSE / SIM_ERANGE; *out in microseconds. */
int scn_parse_duration(const char *text, sim_time *out);
/* Parse memory: number + Ki|Mi|Gi (binary) or K|M|G (decimal); a bare number
 * is an error (ambiguous). Result in GiB (2^30 bytes): "512Mi" -> 0.5. */
int scn_parse_memory(const char *text, double *gib);
/* Parse a rate: number + /s|/min|/h; result per second. */
int scn_parse_rate(const char *text, double *per_s);

#endif
