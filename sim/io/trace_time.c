/* sim/io/trace_time.c - timestamps and exact decimals of trace fields (see
 * trace_time.h).
 *
 * Workload: one or two fields per trace row, 10^3..10^8 rows: no
 * allocation, no locale, no floating point. ISO 8601 dates go through
 * Howard Hinnant's days_from_civil; decimals ("1700158623.979960",
 * "3536999", "1.5e3") are converted digit by digit to integers with one
 * rounding (half away from zero), never through a double. */
#include "sim/io/trace_time.h"

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_blank(char c) { return c == ' ' || c == '\t'; }
/* Trim blanks at both ends of [*s, *s + *n). */
void trace_time_trim(const char **s, size_t *n)
{
    while (*n > 0 && is_blank((*s)[0])) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && is_blank((*s)[*n - 1]))
        (*n)--;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (Howard Hinnant's days_from_civil; exact for every year). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;                                 /* [0, 399] */
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1; /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;       /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

static int days_in_month(int64_t y, int64_t m)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return (m == 2 && leap) ? 29 : mdays[m - 1];
}

/* Read exactly k digits at s[*i] (i < n) into *v; advances *i. */
static bool take_digits(const char *s, size_t n, size_t *i, int k, int64_t *v)
{
    int64_t x = 0;
    for (int j = 0; j < k; j++, (*i)++) {
        if (*i >= n || !is_digit(s[*i]))
            return false;
        x = x * 10 + (s[*i] - '0');
    }
    *v = x;
    return true;
}

/* True when s[*i] exists and equals c; then advances *i. */
static bool take_char(const char *s, size_t n, size_t *i, char c)
{
    if (*i < n && s[*i] == c) {
        (*i)++;
        return true;
    }
    return false;
}

/* Parse "YYYY-MM-DD[T| ]HH:MM:SS[.frac][Z|+hh[:mm]|-hh[:mm]]" (already
 * trimmed) into us since the Unix epoch. The fraction may have any number
 * of digits and is rounded to nearest us (half up). */
static int parse_iso8601(const char *s, size_t n, int64_t *out)
{
    size_t i = 0;
    int64_t y, mo, d, h, mi, se;
    if (!take_digits(s, n, &i, 4, &y) || !take_char(s, n, &i, '-') ||
        !take_digits(s, n, &i, 2, &mo) || !take_char(s, n, &i, '-') ||
        !take_digits(s, n, &i, 2, &d))
        return SIM_EPARSE;
    if (i >= n || (s[i] != 'T' && s[i] != 't' && s[i] != ' '))
        return SIM_EPARSE;
    i++;
    if (!take_digits(s, n, &i, 2, &h) || !take_char(s, n, &i, ':') ||
        !take_digits(s, n, &i, 2, &mi) || !take_char(s, n, &i, ':') ||
        !take_digits(s, n, &i, 2, &se))
        return SIM_EPARSE;
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 ||
        mi > 59 || se > 59)
        return SIM_EPARSE;

    /* Fraction: the first six digits are us, the seventh rounds. */
    int64_t frac_us = 0;
    if (i < n && (s[i] == '.' || s[i] == ',')) {
        i++;
        int nd = 0;
        int round_digit = 0;
        for (; i < n && is_digit(s[i]); i++, nd++) {
            if (nd < 6)
                frac_us = frac_us * 10 + (s[i] - '0');
            else if (nd == 6)
                round_digit = s[i] - '0';
        }
        if (nd == 0)
            return SIM_EPARSE;
        for (int k = nd; k < 6; k++)
            frac_us *= 10;
        if (round_digit >= 5)
            frac_us++; /* may reach 1000000: carries into the seconds */
    }

    /* Zone: none or Z = UTC; +hh, +hh:mm, +hhmm east of UTC. */
    int64_t zone_s = 0;
    if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
        i++;
    } else if (i < n && (s[i] == '+' || s[i] == '-')) {
        int64_t sign = s[i] == '-' ? -1 : 1, zh, zm = 0;
        i++;
        if (!take_digits(s, n, &i, 2, &zh))
            return SIM_EPARSE;
        if (i < n) {
            take_char(s, n, &i, ':');
            if (!take_digits(s, n, &i, 2, &zm))
                return SIM_EPARSE;
        }
        if (zh > 23 || zm > 59)
            return SIM_EPARSE;
        zone_s = sign * (zh * 3600 + zm * 60);
    }
    if (i != n)
        return SIM_EPARSE;

    int64_t secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
                   se - zone_s;
    *out = secs * SIM_US_PER_S + frac_us;
    return SIM_OK;
}

/* Parse a decimal number "[+-]digits[.digits][e[+-]digits]" (already
 * trimmed; digits may be absent on one side of the point) and scale it by
 * 10^scale: *out = round(value * 10^scale), half away from zero, exactly.
 * *exact tells whether no nonzero digit was rounded away. Fails on bad
 * syntax or |result| > TRACE_ABS_MAX. */
int trace_time_decimal(const char *s, size_t n, int scale, int64_t *out,
                       bool *exact)
{
    size_t i = 0;
    bool neg = false;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    size_t m0 = i;   /* mantissa start */
    int64_t ip = 0;  /* digits before the point */
    int64_t nd = 0;  /* mantissa digits */
    bool point = false;
    for (; i < n; i++) {
        if (is_digit(s[i])) {
            nd++;
            if (!point)
                ip++;
        } else if (s[i] == '.' && !point) {
            point = true;
        } else {
            break;
        }
    }
    size_t m1 = i; /* mantissa end */
    if (nd == 0)
        return SIM_EPARSE;
    int64_t exp10 = 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        bool eneg = false;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            eneg = s[i++] == '-';
        if (i >= n || !is_digit(s[i]))
            return SIM_EPARSE;
        for (; i < n && is_digit(s[i]); i++)
            if (exp10 < 100000) /* saturate; anything this big fails */
                exp10 = exp10 * 10 + (s[i] - '0');
        if (eneg)
            exp10 = -exp10;
    }
    if (i != n)
        return SIM_EPARSE;

    /* The integer part of value * 10^scale is the first k mantissa digits
     * (zero-padded when k > nd); digit k rounds; later ones are sticky. */
    int64_t k = ip + exp10 + scale;
    int64_t acc = 0, pos = 0;
    int round_digit = 0;
    bool sticky = false;
    for (size_t j = m0; j < m1; j++) {
        if (s[j] == '.')
            continue;
        int dg = s[j] - '0';
        if (pos < k) {
            if (acc > (TRACE_ABS_MAX - dg) / 10)
                return SIM_EPARSE;
            acc = acc * 10 + dg;
        } else if (pos == k) {
            round_digit = dg;
        } else if (dg != 0) {
            sticky = true;
        }
        pos++;
    }
    if (k < 0 && (round_digit != 0 || acc != 0)) {
        /* value < 0.1 at this scale: the rounding digit is a leading zero */
        sticky = true;
        round_digit = 0;
    }
    for (int64_t j = nd; j < k; j++) {
        if (acc > TRACE_ABS_MAX / 10)
            return SIM_EPARSE;
        acc *= 10;
    }
    if (round_digit >= 5)
        acc++;
    if (acc > TRACE_ABS_MAX)
        return SIM_EPARSE;
    *exact = round_digit == 0 && !sticky;
    *out = neg ? -acc : acc;
    return SIM_OK;
}

/* True when s (trimmed) starts like a date: four digits and a '-'. */
bool trace_time_is_date(const char *s, size_t n)
{
    return n >= 5 && is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) &&
           is_digit(s[3]) && s[4] == '-';
}

/* See trace_time.h. A pure function of its arguments (no locale, no state). */
int trace_parse_time(const char *text, size_t len, enum time_format fmt,
                     int64_t *abs_us, bool *is_absolute)
{
    if (text == NULL)
        return SIM_EPARSE;
    trace_time_trim(&text, &len);
    if (fmt == TF_AUTO)
        fmt = trace_time_is_date(text, len) ? TF_ISO8601 : TF_OFFSET_S;
    bool exact;
    int64_t v = 0;
    int rc;
    switch (fmt) {
    case TF_ISO8601:
        rc = parse_iso8601(text, len, &v);
        break;
    case TF_EPOCH_S:
    case TF_OFFSET_S:
        rc = trace_time_decimal(text, len, 6, &v, &exact);
        break;
    case TF_EPOCH_MS:
    case TF_OFFSET_MS:
        rc = trace_time_decimal(text, len, 3, &v, &exact);
        break;
    default:
        return SIM_EPARSE;
    }
    if (rc != SIM_OK)
        return rc;
    *abs_us = v;
    if (is_absolute != NULL)
        *is_absolute = fmt == TF_ISO8601 || fmt == TF_EPOCH_S ||
                       fmt == TF_EPOCH_MS;
    return SIM_OK;
}

/* What a field in format fmt should look like, for messages. */
const char *trace_time_expected(enum time_format fmt, bool was_auto)
{
    if (was_auto)
        return "expected an ISO 8601 time or a number of seconds";
    switch (fmt) {
    case TF_ISO8601:
        return "expected an ISO 8601 time";
    case TF_EPOCH_S:
        return "expected seconds since the Unix epoch (epoch_s)";
    case TF_EPOCH_MS:
        return "expected milliseconds since the Unix epoch (epoch_ms)";
    case TF_OFFSET_S:
        return "expected an offset in seconds (offset_s)";
    case TF_OFFSET_MS:
        return "expected an offset in milliseconds (offset_ms)";
    default:
        return "expected a time";
    }
}
