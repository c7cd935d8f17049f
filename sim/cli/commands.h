/* sim/cli/commands.h - the subcommands of the burstsim program. Each takes the
 * arguments after the subcommand name (argv[0] is the subcommand) and
 * returns the process exit code: 0 ok, 1 run failed, 2 usage, 3 invalid
 * scenario or trace, 4 SLOs not met under --check (see `burstsim --help`;
 * enum exit_code in sim/run/exit_code.h).
 * Messages go to stderr, prefixed "burstsim: ". */
#ifndef SIM_COMMANDS_H
#define SIM_COMMANDS_H

#include "sim/run/exit_code.h"

#include <stdbool.h>

/* Print "burstsim: CMD: <message>" and "try 'burstsim CMD --help'" to
 * stderr (the message is printf-formatted); returns EXIT_USAGE so callers
 * can `return cmd_usage_error(...)`. */
int cmd_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Like cmd_usage_error, but the hint names `burstsim HELP_CMD --help`, or
 * `burstsim --help` when help_cmd is NULL (trace-stats). */
int cmd_usage_error_hint(const char *cmd, const char *help_cmd,
                         const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Parse a non-negative decimal integer option value s (no sign, no
 * blanks) into *out; false when malformed or above max. */
bool cmd_parse_uint(const char *s, unsigned long long max,
                    unsigned long long *out);


/* burstsim run SCENARIO [-o DIR] [--seed N] [--replications N]
 *               [--set PATH=VALUE]... */
int cmd_run(int argc, char **argv);
/* burstsim merge -o OUT DIR... : combine the partial folders of a run
 * sharded with --shard I/N into one results folder. */
int cmd_merge(int argc, char **argv);
/* burstsim plot DIR [--rewrite]: (re)draw the plots of a results folder. */
int cmd_plot(int argc, char **argv);
/* burstsim validate SCENARIO [--set PATH=VALUE]... : print the resolved
 * scenario (every default filled) as YAML. */
int cmd_validate(int argc, char **argv);
/* burstsim scale-decision --strategy S --trigger QL:T[:true|false]...
 *     [--calc max|min|avg|sum] [--min N] [--max N] [--running R]
 *     [--pending P] [--deduction D] [--percentage F] [--json] */
int cmd_scale_decision(int argc, char **argv);
/* burstsim trace-stats FILE [--format events|counts|counts_wide]
 *     [--time-column C] [--time-format F] [--count-column C] [--interval D]
 *     [--first-count-column C] [--filter COL=VALUE] [--json] : statistics of
 *     a recorded trace (sim/cli/cmd_trace_stats.c); exit 3 on a bad trace. */
int cmd_trace_stats(int argc, char **argv);

#endif
