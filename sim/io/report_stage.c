/* sim/io/report_stage.c - the staging folder of a results folder (see
 * report_stage.h).
 *
 * Everything is written into "<final>.tmp-<pid>" and renamed into place by
 * report_stage_commit(): a failed or interrupted run never leaves a
 * half-written results folder where the previous good one was. Folders of
 * runs that were killed ("<final>.tmp-*" or ".old-*", stale because the
 * next run holds the lock) are removed then, only as far as markers say
 * burstsim wrote them. Workload: a few system calls per run;
 * removing a folder walks it (rm -rf) without following symbolic links. */
#include "sim/io/report_stage.h"

#include "sim/io/outfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* The marker of a folder burstsim wrote, and of a staging folder. */
#define MARKER ".burstsim"
#define STAGING_MARKER ".burstsim-staging"
#define MARKER_KIND "burstsim-results"
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

/* ---- markers ----------------------------------------------------------- */

/* A list of relative paths ("a.csv", "plots/", "plots/a.gp"). */
struct names {
    char **v;
    size_t n, cap;
};

static void names_free(struct names *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

static int names_add(struct names *l, const char *s)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        char **v = realloc(l->v, cap * sizeof *v);
        if (v == NULL)
            return ENOMEM;
        l->v = v;
        l->cap = cap;
    }
    if ((l->v[l->n] = strdup(s)) == NULL)
        return ENOMEM;
    l->n++;
    return 0;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool names_has(const struct names *l, const char *s)
{
    return l->n > 0 &&
           bsearch(&s, l->v, l->n, sizeof *l->v, cmp_name) != NULL;
}

/* Every entry below folder dir (not following symbolic links), as paths
 * relative to dir with folders ending in "/", parents before children;
 * prefix is the relative path of dir so far ("" at the top). Returns 0 or
 * an errno value. */
static int walk(const char *dir, const char *prefix, struct names *out)
{
    DIR *dh = opendir(dir);
    if (dh == NULL)
        return errno;
    int err = 0;
    struct dirent *e;
    for (;;) {
        errno = 0;
        if ((e = readdir(dh)) == NULL) {
            err = errno;
            break;
        }
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        size_t n = strlen(dir) + strlen(prefix) + strlen(e->d_name) + 3;
        char *full = malloc(n), *rel = malloc(n);
        if (full == NULL || rel == NULL) {
            free(full);
            free(rel);
            err = ENOMEM;
            break;
        }
        snprintf(full, n, "%s/%s", dir, e->d_name);
        struct stat st;
        bool isdir = lstat(full, &st) == 0 && S_ISDIR(st.st_mode);
        snprintf(rel, n, "%s%s%s", prefix, e->d_name, isdir ? "/" : "");
        err = names_add(out, rel);
        if (err == 0 && isdir)
            err = walk(full, rel, out);
        free(full);
        free(rel);
        if (err != 0)
            break;
    }
    closedir(dh);
    return err;
}

/* Read the ".burstsim" marker of dir into *files (sorted). Returns 0, or
 * SIM_EINVAL with d naming the marker and what is wrong with it. */
static int read_marker(const char *dir, struct names *files, struct diag *d)
{
    char path[OUTFILE_PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/" MARKER, dir);
    json_error_t je;
    json_t *m = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (m == NULL)
        return diag_set(d, SIM_EINVAL, path, je.line, je.column,
                        "results folder marker: %s", je.text);
    const char *kind = json_string_value(json_object_get(m, "kind"));
    json_t *fl = json_object_get(m, "files");
    int rc = 0;
    if (kind == NULL || strcmp(kind, MARKER_KIND) != 0)
        rc = diag_set(d, SIM_EINVAL, path, 0, 0,
                      "kind: expected \"" MARKER_KIND "\"");
    else if (!json_is_array(fl))
        rc = diag_set(d, SIM_EINVAL, path, 0, 0,
                      "files: expected a list of file names");
    for (size_t i = 0; rc == 0 && i < json_array_size(fl); i++) {
        const char *s = json_string_value(json_array_get(fl, i));
        if (s == NULL || s[0] == '\0' || s[0] == '/' ||
            strstr(s, "..") != NULL)
            rc = diag_set(d, SIM_EINVAL, path, 0, 0,
                          "files[%zu]: expected a relative file name", i);
        else if (names_add(files, s) != 0)
            rc = diag_set(d, SIM_ENOMEM, path, 0, 0, "out of memory");
    }
    json_decref(m);
    if (rc == 0 && files->n > 0)
        if (files->n > 1)
            qsort(files->v, files->n, sizeof *files->v, cmp_name);
    return rc;
}

int report_stage_check_owned(const char *dir, struct diag *d)
{
    struct stat st;
    if (lstat(dir, &st) != 0)
        return errno == ENOENT
                   ? 0
                   : outfile_fail(d, dir, "results folder", errno);
    if (!S_ISDIR(st.st_mode))
        return diag_set(d, SIM_EINVAL, dir, 0, 0,
                        "results folder: exists and is not a folder; "
                        "refusing to replace it (choose another -o)");
    struct names have = {0}, listed = {0};
    int rc = 0, e = walk(dir, "", &have);
    if (e != 0)
        rc = outfile_fail(d, dir, "cannot read folder", e);
    else if (have.n > 0) {
        char mpath[OUTFILE_PATH_MAX + 16];
        snprintf(mpath, sizeof mpath, "%s/" MARKER, dir);
        struct stat ms;
        if (lstat(mpath, &ms) != 0 || !S_ISREG(ms.st_mode))
            rc = diag_set(d, SIM_EINVAL, dir, 0, 0,
                          "results folder: exists and was not written by "
                          "burstsim (no " MARKER " marker); refusing to "
                          "replace it (choose another -o, or remove it)");
        else
            rc = read_marker(dir, &listed, d);
        for (size_t i = 0; rc == 0 && i < have.n; i++)
            if (strcmp(have.v[i], MARKER) != 0 &&
                !names_has(&listed, have.v[i]))
                rc = diag_set(d, SIM_EINVAL, dir, 0, 0,
                              "results folder: holds '%s', which burstsim "
                              "did not write; refusing to replace it "
                              "(choose another -o, or move that file "
                              "away)",
                              have.v[i]);
    }
    names_free(&have);
    names_free(&listed);
    return rc;
}

/* Remove folder dir that burstsim wrote: the files its marker lists, then
 * the listed folders (deepest first), the marker and dir itself. A file
 * the marker does not list is left (and so are its folders). Returns 0 or
 * an errno value (ENOTEMPTY when something unlisted is left). */
static int remove_owned(const char *dir)
{
    struct names listed = {0};
    struct diag d;
    diag_init(&d);
    if (read_marker(dir, &listed, &d) != 0) {
        names_free(&listed);
        return EPERM;
    }
    int err = 0;
    char path[OUTFILE_PATH_MAX * 2];
    for (size_t i = 0; i < listed.n; i++) {
        const char *s = listed.v[i];
        if (s[strlen(s) - 1] == '/')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, s);
        struct stat st;
        if (lstat(path, &st) == 0 && !S_ISDIR(st.st_mode) &&
            unlink(path) != 0 && err == 0)
            err = errno;
    }
    /* Sorted, a folder comes before what is in it: go backwards. */
    for (size_t i = listed.n; i-- > 0;) {
        const char *s = listed.v[i];
        if (s[strlen(s) - 1] != '/')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, s);
        if (rmdir(path) != 0 && errno != ENOENT && err == 0)
            err = errno;
    }
    names_free(&listed);
    snprintf(path, sizeof path, "%s/" MARKER, dir);
    if (unlink(path) != 0 && err == 0)
        err = errno;
    if (rmdir(dir) != 0 && err == 0)
        err = errno;
    return err;
}

/* Write the ".burstsim" marker of folder dir listing names (sorted;
 * MARKER itself is skipped) atomically: into a temporary file beside it,
 * then renamed over it, so a reader sees the old or the new list, never
 * half of one. Returns 0 or SIM_EIO / SIM_ENOMEM with d set. */
static int write_marker_list(const char *dir, const struct names *all,
                             struct diag *d)
{
    json_t *root = json_object(), *fl = json_array();
    int bad = root == NULL || fl == NULL;
    for (size_t i = 0; i < all->n && !bad; i++)
        if (strcmp(all->v[i], MARKER) != 0 &&
            strncmp(all->v[i], MARKER ".tmp-", sizeof MARKER + 4) != 0)
            bad |= json_array_append_new(fl, json_string(all->v[i]));
    if (!bad) {
        bad |= json_object_set_new(root, "kind", json_string(MARKER_KIND));
        bad |= json_object_set_new(root, "burstsim",
                                   json_string(BURSTSIM_VERSION));
        bad |= json_object_set_new(root, "files", fl);
        fl = NULL;
    }
    json_decref(fl);
    char path[OUTFILE_PATH_MAX + 16], tmp[OUTFILE_PATH_MAX + 48];
    int rc = 0;
    if (bad) {
        rc = diag_set(d, SIM_ENOMEM, dir, 0, 0, "out of memory");
    } else {
        rc = outfile_path(path, sizeof path, dir, MARKER, d);
        if (rc == 0) {
            snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
            rc = outfile_write_json(tmp, root,
                                    JSON_INDENT(1) | JSON_PRESERVE_ORDER, d);
            if (rc == 0 && rename(tmp, path) != 0)
                rc = outfile_fail(d, path, "cannot write file", errno);
            if (rc != 0)
                unlink(tmp);
        }
    }
    json_decref(root);
    return rc;
}

/* Write the ".burstsim" marker of folder dir listing everything in it.
 * Returns 0 or SIM_EIO with d set. */
static int write_marker(const char *dir, struct diag *d)
{
    struct names all = {0};
    int e = walk(dir, "", &all);
    if (e != 0) {
        names_free(&all);
        return outfile_fail(d, dir, "cannot read folder", e);
    }
    if (all.n > 1)
        qsort(all.v, all.n, sizeof *all.v, cmp_name);
    int rc = write_marker_list(dir, &all, d);
    names_free(&all);
    return rc;
}

int report_stage_check_results(const char *dir, struct diag *d)
{
    struct stat st;
    char path[OUTFILE_PATH_MAX + 16];
    if (lstat(dir, &st) != 0)
        return diag_set(d, SIM_EINVAL, dir, 0, 0,
                        "not a results folder: %s", strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return diag_set(d, SIM_EINVAL, dir, 0, 0,
                        "not a results folder: not a folder");
    snprintf(path, sizeof path, "%s/" MARKER, dir);
    if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return diag_set(d, SIM_EINVAL, dir, 0, 0,
                        "not a results folder burstsim wrote (no " MARKER
                        " marker); nothing written");
    struct names listed = {0};
    int rc = read_marker(dir, &listed, d);
    names_free(&listed);
    if (rc != 0)
        return rc;
    snprintf(path, sizeof path, "%s/summary.json", dir);
    if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return diag_set(d, SIM_EINVAL, dir, 0, 0,
                        "not a results folder with summary.json (a "
                        "partial folder? merge it first); nothing "
                        "written");
    return 0;
}

/* One entry of a snapshot: "name\tino\tsize\tmtime" (see
 * report_stage_snap). */
static int snap_line(const char *dir, const char *rel, char *buf, size_t n)
{
    char full[OUTFILE_PATH_MAX * 2];
    snprintf(full, sizeof full, "%s/%s", dir, rel);
    struct stat st;
    if (lstat(full, &st) != 0)
        return errno;
    snprintf(buf, n, "%s\t%ju\t%jd\t%jd.%09ld", rel, (uintmax_t)st.st_ino,
             (intmax_t)st.st_size, (intmax_t)st.st_mtim.tv_sec,
             (long)st.st_mtim.tv_nsec);
    return 0;
}

/* Every entry of "<dir>/<sub>" (sub ends in "/") with its stat, as
 * snap_line strings, sorted, into out. A missing sub is an empty list.
 * Returns 0 or an errno value. */
static int snap_walk(const char *dir, const char *sub, struct names *out)
{
    char top[OUTFILE_PATH_MAX * 2];
    snprintf(top, sizeof top, "%s/%s", dir, sub);
    struct names rel = {0};
    struct stat st;
    int e = 0;
    if (lstat(top, &st) == 0 && S_ISDIR(st.st_mode)) {
        e = names_add(&rel, sub);
        if (e == 0)
            e = walk(top, sub, &rel);
    }
    for (size_t i = 0; e == 0 && i < rel.n; i++) {
        char line[OUTFILE_PATH_MAX + 128];
        e = snap_line(dir, rel.v[i], line, sizeof line);
        if (e == 0)
            e = names_add(out, line);
    }
    names_free(&rel);
    if (e == 0 && out->n > 0)
        if (out->n > 1)
            qsort(out->v, out->n, sizeof *out->v, cmp_name);
    return e;
}

int report_stage_snap(const char *dir, const char *sub,
                      struct report_snap *s)
{
    struct names *l = calloc(1, sizeof *l);
    s->priv = l;
    if (l == NULL)
        return ENOMEM;
    return snap_walk(dir, sub, l);
}

void report_stage_snap_free(struct report_snap *s)
{
    if (s != NULL && s->priv != NULL) {
        names_free(s->priv);
        free(s->priv);
        s->priv = NULL;
    }
}

int report_stage_mark_written(const char *dir, const char *sub,
                              const struct report_snap *before,
                              struct diag *d)
{
    struct names now = {0}, listed = {0};
    const struct names empty = {0};
    const struct names *old = before->priv != NULL ? before->priv : &empty;
    int rc = read_marker(dir, &listed, d);
    int e = rc == 0 ? snap_walk(dir, sub, &now) : 0;
    if (e != 0)
        rc = outfile_fail(d, dir, "cannot read folder", e);
    size_t added = 0;
    for (size_t i = 0; rc == 0 && i < now.n; i++) {
        if (names_has(old, now.v[i]))
            continue;               /* there before, untouched */
        char *tab = strchr(now.v[i], '\t');
        *tab = '\0';
        /* The entry and the folders it is in ("plots/", "plots/x.gp"). */
        for (char *sl = now.v[i]; rc == 0 && sl != NULL;
             sl = strchr(sl + 1, '/')) {
            char keep = '\0';
            if (*sl == '/') {
                keep = sl[1];
                sl[1] = '\0';
            }
            if (!names_has(&listed, now.v[i])) {
                if (names_add(&listed, now.v[i]) != 0)
                    rc = diag_set(d, SIM_ENOMEM, dir, 0, 0, "out of memory");
                if (listed.n > 1)
                    qsort(listed.v, listed.n, sizeof *listed.v, cmp_name);
                added++;
            }
            if (*sl == '/')
                sl[1] = keep;
            if (keep == '\0' && *sl == '/')
                break;
        }
        *tab = '\t';
    }
    if (rc == 0 && added > 0)
        rc = write_marker_list(dir, &listed, d);
    names_free(&now);
    names_free(&listed);
    return rc;
}

/* ---- the lock ----------------------------------------------------------- */

int report_stage_lock(const char *final_dir, struct report_lock *l,
                      struct diag *d)
{
    char final[OUTFILE_PATH_MAX];
    l->fd = -1;
    l->path[0] = '\0';
    int e = strip_slashes(final, sizeof final, final_dir);
    if (e != 0)
        return outfile_fail(d, final_dir, "bad results folder", e);
    char *slash = strrchr(final, '/');
    if (slash != NULL && slash != final) {
        *slash = '\0';
        e = mkdir_p(final);
        if (e != 0)
            return outfile_fail(d, final, "cannot create folder", e);
        *slash = '/';
    }
    snprintf(l->path, sizeof l->path, "%s.lock", final);
    /* Retry when the file we locked was removed by the run that held it
     * (it unlinks before it unlocks). */
    for (int tries = 0; tries < 100; tries++) {
        int fd = open(l->path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
                      0666);
        if (fd < 0)
            return outfile_fail(d, l->path, "cannot create lock file",
                                errno);
        struct stat a, b;
        if (fstat(fd, &a) != 0 || !S_ISREG(a.st_mode) || a.st_size != 0) {
            close(fd);
            l->path[0] = '\0';
            return diag_set(d, SIM_EINVAL, final, 0, 0,
                            "results folder: %s.lock exists and is not a "
                            "burstsim lock file; refusing to use it "
                            "(choose another -o)",
                            final);
        }
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int fe = errno;
            close(fd);
            if (fe == EWOULDBLOCK)
                return diag_set(d, SIM_EIO, final, 0, 0,
                                "results folder: another burstsim run is "
                                "writing it (lock %s is held); wait for it "
                                "or choose another -o",
                                l->path);
            return outfile_fail(d, l->path, "cannot lock", fe);
        }
        if (stat(l->path, &b) == 0 && b.st_dev == a.st_dev &&
            b.st_ino == a.st_ino) {
            l->fd = fd;
            return 0;
        }
        close(fd); /* removed under us: take the new one */
    }
    return outfile_fail(d, l->path, "cannot lock", EAGAIN);
}

void report_stage_unlock(struct report_lock *l)
{
    if (l == NULL || l->fd < 0)
        return;
    unlink(l->path);
    close(l->fd);
    l->fd = -1;
}

/* ---- staging ----------------------------------------------------------- */

/* Remove staging folder tmp of a killed run (or of an earlier run with
 * our pid) when its staging marker says burstsim made it. Returns 0 (also
 * when it does not exist), EPERM when it is not ours, or an errno. */
static int remove_staging(const char *tmp)
{
    char mark[OUTFILE_PATH_MAX + 32];
    struct stat st;
    if (lstat(tmp, &st) != 0)
        return errno == ENOENT ? 0 : errno;
    snprintf(mark, sizeof mark, "%s/" STAGING_MARKER, tmp);
    if (!S_ISDIR(st.st_mode) || lstat(mark, &st) != 0 ||
        !S_ISREG(st.st_mode))
        return EPERM;
    return rm_rf(tmp);
}

/* Remove "<base>.tmp-*" (staging marker) and "<base>.old-*" (results
 * marker, listed files only) folders next to `final` left by runs that
 * were killed. The caller holds the lock of `final` (report_stage_lock),
 * so no other run can be writing them: every one is stale, whatever its
 * pid (which may be a zombie's or reused). One without its marker is not
 * burstsim's and is left alone. */
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
        if (strncmp(nm, base, bl) != 0)
            continue;
        bool tmp = strncmp(nm + bl, ".tmp-", 5) == 0;
        if (!tmp && strncmp(nm + bl, ".old-", 5) != 0)
            continue;
        if (nm[bl + 5] == '\0')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, nm);
        if (tmp)
            remove_staging(path);
        else if (report_stage_check_owned(path, NULL) == 0)
            remove_owned(path);
    }
    closedir(dh);
}

int report_stage_begin(const char *final_dir, char *tmp, size_t n,
                       struct diag *d)
{
    char final[OUTFILE_PATH_MAX], parts[OUTFILE_PATH_MAX + 32];
    int e = strip_slashes(final, sizeof final, final_dir);
    if (e != 0)
        return outfile_fail(d, final_dir, "bad results folder", e);

    /* Never replace what is not ours: a file, a device, or a folder with
     * files burstsim did not write. */
    int rc = report_stage_check_owned(final, d);
    if (rc != 0)
        return rc;
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
    e = remove_staging(tmp);
    if (e == EPERM)
        return diag_set(d, SIM_EINVAL, tmp, 0, 0,
                        "exists and is not a burstsim staging folder; "
                        "refusing to remove it (move it away)");
    if (e != 0)
        return outfile_fail(d, tmp, "cannot remove stale folder", e);
    if (mkdir(tmp, 0777) != 0)
        return outfile_fail(d, tmp, "cannot create folder", errno);
    e = outfile_join(parts, sizeof parts, tmp, "/" STAGING_MARKER);
    if (e == 0) {
        int fd = open(parts, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 || close(fd) != 0)
            e = errno;
    }
    if (e != 0) {
        outfile_fail(d, parts, "cannot create file", e);
        rm_rf(tmp);
        return SIM_EIO;
    }
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
    char final[OUTFILE_PATH_MAX], parts[OUTFILE_PATH_MAX + 32];
    char old[OUTFILE_PATH_MAX + 32];
    int e = strip_slashes(final, sizeof final, final_dir);
    if (e != 0)
        return outfile_fail(d, final_dir, "bad results folder", e);
    e = outfile_join(parts, sizeof parts, tmp, "/parts");
    if (e == 0)
        e = rm_rf(parts);
    if (e != 0)
        return outfile_fail(d, parts, "cannot remove folder", e);
    e = outfile_join(parts, sizeof parts, tmp, "/" STAGING_MARKER);
    if (e == 0 && unlink(parts) != 0 && errno != ENOENT)
        e = errno;
    if (e != 0)
        return outfile_fail(d, parts, "cannot remove file", e);
    int rc = write_marker(tmp, d);
    if (rc != 0)
        return rc;
    /* Checked again: the folder may have changed since the run began. */
    if ((rc = report_stage_check_owned(final, d)) != 0)
        return rc;

    /* Move an existing final folder aside first: rename(2) cannot replace
     * a non-empty folder, and the old results must survive if the second
     * rename fails. */
    int k = snprintf(old, sizeof old, "%s.old-%ld", final, (long)getpid());
    if (k < 0 || (size_t)k >= sizeof old)
        return outfile_fail(d, final, "cannot replace folder", ENAMETOOLONG);
    struct stat st;
    bool had_old = lstat(final, &st) == 0;
    if (had_old) {
        if (lstat(old, &st) == 0) {
            if (report_stage_check_owned(old, d) != 0)
                return SIM_EINVAL;
            e = remove_owned(old);
            if (e != 0)
                return outfile_fail(d, old, "cannot remove stale folder",
                                    e);
        }
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
     * (a file appeared in it) is left as "<final>.old-<pid>" rather than
     * failing a run whose output is complete. An empty old folder (no
     * marker) is simply removed. */
    if (had_old && rmdir(old) != 0)
        remove_owned(old);
    return 0;
}

void report_stage_abort(const char *tmp)
{
    if (tmp != NULL && tmp[0] != '\0')
        rm_rf(tmp);
}
