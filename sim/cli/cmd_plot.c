/* sim/cli/cmd_plot.c - `burstsim plot DIR [--rewrite]`: (re)write the
 * plot scripts when asked or missing (sim/io/plot.c), then draw them
 * (sim/io/plot_render.c). Only a results folder burstsim wrote is
 * touched (checked before anything is written), under its lock, and what
 * plot writes is added to its ".burstsim" marker so a later `run -o DIR`
 * may replace it. */
#include "sim/cli/commands.h"
#include "sim/io/plot.h"
#include "sim/io/plot_render.h"
#include "sim/io/report_stage.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char plot_usage[] =
    "usage: burstsim plot DIR [--rewrite]\n"
    "Draw the plots of results folder DIR with gnuplot: run every script in\n"
    "DIR/plots/ (your edits are kept); when there is none, or with\n"
    "--rewrite, write the scripts and data first from DIR's results.\n";

int cmd_plot(int argc, char **argv)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"rewrite", no_argument, NULL, 'r'},
        {NULL, 0, NULL, 0},
    };
    bool rewrite = false;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            fputs(plot_usage, stdout);
            return EXIT_OK_;
        case 'r':
            rewrite = true;
            break;
        default:
            return cmd_usage_error("plot", "unknown option '%s'",
                               argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return cmd_usage_error("plot", "expected one results folder DIR%s", "");
    const char *dir = argv[optind];
    struct diag d;
    diag_init(&d);
    /* A folder that is not a results folder is a usage error: refuse
     * before creating anything in it. */
    if (report_stage_check_results(dir, &d) != 0) {
        exit_print_diag(&d);
        return EXIT_USAGE;
    }
    struct report_lock lock;
    if (report_stage_lock(dir, &lock, &d) != 0) {
        exit_print_diag(&d);
        return d.code == SIM_EINVAL ? EXIT_USAGE : EXIT_RUN_FAILED;
    }
    struct report_snap before = {0};
    int e = report_stage_snap(dir, "plots/", &before);
    if (e != 0) {
        fprintf(stderr, "burstsim: %s/plots: cannot read folder: %s\n", dir,
                strerror(e));
        report_stage_snap_free(&before);
        report_stage_unlock(&lock);
        return EXIT_RUN_FAILED;
    }
    int wrc = 0;
    if (rewrite || !plot_has_scripts(dir))
        wrc = plot_write(dir, &d);
    struct plot_result r = {0};
    if (wrc == 0)
        plot_render(dir, &r);
    /* Whatever was written (also by a failed write or drawing) is
     * burstsim's: list it in the marker. */
    struct diag md;
    diag_init(&md);
    int mrc = report_stage_mark_written(dir, "plots/", &before, &md);
    report_stage_snap_free(&before);
    report_stage_unlock(&lock);
    if (wrc != 0) {
        exit_print_diag(&d);
        return EXIT_RUN_FAILED;
    }
    if (mrc != 0) {
        exit_print_diag(&md);
        return EXIT_RUN_FAILED;
    }
    switch (r.status) {
    case PLOT_NO_GNUPLOT:
        fprintf(stderr, "burstsim: gnuplot not found in PATH; plots skipped "
                        "(scripts and data are in %s/plots/)\n",
                dir);
        return EXIT_RUN_FAILED;
    case PLOT_FAILED:
        fprintf(stderr, "burstsim: %s/plots/%s: %s\n", dir, r.failed, r.why);
        return EXIT_RUN_FAILED;
    default:
        printf("plots: %zu drawn in %s/plots/\n", r.drawn, dir);
        return EXIT_OK_;
    }
}
