/* sim/io/trace_time.h - the fields of a trace row as numbers: timestamps
 * (ISO 8601, seconds or milliseconds since the Unix epoch or since time
 * zero) and exact decimals (counts, durations), parsed with integer
 * arithmetic only, so a time reads to the same microsecond on every
 * platform and compiler.
 * Units:   times are int64 microseconds; |value| <= TRACE_ABS_MAX.
 * Owns:    nothing; text need not be NUL-terminated.
 * Errors:  0 / SIM_EPARSE (bad syntax or out of range); no diag: callers
 *          name the file, line and column.
 * Threads: pure functions; no globals, no locale. */
#ifndef SIM_TRACE_TIME_H
#define SIM_TRACE_TIME_H

#include "sim/engine/common.h"
#include "models/scenario.h"

/* Largest magnitude a parsed time may have, us (about 146,000 years), so
 * that the difference of two parsed times never overflows int64. */
#define TRACE_ABS_MAX (INT64_MAX / 2)

/* Parse one timestamp field text[0..len) (need not be NUL-terminated) in
 * the given format. TF_AUTO detects: ISO 8601 if it starts with four digits
 * and '-', else a number taken as offset seconds; a reader resolves auto
 * once, at the first data row, and uses that format for every row.
 * ISO 8601: "YYYY-MM-DD[T| ]HH:MM:SS[.fraction of any length][zone]", zone
 * Z, +hh:mm, +hhmm or +hh (or -), no zone = UTC; the fraction is rounded to
 * nearest us (half up); integer arithmetic only. Epoch and offset formats
 * accept decimals and an exponent ("1.5e3"), converted exactly (digit by
 * digit, never through a double) and rounded to nearest us, ties away from
 * zero. Blanks around the field are ignored. *abs_us gets microseconds
 * (since the Unix epoch for absolute formats, since 0 for offset formats;
 * |value| <= INT64_MAX / 2); *is_absolute (may be NULL) tells which.
 * Returns 0 or SIM_EPARSE. */
int trace_parse_time(const char *text, size_t len, enum time_format fmt,
                     int64_t *abs_us, bool *is_absolute);

/* Parse a decimal number s[0..n) "[+-]digits[.digits][e[+-]digits]"
 * (already trimmed; digits may be absent on one side of the point) scaled
 * by 10^scale (scale 6 reads seconds as us, 0 a count): *out =
 * round(value * 10^scale), half away from zero, exactly. *exact tells
 * whether no nonzero digit was rounded away. Returns 0, or SIM_EPARSE on
 * bad syntax or |result| > TRACE_ABS_MAX. */
int trace_time_decimal(const char *s, size_t n, int scale, int64_t *out,
                       bool *exact);

/* True when s[0..n) (trimmed) starts like a date: four digits and a '-'
 * (how TF_AUTO tells ISO 8601 from a number). */
bool trace_time_is_date(const char *s, size_t n);

/* What a field in format fmt should look like, for messages ("expected an
 * ISO 8601 time"); was_auto: the format was auto and not yet resolved.
 * Returns a static string. */
const char *trace_time_expected(enum time_format fmt, bool was_auto);

/* Trim blanks (space, tab) at both ends of [*s, *s + *n). */
void trace_time_trim(const char **s, size_t *n);

#endif
