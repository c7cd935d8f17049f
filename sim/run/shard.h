/* sim/run/shard.h - the partial results folder of one shard of a run
 * (--shard I/N), which `burstsim merge` (sim/run/merge.h) combines.
 * A partial folder holds manifest.json (the scenario text, file name and
 * folder, the --set overrides, the --vary axes, shard I of N and the
 * number of configurations and replications), replications.csv and
 * latency_raw.csv with the rows of its items (numbers written so they read
 * back to the same doubles), and shard-parts/ with its timeseries and
 * executions part files. The merge rebuilds the plan from the manifest,
 * reads every item back and writes the results folder with the same code
 * as a single run, so the files are byte-identical.
 * Owns:    nothing; the files are on disk.
 * Errors:  0 / negative SIM_E* with d set.
 * Threads: no globals. */
#ifndef SIM_SHARD_H
#define SIM_SHARD_H

#include "sim/run/plan.h"

#include <jansson.h>

/* The "kind" of a shard manifest, checked by the merge. */
#define MANIFEST_KIND "burstsim-shard"

/* Write "<dir>/manifest.json" for shard index of count of plan p. */
int shard_write_manifest(const char *dir, const struct runner_plan *p,
                         uint32_t index, uint32_t count, struct diag *d);

/* Check manifest m (read from file path) fully before anything uses it:
 * an object with exactly the keys shard_write_manifest writes, each of
 * its type and range ("kind" MANIFEST_KIND; "shard" 1..shards; "shards"
 * 1..SHARD_MAX; "configs" and "replications" >= 1; strings for
 * "burstsim", "scenario_file", "base_dir", "scenario_text"; "set" a list
 * of [path, value] string pairs; "vary" a list of {"path": non-empty
 * string, "values": non-empty list of strings}). Returns 0 or SIM_EINVAL
 * with d naming path and the key ("vary[0].values: expected a non-empty
 * list of strings"). */
int shard_check_manifest(const json_t *m, const char *path, struct diag *d);

/* Largest shard count a manifest may give. */
#define SHARD_MAX 1000000

/* Rename "<dir>/parts" to "<dir>/shard-parts" (report_stage_commit
 * removes "parts"); a missing parts folder is not an error. */
int shard_keep_parts(const char *dir, struct diag *d);

#endif
