/* sim/run/shard.c - the partial folder of one shard (see shard.h): its
 * manifest and its kept part files. `burstsim merge` (sim/run/merge.c)
 * reads them back.
 *
 * Workload: once per shard run; the manifest holds the scenario text, so
 * a merge needs nothing but the partial folders. */
#include "sim/run/shard.h"

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
    else if (json_dump_file(root, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER)
             != 0)
        rc = diag_set(d, SIM_EIO, path, 0, 0, "cannot write file");
    json_decref(root);
    return rc;
}

int shard_keep_parts(const char *dir, struct diag *d)
{
    char a[4096], b[4096];
    snprintf(a, sizeof a, "%s/parts", dir);
    snprintf(b, sizeof b, "%s/shard-parts", dir);
    if (rename(a, b) != 0 && errno != ENOENT)
        return diag_set(d, SIM_EIO, a, 0, 0, "cannot rename: %s",
                        strerror(errno));
    return 0;
}
