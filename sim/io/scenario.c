/* sim/io/scenario.c - loader of scenario format v1 (see scenario.h and
 * docs/scenario-format.md), its entry points: YAML text -> a small owned
 * tree with file positions (scn_tree.c) -> --set overrides spliced into the
 * tree (scn_override.c) -> typed struct scenario, driven by the key table of
 * scn_keys.c (scn_walk.c, scn_dist.c) -> the cross-key defaults and checks
 * here. scn_fini() is here too.
 *
 * Workload: one file of a few hundred lines per run (plus one load per
 * sweep configuration), so clarity wins over speed: defaults are written in
 * the table as YAML text and parsed by the same code as the file's values,
 * which keeps "what the file may say" and "what the default is" in one
 * place. The first error stops loading; everything allocated so far is freed
 * through scn_fini(), which walks the same table. */
#include "sim/io/scenario.h"

#include "sim/io/scn_ctx.h"
#include "sim/io/scn_keys.h"
#include "sim/io/scn_override.h"
#include "sim/io/scn_tree.h"
#include "sim/io/scn_yaml.h"
#include "sim/io/scn_units.h"
#include "sim/io/scn_walk.h"
#include "models/result.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_NODES = 1000000 };

/* ---- cross-key defaults and checks -------------------------------------- */

static int finish(struct scn_ctx *c)
{
    struct scenario *s = c->scn;
    char b1[64], p[SCN_PATH_MAX];
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
            return scn__err_loc(
                c, "name", SIM_ERANGE,
                "name: expected a plain name of letters, digits, '-', '_' "
                "and '.' (at most 200, not starting with '.'), got "
                "\"%.60s%s\"", s->name, n > 60 ? "..." : "");
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
            return scn__err_at(c, NULL, SIM_ENOMEM, "out of memory");
    }
    if (!s->has_sample_interval)
        s->sample_interval_us = result_default_sample_interval(
            s->has_horizon ? s->horizon_us : 0, s->scale.polling_interval_us);
    if (!s->cost.has_ops_price) /* by broker: models/cost.h */
        s->cost.ops_price_per_10k =
            s->source.kind == SRC_SERVICE_BUS ? 0.008 : 0.004;
    if (s->baseline.cpu == 0.0)
        s->baseline.cpu = s->job.cpu;
    if (s->baseline.memory_gib == 0.0)
        s->baseline.memory_gib = s->job.memory_gib;
    if (!s->downstream.has_burst)
        s->downstream.burst = s->downstream.rate_per_s * 1.0;
    bool process = false;
    for (size_t i = 0; i < s->n_arrivals; i++) {
        const struct scn_arrival_item *a = &s->arrivals[i];
        char pre[SCN_PATH_MAX];
        if (s->arrivals_is_list)
            scn__pathf(pre, "arrivals[%zu]", i);
        else
            scn__pathf(pre, "arrivals");
        if (a->is_trace) {
            if (a->trace.has_start && a->trace.has_end &&
                a->trace.end_us <= a->trace.start_us) {
                scn__pathf(p, "%s.trace.end", pre);
                scn__fmt_dur(b1, sizeof b1, a->trace.start_us);
                return scn__err_loc(
                    c, p, SIM_ERANGE, "%s: expected a time after start (%s)",
                    p, b1);
            }
            if ((a->trace.filter.column == NULL) !=
                (a->trace.filter.equals == NULL)) {
                scn__pathf(p, "%s.trace.filter.%s", pre,
                           a->trace.filter.column == NULL ? "equals"
                                                          : "column");
                return scn__err_loc(
                    c, p, SIM_EPARSE,
                    "%s.trace.filter: expected both column and equals", pre);
            }
            continue;
        }
        process = true;
        for (size_t j = 1; j < a->process.n_steps; j++) {
            if (a->process.steps[j].at_us > a->process.steps[j - 1].at_us)
                continue;
            scn__pathf(p, "%s.process.steps[%zu].at", pre, j);
            scn__fmt_dur(b1, sizeof b1, a->process.steps[j - 1].at_us);
            return scn__err_loc(
                c, p, SIM_ERANGE,
                "%s: expected a time after the previous step's (%s); "
                "steps must be in time order", p, b1);
        }
    }
    if (process && !s->has_horizon)
        return scn__err_at(c, c->arrivals, SIM_EPARSE,
                           "horizon: required when arrivals is a process "
                           "(e.g. horizon: 2h)");
    if (s->has_horizon && s->warmup_us >= s->horizon_us) {
        scn__fmt_dur(b1, sizeof b1, s->horizon_us);
        return scn__err_loc(c, "warmup", SIM_ERANGE,
                            "warmup: expected less than horizon (%s)", b1);
    }
    if (s->scale.min_executions > s->scale.max_executions)
        return scn__err_loc(c, "scale.min_executions", SIM_ERANGE,
                            "scale.min_executions: expected at most "
                            "scale.max_executions (%" PRId64 "), got %" PRId64,
                            s->scale.max_executions, s->scale.min_executions);
    if (s->job.replica_completion_count > s->job.parallelism)
        return scn__err_loc(c, "job.replica_completion_count", SIM_ERANGE,
                            "job.replica_completion_count: expected at most "
                            "job.parallelism (%" PRId64 "), got %" PRId64,
                            s->job.parallelism,
                            s->job.replica_completion_count);
    if (s->cost.dedicated.min_nodes > s->cost.dedicated.max_nodes)
        return scn__err_loc(c, "cost.dedicated.min_nodes", SIM_ERANGE,
                            "cost.dedicated.min_nodes: expected at most "
                            "cost.dedicated.max_nodes (%" PRId64 ")",
                            s->cost.dedicated.max_nodes);
    /* sampling tables, built once: the scenario is read-only afterwards */
    struct dist *ds[] = {&s->job.startup, &s->job.claim, &s->job.duration};
    for (size_t i = 0; i < 3; i++)
        if (dist_prepare(ds[i]) != SIM_OK)
            return scn__err_at(c, NULL, SIM_ENOMEM, "out of memory");
    for (size_t i = 0; i < s->n_arrivals; i++)
        if (dist_prepare(&s->arrivals[i].process.size) != SIM_OK)
            return scn__err_at(c, NULL, SIM_ENOMEM, "out of memory");
    return SIM_OK;
}

/* ---- freeing ------------------------------------------------------------ */

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

/* ---- public entry points ------------------------------------------------ */

static int load(struct scenario *scn, const char *text, size_t len,
                const char *file, const char *base_dir,
                const struct scn_override *ov, size_t n_ov, struct diag *d)
{
    memset(scn, 0, sizeof *scn);
    struct scn_ctx c = {scn, d, MAX_NODES, NULL};
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
    int rc = scn__yaml_to_tree(&c, text, len, false, 0, 0, "", &root);
    for (size_t i = 0; rc == SIM_OK && i < n_ov; i++)
        rc = scn__apply_override(&c, &root, &ov[i], (int)i + 1);
    if (rc == SIM_OK && root != NULL && root->kind != YN_MAP)
        rc =
            scn__err_expect(&c, root, "(top level)", SIM_EPARSE,
                            "a mapping of keys (name:, arrivals:, job:, ...)");
    if (rc == SIM_OK && scn__map_get(root, "arrivals", NULL) == NULL)
        rc = diag_set(d, SIM_EPARSE, scn->file, root ? root->line : 0,
                      root ? root->col : 0,
                      "arrivals: missing (a scenario needs arrivals: with "
                      "trace: or process:)");
    if (rc == SIM_OK)
        rc = scn__parse_table(&c, &scn__top, scn, root, root, "", true);
    if (rc == SIM_OK)
        rc = finish(&c);
    scn__ynode_free(root);
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
