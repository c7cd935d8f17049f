/* sim/io/plot_configs.c - per-configuration data and scripts (see
 * plot_configs.h).
 *
 * Workload: a few rows per configuration; the Pareto frontier is the
 * quadratic dominance check, then an insertion sort by latency (a few
 * dozen configurations). */
#include "sim/io/plot_configs.h"

#include "sim/io/gpscript.h"

#include <stdlib.h>

/* configs.dat and pareto.dat. */
int plot_configs_data_write(struct pctx *x, struct diag *d)
{
    FILE *fp = plot_ctx_open(x, "configs.dat", d);
    if (fp == NULL)
        return SIM_EIO;
    fputs("# configs.dat - one row per configuration, from ../summary.json"
          " (means and 95 % half-widths)\n# 1 index  2 config  3 title  "
          "4 latency_p95_s  5 ci95  6 cost_usd  7 ci95  8 empty_executions"
          "  9 ci95\n# 10 duplicate_deliveries  11 ci95  12 "
          "duplicate_completions  13 ci95  14 slo_met (1/0/-1)  15 "
          "recommended (1/0)  16 axis values (x tics)\n",
          fp);
    for (size_t i = 0; i < x->n; i++) {
        const struct pcfg *c = &x->c[i];
        fprintf(fp, "%zu %s ", i, c->label);
        gp_str(fp, c->full);
        fprintf(fp,
                " %.10g %.10g %.10g %.10g %.10g %.10g %.10g %.10g %.10g "
                "%.10g %d %d ",
                c->p95, isnan(c->p95_ci) ? 0.0 : c->p95_ci, c->cost,
                isnan(c->cost_ci) ? 0.0 : c->cost_ci, c->empty,
                isnan(c->empty_ci) ? 0.0 : c->empty_ci, c->ddel,
                isnan(c->ddel_ci) ? 0.0 : c->ddel_ci, c->dcomp,
                isnan(c->dcomp_ci) ? 0.0 : c->dcomp_ci, c->met,
                c->rec ? 1 : 0);
        gp_str(fp, c->tic);
        fputc('\n', fp);
    }
    int rc = plot_ctx_close(x, fp, "configs.dat", d);
    if (rc != 0)
        return rc;

    /* Pareto frontier: configurations no other beats on both mean p95
     * latency and mean cost (lower is better; ties kept), by latency. */
    fp = plot_ctx_open(x, "pareto.dat", d);
    if (fp == NULL)
        return SIM_EIO;
    fputs("# pareto.dat - the Pareto frontier of (latency_p95_s, cost_usd)"
          " means, by latency\n# latency_p95_s cost_usd config\n",
          fp);
    size_t *idx = calloc(x->n + 1, sizeof *idx), m = 0;
    if (idx == NULL) {
        fclose(fp);
        return diag_set(d, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < x->n; i++) {
        const struct pcfg *a = &x->c[i];
        if (isnan(a->p95) || isnan(a->cost))
            continue;
        bool dominated = false;
        for (size_t j = 0; j < x->n && !dominated; j++) {
            const struct pcfg *b = &x->c[j];
            dominated = j != i && b->p95 <= a->p95 && b->cost <= a->cost &&
                        (b->p95 < a->p95 || b->cost < a->cost);
        }
        if (!dominated)
            idx[m++] = i;
    }
    for (size_t i = 1; i < m; i++)          /* insertion sort by p95 */
        for (size_t j = i; j > 0 && x->c[idx[j]].p95 < x->c[idx[j - 1]].p95;
             j--) {
            size_t t = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = t;
        }
    for (size_t i = 0; i < m; i++)
        fprintf(fp, "%.10g %.10g %s\n", x->c[idx[i]].p95, x->c[idx[i]].cost,
                x->c[idx[i]].label);
    free(idx);
    return plot_ctx_close(x, fp, "pareto.dat", d);
}

int plot_cost_write(struct pctx *x, struct diag *d)
{
    FILE *fp = plot_ctx_open(x, "cost_latency.gp", d);
    if (fp == NULL)
        return SIM_EIO;
    gp_head(fp, "cost_latency",
            "mean cost per run versus mean p95 latency, with 95 % "
            "confidence error bars, the Pareto frontier and the latency SLO",
            "configs.dat (one row per configuration), pareto.dat");
    double lo = (double)INFINITY, hi = 0.0;
    for (size_t i = 0; i < x->n; i++)
        if (x->c[i].p95 > 0) {
            lo = x->c[i].p95 < lo ? x->c[i].p95 : lo;
            hi = x->c[i].p95 > hi ? x->c[i].p95 : hi;
        }
    bool logx = hi > 0 && hi / lo > 30.0;
    fprintf(fp, "set grid\nset key outside right top\n"
                "set xlabel \"latency p95 (s)%s\"\nset ylabel \"cost per "
                "simulated run (USD)\"\n%s",
            logx ? ", log scale" : "", logx ? "set logscale x\n" : "");
    if (!isnan(x->slo_p95))
        fprintf(fp, "slo_p95 = %.10g   # slo.latency_p95, s\n"
                    "set arrow 1 from slo_p95, graph 0 to slo_p95, graph 1 "
                    "nohead dt 2 lw 1.5 lc rgb \"red\"\n"
                    "set label 1 \"SLO latency_p95\" at slo_p95, graph 0.97 "
                    "offset 0.5,0 textcolor rgb \"red\"\n",
                x->slo_p95);
    fputs("set offsets graph 0.05, graph 0.05, graph 0.08, graph 0.05\n",
          fp);
    gp_loop_open(fp, "cost_latency", 1100, 700);
    fputs("  plot \\\n"
          "    \"pareto.dat\" using 1:2 with lines lw 2 lc rgb \"gray50\" "
          "title \"Pareto frontier\", \\\n"
          "    \"configs.dat\" using ($14==1?$4:NaN):6:5:7 with xyerrorbars "
          "pt 7 ps 1 lc rgb \"#1a9850\" title \"meets the SLOs\", \\\n"
          "    \"configs.dat\" using ($14==0?$4:NaN):6:5:7 with xyerrorbars "
          "pt 7 ps 1 lc rgb \"#d73027\" title \"fails an SLO\", \\\n"
          "    \"configs.dat\" using ($14<0?$4:NaN):6:5:7 with xyerrorbars "
          "pt 7 ps 1 lc rgb \"#4575b4\" title \"no SLO\", \\\n"
          "    \"configs.dat\" using ($15==1?$4:NaN):6 with points pt 6 ps 3 "
          "lw 2 lc rgb \"black\" title \"recommended\", \\\n"
          "    \"configs.dat\" using 4:6:2 with labels offset 1.2,0.6 font "
          "\",8\" notitle\n",
          fp);
    gp_loop_close(fp);
    return plot_ctx_close(x, fp, "cost_latency.gp", d);
}

int plot_waste_write(struct pctx *x, struct diag *d)
{
    FILE *fp = plot_ctx_open(x, "waste.gp", d);
    if (fp == NULL)
        return SIM_EIO;
    gp_head(fp, "waste",
            "empty executions and duplicate deliveries / completions per "
            "configuration (means, 95 % error bars)",
            "configs.dat (one row per configuration)");
    int w = (int)(x->n * 38 + 300);
    w = w < 900 ? 900 : w > 3000 ? 3000 : w;
    fputs("set grid y\nset style data histograms\n"
          "set style histogram errorbars gap 1 lw 1\n"
          "set style fill solid 0.85 border -1\nset boxwidth 0.9\n"
          "set xtics rotate by -50 font \",8\" nomirror\n"
          "set yrange [0:*]\nset key top right\n",
          fp);
    fputs("set xlabel ", fp);
    gp_str(fp, x->axes_short[0] ? x->axes_short : "configuration");
    fputc('\n', fp);
    gp_loop_open(fp, "waste", w, 900);
    fputs("  set multiplot layout 2,1 title \"Wasted work per "
          "configuration\"\n"
          "  set ylabel \"empty executions per run\"\n"
          "  plot \"configs.dat\" using 8:9:xtic(16) lc rgb \"#fdae61\" "
          "title \"empty executions\"\n"
          "  set ylabel \"messages per run\"\n"
          "  plot \"configs.dat\" using 10:11:xtic(16) lc rgb \"#4575b4\" "
          "title \"duplicate deliveries\", \\\n"
          "       \"configs.dat\" using 12:13 lc rgb \"#d73027\" "
          "title \"duplicate completions\"\n"
          "  unset multiplot\n",
          fp);
    gp_loop_close(fp);
    /* The x labels are config labels: say what they stand for. */
    fputs("\n# Configurations:\n", fp);
    for (size_t i = 0; i < x->n; i++)
        fprintf(fp, "#   %s  %s\n", x->c[i].label, x->c[i].full);
    return plot_ctx_close(x, fp, "waste.gp", d);
}
