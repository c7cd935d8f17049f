/* sim/io/report_md.c - report.md, the results folder's human-readable
 * page (see report_md.h): what was compared, the objectives, the recommendation
 * and why, the table, the baseline and the plots.
 *
 * Workload: one small file per run. Markdown cells hold "mean +- half"
 * with 4 significant digits: the table is for reading; summary.csv keeps
 * the precise numbers. */
#include "sim/io/report_md.h"

#include "sim/io/report_text.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Columns of the markdown table, in order. */
static const int md_metrics[] = {
    RM_messages,         RM_latency_p95_s,     RM_latency_max_s,
    RM_backlog_max,      RM_unfinished,        RM_executions,
    RM_empty_executions, RM_duplicate_deliveries, RM_cost_usd,
};
#define MD_NM (sizeof md_metrics / sizeof md_metrics[0])

/* "mean +- hw" of metric m of configuration c into buf; "-" when n/a. */
static void md_cell(char *buf, size_t n, const struct report_config *c, int m)
{
    double mean, hw;
    report_metric_stats(c, m, &mean, &hw);
    if (isnan(mean))
        snprintf(buf, n, "-");
    else if (isnan(hw) || hw == 0.0)
        snprintf(buf, n, "%.4g", mean);
    else
        snprintf(buf, n, "%.4g ± %.2g", mean, hw);
}

/* Write a markdown-safe copy of s (pipes escaped, newlines as spaces). */
static void md_text(FILE *fp, const char *s)
{
    for (; s != NULL && *s; s++) {
        if (*s == '|')
            fputs("\\|", fp);
        else if (*s == '\n' || *s == '\r')
            fputc(' ', fp);
        else
            fputc(*s, fp);
    }
}

/* The recommendation section. */
static void md_recommendation(FILE *fp, const struct report_input *in)
{
    const struct slo_recommendation *r = in->rec;
    fputs("## Recommendation\n\n", fp);
    if (r == NULL || r->kind == SLO_REC_NONE || in->evals == NULL) {
        fputs("The scenario has no `slo:` section, so no configuration is "
              "judged and none is recommended. Add one (see "
              "docs/scenario-format.md) to get a recommendation.\n\n",
              fp);
        return;
    }
    const struct slo_eval *e = &in->evals[r->config];
    const struct report_config *c = &in->configs[r->config];
    char title[512];
    report_config_title(in, r->config, title, sizeof title);
    if (r->kind == SLO_REC_MET) {
        fprintf(fp, "**%s** (`", c->label);
        md_text(fp, title);
        if (r->tie)
            fprintf(fp, "`) meets every objective: mean `cost_usd` %.5g ± "
                        "%.2g per simulated run (%zu of %zu configurations "
                        "meet every objective). It **ties on cost** with "
                        "%zu other%s meeting every objective (the 95 %% CI "
                        "of the paired cost difference per replication "
                        "contains 0) and is chosen for %s.",
                    r->cost_mean, isnan(r->cost_ci95) ? 0.0 : r->cost_ci95,
                    r->n_met, in->n_configs, r->n_tied - 1,
                    r->n_tied > 2 ? "s" : "", slo_tie_reason_text(r->why));
        else
            fprintf(fp, "`) is the cheapest configuration that meets every "
                        "objective: mean `cost_usd` %.5g ± %.2g per "
                        "simulated run (%zu of %zu configurations meet "
                        "every objective).",
                    r->cost_mean, isnan(r->cost_ci95) ? 0.0 : r->cost_ci95,
                    r->n_met, in->n_configs);
        if (r->other != SIZE_MAX) {
            char d[96];
            report_paired_text(r, d, sizeof d);
            fprintf(fp, " Paired cost difference of %s minus it, on the "
                        "same arrivals: %s, %s.",
                    in->configs[r->other].label, d,
                    r->tie ? "not significant" : "significant");
        }
        fputs("\n\n", fp);
    } else {
        fprintf(fp, "**No configuration meets every objective.** The "
                    "closest is **%s** (`", c->label);
        md_text(fp, title);
        fprintf(fp, "`), mean `cost_usd` %.5g: it fails ", r->cost_mean);
        size_t k = 0;
        for (size_t i = 0; i < e->n; i++)
            if (!e->obj[i].met)
                fprintf(fp, "%s`%s`", k++ > 0 ? ", " : "", e->obj[i].key);
        fputs(". Closest means the fewest objectives failed, then the "
              "smallest relative excess over a limit.\n\n",
              fp);
    }
    fprintf(fp, "Why: each objective holds when the upper bound of the "
                "two-sided %g %% confidence interval of the mean over "
                "replications is within the limit.\n\n",
            e->confidence * 100.0);
    fputs("| objective | limit | mean | upper bound | margin | met |\n"
          "|---|---:|---:|---:|---:|---|\n",
          fp);
    for (size_t i = 0; i < e->n; i++) {
        const struct slo_objective *o = &e->obj[i];
        const char *u = report_metric_unit(o->metric);
        fprintf(fp, "| `%s` (`%s`) | %.6g%s | %.6g%s | %.6g%s | %.4g%s | %s |\n",
                o->key, result_metric_info[o->metric].name, o->limit, u,
                o->mean, u, o->upper, u, slo_margin(o), u,
                o->met ? "yes" : "**no**");
    }
    fputc('\n', fp);

    /* Cheaper configurations and why they were not chosen. */
    if (r->kind == SLO_REC_MET) {
        size_t shown = 0;
        for (size_t ci = 0; ci < in->n_configs; ci++) {
            double mean, hw;
            report_metric_stats(&in->configs[ci], RM_cost_usd, &mean, &hw);
            if (ci == r->config || !(mean < r->cost_mean))
                continue;
            const struct slo_eval *x = &in->evals[ci];
            if (shown++ == 0)
                fputs("Cheaper configurations, and the objectives they fail "
                      "or the cost tie they lost:\n\n",
                      fp);
            if (shown > 12) {
                fputs("- ... (see summary.csv, column `slo_met`)\n", fp);
                break;
            }
            report_config_title(in, ci, title, sizeof title);
            fprintf(fp, "- %s (`", in->configs[ci].label);
            md_text(fp, title);
            fprintf(fp, "`, cost %.5g):", mean);
            for (size_t i = 0; i < x->n; i++)
                if (!x->obj[i].met)
                    fprintf(fp, " `%s` upper bound %.4g%s > %.4g%s;",
                            x->obj[i].key, x->obj[i].upper,
                            report_metric_unit(x->obj[i].metric),
                            x->obj[i].limit,
                            report_metric_unit(x->obj[i].metric));
            if (x->n_failed == 0)
                fprintf(fp, " meets every objective, but is not "
                            "significantly cheaper than %s (paired cost "
                            "difference, see above): a tie, settled as "
                            "stated;",
                        in->configs[r->config].label);
            fputc('\n', fp);
        }
        if (shown > 0)
            fputc('\n', fp);
    }
}

/* The summary table. */
static void md_table(FILE *fp, const struct report_input *in)
{
    char cell[96];
    fputs("## Summary\n\nMean over replications ± 95 % confidence "
          "half-width (Student t). All columns are in `summary.csv`.\n\n| "
          "config",
          fp);
    for (size_t a = 0; a < in->n_axes; a++) {
        fputs(" | `", fp);
        md_text(fp, in->axis_names[a]);
        fputc('`', fp);
    }
    for (size_t j = 0; j < MD_NM; j++)
        fprintf(fp, " | %s", result_metric_info[md_metrics[j]].name);
    fputs(" | SLO met |\n|---", fp);
    for (size_t a = 0; a < in->n_axes; a++)
        fputs("|---", fp);
    for (size_t j = 0; j < MD_NM; j++)
        fputs("|---:", fp);
    fputs("|---|\n", fp);
    for (size_t ci = 0; ci < in->n_configs; ci++) {
        const struct report_config *c = &in->configs[ci];
        bool rec = in->rec != NULL && in->rec->kind != SLO_REC_NONE &&
                   in->rec->config == ci;
        fprintf(fp, rec ? "| **%s**" : "| %s", c->label);
        for (size_t a = 0; a < in->n_axes; a++) {
            fputs(" | ", fp);
            md_text(fp, c->axis_values != NULL ? c->axis_values[a] : "");
        }
        for (size_t j = 0; j < MD_NM; j++) {
            md_cell(cell, sizeof cell, c, md_metrics[j]);
            fprintf(fp, " | %s", cell);
        }
        fprintf(fp, " | %s |\n",
                c->slo_met > 0 ? "yes" : c->slo_met == 0 ? "no" : "");
    }
    fputc('\n', fp);
}

/* The baseline section: only when some configuration has a value. */
static void md_baseline(FILE *fp, const struct report_input *in)
{
    bool any = false;
    for (size_t ci = 0; ci < in->n_configs && !any; ci++) {
        double mean, hw;
        report_metric_stats(&in->configs[ci], RM_baseline_cost_usd, &mean,
                            &hw);
        any = !isnan(mean);
    }
    fputs("## Baseline\n\n", fp);
    if (!any) {
        fputs("No always-on baseline was simulated (no `baseline:` "
              "section, or the baseline model is not available in this "
              "version), so there is no savings comparison.\n\n",
              fp);
        return;
    }
    char a[96], b[96], c[96];
    fputs("| config | cost_usd | baseline_cost_usd | savings_pct |\n"
          "|---|---:|---:|---:|\n",
          fp);
    for (size_t ci = 0; ci < in->n_configs; ci++) {
        const struct report_config *rc = &in->configs[ci];
        md_cell(a, sizeof a, rc, RM_cost_usd);
        md_cell(b, sizeof b, rc, RM_baseline_cost_usd);
        md_cell(c, sizeof c, rc, RM_savings_pct);
        fprintf(fp, "| %s | %s | %s | %s |\n", rc->label, a, b, c);
    }
    fputc('\n', fp);
}

int report_write_report_md(const char *dir, const struct report_input *in,
                           bool with_plots, struct diag *d)
{
    char path[4096];
    int k = snprintf(path, sizeof path, "%s/report.md", dir);
    if (k < 0 || (size_t)k >= sizeof path)
        return diag_set(d, SIM_EIO, dir, 0, 0, "cannot create file: %s",
                        strerror(ENAMETOOLONG));
    FILE *fp = fopen(path, "w");
    if (fp == NULL)
        return diag_set(d, SIM_EIO, path, 0, 0, "cannot create file: %s",
                        strerror(errno));
    const struct scenario *scn = in->scn;
    fputs("# ", fp);
    md_text(fp, scn != NULL ? scn->name : "burstsim results");
    fputs("\n\n", fp);
    if (scn != NULL && scn->description != NULL && scn->description[0]) {
        md_text(fp, scn->description);
        fputs("\n\n", fp);
    }
    fprintf(fp, "burstsim %s", in->version != NULL ? in->version : "");
    if (scn != NULL)
        fprintf(fp, ", seed %lu, %lld replication%s per configuration "
                    "(mt19937 streams; every configuration sees the same "
                    "arrivals in each replication)",
                (unsigned long)scn->seed, (long long)scn->replications,
                scn->replications == 1 ? "" : "s");
    fputs(".\n\n## Configurations compared\n\n", fp);
    if (in->n_axes == 0) {
        fputs("One configuration (no `sweep:` or `--vary`).\n\n", fp);
    } else {
        fprintf(fp, "%zu configurations, every combination of:\n\n",
                in->n_configs);
        for (size_t a = 0; a < in->n_axes; a++) {
            fputs("- `", fp);
            md_text(fp, in->axis_names[a]);
            fputs("`:", fp);
            /* Distinct values in first-seen order. */
            for (size_t ci = 0; ci < in->n_configs; ci++) {
                const char *v = in->configs[ci].axis_values[a];
                bool seen = false;
                for (size_t cj = 0; cj < ci && !seen; cj++)
                    seen = strcmp(in->configs[cj].axis_values[a], v) == 0;
                if (!seen) {
                    fputs(ci > 0 ? ", " : " ", fp);
                    md_text(fp, v);
                }
            }
            fputc('\n', fp);
        }
        fputc('\n', fp);
    }
    md_recommendation(fp, in);
    md_table(fp, in);
    md_baseline(fp, in);
    if (with_plots) {
        static const char *const plots[][2] = {
            {"backlog", "Backlog over time (replication 0)"},
            {"executions", "Executions running over time (replication 0)"},
            {"latency_cdf", "Latency CDF"},
            {"cost_latency", "Cost versus p95 latency, Pareto frontier "
                             "and SLO"},
            {"waste", "Empty executions and duplicate deliveries"},
        };
        fputs("## Plots\n\nEach plot has its gnuplot script and data in "
              "`plots/`; edit a script and run `burstsim plot DIR` (or "
              "`gnuplot NAME.gp` in `plots/`) to redraw.\n\n",
              fp);
        for (size_t i = 0; i < sizeof plots / sizeof plots[0]; i++)
            fprintf(fp, "### %s\n\n![%s](plots/%s.png)\n\n[SVG](plots/%s.svg)"
                        " · [script](plots/%s.gp)\n\n",
                    plots[i][1], plots[i][1], plots[i][0], plots[i][0],
                    plots[i][0]);
    }
    fputs("## Files\n\n`summary.csv` (one row per configuration), "
          "`replications.csv` (raw), `latency_quantiles.csv`, "
          "`timeseries.csv`, `summary.json` (with the resolved scenario); "
          "see the README.\n",
          fp);
    int err = ferror(fp) ? EIO : 0;
    if (fclose(fp) != 0 && err == 0)
        err = errno != 0 ? errno : EIO;
    if (err != 0)
        return diag_set(d, SIM_EIO, path, 0, 0, "cannot write file: %s",
                        strerror(err));
    return 0;
}
