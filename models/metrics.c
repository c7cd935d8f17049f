/* sim/metrics.c - per-replication measurements (see metrics.h). The
 * workload is one call per message event, so everything here is O(1) and
 * allocation-free after metrics_init(). */
#include "models/metrics.h"

#include <string.h>

int metrics_init(struct metrics *m, sim_time warmup, double backlog_slo,
                 sim_time sample_interval)
{
    memset(m, 0, sizeof *m);
    m->warmup = warmup;
    m->last_done = -1;
    twa_init(&m->backlog, warmup, backlog_slo);
    twa_init(&m->running, warmup, (double)INFINITY); /* issue 7 */
    if (qhist_init(&m->wait) != 0 || qhist_init(&m->latency) != 0) {
        metrics_fini(m);
        return SIM_ENOMEM;
    }
    m->sampling = sample_interval > 0;
    m->sample_interval = sample_interval;
    m->next_sample = 0;
    return SIM_OK;
}

void metrics_fini(struct metrics *m)
{
    qhist_fini(&m->wait);
    qhist_fini(&m->latency);
}

void metrics_wait(struct metrics *m, sim_time arrival, sim_time now)
{
    if (arrival >= m->warmup)
        qhist_add(&m->wait, sim_to_s(now - arrival));
}

void metrics_latency(struct metrics *m, sim_time arrival, sim_time now)
{
    if (arrival >= m->warmup)
        qhist_add(&m->latency, sim_to_s(now - arrival));
}
