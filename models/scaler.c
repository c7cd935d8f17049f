/* models/scaler.c - the poll loop (see scaler.h). The arithmetic of the
 * decision lives in models/decision.c; this file only gathers its inputs
 * from the simulation and acts on its output, as KEDA's checkScalers ->
 * getScaledJobState -> RequestJobScale does (docs/model.md 4.1-4.3). */
#include "models/scaler.h"

#include "models/decision.h"
#include "models/world.h"

#include <string.h>

void scaler_init(struct sim *s)
{
    struct scaler *sc = &s->sc;
    memset(sc, 0, sizeof *sc);
    sc->last_poll = -1;
    sc->poll_ev = sim_schedule(s, s->scn->scale.first_poll_us, EV_POLL, 0, 0);
}

/* The first grid time that is >= t and after the last poll. */
static sim_time next_grid(const struct sim *s, sim_time t)
{
    sim_time first = s->scn->scale.first_poll_us;
    sim_time step = s->scn->scale.polling_interval_us;
    sim_time g = first;
    if (t > first)
        g = first + (t - first + step - 1) / step * step;
    if (g <= s->sc.last_poll)
        g = s->sc.last_poll + step;
    return g;
}

/* True when the scaler's inputs now equal those of the last poll (which,
 * being dormant, created nothing): a poll now would decide the same. Only
 * without count_lag, where the inputs are the current counts. */
static bool inputs_unchanged(struct sim *s)
{
    const struct scaler *sc = &s->sc;
    const struct scn_scale *cfg = &s->scn->scale;
    /* P enters only the accurate and eager arithmetic (scale_jobs.go). */
    bool uses_p = cfg->strategy == STRAT_ACCURATE || cfg->strategy == STRAT_EAGER;
    if (!sc->have_last || s->src.lag_us > 0 || sc->last_r != s->ex.unfinished ||
        (uses_p && sc->last_p != exec_pending(s)))
        return false;
    struct count_snap now = {s->now, s->src.visible, s->src.in_flight};
    for (size_t i = 0; i < cfg->n_rules && i < DECISION_MAX_TRIGGERS; i++)
        if (source_count(&now, &cfg->rules[i]) != sc->last_ql[i])
            return false;
    return true;
}

void scaler_wake_at(struct sim *s, sim_time t)
{
    struct scaler *sc = &s->sc;
    if (!sc->dormant || s->stopping || inputs_unchanged(s))
        return;
    sc->dormant = false;
    sc->poll_ev = sim_schedule(s, next_grid(s, t), EV_POLL, 0, 0);
}

void scaler_wake(struct sim *s)
{
    scaler_wake_at(s, s->now);
}

int scaler_on_poll(struct sim *s, const struct event *ev)
{
    (void)ev;
    struct scaler *sc = &s->sc;
    const struct scn_scale *cfg = &s->scn->scale;
    sc->poll_ev = evq_handle_none();
    sc->last_poll = s->now;
    sc->polls_run++;
    if (s->stopping) {
        sc->dormant = true;
        return SIM_OK;
    }

    struct count_snap seen = source_counts_seen(&s->src, s->now);
    struct decision_trigger trig[DECISION_MAX_TRIGGERS];
    size_t n = cfg->n_rules < DECISION_MAX_TRIGGERS ? cfg->n_rules
                                                    : DECISION_MAX_TRIGGERS;
    for (size_t i = 0; i < n; i++) {
        const struct scn_rule *r = &cfg->rules[i];
        int64_t ql = source_count(&seen, r);
        trig[i].queue_length = (double)ql;
        sc->last_ql[i] = ql;
        trig[i].target = (double)r->queue_length;
        trig[i].active = ql > r->activation_queue_length;
    }
    struct decision_input in = {
        .strategy = cfg->strategy,
        .calc = cfg->multiple_scalers_calculation,
        .triggers = trig,
        .n_triggers = n,
        .has_min = true,
        .min = cfg->min_executions,
        .has_max = true,
        .max = cfg->max_executions,
        .running = s->ex.unfinished,
        .pending = exec_pending(s),
        .has_deduction = true,
        .deduction = cfg->custom_queue_length_deduction,
        .has_percentage = cfg->has_custom_running_job_percentage,
        .percentage = cfg->custom_running_job_percentage,
    };
    sc->last_r = in.running;
    sc->last_p = in.pending;
    sc->have_last = true;
    struct decision_output out;
    int rc = scaler_decide(&in, &out);
    if (rc < 0)
        return rc;
    int64_t created = out.create;
    for (int64_t k = 0; k < created; k++) {
        rc = exec_create(s);
        if (rc < 0)
            return rc;
    }
    if (created > 0 && s->src.lag_us <= 0) {
        /* What would the next poll decide if nothing else changed? The
         * decision is pure: ask it now, with the new R and P. If it would
         * create nothing, sleep; any change wakes the loop again. */
        in.running = s->ex.unfinished;
        in.pending = exec_pending(s);
        sc->last_r = in.running;
        sc->last_p = in.pending;
        if ((rc = scaler_decide(&in, &out)) < 0)
            return rc;
        created = out.create;
    }
    /* Go dormant only when the next poll would decide the same: nothing
     * (more) would be created and no count change is still on its way
     * through count_lag. */
    if (created > 0 || source_has_unseen(&s->src, s->now)) {
        sc->poll_ev = sim_schedule(s, s->now + cfg->polling_interval_us,
                                   EV_POLL, 0, 0);
    } else {
        sc->dormant = true;
    }
    return SIM_OK;
}

int64_t scaler_grid_polls(const struct sim *s, sim_time end)
{
    sim_time first = s->scn->scale.first_poll_us;
    sim_time step = s->scn->scale.polling_interval_us;
    if (end <= first)
        return 0;
    return (end - first + step - 1) / step;
}
