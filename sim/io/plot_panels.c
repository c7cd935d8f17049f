/* sim/io/plot_panels.c - backlog, executions and latency CDF scripts (see
 * plot_panels.h).
 *
 * Configurations are grouped: one panel per combination of the axes after
 * the first, one line per value of the first axis, coloured along a gp_ramp.
 * Scripts only use file names relative to plots/. */
#include "sim/io/plot_panels.h"

#include "sim/io/gpscript.h"
int plot_time_write(struct pctx *x, const char *name, const char *what,
                    const char *ylabel, int col, bool slo, struct diag *d)
{
    char fname[64];
    snprintf(fname, sizeof fname, "%s.gp", name);
    FILE *fp = plot_ctx_open(x, fname, d);
    if (fp == NULL)
        return SIM_EIO;
    gp_head(fp, name, what,
            "timeseries.dat (one block per configuration; columns t_s "
            "backlog_max backlog_mean executions_running_max "
            "executions_running_mean executions_pending_max, per "
            "interval [t_s, next t_s))");
    double div = 1.0;
    const char *unit = "s";
    if (x->t_max > 3 * 3600.0) {
        div = 3600.0;
        unit = "h";
    } else if (x->t_max > 3 * 60.0) {
        div = 60.0;
        unit = "min";
    }
    size_t cols, rows;
    gp_grid(x->n_panels, &cols, &rows);
    int w = (int)(cols * 620), h = (int)(rows * 400 + 40);
    fprintf(fp, "tdiv = %g   # seconds per x unit\n", div);
    if (slo && !isnan(x->slo_backlog))
        fprintf(fp, "slo_backlog = %.10g   # slo.backlog_max\n",
                x->slo_backlog);
    fprintf(fp, "set grid\nset key top right font \",8\"\n"
                "set xlabel \"time (%s)\"\nset ylabel \"%s\"\n"
                "set yrange [0:*]\n",
            unit, ylabel);
    gp_loop_open(fp, name, w, h);
    fprintf(fp, "  set multiplot layout %zu,%zu title \"%s\"\n", rows, cols,
            what);
    for (size_t k = 0; k < x->n_panels; k++) {
        fputs("  set title ", fp);
        gp_str(fp, x->n_panels > 1 ? x->panel[k] : "");
        fputs("\n  plot \\\n", fp);
        for (size_t l = 0; l < x->n_lines; l++) {
            size_t c = plot_ctx_cfg_at(x, k, l);
            char color[16];
            gp_ramp(color, sizeof color, l, x->n_lines);
            fprintf(fp, "    \"timeseries.dat\" index %zu using ($1/tdiv):%d "
                        "with steps lw 1 dt 2 lc rgb \"%s\" notitle, \\\n",
                    c, col + 1, color);
            fprintf(fp, "    \"timeseries.dat\" index %zu using ($1/tdiv):%d "
                        "with steps lw 1.5 lc rgb \"%s\" title ",
                    c, col, color);
            gp_str(fp, x->c[c].line);
            fputs(l + 1 < x->n_lines || (slo && !isnan(x->slo_backlog))
                      ? ", \\\n"
                      : "\n",
                  fp);
        }
        if (slo && !isnan(x->slo_backlog))
            fputs("    slo_backlog with lines dt 2 lw 1.5 lc rgb \"red\" "
                  "title \"SLO backlog_max\"\n",
                  fp);
    }
    fputs("  unset multiplot\n", fp);
    gp_loop_close(fp);
    return plot_ctx_close(x, fp, fname, d);
}

/* ---- latency CDF ------------------------------------------------------- */

int plot_cdf_write(struct pctx *x, struct diag *d)
{
    FILE *fp = plot_ctx_open(x, "latency_cdf.gp", d);
    if (fp == NULL)
        return SIM_EIO;
    gp_head(fp, "latency_cdf",
            "latency CDF (arrival -> first completion) per configuration: "
            "the mean over replications of each percentile",
            "latency_cdf.dat (one block per configuration; columns "
            "latency_s p)");
    size_t cols, rows;
    gp_grid(x->n_panels, &cols, &rows);
    int w = (int)(cols * 620), h = (int)(rows * 400 + 40);
    bool logx = x->lat_min > 0 && x->lat_max / x->lat_min > 100.0;
    fprintf(fp, "set grid\nset key bottom right font \",8\"\n"
                "set xlabel \"latency (s)%s\"\nset ylabel \"fraction of "
                "messages\"\nset yrange [0:1]\n%s",
            logx ? ", log scale" : "", logx ? "set logscale x\n" : "");
    if (!isnan(x->slo_p95))
        fprintf(fp, "slo_p95 = %.10g   # slo.latency_p95, s\n"
                    "set arrow 1 from slo_p95, graph 0 to slo_p95, graph 1 "
                    "nohead dt 2 lw 1.5 lc rgb \"red\"\n"
                    "set label 1 \"SLO p95\" at slo_p95, graph 0.05 "
                    "offset 0.5,0 textcolor rgb \"red\"\n",
                x->slo_p95);
    fputs("set arrow 2 from graph 0, first 0.95 to graph 1, first 0.95 "
          "nohead dt 3 lc rgb \"gray40\"\n",
          fp);
    gp_loop_open(fp, "latency_cdf", w, h);
    fputs("  set multiplot layout ", fp);
    fprintf(fp, "%zu,%zu title \"Latency CDF\"\n", rows, cols);
    for (size_t k = 0; k < x->n_panels; k++) {
        fputs("  set title ", fp);
        gp_str(fp, x->n_panels > 1 ? x->panel[k] : "");
        fputs("\n  plot \\\n", fp);
        for (size_t l = 0; l < x->n_lines; l++) {
            size_t c = plot_ctx_cfg_at(x, k, l);
            char color[16];
            gp_ramp(color, sizeof color, l, x->n_lines);
            fprintf(fp, "    \"latency_cdf.dat\" index %zu using 1:2 with "
                        "lines lw 1.5 lc rgb \"%s\" title ",
                    c, color);
            gp_str(fp, x->c[c].line);
            fputs(l + 1 < x->n_lines ? ", \\\n" : "\n", fp);
        }
    }
    fputs("  unset multiplot\n", fp);
    gp_loop_close(fp);
    return plot_ctx_close(x, fp, "latency_cdf.gp", d);
}
