/* sim/engine/engine.c - the event loop (see engine.h). One pop, one table
 * look-up and one indirect call per event. */
#include "sim/engine/engine.h"

#include <string.h>

int engine_init(struct engine *e, size_t cap_hint)
{
    memset(e, 0, sizeof *e);
    e->end_limit = SIM_TIME_MAX;
    e->q = evq_new(cap_hint);
    return e->q == NULL ? SIM_ENOMEM : SIM_OK;
}

void engine_fini(struct engine *e)
{
    evq_free(e->q);
    e->q = NULL;
}

int engine_on(struct engine *e, uint32_t kind, int32_t prio,
              engine_handler fn, void *model, const char *name)
{
    if (kind >= ENGINE_MAX_KINDS || fn == NULL)
        return SIM_EINVAL;
    e->kind[kind] = (struct engine_kind){fn, model, prio, name};
    return SIM_OK;
}

void engine_cancel(struct engine *e, struct evq_handle *h)
{
    if (evq_handle_valid(*h))
        evq_cancel(e->q, *h);
    *h = evq_handle_none();
}

int64_t engine_run_until(struct engine *e, sim_time until, struct diag *d)
{
    int64_t done = 0;
    struct event ev;
    while (!e->stopped && evq_peek(e->q, &ev) && ev.time <= until) {
        if (ev.time > e->end_limit)
            break;
        evq_pop(e->q, &ev);
        if (e->before != NULL)
            e->before(e->hook_ctx, ev.time);
        e->now = ev.time;
        e->events++;
        done++;
        const struct engine_kind *k =
            ev.kind < ENGINE_MAX_KINDS ? &e->kind[ev.kind] : NULL;
        if (k == NULL || k->fn == NULL)
            return diag_set(d, SIM_EINTERNAL, NULL, 0, 0,
                            "unknown event kind %u", ev.kind);
        int rc = k->fn(k->model, &ev, d);
        if (rc < 0)
            return rc;
        if (e->after != NULL)
            e->after(e->hook_ctx);
    }
    return done;
}
