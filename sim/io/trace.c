/* sim/trace.c - streaming reader of recorded arrival traces (CSV, libcsv).
 *
 * Workload: one pass, front to back, over traces of 10^3..10^8 rows (the
 * Azure LLM traces are 9k-20k rows, the Azure Functions ones millions), one
 * reader per replication. Memory must not grow with the trace, so the file
 * is read in 64 KiB chunks and pushed through libcsv's push parser; the
 * field and row callbacks keep only the fields we need (time, duration,
 * count) in a small ring of rows, and trace_next() feeds more input only
 * when the ring is empty.
 *
 * Feeding: each csv_parse() call gets the chunk up to and including the next
 * CR, LF or CRLF, so at most one row completes per call and the ring stays at
 * two slots. The cost is one csv_parse() call per line instead of one per
 * chunk (a few ns each; libcsv's per-byte work dominates). Feeding whole
 * chunks would also work; the ring would then grow to the number of rows in
 * one chunk.
 *
 * Quoting: libcsv runs in strict mode (RFC 4180): a quote inside an
 * unquoted field, text after a closing quote, or a quote never closed at the
 * end of the file is an error, not a guess (lenient mode would swallow every
 * row after a stray quote into one field).
 *
 * Line numbers: libcsv does not count lines, so we do. With CSV_REPALL_NL
 * the parser reports every unquoted CR and LF as a row end (rows without
 * fields are blank lines, skipped); a CR counts one line and an LF right
 * after it does not (CRLF); newlines inside quoted fields are counted in the
 * field callback. A row's line is the line of its first field.
 *
 * Time: all arithmetic is integer. ISO 8601 dates go through Howard
 * Hinnant's days_from_civil; decimals ("1700158623.979960", "3536999",
 * "1.5e3") are converted digit by digit to integer microseconds with one
 * rounding (half away from zero), never through a double. */
#include "sim/io/trace.h"

#include <csv.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define TRACE_CHUNK_SIZE ((size_t)64 * 1024) /* bytes per fread */
#define TRACE_RING_START 2                   /* rows; see feeding above */
#define TRACE_SHOW_MAX 80                    /* bytes of a bad field shown */
/* Largest magnitude a parsed time may have, us (about 146,000 years), so
 * that the difference of two parsed times never overflows int64. */
#define TRACE_ABS_MAX (INT64_MAX / 2)

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

/* ---- small helpers ------------------------------------------------------ */

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_blank(char c) { return c == ' ' || c == '\t'; }

static char ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* ASCII case-insensitive equality of two NUL-terminated strings (strcasecmp
 * would depend on the locale). */
static bool equal_nocase(const char *a, const char *b)
{
    for (; *a != '\0' && *b != '\0'; a++, b++)
        if (ascii_lower(*a) != ascii_lower(*b))
            return false;
    return *a == *b;
}

/* Trim blanks at both ends of [*s, *s + *n). */
static void trim(const char **s, size_t *n)
{
    while (*n > 0 && is_blank((*s)[0])) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && is_blank((*s)[*n - 1]))
        (*n)--;
}

/* Clamp a 64-bit line number to the int of struct diag. */
static int diag_line(int64_t line)
{
    return line > INT_MAX ? INT_MAX : (int)line;
}

/* ---- time parsing ------------------------------------------------------- */

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
static int parse_decimal(const char *s, size_t n, int scale, int64_t *out,
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
static bool looks_like_date(const char *s, size_t n)
{
    return n >= 5 && is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) &&
           is_digit(s[3]) && s[4] == '-';
}

/* See trace.h. A pure function of its arguments (no locale, no state). */
int trace_parse_time(const char *text, size_t len, enum time_format fmt,
                     int64_t *abs_us, bool *is_absolute)
{
    if (text == NULL)
        return SIM_EPARSE;
    trim(&text, &len);
    if (fmt == TF_AUTO)
        fmt = looks_like_date(text, len) ? TF_ISO8601 : TF_OFFSET_S;
    bool exact;
    int64_t v = 0;
    int rc;
    switch (fmt) {
    case TF_ISO8601:
        rc = parse_iso8601(text, len, &v);
        break;
    case TF_EPOCH_S:
    case TF_OFFSET_S:
        rc = parse_decimal(text, len, 6, &v, &exact);
        break;
    case TF_EPOCH_MS:
    case TF_OFFSET_MS:
        rc = parse_decimal(text, len, 3, &v, &exact);
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
static const char *time_expected(enum time_format fmt, bool was_auto)
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

/* ---- libcsv callbacks --------------------------------------------------- */

/* Append [s, s + n) and a NUL to *buf (size *len, capacity *cap). */
static bool buf_append(char **buf, size_t *len, size_t *cap, const void *s,
                       size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t nc = *cap ? *cap : 64;
        while (nc < *len + n + 1)
            nc *= 2;
        char *nb = realloc(*buf, nc);
        if (nb == NULL)
            return false;
        *buf = nb;
        *cap = nc;
    }
    if (n > 0)
        memcpy(*buf + *len, s, n);
    (*buf)[*len + n] = '\0';
    *len += n + 1;
    return true;
}

/* Double the ring, keeping the queued rows in order from slot 0. Only
 * happens when one fed piece completes more rows than the ring holds (lines
 * ended by a lone CR inside one chunk is the only way with our feeding). */
static bool ring_grow(struct trace_reader *tr)
{
    size_t nc = tr->rows_cap * 2;
    struct trace_row *nr = calloc(nc, sizeof *nr);
    if (nr == NULL)
        return false;
    for (size_t j = 0; j < tr->rows_cap; j++)
        nr[j] = tr->rows_buf[(tr->rows_head + j) % tr->rows_cap];
    free(tr->rows_buf);
    tr->rows_buf = nr;
    tr->rows_cap = nc;
    tr->rows_head = 0;
    return true;
}

/* The slot of the row under construction (after the queued ones). */
static struct trace_row *row_cur(struct trace_reader *tr)
{
    return &tr->rows_buf[(tr->rows_head + tr->rows_n) % tr->rows_cap];
}

/* Count LFs in a field (newlines inside quotes span file lines). */
static int64_t count_lf(const char *s, size_t n)
{
    int64_t k = 0;
    for (const char *p = s, *e = s + n; (p = memchr(p, '\n', (size_t)(e - p)));
         p++)
        k++;
    return k;
}

/* The header name of 0-based column col, or "" (only while the header is
 * kept, i.e. during trace_open). */
static const char *header_name(const struct trace_reader *tr, int col)
{
    const char *name = tr->header;
    if (name == NULL || col < 0 || col >= tr->n_header)
        return "";
    for (int j = 0; j < col; j++)
        name += strlen(name) + 1;
    return name;
}

/* counts_wide data field s[0..n): compare the filter column, parse a count
 * column into row_counts. Errors go to tr->err with the row's line and the
 * field's column. */
static void wide_field(struct trace_reader *tr, const char *s, size_t n)
{
    if (!tr->in_row) {
        tr->in_row = true;
        tr->wide_line = tr->line;
        tr->wide_nfields = 0;
        tr->wide_match = false;
    }
    int idx = tr->wide_nfields++;
    if (idx == tr->filter_col)
        tr->wide_match = n == strlen(tr->filter_equals) &&
                         (n == 0 || memcmp(s, tr->filter_equals, n) == 0);
    int k = idx - tr->first_count_col;
    if (k < 0 || k >= tr->n_counts)
        return;
    const char *t = s != NULL ? s : "";
    size_t len = n;
    trim(&t, &len);
    int64_t c = 0;
    bool exact = false;
    if (parse_decimal(t, len, 0, &c, &exact) != 0 || !exact || c < 0) {
        char shown[TRACE_SHOW_MAX + 1];
        size_t m = n < TRACE_SHOW_MAX ? n : TRACE_SHOW_MAX;
        if (m > 0)
            memcpy(shown, s, m);
        shown[m] = '\0';
        diag_set(&tr->err, SIM_EPARSE, tr->path, diag_line(tr->wide_line),
                 idx + 1, "%s: expected a count (an integer >= 0), got "
                 "\"%s%s\"", header_name(tr, idx), shown,
                 n > m ? "..." : "");
        return;
    }
    tr->row_counts[k] = c;
}

/* End of a counts_wide data row: check its width, add it to the sums when
 * it passes the filter. */
static void wide_row_end(struct trace_reader *tr)
{
    tr->wide_rows++;
    if (tr->wide_nfields != tr->n_header) {
        diag_set(&tr->err, SIM_EPARSE, tr->path, diag_line(tr->wide_line), 0,
                 "row has %d field%s, expected %d (one per header column)",
                 tr->wide_nfields, tr->wide_nfields == 1 ? "" : "s",
                 tr->n_header);
        return;
    }
    if (tr->filter_col >= 0 && !tr->wide_match)
        return;
    tr->wide_kept++;
    for (int k = 0; k < tr->n_counts; k++) {
        if (tr->sums[k] > INT64_MAX - tr->row_counts[k]) {
            diag_set(&tr->err, SIM_ERANGE, tr->path,
                     diag_line(tr->wide_line), tr->first_count_col + k + 1,
                     "column sum overflows a 64-bit count");
            return;
        }
        tr->sums[k] += tr->row_counts[k];
    }
}

/* libcsv field callback: field s[0..n) of the current row (unquoted and
 * trimmed by libcsv; s may be NULL when n is 0). The first field of a row
 * starts the row: in the header it notes the header's line, afterwards it
 * claims the ring slot after the queued rows (growing the ring if every
 * slot is queued). Header fields are all kept (names for column lookup and
 * messages); data fields only when their index is the time, duration or
 * count column. Out of memory is recorded in tr->err, which silences the
 * callbacks until the caller sees it. */
static void on_field(void *s, size_t n, void *data)
{
    struct trace_reader *tr = data;
    if (tr->err.code != SIM_OK)
        return;
    tr->pending_cr = false;
    if (tr->header_done && tr->format == TRACE_COUNTS_WIDE) {
        wide_field(tr, s, n);
        if (n > 0)
            tr->line += count_lf(s, n);
        return;
    }
    if (!tr->in_row) {
        tr->in_row = true;
        if (!tr->header_done) {
            tr->header_line = tr->line;
        } else {
            if (tr->rows_n == tr->rows_cap && !ring_grow(tr)) {
                diag_set(&tr->err, SIM_ENOMEM, tr->path, 0, 0,
                         "out of memory reading the trace");
                return;
            }
            struct trace_row *r = row_cur(tr);
            r->line = tr->line;
            r->nfields = 0;
            r->len = 0;
            memset(r->has, 0, sizeof r->has);
        }
    }
    bool ok = true;
    if (!tr->header_done) {
        ok = buf_append(&tr->header, &tr->header_len, &tr->header_cap, s, n);
        tr->n_header++;
    } else {
        struct trace_row *r = row_cur(tr);
        int idx = r->nfields++;
        const int cols[K_N] = {tr->time_col, tr->duration_col, tr->count_col};
        for (int k = 0; k < K_N && ok; k++) {
            if (cols[k] == idx) {
                r->off[k] = r->len;
                r->has[k] = true;
                ok = buf_append(&r->buf, &r->len, &r->cap, s, n);
            }
        }
    }
    if (!ok)
        diag_set(&tr->err, SIM_ENOMEM, tr->path, 0, 0,
                 "out of memory reading the trace");
    if (n > 0)
        tr->line += count_lf(s, n);
}

/* libcsv row callback: the row ended with character c ('\r', '\n', or -1
 * at csv_fini). A row with fields completes the header or queues a data
 * row; a row without fields is a blank line (or the LF of a CRLF), which
 * only advances the line count. */
static void on_row(int c, void *data)
{
    struct trace_reader *tr = data;
    if (tr->err.code != SIM_OK)
        return;
    if (tr->in_row) { /* a row with fields; blank lines have none */
        tr->in_row = false;
        if (!tr->header_done)
            tr->header_done = true;
        else if (tr->format == TRACE_COUNTS_WIDE)
            wide_row_end(tr);
        else
            tr->rows_n++;
    }
    if (c == '\r') {
        tr->line++;
        tr->pending_cr = true;
    } else if (c == '\n') {
        if (!tr->pending_cr) /* the LF of a CRLF was counted at its CR */
            tr->line++;
        tr->pending_cr = false;
    }
}

/* ---- feeding ------------------------------------------------------------ */

/* Feed the parser the next line of input (reading a chunk when the last one
 * is used up; at end of file, csv_fini completes a last row without a
 * newline). Returns 0 when something was fed, 1 at end of input, or a
 * negative SIM_E* code (recorded in tr->err). */
static int feed(struct trace_reader *tr)
{
    struct csv_parser *p = tr->csv;
    if (tr->chunk_pos == tr->chunk_len) {
        if (tr->eof)
            return 1;
        size_t got = fread(tr->chunk, 1, tr->chunk_size, tr->fp);
        if (got == 0) {
            if (ferror(tr->fp))
                return diag_set(&tr->err, SIM_EIO, tr->path, 0, 0,
                                "cannot read trace: %s", strerror(errno));
            tr->eof = true;
            /* The line where the pending row began, for CSV_STRICT_FINI's
             * complaint about a quote never closed (without that option
             * libcsv would silently swallow every row after the quote). */
            int64_t start = tr->line;
            if (tr->in_row)
                start = tr->header_done ? row_cur(tr)->line : tr->header_line;
            if (csv_fini(p, on_field, on_row, tr) != 0 &&
                tr->err.code == SIM_OK)
                diag_set(&tr->err, SIM_EPARSE, tr->path, diag_line(start), 0,
                         "unterminated quoted field (a '\"' opened in this "
                         "row is never closed)");
            return tr->err.code;
        }
        tr->chunk_len = got;
        tr->chunk_pos = 0;
        if (!tr->bom_checked) { /* fread fills the buffer unless at EOF */
            tr->bom_checked = true;
            if (got >= 3 && memcmp(tr->chunk, "\xEF\xBB\xBF", 3) == 0)
                tr->chunk_pos = 3;
            if (tr->chunk_pos == tr->chunk_len)
                return 0;
        }
    }
    const char *b = tr->chunk + tr->chunk_pos, *e = tr->chunk + tr->chunk_len;
    const char *q = b;
    while (q < e && *q != '\n' && *q != '\r')
        q++;
    if (q < e) {
        if (*q == '\r' && q + 1 < e && q[1] == '\n')
            q++;
        q++;
    }
    size_t n = (size_t)(q - b);
    if (csv_parse(p, b, n, on_field, on_row, tr) != n &&
        tr->err.code == SIM_OK) {
        if (csv_error(p) == CSV_EPARSE) {
            /* CSV_STRICT: a quote inside an unquoted field, or text after
             * a closing quote. tr->line is the line the bad field starts
             * on (newlines of earlier quoted fields were counted). */
            int col = 1;
            if (tr->in_row)
                col = tr->header_done ? row_cur(tr)->nfields + 1
                                      : tr->n_header + 1;
            diag_set(&tr->err, SIM_EPARSE, tr->path, diag_line(tr->line),
                     col, "malformed CSV quoting (a '\"' inside an unquoted "
                     "field, or text after a closing '\"')");
        } else {
            diag_set(&tr->err, SIM_ENOMEM, tr->path, diag_line(tr->line), 0,
                     "CSV: %s", csv_strerror(csv_error(p)));
        }
    }
    tr->chunk_pos += n;
    return tr->err.code;
}

/* Make sure a complete row is queued. Returns 1 (rows_buf[rows_head] is
 * it), 0 at end of input, or a negative SIM_E* code. */
static int row_ready(struct trace_reader *tr)
{
    while (tr->rows_n == 0) {
        int rc = feed(tr);
        if (rc != 0)
            return rc > 0 ? 0 : rc;
    }
    return 1;
}

/* Copy the reader's first error into d (unless d already has one) and
 * return its code. */
static int fail(const struct trace_reader *tr, struct diag *d)
{
    if (d != NULL && d->code == SIM_OK)
        *d = tr->err;
    return tr->err.code;
}

/* ---- opening: header and columns ---------------------------------------- */

/* The header names as "a, b, c" into out (size n), cut with "..." when long. */
static void header_list(const struct trace_reader *tr, char *out, size_t n)
{
    size_t k = 0;
    out[0] = '\0';
    const char *name = tr->header;
    for (int j = 0; j < tr->n_header && k < n; j++) {
        int w = snprintf(out + k, n - k, "%s%s", j ? ", " : "", name);
        if (w < 0 || (size_t)w >= n - k) {
            if (n > 4)
                memcpy(out + n - 4, "...", 4);
            return;
        }
        k += (size_t)w;
        name += strlen(name) + 1;
    }
}

/* Find column spec (header name or 1-based index; NULL = default_idx) and
 * store its 0-based index in *col and its header name in key. key_path is
 * the scenario key for messages. Returns 0 or SIM_EPARSE. */
static int resolve_column(struct trace_reader *tr, const char *spec,
                          int default_idx, const char *key_path, int *col,
                          char key[64])
{
    int found = -1;
    if (spec == NULL) {
        found = default_idx < tr->n_header ? default_idx : -1;
    } else {
        const char *name = tr->header;
        for (int j = 0; j < tr->n_header && found < 0; j++) {
            if (strcmp(name, spec) == 0)
                found = j;
            name += strlen(name) + 1;
        }
        if (found < 0 && spec[0] != '\0' &&
            strspn(spec, "0123456789") == strlen(spec)) {
            long v = strlen(spec) <= 9 ? strtol(spec, NULL, 10) : 0;
            if (v >= 1 && v <= tr->n_header)
                found = (int)v - 1;
        }
        name = tr->header;
        for (int j = 0; j < tr->n_header && found < 0; j++) {
            if (equal_nocase(name, spec))
                found = j;
            name += strlen(name) + 1;
        }
    }
    if (found < 0) {
        char list[400];
        header_list(tr, list, sizeof list);
        if (spec == NULL)
            return diag_set(&tr->err, SIM_EPARSE, tr->path,
                            diag_line(tr->header_line), 0,
                            "%s: no column %d (columns: %s)", key_path,
                            default_idx + 1, list);
        return diag_set(&tr->err, SIM_EPARSE, tr->path,
                        diag_line(tr->header_line), 0,
                        "%s: no column \"%.100s\" (columns: %s)", key_path,
                        spec, list);
    }
    *col = found;
    const char *name = tr->header;
    for (int j = 0; j < found; j++)
        name += strlen(name) + 1;
    snprintf(key, 64, "%s", name[0] != '\0' ? name : key_path);
    return SIM_OK;
}

/* counts_wide at open (header read): resolve the filter and first count
 * columns, then read every row once, summing the kept rows per column.
 * Returns 0 or a negative SIM_E* code recorded in tr->err. */
static int open_wide(struct trace_reader *tr, const struct scn_trace *cfg)
{
    char key[64];
    if (cfg->filter.column != NULL) {
        if (resolve_column(tr, cfg->filter.column, -1,
                           "arrivals.trace.filter.column", &tr->filter_col,
                           key) != 0)
            return tr->err.code;
        tr->filter_equals = strdup(cfg->filter.equals != NULL
                                       ? cfg->filter.equals : "");
        if (tr->filter_equals == NULL)
            return diag_set(&tr->err, SIM_ENOMEM, tr->path, 0, 0,
                            "out of memory opening the trace");
    }
    if (cfg->first_count_column != NULL) {
        if (resolve_column(tr, cfg->first_count_column, -1,
                           "arrivals.trace.first_count_column",
                           &tr->first_count_col, tr->count_key) != 0)
            return tr->err.code;
    } else {
        /* The first column whose header is an integer ("480"). */
        int found = -1;
        for (int j = 0; j < tr->n_header && found < 0; j++) {
            const char *h = header_name(tr, j);
            if (h[0] != '\0' && strspn(h, "0123456789") == strlen(h))
                found = j;
        }
        if (found < 0)
            return diag_set(&tr->err, SIM_EPARSE, tr->path,
                            diag_line(tr->header_line), 0,
                            "arrivals.trace.first_count_column: no header "
                            "is an integer; name the first count column");
        tr->first_count_col = found;
    }
    tr->n_counts = tr->n_header - tr->first_count_col;
    tr->sums = calloc((size_t)tr->n_counts, sizeof *tr->sums);
    tr->row_counts = calloc((size_t)tr->n_counts, sizeof *tr->row_counts);
    if (tr->sums == NULL || tr->row_counts == NULL)
        return diag_set(&tr->err, SIM_ENOMEM, tr->path, 0, 0,
                        "out of memory opening the trace");
    for (;;) {
        int rc = feed(tr);
        if (rc < 0)
            return rc;
        if (rc > 0)
            break;
    }
    if (tr->wide_rows == 0)
        return diag_set(&tr->err, SIM_EPARSE, tr->path, 0, 0,
                        "trace has no rows");
    if (tr->wide_kept == 0)
        return diag_set(&tr->err, SIM_EPARSE, tr->path, 0, 0,
                        "arrivals.trace.filter: no row has %s = \"%.100s\"",
                        header_name(tr, tr->filter_col), tr->filter_equals);
    free(tr->header);
    tr->header = NULL;
    tr->header_len = tr->header_cap = 0;
    free(tr->row_counts);
    tr->row_counts = NULL;
    return SIM_OK;
}

/* See trace.h. Errors are recorded in tr->err first (the callbacks can only
 * report there), then copied to d; every failure closes tr. */
int trace_open(struct trace_reader *tr, const struct scn_trace *cfg,
               struct diag *d)
{
    memset(tr, 0, sizeof *tr);
    tr->time_col = tr->duration_col = tr->count_col = -1;
    if (cfg == NULL || cfg->path == NULL)
        return diag_set(d, SIM_EINVAL, NULL, 0, 0,
                        "arrivals.trace.path: no trace path given");
    snprintf(tr->path, sizeof tr->path, "%s", cfg->path);
    tr->format = cfg->format;
    tr->time_format = cfg->time_format;
    tr->time_auto = cfg->time_format == TF_AUTO;
    tr->filter_col = -1;
    tr->interval_us =
        cfg->interval_us > 0 ? cfg->interval_us : 60 * SIM_US_PER_S;

    tr->fp = fopen(cfg->path, "rb");
    if (tr->fp == NULL)
        return diag_set(d, SIM_EIO, tr->path, 0, 0,
                        "cannot open trace: %s", strerror(errno));
    tr->chunk_size = TRACE_CHUNK_SIZE;
    tr->chunk = malloc(tr->chunk_size);
    tr->csv = malloc(sizeof(struct csv_parser));
    tr->rows_cap = TRACE_RING_START;
    tr->rows_buf = calloc(tr->rows_cap, sizeof *tr->rows_buf);
    if (tr->chunk == NULL || tr->csv == NULL || tr->rows_buf == NULL ||
        csv_init(tr->csv, CSV_REPALL_NL | CSV_STRICT | CSV_STRICT_FINI) != 0) {
        diag_set(&tr->err, SIM_ENOMEM, tr->path, 0, 0,
                 "out of memory opening the trace");
        goto err;
    }
    tr->csv_ready = true;
    tr->line = 1;

    /* Header: the first row with fields. */
    while (!tr->header_done) {
        int rc = feed(tr);
        if (rc < 0)
            goto err;
        if (rc > 0 && !tr->header_done) {
            diag_set(&tr->err, SIM_EPARSE, tr->path, 0, 0,
                     "trace is empty (no header row)");
            goto err;
        }
    }

    if (tr->format == TRACE_COUNTS_WIDE) {
        if (open_wide(tr, cfg) != 0)
            goto err;
        return SIM_OK;
    }
    if (resolve_column(tr, cfg->time_column, 0, "arrivals.trace.time_column",
                       &tr->time_col, tr->time_key) != 0)
        goto err;
    tr->min_fields = tr->time_col + 1;
    if (tr->format == TRACE_EVENTS && cfg->duration_column != NULL) {
        if (resolve_column(tr, cfg->duration_column, -1,
                           "arrivals.trace.duration_column",
                           &tr->duration_col, tr->duration_key) != 0)
            goto err;
        if (tr->duration_col + 1 > tr->min_fields)
            tr->min_fields = tr->duration_col + 1;
    }
    if (tr->format == TRACE_COUNTS) {
        if (resolve_column(tr, cfg->count_column, 1,
                           "arrivals.trace.count_column", &tr->count_col,
                           tr->count_key) != 0)
            goto err;
        if (tr->count_col + 1 > tr->min_fields)
            tr->min_fields = tr->count_col + 1;
    }
    /* The names are no longer needed: keep memory to one row. */
    free(tr->header);
    tr->header = NULL;
    tr->header_len = tr->header_cap = 0;
    return SIM_OK;

err:
    fail(tr, d);
    {
        int code = tr->err.code;
        trace_close(tr);
        return code;
    }
}

/* ---- reading rows -------------------------------------------------------- */

/* Show at most TRACE_SHOW_MAX bytes of a bad field. */
#define SHOW_FMT "\"%.*s%s\""
#define SHOW_ARGS(s)                                                           \
    (int)(strlen(s) > TRACE_SHOW_MAX ? TRACE_SHOW_MAX : strlen(s)), (s),       \
        (strlen(s) > TRACE_SHOW_MAX ? "..." : "")

/* Check the head row's field count and time, resolve auto at the first
 * row, check order. Stores the time since time zero in *t. Returns 0 or a
 * negative SIM_E* code (recorded in tr->err). */
static int row_time(struct trace_reader *tr, const struct trace_row *r,
                    sim_time *t)
{
    int line = diag_line(r->line);
    if (r->nfields < tr->min_fields)
        return diag_set(&tr->err, SIM_EPARSE, tr->path, line, 0,
                        "row has %d field%s, expected at least %d", r->nfields,
                        r->nfields == 1 ? "" : "s", tr->min_fields);
    const char *text = r->buf + r->off[K_TIME];
    size_t len = strlen(text);
    if (tr->time_format == TF_AUTO) { /* first data row decides */
        const char *s = text;
        size_t n = len;
        trim(&s, &n);
        tr->time_format = looks_like_date(s, n) ? TF_ISO8601 : TF_OFFSET_S;
    }
    int64_t abs_us = 0;
    bool absolute = false;
    if (trace_parse_time(text, len, tr->time_format, &abs_us, &absolute) != 0)
        return diag_set(&tr->err, SIM_EPARSE, tr->path, line, tr->time_col + 1,
                        "%s: %s, got " SHOW_FMT, tr->time_key,
                        time_expected(tr->time_format,
                                      tr->time_auto && !tr->have_first),
                        SHOW_ARGS(text));
    if (!absolute && abs_us < 0)
        return diag_set(&tr->err, SIM_EPARSE, tr->path, line, tr->time_col + 1,
                        "%s: expected an offset >= 0, got " SHOW_FMT,
                        tr->time_key, SHOW_ARGS(text));
    if (!tr->have_first) {
        tr->have_first = true;
        tr->time_absolute = absolute;
        tr->first_abs_us = absolute ? abs_us : 0;
    }
    sim_time now = abs_us - tr->first_abs_us;
    if (tr->rows > 0 && now < tr->last_us)
        /* The row is at fault, not one field: "file:LINE: error: ..." */
        return diag_set(&tr->err, SIM_EPARSE, tr->path, line, 0,
                        "timestamp earlier than the previous row (line %lld): "
                        "%s is %.6f s after time zero, the previous row %.6f s",
                        (long long)tr->last_line, tr->time_key, sim_to_s(now),
                        sim_to_s(tr->last_us));
    *t = now;
    return SIM_OK;
}

/* Accept the head row whose time is t and drop it from the ring. */
static void row_pop(struct trace_reader *tr, const struct trace_row *r,
                    sim_time t)
{
    tr->last_us = t;
    tr->last_line = r->line;
    tr->rows++;
    tr->rows_head = (tr->rows_head + 1) % tr->rows_cap;
    tr->rows_n--;
}

/* Common start of trace_next / trace_next_count: checks, sticky errors and
 * end of input. Returns 1 with *r = the head row, 0 at end, or an error. */
static int row_begin(struct trace_reader *tr, enum trace_format want,
                     struct trace_row **r, struct diag *d)
{
    if (tr->csv == NULL && tr->err.code == SIM_OK)
        return diag_set(d, SIM_EINVAL, tr->path, 0, 0, "trace is not open");
    if (tr->err.code != SIM_OK)
        return fail(tr, d);
    if (tr->format != want)
        return diag_set(d, SIM_EINVAL, tr->path, 0, 0,
                        "trace opened as %s, read as %s",
                        tr->format == TRACE_EVENTS ? "events"
                        : tr->format == TRACE_COUNTS ? "counts" : "counts_wide",
                        want == TRACE_EVENTS ? "events" : "counts");
    int rc = row_ready(tr);
    if (rc < 0)
        return fail(tr, d);
    if (rc == 0) {
        if (tr->rows > 0)
            return 0;
        diag_set(&tr->err, SIM_EPARSE, tr->path, 0, 0, "trace has no rows");
        return fail(tr, d);
    }
    *r = &tr->rows_buf[tr->rows_head];
    return 1;
}

/* See trace.h. The duration is checked with parse_decimal's strict grammar
 * (so "nan", "inf" and hex floats are rejected) and then read by strtod for
 * full double precision: a duration is a model input in seconds, not a time
 * stamp, so it is not rounded to us here. */
int trace_next(struct trace_reader *tr, struct trace_event *ev,
               struct diag *d)
{
    struct trace_row *r = NULL;
    int rc = row_begin(tr, TRACE_EVENTS, &r, d);
    if (rc <= 0)
        return rc;
    sim_time t = 0;
    if (row_time(tr, r, &t) != 0)
        return fail(tr, d);
    double dur = (double)NAN; /* NAN is a float */
    if (tr->duration_col >= 0) {
        const char *text = r->buf + r->off[K_DURATION];
        const char *s = text;
        size_t n = strlen(text);
        int64_t us;
        bool exact;
        trim(&s, &n);
        char *end = NULL;
        if (parse_decimal(s, n, 0, &us, &exact) == 0) {
            dur = strtod(s, &end);
            while (end != NULL && is_blank(*end))
                end++;
        }
        if (end == NULL || *end != '\0' || !(dur >= 0.0) || !isfinite(dur)) {
            diag_set(&tr->err, SIM_EPARSE, tr->path, diag_line(r->line),
                     tr->duration_col + 1,
                     "%s: expected a duration in seconds >= 0, got " SHOW_FMT,
                     tr->duration_key, SHOW_ARGS(text));
            return fail(tr, d);
        }
        dur += 0.0; /* -0 -> +0 */
    }
    ev->t_us = t;
    ev->duration_s = dur;
    ev->line = r->line;
    row_pop(tr, r, t);
    return 1;
}

/* See trace.h. Counts must be exact integers: "12.0" and "1.2e1" are 12,
 * "1.5" is an error rather than a silent rounding. */
int trace_next_count(struct trace_reader *tr, sim_time *interval_start_us,
                     int64_t *count, struct diag *d)
{
    if (tr->format == TRACE_COUNTS_WIDE) {
        if (tr->err.code != SIM_OK)
            return fail(tr, d);
        if (tr->sums == NULL)
            return diag_set(d, SIM_EINVAL, tr->path, 0, 0,
                            "trace is not open");
        if (tr->next_col >= tr->n_counts)
            return 0;
        *interval_start_us = (sim_time)tr->next_col * tr->interval_us;
        *count = tr->sums[tr->next_col++];
        tr->last_line = 0;
        tr->rows++;
        return 1;
    }
    struct trace_row *r = NULL;
    int rc = row_begin(tr, TRACE_COUNTS, &r, d);
    if (rc <= 0)
        return rc;
    sim_time t = 0;
    if (row_time(tr, r, &t) != 0)
        return fail(tr, d);
    const char *text = r->buf + r->off[K_COUNT];
    const char *s = text;
    size_t n = strlen(text);
    int64_t c = 0;
    bool exact = false;
    trim(&s, &n);
    if (parse_decimal(s, n, 0, &c, &exact) != 0 || !exact || c < 0) {
        diag_set(&tr->err, SIM_EPARSE, tr->path, diag_line(r->line),
                 tr->count_col + 1,
                 "%s: expected a count (an integer >= 0), got " SHOW_FMT,
                 tr->count_key, SHOW_ARGS(text));
        return fail(tr, d);
    }
    *interval_start_us = t;
    *count = c;
    row_pop(tr, r, t);
    return 1;
}

/* See trace.h. Pointers are cleared after freeing, so a second call (or a
 * call on a zeroed struct) finds nothing to free. */
void trace_close(struct trace_reader *tr)
{
    if (tr == NULL)
        return;
    if (tr->fp != NULL)
        fclose(tr->fp);
    if (tr->csv != NULL) {
        if (tr->csv_ready)
            csv_free(tr->csv);
        free(tr->csv);
    }
    free(tr->chunk);
    free(tr->header);
    free(tr->filter_equals);
    free(tr->sums);
    free(tr->row_counts);
    tr->filter_equals = NULL;
    tr->sums = NULL;
    tr->row_counts = NULL;
    if (tr->rows_buf != NULL)
        for (size_t j = 0; j < tr->rows_cap; j++)
            free(tr->rows_buf[j].buf);
    free(tr->rows_buf);
    /* Keep path, format and the error for callers that report after close;
     * everything owned is gone and a second close does nothing. */
    tr->fp = NULL;
    tr->csv = NULL;
    tr->csv_ready = false;
    tr->chunk = NULL;
    tr->header = NULL;
    tr->rows_buf = NULL;
    tr->rows_cap = tr->rows_head = tr->rows_n = 0;
    tr->chunk_len = tr->chunk_pos = 0;
}
