/* sim/cli/cmd_merge.c - `burstsim merge -o OUT DIR...`: option parsing
 * only; the work is in sim/run/merge.c. */
#include "sim/cli/commands.h"
#include "sim/run/merge.h"

#include <getopt.h>
#include <stdio.h>

static const char merge_usage[] =
    "usage: burstsim merge -o OUT DIR...\n"
    "Combine the partial folders written by 'burstsim run --shard I/N' (all\n"
    "N of them) into the results folder OUT, identical to a single run.\n"
    "  -o, --output OUT   results folder to write (required)\n"
    "      --check        exit 4 when no configuration meets the SLOs\n"
    "  -q, --quiet        no table on stdout\n";

int cmd_merge(int argc, char **argv)
{
    enum { OPT_CHECK = 256 };
    static const struct option opts[] = {
        {"check", no_argument, NULL, OPT_CHECK},
        {"help", no_argument, NULL, 'h'},
        {"output", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL;
    bool quiet = false, check = false;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":ho:q", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            fputs(merge_usage, stdout);
            return EXIT_OK_;
        case 'o':
            out = optarg;
            break;
        case 'q':
            quiet = true;
            break;
        case OPT_CHECK:
            check = true;
            break;
        case ':':
            return cmd_usage_error("merge", "option '%s' needs a value",
                               argv[optind - 1]);
        default:
            return cmd_usage_error("merge", "unknown option '%s'",
                               argv[optind - 1]);
        }
    }
    if (out == NULL)
        return cmd_usage_error("merge", "missing -o OUT%s", "");
    if (optind >= argc)
        return cmd_usage_error("merge", "missing partial folders DIR...%s", "");
    return runner_merge(out, (const char *const *)(argv + optind),
                        (size_t)(argc - optind), quiet ? NULL : stdout,
                        quiet, check);
}
