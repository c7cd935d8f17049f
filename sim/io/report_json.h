/* sim/io/report_json.h - summary.json, the machine-readable summary of a
 * results folder (written with jansson; `burstsim plot` reads it back).
 * Units:   metrics in their own units; the scenario as scn_to_json prints
 *          it (seconds, GiB, vCPU).
 * Owns:    nothing; the call creates, writes and closes the file.
 * Errors:  0 / SIM_EIO with diag naming the file, or SIM_ENOMEM.
 * Threads: no globals. */
#ifndef SIM_REPORT_JSON_H
#define SIM_REPORT_JSON_H

#include "sim/io/report.h"

/* summary.json: {"burstsim": version, "generator": "mt19937", "seed": ...,
 * "replications": scn->replications, "scenario": scn_to_json(scn), "axes":
 * [...], "configs": [{"config": label, "values": {axis: value as written,
 * a string}, "replications": n, "metrics": {name: {"mean", "ci95"}},
 * "slo_met"}]} written with jansson (indent 2, keys in this order, final
 * newline). Every metric has both "mean" and "ci95" (also those without a
 * _ci95 column in summary.csv); NAN or infinite values and slo_met = -1 are
 * null. in->scn may be NULL (seed, replications and scenario are then
 * null). Returns 0, SIM_EIO, or SIM_ENOMEM. */
int report_write_summary_json(const char *dir, const struct report_input *in,
                              struct diag *d);

#endif
