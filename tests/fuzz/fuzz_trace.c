/* tests/fuzz/fuzz_trace.c - the streaming CSV trace reader (sim/io/trace.h)
 * on a fuzzed file, under every layout and time format.
 *
 * Input layout: byte 0 picks format (byte % 3: events, counts, counts_wide)
 * and time_format ((byte / 3) % 6: auto, iso8601, epoch_s, epoch_ms,
 * offset_s, offset_ms); byte 1 the columns (bits 0-1 time_column: first |
 * "1" | "2" | "TIMESTAMP"; bits 2-3 count_column: second | "2" | "count" |
 * "3"; bit 4 duration_column "2" for events) and bits 5-7 the interval
 * (60 s, 1 us, 1 s, 1e11 s, 2^62 us, 1 h, 1 ms, 7 us); byte 2
 * first_count_column (bits 0-1: default | "3" | "480" | "2") and the
 * counts_wide filter (bits 2-3: none | 2 = "q" | Trigger = "queue" |
 * 1 = ""). The rest is written to a mkstemp file in /tmp (unlinked after)
 * and read through trace_open / trace_next or trace_next_count (at most
 * 20,000 rows) / trace_close. The struct scn_trace is filled directly, as
 * tests/unit/test_trace.c does. */
#include "fuzz_common.h"

#include "sim/io/trace.h"

#define MAX_ROWS 20000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3 || size > 256 * 1024)
        return 0;
    static const char *const time_cols[] = {NULL, "1", "2", "TIMESTAMP"};
    static const char *const count_cols[] = {NULL, "2", "count", "3"};
    static const char *const first_cols[] = {NULL, "3", "480", "2"};
    static const sim_time intervals[] = {
        60 * SIM_US_PER_S, 1, SIM_US_PER_S, INT64_C(100000000000) * SIM_US_PER_S,
        INT64_C(1) << 62, 3600 * SIM_US_PER_S, 1000, 7,
    };
    char path[128];
    if (fz_write_temp(data + 3, size - 3, ".csv", path, sizeof path) != 0)
        return 0;

    struct scn_trace c;
    memset(&c, 0, sizeof c);
    c.path = path;
    c.format = (enum trace_format)(data[0] % 3);
    c.time_format = (enum time_format)((data[0] / 3) % 6);
    c.time_column = (char *)(uintptr_t)time_cols[data[1] & 3];
    c.count_column = (char *)(uintptr_t)count_cols[(data[1] >> 2) & 3];
    c.duration_column = (data[1] & 16) ? (char *)(uintptr_t)"2" : NULL;
    c.interval_us = intervals[(data[1] >> 5) & 7];
    c.spread = SPREAD_UNIFORM;
    c.scale = 1.0;
    c.speedup = 1.0;
    c.first_count_column = (char *)(uintptr_t)first_cols[data[2] & 3];
    switch ((data[2] >> 2) & 3) {
    case 1:
        c.filter.column = (char *)(uintptr_t)"2";
        c.filter.equals = (char *)(uintptr_t)"q";
        break;
    case 2:
        c.filter.column = (char *)(uintptr_t)"Trigger";
        c.filter.equals = (char *)(uintptr_t)"queue";
        break;
    case 3:
        c.filter.column = (char *)(uintptr_t)"1";
        c.filter.equals = (char *)(uintptr_t)"";
        break;
    default:
        break;
    }

    struct trace_reader tr;
    struct diag d;
    diag_init(&d);
    if (trace_open(&tr, &c, &d) == 0) {
        for (int i = 0; i < MAX_ROWS; i++) {
            int rc;
            if (c.format == TRACE_EVENTS) {
                struct trace_event ev;
                rc = trace_next(&tr, &ev, &d);
                if (rc == 1 && ev.t_us < 0)
                    abort(); /* trace.h: t_us >= 0 */
            } else {
                sim_time t;
                int64_t n;
                rc = trace_next_count(&tr, &t, &n, &d);
                if (rc == 1 && (n < 0 || t < 0))
                    abort(); /* trace.h: count >= 0, times since zero */
            }
            if (rc != 1)
                break;
        }
        /* The wrong kind of call must be refused, not crash. */
        if (c.format == TRACE_EVENTS) {
            sim_time t;
            int64_t n;
            struct diag d2;
            diag_init(&d2);
            (void)trace_next_count(&tr, &t, &n, &d2);
        }
    }
    trace_close(&tr);
    trace_close(&tr); /* documented safe twice */
    unlink(path);
    return 0;
}
