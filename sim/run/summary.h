/* sim/run/summary.h - statistics over the replications of one
 * configuration: the mean of a metric and the half-width of its two-sided
 * Student-t confidence interval. summary.csv, summary.json, the table,
 * report.md and the SLO judgement all read them from here.
 * Units:   a metric's own unit (models/result.h result_metric_info).
 * Owns:    struct report_config is a view: it points at the caller's
 *          labels, axis values and results and owns none of them.
 * Errors:  none; a statistic without enough values is NAN.
 * Threads: pure; no globals. */
#ifndef SIM_SUMMARY_H
#define SIM_SUMMARY_H

#include "sim/engine/common.h"
#include "models/result.h"

/* One configuration of a run, as the writers and the SLOs see it. */
struct report_config {
    const char *label;              /* "c0", "c1", ... */
    const char *const *axis_values; /* n_axes values as written */
    const struct rep_result *reps;  /* n_reps results, replication order */
    size_t n_reps;
    int slo_met;                    /* 1 met, 0 not met, -1 no SLO given */
    const unsigned char *have;      /* n_reps flags: which replications
                                       are present (a shard); NULL = all.
                                       Only replications.csv and
                                       latency_raw.csv honour it. */
};

/* Mean over replications of metric i (an enum result_metric, 0 <= i <
 * RM_COUNT) of configuration c (NAN values are skipped; NAN when none;
 * +INFINITY, with a NAN half-width, when a value is +INFINITY),
 * and the 95 % Student-t half-width t(0.975, n-1) * sd / sqrt(n) (NAN
 * when fewer than 2 values; also both NAN if more than 256 replications
 * and the copy cannot be allocated). Uses
 * gsl_stats_mean/gsl_stats_sd and gsl_cdf_tdist_Pinv. */
void report_metric_stats(const struct report_config *c, int i, double *mean,
                         double *ci95);

/* Same, for a two-sided Student-t interval of confidence conf in (0, 1):
 * *half is its half-width (NAN when fewer than 2 values). */
void report_metric_ci(const struct report_config *c, int i, double conf,
                      double *mean, double *half);

/* Paired difference of metric i between configurations b and a over
 * their common replications: d_r = b.reps[r] - a.reps[r] for the r where
 * both hold the same replication number and a value (common random
 * numbers: replication r of every configuration sees the same arrivals).
 * *mean is the mean of d (NAN when no pair), *half the half-width of its
 * two-sided Student-t interval of confidence conf, t((1+conf)/2, n-1) x
 * sd(d) / sqrt(n) (NAN when fewer than 2 pairs), *n_pairs the pairs. */
void report_paired_ci(const struct report_config *a,
                      const struct report_config *b, int i, double conf,
                      double *mean, double *half, size_t *n_pairs);

#endif
