/* sim/io/gpscript.h - pieces of the gnuplot scripts burstsim writes: a
 * quoted string, line colours, the header comment, the loop that draws a
 * PNG (pngcairo) and an SVG with one set of commands, the panel grid.
 * Units:   sizes in pixels.
 * Owns:    nothing; the caller owns the stream and buffers.
 * Errors:  none returned; write errors are left for ferror(fp).
 * Threads: pure; no globals. */
#ifndef SIM_GPSCRIPT_H
#define SIM_GPSCRIPT_H

#include "sim/engine/common.h"

#include <stdio.h>

/* Write s as a gnuplot double-quoted string (backslash and quote escaped,
 * newlines as spaces). */
void gp_str(FILE *fp, const char *s);

/* Line colour k of n (0 <= k < n) along a viridis-like ramp, dark purple
 * to green, as "#rrggbb" into buf (size len >= 8). */
void gp_ramp(char *buf, size_t len, size_t k, size_t n);

/* The header comment of NAME.gp: what it draws (what), how to redraw it,
 * and its data files (data). In the block data files, configuration c is
 * data index c. */
void gp_head(FILE *fp, const char *name, const char *what, const char *data);

/* Open the loop drawing NAME.png then NAME.svg of w x h pixels. */
void gp_loop_open(FILE *fp, const char *name, int w, int h);

/* Close the loop of gp_loop_open. */
void gp_loop_close(FILE *fp);

/* Panel grid for n panels: at most 3 columns, as many rows as needed. */
void gp_grid(size_t n, size_t *cols, size_t *rows);

#endif
