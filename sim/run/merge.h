/* sim/run/merge.h - `burstsim merge`: the partial folders of a sharded run
 * (sim/run/shard.h) read back and combined into the results folder, with
 * the same code as a single run (sim/run/finish.h), so the files are
 * byte-identical.
 * Consistency: every manifest must equal the first one except for the
 * shard index; every shard index 1..N must appear once; every
 * (configuration, replication) must be read exactly once and belong to the
 * shard whose folder holds it. Anything else is a usage error (exit 2)
 * naming the folder.
 * Owns:    nothing beyond the call.
 * Errors:  returns a process exit code (sim/run/exit_code.h) and prints
 *          one error line to stderr.
 * Threads: main thread. */
#ifndef SIM_MERGE_H
#define SIM_MERGE_H

#include "sim/engine/common.h"

#include <stdio.h>

/* burstsim merge: combine the partial folders in_dirs[0..n-1] (written by
 * --shard runs of the same scenario, options and shard count, together
 * holding every item once) into the results folder out_dir, identical to
 * the folder a single run writes. table and quiet as in run_opts; check
 * as --check. Returns an exit code like runner_run (2 when the folders do
 * not belong together or miss items). */
int runner_merge(const char *out_dir, const char *const *in_dirs, size_t n,
                 FILE *table, bool quiet, bool check);

#endif
