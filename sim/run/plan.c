/* sim/run/plan.c - the configurations x replications of a run (see
 * plan.h).
 *
 * The scenario text is read once and every configuration is loaded from
 * that text with the axis values as overrides, so a merge (which reloads
 * the plan from the text kept in each shard's manifest) sees exactly the
 * configurations the shards simulated. Workload: a few dozen
 * configurations, each a full scenario load. */
#include "sim/run/plan.h"

#include "sim/io/support.h"
#include "sim/io/trace_feed.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static char *dup_str(const char *s)
{
    return s != NULL ? strdup(s) : NULL;
}

/* Read the whole file at path into a NUL-terminated heap string. */
static int read_text(const char *path, char **out, struct diag *d)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return diag_set(d, SIM_EIO, path, 0, 0, "cannot open: %s",
                        strerror(errno));
    size_t len = 0, cap = 65536;
    char *text = malloc(cap);
    for (;;) {
        if (text == NULL) {
            fclose(f);
            return diag_set(d, SIM_ENOMEM, path, 0, 0, "out of memory");
        }
        size_t got = fread(text + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0)
            break;
        if (cap - len - 1 < 4096) {
            char *t = realloc(text, cap * 2);
            if (t == NULL)
                free(text);
            text = t;
            cap *= 2;
        }
    }
    bool bad = ferror(f) != 0;
    fclose(f);
    if (bad) {
        free(text);
        return diag_set(d, SIM_EIO, path, 0, 0, "cannot read: %s",
                        strerror(errno));
    }
    text[len] = '\0';
    *out = text;
    return 0;
}

/* The folder of path, as scn_load() computes it. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

/* Copy the overrides and --vary axes into the plan (it must not depend on
 * the caller's argv). */
static int copy_inputs(struct runner_plan *p, const struct scn_override *ov,
                       size_t n_ov, const struct run_axis *vary,
                       size_t n_vary)
{
    size_t n_str = 2 * n_ov + n_vary;
    for (size_t i = 0; i < n_vary; i++)
        n_str += vary[i].n_values;
    p->ov = calloc(n_ov + 1, sizeof *p->ov);
    p->ov_strings = calloc(n_str + 1, sizeof *p->ov_strings);
    p->n_strings = p->ov_strings != NULL ? n_str : 0;
    p->vary = calloc(n_vary + 1, sizeof *p->vary);
    if (p->ov == NULL || p->ov_strings == NULL || p->vary == NULL)
        return SIM_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < n_ov; i++) {
        char *a = p->ov_strings[k++] = dup_str(ov[i].path);
        char *b = p->ov_strings[k++] = dup_str(ov[i].value);
        if (a == NULL || b == NULL)
            return SIM_ENOMEM;
        p->ov[i] = (struct scn_override){a, b};
    }
    p->n_ov = n_ov;
    for (size_t i = 0; i < n_vary; i++) {
        char *path = p->ov_strings[k++] = dup_str(vary[i].path);
        char **vals = calloc(vary[i].n_values + 1, sizeof *vals);
        p->vary[i].path = path;
        p->vary[i].values = vals;
        p->vary[i].n_values = vary[i].n_values;
        p->n_vary = i + 1;
        if (path == NULL || vals == NULL)
            return SIM_ENOMEM;
        for (size_t v = 0; v < vary[i].n_values; v++)
            if ((vals[v] = p->ov_strings[k++] = dup_str(vary[i].values[v])) ==
                NULL)
                return SIM_ENOMEM;
    }
    return 0;
}

/* Gather the axes: the scenario's sweep, then --vary (replacing an axis of
 * the same path). */
static int gather_axes(struct runner_plan *p)
{
    size_t cap = p->base.n_sweep + p->n_vary + 1;
    p->axis_names = calloc(cap, sizeof *p->axis_names);
    p->axis_vals = calloc(cap, sizeof *p->axis_vals);
    p->axis_n = calloc(cap, sizeof *p->axis_n);
    if (p->axis_names == NULL || p->axis_vals == NULL || p->axis_n == NULL)
        return SIM_ENOMEM;
    for (size_t i = 0; i < p->base.n_sweep; i++) {
        p->axis_names[p->n_axes] = p->base.sweep[i].path;
        p->axis_vals[p->n_axes] = p->base.sweep[i].values;
        p->axis_n[p->n_axes++] = p->base.sweep[i].n_values;
    }
    for (size_t i = 0; i < p->n_vary; i++) {
        size_t k = 0;
        while (k < p->n_axes && strcmp(p->axis_names[k], p->vary[i].path))
            k++;
        p->axis_names[k] = p->vary[i].path;
        p->axis_vals[k] = p->vary[i].values;
        p->axis_n[k] = p->vary[i].n_values;
        if (k == p->n_axes)
            p->n_axes++;
    }
    return 0;
}

/* The key path of override o (its path may point into "PATH=VALUE"). */
static size_t ov_path_len(const struct scn_override *o)
{
    return o->path != NULL ? strcspn(o->path, "=") : 0;
}

/* Refuse a --set of a key that is also an axis (the axis value would
 * silently win): a usage error naming the key. Only the caller's --set
 * overrides are checked (seed and replications are refused otherwise). */
static int check_set_vs_axes(struct runner_plan *p, struct diag *d)
{
    for (size_t i = 0; i < p->n_ov; i++) {
        size_t len = ov_path_len(&p->ov[i]);
        for (size_t k = 0; k < p->n_axes; k++) {
            if (strlen(p->axis_names[k]) != len ||
                memcmp(p->axis_names[k], p->ov[i].path, len) != 0)
                continue;
            p->usage_error = true;
            return diag_set(d, SIM_EINVAL, NULL, 0, 0,
                            "--set %s: the key is also varied (--vary / "
                            "sweep:); give it once",
                            p->axis_names[k]);
        }
    }
    return 0;
}

/* The scenario s as YAML text (heap, NUL-terminated), or NULL. */
static char *yaml_of(const struct scenario *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL)
        return NULL;
    int rc = scn_print_yaml(f, s);
    if (fclose(f) != 0 || rc != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* Refuse two values of one axis that resolve to the same configuration
 * ("30s" and "0.5m"): the text check of the sweep and of --vary only
 * catches the same spelling. The configurations compared differ only in
 * that axis (every other axis at its first value). A --vary axis is a
 * usage error ("--vary: ..."), one of the file's sweep points at the
 * later value in the file. */
static int check_distinct(struct runner_plan *p, struct diag *d)
{
    size_t stride = p->n_cfg;
    for (size_t k = 0; k < p->n_axes; k++) {
        stride /= p->axis_n[k]; /* configurations per value of axis k */
        size_t n = p->axis_n[k];
        char **y = calloc(n + 1, sizeof *y);
        if (y == NULL)
            return diag_set(d, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        int rc = 0;
        for (size_t v = 0; v < n && rc == 0; v++)
            if ((y[v] = yaml_of(&p->cfg[v * stride])) == NULL)
                rc = diag_set(d, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        for (size_t v = 1; v < n && rc == 0; v++)
            for (size_t u = 0; u < v && rc == 0; u++) {
                if (strcmp(y[u], y[v]) != 0)
                    continue;
                const char *a = p->axis_vals[k][u], *b = p->axis_vals[k][v];
                size_t vi = 0;
                while (vi < p->n_vary && p->vary[vi].values != p->axis_vals[k])
                    vi++;
                if (vi < p->n_vary) {
                    p->usage_error = true;
                    rc = diag_set(d, SIM_EINVAL, NULL, 0, 0,
                                  "--vary: %s: values \"%s\" and \"%s\" "
                                  "are the same value (values %zu and %zu); "
                                  "each value of an axis must differ",
                                  p->axis_names[k], a, b, u + 1, v + 1);
                    break;
                }
                char path[600];
                snprintf(path, sizeof path, "sweep.%s[%zu]",
                         p->axis_names[k], v);
                const struct scn_loc *l = scn_loc(&p->base, path);
                rc = diag_set(d, SIM_EINVAL, l ? l->file : p->file,
                              l ? l->line : 0, l ? l->col : 0,
                              "sweep.%s[%zu]: value %s is the same value as "
                              "%s (sweep.%s[%zu]); each value of an axis "
                              "must differ",
                              p->axis_names[k], v, b, a, p->axis_names[k],
                              u);
            }
        for (size_t v = 0; v < n; v++)
            free(y[v]);
        free(y);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* Load configuration c: the base overrides plus one value per axis. */
static int load_config(struct runner_plan *p, size_t c, struct diag *d)
{
    size_t n = p->n_ov + p->n_axes;
    struct scn_override *ov = calloc(n + 1, sizeof *ov);
    p->axis_values[c] = calloc(p->n_axes + 1, sizeof(char *));
    if (ov == NULL || p->axis_values[c] == NULL) {
        free(ov);
        return diag_set(d, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (p->n_ov > 0)
        memcpy(ov, p->ov, p->n_ov * sizeof *ov);
    size_t rest = c;
    for (size_t k = p->n_axes; k-- > 0;) {
        size_t v = rest % p->axis_n[k];
        rest /= p->axis_n[k];
        ov[p->n_ov + k].path = p->axis_names[k];
        ov[p->n_ov + k].value = p->axis_vals[k][v];
        p->axis_values[c][k] = p->axis_vals[k][v];
    }
    int rc = scn_load_string(&p->cfg[c], p->text, p->file, p->base_dir, ov,
                             n, d);
    free(ov);
    /* An error in a value of the file's sweep: point at that value in the
     * file, and one in a --vary value at that option ("--vary:I"), not at
     * the override it was applied as ("--set:N:col"). */
    size_t k = d != NULL && rc != 0 && strcmp(d->file, "--set") == 0
                   ? (size_t)d->line - 1 : 0;
    if (d != NULL && rc != 0 && strcmp(d->file, "--set") == 0 &&
        k >= p->n_ov && k < n) {
        size_t ax = k - p->n_ov, v = 0, r2 = c;
        for (size_t j = p->n_axes; j-- > 0;) {
            if (j == ax)
                v = r2 % p->axis_n[j];
            r2 /= p->axis_n[j];
        }
        char path[600];
        snprintf(path, sizeof path, "sweep.%s[%zu]", p->axis_names[ax], v);
        const struct scn_loc *l = scn_loc(&p->base, path);
        bool from_file = false; /* not replaced by a --vary axis */
        for (size_t i = 0; i < p->base.n_sweep; i++)
            from_file |= p->axis_vals[ax] == p->base.sweep[i].values;
        if (l != NULL && from_file) {
            snprintf(d->file, sizeof d->file, "%s", l->file);
            d->line = l->line;
            d->col = l->col;
        }
        for (size_t i = 0; !from_file && i < p->n_vary; i++) {
            if (p->vary[i].values != p->axis_vals[ax])
                continue;
            /* "--vary:I: error: ..." : the I-th --vary option */
            snprintf(d->file, sizeof d->file, "--vary");
            d->line = (int)i + 1;
            d->col = 0;
        }
    }
    if (rc == 0)
        rc = scn_check_supported(&p->cfg[c], d);
    snprintf(p->labels[c], sizeof p->labels[c], "c%zu", c);
    return rc;
}

int runner_plan_init(struct runner_plan *p, const char *file,
                     const char *text, const char *base_dir,
                     const struct scn_override *ov, size_t n_ov,
                     const struct run_axis *vary, size_t n_vary,
                     struct diag *d)
{
    memset(p, 0, sizeof *p);
    p->file = dup_str(file);
    p->base_dir = base_dir != NULL ? dup_str(base_dir) : dir_of(file);
    if (p->file == NULL || p->base_dir == NULL)
        return diag_set(d, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    int rc = text != NULL ? ((p->text = dup_str(text)) == NULL ? SIM_ENOMEM
                                                               : 0)
                          : read_text(file, &p->text, d);
    if (rc != 0)
        return diag_set(d, rc, file, 0, 0, "out of memory");
    if (copy_inputs(p, ov, n_ov, vary, n_vary) != 0)
        return diag_set(d, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    rc = scn_load_string(&p->base, p->text, p->file, p->base_dir, p->ov,
                         p->n_ov, d);
    if (rc == 0)
        rc = scn_check_supported(&p->base, d);
    if (rc != 0)
        return rc;
    if (text == NULL) /* a run, not a merge: say it once */
        scn_warnings(&p->base, stderr);
    if (gather_axes(p) != 0)
        return diag_set(d, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    if (text == NULL && (rc = check_set_vs_axes(p, d)) != 0)
        return rc;
    p->n_cfg = 1;
    for (size_t k = 0; k < p->n_axes; k++)
        p->n_cfg *= p->axis_n[k];
    p->n_rep = (uint32_t)p->base.replications;
    size_t total = p->n_cfg * p->n_rep;
    p->cfg = calloc(p->n_cfg, sizeof *p->cfg);
    p->axis_values = calloc(p->n_cfg, sizeof *p->axis_values);
    p->labels = calloc(p->n_cfg, sizeof *p->labels);
    p->res = calloc(total, sizeof *p->res);
    p->have = calloc(total, 1);
    if (!p->cfg || !p->axis_values || !p->labels || !p->res || !p->have)
        return diag_set(d, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t c = 0; c < p->n_cfg; c++) {
        rc = load_config(p, c, d);
        /* A run (not a merge, whose traces may be elsewhere): decide
         * time_format auto now, say it once, keep it for summary.json. */
        if (rc == 0 && text == NULL)
            rc = trace_feed_resolve(&p->cfg[c], c == 0 ? stderr : NULL, d);
        if (rc != 0)
            return rc;
        if ((uint32_t)p->cfg[c].replications != p->n_rep)
            return diag_set(d, SIM_EINVAL, NULL, 0, 0,
                            "replications cannot be swept");
    }
    if (text == NULL) /* a run; a merge replays a plan already checked */
        return check_distinct(p, d);
    return 0;
}

void runner_plan_fini(struct runner_plan *p)
{
    if (p->cfg != NULL)
        for (size_t c = 0; c < p->n_cfg; c++)
            scn_fini(&p->cfg[c]);
    if (p->axis_values != NULL)
        for (size_t c = 0; c < p->n_cfg; c++)
            free(p->axis_values[c]);
    scn_fini(&p->base);
    for (size_t i = 0; i < p->n_strings; i++)
        free(p->ov_strings[i]);
    if (p->vary != NULL)
        for (size_t i = 0; i < p->n_vary; i++)
            free(p->vary[i].values);
    free(p->ov_strings);
    free(p->vary);
    free(p->ov);
    free(p->axis_values);
    free(p->axis_names);
    free(p->axis_vals);
    free(p->axis_n);
    free(p->cfg);
    free(p->labels);
    free(p->res);
    free(p->have);
    free(p->text);
    free(p->file);
    free(p->base_dir);
    memset(p, 0, sizeof *p);
}

void runner_plan_configs(const struct runner_plan *p,
                         struct report_config *cfgs)
{
    for (size_t c = 0; c < p->n_cfg; c++) {
        memset(&cfgs[c], 0, sizeof cfgs[c]);
        cfgs[c].label = p->labels[c];
        cfgs[c].axis_values = p->axis_values[c];
        cfgs[c].reps = &p->res[c * p->n_rep];
        cfgs[c].n_reps = p->n_rep;
        cfgs[c].slo_met = -1;
    }
}
