/* tests/fuzz/fuzz_values.c - the scenario value parsers of
 * sim/io/scenario.h on fuzzed text: scn_parse_duration(),
 * scn_parse_memory(), scn_parse_rate(). The input is copied into a
 * NUL-terminated buffer of exactly size + 1 bytes. Checks the documented
 * contracts on success: a duration is >= 0, memory and rate are finite and
 * >= 0. */
#include "fuzz_common.h"

#include "sim/io/scenario.h"

#include <math.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *s = fz_cstr(data, size);
    if (s == NULL)
        return 0;
    sim_time t = 0;
    if (scn_parse_duration(s, &t) == 0 && t < 0)
        abort();
    double gib = 0.0;
    if (scn_parse_memory(s, &gib) == 0 && !(isfinite(gib) && gib >= 0.0))
        abort();
    double rate = 0.0;
    if (scn_parse_rate(s, &rate) == 0 && !(isfinite(rate) && rate >= 0.0))
        abort();
    free(s);
    return 0;
}
