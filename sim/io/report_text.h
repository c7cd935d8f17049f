/* sim/io/report_text.h - what a run prints on stdout: the short table of
 * the configurations and the recommendation, and the one-line title of a
 * configuration that report.md shares.
 * Units:   metrics in their own units; seconds print with " s".
 * Owns:    nothing; the caller owns the stream.
 * Errors:  write errors are left for the caller's ferror(out).
 * Threads: no globals. */
#ifndef SIM_REPORT_TEXT_H
#define SIM_REPORT_TEXT_H

#include "sim/io/report.h"

#include <stdio.h>

/* The short table on stdout: a header line, then one line per
 * configuration with config, each axis value, and the means of messages,
 * completed, unfinished, latency_p95_s, backlog_max, executions,
 * empty_executions, cost_usd; text left-aligned, numbers right-aligned,
 * columns two spaces apart; counts print "%.0f" when integral else "%.1f",
 * reals "%.5g", "-" when not applicable. Write errors are left for the
 * caller's ferror(out). */
void report_print_table(FILE *out, const struct report_input *in);

/* Print the recommendation after the table: one paragraph naming the
 * configuration, its axis values, mean cost, whether it ties on cost with
 * others meeting every SLO and what chose it (slo_recommend), the paired
 * cost difference with the configuration it is compared with, and the
 * margin of each objective (or, when none meets them, the closest one and the objectives
 * it fails). Nothing without an SLO. */
void report_print_recommendation(FILE *out, const struct report_input *in);

/* The paired cost difference of r (other - config) as text: "+0.0012 +-
 * 0.003 (95 % CI, 8 replications)", or "... (1 replication, no CI)".
 * Written into buf (size n). */
void report_paired_text(const struct slo_recommendation *r, char *buf,
                        size_t n);

/* Short description of configuration c: "max_executions=5,
 * polling_interval=10s" (last component of each axis path), or its label
 * when there is no axis. Written into buf (size n). */
void report_config_title(const struct report_input *in, size_t c, char *buf,
                         size_t n);

/* Unit suffix of metric m (an enum result_metric) in messages: " s" for
 * the metrics in seconds (name ending "_s"), "" otherwise; a static
 * string. */
const char *report_metric_unit(int m);

#endif
