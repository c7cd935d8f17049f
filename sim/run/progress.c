/* sim/run/progress.c - the progress bar (see progress.h). */
#include "sim/run/progress.h"

#include <stdio.h>
#include <time.h>
/* Wall-clock seconds (monotonic): the program layer only, for the ETA. */
static double wall_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* "1:02:03" or "2:03" for s seconds. */
static void fmt_clock(char *buf, size_t n, double s)
{
    long t = s < 0 ? 0 : (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, n, "%ld:%02ld", t / 60, t % 60);
}

void progress_init(struct progress *g, bool on, size_t total)
{
    g->on = on && total > 0;
    g->total = total;
    g->t0 = g->last = on ? wall_s() : 0.0;
    g->last -= 1.0; /* draw the empty bar at once */
}
/* Draw the bar for done of total items (called under the runner lock). At
 * most 10 draws a second, and always the last one. */
void progress_draw(struct progress *g, size_t done)
{
    progress_draw_frac(g, (double)done);
}

void progress_draw_frac(struct progress *g, double donef)
{
    if (!g->on)
        return;
    double total = (double)g->total;
    if (donef > total)
        donef = total;
    size_t done = (size_t)donef;
    double now = wall_s();
    if (done < g->total && now - g->last < 0.1)
        return;
    g->last = now;
    enum { W = 30 };
    char bar[W + 1];
    size_t fill = g->total ? (size_t)(donef * W / total) : W;
    for (size_t i = 0; i < W; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[W] = '\0';
    double el = now - g->t0;
    char tbuf[32];
    if (done < g->total) {
        double eta = donef > 0.0 ? el / donef * (total - donef) : 0.0;
        fmt_clock(tbuf, sizeof tbuf, eta);
        fprintf(stderr, "\r[%s] %zu/%zu %3.0f %%  ETA %s%s", bar, done,
                g->total, 100.0 * donef / total,
                donef > 0.0 ? tbuf : "?", "   ");
    } else {
        fmt_clock(tbuf, sizeof tbuf, el);
        fprintf(stderr, "\r[%s] %zu/%zu 100 %%  done in %s   \n", bar, done,
                g->total, tbuf);
    }
    fflush(stderr);
}
