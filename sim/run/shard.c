/* sim/run/shard.c - the partial folder of one shard (see shard.h): its
 * manifest and its kept part files. `burstsim merge` (sim/run/merge.c)
 * reads them back.
 *
 * Workload: once per shard run; the manifest holds the scenario text, so
 * a merge needs nothing but the partial folders. */
#include "sim/run/shard.h"

#include "sim/io/outfile.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
int shard_write_manifest(const char *dir, const struct runner_plan *p,
                         uint32_t index, uint32_t count, struct diag *d)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    json_t *root = json_object();
    json_t *set = json_array();
    json_t *vary = json_array();
    int bad = root == NULL || set == NULL || vary == NULL;
    for (size_t i = 0; i < p->n_ov && !bad; i++) {
        json_t *pair = json_array();
        bad |= pair == NULL;
        if (!bad) {
            bad |= json_array_append_new(pair, json_string(p->ov[i].path));
            bad |= json_array_append_new(pair, json_string(p->ov[i].value));
            bad |= json_array_append_new(set, pair);
        }
    }
    for (size_t i = 0; i < p->n_vary && !bad; i++) {
        json_t *ax = json_object(), *vals = json_array();
        bad |= ax == NULL || vals == NULL;
        for (size_t v = 0; !bad && v < p->vary[i].n_values; v++)
            bad |= json_array_append_new(vals,
                                         json_string(p->vary[i].values[v]));
        if (!bad) {
            bad |= json_object_set_new(ax, "path",
                                       json_string(p->vary[i].path));
            bad |= json_object_set_new(ax, "values", vals);
            bad |= json_array_append_new(vary, ax);
        } else {
            json_decref(ax);
            json_decref(vals);
        }
    }
    if (!bad) {
        bad |= json_object_set_new(root, "kind", json_string(MANIFEST_KIND));
        bad |= json_object_set_new(root, "burstsim",
                                   json_string(BURSTSIM_VERSION));
        bad |= json_object_set_new(root, "shard", json_integer(index));
        bad |= json_object_set_new(root, "shards", json_integer(count));
        bad |= json_object_set_new(root, "configs",
                                   json_integer((json_int_t)p->n_cfg));
        bad |= json_object_set_new(root, "replications",
                                   json_integer((json_int_t)p->n_rep));
        bad |= json_object_set_new(root, "scenario_file",
                                   json_string(p->file));
        bad |= json_object_set_new(root, "base_dir",
                                   json_string(p->base_dir));
        bad |= json_object_set_new(root, "scenario_text",
                                   json_string(p->text));
        bad |= json_object_set_new(root, "set", set);
        set = NULL;
        bad |= json_object_set_new(root, "vary", vary);
        vary = NULL;
    }
    json_decref(set);
    json_decref(vary);
    int rc = 0;
    if (bad)
        rc = diag_set(d, SIM_ENOMEM, path, 0, 0, "out of memory");
    else
        rc = outfile_write_json(path, root,
                                JSON_INDENT(2) | JSON_PRESERVE_ORDER, d);
    json_decref(root);
    return rc;
}

/* Set d for key of manifest path: "key: expected ...". */
static int bad_key(struct diag *d, const char *path, const char *key,
                   const char *what)
{
    return diag_set(d, SIM_EINVAL, path, 0, 0, "%s: expected %s", key, what);
}

/* Integer member key of m in [lo, hi] into *v, or SIM_EINVAL. */
static int int_key(const json_t *m, const char *key, json_int_t lo,
                   json_int_t hi, json_int_t *v, const char *path,
                   struct diag *d)
{
    const json_t *x = json_object_get(m, key);
    char what[96];
    snprintf(what, sizeof what, "an integer from %lld to %lld",
             (long long)lo, (long long)hi);
    if (!json_is_integer(x) || json_integer_value(x) < lo ||
        json_integer_value(x) > hi)
        return bad_key(d, path, key, what);
    *v = json_integer_value(x);
    return 0;
}

int shard_check_manifest(const json_t *m, const char *path, struct diag *d)
{
    static const char *const keys[] = {
        "kind", "burstsim", "shard", "shards", "configs", "replications",
        "scenario_file", "base_dir", "scenario_text", "set", "vary",
    };
    enum { NKEYS = sizeof keys / sizeof keys[0] };
    if (!json_is_object(m))
        return diag_set(d, SIM_EINVAL, path, 0, 0,
                        "expected a JSON object (a burstsim shard manifest)");
    const char *k;
    const json_t *v;
    json_object_foreach((json_t *)m, k, v) {
        size_t i = 0;
        while (i < NKEYS && strcmp(k, keys[i]) != 0)
            i++;
        if (i == NKEYS)
            return diag_set(d, SIM_EINVAL, path, 0, 0,
                            "%s: unknown key in a shard manifest", k);
    }
    const char *kind = json_string_value(json_object_get(m, "kind"));
    if (kind == NULL || strcmp(kind, MANIFEST_KIND) != 0)
        return bad_key(d, path, "kind", "\"" MANIFEST_KIND "\"");
    for (size_t i = 0; i < NKEYS; i++)
        if ((strcmp(keys[i], "burstsim") == 0 ||
             strncmp(keys[i], "scenario_", 9) == 0 ||
             strcmp(keys[i], "base_dir") == 0) &&
            !json_is_string(json_object_get(m, keys[i])))
            return bad_key(d, path, keys[i], "a string");
    json_int_t shards, shard, cfgs, reps;
    if (int_key(m, "shards", 1, SHARD_MAX, &shards, path, d) != 0 ||
        int_key(m, "shard", 1, shards, &shard, path, d) != 0 ||
        int_key(m, "configs", 1, (json_int_t)1 << 40, &cfgs, path, d) != 0 ||
        int_key(m, "replications", 1, (json_int_t)UINT32_MAX, &reps, path,
                d) != 0)
        return SIM_EINVAL;
    char key[64];
    const json_t *set = json_object_get(m, "set");
    if (!json_is_array(set))
        return bad_key(d, path, "set", "a list of [path, value] pairs");
    for (size_t i = 0; i < json_array_size(set); i++) {
        const json_t *pr = json_array_get(set, i);
        snprintf(key, sizeof key, "set[%zu]", i);
        if (!json_is_array(pr) || json_array_size(pr) != 2 ||
            !json_is_string(json_array_get(pr, 0)) ||
            !json_is_string(json_array_get(pr, 1)))
            return bad_key(d, path, key, "a [path, value] pair of strings");
    }
    const json_t *vary = json_object_get(m, "vary");
    if (!json_is_array(vary))
        return bad_key(d, path, "vary", "a list of {path, values} objects");
    for (size_t i = 0; i < json_array_size(vary); i++) {
        const json_t *a = json_array_get(vary, i);
        snprintf(key, sizeof key, "vary[%zu]", i);
        if (!json_is_object(a) || json_object_size(a) != 2)
            return bad_key(d, path, key,
                           "an object with exactly \"path\" and \"values\"");
        const char *ap = json_string_value(json_object_get(a, "path"));
        snprintf(key, sizeof key, "vary[%zu].path", i);
        if (ap == NULL || ap[0] == '\0')
            return bad_key(d, path, key, "a non-empty string");
        const json_t *vals = json_object_get(a, "values");
        snprintf(key, sizeof key, "vary[%zu].values", i);
        bool ok = json_is_array(vals) && json_array_size(vals) > 0;
        for (size_t j = 0; ok && j < json_array_size(vals); j++)
            ok = json_is_string(json_array_get(vals, j));
        if (!ok)
            return bad_key(d, path, key, "a non-empty list of strings");
    }
    return 0;
}

int shard_keep_parts(const char *dir, struct diag *d)
{
    char a[4096], b[4096];
    snprintf(a, sizeof a, "%s/parts", dir);
    snprintf(b, sizeof b, "%s/shard-parts", dir);
    if (rename(a, b) != 0 && errno != ENOENT)
        return outfile_fail(d, a, "cannot rename", errno);
    return 0;
}
