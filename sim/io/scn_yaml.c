/* sim/io/scn_yaml.c - YAML text to the loader's tree, with libyaml (see
 * scn_yaml.h). */
#include "sim/io/scn_yaml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* Deepest nesting accepted (checked while parsing). */
enum { MAX_DEPTH = 64 };

/* ---- libyaml document -> tree ------------------------------------------- */

/* Conversion state: where positions come from. For an override, every node
 * is on "line" line (the override's index) and its column is col0 plus the
 * libyaml column inside the value text. */
struct conv {
    struct scn_ctx *c;
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
    struct scn_ctx *c = cv->c;
    yaml_node_t *yn = yaml_document_get_node(cv->doc, id);
    int line, col;
    *out = NULL;
    if (yn == NULL)
        return scn__err_at(c, NULL, SIM_EINTERNAL, "%s: bad YAML node", path);
    conv_pos(cv, yn->start_mark, &line, &col);
    if (depth > MAX_DEPTH || c->budget == 0)
        return diag_set(c->d, SIM_ERANGE, cv->ov ? "--set" : c->scn->file,
                        line, col, "%s: document nested too deeply or too big",
                        path[0] ? path : "(top level)");
    c->budget--;
    static const enum ykind kinds[] = {YN_SCALAR, YN_SCALAR, YN_SEQ, YN_MAP};
    int t = yn->type == YAML_SEQUENCE_NODE ? 2
            : yn->type == YAML_MAPPING_NODE ? 3 : 1;
    struct ynode *n = scn__ynode_new(kinds[t], cv->ov, line, col);
    if (n == NULL)
        return scn__err_at(c, NULL, SIM_ENOMEM, "out of memory");
    *out = n;
    char sub[SCN_PATH_MAX];
    if (yn->type == YAML_SCALAR_NODE) {
        n->text = strndup((const char *)yn->data.scalar.value,
                          yn->data.scalar.length);
        n->quoted = yn->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
        if (n->text == NULL)
            return scn__err_at(c, NULL, SIM_ENOMEM, "out of memory");
    } else if (yn->type == YAML_SEQUENCE_NODE) {
        yaml_node_item_t *it = yn->data.sequence.items.start;
        for (size_t i = 0; it + i < yn->data.sequence.items.top; i++) {
            struct ynode *v;
            scn__pathf(sub, "%s[%zu]", path, i);
            int rc = conv_node(cv, it[i], sub, depth + 1, &v);
            if (rc != SIM_OK) {
                scn__ynode_free(v);
                return rc;
            }
            if (!scn__ynode_add(n, NULL, v))
                return scn__err_at(c, NULL, SIM_ENOMEM, "out of memory");
        }
    } else if (yn->type == YAML_MAPPING_NODE) {
        yaml_node_pair_t *p = yn->data.mapping.pairs.start;
        for (; p < yn->data.mapping.pairs.top; p++) {
            struct ynode *k, *v;
            int rc = conv_node(cv, p->key, path, depth + 1, &k);
            if (rc == SIM_OK && k->kind != YN_SCALAR)
                rc = scn__err_at(c, k, SIM_EPARSE,
                                 "%s: a key must be a plain name, got %s",
                                 path[0] ? path : "(top level)",
                                 k->kind == YN_MAP ? "a mapping" : "a list");
            if (rc != SIM_OK) {
                scn__ynode_free(k);
                return rc;
            }
            scn__join_path(sub, path, k->text);
            if (scn__map_get(n, k->text, NULL) != NULL) {
                rc = scn__err_at(c, k, SIM_EPARSE, "%s: duplicate key", sub);
                scn__ynode_free(k);
                return rc;
            }
            rc = conv_node(cv, p->value, sub, depth + 1, &v);
            if (rc != SIM_OK) {
                scn__ynode_free(k);
                scn__ynode_free(v);
                return rc;
            }
            if (!scn__ynode_add(n, k, v))
                return scn__err_at(c, NULL, SIM_ENOMEM, "out of memory");
        }
    }
    return SIM_OK;
}

/* Parse YAML text into a tree (*root NULL for an empty document). ov, line
 * and col0: see struct conv. */
int scn__yaml_to_tree(struct scn_ctx *c, const char *text, size_t len, bool ov,
                      int line, int col0, const char *path,
                      struct ynode **root)
{
    yaml_parser_t p;
    yaml_document_t doc;
    struct conv cv = {c, &doc, ov, line, col0};
    *root = NULL;
    if (!yaml_parser_initialize(&p))
        return scn__err_at(c, NULL, SIM_ENOMEM, "out of memory");
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
        scn__ynode_free(*root);
        *root = NULL;
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&p);
    return rc;
}
