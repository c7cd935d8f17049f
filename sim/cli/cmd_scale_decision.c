/* sim/cli/cmd_scale_decision.c - `burstsim scale-decision`: the decision of
 * one KEDA ScaledJob poll, computed by scaler_decide() and explained line
 * by line (or printed as one JSON object with --json).
 *
 * Workload: one call per process; parses the command line, fills a
 * struct decision_input, runs the pure decision function once and prints
 * every intermediate value with the arithmetic that produced it. All of
 * the arithmetic lives in models/decision.c; this file only restates it in
 * words, so the two cannot drift apart (the explanation re-derives nothing
 * except by calling the same exported functions). Strategy names, the
 * options that apply only to some strategies (--deduction, --percentage:
 * the list's KEYS) and each strategy's formula text (its explain op) come
 * from STRATEGY_LIST (models/strategy.h); nothing here names a strategy.
 *
 * Exit codes (sim/commands.h): 0 ok, 1 output failed, 2 usage error. */
#include "models/decision.h"
#include "sim/cli/commands.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CMD "scale-decision"

/* Long-option ids; values above any character so they never clash with
 * getopt's own returns ('?', ':'). */
enum opt_id {
    OPT_CALC = 256, OPT_DEDUCTION, OPT_JSON, OPT_MAX, OPT_MIN, OPT_PENDING,
    OPT_PERCENTAGE, OPT_RUNNING, OPT_STRATEGY, OPT_TRIGGER
};

/* The option table, sorted by name (curl's tool_getparam habit). */
static const struct option long_opts[] = {
    {"calc", required_argument, NULL, OPT_CALC},
    {"deduction", required_argument, NULL, OPT_DEDUCTION},
    {"help", no_argument, NULL, 'h'},
    {"json", no_argument, NULL, OPT_JSON},
    {"max", required_argument, NULL, OPT_MAX},
    {"min", required_argument, NULL, OPT_MIN},
    {"pending", required_argument, NULL, OPT_PENDING},
    {"percentage", required_argument, NULL, OPT_PERCENTAGE},
    {"running", required_argument, NULL, OPT_RUNNING},
    {"strategy", required_argument, NULL, OPT_STRATEGY},
    {"trigger", required_argument, NULL, OPT_TRIGGER},
    {NULL, 0, NULL, 0},
};

/* The help text, in two parts around the --strategy line, which lists the
 * strategies of STRATEGY_LIST (print_usage()). */
static const char usage_head[] =
    "usage: burstsim scale-decision [--strategy S]\n"
    "           --trigger QL:T[:true|false]... [--calc max|min|avg|sum]\n"
    "           [--min N] [--max N] [--running R] [--pending P]\n"
    "           [--deduction D] [--percentage F] [--json]\n"
    "\n"
    "Compute what one KEDA ScaledJob poll (and so one Azure Container Apps\n"
    "event-driven job poll) decides: how many new executions to create.\n"
    "\n";
static const char usage_tail[] =
    "  --trigger QL:T[:A] one scale rule: metric value QL and target T per\n"
    "                    execution (decimals allowed); A = true|false says\n"
    "                    whether the trigger is active (default: QL > 0).\n"
    "                    Repeat for several rules (at most 32).\n"
    "  --calc C          multipleScalersCalculation: max|min|avg|sum\n"
    "                    (default: max)\n"
    "  --min N           spec minReplicaCount / minExecutions\n"
    "                    (default: unset, which means MINR 0)\n"
    "  --max N           spec maxReplicaCount / maxExecutions, >= 1\n"
    "                    (default: unset, which means MAXR 100)\n"
    "  --running R       unfinished executions (default 0)\n"
    "  --pending P       of those, pending executions (default 0)\n"
    "  --deduction D     custom: customScalingQueueLengthDeduction (int32,\n"
    "                    default nil = 0)\n"
    "  --percentage F    custom: customScalingRunningJobPercentage, a string\n"
    "                    parsed as a float; absent or unparsable makes custom\n"
    "                    behave as default, as in KEDA\n"
    "  --json            print one JSON object instead of the explanation\n"
    "  -h, --help        print this help and exit\n"
    "\n"
    "The last line of the explanation is `create N`. See docs/scaling.md.\n"
    "Exit status: 0 ok, 1 output failed, 2 usage error.\n";

/* Everything the command line said, before it becomes a decision_input. */
struct args {
    const char *strategy_text;           /* as given, for the output */
    enum scale_strategy strategy;
    enum multi_calc calc;
    struct decision_trigger trig[DECISION_MAX_TRIGGERS];
    bool trig_given_active[DECISION_MAX_TRIGGERS]; /* :true/:false given */
    const char *trig_text[DECISION_MAX_TRIGGERS];  /* as given, argv */
    size_t n_trig;
    bool has_min, has_max;
    int64_t min, max, running, pending;
    bool has_deduction;
    int64_t deduction;
    const char *percentage_text;         /* NULL = not given */
    bool percentage_ok;                  /* parsed as a float */
    double percentage;
    bool json;
};

static const char *const calc_names[] = {
    [CALC_MAX] = "max", [CALC_MIN] = "min", [CALC_AVG] = "avg",
    [CALC_SUM] = "sum",
};

/* Parse a whole decimal integer in [lo, hi]. Returns 0, or -1 when text is
 * not an integer (or out of range; *out is left unchanged). */
static int parse_i64(const char *text, int64_t lo, int64_t hi, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (end == text || *end != '\0' || errno == ERANGE || v < lo || v > hi)
        return -1;
    *out = (int64_t)v;
    return 0;
}

/* Parse a whole finite decimal number in [0, 2^50]. Returns 0 or -1. The
 * upper bound keeps sums of up to 32 triggers finite, so every value the
 * JSON output prints is a number. */
static int parse_nonneg(const char *text, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || *end != '\0' || errno == ERANGE || !isfinite(v)
        || v < 0.0 || v > (double)DECISION_COUNT_MAX)
        return -1;
    *out = v;
    return 0;
}

/* Parse --percentage as KEDA does with strconv.ParseFloat: the whole string
 * must be a number; Go rejects surrounding spaces and overflow (ErrRange),
 * both of which make KEDA fall back to the default strategy. Returns 1 when
 * parsed, 0 when unparsable, -1 when the value is a non-finite literal
 * ("inf", "nan"): Go accepts those, but int64(R' * Inf) is
 * platform-dependent in Go, so the model refuses them. Remaining small gap:
 * Go needs a 'p' exponent in hex floats and allows '_' in them; strtod
 * differs there. */
static int parse_percentage(const char *text, double *out)
{
    char *end;
    if (text[0] == '\0' || text[0] == ' ' || text[0] == '\t'
        || text[0] == '\n' || text[0] == '\r' || text[0] == '\v'
        || text[0] == '\f')
        return 0;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || *end != '\0')
        return 0;
    if (errno == ERANGE && isinf(v))
        return 0; /* overflow: Go returns ErrRange */
    if (!isfinite(v))
        return -1;
    *out = v;
    return 1;
}

/* Parse "QL:T[:true|false]" into a->trig[a->n_trig]. Returns 0 or the
 * usage exit code (message printed). */
static int parse_trigger(struct args *a, const char *text)
{
    if (a->n_trig >= DECISION_MAX_TRIGGERS)
        return cmd_usage_error(CMD, "--trigger: at most %d triggers",
                           DECISION_MAX_TRIGGERS);
    char buf[256];
    if (strlen(text) >= sizeof buf)
        return cmd_usage_error(CMD, "--trigger '%.40s...': too long", text);
    strcpy(buf, text);

    char *ql = buf, *t = strchr(buf, ':');
    if (t == NULL)
        return cmd_usage_error(CMD, "--trigger '%s': expected QL:T[:true|false]", text);
    *t++ = '\0';
    char *act = strchr(t, ':');
    if (act != NULL)
        *act++ = '\0';

    struct decision_trigger *tr = &a->trig[a->n_trig];
    if (parse_nonneg(ql, &tr->queue_length) != 0)
        return cmd_usage_error(CMD, "--trigger '%s': queue length '%s' is not a "
                           "number in 0..2^50", text, ql);
    if (parse_nonneg(t, &tr->target) != 0)
        return cmd_usage_error(CMD, "--trigger '%s': target '%s' is not a number "
                           "in 0..2^50", text, t);
    bool given = act != NULL;
    if (act == NULL)
        tr->active = tr->queue_length > 0.0; /* activation threshold 0 */
    else if (strcmp(act, "true") == 0)
        tr->active = true;
    else if (strcmp(act, "false") == 0)
        tr->active = false;
    else
        return cmd_usage_error(CMD, "--trigger '%s': active flag '%s' is not true "
                           "or false", text, act);
    a->trig_given_active[a->n_trig] = given;
    a->trig_text[a->n_trig] = text;
    a->n_trig++;
    return 0;
}

/* Write the names of strategies (all of them when mask is ~0u, else those
 * whose bit is set in mask) into buf as "a, b or c" (sep ", ", last " or ")
 * or, with sep "|", as "a|b|c". */
static void strategy_list(char *buf, size_t n, unsigned mask, const char *sep,
                          const char *last)
{
    size_t total = 0, seen = 0;
    for (int i = 0; i < STRATEGY_COUNT; i++)
        total += (mask & (1u << i)) != 0;
    buf[0] = '\0';
    for (int i = 0; i < STRATEGY_COUNT; i++) {
        if (!(mask & (1u << i)))
            continue;
        size_t len = strlen(buf);
        seen++;
        snprintf(buf + len, n - len, "%s%s",
                 seen == 1 ? "" : seen == total ? last : sep,
                 strategy_names[i]);
    }
}

static void print_usage(FILE *f)
{
    char names[200];
    strategy_list(names, sizeof names, ~0u, "|", "|");
    fputs(usage_head, f);
    fprintf(f, "  --strategy S      %s (default: %s)\n", names,
            strategy_name(STRAT_DEFAULT));
    fputs(usage_tail, f);
}

/* An option that applies only to the strategies with key bit key (the
 * list's KEYS) given with another strategy: the usage error. Returns 0
 * when it applies or was not given. */
static int refuse_option(const struct args *a, bool given, const char *opt,
                         unsigned key)
{
    if (!given || (strategy_keys(a->strategy) & key) != 0)
        return 0;
    char names[200];
    strategy_list(names, sizeof names, STRATEGY_KEY_MASK(key), ", ", " or ");
    return cmd_usage_error(CMD, "%s: applies only to --strategy %s, the "
                           "strategy is %s", opt, names, a->strategy_text);
}

/* Look name up in a table of n names; returns its index or -1. */
static int lookup(const char *name, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

/* Parse argv into a. Returns -1 to go on, or an exit code to return now
 * (0 after --help, EXIT_USAGE after a message). */
static int parse_args(int argc, char **argv, struct args *a)
{
    memset(a, 0, sizeof *a);
    a->strategy_text = "default";
    a->strategy = STRAT_DEFAULT;
    a->calc = CALC_MAX;

    /* getopt keeps its position in libc globals; start afresh in case the
     * caller parsed options already (glibc re-initialises on optind 0). */
#ifdef __GLIBC__
    optind = 0;
#else
    optind = 1;
#endif
    opterr = 0;
    int c, idx;
    int64_t v;
    while ((c = getopt_long(argc, argv, ":h", long_opts, &idx)) != -1) {
        const char *arg = optarg;
        switch (c) {
        case 'h':
            print_usage(stdout);
            return EXIT_OK_;
        case OPT_STRATEGY: {
            int s = lookup(arg, strategy_names, STRATEGY_COUNT);
            if (s < 0) {
                char names[200];
                strategy_list(names, sizeof names, ~0u, ", ", " or ");
                return cmd_usage_error(CMD, "--strategy '%s': expected %s",
                                       arg, names);
            }
            a->strategy = (enum scale_strategy)s;
            a->strategy_text = arg;
            break;
        }
        case OPT_CALC: {
            int s = lookup(arg, calc_names, 4);
            if (s < 0)
                return cmd_usage_error(CMD, "--calc '%s': expected max, min, avg or "
                                   "sum", arg);
            a->calc = (enum multi_calc)s;
            break;
        }
        case OPT_TRIGGER:
            if (parse_trigger(a, arg) != 0)
                return EXIT_USAGE;
            break;
        case OPT_MIN:
            if (parse_i64(arg, 0, DECISION_COUNT_MAX, &a->min) != 0)
                return cmd_usage_error(CMD, "--min '%s': expected an integer in 0..%"
                                   PRId64, arg, DECISION_COUNT_MAX);
            a->has_min = true;
            break;
        case OPT_MAX:
            if (parse_i64(arg, 1, DECISION_COUNT_MAX, &a->max) != 0)
                return cmd_usage_error(CMD, "--max '%s': expected an integer in 1..%"
                                   PRId64, arg, DECISION_COUNT_MAX);
            a->has_max = true;
            break;
        case OPT_RUNNING:
        case OPT_PENDING:
            if (parse_i64(arg, 0, DECISION_COUNT_MAX, &v) != 0)
                return cmd_usage_error(CMD, "--%s '%s': expected an integer in 0..%"
                                   PRId64, c == OPT_RUNNING ? "running"
                                   : "pending", arg, DECISION_COUNT_MAX);
            *(c == OPT_RUNNING ? &a->running : &a->pending) = v;
            break;
        case OPT_DEDUCTION:
            if (parse_i64(arg, INT32_MIN, INT32_MAX, &a->deduction) != 0)
                return cmd_usage_error(CMD, "--deduction '%s': expected an int32 "
                                   "integer", arg);
            a->has_deduction = true;
            break;
        case OPT_PERCENTAGE: {
            a->percentage_text = arg;
            int r = parse_percentage(arg, &a->percentage);
            if (r < 0)
                return cmd_usage_error(CMD, "--percentage '%s': non-finite values "
                                   "are not modelled (Go's int64 conversion "
                                   "of R' x %s is platform-dependent)", arg,
                                   arg);
            a->percentage_ok = r == 1;
            break;
        }
        case OPT_JSON:
            a->json = true;
            break;
        case ':':
            return cmd_usage_error(CMD, "option '%s' needs a value",
                               argv[optind - 1]);
        case '?':
        default:
            if (optopt != 0)
                return cmd_usage_error(CMD, "unknown option '-%c'", optopt);
            return cmd_usage_error(CMD, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cmd_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
    if (a->n_trig == 0)
        return cmd_usage_error(CMD, "at least one --trigger QL:T is required");
    if (refuse_option(a, a->has_deduction, "--deduction", SK_CUSTOM_DEDUCTION)
        || refuse_option(a, a->percentage_text != NULL, "--percentage",
                         SK_CUSTOM_PERCENTAGE))
        return EXIT_USAGE;
    return -1;
}

/* ---- human output ------------------------------------------------------ */

/* Format a float64 for reading: up to 6 significant digits ("1.66667"). */
static const char *num(char *buf, size_t n, double x)
{
    snprintf(buf, n, "%.6g", x);
    return buf;
}

/* One explanation line: "name = value   reason". */
static void line(const char *name, const char *value, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void line(const char *name, const char *value, const char *fmt, ...)
{
    va_list ap;
    printf("%-12s= %-10s ", name, value);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

/* Print an int64 into buf and return it. */
static const char *inum(char *buf, size_t n, int64_t x)
{
    snprintf(buf, n, "%" PRId64, x);
    return buf;
}

/* The strategy line: the formula with the numbers filled in, from the
 * applied strategy's explain op. */
static void explain_strategy(const struct args *a,
                             const struct decision_output *o, int64_t d,
                             double f)
{
    char b[64], formula[300];
    const struct strategy_type *t = strategy_type_of(o->applied);
    const struct strategy_args sa = {
        .max_scale = o->max_scale, .r_prime = o->r_prime,
        .pending = a->pending, .maxr = o->maxr, .deduction = d,
        .percentage = f};
    int64_t st = o->scale_to_ql;
    bool capped = false;
    int64_t raw = t->effective(&sa, &st, &capped);
    t->explain(formula, sizeof formula, &sa, raw, capped);
    line("effective", inum(b, sizeof b, o->effective), "%s%s", formula,
         raw < 0 ? ", < 0 so clamped to 0" : "");
    if (t->scale_to_why != NULL)
        line("scaleTo", inum(b, sizeof b, o->scale_to), "%s",
             t->scale_to_why);
}

/* The lines about the custom parameters (only for --strategy custom). */
static void explain_custom(const struct args *a,
                           const struct decision_output *o)
{
    char b[64];
    if (a->has_deduction)
        line("D", inum(b, sizeof b, a->deduction),
             "--deduction (customScalingQueueLengthDeduction)");
    else
        line("D", "0", "--deduction not given: nil counts as 0");
    if (a->percentage_text == NULL)
        line("F", "absent", "--percentage not given");
    else if (!a->percentage_ok)
        line("F", "absent", "--percentage '%s' does not parse as a float, "
             "so KEDA treats it as absent", a->percentage_text);
    else
        line("F", num(b, sizeof b, a->percentage), "--percentage '%s'",
             a->percentage_text);
    if (o->applied != a->strategy)
        line("applied", strategy_name(o->applied),
             "custom without a parsable percentage falls back to default");
    else
        line("applied", strategy_name(o->applied), "percentage parsed");
}

/* How the combination picked its numbers, as one reason text. */
static void explain_combine(const struct args *a,
                            const struct decision_output *o, char *why,
                            size_t n)
{
    size_t used = 0, first = 0;
    for (size_t i = a->n_trig; i-- > 0;)
        if (o->trigger_used[i]) {
            used++;
            first = i;
        }
    if (used == 0) {
        snprintf(why, n, "%s: no active trigger with QL > 0 selected, so 0",
                 calc_names[a->calc]);
        if (a->calc == CALC_AVG || a->calc == CALC_SUM)
            snprintf(why, n, "%s: no active trigger, so 0",
                     calc_names[a->calc]);
        return;
    }
    switch (a->calc) {
    case CALC_MIN:
        snprintf(why, n, "min: trigger %zu (smallest QL among active "
                 "triggers; first one taken while the best is 0)", first + 1);
        break;
    case CALC_AVG:
        snprintf(why, n, "avg: mean over %zu active trigger(s)", used);
        break;
    case CALC_SUM:
        snprintf(why, n, "sum: total over %zu active trigger(s)", used);
        break;
    case CALC_MAX:
    default:
        snprintf(why, n, "max: trigger %zu (largest QL among active "
                 "triggers; ties keep the first)", first + 1);
        break;
    }
}

static void print_human(const struct args *a,
                        const struct decision_output *o)
{
    char b[64], b2[32], b3[32], why[160];

    line("strategy", strategy_name(a->strategy), "--strategy");
    /* D and F, for the strategies that read them (the others refuse the
     * options) */
    if (strategy_keys(a->strategy) & (SK_CUSTOM_DEDUCTION
                                      | SK_CUSTOM_PERCENTAGE))
        explain_custom(a, o);

    /* Normalisation. */
    if (!a->has_min)
        line("MINR", "0", "--min unset");
    else if (a->has_max && a->min > a->max)
        line("MINR", inum(b, sizeof b, o->minr),
             "--min %" PRId64 " > --max %" PRId64 ", so lowered to max",
             a->min, a->max);
    else
        line("MINR", inum(b, sizeof b, o->minr), "--min");
    if (!a->has_max)
        line("MAXR", inum(b, sizeof b, o->maxr),
             "--max unset: 100, not reduced by MINR");
    else if (a->has_min && a->min > a->max)
        line("MAXR", inum(b, sizeof b, o->maxr),
             "--max %" PRId64 " (min > max: not reduced)", a->max);
    else
        line("MAXR", inum(b, sizeof b, o->maxr),
             "--max %" PRId64 " - MINR %" PRId64, a->max, o->minr);

    /* Triggers. */
    for (size_t i = 0; i < a->n_trig; i++) {
        const struct decision_trigger *t = &a->trig[i];
        char name[32], val[96];
        snprintf(name, sizeof name, "trigger %zu", i + 1);
        snprintf(val, sizeof val, "QL %s, T %s",
                 num(b2, sizeof b2, t->queue_length),
                 num(b3, sizeof b3, t->target));
        line(name, val, "--trigger %s", a->trig_text[i]);
        snprintf(name, sizeof name, "  active");
        if (a->trig_given_active[i])
            line(name, t->active ? "true" : "false", "given");
        else
            line(name, t->active ? "true" : "false",
                 "default: QL %s %s 0 (activation threshold 0, strict >)",
                 num(b2, sizeof b2, t->queue_length),
                 t->active ? ">" : "is not >");
        snprintf(name, sizeof name, "  maxValue");
        if (t->target == 0.0)
            line(name, "0", "T = 0: the trigger gives no maxValue");
        else
            line(name, num(b, sizeof b, o->trigger_mv[i]),
                 "min(QL/T = %s, MAXR %" PRId64 ")",
                 num(b2, sizeof b2, t->queue_length / t->target), o->maxr);
    }

    /* Combination. */
    explain_combine(a, o, why, sizeof why);
    line("calc", calc_names[a->calc], "--calc (multipleScalersCalculation)");
    line("QL", num(b, sizeof b, o->ql), "%s", why);
    line("maxValue", num(b, sizeof b, o->mv), "min(combined maxValue, MAXR %"
         PRId64 ")", o->maxr);
    bool any_used = false;
    for (size_t i = 0; i < a->n_trig; i++)
        any_used = any_used || o->trigger_used[i];
    if (o->minr > 0)
        line("active", "true", "MINR %" PRId64 " > 0 forces active",
             o->minr);
    else
        line("active", o->active ? "true" : "false", "%s",
             any_used ? "an active trigger entered the combination"
                      : "no active trigger entered the combination");
    line("maxScale", inum(b, sizeof b, o->max_scale), "ceil(maxValue %s)",
         num(b2, sizeof b2, o->mv));
    line("scaleTo", inum(b, sizeof b, o->scale_to_ql), "ceil(QL %s)",
         num(b2, sizeof b2, o->ql));

    /* Counts and the branch. */
    line("R", inum(b, sizeof b, a->running), "--running (unfinished)");
    line("P", inum(b, sizeof b, a->pending), "--pending");
    if (o->topup) {
        line("R'", "0", "R %" PRId64 " < MINR %" PRId64
             ": top-up branch, the queue is ignored", a->running, o->minr);
        line("effective", inum(b, sizeof b, o->effective),
             "top-up: MINR %" PRId64 " - R %" PRId64, o->minr, a->running);
        line("scaleTo", inum(b, sizeof b, o->scale_to),
             "top-up replaces scaleTo by MINR - R");
    } else {
        line("R'", inum(b, sizeof b, o->r_prime),
             "R %" PRId64 " - MINR %" PRId64 " (jobs above the minimum)",
             a->running, o->minr);
        int64_t d = a->has_deduction ? a->deduction : 0;
        explain_strategy(a, o, d, a->percentage_ok ? a->percentage : 0.0);
    }

    if (!o->active)
        line("create", "0", "not active: nothing is created");
    else if (o->effective <= 0)
        line("create", "0", "effective is 0: nothing is created");
    else
        line("create", inum(b, sizeof b, o->create),
             "min(scaleTo %" PRId64 ", effective %" PRId64 ")", o->scale_to,
             o->effective);
    printf("create %" PRId64 "\n", o->create);
}

/* ---- JSON output ------------------------------------------------------- */

/* A JSON number for x, or null if x is not finite (jansson refuses those;
 * the parser's ranges keep every value here finite). */
static json_t *jreal(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

/* Print the decision as one JSON object. Returns 0, or -1 when jansson
 * could not build or write it (out of memory or a write error). */
static int print_json(const struct args *a, const struct decision_output *o)
{
    json_t *trigs = json_array();
    if (trigs == NULL)
        return -1;
    for (size_t i = 0; i < a->n_trig; i++) {
        json_t *t = json_pack("{s:o, s:o, s:b, s:o}", "queue_length",
                              jreal(a->trig[i].queue_length), "target",
                              jreal(a->trig[i].target), "active",
                              a->trig[i].active, "max_value",
                              jreal(o->trigger_mv[i]));
        if (t == NULL || json_array_append_new(trigs, t) != 0) {
            json_decref(trigs);
            return -1;
        }
    }
    json_t *ded = a->has_deduction ? json_integer(a->deduction) : json_null();
    json_t *pct = a->percentage_ok ? jreal(a->percentage) : json_null();
    /* "o" steals the references, also on failure. */
    json_t *root = json_pack(
        "{s:s, s:s, s:s, s:I, s:I, s:o, s:b, s:o, s:o, s:I, s:I, s:I, s:I,"
        " s:I, s:b, s:b, s:I, s:I, s:o, s:o}",
        "strategy", a->strategy_text, "applied_strategy",
        strategy_name(o->applied), "calc", calc_names[a->calc], "minr",
        (json_int_t)o->minr, "maxr", (json_int_t)o->maxr, "triggers", trigs,
        "active", o->active, "queue_length", jreal(o->ql), "max_value",
        jreal(o->mv),
        "max_scale", (json_int_t)o->max_scale, "scale_to",
        (json_int_t)o->scale_to, "running", (json_int_t)a->running,
        "pending", (json_int_t)a->pending, "r_prime", (json_int_t)o->r_prime,
        "topup", o->topup, "accurate_cap", o->accurate_cap, "effective",
        (json_int_t)o->effective, "create", (json_int_t)o->create,
        "deduction", ded, "percentage", pct);
    if (root == NULL)
        return -1;
    int rc = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    putchar('\n');
    return rc == 0 ? 0 : -1;
}

/* ---- entry ------------------------------------------------------------- */

int cmd_scale_decision(int argc, char **argv)
{
    struct args a;
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0)
        return rc;

    struct decision_input in = {
        .strategy = a.strategy,
        .calc = a.calc,
        .triggers = a.trig,
        .n_triggers = a.n_trig,
        .has_min = a.has_min, .min = a.min,
        .has_max = a.has_max, .max = a.max,
        .running = a.running,
        .pending = a.pending,
        .has_deduction = a.has_deduction, .deduction = a.deduction,
        .has_percentage = a.percentage_ok, .percentage = a.percentage,
    };
    struct decision_output out;
    rc = scaler_decide(&in, &out);
    if (rc != SIM_OK) {
        /* The parser enforces every range scaler_decide() checks. */
        fprintf(stderr, "burstsim: " CMD ": internal error: %s\n",
                sim_strerror(rc));
        return EXIT_RUN_FAILED;
    }

    if (a.json) {
        if (print_json(&a, &out) != 0) {
            fprintf(stderr, "burstsim: " CMD ": cannot write the JSON "
                    "output (out of memory or write error)\n");
            return EXIT_RUN_FAILED;
        }
    } else {
        print_human(&a, &out);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "burstsim: " CMD ": error writing output\n");
        return EXIT_RUN_FAILED;
    }
    return EXIT_OK_;
}
