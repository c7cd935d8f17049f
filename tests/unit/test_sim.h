/* tests/unit/test_sim.h - helpers for whole-replication tests: load a
 * scenario from YAML text (printing the diagnostic on failure) and run one
 * replication. Include after <cmocka.h>. */
#ifndef TEST_SIM_H
#define TEST_SIM_H

#include <stdio.h>
#include <stdlib.h>

#include "sim/io/scenario.h"
#include "models/world.h"
#include "sim/io/support.h"

/* Load YAML text as "test.yaml" with overrides, and check that the model
 * supports it. Returns 0 or the SIM_E* code (after printing the error). */
static inline int test_load(struct scenario *scn, const char *yaml,
                            const struct scn_override *ov, size_t n_ov)
{
    struct diag d;
    diag_init(&d);
    int rc = scn_load_string(scn, yaml, "test.yaml", ".", ov, n_ov, &d);
    if (rc == 0)
        rc = scn_check_supported(scn, &d);
    if (rc != 0) {
        char buf[2048];
        fprintf(stderr, "%s\n", diag_format(&d, buf, sizeof buf));
    }
    return rc;
}

/* Run replication rep of scn into *out, with optional sinks. */
static inline void test_run(const struct scenario *scn, uint32_t rep,
                            const struct sim_sinks *sinks,
                            struct rep_result *out)
{
    struct sim *s = malloc(sizeof *s);
    assert_non_null(s);
    struct diag d;
    diag_init(&d);
    assert_int_equal(sim_init(s, scn, rep, sinks, &d), 0);
    assert_int_equal(sim_run(s, out, &d), 0);
    sim_fini(s);
    free(s);
}

#endif
