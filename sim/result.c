/* sim/result.c - metric table (see result.h). */
#include "sim/result.h"

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
