/* sim/io/scn_tree.c - the loader's YAML tree (see scn_tree.h): nodes,
 * lookup, the conversion of a libyaml document into a tree with file
 * positions, and flow YAML text of a node.
 *
 * libyaml's document API does the parsing; the conversion copies it into
 * nodes that keep what the loader needs for its messages (line, column,
 * whether the node came from --set) and bounds the depth and the size of
 * a document, so a hostile file cannot exhaust the stack or memory. */
#include "sim/io/scn_tree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- nodes -------------------------------------------------------------- */

void scn__ynode_free(struct ynode *n)
{
    if (n == NULL)
        return;
    for (size_t i = 0; i < n->n; i++) {
        if (n->keys != NULL)
            scn__ynode_free(n->keys[i]);
        scn__ynode_free(n->vals[i]);
    }
    free(n->keys);
    free(n->vals);
    free(n->text);
    free(n);
}

struct ynode *scn__ynode_new(enum ykind kind, bool ov, int line, int col)
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
bool scn__ynode_add(struct ynode *n, struct ynode *key, struct ynode *val)
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
            scn__ynode_free(key);
            scn__ynode_free(val);
            return false;
        }
        n->cap = cap;
    }
    if (n->kind == YN_MAP)
        n->keys[n->n] = key;
    n->vals[n->n++] = val;
    return true;
}

bool scn__is_null(const struct ynode *n)
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
const struct ynode *scn__map_get(const struct ynode *m, const char *name,
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

/* ---- flow text ---------------------------------------------------------- */

/* Write a node as flow YAML text (for sweep values). */
static void flow_text(FILE *f, const struct ynode *n)
{
    if (n == NULL) {
        fputs("~", f);
        return;
    }
    if (n->kind == YN_SCALAR) {
        const char *s = n->text;
        /* line breaks YAML knows beyond ASCII: NEL, U+2028, U+2029 */
        static const char *const breaks[] = {"\xc2\x85", "\xe2\x80\xa8",
                                             "\xe2\x80\xa9"};
        static const char brk_esc[] = {'N', 'L', 'P'};
        bool has_break = false;
        for (size_t i = 0; i < 3; i++)
            has_break |= strstr(s, breaks[i]) != NULL;
        if (!n->quoted && !has_break && s[0] != '\0' &&
            strpbrk(s, ",[]{}#&*!|>'\"%@`") == NULL &&
            strstr(s, ": ") == NULL && s[0] != ' ' &&
            s[strlen(s) - 1] != ' ') {
            fputs(s, f);
            return;
        }
        fputc('"', f);
        for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
            size_t b = 3;
            for (size_t i = 0; i < 3 && b == 3; i++)
                if (strncmp((const char *)p, breaks[i], strlen(breaks[i])) ==
                    0)
                    b = i;
            if (b < 3) {
                fprintf(f, "\\%c", brk_esc[b]);
                p += strlen(breaks[b]) - 1;
            } else if (*p == '"' || *p == '\\') {
                fprintf(f, "\\%c", *p);
            } else if (*p < 0x20 || *p == 0x7f) {
                fprintf(f, "\\x%02x", *p);
            } else {
                fputc(*p, f);
            }
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

char *scn__node_text(const struct ynode *n)
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
