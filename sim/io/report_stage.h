/* sim/io/report_stage.h - the staging folder of a results folder
 * (docs/scenario-format.md "Results folder"): results are written into
 * "<final_dir>.tmp-<pid>" and renamed into place at the end, so readers
 * never see a half-written or mixed folder.
 * Units:   paths are NUL-terminated; at most OUTFILE_PATH_MAX bytes.
 * Owns:    the caller owns the tmp buffer; the folders are on disk only.
 * Errors:  0 / SIM_EIO (or SIM_EINVAL: a final_dir that is not ours to
 *          replace) with diag naming the path and strerror(errno).
 * Threads: no globals; call from one thread per results folder (the
 *          runner's signal guard may call report_stage_abort). */
#ifndef SIM_REPORT_STAGE_H
#define SIM_REPORT_STAGE_H

#include "sim/engine/common.h"

/* Create a fresh staging folder for final_dir: "<final_dir>.tmp-<pid>"
 * (parents of final_dir are created as needed; trailing slashes of
 * final_dir are ignored; a stale folder of that name is removed first),
 * with a "parts/" subfolder. The path is written to tmp (size n; too small
 * is SIM_EIO "File name too long"). Returns 0, SIM_EIO, or SIM_EINVAL when
 * final_dir exists and is not a folder, or holds other files than burstsim
 * results (no summary.json or manifest.json); on failure no staging folder
 * is left (parents already created stay). */
int report_stage_begin(const char *final_dir, char *tmp, size_t n,
                       struct diag *d);

/* Move the staging folder into place: an existing final_dir is replaced
 * (renamed aside to "<final_dir>.old-<pid>", then removed) so readers never
 * see a mix; "parts/" is removed first. If the move fails the old folder is
 * put back. If the old folder cannot be removed once the new one is in
 * place, it is left as "<final_dir>.old-<pid>" and 0 is returned (the
 * results are complete). Returns 0 or SIM_EIO. */
int report_stage_commit(const char *tmp, const char *final_dir,
                        struct diag *d);

/* Remove the staging folder and everything in it (after a failed run).
 * Does not follow symbolic links; a missing folder is not an error. */
void report_stage_abort(const char *tmp);

#endif
