/* models/result.c - metric table (see result.h). */
#include "models/result.h"

#include "sim/engine/stats.h"

const struct result_metric_info result_metric_info[RM_COUNT] = {
#define RESULT_INFO(name, kind, ci) {#name, RK_##kind, (ci) != 0},
    RESULT_METRICS(RESULT_INFO)
#undef RESULT_INFO
};

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

void result_fill_quantiles(const struct qhist *h, struct rep_result *out)
{
    for (int k = 0; k < RESULT_NQ; k++)
        out->latency_q[k] = qhist_quantile(h, (double)k / (RESULT_NQ - 1));
}
