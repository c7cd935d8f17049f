/* sim/run/slo.h - service-level objectives (scenario `slo:` section) judged
 * per configuration, and the recommendation: the cheapest configuration
 * (lowest mean cost_usd) that meets every objective, or, when none does,
 * the closest one.
 * A configuration meets an objective when the upper bound of the two-sided
 * `slo.confidence` Student-t confidence interval of the metric's mean over
 * replications is within the limit (<=): mean + t((1+conf)/2, n-1) sd /
 * sqrt(n), n = replications with a value; with one replication the bound
 * is the value itself. A metric with no value at all (e.g. latency when
 * nothing completed) fails its objective.
 * Objectives apply only when the scenario has an `slo:` section (written
 * in the file or set with --set slo.KEY=...); the section's defaults
 * (backlog_max 500, latency_p95 10m, unfinished_max 0) then apply to the
 * keys not written, and `~` turns one off.
 * Units:   limits in the metric's unit: messages, seconds.
 * Owns:    plain values; names point at static strings.
 * Threads: no globals. */
#ifndef SIM_SLO_H
#define SIM_SLO_H

#include "sim/engine/common.h"
#include "models/scenario.h"
#include "sim/run/summary.h"

#define SLO_MAX_OBJ 6 /* the five keys, and `stable` (never met when a
                          replication was unstable) */

/* One objective of one configuration. */
struct slo_objective {
    const char *key;       /* scenario key, e.g. "latency_p95" */
    int metric;            /* enum result_metric judged, e.g. RM_latency_p95_s */
    double limit;          /* the objective, metric units */
    double mean;           /* mean over replications (NAN: no value) */
    double upper;          /* upper confidence bound (NAN: no value) */
    bool met;              /* upper <= limit */
};

/* All objectives of one configuration. */
struct slo_eval {
    bool present;          /* the scenario has an slo section */
    double confidence;     /* slo.confidence */
    size_t n;              /* objectives in force */
    struct slo_objective obj[SLO_MAX_OBJ];
    size_t n_failed;       /* objectives not met */
    double worst_excess;   /* max over objectives of (upper - limit) /
                              max(|limit|, 1); INFINITY when a value is
                              missing; <= 0 when all are met */
};

/* Whether the scenario has an slo section (any key under `slo` written in
 * the file or by an override). */
bool slo_present(const struct scenario *scn);

/* Judge configuration c against scn's objectives into *e (e->present false
 * and n = 0 without an slo section). */
void slo_evaluate(const struct scenario *scn, const struct report_config *c,
                  struct slo_eval *e);

/* 1 met, 0 not met, -1 no slo section (the summary.csv slo_met field). */
int slo_eval_met(const struct slo_eval *e);

enum slo_rec_kind {
    SLO_REC_NONE,          /* no slo section: no recommendation */
    SLO_REC_MET,           /* config is the cheapest meeting every SLO */
    SLO_REC_CLOSEST,       /* none meets them; config is the closest */
};

/* What settled a tie on cost (slo_recommend). */
enum slo_tie_reason {
    SLO_TIE_NONE,          /* no tie */
    SLO_TIE_P95,           /* lower mean latency_p95_s */
    SLO_TIE_EXECUTIONS,    /* fewer executions (mean) */
    SLO_TIE_COST,          /* lower mean cost_usd */
    SLO_TIE_ORDER,         /* all equal: the first */
};

struct slo_recommendation {
    enum slo_rec_kind kind;
    size_t config;         /* index of the configuration */
    size_t n_met;          /* configurations meeting every objective */
    double cost_mean;      /* its mean cost_usd */
    double cost_ci95;      /* its 95 % half-width */
    /* SLO_REC_MET only (else cheapest = config, other = SIZE_MAX): */
    size_t cheapest;       /* lowest mean cost_usd among those meeting */
    bool tie;              /* others meeting every SLO are not
                              significantly dearer than `cheapest` */
    size_t n_tied;         /* configurations in the tie, cheapest included */
    enum slo_tie_reason why; /* what chose `config` in a tie */
    size_t other;          /* the configuration it is compared with: the
                              best other one in the tie, else the next
                              cheapest meeting every SLO; SIZE_MAX: none */
    double diff_mean;      /* paired cost_usd difference other - config,
                              mean over common replications (NAN: none) */
    double diff_half;      /* its 95 % Student-t half-width (NAN: < 2) */
    size_t diff_n;         /* replication pairs */
};

/* Choose from the evaluations evals[0..n-1] of configs[0..n-1]. Among the
 * configurations meeting every objective, take the one with the lowest
 * mean cost_usd (ties: the first), then compare it with each other one
 * meeting every objective by the paired difference of cost_usd per
 * replication (report_paired_ci; common random numbers: replication r of
 * every configuration sees the same arrivals). Those whose 95 % CI of the
 * difference contains 0, or that have fewer than 2 pairs, tie with it;
 * among the tied the recommendation is the one with the lowest mean
 * latency_p95_s, then fewest executions, then lowest mean cost, then the
 * first (`why`). When none meets them, the closest: fewest objectives
 * failed, then smallest worst_excess, then lowest cost, then the first.
 * kind is SLO_REC_NONE when n == 0 or evals[0] has no slo section. */
void slo_recommend(const struct report_config *configs,
                   const struct slo_eval *evals, size_t n,
                   struct slo_recommendation *rec);

/* A phrase for r ("lower mean latency_p95_s", ...; "" for none). */
const char *slo_tie_reason_text(enum slo_tie_reason r);

/* Margin of objective o: limit - upper (positive = headroom). */
double slo_margin(const struct slo_objective *o);

#endif
