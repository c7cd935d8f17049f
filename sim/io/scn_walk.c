/* sim/io/scn_walk.c - the typed walk of the loader (see scn_walk.h): the
 * YAML tree read into struct scenario key by key, as the tables of
 * sim/io/scn_keys.c say (type, default, range, the kinds a key applies
 * to), with the sections that are not plain tables (the arrivals, their
 * list of items, and the sweep) and the refusal of a key that does not
 * apply to its table's discriminator. */
#include "sim/io/scn_walk.h"

#include "sim/io/scn_dist.h"
#include "sim/io/scn_override.h"
#include "sim/io/scn_units.h"
#include "sim/io/scn_yaml.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- range checks ------------------------------------------------------- */

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

static int check_range(struct scn_ctx *c, const struct scn_key *k, double v,
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
    return scn__err_expect(c, n, path, SIM_ERANGE, what);
}

/* ---- lists, sweep and arrivals ------------------------------------------ */

static int parse_list(struct scn_ctx *c, const struct scn_key *k, void *base,
                      const struct ynode *v, const char *path, bool record)
{
    char **items = AT(base, k->off, char *);
    size_t *count = AT(base, k->aux - 1, size_t);
    size_t n = v == NULL ? 1 : v->n; /* NULL: KF_ONE default */
    if (v != NULL && (v->kind != YN_SEQ || v->n == 0))
        return scn__err_expect(c, v, path, SIM_EPARSE, "a non-empty list");
    *items = calloc(n, k->elem);
    if (*items == NULL)
        return scn__err_at(c, NULL, SIM_ENOMEM, "out of memory");
    *count = n;
    for (size_t i = 0; i < n; i++) {
        char sub[SCN_PATH_MAX];
        scn__pathf(sub, "%s[%zu]", path, i);
        const struct ynode *it = v ? v->vals[i] : NULL;
        if (it != NULL && it->kind != YN_MAP)
            return scn__err_expect(c, it, sub, SIM_EPARSE, "a mapping");
        int rc = scn__parse_table(c, k->sub, *items + i * k->elem, it,
                                  it ? it : v, sub, record);
        if (rc != SIM_OK)
            return rc;
    }
    return SIM_OK;
}

static int parse_sweep(struct scn_ctx *c, const struct ynode *v, bool record)
{
    struct scenario *s = c->scn;
    if (scn__is_null(v))
        return SIM_OK;
    if (v->kind != YN_MAP)
        return scn__err_expect(c, v, "sweep", SIM_EPARSE,
                               "a mapping of key path -> list of values");
    s->sweep = calloc(v->n ? v->n : 1, sizeof *s->sweep);
    if (s->sweep == NULL)
        return scn__err_at(c, NULL, SIM_ENOMEM, "out of memory");
    for (size_t i = 0; i < v->n; i++) {
        const struct ynode *k = v->keys[i], *vals = v->vals[i];
        char sub[SCN_PATH_MAX];
        scn__join_path(sub, "sweep", k->text);
        if (!scn__path_known(k->text))
            return scn__err_at(
                c, k, SIM_EPARSE,
                "%s: unknown key path (a sweep axis must name a key of "
                "the scenario, e.g. scale.max_executions)", sub);
        struct scn_axis *ax = &s->sweep[s->n_sweep++];
        size_t n = vals->kind == YN_SEQ ? vals->n : 1;
        if (n == 0 || scn__is_null(vals) || vals->kind == YN_MAP)
            return scn__err_expect(
                c, vals, sub, SIM_EPARSE,
                "a non-empty list of values like [5, 10, 20]");
        ax->path = strdup(k->text);
        ax->values = calloc(n, sizeof *ax->values);
        if (ax->path == NULL || ax->values == NULL)
            return scn__err_at(c, NULL, SIM_ENOMEM, "out of memory");
        for (size_t j = 0; j < n; j++) {
            const struct ynode *vn = vals->kind == YN_SEQ ? vals->vals[j]
                                                          : vals;
            ax->values[j] = scn__node_text(vn);
            if (ax->values[j] == NULL)
                return scn__err_at(c, NULL, SIM_ENOMEM, "out of memory");
            ax->n_values = j + 1;
            /* the same value twice would run one configuration twice */
            for (size_t i2 = 0; i2 < j; i2++)
                if (strcmp(ax->values[i2], ax->values[j]) == 0)
                    return scn__err_at(
                        c, vn, SIM_EPARSE,
                        "%s[%zu]: value %s given twice (also %s[%zu]); "
                        "each value of an axis must differ",
                        sub, j, ax->values[j], sub, i2);
            /* where each value was written: a configuration's error in
             * it points here (sim/run/plan.c), not at its override */
            char vpath[SCN_PATH_MAX];
            scn__pathf(vpath, "%s[%zu]", sub, j);
            if (record && vn != NULL && scn__add_loc(c, vpath, NULL, vn) !=
                                            SIM_OK)
                return c->d ? c->d->code : SIM_ENOMEM;
        }
        if (record && scn__add_loc(c, sub, k, vals) != SIM_OK)
            return c->d ? c->d->code : SIM_ENOMEM;
    }
    return SIM_OK;
}

static int parse_arrivals(struct scn_ctx *c, const struct ynode *key,
                          const struct ynode *v, bool record)
{
    struct scenario *s = c->scn;
    c->arrivals = key;
    if (v == NULL || (v->kind != YN_MAP && v->kind != YN_SEQ) ||
        (v->kind == YN_SEQ && v->n == 0))
        return scn__err_expect(
            c, v ? v : key, "arrivals", SIM_EPARSE,
            "a mapping with trace: or process: (or a list of them)");
    s->arrivals_is_list = v->kind == YN_SEQ;
    size_t n = s->arrivals_is_list ? v->n : 1;
    s->arrivals = calloc(n, sizeof *s->arrivals);
    if (s->arrivals == NULL)
        return scn__err_at(c, NULL, SIM_ENOMEM, "out of memory");
    s->n_arrivals = n;
    for (size_t i = 0; i < n; i++) {
        struct scn_arrival_item *a = &s->arrivals[i];
        dist_set_fixed(&a->process.size, 0.0);
        const struct ynode *it = s->arrivals_is_list ? v->vals[i] : v;
        char pre[SCN_PATH_MAX], sub[SCN_PATH_MAX];
        if (s->arrivals_is_list)
            scn__pathf(pre, "arrivals[%zu]", i);
        else
            scn__pathf(pre, "arrivals");
        if (it->kind != YN_MAP)
            return scn__err_expect(c, it, pre, SIM_EPARSE,
                                   "a mapping with trace: or process:");
        const struct ynode *found = NULL;
        for (size_t j = 0; j < it->n; j++) {
            const struct ynode *k = it->keys[j];
            scn__join_path(sub, pre, k->text);
            if (strcmp(k->text, "trace") != 0 &&
                strcmp(k->text, "process") != 0)
                return scn__err_at(c, k, SIM_EPARSE,
                                   "%s: unknown key (expected one of: "
                                   "trace, process)", sub);
            if (found != NULL)
                return scn__err_at(c, k, SIM_EPARSE,
                                   "%s: give exactly one of trace or process",
                                   pre);
            found = k;
        }
        if (found == NULL)
            return scn__err_at(c, it, SIM_EPARSE,
                               "%s: missing trace or process", pre);
        const struct ynode *val = scn__map_get(it, found->text, NULL);
        scn__join_path(sub, pre, found->text);
        if (record && s->arrivals_is_list &&
            scn__add_loc(c, pre, it, it) != SIM_OK)
            return c->d ? c->d->code : SIM_ENOMEM;
        if (record && scn__add_loc(c, sub, found, val) != SIM_OK)
            return c->d ? c->d->code : SIM_ENOMEM;
        if (scn__is_null(val) || val->kind != YN_MAP)
            return scn__err_expect(c, scn__is_null(val) ? found : val, sub,
                                   SIM_EPARSE, "a mapping");
        a->is_trace = strcmp(found->text, "trace") == 0;
        int rc = scn__parse_table(c, a->is_trace ? &scn__trace : &scn__process,
                                  a->is_trace ? (void *)&a->trace
                                              : (void *)&a->process,
                                  val, found, sub, record);
        if (rc != SIM_OK)
            return rc;
    }
    return SIM_OK;
}

/* ---- one value ---------------------------------------------------------- */

static const char *const *enum_names(const struct scn_key *k)
{
    return k->names;
}

/* Parse the value v of key k (present and not a default-less null). */
static int parse_value(struct scn_ctx *c, const struct scn_key *k, void *base,
                       const struct ynode *key, const struct ynode *v,
                       const char *path, bool record)
{
    if (record && scn__add_loc(c, path, key, v) != SIM_OK)
        return c->d ? c->d->code : SIM_ENOMEM;
    bool *has = k->aux != 0 && (k->flags & KF_NULL)
                    ? AT(base, k->aux - 1, bool) : NULL;
    if (scn__is_null(v) && k->type != KT_ARRIVALS && k->type != KT_SWEEP) {
        if (k->type == KT_SECTION)
            return scn__parse_table(c, k->sub, AT(base, k->off, char), NULL,
                                    key, path, record);
        if (k->flags & KF_NULL)
            return SIM_OK; /* has-flag false, string NULL: already zero */
    }
    bool scalar_kind = k->type <= KT_ENUM;
    if (scalar_kind &&
        (v == NULL || v->kind != YN_SCALAR || scn__is_null(v))) {
        static const char *const what[] = {
            [KT_STR] = "a string", [KT_PATH] = "a file path",
            [KT_DUR] = "a duration like 30s",
            [KT_MEM] = "a memory size like 0.5Gi or 512Mi",
            [KT_RATE] = "a rate like 5/s or 300/min",
            [KT_INT] = "an integer", [KT_SEED] = "an integer",
            [KT_NUM] = "a number", [KT_BOOL] = "true or false",
            [KT_ENUM] = "a name"};
        return scn__err_expect(c, v ? v : key, path, SIM_EPARSE,
                               what[k->type]);
    }
    int rc;
    double x = 0.0;
    switch (k->type) {
    case KT_STR:
        *AT(base, k->off, char *) = strdup(v->text);
        if (*AT(base, k->off, char *) == NULL)
            return scn__err_at(c, NULL, SIM_ENOMEM, "out of memory");
        break;
    case KT_PATH:
        *AT(base, k->aux - 1, char *) = strdup(v->text);
        *AT(base, k->off, char *) = scn__resolve(c->scn, v);
        if (!*AT(base, k->aux - 1, char *) || !*AT(base, k->off, char *))
            return scn__err_at(c, NULL, SIM_ENOMEM, "out of memory");
        break;
    case KT_DUR: {
        sim_time us;
        rc = scn_parse_duration(v->text, &us);
        if (rc != SIM_OK)
            return scn__err_expect(
                c, v, path, rc,
                rc == SIM_ERANGE ? "a duration from 0 to 1e11 s (3,170 years)"
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
            return scn__err_expect(
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
        bool digits = scn__int_digits(v->text);
        if (!digits)
            return scn__err_expect(c, v, path, SIM_EPARSE, "an integer");
        /* A key without its own upper bound is still an int64 field that
         * the models multiply and narrow: refuse what does not fit 32
         * bits (or 64) instead of wrapping or truncating it. */
        bool fits = scn__int_text(v->text, &i);
        if (fits && (rc = check_range(c, k, (double)i, v, path)) != SIM_OK)
            return rc;
        if (!fits || (!(k->rng & (R_LE | R_LT)) && i > INT32_MAX)) {
            char what[160], lo[32];
            scn__fmt_num(lo, sizeof lo, k->lo);
            if (k->rng & (R_LE | R_LT))
                range_text(k, what, sizeof what);
            else
                snprintf(what, sizeof what, "an integer in [%s, 2147483647]",
                         lo);
            return scn__err_expect(c, v, path, SIM_ERANGE, what);
        }
        *AT(base, k->off, int64_t) = i;
        break;
    }
    case KT_SEED: {
        int64_t i;
        if (!scn__int_text(v->text, &i) || i < 0 || i > (int64_t)UINT32_MAX)
            /* a value that does not fit is refused, never truncated */
            return scn__err_expect(c, v, path, SIM_ERANGE,
                                   "an integer in [0, 4294967295]");
        *AT(base, k->off, uint32_t) = (uint32_t)i;
        break;
    }
    case KT_NUM:
        if (!scn__num_text(v->text, &x))
            return scn__err_expect(c, v, path, SIM_EPARSE, "a number");
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
            return scn__err_expect(c, v, path, SIM_EPARSE, "true or false");
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
        return scn__err_expect(c, v, path, SIM_EPARSE, list);
    }
    case KT_DIST:
    case KT_CDIST:
        return scn__parse_dist(c, v, path, AT(base, k->off, struct dist),
                               k->type == KT_CDIST, NULL, record);
    case KT_SECTION:
        if (has != NULL)
            *has = true;
        return scn__parse_table(c, k->sub, AT(base, k->off, char), v, key,
                                path, record);
    case KT_LIST:
        if (scn__is_null(v))
            return scn__err_expect(c, v, path, SIM_EPARSE, "a non-empty list");
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
static int apply_default(struct scn_ctx *c, const struct scn_key *k,
                         void *base, const char *path)
{
    struct ynode *v = NULL;
    int rc =
        scn__yaml_to_tree(c, k->def, strlen(k->def), false, 0, 0, path, &v);
    if (rc == SIM_OK)
        rc = parse_value(c, k, base, NULL, v, path, false);
    scn__ynode_free(v);
    return rc;
}

/* ---- a table ------------------------------------------------------------ */

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
static int refuse_key(struct scn_ctx *c, const struct ynode *kn,
                      const char *path, const char *prefix,
                      const struct scn_key *k, const struct scn_key *dk,
                      int disc, const char *is)
{
    char dpath[SCN_PATH_MAX], names[300] = "", tail[200];
    scn__join_path(dpath, prefix, dk->name);
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
    return scn__err_at(c, kn, SIM_EPARSE, "%s: applies only to %s %s, %s",
                       path, dpath, names, tail);
}

int scn__parse_table(struct scn_ctx *c, const struct scn_table *t, void *base,
                     const struct ynode *map, const struct ynode *where,
                     const char *prefix, bool record)
{
    char path[SCN_PATH_MAX], list[600];
    if (scn__is_null(map))
        map = NULL;
    if (map != NULL && map->kind != YN_MAP)
        return scn__err_expect(c, map, prefix[0] ? prefix : "(top level)",
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
        const struct ynode *kn = NULL, *v = scn__map_get(map, k->name, &kn);
        scn__join_path(path, prefix, k->name);
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
            return scn__err_at(c, where, SIM_EPARSE,
                               "%s: missing (one of: %s)", path, list);
        }
        if (rc != SIM_OK)
            return rc;
        disc = *AT(base, k->off, int);
        char why[300];
        if (v != NULL && k->follow != NULL &&
            k->follow(c->scn, disc, why, sizeof why) != disc)
            return scn__err_at(c, v, SIM_EPARSE, "%s: %s %s", path,
                               k->names[disc], why);
    }
    /* every written key must be a key of the table that applies */
    for (size_t i = 0; map != NULL && i < map->n; i++) {
        const struct ynode *kn = map->keys[i];
        const struct scn_key *k = NULL;
        for (size_t j = 0; j < t->n && k == NULL; j++)
            if (strcmp(t->keys[j].name, kn->text) == 0)
                k = &t->keys[j];
        scn__join_path(path, prefix, kn->text);
        key_list(t, disc, list, sizeof list);
        if (k == NULL)
            return scn__err_at(c, kn, SIM_EPARSE,
                               "%s: unknown key (expected one of: %s)", path,
                               list);
        if (k->mask != 0 && !(k->mask & (1u << disc))) {
            if (t->disc_is != NULL && dk != NULL)
                return refuse_key(c, kn, path, prefix, k, dk, disc,
                                  t->disc_is);
            return scn__err_at(c, kn, SIM_EPARSE,
                               "%s: not a key of %s %s (expected one of: %s)",
                               path, dk ? dk->name : "this",
                               dk ? dk->names[disc] : "", list);
        }
    }
    for (size_t i = 0; i < t->n; i++) {
        const struct scn_key *k = &t->keys[i];
        if ((k->flags & KF_DISC) || (k->mask != 0 && !(k->mask & (1u << disc))))
            continue;
        const struct ynode *kn = NULL, *v = scn__map_get(map, k->name, &kn);
        scn__join_path(path, prefix, k->name);
        int rc;
        if (v != NULL)
            rc = parse_value(c, k, base, kn, v, path, record);
        else if (k->def != NULL)
            rc = apply_default(c, k, base, path);
        else if (k->flags & KF_REQ)
            rc =
                scn__err_at(c, where, SIM_EPARSE, "%s: missing (required%s%s)",
                            path, disc >= 0 ? " for kind " : "",
                            disc >= 0 ? dk->names[disc] : "");
        else if (k->type == KT_SECTION)
            rc = scn__parse_table(c, k->sub, AT(base, k->off, char), NULL,
                                  where, path, record);
        else if (k->type == KT_LIST && (k->flags & KF_ONE))
            rc = parse_list(c, k, base, NULL, path, record);
        else
            rc = SIM_OK;
        if (rc != SIM_OK)
            return rc;
    }
    return SIM_OK;
}
