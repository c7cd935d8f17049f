/* sim/io/scn_override.c - key paths and --set overrides (see
 * scn_override.h): splitting "a.b[2].c" into segments, splicing an
 * override's value into the YAML tree, checking a sweep axis names a key of
 * the table (sim/io/scn_keys.c).
 *
 * An override is applied to the tree, not to the loaded struct, so it goes
 * through the same typed walk, checks and defaults as the file's own
 * values, and its errors point at "--set:<index>:<column>". */
#include "sim/io/scn_override.h"

#include "sim/io/scn_keys.h"
#include "sim/io/scn_yaml.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- key paths ---------------------------------------------------------- */

struct seg {
    const char *name; /* not NUL-terminated: len bytes */
    size_t len;
    long idx;         /* list index, -1 = none */
    size_t pos;       /* 0-based offset in the path text */
};

/* Split "a.b[2].c" into segments. Returns the number of segments, or 0 when
 * the path is malformed. */
static size_t split_path(const char *path, struct seg *segs, size_t max)
{
    size_t n = 0;
    const char *s = path;
    for (;;) {
        size_t len = strspn(s, "abcdefghijklmnopqrstuvwxyz"
                               "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");
        if (len == 0 || n == max)
            return 0;
        segs[n] = (struct seg){s, len, -1, (size_t)(s - path)};
        s += len;
        if (*s == '[') {
            char *e;
            if (s[1] < '0' || s[1] > '9')
                return 0;
            errno = 0;
            segs[n].idx = strtol(s + 1, &e, 10);
            if (*e != ']' || errno != 0 || segs[n].idx > 100000)
                return 0;
            s = e + 1;
        }
        n++;
        if (*s == '\0')
            return n;
        if (*s != '.')
            return 0;
        s++;
    }
}

static bool seg_is(const struct seg *g, const char *name)
{
    return strlen(name) == g->len && memcmp(g->name, name, g->len) == 0;
}

/* ---- --set overrides ---------------------------------------------------- */

int scn__apply_override(struct scn_ctx *c, struct ynode **root,
                        const struct scn_override *o, int idx)
{
    /* the path ends at '=' too: scn_override_parse() points into PATH=VALUE */
    char opath[SCN_PATH_MAX];
    const char *raw = o->path ? o->path : "";
    snprintf(opath, sizeof opath, "%.*s", (int)strcspn(raw, "="), raw);
    struct seg segs[32];
    size_t nseg = split_path(opath, segs, 32);
    int col0 = (int)strlen(opath) + 2;
    struct ynode where = {.ov = true, .line = idx, .col = 1};
    if (nseg == 0)
        return scn__err_at(c, &where, SIM_EINVAL,
                           "%s: not a key path like scale.max_executions",
                           opath);
    struct ynode *val;
    const char *v = o->value ? o->value : "";
    int rc = scn__yaml_to_tree(c, v, strlen(v), true, idx, col0, opath, &val);
    if (rc != SIM_OK)
        return rc;
    if (val == NULL) { /* empty value: null */
        val = scn__ynode_new(YN_SCALAR, true, idx, col0);
        if (val == NULL || (val->text = strdup("")) == NULL) {
            scn__ynode_free(val);
            return scn__err_at(c, NULL, SIM_ENOMEM, "out of memory");
        }
    }
    struct ynode **slot = root;
    for (size_t i = 0; i < nseg; i++) {
        const struct seg *g = &segs[i];
        int gcol = (int)g->pos + 1;
        struct ynode *m = *slot;
        if (scn__is_null(m)) {
            scn__ynode_free(m);
            *slot = m = scn__ynode_new(YN_MAP, true, idx, gcol);
            if (m == NULL)
                goto nomem;
        }
        if (m->kind != YN_MAP) {
            where.col = gcol;
            scn__ynode_free(val);
            return scn__err_at(
                c, &where, SIM_EINVAL,
                "%s: %.*s is inside a value that is not a mapping", opath,
                (int)g->len, g->name);
        }
        struct ynode **vslot = NULL;
        for (size_t k = 0; k < m->n; k++)
            if (seg_is(g, m->keys[k]->text))
                vslot = &m->vals[k];
        if (vslot == NULL) {
            struct ynode *key = scn__ynode_new(YN_SCALAR, true, idx, gcol);
            if (key == NULL || (key->text = strndup(g->name, g->len)) == NULL) {
                scn__ynode_free(key);
                goto nomem;
            }
            if (!scn__ynode_add(m, key, NULL))
                goto nomem;
            vslot = &m->vals[m->n - 1];
        }
        if (g->idx >= 0) {
            struct ynode *sq = *vslot;
            bool fresh = false;
            if (scn__is_null(sq)) {
                scn__ynode_free(sq);
                *vslot = sq = scn__ynode_new(YN_SEQ, true, idx, gcol);
                if (sq == NULL)
                    goto nomem;
                fresh = true;
            }
            /* An index names an existing item; only a list that did not
             * exist yet may be started with [0]. (A typo in an index must
             * not add a rule: set the whole list to add items.) */
            if (sq->kind != YN_SEQ || (size_t)g->idx > sq->n ||
                ((size_t)g->idx == sq->n && !fresh)) {
                where.col = gcol;
                scn__ynode_free(val);
                const char *eq = strchr(o->path, '=');
                int plen = eq ? (int)(eq - o->path) : (int)strlen(o->path);
                return scn__err_at(c, &where, SIM_EINVAL,
                                   "%.*s: %.*s has no item [%ld] (it has %zu; "
                                   "to add items, set the whole list)",
                                   plen, o->path, (int)g->len, g->name, g->idx,
                                   sq->kind == YN_SEQ ? sq->n : (size_t)0);
            }
            if ((size_t)g->idx == sq->n && !scn__ynode_add(sq, NULL, NULL))
                goto nomem;
            vslot = &sq->vals[g->idx];
        }
        slot = vslot;
    }
    scn__ynode_free(*slot);
    *slot = val;
    return SIM_OK;
nomem:
    scn__ynode_free(val);
    return scn__err_at(c, NULL, SIM_ENOMEM, "out of memory");
}

/* ---- sweep axes --------------------------------------------------------- */

bool scn__path_known(const char *path)
{
    static const char *const dist_keys[] = {
        "dist", "value", "mean", "median", "p95", "cv", "mu", "sigma",
        "scale", "shape", "min", "max", "path", "column", "parts", "weight",
        NULL};
    struct seg segs[32];
    size_t n = split_path(path, segs, 32);
    const struct scn_table *t = &scn__top;
    for (size_t i = 0; i < n; i++) {
        const struct scn_key *k = NULL;
        for (size_t j = 0; t != NULL && j < t->n; j++)
            if (seg_is(&segs[i], t->keys[j].name))
                k = &t->keys[j];
        if (k == NULL)
            return false;
        bool last = i + 1 == n;
        switch (k->type) {
        case KT_SECTION:
            if (segs[i].idx >= 0)
                return false;
            t = k->sub;
            break;
        case KT_LIST:
            if (!last && segs[i].idx < 0)
                return false;
            t = k->sub;
            break;
        case KT_ARRIVALS:
            if (last)
                return true;
            i++;
            if (segs[i].idx >= 0)
                return false;
            if (seg_is(&segs[i], "trace"))
                t = &scn__trace;
            else if (seg_is(&segs[i], "process"))
                t = &scn__process;
            else
                return false;
            break;
        case KT_DIST:
        case KT_CDIST:
            if (last)
                return true;
            for (size_t j = 0; dist_keys[j] != NULL; j++)
                if (seg_is(&segs[i + 1], dist_keys[j]))
                    return true;
            return false;
        case KT_SWEEP:
            return false;
        default:
            if (!last || segs[i].idx >= 0)
                return false;
        }
    }
    return n > 0;
}
