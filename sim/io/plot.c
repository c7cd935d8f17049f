/* sim/io/plot.c - the plots of a results folder: data and scripts written
 * in order (see plot.h); the scripts are in plot_panels.c and
 * plot_configs.c, the shared reading in plot_ctx.c, drawing in
 * plot_render.c.
 *
 * Workload: once per run, after the results files are written; the data
 * are a few rows per configuration except timeseries.dat (one row per
 * sample of replication 0), which is streamed from timeseries.csv. */
#include "sim/io/plot.h"

#include "sim/io/plot_configs.h"
#include "sim/io/plot_ctx.h"
#include "sim/io/plot_panels.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
int plot_write(const char *dir, struct diag *d)
{
    struct pctx x;
    memset(&x, 0, sizeof x);
    x.dir = dir;
    x.lat_min = x.lat_max = (double)NAN;
    snprintf(x.plots, sizeof x.plots, "%s/plots", dir);
    if (mkdir(x.plots, 0777) != 0 && errno != EEXIST)
        return diag_set(d, SIM_EIO, x.plots, 0, 0, "cannot create folder: %s",
                        strerror(errno));
    int rc = plot_ctx_read(&x, d);
    static const char *const ts_cols[] = {
        "t_s", "backlog_max", "backlog_mean", "executions_running_max",
        "executions_running_mean", "executions_pending_max"};
    static const char *const q_cols[] = {"latency_s", "p"};
    if (rc == 0)
        rc = plot_ctx_blocks(&x, "timeseries.csv", "timeseries.dat", ts_cols, 6,
                             true, &x.have_ts, d);
    if (rc == 0)
        rc = plot_ctx_blocks(&x, "latency_quantiles.csv", "latency_cdf.dat",
                             q_cols, 2, false, &x.have_q, d);
    if (rc == 0 && x.have_ts)
        rc = plot_time_write(&x, "backlog",
                             "Backlog per interval, replication 0: max "
                             "(solid), time-average (dashed)",
                             "backlog (messages)", 2, true, d);
    if (rc == 0 && x.have_ts)
        rc = plot_time_write(&x, "executions",
                             "Executions running per interval, replication "
                             "0: max (solid), time-average (dashed)",
                             "executions running", 4, false, d);
    if (rc == 0 && x.have_q)
        rc = plot_cdf_write(&x, d);
    if (rc == 0)
        rc = plot_configs_data_write(&x, d);
    if (rc == 0)
        rc = plot_cost_write(&x, d);
    if (rc == 0)
        rc = plot_waste_write(&x, d);
    free(x.c);
    free(x.panel);
    return rc;
}
