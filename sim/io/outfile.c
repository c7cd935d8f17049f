/* sim/io/outfile.c - checked output files (see outfile.h).
 *
 * Workload: a handful of files per run plus one part file per replication;
 * nothing here is on a hot path. Every stdio call of the writers is
 * checked; the first errno is kept and turned into SIM_EIO with a diag
 * naming the file. */
#include "sim/io/outfile.h"

#include <errno.h>
#include <string.h>

void outfile_keep_errno(int *err)
{
    if (*err == 0)
        *err = errno != 0 ? errno : EIO;
}

int outfile_fail(struct diag *d, const char *path, const char *what, int e)
{
    char buf[256];
    if (strerror_r(e, buf, sizeof buf) != 0)
        snprintf(buf, sizeof buf, "error %d", e);
    return diag_set(d, SIM_EIO, path, 0, 0, "%s: %s", what, buf);
}

int outfile_join(char *buf, size_t n, const char *a, const char *b)
{
    int k = snprintf(buf, n, "%s%s", a, b);
    return (k < 0 || (size_t)k >= n) ? ENAMETOOLONG : 0;
}

FILE *outfile_open(const char *path, struct diag *d)
{
    FILE *fp = fopen(path, "w");
    if (fp == NULL)
        outfile_fail(d, path, "cannot create file", errno);
    return fp;
}

int outfile_path(char *buf, size_t n, const char *dir, const char *name,
                 struct diag *d)
{
    int k = snprintf(buf, n, "%s/%s", dir, name);
    if (k < 0 || (size_t)k >= n)
        return outfile_fail(d, dir, "cannot create file", ENAMETOOLONG);
    return 0;
}

FILE *outfile_create(const char *dir, const char *name, char *path,
                     size_t n, struct diag *d)
{
    if (outfile_path(path, n, dir, name, d) != 0)
        return NULL;
    return outfile_open(path, d);
}

int outfile_close(FILE *fp, const char *path, int err, struct diag *d)
{
    if (err == 0 && ferror(fp))
        err = EIO;
    errno = 0;
    if (fclose(fp) != 0 && err == 0)
        err = errno != 0 ? errno : EIO;
    return err != 0 ? outfile_fail(d, path, "cannot write file", err) : 0;
}

int outfile_write_json(const char *path, const json_t *root, size_t flags,
                       struct diag *d)
{
    FILE *fp = outfile_open(path, d);
    if (fp == NULL)
        return SIM_EIO;
    int err = 0;
    errno = 0;
    if (json_dumpf(root, fp, flags) != 0 || fputc('\n', fp) == EOF)
        outfile_keep_errno(&err);
    return outfile_close(fp, path, err, d);
}
