/* sim/run/budget.h - the work budget of a run: before anything is
 * simulated, the arrivals and the scheduled events (arrivals, MMPP state
 * changes, batches, polls) of one replication of every configuration are
 * estimated from the arrival processes (mean rate x horizon) and the run
 * is refused when an estimate is beyond the budget (README "Work
 * budget"), so a typo like `rate: 1e7/s` or a 1 us MMPP sojourn stops at
 * once with the estimate in the message instead of exhausting memory or
 * running for days. Trace items are read in streaming and not estimated.
 * Units:   counts per replication (doubles: an estimate may be inf).
 * Owns:    nothing.
 * Errors:  budget_check: 0 or SIM_ERANGE with d naming the scenario file,
 *          the configuration and the estimate.
 * Threads: no globals; pure functions of the typed scenario. */
#ifndef SIM_BUDGET_H
#define SIM_BUDGET_H

#include "sim/run/plan.h"

/* Default budget: arrivals, and scheduled events besides arrivals, per
 * replication (`burstsim run --max-arrivals N` changes both). */
#define BUDGET_DEFAULT_MAX 1e9

/* Estimated work of one replication. */
struct budget_estimate {
    double arrivals;   /* expected arrivals over the horizon */
    double events;     /* scheduled events besides arrivals: MMPP state
                          changes, batches, polls of every rule */
    size_t item;       /* the arrival item contributing most arrivals */
};

/* Estimate one replication of scn: the sum over its process items of
 * mean rate x horizon (poisson rate; piecewise: the integral of its steps,
 * repeated every `repeat`; diurnal mean; mmpp: the sojourn-weighted mean
 * rate of its cyclic states; batches: mean size / every), plus events. */
void budget_estimate(const struct scenario *scn, struct budget_estimate *e);

/* Check one scenario (its configuration `label`, "c0"; `file` names it in
 * the message) against max, as budget_check() does for each of a plan's
 * configurations. Returns 0 or SIM_ERANGE with d set. */
int budget_check_scenario(const struct scenario *scn, const char *file,
                          const char *label, double max, struct diag *d);

/* Check every configuration of plan p against max (arrivals and events
 * per replication; max > 0). Returns 0 or SIM_ERANGE with d set:
 * "FILE: error: arrivals: about 3.6e+12 per replication (c0), beyond the
 * budget of 1e+09; check the rates, or raise it with --max-arrivals N". */
int budget_check(const struct runner_plan *p, double max, struct diag *d);

#endif
