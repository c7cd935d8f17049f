/* sim/io/plot_render.h - drawing a results folder's plots: gnuplot run on
 * every script in "<dir>/plots" (written by plot_write, maybe edited by
 * the user), producing NAME.png and NAME.svg beside each NAME.gp.
 * Owns:    struct plot_result is caller-allocated plain data.
 * Errors:  drawing failures are reported in struct plot_result, never as
 *          errors (a run whose plots fail still has its results).
 * Threads: call from the main thread only (plot_render forks). */
#ifndef SIM_PLOT_RENDER_H
#define SIM_PLOT_RENDER_H

#include "sim/engine/common.h"


/* Whether "<dir>/plots" holds at least one *.gp script. */
bool plot_has_scripts(const char *dir);

enum plot_status {
    PLOT_DRAWN,        /* every script ran */
    PLOT_NO_GNUPLOT,   /* no gnuplot in PATH: nothing drawn */
    PLOT_NO_SCRIPTS,   /* "<dir>/plots" holds no script */
    PLOT_FAILED,       /* a script failed, or left an empty image
                          (failed, why say which) */
};

struct plot_result {
    enum plot_status status;
    size_t drawn;          /* scripts that ran successfully */
    char failed[64];       /* first script (or image) that failed */
    char why[160];         /* how it failed */
};

/* Run `gnuplot NAME.gp` (fork and exec of the gnuplot found in PATH, no
 * shell; working folder "<dir>/plots", stdin /dev/null, stderr appended to
 * plots/gnuplot.log, which is removed when every script succeeded) for
 * every *.gp file in "<dir>/plots", in name order. A script counts as
 * drawn only when gnuplot exits 0 and its NAME.png and NAME.svg, where
 * present, are not empty (a full disk). */
void plot_render(const char *dir, struct plot_result *r);


#endif
