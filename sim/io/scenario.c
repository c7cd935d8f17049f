/* sim/io/scenario.c - loader of scenario format v1 (see scenario.h and
 * docs/scenario-format.md): YAML text -> a small owned tree (with file
 * positions) -> --set overrides spliced into the tree -> typed struct
 * scenario, driven by the key table of sim/scn_keys.c -> cross-key defaults
 * and checks.
 *
 * Workload: one file of a few hundred lines per run (plus one load per
 * sweep configuration), so clarity wins over speed: defaults are written in
 * the table as YAML text and parsed by the same code as the file's values,
 * which keeps "what the file may say" and "what the default is" in one
 * place. The first error stops loading; everything allocated so far is freed
 * through scn_fini(), which walks the same table. */
#include "sim/io/scenario.h"
#include "sim/io/scn_keys.h"

#include <csv.h>
#include <errno.h>
#include <gsl/gsl_cdf.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define AT(base, off, type) ((type *)(void *)((char *)(base) + (off)))

enum { PATH_MAX_ = 512, MAX_DEPTH = 64, MAX_NODES = 1000000 };

/* ---- the YAML tree ------------------------------------------------------ */

enum ykind { YN_SCALAR, YN_MAP, YN_SEQ };

/* One YAML node. Mapping keys are scalars (keys[i] pairs with vals[i]);
 * sequences use vals only. Aliases are expanded into copies. */
struct ynode {
    enum ykind kind;
    char *text;          /* scalar text, owned */
    bool quoted;         /* scalar was quoted: never null */
    bool ov;             /* from a --set override: file is "--set" */
    int line, col;       /* 1-based; 0 = unknown (defaults) */
    size_t n, cap;
    struct ynode **keys; /* YN_MAP */
    struct ynode **vals; /* YN_MAP values, YN_SEQ items */
};

static void ynode_free(struct ynode *n)
{
    if (n == NULL)
        return;
    for (size_t i = 0; i < n->n; i++) {
        if (n->keys != NULL)
            ynode_free(n->keys[i]);
        ynode_free(n->vals[i]);
    }
    free(n->keys);
    free(n->vals);
    free(n->text);
    free(n);
}

static struct ynode *ynode_new(enum ykind kind, bool ov, int line, int col)
{
    struct ynode *n = calloc(1, sizeof *n);
    if (n != NULL) {
        n->kind = kind;
        n->ov = ov;
        n->line = line;
        n->col = col;
    }
    return n;
}

/* Append (key, val) to a mapping or val to a sequence (key NULL). Takes
 * ownership of both, also on failure. */
static bool ynode_add(struct ynode *n, struct ynode *key, struct ynode *val)
{
    if (n->n == n->cap) {
        size_t cap = n->cap ? 2 * n->cap : 4;
        struct ynode **v = realloc(n->vals, cap * sizeof *v);
        if (v != NULL)
            n->vals = v;
        struct ynode **k = NULL;
        if (v != NULL && n->kind == YN_MAP) {
            k = realloc(n->keys, cap * sizeof *k);
            if (k != NULL)
                n->keys = k;
        }
        if (v == NULL || (n->kind == YN_MAP && k == NULL)) {
            ynode_free(key);
            ynode_free(val);
            return false;
        }
        n->cap = cap;
    }
    if (n->kind == YN_MAP)
        n->keys[n->n] = key;
    n->vals[n->n++] = val;
    return true;
}

static bool is_null(const struct ynode *n)
{
    if (n == NULL)
        return true;
    if (n->kind != YN_SCALAR || n->quoted)
        return false;
    const char *t = n->text;
    return t[0] == '\0' || strcmp(t, "~") == 0 || strcmp(t, "null") == 0 ||
           strcmp(t, "Null") == 0 || strcmp(t, "NULL") == 0;
}

/* The value of key name in mapping m (NULL if absent); *key gets its key. */
static const struct ynode *map_get(const struct ynode *m, const char *name,
                                   const struct ynode **key)
{
    for (size_t i = 0; m != NULL && m->kind == YN_MAP && i < m->n; i++) {
        if (strcmp(m->keys[i]->text, name) == 0) {
            if (key != NULL)
                *key = m->keys[i];
            return m->vals[i];
        }
    }
    return NULL;
}

/* ---- loading context and errors ---------------------------------------- */

struct ctx {
    struct scenario *scn;
    struct diag *d;
    size_t budget;                 /* nodes left before "document too big" */
    const struct ynode *arrivals;  /* the arrivals key, for cross-checks */
};

static const char *node_file(const struct ctx *c, const struct ynode *n)
{
    return n != NULL && n->ov ? "--set" : c->scn->file;
}

/* Record an error located at node n (may be NULL: no position). */
static int err_at(struct ctx *c, const struct ynode *n, int code,
                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int err_at(struct ctx *c, const struct ynode *n, int code,
                  const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return diag_set(c->d, code, node_file(c, n), n ? n->line : 0,
                    n ? n->col : 0, "%s", msg);
}

/* Describe a node for "got ...": the quoted text of a scalar (shortened),
 * or what kind of collection it is. */
static const char *got(const struct ynode *n, char *buf, size_t size)
{
    if (n == NULL)
        return "nothing";
    if (n->kind == YN_MAP)
        return "a mapping";
    if (n->kind == YN_SEQ)
        return "a list";
    if (strlen(n->text) > 80)
        snprintf(buf, size, "\"%.77s...\"", n->text);
    else
        snprintf(buf, size, "\"%s\"", n->text);
    return buf;
}

/* "expected <what>, got <node>" at node n, prefixed by the key path. */
static int err_expect(struct ctx *c, const struct ynode *n, const char *path,
                      int code, const char *what)
{
    char b[100];
    return err_at(c, n, code, "%s: expected %s, got %s", path, what,
                  got(n, b, sizeof b));
}

/* Error at the place key path was written (or without a position). */
static int err_loc(struct ctx *c, const char *path, int code,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int err_loc(struct ctx *c, const char *path, int code,
                   const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const struct scn_loc *l = scn_loc(c->scn, path);
    return diag_set(c->d, code, l ? l->file : c->scn->file, l ? l->line : 0,
                    l ? l->col : 0, "%s", msg);
}

/* Record where path was written: at the value, except that a collection
 * written in the file points at its key (a block mapping's own position is
 * its first child's). Override values always point at the value. */
static int add_loc(struct ctx *c, const char *path, const struct ynode *key,
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
        return err_at(c, NULL, SIM_ENOMEM, "%s: out of memory", path);
    s->locs = l;
    l = &s->locs[s->n_locs];
    l->path = strdup(path);
    if (l->path == NULL)
        return err_at(c, NULL, SIM_ENOMEM, "%s: out of memory", path);
    l->file = at->ov ? "--set" : s->file;
    l->line = at->line;
    l->col = at->col;
    s->n_locs++;
    return SIM_OK;
}

/* Format a key path into out (PATH_MAX_ bytes); overlong paths are cut. */
static void pathf(char *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void pathf(char *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, PATH_MAX_, fmt, ap);
    va_end(ap);
}

static void join_path(char *out, const char *prefix, const char *name)
{
    if (prefix[0] == '\0')
        pathf(out, "%s", name);
    else
        pathf(out, "%s.%s", prefix, name);
}

/* ---- libyaml document -> tree ------------------------------------------ */

/* Conversion state: where positions come from. For an override, every node
 * is on "line" line (the override's index) and its column is col0 plus the
 * libyaml column inside the value text. */
struct conv {
    struct ctx *c;
    yaml_document_t *doc;
    bool ov;
    int line, col0;
};

static void conv_pos(const struct conv *cv, yaml_mark_t m, int *line,
                     int *col)
{
    if (cv->ov) {
        *line = cv->line;
        *col = cv->col0 + (int)m.column;
    } else {
        *line = (int)m.line + 1;
        *col = (int)m.column + 1;
    }
}

static int conv_node(struct conv *cv, int id, const char *path, int depth,
                     struct ynode **out)
{
    struct ctx *c = cv->c;
    yaml_node_t *yn = yaml_document_get_node(cv->doc, id);
    int line, col;
    *out = NULL;
    if (yn == NULL)
        return err_at(c, NULL, SIM_EINTERNAL, "%s: bad YAML node", path);
    conv_pos(cv, yn->start_mark, &line, &col);
    if (depth > MAX_DEPTH || c->budget == 0)
        return diag_set(c->d, SIM_ERANGE, cv->ov ? "--set" : c->scn->file,
                        line, col, "%s: document nested too deeply or too big",
                        path[0] ? path : "(top level)");
    c->budget--;
    static const enum ykind kinds[] = {YN_SCALAR, YN_SCALAR, YN_SEQ, YN_MAP};
    int t = yn->type == YAML_SEQUENCE_NODE ? 2
            : yn->type == YAML_MAPPING_NODE ? 3 : 1;
    struct ynode *n = ynode_new(kinds[t], cv->ov, line, col);
    if (n == NULL)
        return err_at(c, NULL, SIM_ENOMEM, "out of memory");
    *out = n;
    char sub[PATH_MAX_];
    if (yn->type == YAML_SCALAR_NODE) {
        n->text = strndup((const char *)yn->data.scalar.value,
                          yn->data.scalar.length);
        n->quoted = yn->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
        if (n->text == NULL)
            return err_at(c, NULL, SIM_ENOMEM, "out of memory");
    } else if (yn->type == YAML_SEQUENCE_NODE) {
        yaml_node_item_t *it = yn->data.sequence.items.start;
        for (size_t i = 0; it + i < yn->data.sequence.items.top; i++) {
            struct ynode *v;
            pathf(sub, "%s[%zu]", path, i);
            int rc = conv_node(cv, it[i], sub, depth + 1, &v);
            if (rc != SIM_OK) {
                ynode_free(v);
                return rc;
            }
            if (!ynode_add(n, NULL, v))
                return err_at(c, NULL, SIM_ENOMEM, "out of memory");
        }
    } else if (yn->type == YAML_MAPPING_NODE) {
        yaml_node_pair_t *p = yn->data.mapping.pairs.start;
        for (; p < yn->data.mapping.pairs.top; p++) {
            struct ynode *k, *v;
            int rc = conv_node(cv, p->key, path, depth + 1, &k);
            if (rc == SIM_OK && k->kind != YN_SCALAR)
                rc = err_at(c, k, SIM_EPARSE,
                            "%s: a key must be a plain name, got %s",
                            path[0] ? path : "(top level)",
                            k->kind == YN_MAP ? "a mapping" : "a list");
            if (rc != SIM_OK) {
                ynode_free(k);
                return rc;
            }
            join_path(sub, path, k->text);
            if (map_get(n, k->text, NULL) != NULL) {
                rc = err_at(c, k, SIM_EPARSE, "%s: duplicate key", sub);
                ynode_free(k);
                return rc;
            }
            rc = conv_node(cv, p->value, sub, depth + 1, &v);
            if (rc != SIM_OK) {
                ynode_free(k);
                ynode_free(v);
                return rc;
            }
            if (!ynode_add(n, k, v))
                return err_at(c, NULL, SIM_ENOMEM, "out of memory");
        }
    }
    return SIM_OK;
}

/* Parse YAML text into a tree (*root NULL for an empty document). ov, line
 * and col0: see struct conv. */
static int yaml_to_tree(struct ctx *c, const char *text, size_t len, bool ov,
                        int line, int col0, const char *path,
                        struct ynode **root)
{
    yaml_parser_t p;
    yaml_document_t doc;
    struct conv cv = {c, &doc, ov, line, col0};
    *root = NULL;
    if (!yaml_parser_initialize(&p))
        return err_at(c, NULL, SIM_ENOMEM, "out of memory");
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    if (!yaml_parser_load(&p, &doc)) {
        int l, col;
        conv_pos(&cv, p.problem_mark, &l, &col);
        if (p.error == YAML_READER_ERROR || p.error == YAML_MEMORY_ERROR)
            l = col = 0;
        int rc = diag_set(c->d, p.error == YAML_MEMORY_ERROR ? SIM_ENOMEM
                                                             : SIM_EPARSE,
                          ov ? "--set" : c->scn->file, l, col,
                          "%s%sYAML syntax error: %s%s%s",
                          path[0] ? path : "", path[0] ? ": " : "",
                          p.problem ? p.problem : "unknown problem",
                          p.context ? " " : "", p.context ? p.context : "");
        yaml_parser_delete(&p);
        return rc;
    }
    int rc = SIM_OK;
    if (yaml_document_get_root_node(&doc) != NULL) {
        /* A scenario is one document: a second one would be ignored. */
        yaml_document_t more;
        if (!yaml_parser_load(&p, &more)) {
            rc = diag_set(c->d, SIM_EPARSE, ov ? "--set" : c->scn->file, 0, 0,
                          "%s%sYAML syntax error after the first document",
                          path[0] ? path : "", path[0] ? ": " : "");
        } else {
            if (yaml_document_get_root_node(&more) != NULL) {
                int l, col;
                conv_pos(&cv, more.start_mark, &l, &col);
                rc = diag_set(c->d, SIM_EPARSE, ov ? "--set" : c->scn->file,
                              l, col,
                              "%s%sexpected one YAML document, found a "
                              "second one",
                              path[0] ? path : "", path[0] ? ": " : "");
            }
            yaml_document_delete(&more);
        }
    }
    if (rc == SIM_OK && yaml_document_get_root_node(&doc) != NULL)
        rc = conv_node(&cv, 1, path, 0, root);
    if (rc != SIM_OK) {
        ynode_free(*root);
        *root = NULL;
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&p);
    return rc;
}

/* ---- key paths and --set overrides -------------------------------------- */

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

static int apply_override(struct ctx *c, struct ynode **root,
                          const struct scn_override *o, int idx)
{
    /* the path ends at '=' too: scn_override_parse() points into PATH=VALUE */
    char opath[PATH_MAX_];
    const char *raw = o->path ? o->path : "";
    snprintf(opath, sizeof opath, "%.*s", (int)strcspn(raw, "="), raw);
    struct seg segs[32];
    size_t nseg = split_path(opath, segs, 32);
    int col0 = (int)strlen(opath) + 2;
    struct ynode where = {.ov = true, .line = idx, .col = 1};
    if (nseg == 0)
        return err_at(c, &where, SIM_EINVAL,
                      "%s: not a key path like scale.max_executions", opath);
    struct ynode *val;
    const char *v = o->value ? o->value : "";
    int rc = yaml_to_tree(c, v, strlen(v), true, idx, col0, opath, &val);
    if (rc != SIM_OK)
        return rc;
    if (val == NULL) { /* empty value: null */
        val = ynode_new(YN_SCALAR, true, idx, col0);
        if (val == NULL || (val->text = strdup("")) == NULL) {
            ynode_free(val);
            return err_at(c, NULL, SIM_ENOMEM, "out of memory");
        }
    }
    struct ynode **slot = root;
    for (size_t i = 0; i < nseg; i++) {
        const struct seg *g = &segs[i];
        int gcol = (int)g->pos + 1;
        struct ynode *m = *slot;
        if (is_null(m)) {
            ynode_free(m);
            *slot = m = ynode_new(YN_MAP, true, idx, gcol);
            if (m == NULL)
                goto nomem;
        }
        if (m->kind != YN_MAP) {
            where.col = gcol;
            ynode_free(val);
            return err_at(c, &where, SIM_EINVAL,
                          "%s: %.*s is inside a value that is not a mapping",
                          opath, (int)g->len, g->name);
        }
        struct ynode **vslot = NULL;
        for (size_t k = 0; k < m->n; k++)
            if (seg_is(g, m->keys[k]->text))
                vslot = &m->vals[k];
        if (vslot == NULL) {
            struct ynode *key = ynode_new(YN_SCALAR, true, idx, gcol);
            if (key == NULL || (key->text = strndup(g->name, g->len)) == NULL) {
                ynode_free(key);
                goto nomem;
            }
            if (!ynode_add(m, key, NULL))
                goto nomem;
            vslot = &m->vals[m->n - 1];
        }
        if (g->idx >= 0) {
            struct ynode *sq = *vslot;
            bool fresh = false;
            if (is_null(sq)) {
                ynode_free(sq);
                *vslot = sq = ynode_new(YN_SEQ, true, idx, gcol);
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
                ynode_free(val);
                const char *eq = strchr(o->path, '=');
                int plen = eq ? (int)(eq - o->path) : (int)strlen(o->path);
                return err_at(c, &where, SIM_EINVAL,
                              "%.*s: %.*s has no item [%ld] (it has %zu; "
                              "to add items, set the whole list)",
                              plen, o->path, (int)g->len, g->name, g->idx,
                              sq->kind == YN_SEQ ? sq->n : (size_t)0);
            }
            if ((size_t)g->idx == sq->n && !ynode_add(sq, NULL, NULL))
                goto nomem;
            vslot = &sq->vals[g->idx];
        }
        slot = vslot;
    }
    ynode_free(*slot);
    *slot = val;
    return SIM_OK;
nomem:
    ynode_free(val);
    return err_at(c, NULL, SIM_ENOMEM, "out of memory");
}

/* Is path a key path of the scenario (for sweep axes)? List indexes are
 * allowed on lists and arrivals; inside a distribution any parameter name. */
static bool path_known(const char *path)
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

/* ---- scalar value parsers ----------------------------------------------- */

static bool num_text(const char *s, double *v)
{
    size_t k = strspn(s, "0123456789.eE+-");
    if (k == 0 || s[k] != '\0' || strcspn(s, "0123456789") >= k)
        return false;
    char *e;
    *v = strtod(s, &e);
    return *e == '\0' && isfinite(*v);
}

static bool int_text(const char *s, int64_t *v)
{
    size_t sign = (*s == '-' || *s == '+') ? 1 : 0;
    size_t k = strspn(s + sign, "0123456789");
    if (k == 0 || s[sign + k] != '\0')
        return false;
    errno = 0;
    long long x = strtoll(s, NULL, 10);
    *v = (int64_t)x;
    return errno == 0;
}

/* "a duration", "an integer", ... with the key's range, e.g. "a duration
 * >= 1s" or "a number in [0, 1]". */
static void range_text(const struct scn_key *k, char *out, size_t n)
{
    const char *base = k->type == KT_DUR    ? "a duration"
                       : k->type == KT_MEM  ? "a memory size"
                       : k->type == KT_RATE ? "a rate"
                       : k->type == KT_INT  ? "an integer"
                                            : "a number";
    char lo[64], hi[64];
    if (k->type == KT_DUR) {
        scn__fmt_dur(lo, sizeof lo, sim_from_s(k->lo));
        scn__fmt_dur(hi, sizeof hi, sim_from_s(k->hi));
    } else {
        scn__fmt_num(lo, sizeof lo, k->lo);
        scn__fmt_num(hi, sizeof hi, k->hi);
        const char *u = k->type == KT_MEM ? "Gi" : k->type == KT_RATE ? "/s"
                                                                      : "";
        strcat(lo, u);
        strcat(hi, u);
    }
    bool has_lo = k->rng & (R_GE | R_GT), has_hi = k->rng & (R_LE | R_LT);
    if (has_lo && has_hi)
        snprintf(out, n, "%s in %c%s, %s%c", base, k->rng & R_GE ? '[' : '(',
                 lo, hi, k->rng & R_LE ? ']' : ')');
    else if (has_lo)
        snprintf(out, n, "%s %s %s", base, k->rng & R_GE ? ">=" : ">", lo);
    else if (has_hi)
        snprintf(out, n, "%s %s %s", base, k->rng & R_LE ? "<=" : "<", hi);
    else
        snprintf(out, n, "%s", base);
}

static int check_range(struct ctx *c, const struct scn_key *k, double v,
                       const struct ynode *n, const char *path)
{
    bool ok = true;
    if ((k->rng & R_GE) && !(v >= k->lo))
        ok = false;
    if ((k->rng & R_GT) && !(v > k->lo))
        ok = false;
    if ((k->rng & R_LE) && !(v <= k->hi))
        ok = false;
    if ((k->rng & R_LT) && !(v < k->hi))
        ok = false;
    if (ok)
        return SIM_OK;
    char what[160];
    range_text(k, what, sizeof what);
    return err_expect(c, n, path, SIM_ERANGE, what);
}

/* ---- distributions ------------------------------------------------------ */

static int parse_dist(struct ctx *c, const struct ynode *v, const char *path,
                      struct dist *d, bool counts, double *weight,
                      bool record);

/* Parse a distribution parameter: a duration (seconds) or a plain number. */
static int dist_param(struct ctx *c, const struct ynode *v, const char *path,
                      bool dur, bool counts, double *out)
{
    if (v == NULL || v->kind != YN_SCALAR)
        return err_expect(c, v, path, SIM_EPARSE,
                          dur && !counts ? "a duration like 30s" : "a number");
    if (dur && !counts) {
        sim_time us;
        int rc = scn_parse_duration(v->text, &us);
        if (rc != SIM_OK)
            return err_expect(c, v, path, rc,
                              rc == SIM_ERANGE
                                  ? "a duration from 0 to 1e11 s (3,170 years)"
                                  : "a duration like 30s");
        *out = sim_to_s(us);
        return SIM_OK;
    }
    if (!num_text(v->text, out))
        return err_expect(c, v, path, SIM_EPARSE, "a number");
    if (dur && *out < 0)
        return err_expect(c, v, path, SIM_ERANGE, "a number >= 0");
    return SIM_OK;
}

/* libcsv callbacks of read_empirical(). */
struct csvr {
    long col;          /* 0-based column, -1 until the header names it */
    const char *name;  /* column header name, NULL if given by index */
    bool header_done;
    size_t field;      /* 0-based field in the current row */
    bool seen;         /* current row had the column */
    size_t row;        /* 0-based data row */
    double *vals;
    size_t n, cap;
    int err;           /* SIM_E* of the first problem */
    char bad[100];     /* its text */
    size_t bad_row;
};

static void csv_field(void *s, size_t len, void *data)
{
    struct csvr *r = data;
    size_t f = r->field++;
    if (r->err != SIM_OK)
        return;
    if (!r->header_done) {
        if (r->name != NULL && r->col < 0 && strlen(r->name) == len &&
            memcmp(s, r->name, len) == 0)
            r->col = (long)f;
        return;
    }
    if ((long)f != r->col)
        return;
    r->seen = true;
    double v;
    snprintf(r->bad, sizeof r->bad, "%.*s", (int)(len < 90 ? len : 90),
             (const char *)s);
    if (!num_text(r->bad, &v) || v < 0) {
        r->err = SIM_EPARSE;
        r->bad_row = r->row;
        return;
    }
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 256;
        double *nv = realloc(r->vals, cap * sizeof *nv);
        if (nv == NULL) {
            r->err = SIM_ENOMEM;
            return;
        }
        r->vals = nv;
        r->cap = cap;
    }
    r->vals[r->n++] = v;
}

static void csv_row(int ch, void *data)
{
    struct csvr *r = data;
    (void)ch;
    if (r->err == SIM_OK && r->header_done && !r->seen) {
        r->err = SIM_EPARSE;
        r->bad_row = r->row;
        r->bad[0] = '\0';
    }
    if (r->header_done)
        r->row++;
    r->header_done = true;
    r->field = 0;
    r->seen = false;
}

/* Read the column of an empirical distribution's CSV (header row first;
 * values in seconds, >= 0). pv: the path value, for errors about the file. */
static int read_empirical(struct ctx *c, struct dist *d, const char *path,
                          const struct ynode *pv, const struct ynode *cv)
{
    struct csvr r = {.col = -1};
    int64_t idx;
    if (int_text(d->column, &idx)) {
        if (idx < 1)
            return err_expect(c, cv, path, SIM_ERANGE,
                              "a header name or a 1-based column index");
        r.col = (long)(idx - 1);
    } else {
        r.name = d->column;
    }
    FILE *f = fopen(d->path, "rb");
    if (f == NULL)
        return err_at(c, pv, SIM_EIO, "%s.path: cannot open \"%s\": %s", path,
                      d->path, strerror(errno));
    struct csv_parser p;
    if (csv_init(&p, CSV_APPEND_NULL) != 0) {
        fclose(f);
        return err_at(c, NULL, SIM_ENOMEM, "out of memory");
    }
    char buf[65536];
    size_t got_n;
    while (r.err == SIM_OK && (got_n = fread(buf, 1, sizeof buf, f)) > 0)
        if (csv_parse(&p, buf, got_n, csv_field, csv_row, &r) != got_n)
            r.err = SIM_EPARSE;
    bool io = ferror(f) != 0;
    if (r.err == SIM_OK)
        csv_fini(&p, csv_field, csv_row, &r);
    csv_free(&p);
    fclose(f);
    int rc = SIM_OK;
    if (io)
        rc = err_at(c, pv, SIM_EIO, "%s.path: cannot read \"%s\"", path,
                    d->path);
    else if (r.err == SIM_ENOMEM)
        rc = err_at(c, NULL, SIM_ENOMEM, "out of memory");
    else if (r.col < 0)
        rc = err_at(c, cv, SIM_EPARSE,
                    "%s.column: no column \"%s\" in the header of \"%s\"",
                    path, d->column, d->path);
    else if (r.err != SIM_OK)
        rc = diag_set(c->d, SIM_EPARSE, d->path, (int)r.bad_row + 2,
                      (int)r.col + 1,
                      "column %s: expected a number of seconds >= 0, got "
                      "\"%s\"", d->column, r.bad);
    else if (r.n == 0)
        rc = err_at(c, pv, SIM_EPARSE, "%s.path: \"%s\" has no values", path,
                    d->path);
    if (rc != SIM_OK) {
        free(r.vals);
        return rc;
    }
    d->values = r.vals;
    d->n_values = r.n;
    return SIM_OK;
}

/* Resolve a path against the scenario's folder when it was written in the
 * file; a path given with --set (node->ov) is relative to the current
 * folder, like any command-line path, and is kept as given. */
static char *resolve(const struct scenario *s, const struct ynode *node)
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

/* Which parameter keys each dist kind accepts (besides dist and weight). */
static const char *const dist_params[][6] = {
    [DIST_FIXED] = {"value"},
    [DIST_EXPONENTIAL] = {"mean"},
    [DIST_LOGNORMAL] = {"median", "p95", "mean", "cv", "mu", "sigma"},
    [DIST_GAMMA] = {"mean", "cv"},
    [DIST_WEIBULL] = {"scale", "shape"},
    [DIST_UNIFORM] = {"min", "max"},
    [DIST_EMPIRICAL] = {"path", "column"},
    [DIST_MIXTURE] = {"parts"},
};

static int dist_from_map(struct ctx *c, const struct ynode *v,
                         const char *path, struct dist *d, bool counts,
                         double *weight, bool record)
{
    char sub[PATH_MAX_], b[100];
    const struct ynode *dk = NULL, *dv = map_get(v, "dist", &dk);
    if (dv == NULL || dv->kind != YN_SCALAR) {
        join_path(sub, path, "dist");
        if (dv != NULL)
            return err_expect(c, dv, sub, SIM_EPARSE, "a distribution name");
        return err_at(c, v, SIM_EPARSE,
                      "%s: missing (a distribution needs dist: fixed, "
                      "exponential, lognormal, gamma, weibull, uniform, "
                      "empirical or mixture)", sub);
    }
    int kind = -1;
    for (int i = 0; scn__dist_names[i] != NULL; i++)
        if (strcmp(dv->text, scn__dist_names[i]) == 0)
            kind = i;
    join_path(sub, path, "dist");
    if (kind < 0)
        return err_at(c, dv, SIM_EPARSE,
                      "%s: expected one of fixed, exponential, lognormal, "
                      "gamma, weibull, uniform, empirical, mixture, got %s",
                      sub, got(dv, b, sizeof b));
    if (record && add_loc(c, sub, dk, dv) != SIM_OK)
        return c->d ? c->d->code : SIM_ENOMEM;
    d->kind = (enum dist_kind)kind;
    /* every key must be dist, weight (mixture part) or a parameter */
    for (size_t i = 0; i < v->n; i++) {
        const char *kn = v->keys[i]->text;
        bool ok = strcmp(kn, "dist") == 0 ||
                  (weight != NULL && strcmp(kn, "weight") == 0);
        for (size_t j = 0; j < 6 && dist_params[kind][j] != NULL; j++)
            ok = ok || strcmp(kn, dist_params[kind][j]) == 0;
        if (!ok) {
            char list[200] = "dist";
            if (weight != NULL)
                strcat(list, ", weight");
            for (size_t j = 0; j < 6 && dist_params[kind][j] != NULL; j++) {
                strcat(list, ", ");
                strcat(list, dist_params[kind][j]);
            }
            join_path(sub, path, kn);
            return err_at(c, v->keys[i], SIM_EPARSE,
                          "%s: unknown key for dist %s (expected one of: %s)",
                          sub, scn__dist_names[kind], list);
        }
    }
    if (weight != NULL) {
        const struct ynode *wk = NULL, *wv = map_get(v, "weight", &wk);
        join_path(sub, path, "weight");
        if (wv == NULL)
            return err_at(c, v, SIM_EPARSE,
                          "%s: missing (each mixture part needs weight: w)",
                          sub);
        if (wv->kind != YN_SCALAR || !num_text(wv->text, weight) ||
            !(*weight > 0))
            return err_expect(c, wv, sub, SIM_ERANGE, "a number > 0");
        if (record && add_loc(c, sub, wk, wv) != SIM_OK)
            return c->d ? c->d->code : SIM_ENOMEM;
    }
    /* the form follows from the parameter names */
    static const enum dist_form forms[] = {
        [DIST_FIXED] = DFORM_VALUE,         [DIST_EXPONENTIAL] = DFORM_MEAN,
        [DIST_LOGNORMAL] = DFORM_MEDIAN_P95, [DIST_GAMMA] = DFORM_MEAN_CV,
        [DIST_WEIBULL] = DFORM_SCALE_SHAPE,  [DIST_UNIFORM] = DFORM_MIN_MAX,
        [DIST_EMPIRICAL] = DFORM_PATH_COLUMN, [DIST_MIXTURE] = DFORM_PARTS};
    d->form = forms[kind];
    if (kind == DIST_LOGNORMAL) {
        static const enum dist_form lf[] = {DFORM_MEDIAN_P95, DFORM_MEAN_CV,
                                            DFORM_MU_SIGMA};
        int nf = 0;
        for (int i = 0; i < 3; i++) {
            const struct scn_form *fm = &scn__forms[lf[i]];
            if (map_get(v, fm->a, NULL) || map_get(v, fm->b, NULL)) {
                d->form = lf[i];
                nf++;
            }
        }
        if (nf > 1)
            return err_at(c, v, SIM_EPARSE,
                          "%s: lognormal takes median + p95, or mean + cv, or "
                          "mu + sigma (not a mix)", path);
    }
    const struct scn_form *fm = &scn__forms[d->form];
    const char *names[2] = {fm->a, fm->b};
    bool durs[2] = {fm->a_dur, fm->b_dur};
    const struct ynode *pv[2] = {NULL, NULL};
    for (int i = 0; i < 2 && names[i] != NULL; i++) {
        const struct ynode *pk = NULL;
        pv[i] = map_get(v, names[i], &pk);
        join_path(sub, path, names[i]);
        if (pv[i] == NULL) {
            if (fm->b != NULL)
                return err_at(c, v, SIM_EPARSE,
                              "%s: missing (dist %s needs %s and %s)", sub,
                              scn__dist_names[kind], fm->a, fm->b);
            return err_at(c, v, SIM_EPARSE, "%s: missing (dist %s needs %s)",
                          sub, scn__dist_names[kind], fm->a);
        }
        if (record && add_loc(c, sub, pk, pv[i]) != SIM_OK)
            return c->d ? c->d->code : SIM_ENOMEM;
        if (d->form == DFORM_PATH_COLUMN || d->form == DFORM_PARTS)
            continue;
        int rc = dist_param(c, pv[i], sub, durs[i], counts, &d->given[i]);
        if (rc != SIM_OK)
            return rc;
    }
    double a = d->given[0], bb = d->given[1];
    char pa[PATH_MAX_], pb[PATH_MAX_];
    join_path(pa, path, names[0]);
    join_path(pb, path, names[1] ? names[1] : "");
    switch (d->form) {
    case DFORM_VALUE:
        d->p1 = a;
        break;
    case DFORM_MEAN:
        if (!(a > 0))
            return err_expect(c, pv[0], pa, SIM_ERANGE, "a mean > 0");
        d->p1 = a;
        break;
    case DFORM_MEDIAN_P95:
        if (!(a > 0))
            return err_expect(c, pv[0], pa, SIM_ERANGE, "a median > 0");
        if (!(bb > a))
            return err_expect(c, pv[1], pb, SIM_ERANGE,
                              "a p95 greater than the median");
        d->p1 = log(a);
        d->p2 = (log(bb) - d->p1) / gsl_cdf_ugaussian_Pinv(0.95);
        break;
    case DFORM_MEAN_CV: {
        if (!(a > 0))
            return err_expect(c, pv[0], pa, SIM_ERANGE, "a mean > 0");
        if (!(bb > 0))
            return err_expect(c, pv[1], pb, SIM_ERANGE, "a cv > 0");
        if (kind == DIST_GAMMA) {
            d->p1 = 1.0 / (bb * bb);
            d->p2 = a * bb * bb;
        } else {
            double s2 = log1p(bb * bb);
            d->p1 = log(a) - 0.5 * s2;
            d->p2 = sqrt(s2);
        }
        break;
    }
    case DFORM_MU_SIGMA:
        if (!(bb > 0))
            return err_expect(c, pv[1], pb, SIM_ERANGE, "a sigma > 0");
        d->p1 = a;
        d->p2 = bb;
        break;
    case DFORM_SCALE_SHAPE:
        if (!(a > 0))
            return err_expect(c, pv[0], pa, SIM_ERANGE, "a scale > 0");
        if (!(bb > 0))
            return err_expect(c, pv[1], pb, SIM_ERANGE, "a shape > 0");
        d->p1 = a;
        d->p2 = bb;
        break;
    case DFORM_MIN_MAX:
        if (!(bb >= a))
            return err_expect(c, pv[1], pb, SIM_ERANGE,
                              "a max >= the min");
        d->p1 = a;
        d->p2 = bb;
        break;
    case DFORM_PATH_COLUMN:
        if (pv[0]->kind != YN_SCALAR || is_null(pv[0]))
            return err_expect(c, pv[0], pa, SIM_EPARSE, "a CSV file path");
        if (pv[1]->kind != YN_SCALAR || is_null(pv[1]))
            return err_expect(c, pv[1], pb, SIM_EPARSE,
                              "a column name or 1-based index");
        d->path_as_written = strdup(pv[0]->text);
        d->path = resolve(c->scn, pv[0]);
        d->column = strdup(pv[1]->text);
        if (!d->path_as_written || !d->path || !d->column)
            return err_at(c, NULL, SIM_ENOMEM, "out of memory");
        return read_empirical(c, d, path, pv[0], pv[1]);
    case DFORM_PARTS: {
        const struct ynode *parts = pv[0];
        if (parts->kind != YN_SEQ || parts->n == 0)
            return err_expect(c, parts, pa, SIM_EPARSE,
                              "a list of parts like [{weight: 0.2, dist: "
                              "fixed, value: 30s}, ...]");
        d->parts = calloc(parts->n, sizeof *d->parts);
        d->weights = calloc(parts->n, sizeof *d->weights);
        if (d->parts == NULL || d->weights == NULL)
            return err_at(c, NULL, SIM_ENOMEM, "out of memory");
        d->n_parts = parts->n;
        for (size_t i = 0; i < parts->n; i++)
            dist_set_fixed(&d->parts[i], 0.0);
        for (size_t i = 0; i < parts->n; i++) {
            pathf(sub, "%s[%zu]", pa, i);
            int rc = parse_dist(c, parts->vals[i], sub, &d->parts[i], counts,
                                &d->weights[i], record);
            if (rc != SIM_OK)
                return rc;
        }
        break;
    }
    }
    return SIM_OK;
}

/* Parse a distribution: a bare duration (fixed) or a mapping with dist:.
 * counts: the values are plain numbers (batch sizes). weight != NULL: a
 * mixture part, which must also carry weight: w. */
static int parse_dist(struct ctx *c, const struct ynode *v, const char *path,
                      struct dist *d, bool counts, double *weight,
                      bool record)
{
    dist_set_fixed(d, 0.0);
    if (v != NULL && v->kind == YN_MAP)
        return dist_from_map(c, v, path, d, counts, weight, record);
    if (v == NULL || v->kind != YN_SCALAR || is_null(v) || weight != NULL)
        return err_expect(c, v, path, SIM_EPARSE,
                          weight != NULL
                              ? "a mapping like {weight: 0.2, dist: fixed, "
                                "value: 30s}"
                          : counts ? "a count or a mapping with dist:"
                                   : "a duration like 30s or a mapping with "
                                     "dist:");
    double x;
    int rc = dist_param(c, v, path, true, counts, &x);
    if (rc != SIM_OK)
        return rc;
    dist_set_fixed(d, x);
    return SIM_OK;
}

/* ---- the typed walk ------------------------------------------------------ */

static int parse_table(struct ctx *c, const struct scn_table *t, void *base,
                       const struct ynode *map, const struct ynode *where,
                       const char *prefix, bool record);

static const char *const *enum_names(const struct scn_key *k)
{
    return k->names;
}

static int parse_list(struct ctx *c, const struct scn_key *k, void *base,
                      const struct ynode *v, const char *path, bool record)
{
    char **items = AT(base, k->off, char *);
    size_t *count = AT(base, k->aux - 1, size_t);
    size_t n = v == NULL ? 1 : v->n; /* NULL: KF_ONE default */
    if (v != NULL && (v->kind != YN_SEQ || v->n == 0))
        return err_expect(c, v, path, SIM_EPARSE, "a non-empty list");
    *items = calloc(n, k->elem);
    if (*items == NULL)
        return err_at(c, NULL, SIM_ENOMEM, "out of memory");
    *count = n;
    for (size_t i = 0; i < n; i++) {
        char sub[PATH_MAX_];
        pathf(sub, "%s[%zu]", path, i);
        const struct ynode *it = v ? v->vals[i] : NULL;
        if (it != NULL && it->kind != YN_MAP)
            return err_expect(c, it, sub, SIM_EPARSE, "a mapping");
        int rc = parse_table(c, k->sub, *items + i * k->elem, it,
                             it ? it : v, sub, record);
        if (rc != SIM_OK)
            return rc;
    }
    return SIM_OK;
}

/* Write a node as flow YAML text (for sweep values). */
static void flow_text(FILE *f, const struct ynode *n)
{
    if (n == NULL) {
        fputs("~", f);
        return;
    }
    if (n->kind == YN_SCALAR) {
        const char *s = n->text;
        if (!n->quoted && s[0] != '\0' && strpbrk(s, ",[]{}#&*!|>'\"%@`") ==
                                              NULL && strstr(s, ": ") == NULL &&
            s[0] != ' ' && s[strlen(s) - 1] != ' ') {
            fputs(s, f);
            return;
        }
        fputc('"', f);
        for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
            if (*p == '"' || *p == '\\')
                fprintf(f, "\\%c", *p);
            else if (*p < 0x20)
                fprintf(f, "\\x%02x", *p);
            else
                fputc(*p, f);
        }
        fputc('"', f);
        return;
    }
    fputc(n->kind == YN_MAP ? '{' : '[', f);
    for (size_t i = 0; i < n->n; i++) {
        if (i > 0)
            fputs(", ", f);
        if (n->kind == YN_MAP) {
            flow_text(f, n->keys[i]);
            fputs(": ", f);
        }
        flow_text(f, n->vals[i]);
    }
    fputc(n->kind == YN_MAP ? '}' : ']', f);
}

static char *node_text(const struct ynode *n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL)
        return NULL;
    flow_text(f, n);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static int parse_sweep(struct ctx *c, const struct ynode *v, bool record)
{
    struct scenario *s = c->scn;
    if (is_null(v))
        return SIM_OK;
    if (v->kind != YN_MAP)
        return err_expect(c, v, "sweep", SIM_EPARSE,
                          "a mapping of key path -> list of values");
    s->sweep = calloc(v->n ? v->n : 1, sizeof *s->sweep);
    if (s->sweep == NULL)
        return err_at(c, NULL, SIM_ENOMEM, "out of memory");
    for (size_t i = 0; i < v->n; i++) {
        const struct ynode *k = v->keys[i], *vals = v->vals[i];
        char sub[PATH_MAX_];
        join_path(sub, "sweep", k->text);
        if (!path_known(k->text))
            return err_at(c, k, SIM_EPARSE,
                          "%s: unknown key path (a sweep axis must name a key "
                          "of the scenario, e.g. scale.max_executions)", sub);
        struct scn_axis *ax = &s->sweep[s->n_sweep++];
        size_t n = vals->kind == YN_SEQ ? vals->n : 1;
        if (n == 0 || is_null(vals) || vals->kind == YN_MAP)
            return err_expect(c, vals, sub, SIM_EPARSE,
                              "a non-empty list of values like [5, 10, 20]");
        ax->path = strdup(k->text);
        ax->values = calloc(n, sizeof *ax->values);
        if (ax->path == NULL || ax->values == NULL)
            return err_at(c, NULL, SIM_ENOMEM, "out of memory");
        for (size_t j = 0; j < n; j++) {
            ax->values[j] = node_text(vals->kind == YN_SEQ ? vals->vals[j]
                                                           : vals);
            if (ax->values[j] == NULL)
                return err_at(c, NULL, SIM_ENOMEM, "out of memory");
            ax->n_values = j + 1;
        }
        if (record && add_loc(c, sub, k, vals) != SIM_OK)
            return c->d ? c->d->code : SIM_ENOMEM;
    }
    return SIM_OK;
}

static int parse_arrivals(struct ctx *c, const struct ynode *key,
                          const struct ynode *v, bool record)
{
    struct scenario *s = c->scn;
    c->arrivals = key;
    if (v == NULL || (v->kind != YN_MAP && v->kind != YN_SEQ) ||
        (v->kind == YN_SEQ && v->n == 0))
        return err_expect(c, v ? v : key, "arrivals", SIM_EPARSE,
                          "a mapping with trace: or process: (or a list of "
                          "them)");
    s->arrivals_is_list = v->kind == YN_SEQ;
    size_t n = s->arrivals_is_list ? v->n : 1;
    s->arrivals = calloc(n, sizeof *s->arrivals);
    if (s->arrivals == NULL)
        return err_at(c, NULL, SIM_ENOMEM, "out of memory");
    s->n_arrivals = n;
    for (size_t i = 0; i < n; i++) {
        struct scn_arrival_item *a = &s->arrivals[i];
        dist_set_fixed(&a->process.size, 0.0);
        const struct ynode *it = s->arrivals_is_list ? v->vals[i] : v;
        char pre[PATH_MAX_], sub[PATH_MAX_];
        if (s->arrivals_is_list)
            pathf(pre, "arrivals[%zu]", i);
        else
            pathf(pre, "arrivals");
        if (it->kind != YN_MAP)
            return err_expect(c, it, pre, SIM_EPARSE,
                              "a mapping with trace: or process:");
        const struct ynode *found = NULL;
        for (size_t j = 0; j < it->n; j++) {
            const struct ynode *k = it->keys[j];
            join_path(sub, pre, k->text);
            if (strcmp(k->text, "trace") != 0 &&
                strcmp(k->text, "process") != 0)
                return err_at(c, k, SIM_EPARSE,
                              "%s: unknown key (expected one of: trace, "
                              "process)", sub);
            if (found != NULL)
                return err_at(c, k, SIM_EPARSE,
                              "%s: give exactly one of trace or process", pre);
            found = k;
        }
        if (found == NULL)
            return err_at(c, it, SIM_EPARSE,
                          "%s: missing trace or process", pre);
        const struct ynode *val = map_get(it, found->text, NULL);
        join_path(sub, pre, found->text);
        if (record && s->arrivals_is_list && add_loc(c, pre, it, it) != SIM_OK)
            return c->d ? c->d->code : SIM_ENOMEM;
        if (record && add_loc(c, sub, found, val) != SIM_OK)
            return c->d ? c->d->code : SIM_ENOMEM;
        if (is_null(val) || val->kind != YN_MAP)
            return err_expect(c, is_null(val) ? found : val, sub, SIM_EPARSE,
                              "a mapping");
        a->is_trace = strcmp(found->text, "trace") == 0;
        int rc = parse_table(c, a->is_trace ? &scn__trace : &scn__process,
                             a->is_trace ? (void *)&a->trace
                                         : (void *)&a->process,
                             val, found, sub, record);
        if (rc != SIM_OK)
            return rc;
    }
    return SIM_OK;
}

/* Parse the value v of key k (present and not a default-less null). */
static int parse_value(struct ctx *c, const struct scn_key *k, void *base,
                       const struct ynode *key, const struct ynode *v,
                       const char *path, bool record)
{
    if (record && add_loc(c, path, key, v) != SIM_OK)
        return c->d ? c->d->code : SIM_ENOMEM;
    bool *has = k->aux != 0 && (k->flags & KF_NULL)
                    ? AT(base, k->aux - 1, bool) : NULL;
    if (is_null(v) && k->type != KT_ARRIVALS && k->type != KT_SWEEP) {
        if (k->type == KT_SECTION)
            return parse_table(c, k->sub, AT(base, k->off, char), NULL, key,
                               path, record);
        if (k->flags & KF_NULL)
            return SIM_OK; /* has-flag false, string NULL: already zero */
    }
    bool scalar_kind = k->type <= KT_ENUM;
    if (scalar_kind && (v == NULL || v->kind != YN_SCALAR || is_null(v))) {
        static const char *const what[] = {
            [KT_STR] = "a string", [KT_PATH] = "a file path",
            [KT_DUR] = "a duration like 30s",
            [KT_MEM] = "a memory size like 0.5Gi or 512Mi",
            [KT_RATE] = "a rate like 5/s or 300/min",
            [KT_INT] = "an integer", [KT_SEED] = "an integer",
            [KT_NUM] = "a number", [KT_BOOL] = "true or false",
            [KT_ENUM] = "a name"};
        return err_expect(c, v ? v : key, path, SIM_EPARSE, what[k->type]);
    }
    int rc;
    double x = 0.0;
    switch (k->type) {
    case KT_STR:
        *AT(base, k->off, char *) = strdup(v->text);
        if (*AT(base, k->off, char *) == NULL)
            return err_at(c, NULL, SIM_ENOMEM, "out of memory");
        break;
    case KT_PATH:
        *AT(base, k->aux - 1, char *) = strdup(v->text);
        *AT(base, k->off, char *) = resolve(c->scn, v);
        if (!*AT(base, k->aux - 1, char *) || !*AT(base, k->off, char *))
            return err_at(c, NULL, SIM_ENOMEM, "out of memory");
        break;
    case KT_DUR: {
        sim_time us;
        rc = scn_parse_duration(v->text, &us);
        if (rc != SIM_OK)
            return err_expect(c, v, path, rc,
                              rc == SIM_ERANGE
                                  ? "a duration from 0 to 1e11 s (3,170 years)"
                                  : "a duration like 30s");
        if ((rc = check_range(c, k, sim_to_s(us), v, path)) != SIM_OK)
            return rc;
        *AT(base, k->off, sim_time) = us;
        break;
    }
    case KT_MEM:
    case KT_RATE:
        rc = k->type == KT_MEM ? scn_parse_memory(v->text, &x)
                               : scn_parse_rate(v->text, &x);
        if (rc != SIM_OK)
            return err_expect(
                c, v, path, rc,
                k->type == KT_MEM
                    ? (rc == SIM_ERANGE ? "a non-negative memory size"
                                        : "a memory size like 0.5Gi or 512Mi")
                    : (rc == SIM_ERANGE ? "a non-negative rate"
                                        : "a rate like 5/s or 300/min"));
        if ((rc = check_range(c, k, x, v, path)) != SIM_OK)
            return rc;
        *AT(base, k->off, double) = x;
        break;
    case KT_INT: {
        int64_t i;
        if (!int_text(v->text, &i))
            return err_expect(c, v, path, SIM_EPARSE, "an integer");
        if ((rc = check_range(c, k, (double)i, v, path)) != SIM_OK)
            return rc;
        *AT(base, k->off, int64_t) = i;
        break;
    }
    case KT_SEED: {
        int64_t i;
        if (!int_text(v->text, &i) || i < 0 || i > (int64_t)UINT32_MAX)
            return err_expect(c, v, path, SIM_ERANGE,
                              "an integer in [0, 4294967295]");
        *AT(base, k->off, uint32_t) = (uint32_t)i;
        break;
    }
    case KT_NUM:
        if (!num_text(v->text, &x))
            return err_expect(c, v, path, SIM_EPARSE, "a number");
        if ((rc = check_range(c, k, x, v, path)) != SIM_OK)
            return rc;
        *AT(base, k->off, double) = x;
        break;
    case KT_BOOL:
        if (strcmp(v->text, "true") == 0 || strcmp(v->text, "True") == 0 ||
            strcmp(v->text, "TRUE") == 0)
            *AT(base, k->off, bool) = true;
        else if (strcmp(v->text, "false") == 0 ||
                 strcmp(v->text, "False") == 0 || strcmp(v->text, "FALSE") == 0)
            *AT(base, k->off, bool) = false;
        else
            return err_expect(c, v, path, SIM_EPARSE, "true or false");
        break;
    case KT_ENUM: {
        const char *const *names = enum_names(k);
        for (int i = 0; names[i] != NULL; i++) {
            if (strcmp(v->text, names[i]) == 0) {
                *AT(base, k->off, int) = i;
                goto set;
            }
        }
        char list[300] = "";
        for (int i = 0; names[i] != NULL; i++) {
            strcat(list, i ? ", " : "one of ");
            strcat(list, names[i]);
        }
        return err_expect(c, v, path, SIM_EPARSE, list);
    }
    case KT_DIST:
    case KT_CDIST:
        return parse_dist(c, v, path, AT(base, k->off, struct dist),
                          k->type == KT_CDIST, NULL, record);
    case KT_SECTION:
        if (has != NULL)
            *has = true;
        return parse_table(c, k->sub, AT(base, k->off, char), v, key, path,
                           record);
    case KT_LIST:
        if (is_null(v))
            return err_expect(c, v, path, SIM_EPARSE, "a non-empty list");
        return parse_list(c, k, base, v, path, record);
    case KT_ARRIVALS:
        return parse_arrivals(c, key, v, record);
    case KT_SWEEP:
        return parse_sweep(c, v, record);
    }
set:
    if (has != NULL)
        *has = true;
    return SIM_OK;
}

/* Apply key k's default (its def text parsed like a file value). */
static int apply_default(struct ctx *c, const struct scn_key *k, void *base,
                         const char *path)
{
    struct ynode *v = NULL;
    int rc = yaml_to_tree(c, k->def, strlen(k->def), false, 0, 0, path, &v);
    if (rc == SIM_OK)
        rc = parse_value(c, k, base, NULL, v, path, false);
    ynode_free(v);
    return rc;
}

/* Comma-separated names of the keys of t that apply for discriminator
 * value disc. */
static void key_list(const struct scn_table *t, int disc, char *out, size_t n)
{
    out[0] = '\0';
    for (size_t i = 0; i < t->n; i++) {
        const struct scn_key *k = &t->keys[i];
        if (k->mask != 0 && (disc < 0 || !(k->mask & (1u << disc))))
            continue;
        size_t len = strlen(out);
        snprintf(out + len, n - len, "%s%s", len ? ", " : "", k->name);
    }
}

/* Refuse key k, written at kn (full path path) in a table at prefix whose
 * discriminator dk has value disc, because k does not apply to that value:
 * "source.lock_duration: applies only to source.kind service-bus, this
 * source is storage-queue". is is the table's disc_is format. */
static int refuse_key(struct ctx *c, const struct ynode *kn, const char *path,
                      const char *prefix, const struct scn_key *k,
                      const struct scn_key *dk, int disc, const char *is)
{
    char dpath[PATH_MAX_], names[300] = "", tail[200];
    join_path(dpath, prefix, dk->name);
    size_t n_ok = 0;
    for (int j = 0; dk->names[j] != NULL; j++)
        n_ok += (k->mask & (1u << j)) != 0;
    for (int j = 0, seen = 0; dk->names[j] != NULL; j++) {
        if (!(k->mask & (1u << j)))
            continue;
        size_t len = strlen(names);
        seen++;
        snprintf(names + len, sizeof names - len, "%s%s",
                 seen == 1 ? "" : (size_t)seen == n_ok ? " or " : ", ",
                 dk->names[j]);
    }
    snprintf(tail, sizeof tail, is, dk->names[disc]);
    return err_at(c, kn, SIM_EPARSE, "%s: applies only to %s %s, %s", path,
                  dpath, names, tail);
}

static int parse_table(struct ctx *c, const struct scn_table *t, void *base,
                       const struct ynode *map, const struct ynode *where,
                       const char *prefix, bool record)
{
    char path[PATH_MAX_], list[600];
    if (is_null(map))
        map = NULL;
    if (map != NULL && map->kind != YN_MAP)
        return err_expect(c, map, prefix[0] ? prefix : "(top level)",
                          SIM_EPARSE, "a mapping");
    if (map != NULL)
        where = map;
    /* the discriminator first: it decides which keys apply */
    int disc = -1;
    const struct scn_key *dk = NULL;
    for (size_t i = 0; i < t->n; i++) {
        const struct scn_key *k = &t->keys[i];
        if (!(k->flags & KF_DISC))
            continue;
        dk = k;
        const struct ynode *kn = NULL, *v = map_get(map, k->name, &kn);
        join_path(path, prefix, k->name);
        int rc = SIM_OK;
        if (v != NULL) {
            rc = parse_value(c, k, base, kn, v, path, record);
        } else if (k->follow != NULL) {
            *AT(base, k->off, int) = k->follow(c->scn, -1, NULL, 0);
        } else if (k->def != NULL) {
            rc = apply_default(c, k, base, path);
        } else {
            list[0] = '\0';
            for (size_t j = 0; k->names[j] != NULL; j++)
                snprintf(list + strlen(list), sizeof list - strlen(list),
                         "%s%s", j ? ", " : "", k->names[j]);
            return err_at(c, where, SIM_EPARSE, "%s: missing (one of: %s)",
                          path, list);
        }
        if (rc != SIM_OK)
            return rc;
        disc = *AT(base, k->off, int);
        char why[300];
        if (v != NULL && k->follow != NULL &&
            k->follow(c->scn, disc, why, sizeof why) != disc)
            return err_at(c, v, SIM_EPARSE, "%s: %s %s", path,
                          k->names[disc], why);
    }
    /* every written key must be a key of the table that applies */
    for (size_t i = 0; map != NULL && i < map->n; i++) {
        const struct ynode *kn = map->keys[i];
        const struct scn_key *k = NULL;
        for (size_t j = 0; j < t->n && k == NULL; j++)
            if (strcmp(t->keys[j].name, kn->text) == 0)
                k = &t->keys[j];
        join_path(path, prefix, kn->text);
        key_list(t, disc, list, sizeof list);
        if (k == NULL)
            return err_at(c, kn, SIM_EPARSE,
                          "%s: unknown key (expected one of: %s)", path, list);
        if (k->mask != 0 && !(k->mask & (1u << disc))) {
            if (t->disc_is != NULL && dk != NULL)
                return refuse_key(c, kn, path, prefix, k, dk, disc,
                                  t->disc_is);
            return err_at(c, kn, SIM_EPARSE,
                          "%s: not a key of %s %s (expected one of: %s)",
                          path, dk ? dk->name : "this",
                          dk ? dk->names[disc] : "", list);
        }
    }
    for (size_t i = 0; i < t->n; i++) {
        const struct scn_key *k = &t->keys[i];
        if ((k->flags & KF_DISC) || (k->mask != 0 && !(k->mask & (1u << disc))))
            continue;
        const struct ynode *kn = NULL, *v = map_get(map, k->name, &kn);
        join_path(path, prefix, k->name);
        int rc;
        if (v != NULL)
            rc = parse_value(c, k, base, kn, v, path, record);
        else if (k->def != NULL)
            rc = apply_default(c, k, base, path);
        else if (k->flags & KF_REQ)
            rc = err_at(c, where, SIM_EPARSE, "%s: missing (required%s%s)",
                        path, disc >= 0 ? " for kind " : "",
                        disc >= 0 ? dk->names[disc] : "");
        else if (k->type == KT_SECTION)
            rc = parse_table(c, k->sub, AT(base, k->off, char), NULL, where,
                             path, record);
        else if (k->type == KT_LIST && (k->flags & KF_ONE))
            rc = parse_list(c, k, base, NULL, path, record);
        else
            rc = SIM_OK;
        if (rc != SIM_OK)
            return rc;
    }
    return SIM_OK;
}

/* ---- cross-key defaults and checks -------------------------------------- */

static int finish(struct ctx *c)
{
    struct scenario *s = c->scn;
    char b1[64], p[PATH_MAX_];
    if (s->name != NULL) {
        /* The name becomes a folder under results/: one plain path
         * component, nothing that could climb out of it. */
        size_t n = strlen(s->name);
        bool ok = n > 0 && n <= 200 && s->name[0] != '.';
        for (size_t i = 0; ok && i < n; i++) {
            char ch = s->name[i];
            ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                 (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
                 ch == '.';
        }
        if (!ok)
            return err_loc(c, "name", SIM_ERANGE,
                           "name: expected a plain name of letters, digits, "
                           "'-', '_' and '.' (at most 200, not starting with "
                           "'.'), got \"%.60s%s\"",
                           s->name, n > 60 ? "..." : "");
    }
    if (s->name == NULL) {
        const char *f = strrchr(s->file, '/');
        f = f ? f + 1 : s->file;
        size_t n = strlen(f);
        if (n > 5 && strcmp(f + n - 5, ".yaml") == 0)
            n -= 5;
        else if (n > 4 && strcmp(f + n - 4, ".yml") == 0)
            n -= 4;
        s->name = n > 0 ? strndup(f, n) : strdup("scenario");
        if (s->name == NULL)
            return err_at(c, NULL, SIM_ENOMEM, "out of memory");
    }
    if (!s->has_sample_interval)
        s->sample_interval_us = s->scale.polling_interval_us;
    if (s->baseline.cpu == 0.0)
        s->baseline.cpu = s->job.cpu;
    if (s->baseline.memory_gib == 0.0)
        s->baseline.memory_gib = s->job.memory_gib;
    if (!s->downstream.has_burst)
        s->downstream.burst = s->downstream.rate_per_s * 1.0;
    bool process = false;
    for (size_t i = 0; i < s->n_arrivals; i++) {
        const struct scn_arrival_item *a = &s->arrivals[i];
        char pre[PATH_MAX_];
        if (s->arrivals_is_list)
            pathf(pre, "arrivals[%zu]", i);
        else
            pathf(pre, "arrivals");
        if (a->is_trace) {
            if (a->trace.has_start && a->trace.has_end &&
                a->trace.end_us <= a->trace.start_us) {
                pathf(p, "%s.trace.end", pre);
                scn__fmt_dur(b1, sizeof b1, a->trace.start_us);
                return err_loc(c, p, SIM_ERANGE,
                               "%s: expected a time after start (%s)", p, b1);
            }
            if ((a->trace.filter.column == NULL) !=
                (a->trace.filter.equals == NULL)) {
                pathf(p, "%s.trace.filter.%s", pre,
                      a->trace.filter.column == NULL ? "equals" : "column");
                return err_loc(c, p, SIM_EPARSE,
                               "%s.trace.filter: expected both column and "
                               "equals", pre);
            }
            continue;
        }
        process = true;
        for (size_t j = 1; j < a->process.n_steps; j++) {
            if (a->process.steps[j].at_us > a->process.steps[j - 1].at_us)
                continue;
            pathf(p, "%s.process.steps[%zu].at", pre, j);
            scn__fmt_dur(b1, sizeof b1, a->process.steps[j - 1].at_us);
            return err_loc(c, p, SIM_ERANGE,
                           "%s: expected a time after the previous step's "
                           "(%s); steps must be in time order", p, b1);
        }
    }
    if (process && !s->has_horizon)
        return err_at(c, c->arrivals, SIM_EPARSE,
                      "horizon: required when arrivals is a process "
                      "(e.g. horizon: 2h)");
    if (s->has_horizon && s->warmup_us >= s->horizon_us) {
        scn__fmt_dur(b1, sizeof b1, s->horizon_us);
        return err_loc(c, "warmup", SIM_ERANGE,
                       "warmup: expected less than horizon (%s)", b1);
    }
    if (s->scale.min_executions > s->scale.max_executions)
        return err_loc(c, "scale.min_executions", SIM_ERANGE,
                       "scale.min_executions: expected at most "
                       "scale.max_executions (%" PRId64 "), got %" PRId64,
                       s->scale.max_executions, s->scale.min_executions);
    if (s->job.replica_completion_count > s->job.parallelism)
        return err_loc(c, "job.replica_completion_count", SIM_ERANGE,
                       "job.replica_completion_count: expected at most "
                       "job.parallelism (%" PRId64 "), got %" PRId64,
                       s->job.parallelism, s->job.replica_completion_count);
    if (s->cost.dedicated.min_nodes > s->cost.dedicated.max_nodes)
        return err_loc(c, "cost.dedicated.min_nodes", SIM_ERANGE,
                       "cost.dedicated.min_nodes: expected at most "
                       "cost.dedicated.max_nodes (%" PRId64 ")",
                       s->cost.dedicated.max_nodes);
    /* sampling tables, built once: the scenario is read-only afterwards */
    struct dist *ds[] = {&s->job.startup, &s->job.claim, &s->job.duration};
    for (size_t i = 0; i < 3; i++)
        if (dist_prepare(ds[i]) != SIM_OK)
            return err_at(c, NULL, SIM_ENOMEM, "out of memory");
    for (size_t i = 0; i < s->n_arrivals; i++)
        if (dist_prepare(&s->arrivals[i].process.size) != SIM_OK)
            return err_at(c, NULL, SIM_ENOMEM, "out of memory");
    return SIM_OK;
}

/* ---- freeing ------------------------------------------------------------- */

static void free_table(const struct scn_table *t, void *base)
{
    for (size_t i = 0; i < t->n; i++) {
        const struct scn_key *k = &t->keys[i];
        switch (k->type) {
        case KT_STR:
            free(*AT(base, k->off, char *));
            break;
        case KT_PATH:
            free(*AT(base, k->off, char *));
            free(*AT(base, k->aux - 1, char *));
            break;
        case KT_DIST:
        case KT_CDIST:
            dist_fini(AT(base, k->off, struct dist));
            break;
        case KT_SECTION:
            free_table(k->sub, AT(base, k->off, char));
            break;
        case KT_LIST: {
            char *items = *AT(base, k->off, char *);
            size_t n = *AT(base, k->aux - 1, size_t);
            for (size_t j = 0; items != NULL && j < n; j++)
                free_table(k->sub, items + j * k->elem);
            free(items);
            break;
        }
        default:
            break;
        }
    }
}

void scn_fini(struct scenario *scn)
{
    if (scn == NULL)
        return;
    free_table(&scn__top, scn);
    for (size_t i = 0; scn->arrivals != NULL && i < scn->n_arrivals; i++) {
        free_table(&scn__trace, &scn->arrivals[i].trace);
        free_table(&scn__process, &scn->arrivals[i].process);
    }
    free(scn->arrivals);
    for (size_t i = 0; scn->sweep != NULL && i < scn->n_sweep; i++) {
        for (size_t j = 0; j < scn->sweep[i].n_values; j++)
            free(scn->sweep[i].values[j]);
        free(scn->sweep[i].values);
        free(scn->sweep[i].path);
    }
    free(scn->sweep);
    for (size_t i = 0; i < scn->n_locs; i++)
        free(scn->locs[i].path);
    free(scn->locs);
    free(scn->file);
    free(scn->base_dir);
    memset(scn, 0, sizeof *scn);
}

/* ---- public entry points ------------------------------------------------- */

static int load(struct scenario *scn, const char *text, size_t len,
                const char *file, const char *base_dir,
                const struct scn_override *ov, size_t n_ov, struct diag *d)
{
    memset(scn, 0, sizeof *scn);
    struct ctx c = {scn, d, MAX_NODES, NULL};
    scn->file = strdup(file ? file : "");
    scn->base_dir = strdup(base_dir ? base_dir : ".");
    /* zeroed dists are "fixed 0" already; make that explicit */
    dist_set_fixed(&scn->job.startup, 0.0);
    dist_set_fixed(&scn->job.claim, 0.0);
    dist_set_fixed(&scn->job.duration, 0.0);
    if (scn->file == NULL || scn->base_dir == NULL) {
        scn_fini(scn);
        return diag_set(d, SIM_ENOMEM, file, 0, 0, "out of memory");
    }
    struct ynode *root = NULL;
    int rc = yaml_to_tree(&c, text, len, false, 0, 0, "", &root);
    for (size_t i = 0; rc == SIM_OK && i < n_ov; i++)
        rc = apply_override(&c, &root, &ov[i], (int)i + 1);
    if (rc == SIM_OK && root != NULL && root->kind != YN_MAP)
        rc = err_expect(&c, root, "(top level)", SIM_EPARSE,
                        "a mapping of keys (name:, arrivals:, job:, ...)");
    if (rc == SIM_OK && map_get(root, "arrivals", NULL) == NULL)
        rc = diag_set(d, SIM_EPARSE, scn->file, root ? root->line : 0,
                      root ? root->col : 0,
                      "arrivals: missing (a scenario needs arrivals: with "
                      "trace: or process:)");
    if (rc == SIM_OK)
        rc = parse_table(&c, &scn__top, scn, root, root, "", true);
    if (rc == SIM_OK)
        rc = finish(&c);
    ynode_free(root);
    if (rc != SIM_OK)
        scn_fini(scn);
    return rc;
}

int scn_load_string(struct scenario *scn, const char *text, const char *file,
                    const char *base_dir, const struct scn_override *ov,
                    size_t n_ov, struct diag *d)
{
    if (d != NULL)
        diag_init(d);
    return load(scn, text ? text : "", text ? strlen(text) : 0,
                file ? file : "<string>", base_dir, ov, n_ov, d);
}

int scn_load(struct scenario *scn, const char *path,
             const struct scn_override *ov, size_t n_ov, struct diag *d)
{
    if (d != NULL)
        diag_init(d);
    memset(scn, 0, sizeof *scn);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return diag_set(d, SIM_EIO, path, 0, 0, "cannot open: %s",
                        strerror(errno));
    char *text = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 4096 > cap) {
            cap = cap ? 2 * cap : 65536;
            char *t = realloc(text, cap);
            if (t == NULL) {
                free(text);
                fclose(f);
                return diag_set(d, SIM_ENOMEM, path, 0, 0, "out of memory");
            }
            text = t;
        }
        size_t got_n = fread(text + len, 1, cap - len, f);
        len += got_n;
        if (got_n == 0)
            break;
    }
    bool bad = ferror(f) != 0;
    fclose(f);
    if (bad) {
        free(text);
        return diag_set(d, SIM_EIO, path, 0, 0, "cannot read: %s",
                        strerror(errno));
    }
    char dir[1024];
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    int rc = load(scn, text, len, path, dir, ov, n_ov, d);
    free(text);
    return rc;
}

int scn_override_parse(const char *arg, struct scn_override *ov,
                       struct diag *d)
{
    const char *eq = strchr(arg, '=');
    if (eq == NULL || eq == arg)
        return diag_set(d, SIM_EINVAL, "--set", 0, 0,
                        "%s: expected PATH=VALUE, e.g. scale.max_executions=20",
                        arg);
    /* Both point into arg (not copied), so ov->path is "PATH=VALUE": it
     * ends at the '=', which scn_load() treats as the end of the path. */
    ov->path = arg;
    ov->value = eq + 1;
    return SIM_OK;
}

const struct scn_loc *scn_loc(const struct scenario *scn, const char *path)
{
    for (size_t i = 0; i < scn->n_locs; i++)
        if (strcmp(scn->locs[i].path, path) == 0)
            return &scn->locs[i];
    return NULL;
}
