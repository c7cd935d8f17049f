/* sim/run/merge.c - `burstsim merge` (see merge.h).
 *
 * Workload: a merge reads a few CSV files of (configurations x
 * replications) rows and concatenates part files; it never simulates. The
 * plan is rebuilt from the first manifest (scenario text, overrides,
 * axes), every item is read back from replications.csv and
 * latency_raw.csv, and the folder is written by runner_finish, the code a
 * single run uses. */
#include "sim/run/merge.h"

#include "sim/io/csvin.h"
#include "sim/io/report_stage.h"
#include "sim/run/exit_code.h"
#include "sim/run/finish.h"
#include "sim/run/plan.h"
#include "sim/run/shard.h"

#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Reading one input's CSV files into the plan. */
struct rd {
    struct runner_plan *p;
    const char *path;
    uint32_t shard, count;     /* the input's shard index (1-based), N */
    size_t col_cfg, col_rep;   /* column indexes */
    long col_metric[RM_COUNT]; /* replications.csv: column of metric i */
    bool raw;                  /* latency_raw.csv */
    unsigned char *seen;       /* [item] read from latency_raw.csv */
};

/* Item of (label, replication) fields, or SIZE_MAX with d set. */
static size_t item_of(struct rd *r, size_t line, const char *label,
                      const char *rep, struct diag *d)
{
    char *end;
    unsigned long long c = 0, k = 0;
    if (label[0] == 'c')
        c = strtoull(label + 1, &end, 10);
    if (label[0] != 'c' || *end != '\0' || c >= r->p->n_cfg) {
        diag_set(d, SIM_EINVAL, r->path, (int)line, 0,
                 "unknown configuration '%s'", label);
        return SIZE_MAX;
    }
    k = strtoull(rep, &end, 10);
    if (*end != '\0' || rep[0] == '\0' || k >= r->p->n_rep) {
        diag_set(d, SIM_EINVAL, r->path, (int)line, 0,
                 "bad replication '%s'", rep);
        return SIZE_MAX;
    }
    size_t item = (size_t)c * r->p->n_rep + (size_t)k;
    if (r->count > 1 && item % r->count != r->shard - 1) {
        diag_set(d, SIM_EINVAL, r->path, (int)line, 0,
                 "%s replication %s does not belong to shard %u/%u", label,
                 rep, r->shard, r->count);
        return SIZE_MAX;
    }
    return item;
}

static int on_rep_row(void *ctx, size_t line, char **f, size_t n,
                      struct diag *d)
{
    struct rd *r = ctx;
    if (line == 1) {
        for (int i = 0; i < RM_COUNT; i++)
            r->col_metric[i] = -1;
        r->col_cfg = 0;
        r->col_rep = SIZE_MAX;
        for (size_t j = 0; j < n; j++) {
            if (strcmp(f[j], "replication") == 0)
                r->col_rep = j;
            for (int i = 0; i < RM_COUNT; i++)
                if (strcmp(f[j], result_metric_info[i].name) == 0)
                    r->col_metric[i] = (long)j;
        }
        for (int i = 0; i < RM_COUNT; i++)
            if (r->col_metric[i] < 0)
                return diag_set(d, SIM_EINVAL, r->path, 1, 0,
                                "missing column '%s'",
                                result_metric_info[i].name);
        if (r->col_rep == SIZE_MAX)
            return diag_set(d, SIM_EINVAL, r->path, 1, 0,
                            "missing column 'replication'");
        return 0;
    }
    if (n <= r->col_rep)
        return diag_set(d, SIM_EINVAL, r->path, (int)line, 0,
                        "short row");
    size_t item = item_of(r, line, f[r->col_cfg], f[r->col_rep], d);
    if (item == SIZE_MAX)
        return SIM_EINVAL;
    if (r->p->have[item])
        return diag_set(d, SIM_EINVAL, r->path, (int)line, 0,
                        "%s replication %s appears twice", f[r->col_cfg],
                        f[r->col_rep]);
    struct rep_result *res = &r->p->res[item];
    res->replication = (uint32_t)(item % r->p->n_rep);
    for (int i = 0; i < RM_COUNT; i++) {
        size_t j = (size_t)r->col_metric[i];
        if (j >= n || csvin_number(f[j], &res->m[i]) != 0)
            return diag_set(d, SIM_EINVAL, r->path, (int)line, (int)j + 1,
                            "bad number for %s", result_metric_info[i].name);
    }
    r->p->have[item] = 1;
    return 0;
}

static int on_raw_row(void *ctx, size_t line, char **f, size_t n,
                      struct diag *d)
{
    struct rd *r = ctx;
    if (line == 1)
        return n == 2 + RESULT_NQ ? 0
                                  : diag_set(d, SIM_EINVAL, r->path, 1, 0,
                                             "expected %d columns",
                                             2 + RESULT_NQ);
    if (n != 2 + RESULT_NQ)
        return diag_set(d, SIM_EINVAL, r->path, (int)line, 0,
                        "expected %d fields", 2 + RESULT_NQ);
    size_t item = item_of(r, line, f[0], f[1], d);
    if (item == SIZE_MAX)
        return SIM_EINVAL;
    if (r->seen[item])
        return diag_set(d, SIM_EINVAL, r->path, (int)line, 0,
                        "%s replication %s appears twice", f[0], f[1]);
    r->seen[item] = 1;
    for (int k = 0; k < RESULT_NQ; k++)
        if (csvin_number(f[2 + k], &r->p->res[item].latency_q[k]) != 0)
            return diag_set(d, SIM_EINVAL, r->path, (int)line, k + 3,
                            "bad number");
    return 0;
}

/* Load "<dir>/manifest.json" and check it (shard_check_manifest); NULL
 * with d set and *code the exit code: 2 when dir is not a partial folder
 * at all, 3 when its manifest is malformed. */
static json_t *load_manifest(const char *dir, int *code, struct diag *d)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    json_error_t je;
    *code = EXIT_INVALID;
    json_t *m = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (m == NULL) {
        struct stat st;
        if (stat(path, &st) != 0) {
            *code = EXIT_USAGE;
            diag_set(d, SIM_EINVAL, dir, 0, 0,
                     "not a partial results folder (no manifest.json; "
                     "write one with 'burstsim run --shard I/N')");
        } else {
            diag_set(d, SIM_EINVAL, path, je.line, je.column, "%s",
                     je.text);
        }
        return NULL;
    }
    if (shard_check_manifest(m, path, d) != 0) {
        json_decref(m);
        return NULL;
    }
    return m;
}

/* Device and inode of path (following symbolic links); false when it
 * does not exist. */
static bool node_of(const char *path, dev_t *dev, ino_t *ino)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return false;
    *dev = st.st_dev;
    *ino = st.st_ino;
    return true;
}

/* Whether folder (dev, ino) is path or one of its parents: path is
 * resolved (realpath: symbolic links, "..") from its nearest existing
 * ancestor up to "/". */
static bool is_or_within(const char *path, dev_t dev, ino_t ino)
{
    char buf[4096], real[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    /* The nearest existing ancestor of path. */
    while (realpath(buf, real) == NULL) {
        char *slash = strrchr(buf, '/');
        if (slash == NULL) {
            snprintf(buf, sizeof buf, ".");
            if (realpath(buf, real) == NULL)
                return false;
            break;
        }
        if (slash == buf)
            slash[1] = '\0';
        else
            *slash = '\0';
    }
    for (;;) {
        dev_t dv;
        ino_t in;
        if (node_of(real, &dv, &in) && dv == dev && in == ino)
            return true;
        char *slash = strrchr(real, '/');
        if (slash == NULL || slash == real) {
            if (strcmp(real, "/") == 0)
                return false;
            snprintf(real, sizeof real, "/");
        } else {
            *slash = '\0';
        }
    }
}

/* Refuse an output folder that is a merge input, inside one, or holds one
 * (compared by device and inode, through symbolic links and ".."). */
static int check_out_vs_inputs(const char *out, const char *const *in,
                               size_t n, struct diag *d)
{
    dev_t odev;
    ino_t oino;
    bool out_exists = node_of(out, &odev, &oino);
    for (size_t i = 0; i < n; i++) {
        dev_t dev;
        ino_t ino;
        if (node_of(in[i], &dev, &ino) && is_or_within(out, dev, ino))
            return diag_set(d, SIM_EINVAL, out, 0, 0,
                            "merge: -o is the partial folder %s (or inside "
                            "it); refusing to overwrite a merge input "
                            "(choose another -o)",
                            in[i]);
        if (out_exists && is_or_within(in[i], odev, oino))
            return diag_set(d, SIM_EINVAL, out, 0, 0,
                            "merge: -o holds the partial folder %s; "
                            "refusing to overwrite a merge input (choose "
                            "another -o)",
                            in[i]);
    }
    return 0;
}

/* Build the plan from manifest m (the one of the first folder). */
static int plan_from_manifest(struct runner_plan *p, json_t *m,
                              struct diag *d)
{
    json_t *set = json_object_get(m, "set");
    json_t *vary = json_object_get(m, "vary");
    size_t n_ov = json_array_size(set), n_vary = json_array_size(vary);
    struct scn_override *ov = calloc(n_ov + 1, sizeof *ov);
    struct run_axis *ax = calloc(n_vary + 1, sizeof *ax);
    int rc = ov == NULL || ax == NULL ? SIM_ENOMEM : 0;
    for (size_t i = 0; i < n_ov && rc == 0; i++) {
        json_t *pr = json_array_get(set, i);
        ov[i].path = json_string_value(json_array_get(pr, 0));
        ov[i].value = json_string_value(json_array_get(pr, 1));
        if (ov[i].path == NULL || ov[i].value == NULL)
            rc = SIM_EINVAL;
    }
    for (size_t i = 0; i < n_vary && rc == 0; i++) {
        json_t *a = json_array_get(vary, i);
        json_t *vals = json_object_get(a, "values");
        ax[i].path = json_string_value(json_object_get(a, "path"));
        ax[i].n_values = json_array_size(vals);
        ax[i].values = calloc(ax[i].n_values + 1, sizeof(char *));
        if (ax[i].path == NULL || ax[i].values == NULL) {
            rc = SIM_EINVAL;
            break;
        }
        for (size_t v = 0; v < ax[i].n_values; v++)
            ax[i].values[v] = (char *)json_string_value(
                json_array_get(vals, v));
    }
    const char *file = json_string_value(json_object_get(m, "scenario_file"));
    const char *base = json_string_value(json_object_get(m, "base_dir"));
    const char *text = json_string_value(json_object_get(m, "scenario_text"));
    if (rc == 0 && (file == NULL || base == NULL || text == NULL))
        rc = SIM_EINVAL;
    if (rc != 0)
        diag_set(d, rc, NULL, 0, 0, "merge: malformed manifest");
    else
        rc = runner_plan_init(p, file, text, base, ov, n_ov, ax, n_vary, d);
    if (ax != NULL)
        for (size_t i = 0; i < n_vary; i++)
            free(ax[i].values);
    free(ax);
    free(ov);
    return rc;
}

int runner_merge(const char *out_dir, const char *const *in_dirs, size_t n,
                 FILE *table, bool quiet, bool check)
{
    struct diag d;
    diag_init(&d);
    char buf[2048];
    json_t **man = calloc(n + 1, sizeof *man);
    char **part_dirs = calloc(n + 1, sizeof *part_dirs);
    unsigned char *seen = NULL;
    struct runner_plan p;
    memset(&p, 0, sizeof p);
    struct report_lock lock = {.fd = -1};
    int code = EXIT_USAGE;
    if (man == NULL || part_dirs == NULL) {
        code = EXIT_RUN_FAILED;
        diag_set(&d, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        goto fail;
    }
    if (check_out_vs_inputs(out_dir, in_dirs, n, &d) != 0)
        goto fail;
    /* Manifests: all equal but for the shard index; indexes 1..N once. */
    uint32_t count = 0;
    for (size_t i = 0; i < n; i++) {
        if ((man[i] = load_manifest(in_dirs[i], &code, &d)) == NULL)
            goto fail;
        code = EXIT_USAGE;
        json_int_t sh = json_integer_value(json_object_get(man[i], "shard"));
        json_int_t cn = json_integer_value(json_object_get(man[i], "shards"));
        if (i == 0)
            count = (uint32_t)cn;
        json_t *a = json_deep_copy(man[0]), *b = json_deep_copy(man[i]);
        json_object_del(a, "shard");
        json_object_del(b, "shard");
        bool same = json_equal(a, b);
        json_decref(a);
        json_decref(b);
        if (!same || sh < 1 || sh > cn) {
            diag_set(&d, SIM_EINVAL, in_dirs[i], 0, 0,
                     "merge: this shard belongs to another run than %s "
                     "(scenario, options, or shard count differ)",
                     in_dirs[0]);
            goto fail;
        }
        for (size_t j = 0; j < i; j++)
            if (json_integer_value(json_object_get(man[j], "shard")) == sh) {
                diag_set(&d, SIM_EINVAL, in_dirs[i], 0, 0,
                         "merge: shard %lld/%u given twice (also %s)",
                         (long long)sh, count, in_dirs[j]);
                goto fail;
            }
    }
    if (n != count) {
        diag_set(&d, SIM_EINVAL, NULL, 0, 0,
                 "merge: %zu partial folder%s given, the run has %u shards",
                 n, n == 1 ? "" : "s", count);
        goto fail;
    }
    int rc = plan_from_manifest(&p, man[0], &d);
    if (rc != 0) {
        code = rc == SIM_ENOMEM ? EXIT_RUN_FAILED : EXIT_INVALID;
        goto fail;
    }
    /* The counts must be those of the scenario the manifest holds. */
    json_int_t mc = json_integer_value(json_object_get(man[0], "configs"));
    json_int_t mr =
        json_integer_value(json_object_get(man[0], "replications"));
    if ((size_t)mc != p.n_cfg || (size_t)mr != p.n_rep) {
        char mpath[4096];
        snprintf(mpath, sizeof mpath, "%s/manifest.json", in_dirs[0]);
        diag_set(&d, SIM_EINVAL, mpath, 0, 0,
                 "%s: %lld, but its scenario and options give %zu",
                 (size_t)mc != p.n_cfg ? "configs" : "replications",
                 (long long)((size_t)mc != p.n_cfg ? mc : mr),
                 (size_t)mc != p.n_cfg ? p.n_cfg : p.n_rep);
        code = EXIT_INVALID;
        goto fail;
    }
    size_t total = p.n_cfg * p.n_rep;
    seen = calloc(total + 1, 1);
    if (seen == NULL) {
        code = EXIT_RUN_FAILED;
        goto fail;
    }
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        struct rd r = {.p = &p, .path = path, .seen = seen, .count = count};
        r.shard = (uint32_t)json_integer_value(
            json_object_get(man[i], "shard"));
        snprintf(path, sizeof path, "%s/replications.csv", in_dirs[i]);
        if (csvin_read(path, on_rep_row, &r, &d) != 0)
            goto fail;
        snprintf(path, sizeof path, "%s/latency_raw.csv", in_dirs[i]);
        if (csvin_read(path, on_raw_row, &r, &d) != 0)
            goto fail;
        size_t len = strlen(in_dirs[i]) + 16;
        if ((part_dirs[i] = malloc(len)) == NULL) {
            code = EXIT_RUN_FAILED;
            goto fail;
        }
        snprintf(part_dirs[i], len, "%s/shard-parts", in_dirs[i]);
    }
    for (size_t i = 0; i < total; i++)
        if (!p.have[i] || !seen[i]) {
            diag_set(&d, SIM_EINVAL, NULL, 0, 0,
                     "merge: c%zu replication %zu is missing from the "
                     "partial folders",
                     i / p.n_rep, i % p.n_rep);
            goto fail;
        }
    char tmp[1100];
    int src = report_stage_lock(out_dir, &lock, &d);
    if (src == 0)
        src = report_stage_begin(out_dir, tmp, sizeof tmp, &d);
    if (src != 0) {
        code = src == SIM_EINVAL ? EXIT_USAGE : EXIT_RUN_FAILED;
        goto fail;
    }
    struct runner_finish_opts f = {
        .final_dir = out_dir, .table = table, .quiet = quiet,
        .check = check, .part_dirs = (const char *const *)part_dirs,
        .n_part_dirs = n, .remove_parts = false,
    };
    code = runner_finish(&p, tmp, &f);
    goto done;
fail:
    if (d.file[0] == '\0')
        fprintf(stderr, "burstsim: %s\n", d.msg);
    else
        fprintf(stderr, "%s\n", diag_format(&d, buf, sizeof buf));
done:
    report_stage_unlock(&lock);
    for (size_t i = 0; i < n && man != NULL; i++)
        json_decref(man[i]);
    for (size_t i = 0; i < n && part_dirs != NULL; i++)
        free(part_dirs[i]);
    free(man);
    free(part_dirs);
    free(seen);
    runner_plan_fini(&p);
    return code;
}
