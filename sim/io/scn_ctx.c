/* sim/io/scn_ctx.c - the loading context's error helpers, the record of
 * where each key path was written (and scn_loc(), which reads it), key path
 * formatting and relative path resolution (see scn_ctx.h). */
#include "sim/io/scn_ctx.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- errors ------------------------------------------------------------- */

static const char *node_file(const struct scn_ctx *c, const struct ynode *n)
{
    return n != NULL && n->ov ? "--set" : c->scn->file;
}

/* Record the error fmt/ap at file:line:col (the message is cut to what
 * struct diag holds). */
static int err_v(struct scn_ctx *c, int code, const char *file, int line,
                 int col, const char *fmt, va_list ap)
    __attribute__((format(printf, 6, 0)));
static int err_v(struct scn_ctx *c, int code, const char *file, int line,
                 int col, const char *fmt, va_list ap)
{
    char msg[768];
    vsnprintf(msg, sizeof msg, fmt, ap);
    return diag_set(c->d, code, file, line, col, "%s", msg);
}

/* Record an error located at node n (may be NULL: no position). */
int scn__err_at(struct scn_ctx *c, const struct ynode *n, int code,
                const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = err_v(c, code, node_file(c, n), n ? n->line : 0, n ? n->col : 0,
                   fmt, ap);
    va_end(ap);
    return rc;
}

/* Describe a node for "got ...": the quoted text of a scalar (shortened),
 * or what kind of collection it is. */
const char *scn__got(const struct ynode *n, char *buf, size_t size)
{
    if (n == NULL)
        return "nothing";
    if (n->kind == YN_MAP)
        return n->n == 0 ? "an empty mapping" : "a mapping";
    if (n->kind == YN_SEQ)
        return n->n == 0 ? "an empty list" : "a list";
    if (strlen(n->text) > 80)
        snprintf(buf, size, "\"%.77s...\"", n->text);
    else
        snprintf(buf, size, "\"%s\"", n->text);
    return buf;
}

/* "expected <what>, got <node>" at node n, prefixed by the key path. */
int scn__err_expect(struct scn_ctx *c, const struct ynode *n, const char *path,
                    int code, const char *what)
{
    char b[100];
    return scn__err_at(c, n, code, "%s: expected %s, got %s", path, what,
                       scn__got(n, b, sizeof b));
}

/* Error at the place key path was written (or without a position). */
int scn__err_loc(struct scn_ctx *c, const char *path, int code,
                 const char *fmt, ...)
{
    const struct scn_loc *l = scn_loc(c->scn, path);
    va_list ap;
    va_start(ap, fmt);
    int rc = err_v(c, code, l ? l->file : c->scn->file, l ? l->line : 0,
                   l ? l->col : 0, fmt, ap);
    va_end(ap);
    return rc;
}

/* ---- where keys were written -------------------------------------------- */

/* Record where path was written: at the value, except that a collection
 * written in the file points at its key (a block mapping's own position is
 * its first child's). Override values always point at the value. */
int scn__add_loc(struct scn_ctx *c, const char *path, const struct ynode *key,
                 const struct ynode *val)
{
    const struct ynode *at = val;
    if (val == NULL || (key != NULL && val->kind != YN_SCALAR && !val->ov))
        at = key;
    if (at == NULL || at->line == 0)
        return SIM_OK; /* a default: not written anywhere */
    struct scenario *s = c->scn;
    struct scn_loc *l = realloc(s->locs, (s->n_locs + 1) * sizeof *l);
    if (l == NULL)
        return scn__err_at(c, NULL, SIM_ENOMEM, "%s: out of memory", path);
    s->locs = l;
    l = &s->locs[s->n_locs];
    l->path = strdup(path);
    if (l->path == NULL)
        return scn__err_at(c, NULL, SIM_ENOMEM, "%s: out of memory", path);
    l->file = at->ov ? "--set" : s->file;
    l->line = at->line;
    l->col = at->col;
    s->n_locs++;
    return SIM_OK;
}


/* ---- key paths and file paths ------------------------------------------- */

/* Format a key path into out (SCN_PATH_MAX bytes); overlong paths are cut. */
void scn__pathf(char *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, SCN_PATH_MAX, fmt, ap);
    va_end(ap);
}

void scn__join_path(char *out, const char *prefix, const char *name)
{
    if (prefix[0] == '\0')
        scn__pathf(out, "%s", name);
    else
        scn__pathf(out, "%s.%s", prefix, name);
}

/* Resolve a path against the scenario's folder when it was written in the
 * file; a path given with --set (node->ov) is relative to the current
 * folder, like any command-line path, and is kept as given. */
char *scn__resolve(const struct scenario *s, const struct ynode *node)
{
    const char *b = s->base_dir;
    const char *p = node->text;
    if (node->ov || p[0] == '/' || b == NULL || b[0] == '\0' ||
        strcmp(b, ".") == 0)
        return strdup(p);
    size_t n = strlen(b) + strlen(p) + 2;
    char *r = malloc(n);
    if (r != NULL)
        snprintf(r, n, "%s%s%s", b, b[strlen(b) - 1] == '/' ? "" : "/", p);
    return r;
}
