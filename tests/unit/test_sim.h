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
#include "sim/io/trace_feed.h"

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

/* Run replication rep of scn into *out, with optional sinks (io may be
 * NULL; traces are always read with the CSV feed). */
static inline void test_run(const struct scenario *scn, uint32_t rep,
                            const struct world_io *io,
                            struct rep_result *out)
{
    struct world *s = malloc(sizeof *s);
    assert_non_null(s);
    struct world_io w = {0};
    if (io != NULL)
        w = *io;
    w.feed = &trace_feed;
    struct diag d;
    diag_init(&d);
    assert_int_equal(world_init(s, scn, rep, &w, &d), 0);
    assert_int_equal(world_run(s, out, &d), 0);
    world_fini(s);
    free(s);
}

#endif
