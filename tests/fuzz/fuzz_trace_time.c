/* tests/fuzz/fuzz_trace_time.c - the trace field parsers of
 * sim/io/trace_time.h on fuzzed text: trace_parse_time() under every time
 * format, trace_time_decimal() at scales 0, 3 and 6, trace_time_is_date()
 * and trace_time_trim(). The input is copied into a buffer of exactly its
 * size (no terminator: the parsers take a length, and ASan catches a read
 * past it). Checks the documented contracts: |time| <= TRACE_ABS_MAX,
 * is_absolute set as the format says, auto agrees with the format it
 * detects. */
#include "fuzz_common.h"

#include "sim/io/trace_time.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *s = malloc(size ? size : 1);
    if (s == NULL)
        return 0;
    if (size > 0)
        memcpy(s, data, size);
    for (int f = TF_AUTO; f <= TF_OFFSET_MS; f++) {
        int64_t us = 0;
        bool abs = false;
        if (trace_parse_time(s, size, (enum time_format)f, &us, &abs) == 0) {
            if (us > TRACE_ABS_MAX || us < -TRACE_ABS_MAX)
                abort();
            if ((f == TF_ISO8601 || f == TF_EPOCH_S || f == TF_EPOCH_MS) &&
                !abs)
                abort();
            if ((f == TF_OFFSET_S || f == TF_OFFSET_MS) && abs)
                abort();
            if (f == TF_AUTO) {
                /* auto = ISO 8601 for a date, else offset seconds. */
                const char *ts = s;
                size_t tn = size;
                trace_time_trim(&ts, &tn); /* is_date takes trimmed text */
                enum time_format g =
                    trace_time_is_date(ts, tn) ? TF_ISO8601 : TF_OFFSET_S;
                int64_t us2 = 0;
                bool abs2 = false;
                if (trace_parse_time(s, size, g, &us2, &abs2) != 0 ||
                    us2 != us || abs2 != abs)
                    abort();
            }
        }
        (void)trace_parse_time(s, size, (enum time_format)f, &us, NULL);
        (void)trace_time_expected((enum time_format)f, f == TF_AUTO);
    }
    const char *t = s;
    size_t n = size;
    trace_time_trim(&t, &n);
    for (int scale = 0; scale <= 6; scale += 3) {
        int64_t v = 0;
        bool exact = false;
        if (trace_time_decimal(t, n, scale, &v, &exact) == 0 &&
            (v > TRACE_ABS_MAX || v < -TRACE_ABS_MAX))
            abort();
    }
    (void)trace_time_is_date(t, n);
    free(s);
    return 0;
}
