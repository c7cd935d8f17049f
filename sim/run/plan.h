/* sim/run/plan.h - the plan of a run: the configurations (the cartesian
 * product of the scenario's sweep axes and --vary, last axis fastest) times
 * the replications, each configuration loaded from the scenario text with
 * its axis values as overrides, and the result slot of every item.
 * Units:   configuration c, replication r is item c * n_rep + r.
 * Owns:    struct runner_plan owns its text, scenarios, labels and results
 *          (runner_plan_init / runner_plan_fini); it copies the overrides
 *          and axes it is given.
 * Errors:  0 or a negative SIM_E* with a struct diag.
 * Threads: no globals; after init the plan is read-only except for the
 *          result slots, each written by one item. */
#ifndef SIM_PLAN_H
#define SIM_PLAN_H

#include "sim/engine/common.h"
#include "sim/io/scenario.h"
#include "sim/run/summary.h"

/* An axis given on the command line: --vary PATH=V1,V2,... */
struct run_axis {
    const char *path;     /* key path; not owned */
    char **values;        /* owned by the caller */
    size_t n_values;
};

/* The configurations x replications of one run and their results.
 * Configuration c has label "c<c>" and the axis values
 * axis_values[c][0..n_axes-1]; its replication r is item c * n_rep + r. */
struct runner_plan {
    char *text;                 /* the scenario file's text; owned */
    char *file;                 /* its path as given; owned */
    char *base_dir;             /* folder for relative paths; owned */
    struct scn_override *ov;    /* --set etc. (copied, owned) */
    size_t n_ov;
    char **ov_strings;          /* storage of ov and vary strings */
    size_t n_strings;
    struct scenario base;       /* the scenario with overrides only */
    const char **axis_names;    /* n_axes key paths (point into base or
                                   vary_store) */
    char ***axis_vals;          /* [axis] -> values (not owned) */
    size_t *axis_n;             /* [axis] -> number of values */
    size_t n_axes;
    struct run_axis *vary;      /* copied --vary axes (owned) */
    size_t n_vary;
    struct scenario *cfg;       /* n_cfg loaded configurations */
    size_t n_cfg;
    uint32_t n_rep;
    const char ***axis_values;  /* [cfg][axis] */
    char (*labels)[32];
    struct rep_result *res;     /* [cfg * n_rep + rep] */
    unsigned char *have;        /* [item]: 1 when res holds a result */
    bool usage_error;           /* the error is the command line's (a
                                   --set of a swept key, one --vary value
                                   twice): exit 2, not 3 */
};

/* Build the plan: read the scenario file (or use `text` when not NULL,
 * with `file` naming it in messages and base_dir for relative paths;
 * base_dir NULL = the folder of file), apply ov, gather the axes (the
 * scenario's sweep, then vary, replacing an axis of the same path) and
 * load every configuration. Returns 0, or a negative SIM_E* with d set
 * (SIM_EINVAL "replications cannot be swept" included). Call
 * runner_plan_fini() in every case. */
int runner_plan_init(struct runner_plan *p, const char *file,
                     const char *text, const char *base_dir,
                     const struct scn_override *ov, size_t n_ov,
                     const struct run_axis *vary, size_t n_vary,
                     struct diag *d);

/* Fill cfgs[0..n_cfg-1] (caller-allocated) with views of the plan's
 * results for the report writers (slo_met filled from each
 * configuration's slo section). */
void runner_plan_configs(const struct runner_plan *p,
                         struct report_config *cfgs);

/* Free everything the plan owns and zero it; safe on a zeroed plan. */
void runner_plan_fini(struct runner_plan *p);

#endif
