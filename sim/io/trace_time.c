/* sim/io/trace_time.c - timestamps and exact decimals of trace fields (see
 * trace_time.h).
 *
 * Workload: one or two fields per trace row, 10^3..10^8 rows: no
 * allocation, no locale, no floating point. ISO 8601 dates go through
 * Howard Hinnant's days_from_civil; decimals ("1700158623.979960",
 * "3536999", "1.5e3") are converted digit by digit to integers with one
 * rounding (half away from zero), never through a double. */
#include "sim/io/trace_time.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
    case TF_EPOCH_US:
    case TF_OFFSET_US:
        rc = trace_time_decimal(text, len, 0, &v, &exact);
        break;
    default:
        return SIM_EPARSE;
    }
    if (rc != SIM_OK)
        return rc;
    *abs_us = v;
    if (is_absolute != NULL)
        *is_absolute = fmt == TF_ISO8601 || fmt == TF_EPOCH_S ||
                       fmt == TF_EPOCH_MS || fmt == TF_EPOCH_US;
    return SIM_OK;
}

/* What a field in format fmt should look like, for messages. */
const char *trace_time_expected(enum time_format fmt, bool was_auto)
{
    if (was_auto)
        return "expected an ISO 8601 time or a number";
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
    case TF_EPOCH_US:
        return "expected microseconds since the Unix epoch (epoch_us)";
    case TF_OFFSET_US:
        return "expected an offset in microseconds (offset_us)";
    default:
        return "expected a time";
    }
}


/* ---- auto: deciding the format from the header and the first value ----- */

/* The value ranges of the numeric classes, in the unit of the format:
 * 10^8.5 s (1980-01-08) .. 10^10 s (2286-11-20) for epoch dates, and
 * below 10^8.5 s (about 10 years) for offsets. */
#define E8_5 INT64_C(316227766)          /* 10^8.5, rounded down */
#define E10 INT64_C(10000000000)
static const struct tf_class {
    enum time_format fmt;
    const char *name;
    int64_t lo, hi;                      /* lo <= value < hi */
} tf_classes[] = {
    {TF_OFFSET_S, "offset_s", 0, E8_5},
    {TF_OFFSET_MS, "offset_ms", 0, E8_5 * 1000},
    {TF_OFFSET_US, "offset_us", 0, E8_5 * 1000000},
    {TF_EPOCH_S, "epoch_s", E8_5, E10},
    {TF_EPOCH_MS, "epoch_ms", E8_5 * 1000, E10 * 1000},
    {TF_EPOCH_US, "epoch_us", E8_5 * 1000000, E10 * 1000000},
};
#define N_CLASSES (sizeof tf_classes / sizeof tf_classes[0])

static const struct tf_class *class_of(enum time_format f)
{
    for (size_t i = 0; i < N_CLASSES; i++)
        if (tf_classes[i].fmt == f)
            return &tf_classes[i];
    return NULL;
}

const char *trace_time_format_name(enum time_format f)
{
    if (f == TF_AUTO)
        return "auto";
    if (f == TF_ISO8601)
        return "iso8601";
    const struct tf_class *c = class_of(f);
    return c != NULL ? c->name : "?";
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}
static bool is_alnum(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

/* Does token t (lowercase, n bytes) equal one of the words? */
static bool token_in(const char *t, size_t n, const char *const *words)
{
    for (; *words != NULL; words++)
        if (strlen(*words) == n && memcmp(t, *words, n) == 0)
            return true;
    return false;
}

/* See trace_time.h. Tokens: runs of letters and digits, split again where
 * a lowercase letter is followed by an uppercase one ("TimestampMs"). */
void trace_time_header_hint(const char *name, struct trace_time_hint *h)
{
    static const char *const w_s[] = {"s", "sec", "secs", "second",
                                      "seconds", NULL};
    static const char *const w_ms[] = {"ms", "msec", "msecs", "millis",
                                       "milli", "millisecond",
                                       "milliseconds", NULL};
    static const char *const w_us[] = {"us", "usec", "usecs", "micros",
                                       "micro", "microsecond",
                                       "microseconds", NULL};
    static const char *const w_epoch[] = {"epoch", "unix", "posix", NULL};
    memset(h, 0, sizeof *h);
    h->unit = TF_AUTO;
    size_t i = 0, n = strlen(name);
    while (i < n) {
        while (i < n && !is_alnum(name[i]))
            i++;
        char tok[32];
        size_t k = 0;
        bool too_long = false;
        while (i < n && is_alnum(name[i])) {
            if (k < sizeof tok)
                tok[k++] = lower(name[i]);
            else
                too_long = true;
            i++;
            if (i < n && is_upper(name[i]) && !is_upper(name[i - 1]) &&
                is_alnum(name[i - 1]))
                break; /* camelCase boundary */
        }
        if (k == 0 || too_long)
            continue;
        enum time_format u = TF_AUTO;
        if (token_in(tok, k, w_s))
            u = TF_OFFSET_S;
        else if (token_in(tok, k, w_ms))
            u = TF_OFFSET_MS;
        else if (token_in(tok, k, w_us))
            u = TF_OFFSET_US;
        else if (token_in(tok, k, w_epoch))
            h->epoch = true;
        if (u != TF_AUTO) {
            if (h->unit != TF_AUTO && h->unit != u)
                h->unit_conflict = true;
            h->unit = u;
        }
    }
}

/* The unit of a numeric class: TF_OFFSET_S / _MS / _US. */
static enum time_format unit_of(enum time_format f)
{
    switch (f) {
    case TF_EPOCH_S:
    case TF_OFFSET_S:
        return TF_OFFSET_S;
    case TF_EPOCH_MS:
    case TF_OFFSET_MS:
        return TF_OFFSET_MS;
    default:
        return TF_OFFSET_US;
    }
}

static const char *unit_word(enum time_format u)
{
    return u == TF_OFFSET_S ? "seconds" : u == TF_OFFSET_MS ? "milliseconds"
                                                            : "microseconds";
}

/* Append printf text to why[0..n) at *k. */
static void why_add(char *why, size_t n, size_t *k, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void why_add(char *why, size_t n, size_t *k, const char *fmt, ...)
{
    if (*k >= n)
        return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(why + *k, n - *k, fmt, ap);
    va_end(ap);
    if (w > 0)
        *k = *k + (size_t)w < n ? *k + (size_t)w : n;
}

/* See trace_time.h. */
int trace_time_auto(const char *text, size_t len,
                    const struct trace_time_hint *h, enum time_format *fmt,
                    char *why, size_t why_n)
{
    size_t k = 0;
    why[0] = '\0';
    trace_time_trim(&text, &len);
    if (trace_time_is_date(text, len)) {
        *fmt = TF_ISO8601;
        return SIM_OK;
    }
    int64_t v = 0;
    bool exact;
    if (trace_time_decimal(text, len, 0, &v, &exact) != SIM_OK) {
        why_add(why, why_n, &k, "neither an ISO 8601 time nor a number");
        return SIM_EPARSE;
    }
    if (h->unit_conflict) {
        why_add(why, why_n, &k, "the header names two different units");
        return SIM_EPARSE;
    }
    /* By magnitude alone: small (an offset in any unit) or one epoch. */
    const struct tf_class *by_value = NULL;
    if (v >= 0 && v < E8_5)
        by_value = class_of(h->unit != TF_AUTO ? h->unit : TF_OFFSET_S);
    for (size_t i = 3; i < N_CLASSES; i++)
        if (v >= tf_classes[i].lo && v < tf_classes[i].hi)
            by_value = &tf_classes[i];
    if (by_value == NULL) {
        why_add(why, why_n, &k,
                "%s fits no format (epoch_s %lld..%lld, epoch_ms and "
                "epoch_us 10^3 and 10^6 times that, offsets 0..%lld)",
                v < 0 ? "a negative value" : "the value", (long long)E8_5,
                (long long)E10, (long long)E8_5);
        return SIM_EPARSE;
    }
    bool is_epoch = by_value->fmt == TF_EPOCH_S ||
                    by_value->fmt == TF_EPOCH_MS ||
                    by_value->fmt == TF_EPOCH_US;
    if (!is_epoch && h->epoch) {
        why_add(why, why_n, &k,
                "candidates %s (by the value: not a date from 1980 to 2286 "
                "in any unit) or epoch (by the header)", by_value->name);
        return SIM_EPARSE;
    }
    if (is_epoch && h->unit != TF_AUTO && h->unit != unit_of(by_value->fmt)) {
        why_add(why, why_n, &k,
                "candidates %s (by the value's magnitude) or %s (the header "
                "says %s)", by_value->name, class_of(h->unit)->name,
                unit_word(h->unit));
        return SIM_EPARSE;
    }
    *fmt = by_value->fmt;
    return SIM_OK;
}

/* See trace_time.h. */
bool trace_time_auto_fits(enum time_format fmt, const char *text, size_t len,
                          char *why, size_t why_n)
{
    size_t k = 0;
    why[0] = '\0';
    const struct tf_class *c = class_of(fmt);
    if (c == NULL)
        return true; /* ISO 8601: the parser checks every row */
    trace_time_trim(&text, &len);
    int64_t v = 0;
    bool exact;
    if (trace_time_decimal(text, len, 0, &v, &exact) != SIM_OK)
        return true; /* the parser reports it */
    if (v >= c->lo && v < c->hi)
        return true;
    why_add(why, why_n, &k, "expected %s from %lld to below %lld", c->name,
            (long long)c->lo, (long long)c->hi);
    return false;
}

/* Escape s[0..len) into out (room bytes, no NUL written); stops before a
 * character that would not fit. Returns the bytes written; *used gets the
 * input bytes consumed. */
static size_t escape_some(char *out, size_t room, const char *s, size_t len,
                          size_t *used)
{
    static const char hex[] = "0123456789abcdef";
    size_t k = 0, i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        /* A UTF-8 sequence of 2-4 bytes passes whole, except C1 controls
         * (U+0080..U+009F, "\xC2\x80".."\xC2\x9F"). */
        size_t sl = c >= 0xC2 && c <= 0xDF   ? 2
                    : c >= 0xE0 && c <= 0xEF ? 3
                    : c >= 0xF0 && c <= 0xF4 ? 4
                                             : 1;
        bool ok = sl > 1 && i + sl <= len &&
                  !(c == 0xC2 && (unsigned char)s[i + 1] < 0xA0);
        for (size_t j = 1; ok && j < sl; j++)
            ok = ((unsigned char)s[i + j] & 0xC0) == 0x80;
        if (sl > 1 && ok) {
            if (k + sl > room)
                break;
            memcpy(out + k, s + i, sl);
            k += sl;
            i += sl;
        } else if (c < 0x20 || c >= 0x7F || c == '\\') {
            if (k + 4 > room)
                break;
            out[k++] = '\\';
            out[k++] = 'x';
            out[k++] = hex[c >> 4];
            out[k++] = hex[c & 15];
            i++;
        } else {
            if (k + 1 > room)
                break;
            out[k++] = (char)c;
            i++;
        }
    }
    *used = i;
    return k;
}

/* See trace_time.h. */
size_t trace_escape(char *out, size_t n, const char *s, size_t len,
                    size_t max_in)
{
    if (n == 0)
        return 0;
    size_t in = len < max_in ? len : max_in, used = 0;
    size_t k = escape_some(out, n - 1, s, in, &used);
    if (used < len) { /* cut: by max_in, or out is full */
        if (used < in && n > 4) /* out full: make room for "..." */
            k = escape_some(out, n - 4, s, in, &used);
        if (k + 3 < n) {
            memcpy(out + k, "...", 3);
            k += 3;
        }
    }
    out[k] = '\0';
    return k;
}
