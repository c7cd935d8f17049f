/* sim/io/report_stage.c - the staging folder of a results folder (see
 * report_stage.h).
 *
 * Everything is written into "<final>.tmp-<pid>" and renamed into place by
 * report_stage_commit(): a failed or interrupted run never leaves a
 * half-written results folder where the previous good one was. Folders of
 * runs that were killed ("<final>.tmp-<pid>" or ".old-<pid>" whose pid is
 * gone) are removed at the next run. Workload: a few system calls per run;
 * removing a folder walks it (rm -rf) without following symbolic links. */
#include "sim/io/report_stage.h"

#include "sim/io/outfile.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
/* ---- folders ----------------------------------------------------------- */

/* Create folder path and its missing parents (mkdir -p). Returns 0 or an
 * errno value; an existing folder is success, an existing non-folder is
 * ENOTDIR / EEXIST. */
static int mkdir_p(const char *path)
{
    char buf[OUTFILE_PATH_MAX];
    if (outfile_join(buf, sizeof buf, path, "") != 0)
        return ENAMETOOLONG;
    size_t len = strlen(buf);
    for (size_t i = 1; i <= len; i++) {
        if (buf[i] != '/' && buf[i] != '\0')
            continue;
        if (buf[i - 1] == '/')      /* "a//b" or a trailing slash */
            continue;
        char c = buf[i];
        buf[i] = '\0';
        if (mkdir(buf, 0777) != 0) {
            int e = errno;
            struct stat st;
            if (e != EEXIST)
                return e;
            if (stat(buf, &st) != 0)
                return errno;
            if (!S_ISDIR(st.st_mode))
                return ENOTDIR;
        }
        buf[i] = c;
    }
    return 0;
}

/* Remove path and, when it is a folder, everything below it, without
 * following symbolic links (rm -rf). Child paths live on the heap so deep
 * trees do not grow the stack by a path buffer per level. Returns 0 (also
 * when path does not exist) or the first errno value met; it keeps going
 * after an error so as much as possible is removed. */
static int rm_rf(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : errno;
    if (!S_ISDIR(st.st_mode))
        return (unlink(path) == 0 || errno == ENOENT) ? 0 : errno;

    DIR *dir = opendir(path);
    if (dir == NULL)
        return errno;
    int err = 0;
    size_t plen = strlen(path);
    for (;;) {
        errno = 0;
        struct dirent *e = readdir(dir);
        if (e == NULL) {
            if (errno != 0 && err == 0)
                err = errno;
            break;
        }
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        size_t n = plen + 1 + strlen(e->d_name) + 1;
        char *child = malloc(n);
        if (child == NULL) {
            err = err != 0 ? err : ENOMEM;
            break;
        }
        snprintf(child, n, "%s/%s", path, e->d_name);
        int r = rm_rf(child);
        free(child);
        if (r != 0 && err == 0)
            err = r;
    }
    closedir(dir);
    if (rmdir(path) != 0 && err == 0)
        err = errno;
    return err;
}

/* Copy final_dir into buf without trailing slashes ("out/" -> "out"), so
 * suffixes attach to the folder name. Returns 0 or ENAMETOOLONG / EINVAL
 * (empty or root). */
static int strip_slashes(char *buf, size_t n, const char *final_dir)
{
    if (outfile_join(buf, n, final_dir, "") != 0)
        return ENAMETOOLONG;
    size_t len = strlen(buf);
    while (len > 0 && buf[len - 1] == '/')
        buf[--len] = '\0';
    return len == 0 ? EINVAL : 0;
}

/* ---- staging ----------------------------------------------------------- */

/* True when folder `dir` may be replaced by new results: it is empty, or
 * it holds burstsim results (summary.json) or a shard (manifest.json). */
static bool replaceable(const char *dir)
{
    DIR *dh = opendir(dir);
    if (dh == NULL)
        return false;
    bool empty = true, ours = false;
    struct dirent *de;
    while ((de = readdir(dh)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        empty = false;
        if (strcmp(de->d_name, "summary.json") == 0 ||
            strcmp(de->d_name, "manifest.json") == 0)
            ours = true;
    }
    closedir(dh);
    return empty || ours;
}

/* Remove "<base>.tmp-<pid>" and "<base>.old-<pid>" folders next to `final`
 * left by runs that were killed (their pid no longer exists). */
static void remove_stale(const char *final)
{
    char dir[OUTFILE_PATH_MAX], path[OUTFILE_PATH_MAX * 2];
    const char *slash = strrchr(final, '/');
    const char *base = slash ? slash + 1 : final;
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - final) : 1,
             slash ? final : ".");
    if (slash == final)
        snprintf(dir, sizeof dir, "/");
    size_t bl = strlen(base);
    DIR *dh = opendir(dir);
    if (dh == NULL)
        return;
    struct dirent *de;
    while ((de = readdir(dh)) != NULL) {
        const char *nm = de->d_name;
        if (strncmp(nm, base, bl) != 0 || (strncmp(nm + bl, ".tmp-", 5) != 0 &&
                                           strncmp(nm + bl, ".old-", 5) != 0))
            continue;
        char *end;
        long pid = strtol(nm + bl + 5, &end, 10);
        if (*end != '\0' || pid <= 0 || pid == (long)getpid())
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue; /* that run is still going */
        snprintf(path, sizeof path, "%s/%s", dir, nm);
        rm_rf(path);
    }
    closedir(dh);
}

int report_stage_begin(const char *final_dir, char *tmp, size_t n,
                       struct diag *d)
{
    char final[OUTFILE_PATH_MAX], parts[OUTFILE_PATH_MAX + 8];
    int e = strip_slashes(final, sizeof final, final_dir);
    if (e != 0)
        return outfile_fail(d, final_dir, "bad results folder", e);

    /* Never replace what is not ours: a file, a device, or a folder with
     * other content. */
    struct stat fst;
    if (lstat(final, &fst) == 0) {
        if (!S_ISDIR(fst.st_mode))
            return diag_set(d, SIM_EINVAL, final, 0, 0,
                            "results folder: exists and is not a folder; "
                            "refusing to replace it (choose another -o)");
        if (!replaceable(final))
            return diag_set(d, SIM_EINVAL, final, 0, 0,
                            "results folder: exists and holds no burstsim "
                            "results (no summary.json); refusing to replace "
                            "it (choose another -o, or remove it)");
    }
    remove_stale(final);

    /* The parent of the final folder must exist for the renames. */
    char *slash = strrchr(final, '/');
    if (slash != NULL && slash != final) {
        *slash = '\0';
        e = mkdir_p(final);
        if (e != 0)
            return outfile_fail(d, final, "cannot create folder", e);
        *slash = '/';
    }

    int k = snprintf(tmp, n, "%s.tmp-%ld", final, (long)getpid());
    if (k < 0 || (size_t)k >= n)
        return outfile_fail(d, final, "cannot stage results", ENAMETOOLONG);
    /* A folder left by a crashed run that had our pid is stale. */
    e = rm_rf(tmp);
    if (e != 0)
        return outfile_fail(d, tmp, "cannot remove stale folder", e);
    if (mkdir(tmp, 0777) != 0)
        return outfile_fail(d, tmp, "cannot create folder", errno);
    e = outfile_join(parts, sizeof parts, tmp, "/parts");
    if (e == 0 && mkdir(parts, 0777) != 0)
        e = errno;
    if (e != 0) {
        outfile_fail(d, parts, "cannot create folder", e);
        rm_rf(tmp);
        return SIM_EIO;
    }
    return 0;
}

int report_stage_commit(const char *tmp, const char *final_dir,
                        struct diag *d)
{
    char final[OUTFILE_PATH_MAX], parts[OUTFILE_PATH_MAX + 8];
    char old[OUTFILE_PATH_MAX + 32];
    int e = strip_slashes(final, sizeof final, final_dir);
    if (e != 0)
        return outfile_fail(d, final_dir, "bad results folder", e);
    e = outfile_join(parts, sizeof parts, tmp, "/parts");
    if (e == 0)
        e = rm_rf(parts);
    if (e != 0)
        return outfile_fail(d, parts, "cannot remove folder", e);

    /* Move an existing final folder aside first: rename(2) cannot replace
     * a non-empty folder, and the old results must survive if the second
     * rename fails. */
    int k = snprintf(old, sizeof old, "%s.old-%ld", final, (long)getpid());
    if (k < 0 || (size_t)k >= sizeof old)
        return outfile_fail(d, final, "cannot replace folder", ENAMETOOLONG);
    struct stat st;
    bool had_old = lstat(final, &st) == 0;
    if (had_old) {
        e = rm_rf(old);
        if (e != 0)
            return outfile_fail(d, old, "cannot remove stale folder", e);
        if (rename(final, old) != 0)
            return outfile_fail(d, final, "cannot move old results aside",
                                errno);
    }
    if (rename(tmp, final) != 0) {
        e = errno;
        if (had_old)
            rename(old, final);     /* best effort: put the old one back */
        return outfile_fail(d, final, "cannot move results into place", e);
    }
    /* The new results are in place; an old folder that cannot be removed
     * (e.g. a file inside is busy) is left as "<final>.old-<pid>" rather
     * than failing a run whose output is complete. */
    if (had_old)
        rm_rf(old);
    return 0;
}

void report_stage_abort(const char *tmp)
{
    if (tmp != NULL && tmp[0] != '\0')
        rm_rf(tmp);
}
