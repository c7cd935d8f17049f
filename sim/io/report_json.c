/* sim/io/report_json.c - summary.json (see report_json.h).
 *
 * Workload: one small document per run, built in memory with jansson and
 * dumped once (indent 2, keys in insertion order). Every allocation is
 * checked: a failure anywhere gives SIM_ENOMEM and no file content. */
#include "sim/io/report_json.h"

#include "sim/io/csvout.h"
#include "sim/io/outfile.h"

#include <errno.h>
#include <jansson.h>
/* A JSON number for v; null when v is NAN ("does not apply"); the string
 * "inf" / "-inf" when v is infinite (JSON has no such numbers; a latency
 * quantile beyond the horizon is +inf, which must not read as "n/a").
 * NULL only on allocation failure. */
static json_t *json_num(double v)
{
    if (isnan(v))
        return json_null();
    if (isinf(v))
        return json_string(v > 0 ? "inf" : "-inf");
    return json_real(v);
}

/* The "slo" array of one configuration: its objectives, or null. */
static json_t *json_slo(const struct slo_eval *e)
{
    if (e == NULL || !e->present)
        return json_null();
    json_t *a = json_array();
    int bad = a == NULL;
    for (size_t i = 0; i < e->n && !bad; i++) {
        const struct slo_objective *o = &e->obj[i];
        json_t *j = json_object();
        bad |= j == NULL;
        if (bad)
            break;
        bad |= json_object_set_new(j, "objective", json_string(o->key));
        bad |= json_object_set_new(j, "metric",
                                   json_string(result_metric_info[o->metric]
                                                   .name));
        bad |= json_object_set_new(j, "limit", json_num(o->limit));
        bad |= json_object_set_new(j, "mean", json_num(o->mean));
        bad |= json_object_set_new(j, "upper", json_num(o->upper));
        bad |= json_object_set_new(j, "margin", json_num(slo_margin(o)));
        bad |= json_object_set_new(j, "met", json_boolean(o->met));
        bad |= json_array_append_new(a, j);
    }
    if (bad) {
        json_decref(a);
        return NULL;
    }
    return a;
}

/* The "recommendation" object of summary.json, or null without an SLO. */
static json_t *json_recommendation(const struct report_input *in)
{
    const struct slo_recommendation *r = in->rec;
    if (r == NULL || r->kind == SLO_REC_NONE || in->evals == NULL)
        return json_null();
    const struct report_config *c = &in->configs[r->config];
    const struct slo_eval *e = &in->evals[r->config];
    json_t *o = json_object();
    json_t *values = json_object();
    json_t *failing = json_array();
    int bad = o == NULL || values == NULL || failing == NULL;
    for (size_t a = 0; a < in->n_axes && !bad; a++) {
        const char *v = c->axis_values != NULL ? c->axis_values[a] : NULL;
        bad |= json_object_set_new(values, in->axis_names[a],
                                   v != NULL ? json_string(v) : json_null());
    }
    for (size_t i = 0; i < e->n && !bad; i++)
        if (!e->obj[i].met)
            bad |= json_array_append_new(failing,
                                         json_string(e->obj[i].key));
    if (!bad) {
        bad |= json_object_set_new(o, "config", json_string(c->label));
        bad |= json_object_set_new(o, "values", values);
        values = NULL;
        bad |= json_object_set_new(o, "slo_met",
                                   json_boolean(r->kind == SLO_REC_MET));
        bad |= json_object_set_new(o, "configs_meeting_slo",
                                   json_integer((json_int_t)r->n_met));
        bad |= json_object_set_new(o, "cost_usd", json_num(r->cost_mean));
        bad |= json_object_set_new(o, "cost_usd_ci95",
                                   json_num(r->cost_ci95));
        bad |= json_object_set_new(o, "confidence", json_num(e->confidence));
        if (r->kind == SLO_REC_MET) {
            /* the paired comparison on cost (sim/run/slo.h) */
            json_t *t = json_object();
            bad |= t == NULL;
            if (t != NULL) {
                bool other = r->other != SIZE_MAX;
                bad |= json_object_set_new(t, "tie", json_boolean(r->tie));
                bad |= json_object_set_new(
                    t, "configs_tied", json_integer((json_int_t)r->n_tied));
                bad |= json_object_set_new(
                    t, "chosen_for",
                    r->tie ? json_string(slo_tie_reason_text(r->why))
                           : json_string("lowest mean cost_usd"));
                bad |= json_object_set_new(
                    t, "compared_with",
                    other ? json_string(in->configs[r->other].label)
                          : json_null());
                bad |= json_object_set_new(t, "paired_cost_diff_usd",
                                           json_num(r->diff_mean));
                bad |= json_object_set_new(t, "paired_cost_diff_ci95",
                                           json_num(r->diff_half));
                bad |= json_object_set_new(
                    t, "pairs", json_integer((json_int_t)r->diff_n));
                bad |= json_object_set_new(o, "cost_comparison", t);
            }
        }
        bad |= json_object_set_new(o, "objectives", json_slo(e));
        bad |= json_object_set_new(o, "failing", failing);
        failing = NULL;
    }
    json_decref(values);
    json_decref(failing);
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* One element of "configs" in summary.json; NULL on allocation failure. */
static json_t *json_config(const struct report_input *in,
                           const struct report_config *c)
{
    json_t *o = json_object();
    json_t *values = json_object();
    json_t *metrics = json_object();
    int bad = (o == NULL || values == NULL || metrics == NULL);
    for (size_t a = 0; a < in->n_axes && !bad; a++) {
        const char *v = c->axis_values != NULL ? c->axis_values[a] : NULL;
        bad |= json_object_set_new(values, in->axis_names[a],
                                   v != NULL ? json_string(v) : json_null());
    }
    /* Every metric carries both mean and ci95 (also those without a
     * _ci95 column in summary.csv), so readers find a fixed shape. */
    for (int i = 0; i < RM_COUNT && !bad; i++) {
        double mean, hw;
        report_metric_stats(c, i, &mean, &hw);
        json_t *m = json_object();
        bad |= (m == NULL);
        if (!bad) {
            bad |= json_object_set_new(m, "mean", json_num(mean));
            bad |= json_object_set_new(m, "ci95", json_num(hw));
        }
        bad |= json_object_set_new(metrics, result_metric_info[i].name, m);
    }
    if (!bad) {
        bad |= json_object_set_new(o, "config", json_string(c->label));
        bad |= json_object_set_new(o, "values", values);
        values = NULL;
        bad |= json_object_set_new(o, "replications",
                                   json_integer((json_int_t)c->n_reps));
        bad |= json_object_set_new(o, "metrics", metrics);
        metrics = NULL;
        bad |= json_object_set_new(o, "slo_met",
                                   c->slo_met < 0 ? json_null()
                                                  : json_boolean(c->slo_met));
        bad |= json_object_set_new(
            o, "slo",
            json_slo(in->evals != NULL ? &in->evals[c - in->configs] : NULL));
    }
    json_decref(values);
    json_decref(metrics);
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* The whole summary.json document; NULL on allocation failure. */
static json_t *json_summary(const struct report_input *in)
{
    json_t *root = json_object();
    json_t *axes = json_array();
    json_t *configs = json_array();
    int bad = (root == NULL || axes == NULL || configs == NULL);
    for (size_t a = 0; a < in->n_axes && !bad; a++)
        bad |= json_array_append_new(axes, json_string(in->axis_names[a]));
    for (size_t c = 0; c < in->n_configs && !bad; c++)
        bad |= json_array_append_new(configs,
                                     json_config(in, &in->configs[c]));
    if (!bad) {
        const struct scenario *scn = in->scn;
        bad |= json_object_set_new(
            root, "burstsim", json_string(in->version ? in->version : ""));
        bad |= json_object_set_new(root, "generator", json_string("mt19937"));
        bad |= json_object_set_new(
            root, "seed", scn ? json_integer((json_int_t)scn->seed) : json_null());
        bad |= json_object_set_new(
            root, "replications",
            scn ? json_integer((json_int_t)scn->replications) : json_null());
        json_t *s = scn ? scn_to_json(scn) : json_null();
        bad |= json_object_set_new(root, "scenario", s);
        bad |= json_object_set_new(root, "axes", axes);
        axes = NULL;
        bad |= json_object_set_new(root, "configs", configs);
        configs = NULL;
        bad |= json_object_set_new(root, "recommendation",
                                   json_recommendation(in));
    }
    json_decref(axes);
    json_decref(configs);
    if (bad) {
        json_decref(root);
        return NULL;
    }
    return root;
}

int report_write_summary_json(const char *dir, const struct report_input *in,
                              struct diag *d)
{
    char path[OUTFILE_PATH_MAX];
    if (outfile_path(path, sizeof path, dir, "summary.json", d) != 0)
        return SIM_EIO;
    json_t *root = json_summary(in);
    if (root == NULL)
        return diag_set(d, SIM_ENOMEM, path, 0, 0,
                        "out of memory building the document");
    /* json_dumpf on our own stream (rather than json_dump_file) so errno
     * of a failed write reaches the diagnostic, plus a final newline. */
    FILE *fp = outfile_open(path, d);
    if (fp == NULL) {
        json_decref(root);
        return SIM_EIO;
    }
    int err = 0;
    errno = 0;
    if (json_dumpf(root, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0)
        outfile_keep_errno(&err);
    csvout_raw(fp, &err, "\n");
    json_decref(root);
    return outfile_close(fp, path, err, d);
}
