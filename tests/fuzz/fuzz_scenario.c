/* tests/fuzz/fuzz_scenario.c - the scenario loader on fuzzed YAML text.
 *
 * Per input: scn_load_string(input) (no overrides; base_dir
 * tests/fuzz/data, so `empirical: {path: durations.csv}` loads);
 * if it loads, scn_check_supported(), scn_to_json(), then scn_print_yaml()
 * to a memstream and the printed text is loaded again (the round trip of
 * `burstsim validate`, issue 11 defect 16) and printed again.
 *
 * Round-trip policy: the printed YAML of a loaded scenario must load, and
 * print to the same text. A failure of either is a finding, and by default
 * it aborts (so libFuzzer saves the input as a crash and run.sh fails): the
 * issue's "done when" requires zero. With BURSTSIM_FUZZ_ROUNDTRIP=report in
 * the environment the failure is printed to stderr ("roundtrip: ...") and
 * the run goes on, to look for crashes behind a known round-trip defect. */
#include "fuzz_common.h"

#include "sim/io/scenario.h"
#include "sim/io/support.h"

#include <jansson.h>

#define FUZZ_FILE "fuzz.yaml"
/* Relative paths (empirical.path) resolve here: run from the repository
 * root (run.sh does), where data/durations.csv is found. */
#define FUZZ_BASE "tests/fuzz/data"

/* Print scn as YAML into a fresh buffer (*out, *len); 0 or -1. */
static int print_to_mem(const struct scenario *scn, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    FILE *m = open_memstream(out, len);
    if (m == NULL)
        return -1;
    int rc = scn_print_yaml(m, scn);
    if (fclose(m) != 0)
        rc = -1;
    if (rc != 0) {
        free(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

static void roundtrip_failure(const char *what, const struct diag *d,
                              const char *printed)
{
    char buf[1400];
    fprintf(stderr, "roundtrip: %s\n", what);
    if (d != NULL)
        fprintf(stderr, "roundtrip: %s\n", diag_format(d, buf, sizeof buf));
    fprintf(stderr, "roundtrip: printed text:\n%s\n", printed);
    const char *mode = getenv("BURSTSIM_FUZZ_ROUNDTRIP");
    if (mode == NULL || strcmp(mode, "report") != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    char *text = fz_cstr(data, size);
    if (text == NULL)
        return 0;
    struct scenario scn;
    struct diag d;
    int rc = scn_load_string(&scn, text, FUZZ_FILE, FUZZ_BASE, NULL, 0, &d);
    free(text);
    if (rc != 0)
        return 0; /* *scn zeroed on failure: nothing to free */
    struct diag d2;
    diag_init(&d2);
    (void)scn_check_supported(&scn, &d2);
    json_t *j = scn_to_json(&scn);
    if (j != NULL) {
        char *s = json_dumps(j, JSON_COMPACT);
        free(s);
        json_decref(j);
    }
    char *p1 = NULL, *p2 = NULL;
    size_t n1 = 0, n2 = 0;
    if (print_to_mem(&scn, &p1, &n1) == 0) {
        struct scenario again;
        struct diag d3;
        if (scn_load_string(&again, p1, FUZZ_FILE, FUZZ_BASE, NULL, 0, &d3)
            != 0) {
            roundtrip_failure("printed scenario does not load", &d3, p1);
        } else {
            if (print_to_mem(&again, &p2, &n2) == 0 &&
                (n1 != n2 || memcmp(p1, p2, n1) != 0))
                roundtrip_failure("printed scenario reloads to a different "
                                  "scenario (second print differs)",
                                  NULL, p1);
            scn_fini(&again);
        }
    }
    free(p1);
    free(p2);
    scn_fini(&scn);
    return 0;
}
