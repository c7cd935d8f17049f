/* sim/cli/cmd_run.c - `burstsim run SCENARIO [options]`: option parsing
 * only; the work is in sim/run/runner.c. */
#include "sim/cli/commands.h"
#include "sim/io/scenario.h"
#include "sim/run/runner.h"

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
    "      --max-arrivals N    work budget: arrivals (and other scheduled\n"
    "                          events) per replication (default 1e9)\n"
    "  -q, --quiet             no table on stdout, no progress bar\n"
    "  -h, --help              this text\n";

/* Length of the next value of "V1,V2,...": up to the first comma outside
 * brackets, braces and quotes (a flow value like "{dist: fixed, value: 1s}"
 * is one value). Returns -1 when the brackets or quotes do not balance. */
static long next_value_len(const char *p)
{
    int depth = 0;
    char quote = 0;
    const char *s = p;
    for (; *s != '\0'; s++) {
        if (quote != 0) {
            if (quote == '"' && *s == '\\' && s[1] != '\0')
                s++;
            else if (*s == quote)
                quote = 0;
        } else if (*s == '"' || *s == '\'') {
            quote = *s;
        } else if (*s == '[' || *s == '{') {
            depth++;
        } else if (*s == ']' || *s == '}') {
            if (--depth < 0)
                return -1;
        } else if (*s == ',' && depth == 0) {
            break;
        }
    }
    if (quote != 0 || (*s == '\0' && depth != 0))
        return -1;
    return (long)(s - p);
}

/* Split "PATH=V1,V2,..." into an axis (commas inside brackets, braces and
 * quotes do not split); values are strdup'ed. Returns 0, -1 when malformed,
 * -2 when the brackets or quotes do not balance. */
static int parse_vary(const char *arg, struct run_axis *ax)
{
    const char *eq = strchr(arg, '=');
    if (eq == NULL || eq == arg || eq[1] == '\0')
        return -1;
    size_t n = 1;
    for (const char *p = eq + 1;;) {
        long len = next_value_len(p);
        if (len < 0)
            return -2;
        if (p[len] == '\0')
            break;
        n++;
        p += len + 1;
    }
    char *path = strndup(arg, (size_t)(eq - arg));
    ax->values = calloc(n, sizeof(char *));
    if (path == NULL || ax->values == NULL) {
        free(path);
        free(ax->values);
        ax->values = NULL;
        return -1;
    }
    ax->path = path;
    ax->n_values = 0;
    const char *p = eq + 1;
    for (;;) {
        size_t len = (size_t)next_value_len(p);
        ax->values[ax->n_values++] = strndup(p, len);
        if (p[len] == '\0')
            break;
        p += len + 1;
    }
    return 0;
}

/* Refuse an axis with an empty value or one value twice (the same
 * configuration would run twice): a usage error naming the value. */
static int check_vary(const struct run_axis *ax)
{
    for (size_t i = 0; i < ax->n_values; i++) {
        if (ax->values[i] == NULL || ax->values[i][0] == '\0')
            return cmd_usage_error("run", "--vary: %s: value %zu is empty",
                                   ax->path, i + 1);
        for (size_t k = 0; k < i; k++)
            if (strcmp(ax->values[k], ax->values[i]) == 0)
                return cmd_usage_error("run", "--vary: %s: value \"%s\" "
                                       "given twice (values %zu and %zu)",
                                       ax->path, ax->values[i], k + 1, i + 1);
    }
    return EXIT_OK_;
}

/* Can dir be a results folder to create? Not "", "/" (only slashes) nor
 * one whose last component is "." or "..". */
static bool out_dir_ok(const char *dir)
{
    size_t len = strlen(dir);
    while (len > 0 && dir[len - 1] == '/')
        len--;
    if (len == 0)
        return false;
    size_t start = len;
    while (start > 0 && dir[start - 1] != '/')
        start--;
    size_t n = len - start;
    return !((n == 1 && dir[start] == '.') ||
             (n == 2 && dir[start] == '.' && dir[start + 1] == '.'));
}

int cmd_run(int argc, char **argv)
{
    enum { OPT_SEED = 256, OPT_REPS, OPT_SET, OPT_VARY, OPT_CHECK,
           OPT_SHARD, OPT_MAX_ARRIVALS };
    static const struct option opts[] = {
        {"check", no_argument, NULL, OPT_CHECK},
        {"max-arrivals", required_argument, NULL, OPT_MAX_ARRIVALS},
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
    /* Every option adds at most one override or axis, so argc bounds
     * both arrays (no fixed size an argument list could overflow). */
    size_t cap = argc > 0 ? (size_t)argc : 1;
    struct scn_override *ov = calloc(cap, sizeof *ov);
    struct run_axis *vary = calloc(cap, sizeof *vary);
    size_t n_ov = 0, n_vary = 0;
    /* a repeated --seed or --replications replaces the earlier value; both
     * go after every --set, so "--set:N" in a message is the N-th --set */
    bool have_seed = false, have_reps = false;
    char seed_buf[32], reps_buf[32];
    struct run_opts ro;
    memset(&ro, 0, sizeof ro);
    long nproc = sysconf(_SC_NPROCESSORS_ONLN);
    ro.threads = nproc > 0 ? (int)nproc : 1;
    bool quiet = false;
    int code = EXIT_OK_;
    struct diag d;
    diag_init(&d);
    if (ov == NULL || vary == NULL) {
        fprintf(stderr, "burstsim: run: out of memory\n");
        code = EXIT_RUN_FAILED;
        goto done;
    }
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":hj:o:q", opts, NULL)) != -1) {
        unsigned long long v;
        int rc_v;
        switch (c) {
        case 'h':
            fputs(run_usage, stdout);
            goto done;
        case 'j':
            if (!cmd_parse_uint(optarg, 1024, &v) || v == 0) {
                code = cmd_usage_error("run", "-j: expected a thread count "
                                          "from 1 to 1024, got \"%s\"",
                                   optarg);
                goto done;
            }
            ro.threads = (int)v;
            break;
        case 'o':
            if (!out_dir_ok(optarg)) {
                code = cmd_usage_error("run", "-o: \"%s\" cannot be a "
                                          "results folder (give a new "
                                          "folder's path)",
                                       optarg);
                goto done;
            }
            ro.out_dir = optarg;
            break;
        case 'q':
            quiet = true;
            break;
        case OPT_CHECK:
            ro.check = true;
            break;
        case OPT_MAX_ARRIVALS: {
            char *end;
            ro.max_arrivals = strtod(optarg, &end);
            if (end == optarg || *end != '\0' || !(ro.max_arrivals >= 1) ||
                !(ro.max_arrivals <= 1e18)) {
                code = cmd_usage_error("run", "--max-arrivals: expected a "
                                          "number from 1 to 1e18, got \"%s\"",
                                   optarg);
                goto done;
            }
            break;
        }
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
            if (!cmd_parse_uint(buf, 1000000, &i) ||
                !cmd_parse_uint(slash + 1, 1000000, &n) || i < 1 || i > n) {
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
            if (!cmd_parse_uint(optarg, UINT32_MAX, &v)) {
                code = cmd_usage_error("run", "--seed: expected an integer from "
                                          "0 to 4294967295, got \"%s\"",
                                   optarg);
                goto done;
            }
            snprintf(seed_buf, sizeof seed_buf, "%llu", v);
            have_seed = true;
            break;
        case OPT_REPS:
            if (!cmd_parse_uint(optarg, 1000000, &v) || v == 0) {
                code = cmd_usage_error("run", "--replications: expected an "
                                          "integer >= 1, got \"%s\"",
                                   optarg);
                goto done;
            }
            snprintf(reps_buf, sizeof reps_buf, "%llu", v);
            have_reps = true;
            break;
        case OPT_SET:
            if (scn_override_parse(optarg, &ov[n_ov], &d) != 0) {
                code = cmd_usage_error("run", "--set: expected PATH=VALUE, got "
                                          "\"%s\"",
                                   optarg);
                goto done;
            }
            n_ov++;
            break;
        case OPT_VARY:
            if ((rc_v = parse_vary(optarg, &vary[n_vary])) != 0) {
                code = rc_v == -2
                           ? cmd_usage_error("run", "--vary: unbalanced "
                                             "brackets or quotes in \"%s\"",
                                             optarg)
                           : cmd_usage_error("run", "--vary: expected "
                                             "PATH=V1,V2,..., got \"%s\"",
                                             optarg);
                goto done;
            }
            n_vary++;
            if ((code = check_vary(&vary[n_vary - 1])) != EXIT_OK_)
                goto done;
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
    if (have_seed)
        ov[n_ov++] = (struct scn_override){"seed", seed_buf};
    if (have_reps)
        ov[n_ov++] = (struct scn_override){"replications", reps_buf};
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
    free(vary);
    free(ov);
    return code;
}
