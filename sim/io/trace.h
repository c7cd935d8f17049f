/* sim/io/trace.h - streaming reader of recorded arrival traces (CSV,
 * libcsv): events, counts and counts_wide layouts (sim/io/trace.c opens and
 * feeds, sim/io/trace_read.c returns rows; trace_parse_time and the other
 * field parsers are in sim/io/trace_time.h, included here).
 * Units:   arrival times are sim_time microseconds relative to time zero
 *          (first row for absolute formats, offset 0 for offset formats),
 *          before scale/speedup/window, which the arrivals model applies.
 * Owns:    struct trace_reader is caller-allocated (trace_open/trace_close)
 *          and owns its FILE, libcsv parser and a small row buffer. Memory
 *          is bounded by the chunk size and the longest row, never by the
 *          trace's length.
 * Errors:  0 / negative SIM_E* with a diag "file:LINE: error: ..." naming
 *          the CSV row (1-based line of the file) and, where known, the
 *          column (1-based field index).
 * Threads: no globals; one reader per replication, each with its own FILE. */
#ifndef SIM_TRACE_H
#define SIM_TRACE_H

#include "sim/engine/common.h"
#include "sim/io/scenario.h"
#include "sim/io/trace_time.h"

#include <stdio.h>

struct trace_row;

/* Invariants (private state below "state"): rows_buf is a ring of rows_cap
 * slots; rows_n complete rows start at rows_head; the slot after them is the
 * row being assembled while in_row. The parser is fed one line at a time (up
 * to and including the next CR/LF of the chunk), so at most one row completes
 * per feed and rows_cap stays at its start value (2) for any trace whose
 * lines end in LF or CRLF; rows_cap can only grow with the number of rows in
 * one chunk. Memory is chunk_size + libcsv's field buffer + rows_cap times
 * the kept fields of one row: independent of the trace's length. */
struct trace_reader {
    /* configuration (copied at open) */
    char path[1024];
    enum trace_format format;
    enum time_format time_format;    /* TF_AUTO resolved at the first row */
    bool time_auto;                  /* time_format was auto in the config */
    int time_col, duration_col, count_col; /* 0-based field index, -1 none */
    /* state */
    FILE *fp;
    void *csv;                       /* struct csv_parser * */
    bool csv_ready;                  /* csv_init succeeded: csv_free due */
    char *chunk;                     /* read buffer */
    size_t chunk_size;               /* capacity of chunk, bytes */
    size_t chunk_len, chunk_pos;     /* bytes read into chunk / fed so far */
    bool eof;                        /* fread hit end of file, csv_fini done */
    bool bom_checked;                /* UTF-8 BOM at file start handled */
    bool header_done;                /* header row complete */
    bool in_row;                     /* a row has fields, not yet ended */
    bool pending_cr;                 /* last row ended in CR: LF joins it */
    int64_t line;                    /* current 1-based file line */
    bool have_first;                 /* a data row was returned */
    bool time_absolute;              /* resolved format is iso8601/epoch_* */
    int64_t first_abs_us;            /* absolute time of first row, us */
    sim_time last_us;                /* previous row's time, for sortedness */
    int64_t last_line;               /* previous row's file line */
    int64_t rows;                    /* data rows returned so far */
    int min_fields;                  /* fields a data row needs, >= 1 */
    struct trace_time_hint hint;     /* what the time column's header says */
    int64_t auto_line;               /* auto: line of the deciding row */
    char auto_first[64];             /* auto: its time field (escaped) */
    int n_header;                    /* fields in the header row */
    int64_t header_line;             /* file line of the header row */
    char *header;                    /* header names, NUL-separated; freed
                                        after open */
    size_t header_len, header_cap;   /* bytes used / allocated in header */
    char time_key[64];               /* header names for messages, with
                                        control bytes escaped */
    char duration_key[64];
    char count_key[64];
    /* counts_wide: the column sums, computed in one pass at open */
    int first_count_col;             /* 0-based index of the first count
                                        column; the count columns run to the
                                        last header column */
    int filter_col;                  /* 0-based, -1 = keep every row */
    char *filter_equals;             /* owned copy of filter.equals */
    int n_counts;                    /* count columns (intervals) */
    int64_t *sums;                   /* [n_counts] summed kept rows; owned */
    int64_t *row_counts;             /* [n_counts] the row being parsed */
    int wide_nfields;                /* fields seen in the current row */
    bool wide_match;                 /* current row passes the filter */
    int64_t wide_line;               /* line where the current row began */
    int64_t wide_rows, wide_kept;    /* data rows seen / kept by the filter */
    int next_col;                    /* next count column to return */
    sim_time interval_us;            /* width of one column (interval) */
    /* parsed rows waiting to be returned (ring) */
    struct trace_row *rows_buf;
    size_t rows_cap, rows_head, rows_n;
    struct diag err;                 /* first error (callbacks, sticky) */
};

/* One arrival read from an events trace. */
struct trace_event {
    sim_time t_us;        /* arrival time, us since time zero, >= 0 */
    double duration_s;    /* duration_column value in seconds, NAN if none */
    int64_t line;         /* 1-based file line of the row */
};

/* Open the trace described by cfg (cfg->path already resolved). Reads the
 * header row (every trace has one), resolves time_column / duration_column /
 * count_column by header name or 1-based index, and checks they exist.
 * A column given as digits is first looked up as a header name, then taken
 * as a 1-based index; a name that does not match exactly is then matched
 * case-insensitively. format counts needs count_column (default: second
 * column).
 * format counts_wide (the Azure Functions 2019 layout: one row per
 * function, one column per consecutive interval) reads the whole file once
 * here: the rows that pass cfg->filter (field in filter.column equal to
 * filter.equals, exactly; no filter = every row) are summed column by
 * column from first_count_column (default: the first column whose header
 * is an integer, e.g. "480") to the last column. Memory: two int64 per
 * count column, never per row. Column k (0-based from first_count_column)
 * is then the interval [k * interval, (k + 1) * interval); the header names
 * are not read as times. Every field of those columns must be a count (an
 * integer >= 0) and every row must have all the header's columns, else
 * "file:LINE:COL: error: ..."; a filter that keeps no row is an error.
 * Returns 0 or SIM_EIO (cannot open: diag names the path and strerror) /
 * SIM_EPARSE (missing column, empty file) / SIM_ENOMEM / SIM_EUNSUP, with
 * d set to "file:line: error: ..."; on failure tr is closed already (calling
 * trace_close again is harmless). */
int trace_open(struct trace_reader *tr, const struct scn_trace *cfg,
               struct diag *d);

/* Read the next arrival of an events trace into *ev. Returns 1 when an
 * event was read, 0 at end of file, or a negative SIM_E* code with d set:
 * an unparsable time ("file:LINE:COL: error: TIMESTAMP: expected an ISO 8601
 * time, got \"x\""), a row earlier than the previous one ("file:LINE: error:
 * timestamp earlier than the previous row"), a row whose field count is not
 * the header's ("file:LINE: error: row has 3 fields, expected 2 (one per
 * header column)"), a time beyond TRACE_TIME_MAX_US after time zero
 * (SIM_ERANGE), an empty trace (no data rows: "file: error: trace has no
 * rows"). With time_format auto the first row decides the format
 * (trace_time_auto: refused when ambiguous, naming the candidates) and
 * later rows must fit it (trace_time_auto_fits). Fields and header names in
 * messages are escaped (trace_escape). */
int trace_next(struct trace_reader *tr, struct trace_event *ev,
               struct diag *d);

/* Read the next row of a counts trace (format: counts): *interval_start_us
 * gets the row's time (us since time zero, like trace_next) and *count its
 * count_column value (an integer >= 0; "12.0" is accepted, "1.5" is not).
 * After a row, tr->last_line is its 1-based file line. For counts_wide it
 * returns the column sums in column order (times k * interval, line 0).
 * Returns 1, 0 at end of file, or a negative SIM_E* code with d set (the
 * same row errors as trace_next, plus a negative or unparsable count).
 * Calling it on an events reader, or trace_next on a counts reader, returns
 * SIM_EINVAL. */
int trace_next_count(struct trace_reader *tr, sim_time *interval_start_us,
                     int64_t *count, struct diag *d);

/* What time_format auto chose, once the first data row was read (by
 * trace_next / trace_next_count): "'ts_ms': epoch_ms (first value
 * 1700000000000 at line 2; header says ms)" into buf[0..n) (names and
 * values escaped). An empty string when time_format was not auto, the
 * trace is counts_wide, or no row was read. */
void trace_auto_describe(const struct trace_reader *tr, char *buf, size_t n);

/* Open the trace of cfg, read its first data row and close it: *fmt gets
 * the time format auto decides (cfg->time_format when that is not auto;
 * TF_AUTO for counts_wide, which has no time column) and desc[0..n) the
 * trace_auto_describe() text. Memory and time: one row. Returns 0 or the
 * negative SIM_E* of trace_open / trace_next (d set: the same message a run
 * would give at that row). */
int trace_detect_time(const struct scn_trace *cfg, enum time_format *fmt,
                      char *desc, size_t n, struct diag *d);

/* Close the file and free everything; safe twice and on a zeroed struct. */
void trace_close(struct trace_reader *tr);

#endif
