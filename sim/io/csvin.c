/* sim/io/csvin.c - CSV reader on libcsv (see csvin.h). Rows are gathered
 * field by field into a growing array of strings and handed to the
 * callback at the end of each record; the file is read in 64 KiB blocks, so
 * memory is one row, whatever the file size. */
#include "sim/io/csvin.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct reader {
    csvin_row_fn row;
    void *ctx;
    struct diag *d;
    const char *path;
    char **f;         /* fields of the row being read */
    size_t n, cap;
    size_t line;      /* rows delivered */
    int rc;           /* first error */
};

static void on_field(void *s, size_t len, void *data)
{
    struct reader *r = data;
    if (r->rc != 0)
        return;
    if (r->n == r->cap) {
        size_t nc = r->cap ? r->cap * 2 : 64;
        char **nf = realloc(r->f, nc * sizeof *nf);
        if (nf == NULL) {
            r->rc = diag_set(r->d, SIM_ENOMEM, r->path, 0, 0,
                             "out of memory");
            return;
        }
        r->f = nf;
        r->cap = nc;
    }
    char *v = malloc(len + 1);
    if (v == NULL) {
        r->rc = diag_set(r->d, SIM_ENOMEM, r->path, 0, 0, "out of memory");
        return;
    }
    if (len > 0)
        memcpy(v, s, len);
    v[len] = '\0';
    r->f[r->n++] = v;
}

static void on_row(int c, void *data)
{
    (void)c;
    struct reader *r = data;
    r->line++;
    if (r->rc == 0)
        r->rc = r->row(r->ctx, r->line, r->f, r->n, r->d);
    for (size_t i = 0; i < r->n; i++)
        free(r->f[i]);
    r->n = 0;
}

int csvin_read(const char *path, csvin_row_fn row, void *ctx,
               struct diag *d)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return diag_set(d, SIM_EIO, path, 0, 0, "cannot open: %s",
                        strerror(errno));
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_APPEND_NULL) != 0) {
        fclose(fp);
        return diag_set(d, SIM_ENOMEM, path, 0, 0, "out of memory");
    }
    struct reader r = {.row = row, .ctx = ctx, .d = d, .path = path};
    char buf[1 << 16];
    size_t got;
    while (r.rc == 0 && (got = fread(buf, 1, sizeof buf, fp)) > 0)
        if (csv_parse(&p, buf, got, on_field, on_row, &r) != got &&
            r.rc == 0)
            r.rc = diag_set(d, SIM_EPARSE, path, (int)r.line + 1, 0,
                            "malformed CSV: %s",
                            csv_strerror(csv_error(&p)));
    if (r.rc == 0 && ferror(fp))
        r.rc = diag_set(d, SIM_EIO, path, 0, 0, "cannot read: %s",
                        strerror(errno));
    if (r.rc == 0 && csv_fini(&p, on_field, on_row, &r) != 0 && r.rc == 0)
        r.rc = diag_set(d, SIM_EPARSE, path, (int)r.line + 1, 0,
                        "malformed CSV: %s", csv_strerror(csv_error(&p)));
    for (size_t i = 0; i < r.n; i++)
        free(r.f[i]);
    free(r.f);
    csv_free(&p);
    fclose(fp);
    return r.rc;
}

int csvin_number(const char *s, double *out)
{
    if (s[0] == '\0') {
        *out = (double)NAN;
        return 0;
    }
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0')
        return SIM_EPARSE;
    *out = v;
    return 0;
}
