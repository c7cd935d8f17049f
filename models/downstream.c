/* models/downstream.c - concurrency limit and token bucket in front of the
 * downstream service (see downstream.h).
 *
 * Waiting replicas form an rp_fifo. Only the head of the
 * FIFO ever waits for a token (first come, first served), so at most one
 * EV_DOWNSTREAM is pending. */
#include "models/downstream.h"

#include "models/world.h"

#include <string.h>

#define NIL UINT32_MAX

void down_init(struct downstream *ds, const struct scenario *scn)
{
    const struct scn_downstream *c = &scn->downstream;
    memset(ds, 0, sizeof *ds);
    ds->concurrency = c->concurrency;
    ds->rate_per_s = c->rate_per_s;
    ds->burst = c->burst < 1.0 ? 1.0 : c->burst;
    ds->reject = c->on_limit == ON_LIMIT_REJECT;
    ds->tokens = ds->burst;
    ds->last_refill = 0;
    rp_fifo_init(&ds->wait);
    ds->token_ev = evq_handle_none();
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
static void admit(struct sim *s)
{
    struct downstream *ds = &s->down;
    if (ds->rate_per_s > 0.0)
        ds->tokens -= 1.0;
    ds->busy++;
    if (ds->busy > s->met.downstream_peak)
        s->met.downstream_peak = ds->busy;
    SIM_DASSERT(ds->concurrency <= 0 || ds->busy <= ds->concurrency);
}

/* Admit waiting replicas while a slot and a token are free; if only a token
 * is missing, schedule the instant the next one arrives. */
static void serve(struct sim *s)
{
    struct downstream *ds = &s->down;
    while (ds->wait.head != NIL && slot_free(ds)) {
        refill(ds, s->now);
        if (!token_free(ds)) {
            if (!evq_handle_valid(ds->token_ev)) {
                /* Round up to the microsecond, forgiving float noise of
                 * 1 ns, and never schedule at the same instant again. */
                double need_s = (1.0 - ds->tokens) / ds->rate_per_s;
                sim_time dt = (sim_time)ceil(need_s * 1e6 - 1e-3);
                if (dt < 1)
                    dt = 1;
                ds->token_ev = sim_schedule(s, s->now + dt, EV_DOWNSTREAM,
                                            0, 0);
            }
            return;
        }
        uint32_t r = rp_fifo_pop(&s->ex, &ds->wait);
        admit(s);
        exec_on_admitted(s, r);
    }
}

enum down_result down_acquire(struct sim *s, uint32_t r)
{
    struct downstream *ds = &s->down;
    refill(ds, s->now);
    if (ds->wait.head == NIL && slot_free(ds) && token_free(ds)) {
        admit(s);
        return DOWN_ADMITTED;
    }
    if (ds->reject)
        return DOWN_REJECTED;
    rp_fifo_push(&s->ex, &ds->wait, r);
    serve(s);
    return DOWN_QUEUED;
}

void down_release(struct sim *s)
{
    struct downstream *ds = &s->down;
    SIM_ASSERT(ds->busy > 0);
    ds->busy--;
    serve(s);
}

void down_cancel(struct sim *s, uint32_t r)
{
    struct downstream *ds = &s->down;
    rp_fifo_remove(&s->ex, &ds->wait, r);
    if (ds->wait.head == NIL)
        sim_cancel(s, &ds->token_ev);
}

void down_on_event(struct sim *s, const struct event *ev)
{
    (void)ev;
    s->down.token_ev = evq_handle_none();
    serve(s);
}
