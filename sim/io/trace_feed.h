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

/* The CSV trace feed (ctx unused). */
extern const struct arrival_feed trace_feed;

#endif
