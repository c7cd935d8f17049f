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

/* Latest arrival time a trace may give, us after time zero: 1e11 s (3,170
 * years, the bound of every duration key). Every time the reader computes
 * (a row's time minus the first row's, a counts_wide column's start k *
 * interval and its end) is checked against it before it is used, so no
 * later sum of a time and a duration can overflow int64. */
#define TRACE_TIME_MAX_US (INT64_C(100000000000) * SIM_US_PER_S)

/* Parse one timestamp field text[0..len) (need not be NUL-terminated) in
 * the given format. TF_AUTO here (without the header) reads ISO 8601 if it
 * starts with four digits and '-', else a number as offset seconds; a
 * reader never passes TF_AUTO: it decides once, at the first data row, with
 * trace_time_auto() (header and magnitude), and uses that format for every
 * row. epoch_us / offset_us read integer-rounded microseconds.
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

/* The name of a time format as the scenario writes it ("epoch_ms"). */
const char *trace_time_format_name(enum time_format f);

/* What a time column's header name says about its values, for auto. */
struct trace_time_hint {
    enum time_format unit; /* TF_OFFSET_S / _MS / _US, TF_AUTO = no unit */
    bool epoch;            /* a token "epoch", "unix" or "posix" */
    bool unit_conflict;    /* two different unit tokens */
};

/* Read the hint of a header name: the name is split into tokens (runs of
 * ASCII letters and digits, split again at a lowercase-to-uppercase step,
 * compared lowercase); a token s, sec, secs, second, seconds says seconds;
 * ms, msec, msecs, milli, millis, millisecond, milliseconds says ms; us,
 * usec, usecs, micro, micros, microsecond, microseconds says us; epoch,
 * unix, posix says epoch. So "timestamp_ms", "TimestampMs", "t_ms" say ms;
 * "TIMESTAMP", "ts" and "timestampms" say nothing. */
void trace_time_header_hint(const char *name, struct trace_time_hint *h);

/* Decide time_format auto from the first data row's field text[0..len)
 * and the header's hint h:
 *  - a field that starts like a date (four digits and '-') is iso8601;
 *  - otherwise the number v (rounded to an integer) is classed by
 *    magnitude: 0 <= v < 10^8.5 is small (an offset), 10^8.5 <= v < 10^10
 *    epoch_s (1980-01-08 to 2286-11-20), the same range times 10^3
 *    epoch_ms, times 10^6 epoch_us; anything else (negative, or in a gap
 *    between the ranges, or beyond) fits no format;
 *  - small: offset in the header's unit (offset_ms for "..._ms"), seconds
 *    when the header names none; refused when the header says epoch;
 *  - epoch_X: refused when the header names another unit (candidates
 *    epoch_X by the value and offset_<unit> by the header).
 * Returns 0 with *fmt, or SIM_EPARSE with why[0..why_n) saying why and
 * naming the candidates (no file, line or key: the caller adds them). */
int trace_time_auto(const char *text, size_t len,
                    const struct trace_time_hint *h, enum time_format *fmt,
                    char *why, size_t why_n);

/* After auto decided fmt, does a later row's field still fit it? Numeric
 * formats must stay in their range (offset_s below 10^8.5, offset_ms below
 * 10^11.5, ...; epoch_s 10^8.5..10^10, ...): a trace that mixes offsets
 * and epoch times, or seconds and ms, is refused at the first row that
 * leaves the range. iso8601 always fits (the parser checks each row), as
 * does a field that is not a number (the parser reports it). False with
 * why[0..why_n) set ("expected epoch_s from 316227766 to below
 * 10000000000"). */
bool trace_time_auto_fits(enum time_format fmt, const char *text, size_t len,
                          char *why, size_t why_n);

/* Copy text s[0..len) that burstsim echoes from a trace (a header name, a
 * field) into out[0..n), NUL-terminated, with bytes a terminal could act
 * on escaped as \xHH: ASCII controls (0x00-0x1F, 0x7F), C1 controls
 * (U+0080-U+009F), bytes that are not valid UTF-8, and the backslash
 * itself (so the text is unambiguous); valid UTF-8 passes. At most max_in
 * input bytes are shown; "..." marks a cut (also when out is full).
 * Returns strlen(out). */
size_t trace_escape(char *out, size_t n, const char *s, size_t len,
                    size_t max_in);

/* Trim blanks (space, tab) at both ends of [*s, *s + *n). */
void trace_time_trim(const char **s, size_t *n);

#endif
