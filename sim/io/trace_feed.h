/* sim/io/trace_feed.h - the arrival feed of the program: trace items of a
 * scenario read their rows from CSV files through the streaming reader
 * (sim/io/trace.h). The models see only struct arrival_feed
 * (models/arrivals.h); this is the one implementation that reads files.
 * Owns:    each open reader is heap-allocated by open() and freed by
 *          close(); the feed itself holds no state.
 * Errors:  a trace that cannot be opened is reported at the key that names
 *          it: "scenario.yaml:L:C: error: arrivals.trace.path: PATH: why".
 * Threads: no state; one reader per item per replication. */
#ifndef SIM_IO_TRACE_FEED_H
#define SIM_IO_TRACE_FEED_H

#include "models/arrivals.h"

#include <stdio.h>

struct scenario;

/* Decide time_format auto of every trace item of scn before a run, the way
 * each replication's reader will (sim/io/trace_time.h: the header and the
 * first row): reads one row of each such trace, stores the choice in
 * scn->arrivals[i].trace.time_format_detected (summary.json's scenario
 * carries it) and prints one line per item to note (NULL = quiet):
 * "note: arrivals.trace.time_column 'ts_ms': offset_ms (first value 0 at
 * line 2; header says ms)". Returns 0 or the negative SIM_E* a run would
 * give (d set; a trace that cannot be opened is reported at its path key). */
int trace_feed_resolve(struct scenario *scn, FILE *note, struct diag *d);

/* The CSV trace feed (ctx unused). */
extern const struct arrival_feed trace_feed;

#endif
