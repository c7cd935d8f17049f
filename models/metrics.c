/* models/metrics.c - per-replication measurements (see metrics.h). The
 * workload is one call per message event, so everything here is O(1) and
 * allocation-free after metrics_init(). */
#include "models/metrics.h"

#include <string.h>

int metrics_init(struct metrics *m, sim_time warmup, double backlog_slo)
{
    memset(m, 0, sizeof *m);
    m->warmup = warmup;
    m->last_done = -1;
    twa_init(&m->backlog, warmup, backlog_slo);
    twa_init(&m->running, warmup, (double)INFINITY);
    if (qhist_init(&m->wait) != 0 || qhist_init(&m->latency) != 0) {
        metrics_fini(m);
        return SIM_ENOMEM;
    }
    return SIM_OK;
}

void metrics_fini(struct metrics *m)
{
    qhist_fini(&m->wait);
    qhist_fini(&m->latency);
}

int64_t metrics_message_in(struct metrics *m)
{
    return m->messages++;
}

void metrics_count(struct metrics *m, enum metric_event e, int64_t n)
{
    switch (e) {
    case MET_COMPLETED: m->completed += n; break;
    case MET_DEAD_LETTERED: m->dead_lettered += n; break;
    case MET_EXPIRED: m->expired += n; break;
    case MET_LOST: m->lost += n; break;
    case MET_DUPLICATE_DELIVERY: m->duplicate_deliveries += n; break;
    case MET_DUPLICATE_COMPLETION: m->duplicate_completions += n; break;
    case MET_EXECUTION: m->executions += n; break;
    case MET_EMPTY_EXECUTION: m->empty_executions += n; break;
    case MET_FAILED_EXECUTION: m->failed_executions += n; break;
    case MET_TIMED_OUT_EXECUTION: m->timed_out_executions += n; break;
    }
}

void metrics_message_out(struct metrics *m, sim_time now)
{
    m->last_done = now;
}

void metrics_backlog(struct metrics *m, sim_time now, double level)
{
    twa_set(&m->backlog, now, level);
}

void metrics_running(struct metrics *m, sim_time now, double level)
{
    twa_set(&m->running, now, level);
}

void metrics_downstream_busy(struct metrics *m, int64_t busy)
{
    if (busy > m->downstream_peak)
        m->downstream_peak = busy;
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
