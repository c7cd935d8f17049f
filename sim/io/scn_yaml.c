/* sim/io/scn_yaml.c - YAML text to the loader's tree, with libyaml's event
 * parser (see scn_yaml.h).
 *
 * The tree is built event by event, so the nesting limit and the node
 * budget stop a hostile file as soon as it goes too deep or too big (a
 * 100,000-deep document is refused after its first 65 levels, instead of
 * being loaded whole by the document API first). Aliases are expanded into
 * copies, each copied node counted against the budget. */
#include "sim/io/scn_yaml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* Deepest nesting accepted (checked while parsing). */
enum { MAX_DEPTH = 64 };

/* An anchor seen so far: its name and the node it names (owned by the
 * tree being built). */
struct anchor {
    char *name;
    const struct ynode *node;
};

/* Build state: where positions come from. For an override, every node is
 * on "line" line (the override's index) and its column is col0 plus the
 * libyaml column inside the value text. */
struct bld {
    struct scn_ctx *c;
    yaml_parser_t *p;
    const char *text;
    size_t len;
    bool ov;
    int line, col0;
    const char *path0; /* the path the caller named, for syntax errors */
    struct anchor *anchors;
    size_t n_anchors, cap_anchors;
};

static const char *bld_file(const struct bld *b)
{
    return b->ov ? "--set" : b->c->scn->file;
}

static void mark_pos(const struct bld *b, yaml_mark_t m, int *line, int *col)
{
    if (b->ov) {
        *line = b->line;
        *col = b->col0 + (int)m.column;
    } else {
        *line = (int)m.line + 1;
        *col = (int)m.column + 1;
    }
}

/* Line and column (in characters) of byte offset off of the text: a reader
 * error (invalid UTF-8, a control character) gives only an offset. */
static void offset_pos(const struct bld *b, size_t off, int *line, int *col)
{
    int l = 1, cl = 1;
    if (off > b->len)
        off = b->len;
    for (size_t i = 0; i < off; i++) {
        unsigned char ch = (unsigned char)b->text[i];
        if (ch == '\n') {
            l++;
            cl = 1;
        } else if ((ch & 0xc0) != 0x80) {
            cl++;
        }
    }
    if (b->ov) {
        *line = b->line;
        *col = b->col0 + cl - 1;
    } else {
        *line = l;
        *col = cl;
    }
}

/* The parser's error as a diagnostic. */
static int parse_error(struct bld *b, const char *path)
{
    yaml_parser_t *p = b->p;
    int l = 0, col = 0;
    if (p->error == YAML_READER_ERROR)
        offset_pos(b, p->problem_offset, &l, &col);
    else if (p->error != YAML_MEMORY_ERROR)
        mark_pos(b, p->problem_mark, &l, &col);
    return diag_set(b->c->d, p->error == YAML_MEMORY_ERROR ? SIM_ENOMEM
                                                           : SIM_EPARSE,
                    bld_file(b), l, col, "%s%sYAML syntax error: %s%s%s",
                    path[0] ? path : "", path[0] ? ": " : "",
                    p->problem ? p->problem : "unknown problem",
                    p->context ? " " : "", p->context ? p->context : "");
}

static int next_event(struct bld *b, yaml_event_t *ev)
{
    if (!yaml_parser_parse(b->p, ev))
        return parse_error(b, b->path0);
    return SIM_OK;
}

static int too_deep(struct bld *b, yaml_mark_t m, const char *path)
{
    int line, col;
    mark_pos(b, m, &line, &col);
    return diag_set(b->c->d, SIM_ERANGE, bld_file(b), line, col,
                    "%s: document nested too deeply or too big",
                    path[0] ? path : "(top level)");
}

/* A deep copy of n (an alias), counted against the budget. */
static int copy_node(struct bld *b, const struct ynode *n, int line, int col,
                     yaml_mark_t m, const char *path, struct ynode **out)
{
    *out = NULL;
    if (b->c->budget == 0)
        return too_deep(b, m, path);
    b->c->budget--;
    struct ynode *r = scn__ynode_new(n->kind, b->ov, line, col);
    if (r == NULL)
        return scn__err_at(b->c, NULL, SIM_ENOMEM, "out of memory");
    *out = r;
    r->quoted = n->quoted;
    if (n->text != NULL && (r->text = strdup(n->text)) == NULL)
        return scn__err_at(b->c, NULL, SIM_ENOMEM, "out of memory");
    for (size_t i = 0; i < n->n; i++) {
        struct ynode *k = NULL, *v = NULL;
        int rc = n->keys != NULL
                     ? copy_node(b, n->keys[i], line, col, m, path, &k)
                     : SIM_OK;
        if (rc == SIM_OK && n->vals[i] != NULL)
            rc = copy_node(b, n->vals[i], line, col, m, path, &v);
        if (rc != SIM_OK) {
            scn__ynode_free(k);
            scn__ynode_free(v);
            return rc;
        }
        if (!scn__ynode_add(r, k, v))
            return scn__err_at(b->c, NULL, SIM_ENOMEM, "out of memory");
    }
    return SIM_OK;
}

static int add_anchor(struct bld *b, const yaml_char_t *name,
                      const struct ynode *n)
{
    if (name == NULL)
        return SIM_OK;
    if (b->n_anchors == b->cap_anchors) {
        size_t cap = b->cap_anchors ? 2 * b->cap_anchors : 8;
        struct anchor *a = realloc(b->anchors, cap * sizeof *a);
        if (a == NULL)
            return scn__err_at(b->c, NULL, SIM_ENOMEM, "out of memory");
        b->anchors = a;
        b->cap_anchors = cap;
    }
    char *s = strdup((const char *)name);
    if (s == NULL)
        return scn__err_at(b->c, NULL, SIM_ENOMEM, "out of memory");
    b->anchors[b->n_anchors++] = (struct anchor){s, n};
    return SIM_OK;
}

/* Build the node that starts with event ev (consumed here) at nesting
 * depth, and its children; *out gets it (also on error: the caller frees
 * it). */
static int build(struct bld *b, yaml_event_t *ev, const char *path,
                 int depth, struct ynode **out)
{
    struct scn_ctx *c = b->c;
    int line, col, rc = SIM_OK;
    *out = NULL;
    mark_pos(b, ev->start_mark, &line, &col);
    if (ev->type == YAML_ALIAS_EVENT) {
        const struct ynode *src = NULL;
        for (size_t i = b->n_anchors; i-- > 0 && src == NULL;)
            if (strcmp(b->anchors[i].name,
                       (const char *)ev->data.alias.anchor) == 0)
                src = b->anchors[i].node;
        if (src == NULL)
            rc = diag_set(c->d, SIM_EPARSE, bld_file(b), line, col,
                          "%s%sYAML syntax error: unknown alias *%s",
                          path[0] ? path : "", path[0] ? ": " : "",
                          (const char *)ev->data.alias.anchor);
        else
            rc = copy_node(b, src, line, col, ev->start_mark, path, out);
        yaml_event_delete(ev);
        return rc;
    }
    if (depth > MAX_DEPTH || c->budget == 0) {
        rc = too_deep(b, ev->start_mark, path);
        yaml_event_delete(ev);
        return rc;
    }
    c->budget--;
    enum ykind kind = ev->type == YAML_SEQUENCE_START_EVENT  ? YN_SEQ
                      : ev->type == YAML_MAPPING_START_EVENT ? YN_MAP
                                                             : YN_SCALAR;
    struct ynode *n = scn__ynode_new(kind, b->ov, line, col);
    if (n == NULL) {
        yaml_event_delete(ev);
        return scn__err_at(c, NULL, SIM_ENOMEM, "out of memory");
    }
    *out = n;
    const yaml_char_t *anchor = kind == YN_SCALAR ? ev->data.scalar.anchor
                                : kind == YN_SEQ ? ev->data.sequence_start.anchor
                                                 : ev->data.mapping_start.anchor;
    char *anchor_copy = anchor ? strdup((const char *)anchor) : NULL;
    if (kind == YN_SCALAR) {
        n->text = strndup((const char *)ev->data.scalar.value,
                          ev->data.scalar.length);
        n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
        yaml_event_delete(ev);
        if (n->text == NULL || (anchor != NULL && anchor_copy == NULL)) {
            free(anchor_copy);
            return scn__err_at(c, NULL, SIM_ENOMEM, "out of memory");
        }
        rc = add_anchor(b, (const yaml_char_t *)anchor_copy, n);
        free(anchor_copy);
        return rc;
    }
    yaml_event_delete(ev);
    if (anchor != NULL && anchor_copy == NULL)
        return scn__err_at(c, NULL, SIM_ENOMEM, "out of memory");
    yaml_event_type_t end = kind == YN_SEQ ? YAML_SEQUENCE_END_EVENT
                                           : YAML_MAPPING_END_EVENT;
    char sub[SCN_PATH_MAX];
    for (size_t i = 0; rc == SIM_OK; i++) {
        yaml_event_t e;
        if ((rc = next_event(b, &e)) != SIM_OK)
            break;
        if (e.type == end) {
            yaml_event_delete(&e);
            break;
        }
        if (kind == YN_SEQ) {
            struct ynode *v;
            scn__pathf(sub, "%s[%zu]", path, i);
            rc = build(b, &e, sub, depth + 1, &v);
            if (rc != SIM_OK) {
                scn__ynode_free(v);
                break;
            }
            if (!scn__ynode_add(n, NULL, v))
                rc = scn__err_at(c, NULL, SIM_ENOMEM, "out of memory");
            continue;
        }
        struct ynode *k, *v = NULL;
        rc = build(b, &e, path, depth + 1, &k);
        if (rc == SIM_OK && k->kind != YN_SCALAR)
            rc = scn__err_at(c, k, SIM_EPARSE,
                             "%s: a key must be a plain name, got %s",
                             path[0] ? path : "(top level)",
                             k->kind == YN_MAP ? "a mapping" : "a list");
        if (rc == SIM_OK) {
            scn__join_path(sub, path, k->text);
            if (scn__map_get(n, k->text, NULL) != NULL)
                rc = scn__err_at(c, k, SIM_EPARSE, "%s: duplicate key", sub);
        }
        if (rc == SIM_OK && (rc = next_event(b, &e)) == SIM_OK)
            rc = build(b, &e, sub, depth + 1, &v);
        if (rc != SIM_OK) {
            scn__ynode_free(k);
            scn__ynode_free(v);
            break;
        }
        if (!scn__ynode_add(n, k, v))
            rc = scn__err_at(c, NULL, SIM_ENOMEM, "out of memory");
    }
    if (rc == SIM_OK)
        rc = add_anchor(b, (const yaml_char_t *)anchor_copy, n);
    free(anchor_copy);
    return rc;
}

/* Parse YAML text into a tree (*root NULL for an empty document). ov, line
 * and col0: see struct bld. */
int scn__yaml_to_tree(struct scn_ctx *c, const char *text, size_t len, bool ov,
                      int line, int col0, const char *path,
                      struct ynode **root)
{
    yaml_parser_t p;
    struct bld b = {c, &p, text, len, ov, line, col0, path, NULL, 0, 0};
    *root = NULL;
    if (!yaml_parser_initialize(&p))
        return scn__err_at(c, NULL, SIM_ENOMEM, "out of memory");
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    yaml_event_t ev;
    int rc = next_event(&b, &ev); /* STREAM-START */
    if (rc == SIM_OK) {
        yaml_event_delete(&ev);
        rc = next_event(&b, &ev);
    }
    if (rc == SIM_OK && ev.type == YAML_DOCUMENT_START_EVENT) {
        yaml_event_delete(&ev);
        if ((rc = next_event(&b, &ev)) == SIM_OK)
            rc = build(&b, &ev, path, 0, root);
        if (rc == SIM_OK && (rc = next_event(&b, &ev)) == SIM_OK)
            yaml_event_delete(&ev); /* DOCUMENT-END */
        /* A scenario is one document: a second one would be ignored. */
        if (rc == SIM_OK && (rc = next_event(&b, &ev)) == SIM_OK) {
            if (ev.type == YAML_DOCUMENT_START_EVENT) {
                int l, cl;
                mark_pos(&b, ev.start_mark, &l, &cl);
                rc = diag_set(c->d, SIM_EPARSE, bld_file(&b), l, cl,
                              "%s%sexpected one YAML document, found a "
                              "second one",
                              path[0] ? path : "", path[0] ? ": " : "");
            }
            yaml_event_delete(&ev);
        }
    } else if (rc == SIM_OK) {
        yaml_event_delete(&ev); /* STREAM-END: an empty text */
    }
    for (size_t i = 0; i < b.n_anchors; i++)
        free(b.anchors[i].name);
    free(b.anchors);
    if (rc != SIM_OK) {
        scn__ynode_free(*root);
        *root = NULL;
    }
    yaml_parser_delete(&p);
    return rc;
}
