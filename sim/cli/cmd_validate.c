/* sim/cli/cmd_validate.c - `burstsim validate SCENARIO [--set
 * PATH=VALUE]...`: load and check the scenario, open its trace files as a
 * run would (a missing or unreadable trace is exit 3, as for `run`), print
 * it with every default filled in (sim/io/scenario.c does the work). */
#include "sim/cli/commands.h"
#include "sim/run/budget.h"
#include "sim/io/scenario.h"
#include "sim/io/support.h"
#include "sim/io/trace.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static const char validate_usage[] =
    "usage: burstsim validate SCENARIO [--set PATH=VALUE]...\n"
    "Check the scenario and print it with every default filled in.\n";

/* Open (and close) every trace of the scenario, as a run does first: a
 * missing file or column is an invalid scenario. */
static int check_traces(const struct scenario *scn, struct diag *d)
{
    for (size_t i = 0; i < scn->n_arrivals; i++) {
        if (!scn->arrivals[i].is_trace)
            continue;
        struct trace_reader tr;
        int rc = trace_open(&tr, &scn->arrivals[i].trace, d);
        trace_close(&tr);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int validate(int argc, char **argv, struct scn_override *ov)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"set", required_argument, NULL, 's'},
        {NULL, 0, NULL, 0},
    };
    size_t n_ov = 0;
    struct diag d;
    diag_init(&d);
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            fputs(validate_usage, stdout);
            return EXIT_OK_;
        case 's':
            if (scn_override_parse(optarg, &ov[n_ov], &d))
                return cmd_usage_error("validate",
                                   "--set: expected PATH=VALUE, got \"%s\"",
                                   optarg);
            n_ov++;
            break;
        case ':':
            return cmd_usage_error("validate", "option '%s' needs a value",
                               argv[optind - 1]);
        default:
            return cmd_usage_error("validate", "unknown option '%s'",
                               argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return cmd_usage_error("validate", "expected one SCENARIO%s", "");
    struct scenario scn;
    int rc = scn_load(&scn, argv[optind], ov, n_ov, &d);
    if (rc == 0)
        rc = scn_check_supported(&scn, &d);
    if (rc == 0)
        rc = check_traces(&scn, &d);
    if (rc == 0) /* the default work budget, as `run` applies it */
        rc = budget_check_scenario(&scn, scn.file, "c0", BUDGET_DEFAULT_MAX,
                                   &d);
    if (rc != 0) {
        exit_print_diag(&d);
        scn_fini(&scn);
        return EXIT_INVALID;
    }
    scn_warnings(&scn, stderr);
    rc = scn_print_yaml(stdout, &scn);
    scn_fini(&scn);
    return rc == 0 ? EXIT_OK_ : EXIT_RUN_FAILED;
}

int cmd_validate(int argc, char **argv)
{
    /* each option adds at most one override: argc bounds the array (no
     * fixed size an argument list could overflow) */
    struct scn_override *ov = calloc(argc > 0 ? (size_t)argc : 1, sizeof *ov);
    if (ov == NULL) {
        fprintf(stderr, "burstsim: validate: out of memory\n");
        return EXIT_RUN_FAILED;
    }
    int code = validate(argc, argv, ov);
    free(ov);
    return code;
}
