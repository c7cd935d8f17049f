/* sim/io/report_text.c - the table and the recommendation a run prints on
 * stdout (see report_text.h).
 *
 * Workload: a handful of configurations; the table is printed in two
 * passes (widths, then rows) so it needs no heap. */
#include "sim/io/report_text.h"

#include <string.h>
/* ---- terminal table ---------------------------------------------------- */

/* The metric columns of the table, in order. */
static const int table_metrics[] = {
    RM_messages,     RM_completed,  RM_unfinished,       RM_latency_p95_s,
    RM_backlog_max,  RM_executions, RM_empty_executions, RM_cost_usd,
};
#define TABLE_NM (sizeof table_metrics / sizeof table_metrics[0])

/* Format the mean of table column m of configuration c into buf: integral
 * values without decimals, other counts with one, reals with 5 significant
 * digits; "-" when not applicable. */
static void table_cell(char *buf, size_t n, const struct report_config *c,
                       int m)
{
    double mean, hw;
    report_metric_stats(c, m, &mean, &hw);
    if (isnan(mean))
        snprintf(buf, n, "-");
    else if (result_metric_info[m].kind == RK_COUNT)
        snprintf(buf, n, mean == floor(mean) ? "%.0f" : "%.1f", mean);
    else
        snprintf(buf, n, "%.5g", mean);
}

/* Value of axis a of configuration c, "" when absent. */
static const char *axis_value(const struct report_config *c, size_t a)
{
    const char *v = c->axis_values != NULL ? c->axis_values[a] : NULL;
    return v != NULL ? v : "";
}

/* Width of the table column of axis a: its longest value or its name. */
static size_t axis_width(const struct report_input *in, size_t a)
{
    size_t w = strlen(in->axis_names[a]);
    for (size_t c = 0; c < in->n_configs; c++) {
        size_t len = strlen(axis_value(&in->configs[c], a));
        w = len > w ? len : w;
    }
    return w;
}

/* Print the table in two passes (widths, then rows) so it needs no heap:
 * formatting the cells twice is cheap for a handful of configurations.
 * Write errors are left for the caller to find with ferror(out). */
void report_print_table(FILE *out, const struct report_input *in)
{
    size_t w_cfg = strlen("config");
    size_t w_m[TABLE_NM];
    char cell[64];
    for (size_t j = 0; j < TABLE_NM; j++)
        w_m[j] = strlen(result_metric_info[table_metrics[j]].name);
    for (size_t c = 0; c < in->n_configs; c++) {
        const struct report_config *rc = &in->configs[c];
        size_t len = strlen(rc->label != NULL ? rc->label : "");
        w_cfg = len > w_cfg ? len : w_cfg;
        for (size_t j = 0; j < TABLE_NM; j++) {
            table_cell(cell, sizeof cell, rc, table_metrics[j]);
            w_m[j] = strlen(cell) > w_m[j] ? strlen(cell) : w_m[j];
        }
    }

    /* Text columns are left-aligned, numbers right-aligned. */
    fprintf(out, "%-*s", (int)w_cfg, "config");
    for (size_t a = 0; a < in->n_axes; a++)
        fprintf(out, "  %-*s", (int)axis_width(in, a), in->axis_names[a]);
    for (size_t j = 0; j < TABLE_NM; j++)
        fprintf(out, "  %*s", (int)w_m[j],
                result_metric_info[table_metrics[j]].name);
    fputc('\n', out);

    for (size_t c = 0; c < in->n_configs; c++) {
        const struct report_config *rc = &in->configs[c];
        fprintf(out, "%-*s", (int)w_cfg, rc->label != NULL ? rc->label : "");
        for (size_t a = 0; a < in->n_axes; a++)
            fprintf(out, "  %-*s", (int)axis_width(in, a), axis_value(rc, a));
        for (size_t j = 0; j < TABLE_NM; j++) {
            table_cell(cell, sizeof cell, rc, table_metrics[j]);
            fprintf(out, "  %*s", (int)w_m[j], cell);
        }
        fputc('\n', out);
    }
}
/* ---- recommendation ---------------------------------------------------- */

void report_config_title(const struct report_input *in, size_t c, char *buf,
                         size_t n)
{
    const struct report_config *rc = &in->configs[c];
    size_t len = 0;
    buf[0] = '\0';
    for (size_t a = 0; a < in->n_axes && len < n; a++) {
        const char *name = in->axis_names[a];
        const char *dot = strrchr(name, '.');
        int k = snprintf(buf + len, n - len, "%s%s=%s", a > 0 ? ", " : "",
                         dot != NULL ? dot + 1 : name, axis_value(rc, a));
        if (k < 0)
            break;
        len += (size_t)k;
    }
    if (in->n_axes == 0)
        snprintf(buf, n, "%s", rc->label != NULL ? rc->label : "");
}

const char *report_metric_unit(int m)
{
    const char *name = result_metric_info[m].name;
    size_t len = strlen(name);
    return len > 2 && strcmp(name + len - 2, "_s") == 0 ? " s" : "";
}

void report_paired_text(const struct slo_recommendation *r, char *buf,
                        size_t n)
{
    if (isnan(r->diff_half))
        snprintf(buf, n, "%+.4g (%zu replication%s, no CI)", r->diff_mean,
                 r->diff_n, r->diff_n == 1 ? "" : "s");
    else
        snprintf(buf, n, "%+.4g +- %.2g (95 %% CI, %zu replications)",
                 r->diff_mean, r->diff_half, r->diff_n);
}

void report_print_recommendation(FILE *out, const struct report_input *in)
{
    const struct slo_recommendation *r = in->rec;
    if (r == NULL || r->kind == SLO_REC_NONE || in->evals == NULL)
        return;
    const struct slo_eval *e = &in->evals[r->config];
    char title[512];
    report_config_title(in, r->config, title, sizeof title);
    const char *label = in->configs[r->config].label;
    if (r->kind == SLO_REC_MET && r->tie) {
        fprintf(out,
                "recommendation: %s (%s): meets every SLO at %g %% "
                "confidence (%zu of %zu do), cost_usd %.5g +- %.2g; ties "
                "on cost with %zu other%s, chosen for %s\n",
                label, title, e->confidence * 100.0, r->n_met,
                in->n_configs, r->cost_mean,
                isnan(r->cost_ci95) ? 0.0 : r->cost_ci95, r->n_tied - 1,
                r->n_tied > 2 ? "s" : "", slo_tie_reason_text(r->why));
    } else if (r->kind == SLO_REC_MET) {
        fprintf(out,
                "recommendation: %s (%s): the cheapest configuration "
                "meeting every SLO at %g %% confidence (%zu of %zu do), "
                "cost_usd %.5g +- %.2g\n",
                label, title, e->confidence * 100.0, r->n_met,
                in->n_configs, r->cost_mean,
                isnan(r->cost_ci95) ? 0.0 : r->cost_ci95);
    } else {
        fprintf(out,
                "recommendation: none of the %zu configurations meets "
                "every SLO at %g %% confidence; closest: %s (%s), "
                "cost_usd %.5g\n",
                in->n_configs, e->confidence * 100.0, label, title,
                r->cost_mean);
    }
    if (r->kind == SLO_REC_MET && r->other != SIZE_MAX) {
        char d[96];
        report_paired_text(r, d, sizeof d);
        fprintf(out, "  vs %-23s paired cost_usd difference %s: %s\n",
                in->configs[r->other].label, d,
                r->tie ? "not significant (the 95 % CI contains 0)"
                       : "significant");
    }
    for (size_t i = 0; i < e->n; i++) {
        const struct slo_objective *o = &e->obj[i];
        const char *u = report_metric_unit(o->metric);
        if (isnan(o->upper))
            fprintf(out, "  %-26s FAILS: no value (limit %.6g%s)\n", o->key,
                    o->limit, u);
        else
            fprintf(out, "  %-26s %s: upper bound %.6g%s %s %.6g%s "
                    "(margin %.4g%s)\n",
                    o->key, o->met ? "met" : "FAILS", o->upper, u,
                    o->met ? "<=" : ">", o->limit, u, slo_margin(o), u);
    }
}
