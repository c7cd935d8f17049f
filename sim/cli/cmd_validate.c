/* sim/cli/cmd_validate.c - `burstsim validate SCENARIO [--set
 * PATH=VALUE]...`: load and check the scenario, print it with every
 * default filled in (sim/io/scenario.c does the work). */
#include "sim/cli/commands.h"
#include "sim/io/scenario.h"
#include "sim/io/support.h"

#include <getopt.h>
#include <stdio.h>

static const char validate_usage[] =
    "usage: burstsim validate SCENARIO [--set PATH=VALUE]...\n"
    "Check the scenario and print it with every default filled in.\n";


int cmd_validate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"set", required_argument, NULL, 's'},
        {NULL, 0, NULL, 0},
    };
    struct scn_override ov[CMD_MAX_OV];
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
            if (n_ov >= CMD_MAX_OV || scn_override_parse(optarg, &ov[n_ov], &d))
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
