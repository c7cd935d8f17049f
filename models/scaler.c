/* models/scaler.c - the poll loop (see scaler.h). The arithmetic of the
 * decision lives in models/decision.c; this file only gathers its inputs
 * from the simulation and acts on its output, as KEDA's checkScalers ->
 * getScaledJobState -> RequestJobScale does (docs/model.md 4.1-4.3). */
#include "models/scaler.h"

#include "models/decision.h"
#include "models/events.h"

#include <string.h>

void scaler_init(struct scaler *sc, const struct scaler_env *env)
{
    memset(sc, 0, sizeof *sc);
    sc->env = *env;
    sc->reads_p = strategy_reads_pending(env->cfg->strategy);
    for (size_t i = 0; i < env->cfg->n_rules && i < DECISION_MAX_TRIGGERS; i++)
        sc->metric[i] =
            broker_type_of(broker_of_rule(env->cfg->rules[i].type))->metric;
    sc->last_poll = -1;
    sc->poll_ev = engine_schedule(env->eng, env->cfg->first_poll_us, EV_POLL,
                                  0, 0);
}

/* The first grid time that is >= t and after the last poll. */
static sim_time next_grid(const struct scaler *sc, sim_time t)
{
    sim_time first = sc->env.cfg->first_poll_us;
    sim_time step = sc->env.cfg->polling_interval_us;
    sim_time g = first;
    if (t > first)
        g = first + (t - first + step - 1) / step * step;
    if (g <= sc->last_poll)
        g = sc->last_poll + step;
    return g;
}

/* True when the scaler's inputs now equal those of the last poll (which,
 * being dormant, created nothing): a poll now would decide the same. Only
 * without count_lag, where the inputs are the current counts. */
static bool inputs_unchanged(const struct scaler *sc)
{
    const struct scn_scale *cfg = sc->env.cfg;
    const struct source *src = sc->env.src;
    const struct executions *ex = sc->env.ex;
    /* P enters only the arithmetic of strategies that read it. */
    if (!sc->have_last || src->lag_us > 0 ||
        sc->last_r != exec_unfinished(ex) ||
        (sc->reads_p && sc->last_p != exec_pending(ex)))
        return false;
    struct count_snap now = source_counts_now(src);
    for (size_t i = 0; i < cfg->n_rules && i < DECISION_MAX_TRIGGERS; i++)
        if (sc->metric[i](&now, &cfg->rules[i]) != sc->last_ql[i])
            return false;
    return true;
}

void scaler_wake_at(struct scaler *sc, sim_time t)
{
    if (!sc->dormant || sc->stopped || inputs_unchanged(sc))
        return;
    sc->dormant = false;
    sc->poll_ev = engine_schedule(sc->env.eng, next_grid(sc, t), EV_POLL, 0, 0);
}

void scaler_wake(struct scaler *sc)
{
    if (sc->dormant) /* (before scaler_init() it is not: nothing to wake) */
        scaler_wake_at(sc, sc->env.eng->now);
}

void scaler_stop(struct scaler *sc)
{
    sc->stopped = true;
    engine_cancel(sc->env.eng, &sc->poll_ev);
    sc->dormant = true;
}

int scaler_on_poll(void *model, const struct event *ev, struct diag *d)
{
    (void)ev;
    struct scaler *sc = model;
    const struct scn_scale *cfg = sc->env.cfg;
    struct engine *eng = sc->env.eng;
    struct executions *ex = sc->env.ex;
    sc->poll_ev = evq_handle_none();
    sc->last_poll = eng->now;
    sc->polls_run++;
    if (sc->stopped) {
        sc->dormant = true;
        return SIM_OK;
    }

    struct count_snap seen = source_counts_seen(sc->env.src, eng->now);
    struct decision_trigger trig[DECISION_MAX_TRIGGERS];
    size_t n = cfg->n_rules < DECISION_MAX_TRIGGERS ? cfg->n_rules
                                                    : DECISION_MAX_TRIGGERS;
    for (size_t i = 0; i < n; i++) {
        const struct scn_rule *r = &cfg->rules[i];
        int64_t ql = sc->metric[i](&seen, r);
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
        .running = exec_unfinished(ex),
        .pending = exec_pending(ex),
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
        return diag_set(d, rc, NULL, 0, 0, "poll: %s", sim_strerror(rc));
    int64_t created = out.create;
    for (int64_t k = 0; k < created; k++) {
        rc = exec_create(ex);
        if (rc < 0)
            return diag_set(d, rc, NULL, 0, 0, "poll: %s", sim_strerror(rc));
    }
    if (created > 0 && sc->env.src->lag_us <= 0) {
        /* What would the next poll decide if nothing else changed? The
         * decision is pure: ask it now, with the new R and P. If it would
         * create nothing, sleep; any change wakes the loop again. */
        in.running = exec_unfinished(ex);
        in.pending = exec_pending(ex);
        sc->last_r = in.running;
        sc->last_p = in.pending;
        if ((rc = scaler_decide(&in, &out)) < 0)
            return diag_set(d, rc, NULL, 0, 0, "poll: %s", sim_strerror(rc));
        created = out.create;
    }
    /* Go dormant only when the next poll would decide the same: nothing
     * (more) would be created and no count change is still on its way
     * through count_lag. */
    if (created > 0 || source_has_unseen(sc->env.src, eng->now)) {
        sc->poll_ev = engine_schedule(eng, eng->now + cfg->polling_interval_us,
                                      EV_POLL, 0, 0);
    } else {
        sc->dormant = true;
    }
    return SIM_OK;
}

int64_t scaler_grid_polls(const struct scn_scale *cfg, sim_time end)
{
    sim_time first = cfg->first_poll_us;
    sim_time step = cfg->polling_interval_us;
    if (end <= first)
        return 0;
    return (end - first + step - 1) / step;
}
