/* sim/trace.h - streaming reader of recorded arrival traces (CSV, libcsv).
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

#include "sim/common.h"
#include "sim/scenario.h"

#include <stdio.h>

struct trace_row;

struct trace_reader {
    /* configuration (copied at open) */
    char path[1024];
    enum trace_format format;
    enum time_format time_format;    /* TF_AUTO resolved at the first row */
    int time_col, duration_col, count_col; /* 0-based field index, -1 none */
    /* state */
    FILE *fp;
    void *csv;                       /* struct csv_parser * */
    char *chunk;                     /* read buffer */
    size_t chunk_size;
    bool eof;
    bool header_done;
    int64_t line;                    /* current 1-based file line */
    bool have_first;
    int64_t first_abs_us;            /* absolute time of first row, us */
    sim_time last_us;                /* previous row's time, for sortedness */
    int64_t rows;                    /* data rows returned so far */
    /* parsed rows waiting to be returned (ring) */
    struct trace_row *rows_buf;
    size_t rows_cap, rows_head, rows_n;
    /* field assembly of the row being parsed */
    void *cur;                       /* private row under construction */
    struct diag err;                 /* deferred error from the callbacks */
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
 * Returns 0 or SIM_EIO (cannot open: diag names the path and strerror) /
 * SIM_EPARSE (missing column, empty file). d gets file:line:col. */
int trace_open(struct trace_reader *tr, const struct scn_trace *cfg,
               struct diag *d);

/* Read the next arrival of an events trace into *ev. Returns 1 when an
 * event was read, 0 at end of file, or a negative SIM_E* code with d set:
 * an unparsable time ("file:LINE:COL: error: TIMESTAMP: expected an ISO 8601
 * time, got \"x\""), a row earlier than the previous one ("file:LINE: error:
 * timestamp earlier than the previous row"), an empty trace (no data rows:
 * "file: error: trace has no rows"). */
int trace_next(struct trace_reader *tr, struct trace_event *ev,
               struct diag *d);

/* Close the file and free everything; safe twice and on a zeroed struct. */
void trace_close(struct trace_reader *tr);

/* Parse one timestamp field in the given format (TF_AUTO detects: ISO 8601
 * if it contains '-' and ':' or 'T', else a number taken as offset seconds).
 * ISO 8601: "YYYY-MM-DD[T| ]HH:MM:SS[.fraction of any length][Z|+hh:mm|-hh:mm]",
 * no zone = UTC; fractions beyond 1 us are rounded to nearest us. Epoch and
 * offset formats accept decimals. *abs_us gets microseconds (since the Unix
 * epoch for absolute formats, since 0 for offset formats); *is_absolute
 * tells which. Returns 0 or SIM_EPARSE. */
int trace_parse_time(const char *text, size_t len, enum time_format fmt,
                     int64_t *abs_us, bool *is_absolute);

#endif
