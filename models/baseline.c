/* models/baseline.c - always-on workers (see baseline.h). */
#include "models/baseline.h"

#include "models/world.h"

#include <gsl/gsl_rng.h>
#include <stdlib.h>
#include <string.h>

#define NIL UINT32_MAX

int base_init(struct sim *s)
{
    struct baseline *b = &s->base;
    memset(b, 0, sizeof *b);
    b->n = (uint32_t)s->scn->baseline.replicas;
    b->w = calloc(b->n ? b->n : 1, sizeof *b->w);
    if (b->w == NULL)
        return SIM_ENOMEM;
    b->idle_head = b->idle_tail = NIL;
    for (uint32_t i = 0; i < b->n; i++) {
        b->w[i].next = NIL;
        if (b->idle_tail == NIL)
            b->idle_head = i;
        else
            b->w[b->idle_tail].next = i;
        b->idle_tail = i;
    }
    return SIM_OK;
}

void base_fini(struct baseline *b)
{
    free(b->w);
    b->w = NULL;
}

void base_message_available(struct sim *s)
{
    struct baseline *b = &s->base;
    uint32_t i = b->idle_head;
    if (i == NIL)
        return;
    b->idle_head = b->w[i].next;
    if (b->idle_head == NIL)
        b->idle_tail = NIL;
    b->w[i].next = NIL;
    b->w[i].receive_scheduled = true;
    sim_schedule(s, s->now, EV_CLAIM, i, 0);
}

/* Worker i looks for a message: takes one, or goes back to the idle FIFO. */
static void take(struct sim *s, uint32_t i)
{
    struct baseline *b = &s->base;
    struct worker *w = &b->w[i];
    w->receive_scheduled = false;
    if (!source_receive(s, &w->slot, &w->receipt)) {
        w->next = NIL;
        if (b->idle_tail == NIL)
            b->idle_head = i;
        else
            b->w[b->idle_tail].next = i;
        b->idle_tail = i;
        return;
    }
    struct msg *m = source_msg(&s->src, w->slot);
    w->busy = true;
    w->id = m->id;
    w->arrival = m->arrival;
    w->started = s->now;
    if (m->first_start < 0) {
        m->first_start = s->now;
        metrics_wait(&s->met, m->arrival, s->now);
    }
    sim_schedule(s, s->now + sim_from_s(m->duration_s), EV_WORK_DONE, i, 0);
}

void base_on_event(struct sim *s, const struct event *ev)
{
    struct baseline *b = &s->base;
    if (ev->target >= b->n)
        return;
    struct worker *w = &b->w[ev->target];
    if (ev->kind == EV_CLAIM) {
        take(s, ev->target);
        return;
    }
    /* EV_WORK_DONE */
    w->busy = false;
    b->busy_us += s->now - w->started;
    double p = s->scn->job.failure_probability;
    if (p > 0.0 && gsl_rng_uniform(stream_get(&s->st, ST_FAILURE)) < p)
        source_release(s, w->slot, w->receipt);
    else
        source_complete(s, w->slot, w->receipt, w->id, w->arrival);
    take(s, ev->target);
}

double base_cost(const struct sim *s, sim_time span_us)
{
    const struct scn_baseline *bl = &s->scn->baseline;
    const struct scn_cost *c = &s->scn->cost;
    double busy = sim_to_s(s->base.busy_us);
    double all = sim_to_s(span_us) * (double)s->base.n;
    double idle = all > busy ? all - busy : 0.0;
    double active_rate = bl->cpu * c->vcpu_second + bl->memory_gib * c->gib_second;
    double idle_rate = bl->cpu * bl->idle_vcpu_second +
                       bl->memory_gib * c->gib_second;
    double ops = (double)s->met.messages * c->message_ops / 10000.0 *
                 c->ops_price_per_10k;
    return busy * active_rate + idle * idle_rate + ops;
}
