/* models/result.c - metric table (see result.h). */
#include "models/result.h"

#include "sim/engine/stats.h"

const struct result_metric_info result_metric_info[RM_COUNT] = {
#define RESULT_INFO(name, kind, ci) {#name, RK_##kind, (ci) != 0},
    RESULT_METRICS(RESULT_INFO)
#undef RESULT_INFO
};

const char *const ts_level_name[TS_COUNT] = {
    [TS_VISIBLE] = "visible",
    [TS_IN_FLIGHT] = "in_flight",
    [TS_BACKLOG] = "backlog",
    [TS_PENDING] = "executions_pending",
    [TS_RUNNING] = "executions_running",
    [TS_DOWNSTREAM] = "downstream_busy",
};

/* At most this many intervals in a default time series. */
#define TS_TARGET_INTERVALS 2000

sim_time result_default_sample_interval(sim_time horizon_us,
                                        sim_time poll_us)
{
    static const int64_t nice_s[] = {
        1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800,
        3600, 7200, 10800, 21600, 43200, 86400,
    };
    if (horizon_us <= 0)
        return poll_us;
    /* ceil(horizon / target), in us */
    sim_time want = horizon_us / TS_TARGET_INTERVALS +
                    (horizon_us % TS_TARGET_INTERVALS != 0);
    sim_time pick = 0;
    for (size_t i = 0; i < sizeof nice_s / sizeof nice_s[0]; i++)
        if (nice_s[i] * 1000000 >= want) {
            pick = nice_s[i] * 1000000;
            break;
        }
    for (int64_t day = 86400LL * 1000000, k = 1; pick == 0; k *= 10) {
        /* 1, 2, 5 x 10^k days; horizon_us <= INT64_MAX keeps this finite */
        for (int m = 1; m <= 5 && pick == 0; m += (m == 2 ? 3 : 1))
            if ((double)day * (double)k * m >= (double)want)
                pick = day * k * m;
    }
    return pick > poll_us ? pick : poll_us;
}

const char *exec_status_name(enum exec_status s)
{
    switch (s) {
    case EXEC_SUCCEEDED:
        return "Succeeded";
    case EXEC_FAILED:
        return "Failed";
    case EXEC_STOPPED:
        return "Stopped";
    }
    return "Unknown";
}

double result_latency_quantile(const struct qhist *h, int64_t unfinished,
                               double p)
{
    double n = (double)h->n, u = unfinished > 0 ? (double)unfinished : 0.0;
    if (u == 0.0)
        return qhist_quantile(h, p); /* NAN when nothing completed */
    /* the p-quantile of n finite values and u values at +infinity */
    double q = p * (n + u) / (n > 0.0 ? n : 1.0);
    if (n == 0.0 || q > 1.0)
        return (double)INFINITY;
    return qhist_quantile(h, q > 1.0 ? 1.0 : q);
}

void result_fill_quantiles(const struct qhist *h, int64_t unfinished,
                           struct rep_result *out)
{
    for (int k = 0; k < RESULT_NQ; k++)
        out->latency_q[k] = result_latency_quantile(
            h, unfinished, (double)k / (RESULT_NQ - 1));
}
