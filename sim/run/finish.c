/* sim/run/finish.c - the results folder of a run or a merge (see
 * finish.h).
 *
 * Workload: once per run. The SLOs are judged per configuration, then
 * every file is written into the staging folder; plots are drawn there too
 * (scripts use relative paths), so a failed run leaves none behind, and
 * the folder is committed last. */
#include "sim/run/finish.h"

#include "sim/io/plot.h"
#include "sim/io/plot_render.h"
#include "sim/io/report_csv.h"
#include "sim/io/report_json.h"
#include "sim/io/report_md.h"
#include "sim/io/report_parts.h"
#include "sim/io/report_stage.h"
#include "sim/io/report_text.h"
#include "sim/run/exit_code.h"
#include "sim/run/shard.h"
#include "sim/run/slo.h"

#include <stdlib.h>
int runner_finish(struct runner_plan *p, const char *tmp,
                  const struct runner_finish_opts *f)
{
    struct diag d;
    diag_init(&d);
    struct report_config *cfgs = calloc(p->n_cfg, sizeof *cfgs);
    struct slo_eval *evals = calloc(p->n_cfg, sizeof *evals);
    if (cfgs == NULL || evals == NULL) {
        free(cfgs);
        free(evals);
        fprintf(stderr, "burstsim: out of memory\n");
        return EXIT_RUN_FAILED;
    }
    runner_plan_configs(p, cfgs);
    for (size_t c = 0; c < p->n_cfg; c++) {
        slo_evaluate(&p->cfg[c], &cfgs[c], &evals[c]);
        cfgs[c].slo_met = slo_eval_met(&evals[c]);
        if (f->partial)
            cfgs[c].have = &p->have[c * p->n_rep];
    }
    struct slo_recommendation rec;
    slo_recommend(cfgs, evals, p->n_cfg, &rec);
    struct report_input in = {
        .scn = &p->cfg[0], .axis_names = p->axis_names, .n_axes = p->n_axes,
        .configs = cfgs, .n_configs = p->n_cfg, .version = BURSTSIM_VERSION,
        .evals = evals, .rec = &rec,
    };
    const struct scn_output *out = &p->base.output;
    int rc = 0;
    if (f->partial) {
        rc = shard_write_manifest(tmp, p, f->shard_index, f->shard_count,
                                  &d);
        if (rc == 0)
            rc = report_write_replications_csv(tmp, &in, &d);
        if (rc == 0)
            rc = report_write_latency_raw_csv(tmp, &in, &d);
        if (rc == 0)
            rc = shard_keep_parts(tmp, &d);
    } else {
        if (out->timeseries)
            rc = report_parts_gather(tmp, "timeseries", f->part_dirs,
                                     f->n_part_dirs, p->n_cfg, 1,
                                     f->remove_parts, &d);
        if (rc == 0 && out->executions)
            rc = report_parts_gather(tmp, "executions", f->part_dirs,
                                     f->n_part_dirs, p->n_cfg, p->n_rep,
                                     f->remove_parts, &d);
        if (rc == 0)
            rc = report_write_summary_csv(tmp, &in, &d);
        if (rc == 0)
            rc = report_write_replications_csv(tmp, &in, &d);
        if (rc == 0)
            rc = report_write_latency_quantiles_csv(tmp, &in, &d);
        if (rc == 0)
            rc = report_write_summary_json(tmp, &in, &d);
        if (rc == 0)
            rc = report_write_report_md(tmp, &in, out->plots, &d);
        if (rc == 0 && out->plots)
            rc = plot_write(tmp, &d);
    }
    /* Draw the plots in the staging folder (scripts use relative paths),
     * so a failed run leaves none behind either. */
    struct plot_result pr = {0};
    if (rc == 0 && !f->partial && out->plots) {
        plot_render(tmp, &pr);
        /* A plot that failed (or an empty image: a full disk) fails the
         * run: every file is checked before the folder is committed. */
        if (pr.status == PLOT_FAILED)
            rc = diag_set(&d, SIM_EIO, f->final_dir, 0, 0,
                          "plots/%s: %s; no results written (set "
                          "output.plots: false to run without plots)",
                          pr.failed, pr.why);
    }
    if (rc == 0)
        rc = report_stage_commit(tmp, f->final_dir, &d);
    int code = EXIT_OK_;
    if (rc != 0) {
        exit_print_diag(&d);
        report_stage_abort(tmp);
        code = rc == SIM_EINVAL ? EXIT_USAGE : EXIT_RUN_FAILED;
    } else if (f->partial) {
        size_t n = 0;
        for (size_t i = 0; i < p->n_cfg * p->n_rep; i++)
            n += p->have[i];
        if (f->table != NULL)
            fprintf(f->table, "shard %u/%u: %zu of %zu replications; "
                              "partial results: %s/ (combine with "
                              "'burstsim merge')\n",
                    f->shard_index, f->shard_count, n, p->n_cfg * p->n_rep,
                    f->final_dir);
    } else {
        if (f->table != NULL) {
            report_print_table(f->table, &in);
            report_print_recommendation(f->table, &in);
        }
        if (!out->plots) {
            if (f->table != NULL)
                fprintf(f->table, "plots: skipped (output.plots is false)\n");
        } else if (pr.status == PLOT_NO_GNUPLOT) {
            fprintf(stderr, "burstsim: gnuplot not found in PATH; plots "
                            "skipped (scripts and data are in %s/plots/; "
                            "run 'burstsim plot %s' once it is installed)\n",
                    f->final_dir, f->final_dir);
        } else if (f->table != NULL) {
            fprintf(f->table, "plots: %zu drawn in %s/plots/\n", pr.drawn,
                    f->final_dir);
        }
        if (f->table != NULL)
            fprintf(f->table, "results: %s/\n", f->final_dir);
        if (f->check && rec.n_met == 0)
            code = EXIT_SLO_NOT_MET;
    }
    free(cfgs);
    free(evals);
    return code;
}
