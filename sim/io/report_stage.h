/* sim/io/report_stage.h - the staging folder of a results folder
 * (docs/scenario-format.md "Results folder"): results are written into
 * "<final_dir>.tmp-<pid>" and renamed into place at the end, so readers
 * never see a half-written or mixed folder.
 * Ownership: a folder burstsim wrote holds the marker ".burstsim" (JSON:
 * "kind": "burstsim-results", "files": every file and folder it wrote,
 * folders ending in "/"). Only such a folder (or an empty one) is
 * replaced, only while it holds nothing but the listed files, and
 * replacing removes exactly the listed files. A lock file
 * "<final_dir>.lock" (flock) beside it keeps two runs from writing the
 * same folder at once.
 * Units:   paths are NUL-terminated; at most OUTFILE_PATH_MAX bytes.
 * Owns:    the caller owns the tmp buffer; the folders are on disk only.
 * Errors:  0 / SIM_EIO (or SIM_EINVAL: a final_dir that is not ours to
 *          replace) with diag naming the path and strerror(errno).
 * Threads: no globals; call from one thread per results folder (the
 *          runner's signal guard may call report_stage_abort). */
#ifndef SIM_REPORT_STAGE_H
#define SIM_REPORT_STAGE_H

#include "sim/engine/common.h"

/* Lock held on "<final_dir>.lock" while a run writes final_dir. */
struct report_lock {
    int fd;                        /* -1 when not held */
    char path[4096 + 8];
};

/* Take the lock of results folder final_dir: create "<final_dir>.lock"
 * (an empty file; parents of final_dir are created as needed) and flock it
 * without waiting. Returns 0 or SIM_EIO with diag naming the path: a
 * file system error (strerror), or another run holding the lock
 * ("another burstsim run is writing this results folder"). A
 * "<final_dir>.lock" that is not an empty regular file is not ours:
 * SIM_EINVAL, and it is left alone. */
int report_stage_lock(const char *final_dir, struct report_lock *l,
                      struct diag *d);

/* Release the lock and remove its file (removed while still held, so a
 * run waiting on the same file sees it gone and retries). Safe on a lock
 * that was never taken (fd -1) and from the signal guard thread. */
void report_stage_unlock(struct report_lock *l);

/* Check that folder dir may be replaced by new results: it does not
 * exist, is empty, or holds a ".burstsim" marker listing every file and
 * folder in it. Returns 0 or SIM_EINVAL with diag naming the folder and
 * the first file burstsim did not write (or the bad marker). */
int report_stage_check_owned(const char *dir, struct diag *d);

/* Check that dir is a whole results folder burstsim wrote (for `burstsim
 * plot`): a folder with a valid ".burstsim" marker and summary.json.
 * Returns 0 or SIM_EINVAL with d naming dir (nothing is written). */
int report_stage_check_results(const char *dir, struct diag *d);

/* What "<dir>/<sub>" holds (sub a relative folder ending in "/"), with
 * each entry's inode, size and modification time; for
 * report_stage_mark_written. Returns 0 or an errno value. */
struct report_snap {
    void *priv;
};
int report_stage_snap(const char *dir, const char *sub,
                      struct report_snap *s);
void report_stage_snap_free(struct report_snap *s);

/* Add to the ".burstsim" marker of results folder dir every entry of
 * "<dir>/<sub>" created or changed since snapshot before (and the folders
 * they are in), so a later -o dir replaces them; an entry that was there
 * and untouched (a user's file) is not claimed. The marker is rewritten
 * atomically (temporary file, rename). Returns 0, SIM_EINVAL (bad
 * marker) or SIM_EIO with d set. */
int report_stage_mark_written(const char *dir, const char *sub,
                              const struct report_snap *before,
                              struct diag *d);

/* Create a fresh staging folder for final_dir: "<final_dir>.tmp-<pid>"
 * (parents of final_dir are created as needed; trailing slashes of
 * final_dir are ignored; a stale staging folder of that name, marked by
 * its ".burstsim-staging" file, is removed first), with a "parts/"
 * subfolder. The path is written to tmp (size n; too small is SIM_EIO
 * "File name too long"). Returns 0, SIM_EIO, or SIM_EINVAL when final_dir
 * exists and is not a folder, or is not a folder burstsim wrote
 * (report_stage_check_owned); on failure no staging folder is left
 * (parents already created stay). Call with the lock of final_dir held
 * (report_stage_lock): every "<final>.tmp-*" staging folder (with its
 * marker) and "<final>.old-*" folder beside it is then stale, whatever
 * its pid, and is removed (only the files their markers list). */
int report_stage_begin(const char *final_dir, char *tmp, size_t n,
                       struct diag *d);

/* Move the staging folder into place: "parts/" and the staging marker are
 * removed, the ".burstsim" marker listing every file of tmp is written
 * (and checked), an existing final_dir is checked again
 * (report_stage_check_owned: SIM_EINVAL, nothing moved), renamed aside to
 * "<final_dir>.old-<pid>", the new folder renamed into place, and the
 * files the old marker lists removed, so readers never see a mix. If the
 * move fails the old folder is put back. If the old folder cannot be
 * removed once the new one is in place (a file appeared in it), it is left
 * as "<final_dir>.old-<pid>" and 0 is returned (the results are complete).
 * Returns 0, SIM_EIO or SIM_EINVAL. */
int report_stage_commit(const char *tmp, const char *final_dir,
                        struct diag *d);

/* Remove the staging folder and everything in it (after a failed run).
 * Does not follow symbolic links; a missing folder is not an error. Only
 * for folders burstsim created itself (the staging folder, test trees). */
void report_stage_abort(const char *tmp);

#endif
