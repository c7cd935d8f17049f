/* sim/io/report.h - what the results writers are given: the configurations
 * of a run with their results, the swept axes, and the SLO evaluations and
 * recommendation. Each output has its own writer: report_csv.h
 * (summary.csv, replications.csv, latency_quantiles.csv, latency_raw.csv),
 * report_json.h (summary.json), report_text.h (the table and the
 * recommendation on stdout), report_md.h (report.md); report_stage.h and
 * report_parts.h handle the folder and the streamed part files.
 * Units:   metrics in their own units (models/result.h).
 * Owns:    struct report_input is a view: it owns none of what it points at.
 * Threads: the writers keep no globals. */
#ifndef SIM_REPORT_H
#define SIM_REPORT_H

#include "sim/engine/common.h"
#include "models/result.h"
#include "sim/io/scenario.h"
#include "sim/run/slo.h"
#include "sim/run/summary.h"

/* A whole run as the writers see it. */
struct report_input {
    const struct scenario *scn;         /* the base scenario (resolved) */
    const char *const *axis_names;      /* swept key paths */
    size_t n_axes;
    const struct report_config *configs;
    size_t n_configs;
    const char *version;                /* burstsim version string */
    const struct slo_eval *evals;       /* n_configs evaluations or NULL */
    const struct slo_recommendation *rec; /* or NULL (no SLO) */
};

#endif
