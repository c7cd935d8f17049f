/* sim/io/trace.c - streaming reader of recorded arrival traces (CSV,
 * libcsv): opening, feeding, closing.
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
 * Files: this one opens the trace (header, columns, and for counts_wide the
 * column sums in one pass), feeds libcsv and closes; sim/io/trace_read.c
 * returns the rows (trace_next, trace_next_count); sim/io/trace_time.c
 * parses times and decimals with integer arithmetic only. */
#include "sim/io/trace_impl.h"

#include "sim/io/trace_time.h"

#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define TRACE_CHUNK_SIZE ((size_t)64 * 1024) /* bytes per fread */
#define TRACE_RING_START 2                   /* rows; see feeding above */

/* ---- small helpers ------------------------------------------------------ */
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
    trace_time_trim(&t, &len);
    int64_t c = 0;
    bool exact = false;
    if (trace_time_decimal(t, len, 0, &c, &exact) != 0 || !exact || c < 0) {
        char shown[4 * TRACE_SHOW_MAX + 8], name[4 * 64 + 8];
        trace_escape(shown, sizeof shown, s != NULL ? s : "", n,
                     TRACE_SHOW_MAX);
        const char *h = header_name(tr, idx);
        trace_escape(name, sizeof name, h, strlen(h), 64);
        diag_set(&tr->err, SIM_EPARSE, tr->path,
                 trace__diag_line(tr->wide_line), idx + 1,
                 "%s: expected a count (an integer >= 0), got \"%s\"", name,
                 shown);
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
        diag_set(&tr->err, SIM_EPARSE, tr->path,
                 trace__diag_line(tr->wide_line), 0,
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
                     trace__diag_line(tr->wide_line),
                     tr->first_count_col + k + 1,
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
                diag_set(&tr->err, SIM_EPARSE, tr->path,
                         trace__diag_line(start), 0,
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
            diag_set(&tr->err, SIM_EPARSE, tr->path, trace__diag_line(tr->line),
                     col, "malformed CSV quoting (a '\"' inside an unquoted "
                     "field, or text after a closing '\"')");
        } else {
            diag_set(&tr->err, SIM_ENOMEM, tr->path,
                     trace__diag_line(tr->line), 0, "CSV: %s",
                     csv_strerror(csv_error(p)));
        }
    }
    tr->chunk_pos += n;
    return tr->err.code;
}

/* Make sure a complete row is queued. Returns 1 (rows_buf[rows_head] is
 * it), 0 at end of input, or a negative SIM_E* code. */
int trace__row_ready(struct trace_reader *tr)
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
int trace__fail(const struct trace_reader *tr, struct diag *d)
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
        char shown[4 * 64 + 8];
        trace_escape(shown, sizeof shown, name, strlen(name), 64);
        int w = snprintf(out + k, n - k, "%s%s", j ? ", " : "", shown);
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
                            trace__diag_line(tr->header_line), 0,
                            "%s: no column %d (columns: %s)", key_path,
                            default_idx + 1, list);
        char shown[4 * 100 + 8];
        trace_escape(shown, sizeof shown, spec, strlen(spec), 100);
        return diag_set(&tr->err, SIM_EPARSE, tr->path,
                        trace__diag_line(tr->header_line), 0,
                        "%s: no column \"%s\" (columns: %s)", key_path,
                        shown, list);
    }
    *col = found;
    const char *name = tr->header;
    for (int j = 0; j < found; j++)
        name += strlen(name) + 1;
    if (name[0] != '\0')
        trace_escape(key, 64, name, strlen(name), 64);
    else
        snprintf(key, 64, "%s", key_path);
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
                            trace__diag_line(tr->header_line), 0,
                            "arrivals.trace.first_count_column: no header "
                            "is an integer; name the first count column");
        tr->first_count_col = found;
    }
    tr->n_counts = tr->n_header - tr->first_count_col;
    /* Column k covers [k * interval, (k + 1) * interval): the end of the
     * last one must be a time we can hold (no int64 overflow later). */
    if (tr->interval_us > TRACE_TIME_MAX_US / tr->n_counts)
        return diag_set(&tr->err, SIM_ERANGE, tr->path,
                        trace__diag_line(tr->header_line), 0,
                        "arrivals.trace.interval: %d count columns of %.6g s "
                        "span %.6g s: arrival times beyond 1e11 s (3,170 "
                        "years) are refused", tr->n_counts,
                        sim_to_s(tr->interval_us),
                        (double)tr->n_counts * sim_to_s(tr->interval_us));
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
    if (tr->wide_kept == 0) {
        char name[4 * 64 + 8], val[4 * 100 + 8];
        const char *h = header_name(tr, tr->filter_col);
        trace_escape(name, sizeof name, h, strlen(h), 64);
        trace_escape(val, sizeof val, tr->filter_equals,
                     strlen(tr->filter_equals), 100);
        return diag_set(&tr->err, SIM_EPARSE, tr->path, 0, 0,
                        "arrivals.trace.filter: no row has %s = \"%s\"",
                        name, val);
    }
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
    trace_time_header_hint(header_name(tr, tr->time_col), &tr->hint);
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
    trace__fail(tr, d);
    {
        int code = tr->err.code;
        trace_close(tr);
        return code;
    }
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
