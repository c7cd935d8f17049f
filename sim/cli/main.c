/* sim/cli/main.c - the burstsim program: global options, subcommand dispatch
 * and exit codes; nothing else. */
#include "sim/cli/commands.h"

#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <string.h>

static const char help[] =
    "burstsim " BURSTSIM_VERSION
    " - simulate Azure Container Apps event-driven jobs (KEDA ScaledJob)\n"
    "\n"
    "usage: burstsim COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  run SCENARIO [-o DIR] [--seed N] [--replications N] [--set PATH=VALUE]...\n"
    "                 [--vary PATH=V1,V2,...]... [-j N] [--check] [--shard I/N] [-q]\n"
    "                 [--max-arrivals N]\n"
    "                 simulate the scenario and write its results folder\n"
    "  merge -o OUT DIR...\n"
    "                 combine the partial folders of a --shard run\n"
    "  plot DIR [--rewrite]\n"
    "                 (re)draw the plots of a results folder with gnuplot\n"
    "  validate SCENARIO [--set PATH=VALUE]...\n"
    "                 check a scenario; print it with every default filled in\n"
    "  scale-decision [--strategy S] --trigger QL:T[:true|false]... [--calc C]\n"
    "                 [--min N] [--max N] [--running R] [--pending P]\n"
    "                 [--deduction D] [--percentage F] [--json]\n"
    "                 the KEDA decision of one poll, with every step explained\n"
    "  trace-stats FILE [--format events|counts|counts_wide] [--time-column C]\n"
    "                 [--time-format F] [--count-column C] [--interval D] [--json]\n"
    "                 events, span, mean/peak per minute, burstiness of a trace\n"
    "\n"
    "options: -h, --help (also after a command), --version\n"
    "\n"
    "exit codes:\n"
    "  0  success\n"
    "  1  the run failed (I/O error writing results, internal error)\n"
    "  2  usage error (bad command line)\n"
    "  3  invalid scenario or trace (the message says file:line:col and key)\n"
    "  4  --check: no configuration meets the scenario's SLOs (results are\n"
    "     written)\n"
    "\n"
    "docs: README.md, docs/scenario-format.md, docs/scaling.md\n";

int main(int argc, char **argv)
{
    gsl_set_error_handler_off(); /* GSL errors come back as return codes */
    if (argc < 2) {
        fputs(help, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    int code;
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 ||
        strcmp(cmd, "help") == 0) {
        fputs(help, stdout);
        code = EXIT_OK_;
    } else if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("burstsim %s\n", BURSTSIM_VERSION);
        code = EXIT_OK_;
    } else if (strcmp(cmd, "run") == 0) {
        code = cmd_run(argc - 1, argv + 1);
    } else if (strcmp(cmd, "merge") == 0) {
        code = cmd_merge(argc - 1, argv + 1);
    } else if (strcmp(cmd, "plot") == 0) {
        code = cmd_plot(argc - 1, argv + 1);
    } else if (strcmp(cmd, "validate") == 0) {
        code = cmd_validate(argc - 1, argv + 1);
    } else if (strcmp(cmd, "scale-decision") == 0) {
        code = cmd_scale_decision(argc - 1, argv + 1);
    } else if (strcmp(cmd, "trace-stats") == 0) {
        code = cmd_trace_stats(argc - 1, argv + 1);
    } else {
        fprintf(stderr,
                "burstsim: unknown command '%s'\ntry 'burstsim --help'\n",
                cmd);
        return EXIT_USAGE;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("burstsim: stdout");
        return EXIT_RUN_FAILED;
    }
    return code;
}
