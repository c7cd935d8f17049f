/* sim/run/progress.h - the progress bar of a run on stderr: "[####....]
 * 12/40  30 %  ETA 1:02", at most 10 draws a second, and a last line
 * "done in M:SS".
 * Units:   wall-clock seconds (monotonic clock): the program layer only,
 *          never the simulation.
 * Owns:    struct progress is caller-allocated plain data.
 * Errors:  none; write errors on stderr are ignored.
 * Threads: no globals; the caller serialises progress_draw (the pool's
 *          lock). */
#ifndef SIM_PROGRESS_H
#define SIM_PROGRESS_H

#include "sim/engine/common.h"

struct progress {
    bool on;
    double t0, last;   /* wall-clock start and last draw, s */
    size_t total;
};

/* Start a bar of total items; on false (or total 0) draws nothing. The
 * first progress_draw draws at once. */
void progress_init(struct progress *g, bool on, size_t total);

/* Draw the bar for done of total items (called under the runner lock). At
 * most 10 draws a second, and always the last one. */
void progress_draw(struct progress *g, size_t done);

/* Same, for a fractional count: finished items plus the fractions of the
 * running ones (same lock rule). */
void progress_draw_frac(struct progress *g, double done);

#endif
