/* models/downstream.c - concurrency limit and token bucket in front of the
 * downstream service (see downstream.h).
 *
 * Waiting replicas form a FIFO (sim/engine/pool.h). Only the head of the
 * FIFO ever waits for a token (first come, first served), so at most one
 * EV_DOWNSTREAM is pending. */
#include "models/downstream.h"

#include "models/events.h"

#include <string.h>

void down_init(struct downstream *ds, const struct scn_downstream *c,
               const struct down_env *env)
{
    memset(ds, 0, sizeof *ds);
    ds->env = *env;
    ds->concurrency = c->concurrency;
    ds->rate_per_s = c->rate_per_s;
    ds->burst = c->burst < 1.0 ? 1.0 : c->burst;
    ds->reject = c->on_limit == ON_LIMIT_REJECT;
    ds->tokens = ds->burst;
    ds->last_refill = 0;
    id_fifo_init(&ds->wait);
    ds->token_ev = evq_handle_none();
}

void down_fini(struct downstream *ds)
{
    id_fifo_fini(&ds->wait);
}

/* Refill the bucket up to now. */
static void refill(struct downstream *ds, sim_time now)
{
    if (ds->rate_per_s <= 0.0)
        return;
    ds->tokens += ds->rate_per_s * sim_to_s(now - ds->last_refill);
    if (ds->tokens > ds->burst)
        ds->tokens = ds->burst;
    ds->last_refill = now;
}

static bool slot_free(const struct downstream *ds)
{
    return ds->concurrency <= 0 || ds->busy < ds->concurrency;
}

static bool token_free(const struct downstream *ds)
{
    /* A tiny tolerance absorbs the rounding of refill times to 1 us. */
    return ds->rate_per_s <= 0.0 || ds->tokens >= 1.0 - 1e-9;
}

/* Admit one call now (a slot and a token are free). */
static void admit(struct downstream *ds)
{
    if (ds->rate_per_s > 0.0)
        ds->tokens -= 1.0;
    ds->busy++;
    metrics_downstream_busy(ds->env.met, ds->busy);
    SIM_DASSERT(ds->concurrency <= 0 || ds->busy <= ds->concurrency);
}

/* Admit waiting replicas while a slot and a token are free; if only a token
 * is missing, schedule the instant the next one arrives. */
static void serve(struct downstream *ds)
{
    sim_time now = ds->env.eng->now;
    while (id_fifo_len(&ds->wait) > 0 && slot_free(ds)) {
        refill(ds, now);
        if (!token_free(ds)) {
            if (!evq_handle_valid(ds->token_ev)) {
                /* Round up to the microsecond, forgiving float noise of
                 * 1 ns, and never schedule at the same instant again. */
                double need_s = (1.0 - ds->tokens) / ds->rate_per_s;
                sim_time dt = (sim_time)ceil(need_s * 1e6 - 1e-3);
                if (dt < 1)
                    dt = 1;
                ds->token_ev = engine_schedule(ds->env.eng, now + dt,
                                               EV_DOWNSTREAM, 0, 0);
            }
            return;
        }
        uint32_t who = id_fifo_pop(&ds->wait);
        admit(ds);
        ds->env.admitted(ds->env.ctx, who);
    }
}

enum down_result down_acquire(struct downstream *ds, uint32_t who)
{
    refill(ds, ds->env.eng->now);
    if (id_fifo_len(&ds->wait) == 0 && slot_free(ds) && token_free(ds)) {
        admit(ds);
        return DOWN_ADMITTED;
    }
    if (ds->reject)
        return DOWN_REJECTED;
    SIM_ASSERT(id_fifo_push(&ds->wait, who) == SIM_OK); /* out of memory */
    serve(ds);
    return DOWN_QUEUED;
}

void down_release(struct downstream *ds)
{
    SIM_ASSERT(ds->busy > 0);
    ds->busy--;
    serve(ds);
}

void down_cancel(struct downstream *ds, uint32_t who)
{
    id_fifo_remove(&ds->wait, who);
    if (id_fifo_len(&ds->wait) == 0)
        engine_cancel(ds->env.eng, &ds->token_ev);
}

int down_on_event(void *model, const struct event *ev, struct diag *d)
{
    (void)ev;
    (void)d;
    struct downstream *ds = model;
    ds->token_ev = evq_handle_none();
    serve(ds);
    return SIM_OK;
}
