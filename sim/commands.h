/* sim/commands.h - the subcommands of the burstsim program. Each takes the
 * arguments after the subcommand name (argv[0] is the subcommand) and
 * returns the process exit code: 0 ok, 1 run failed, 2 usage, 3 invalid
 * scenario or trace (see `burstsim --help`). Messages go to stderr, prefixed
 * "burstsim: ". */
#ifndef SIM_COMMANDS_H
#define SIM_COMMANDS_H

enum exit_code {
    EXIT_OK_ = 0,        /* success */
    EXIT_RUN_FAILED = 1, /* I/O error, internal error in a replication */
    EXIT_USAGE = 2,      /* bad command line */
    EXIT_INVALID = 3,    /* invalid scenario or trace */
};

/* burstsim run SCENARIO [-o DIR] [--seed N] [--replications N]
 *               [--set PATH=VALUE]... */
int cmd_run(int argc, char **argv);
/* burstsim validate SCENARIO [--set PATH=VALUE]... : print the resolved
 * scenario (every default filled) as YAML. */
int cmd_validate(int argc, char **argv);
/* burstsim scale-decision --strategy S --trigger QL:T[:true|false]...
 *     [--calc max|min|avg|sum] [--min N] [--max N] [--running R]
 *     [--pending P] [--deduction D] [--percentage F] [--json] */
int cmd_scale_decision(int argc, char **argv);

#endif
