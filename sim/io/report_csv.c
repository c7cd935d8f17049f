/* sim/io/report_csv.c - the CSV tables of a results folder (see
 * report_csv.h).
 *
 * Workload: one call per file per run; rows are configurations times
 * replications (or times RESULT_NQ quantiles): small. Numbers go through
 * csvout_num in the format of each file (the report_csv.h comment). */
#include "sim/io/report_csv.h"

#include "sim/io/csvout.h"
#include "sim/io/outfile.h"

#include <stdlib.h>
#include <string.h>
/* Write "config,<axis>...," (the columns both CSV files start with). */
static void put_head_common(FILE *fp, int *err, const struct report_input *in)
{
    csvout_raw(fp, err, "config");
    for (size_t a = 0; a < in->n_axes; a++) {
        csvout_raw(fp, err, ",");
        csvout_str(fp, err, in->axis_names[a]);
    }
}

/* Write "<label>,<axis value>..." of configuration c. */
static void put_row_common(FILE *fp, int *err, const struct report_input *in,
                           const struct report_config *c)
{
    csvout_str(fp, err, c->label);
    for (size_t a = 0; a < in->n_axes; a++) {
        csvout_raw(fp, err, ",");
        csvout_str(fp, err, c->axis_values != NULL ? c->axis_values[a] : NULL);
    }
}

int report_write_summary_csv(const char *dir, const struct report_input *in,
                             struct diag *d)
{
    char path[OUTFILE_PATH_MAX];
    FILE *fp = outfile_create(dir, "summary.csv", path, sizeof path, d);
    if (fp == NULL)
        return SIM_EIO;
    int err = 0;

    put_head_common(fp, &err, in);
    csvout_raw(fp, &err, ",replications");
    for (int i = 0; i < RM_COUNT; i++) {
        csvout_raw(fp, &err, ",");
        csvout_raw(fp, &err, result_metric_info[i].name);
        if (result_metric_info[i].ci) {
            csvout_raw(fp, &err, ",");
            csvout_raw(fp, &err, result_metric_info[i].name);
            csvout_raw(fp, &err, "_ci95");
        }
    }
    csvout_raw(fp, &err, ",slo_met\n");

    for (size_t ci = 0; ci < in->n_configs && err == 0; ci++) {
        const struct report_config *c = &in->configs[ci];
        put_row_common(fp, &err, in, c);
        if (fprintf(fp, ",%zu", c->n_reps) < 0)
            outfile_keep_errno(&err);
        for (int i = 0; i < RM_COUNT; i++) {
            double mean, hw;
            report_metric_stats(c, i, &mean, &hw);
            csvout_raw(fp, &err, ",");
            csvout_num(fp, &err, mean, CSVOUT_SUMMARY);
            if (result_metric_info[i].ci) {
                csvout_raw(fp, &err, ",");
                csvout_num(fp, &err, hw, CSVOUT_SUMMARY);
            }
        }
        csvout_raw(fp, &err, c->slo_met > 0    ? ",true\n"
                             : c->slo_met == 0 ? ",false\n"
                                               : ",\n");
    }
    return outfile_close(fp, path, err, d);
}

int report_write_replications_csv(const char *dir,
                                  const struct report_input *in,
                                  struct diag *d)
{
    char path[OUTFILE_PATH_MAX];
    FILE *fp = outfile_create(dir, "replications.csv", path, sizeof path, d);
    if (fp == NULL)
        return SIM_EIO;
    int err = 0;

    put_head_common(fp, &err, in);
    csvout_raw(fp, &err, ",replication");
    for (int i = 0; i < RM_COUNT; i++) {
        csvout_raw(fp, &err, ",");
        csvout_raw(fp, &err, result_metric_info[i].name);
    }
    csvout_raw(fp, &err, "\n");

    for (size_t ci = 0; ci < in->n_configs && err == 0; ci++) {
        const struct report_config *c = &in->configs[ci];
        for (size_t r = 0; r < c->n_reps && err == 0; r++) {
            const struct rep_result *rr = &c->reps[r];
            if (c->have != NULL && !c->have[r])
                continue;           /* another shard's replication */
            put_row_common(fp, &err, in, c);
            csvout_i64(fp, &err, (int64_t)rr->replication);
            for (int i = 0; i < RM_COUNT; i++) {
                csvout_raw(fp, &err, ",");
                csvout_num(fp, &err, rr->m[i],
                           result_metric_info[i].kind == RK_COUNT
                               ? CSVOUT_INT
                               : CSVOUT_EXACT);
            }
            csvout_raw(fp, &err, "\n");
        }
    }
    return outfile_close(fp, path, err, d);
}

/* ---- latency quantiles ------------------------------------------------- */

int report_write_latency_quantiles_csv(const char *dir,
                                       const struct report_input *in,
                                       struct diag *d)
{
    char path[OUTFILE_PATH_MAX];
    FILE *fp = outfile_create(dir, "latency_quantiles.csv", path,
                              sizeof path, d);
    if (fp == NULL)
        return SIM_EIO;
    int err = 0;
    put_head_common(fp, &err, in);
    csvout_raw(fp, &err, ",p,latency_s\n");
    for (size_t ci = 0; ci < in->n_configs && err == 0; ci++) {
        const struct report_config *c = &in->configs[ci];
        for (int k = 0; k < RESULT_NQ; k++) {
            /* Mean of the replications' quantiles (Vincent averaging):
             * the quantile function of the "average replication". */
            double sum = 0.0;
            size_t n = 0;
            for (size_t r = 0; r < c->n_reps; r++)
                if (!isnan(c->reps[r].latency_q[k])) {
                    sum += c->reps[r].latency_q[k];
                    n++;
                }
            char p[32];
            snprintf(p, sizeof p, ",%.2f,", (double)k / (RESULT_NQ - 1));
            put_row_common(fp, &err, in, c);
            csvout_raw(fp, &err, p);
            csvout_num(fp, &err, n > 0 ? sum / (double)n : (double)NAN,
                       CSVOUT_SUMMARY);
            csvout_raw(fp, &err, "\n");
        }
    }
    return outfile_close(fp, path, err, d);
}

int report_write_latency_raw_csv(const char *dir,
                                 const struct report_input *in,
                                 struct diag *d)
{
    char path[OUTFILE_PATH_MAX];
    FILE *fp = outfile_create(dir, "latency_raw.csv", path, sizeof path, d);
    if (fp == NULL)
        return SIM_EIO;
    int err = 0;
    csvout_raw(fp, &err, "config,replication");
    for (int k = 0; k < RESULT_NQ; k++)
        if (fprintf(fp, ",q%d", k) < 0)
            outfile_keep_errno(&err);
    csvout_raw(fp, &err, "\n");
    for (size_t ci = 0; ci < in->n_configs && err == 0; ci++) {
        const struct report_config *c = &in->configs[ci];
        for (size_t r = 0; r < c->n_reps && err == 0; r++) {
            if (c->have != NULL && !c->have[r])
                continue;
            csvout_str(fp, &err, c->label);
            csvout_i64(fp, &err, (int64_t)c->reps[r].replication);
            for (int k = 0; k < RESULT_NQ; k++) {
                csvout_raw(fp, &err, ",");
                csvout_num(fp, &err, c->reps[r].latency_q[k], CSVOUT_EXACT);
            }
            csvout_raw(fp, &err, "\n");
        }
    }
    return outfile_close(fp, path, err, d);
}
