/* sim/cmd_run.c - `burstsim run`, `validate`, `merge` and `plot`: option
 * parsing only; the work is in sim/runner.c, sim/shard.c, sim/plot.c and
 * sim/scenario.c. */
#include "sim/cli/commands.h"
#include "sim/io/plot.h"
#include "sim/io/plot_render.h"
#include "sim/run/runner.h"
#include "sim/io/scenario.h"
#include "sim/io/support.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_OV 256

static const char run_usage[] =
    "usage: burstsim run SCENARIO [options]\n"
    "  -o, --output DIR        results folder (default: output.dir or "
    "results/<name>)\n"
    "      --seed N            master seed (overrides `seed`)\n"
    "      --replications N    replications per configuration\n"
    "      --set PATH=VALUE    override one scenario key, e.g.\n"
    "                          --set scale.max_executions=20\n"
    "      --vary PATH=V1,V2   sweep a key over values (adds an axis)\n"
    "  -j, --jobs N            worker threads (default: number of cores)\n"
    "      --check             exit 4 when no configuration meets the SLOs\n"
    "                          (the scenario needs an slo: section)\n"
    "      --shard I/N         run only slice I of N of (configuration x\n"
    "                          replication) and write a partial folder;\n"
    "                          combine with 'burstsim merge'\n"
    "  -q, --quiet             no table on stdout, no progress bar\n"
    "  -h, --help              this text\n";

static const char merge_usage[] =
    "usage: burstsim merge -o OUT DIR...\n"
    "Combine the partial folders written by 'burstsim run --shard I/N' (all\n"
    "N of them) into the results folder OUT, identical to a single run.\n"
    "  -o, --output OUT   results folder to write (required)\n"
    "      --check        exit 4 when no configuration meets the SLOs\n"
    "  -q, --quiet        no table on stdout\n";

static const char plot_usage[] =
    "usage: burstsim plot DIR [--rewrite]\n"
    "Draw the plots of results folder DIR with gnuplot: run every script in\n"
    "DIR/plots/ (your edits are kept); when there is none, or with\n"
    "--rewrite, write the scripts and data first from DIR's results.\n";

static const char validate_usage[] =
    "usage: burstsim validate SCENARIO [--set PATH=VALUE]...\n"
    "Check the scenario and print it with every default filled in.\n";

/* Parse a non-negative decimal integer; false when malformed. */
static bool parse_uint(const char *s, unsigned long long max,
                       unsigned long long *out)
{
    if (s == NULL || *s == '\0' || *s == '-' || *s == '+')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0' || v > max)
        return false;
    *out = v;
    return true;
}

/* Split "PATH=V1,V2,..." into an axis; values are strdup'ed. */
static int parse_vary(const char *arg, struct run_axis *ax)
{
    const char *eq = strchr(arg, '=');
    if (eq == NULL || eq == arg || eq[1] == '\0')
        return -1;
    char *path = strndup(arg, (size_t)(eq - arg));
    size_t n = 1;
    for (const char *p = eq + 1; *p; p++)
        n += *p == ',';
    ax->values = calloc(n, sizeof(char *));
    if (path == NULL || ax->values == NULL) {
        free(path);
        free(ax->values);
        return -1;
    }
    ax->path = path;
    ax->n_values = 0;
    const char *p = eq + 1;
    for (;;) {
        const char *c = strchr(p, ',');
        size_t len = c ? (size_t)(c - p) : strlen(p);
        ax->values[ax->n_values++] = strndup(p, len);
        if (c == NULL)
            break;
        p = c + 1;
    }
    return 0;
}

int cmd_run(int argc, char **argv)
{
    enum { OPT_SEED = 256, OPT_REPS, OPT_SET, OPT_VARY, OPT_CHECK,
           OPT_SHARD };
    static const struct option opts[] = {
        {"check", no_argument, NULL, OPT_CHECK},
        {"help", no_argument, NULL, 'h'},
        {"jobs", required_argument, NULL, 'j'},
        {"output", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},
        {"replications", required_argument, NULL, OPT_REPS},
        {"seed", required_argument, NULL, OPT_SEED},
        {"set", required_argument, NULL, OPT_SET},
        {"shard", required_argument, NULL, OPT_SHARD},
        {"vary", required_argument, NULL, OPT_VARY},
        {NULL, 0, NULL, 0},
    };
    struct scn_override ov[MAX_OV];
    struct run_axis vary[64];
    size_t n_ov = 0, n_vary = 0;
    char seed_buf[32], reps_buf[32];
    struct run_opts ro;
    memset(&ro, 0, sizeof ro);
    long nproc = sysconf(_SC_NPROCESSORS_ONLN);
    ro.threads = nproc > 0 ? (int)nproc : 1;
    bool quiet = false;
    int code = EXIT_OK_;
    struct diag d;
    diag_init(&d);
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":hj:o:q", opts, NULL)) != -1) {
        unsigned long long v;
        switch (c) {
        case 'h':
            fputs(run_usage, stdout);
            goto done;
        case 'j':
            if (!parse_uint(optarg, 1024, &v) || v == 0) {
                code = cmd_usage_error("run", "-j: expected a thread count "
                                          "from 1 to 1024, got \"%s\"",
                                   optarg);
                goto done;
            }
            ro.threads = (int)v;
            break;
        case 'o':
            ro.out_dir = optarg;
            break;
        case 'q':
            quiet = true;
            break;
        case OPT_CHECK:
            ro.check = true;
            break;
        case OPT_SHARD: {
            unsigned long long i, n;
            char buf[64];
            char *slash = strchr(optarg, '/');
            if (slash == NULL || (size_t)(slash - optarg) >= sizeof buf) {
                code = cmd_usage_error("run", "--shard: expected I/N, got "
                                          "\"%s\"",
                                   optarg);
                goto done;
            }
            memcpy(buf, optarg, (size_t)(slash - optarg));
            buf[slash - optarg] = '\0';
            if (!parse_uint(buf, 1000000, &i) ||
                !parse_uint(slash + 1, 1000000, &n) || i < 1 || i > n) {
                code = cmd_usage_error("run", "--shard: expected I/N with 1 <= "
                                          "I <= N, got \"%s\"",
                                   optarg);
                goto done;
            }
            ro.shard_index = (uint32_t)i;
            ro.shard_count = (uint32_t)n;
            break;
        }
        case OPT_SEED:
            if (!parse_uint(optarg, UINT32_MAX, &v)) {
                code = cmd_usage_error("run", "--seed: expected an integer from "
                                          "0 to 4294967295, got \"%s\"",
                                   optarg);
                goto done;
            }
            snprintf(seed_buf, sizeof seed_buf, "%llu", v);
            ov[n_ov++] = (struct scn_override){"seed", seed_buf};
            break;
        case OPT_REPS:
            if (!parse_uint(optarg, 1000000, &v) || v == 0) {
                code = cmd_usage_error("run", "--replications: expected an "
                                          "integer >= 1, got \"%s\"",
                                   optarg);
                goto done;
            }
            snprintf(reps_buf, sizeof reps_buf, "%llu", v);
            ov[n_ov++] = (struct scn_override){"replications", reps_buf};
            break;
        case OPT_SET:
            if (n_ov >= MAX_OV - 2) {
                code = cmd_usage_error("run", "too many --set options%s", "");
                goto done;
            }
            if (scn_override_parse(optarg, &ov[n_ov], &d) != 0) {
                code = cmd_usage_error("run", "--set: expected PATH=VALUE, got "
                                          "\"%s\"",
                                   optarg);
                goto done;
            }
            n_ov++;
            break;
        case OPT_VARY:
            if (n_vary >= sizeof vary / sizeof vary[0] ||
                parse_vary(optarg, &vary[n_vary]) != 0) {
                code = cmd_usage_error("run", "--vary: expected PATH=V1,V2,..., "
                                          "got \"%s\"",
                                   optarg);
                goto done;
            }
            n_vary++;
            break;
        case ':':
            code = cmd_usage_error("run", "option '%s' needs a value",
                               argv[optind - 1]);
            goto done;
        default:
            code = cmd_usage_error("run", "unknown option '%s'",
                               argv[optind - 1]);
            goto done;
        }
    }
    if (optind != argc - 1) {
        code = cmd_usage_error("run", optind >= argc
                                      ? "missing SCENARIO%s"
                                      : "expected one SCENARIO, got extra "
                                        "argument '%s'",
                           optind >= argc ? "" : argv[optind + 1]);
        goto done;
    }
    ro.scenario_path = argv[optind];
    ro.ov = ov;
    ro.n_ov = n_ov;
    ro.vary = vary;
    ro.n_vary = n_vary;
    ro.progress = !quiet && isatty(STDERR_FILENO);
    ro.quiet = quiet;
    ro.table = quiet ? NULL : stdout;
    code = runner_run(&ro);
done:
    for (size_t i = 0; i < n_vary; i++) {
        free((char *)vary[i].path);
        for (size_t k = 0; k < vary[i].n_values; k++)
            free(vary[i].values[k]);
        free(vary[i].values);
    }
    return code;
}

int cmd_validate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"set", required_argument, NULL, 's'},
        {NULL, 0, NULL, 0},
    };
    struct scn_override ov[MAX_OV];
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
            if (n_ov >= MAX_OV || scn_override_parse(optarg, &ov[n_ov], &d))
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
        char buf[2048];
        fprintf(stderr, "%s\n", diag_format(&d, buf, sizeof buf));
        scn_fini(&scn);
        return EXIT_INVALID;
    }
    scn_warnings(&scn, stderr);
    rc = scn_print_yaml(stdout, &scn);
    scn_fini(&scn);
    return rc == 0 ? EXIT_OK_ : EXIT_RUN_FAILED;
}

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
    if (rewrite || !plot_has_scripts(dir)) {
        struct diag d;
        diag_init(&d);
        if (plot_write(dir, &d) != 0) {
            char buf[2048];
            fprintf(stderr, "%s\n", diag_format(&d, buf, sizeof buf));
            return EXIT_RUN_FAILED;
        }
    }
    struct plot_result r;
    plot_render(dir, &r);
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
