/* models/baseline.c - always-on workers (see baseline.h). */
#include "models/baseline.h"

#include "models/cost.h"
#include "models/events.h"

#include <stdlib.h>
#include <string.h>

int base_init(struct baseline *b, const struct base_env *env)
{
    memset(b, 0, sizeof *b);
    b->env = *env;
    b->n = (uint32_t)env->scn->baseline.replicas;
    b->w = calloc(b->n ? b->n : 1, sizeof *b->w);
    id_fifo_init(&b->idle);
    if (b->w == NULL)
        return SIM_ENOMEM;
    for (uint32_t i = 0; i < b->n; i++)
        if (id_fifo_push(&b->idle, i) != SIM_OK)
            return SIM_ENOMEM;
    return SIM_OK;
}

void base_fini(struct baseline *b)
{
    free(b->w);
    b->w = NULL;
    id_fifo_fini(&b->idle);
}

void base_message_available(struct baseline *b)
{
    uint32_t i = id_fifo_pop(&b->idle);
    if (i == POOL_NIL)
        return;
    b->w[i].receive_scheduled = true;
    engine_schedule(b->env.eng, b->env.eng->now, EV_CLAIM, i, 0);
}

/* Worker i looks for a message: takes one, or goes back to the idle FIFO. */
static void take(struct baseline *b, uint32_t i)
{
    struct worker *w = &b->w[i];
    sim_time now = b->env.eng->now;
    w->receive_scheduled = false;
    if (!source_receive(b->env.src, &w->slot, &w->receipt)) {
        SIM_ASSERT(id_fifo_push(&b->idle, i) == SIM_OK); /* out of memory */
        return;
    }
    const struct msg *m = source_msg(b->env.src, w->slot);
    w->busy = true;
    w->id = m->id;
    w->arrival = m->arrival;
    w->started = now;
    if (source_start(b->env.src, w->slot, m->id) > 0)
        metrics_wait(b->env.met, m->arrival, now);
    engine_schedule(b->env.eng, now + sim_from_s(m->duration_s), EV_WORK_DONE,
                    i, 0);
}

int base_on_event(void *model, const struct event *ev, struct diag *d)
{
    (void)d;
    struct baseline *b = model;
    if (ev->target >= b->n)
        return SIM_OK;
    struct worker *w = &b->w[ev->target];
    if (ev->kind == EV_CLAIM) {
        take(b, ev->target);
        return SIM_OK;
    }
    /* EV_WORK_DONE */
    w->busy = false;
    b->busy_us += b->env.eng->now - w->started;
    double p = b->env.scn->job.failure_probability;
    if (p > 0.0 && gsl_rng_uniform(b->env.failure_rng) < p)
        source_release(b->env.src, w->slot, w->receipt);
    else
        source_complete(b->env.src, w->slot, w->receipt, w->id, w->arrival);
    take(b, ev->target);
    return SIM_OK;
}

double base_cost(const struct baseline *b, sim_time span_us,
                 sim_time arrival_us)
{
    const struct scenario *scn = b->env.scn;
    const struct scn_baseline *bl = &scn->baseline;
    const struct scn_cost *c = &scn->cost;
    double busy = sim_to_s(b->busy_us);
    double all = sim_to_s(span_us) * (double)b->n;
    double idle = all > busy ? all - busy : 0.0;
    /* vCPU-seconds at the active and at the idle rate, GiB-seconds (one
     * rate for both). */
    double vcpu_active = busy * bl->cpu, vcpu_idle = idle * bl->cpu;
    double gib = (busy + idle) * bl->memory_gib;
    double share = cost_grant_share(scn, arrival_us);
    if (share > 0.0) {
        /* The whole prorated grant, as for the job (cost_grant_share);
         * vCPU-seconds: the active ones (the dearer rate) first. */
        double g = COST_GRANT_VCPU_S * share;
        double a = fmin(vcpu_active, g);
        vcpu_active -= a;
        vcpu_idle = fmax(0.0, vcpu_idle - (g - a));
        gib = fmax(0.0, gib - COST_GRANT_GIB_S * share);
    }
    double ops = (double)b->env.met->messages * c->message_ops;
    return vcpu_active * c->vcpu_second + vcpu_idle * bl->idle_vcpu_second +
           gib * c->gib_second + cost_ops_usd(scn, ops, arrival_us);
}
