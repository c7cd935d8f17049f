/* sim/io/scn_dist.c - distributions of the scenario (see scn_dist.h): the
 * parameter keys each kind accepts, the form they imply (median + p95,
 * mean + cv, ...), the range checks of each form, the engine's parameters
 * computed from them, and the column of an empirical distribution's CSV,
 * read with libcsv. */
#include "sim/io/scn_dist.h"

#include "sim/io/scn_keys.h"
#include "sim/io/scn_units.h"

#include <csv.h>
#include <errno.h>
#include <gsl/gsl_cdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- parameters --------------------------------------------------------- */

/* Parse a distribution parameter: a duration (seconds) or a plain number. */
static int dist_param(struct scn_ctx *c, const struct ynode *v,
                      const char *path, bool dur, bool counts, double *out)
{
    if (v == NULL || v->kind != YN_SCALAR)
        return scn__err_expect(c, v, path, SIM_EPARSE,
                               dur && !counts ? "a duration like 30s"
                                              : "a number");
    if (dur && !counts) {
        sim_time us;
        int rc = scn_parse_duration(v->text, &us);
        if (rc != SIM_OK)
            return scn__err_expect(
                c, v, path, rc,
                rc == SIM_ERANGE ? "a duration from 0 to 1e11 s (3,170 years)"
                                 : "a duration like 30s");
        *out = sim_to_s(us);
        return SIM_OK;
    }
    if (!scn__num_text(v->text, out))
        return scn__err_expect(c, v, path, SIM_EPARSE, "a number");
    if (dur && *out < 0)
        return scn__err_expect(c, v, path, SIM_ERANGE, "a number >= 0");
    return SIM_OK;
}

/* ---- the empirical CSV -------------------------------------------------- */

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
    if (!scn__num_text(r->bad, &v) || v < 0) {
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
static int read_empirical(struct scn_ctx *c, struct dist *d, const char *path,
                          const struct ynode *pv, const struct ynode *cv)
{
    struct csvr r = {.col = -1};
    int64_t idx;
    if (scn__int_text(d->column, &idx)) {
        if (idx < 1)
            return scn__err_expect(c, cv, path, SIM_ERANGE,
                                   "a header name or a 1-based column index");
        r.col = (long)(idx - 1);
    } else {
        r.name = d->column;
    }
    FILE *f = fopen(d->path, "rb");
    if (f == NULL)
        return scn__err_at(c, pv, SIM_EIO, "%s.path: cannot open \"%s\": %s",
                           path, d->path, strerror(errno));
    struct csv_parser p;
    if (csv_init(&p, CSV_APPEND_NULL) != 0) {
        fclose(f);
        return scn__err_at(c, NULL, SIM_ENOMEM, "out of memory");
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
        rc = scn__err_at(c, pv, SIM_EIO, "%s.path: cannot read \"%s\"", path,
                         d->path);
    else if (r.err == SIM_ENOMEM)
        rc = scn__err_at(c, NULL, SIM_ENOMEM, "out of memory");
    else if (r.col < 0)
        rc = scn__err_at(c, cv, SIM_EPARSE,
                         "%s.column: no column \"%s\" in the header of \"%s\"",
                         path, d->column, d->path);
    else if (r.err != SIM_OK)
        rc = diag_set(c->d, SIM_EPARSE, d->path, (int)r.bad_row + 2,
                      (int)r.col + 1,
                      "column %s: expected a number of seconds >= 0, got "
                      "\"%s\"", d->column, r.bad);
    else if (r.n == 0)
        rc = scn__err_at(c, pv, SIM_EPARSE, "%s.path: \"%s\" has no values",
                         path, d->path);
    if (rc != SIM_OK) {
        free(r.vals);
        return rc;
    }
    d->values = r.vals;
    d->n_values = r.n;
    return SIM_OK;
}


/* ---- a distribution ----------------------------------------------------- */

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

static int dist_from_map(struct scn_ctx *c, const struct ynode *v,
                         const char *path, struct dist *d, bool counts,
                         double *weight, bool record)
{
    char sub[SCN_PATH_MAX], b[100];
    const struct ynode *dk = NULL, *dv = scn__map_get(v, "dist", &dk);
    if (dv == NULL || dv->kind != YN_SCALAR) {
        scn__join_path(sub, path, "dist");
        if (dv != NULL)
            return scn__err_expect(c, dv, sub, SIM_EPARSE,
                                   "a distribution name");
        return scn__err_at(c, v, SIM_EPARSE,
                           "%s: missing (a distribution needs dist: fixed, "
                           "exponential, lognormal, gamma, weibull, uniform, "
                           "empirical or mixture)", sub);
    }
    int kind = -1;
    for (int i = 0; scn__dist_names[i] != NULL; i++)
        if (strcmp(dv->text, scn__dist_names[i]) == 0)
            kind = i;
    scn__join_path(sub, path, "dist");
    if (kind < 0)
        return scn__err_at(
            c, dv, SIM_EPARSE,
            "%s: expected one of fixed, exponential, lognormal, "
            "gamma, weibull, uniform, empirical, mixture, got %s",
            sub, scn__got(dv, b, sizeof b));
    if (record && scn__add_loc(c, sub, dk, dv) != SIM_OK)
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
            scn__join_path(sub, path, kn);
            return scn__err_at(
                c, v->keys[i], SIM_EPARSE,
                "%s: unknown key for dist %s (expected one of: %s)", sub,
                scn__dist_names[kind], list);
        }
    }
    if (weight != NULL) {
        const struct ynode *wk = NULL, *wv = scn__map_get(v, "weight", &wk);
        scn__join_path(sub, path, "weight");
        if (wv == NULL)
            return scn__err_at(
                c, v, SIM_EPARSE,
                "%s: missing (each mixture part needs weight: w)", sub);
        if (wv->kind != YN_SCALAR || !scn__num_text(wv->text, weight) ||
            !(*weight > 0))
            return scn__err_expect(c, wv, sub, SIM_ERANGE, "a number > 0");
        if (record && scn__add_loc(c, sub, wk, wv) != SIM_OK)
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
            if (scn__map_get(v, fm->a, NULL) || scn__map_get(v, fm->b, NULL)) {
                d->form = lf[i];
                nf++;
            }
        }
        if (nf > 1)
            return scn__err_at(
                c, v, SIM_EPARSE,
                "%s: lognormal takes median + p95, or mean + cv, or "
                "mu + sigma (not a mix)", path);
    }
    const struct scn_form *fm = &scn__forms[d->form];
    const char *names[2] = {fm->a, fm->b};
    bool durs[2] = {fm->a_dur, fm->b_dur};
    const struct ynode *pv[2] = {NULL, NULL};
    for (int i = 0; i < 2 && names[i] != NULL; i++) {
        const struct ynode *pk = NULL;
        pv[i] = scn__map_get(v, names[i], &pk);
        scn__join_path(sub, path, names[i]);
        if (pv[i] == NULL) {
            if (fm->b != NULL)
                return scn__err_at(c, v, SIM_EPARSE,
                                   "%s: missing (dist %s needs %s and %s)",
                                   sub, scn__dist_names[kind], fm->a, fm->b);
            return scn__err_at(c, v, SIM_EPARSE,
                               "%s: missing (dist %s needs %s)", sub,
                               scn__dist_names[kind], fm->a);
        }
        if (record && scn__add_loc(c, sub, pk, pv[i]) != SIM_OK)
            return c->d ? c->d->code : SIM_ENOMEM;
        if (d->form == DFORM_PATH_COLUMN || d->form == DFORM_PARTS)
            continue;
        int rc = dist_param(c, pv[i], sub, durs[i], counts, &d->given[i]);
        if (rc != SIM_OK)
            return rc;
    }
    double a = d->given[0], bb = d->given[1];
    char pa[SCN_PATH_MAX], pb[SCN_PATH_MAX];
    scn__join_path(pa, path, names[0]);
    scn__join_path(pb, path, names[1] ? names[1] : "");
    switch (d->form) {
    case DFORM_VALUE:
        d->p1 = a;
        break;
    case DFORM_MEAN:
        if (!(a > 0))
            return scn__err_expect(c, pv[0], pa, SIM_ERANGE, "a mean > 0");
        d->p1 = a;
        break;
    case DFORM_MEDIAN_P95:
        if (!(a > 0))
            return scn__err_expect(c, pv[0], pa, SIM_ERANGE, "a median > 0");
        if (!(bb > a))
            return scn__err_expect(c, pv[1], pb, SIM_ERANGE,
                                   "a p95 greater than the median");
        d->p1 = log(a);
        d->p2 = (log(bb) - d->p1) / gsl_cdf_ugaussian_Pinv(0.95);
        break;
    case DFORM_MEAN_CV: {
        if (!(a > 0))
            return scn__err_expect(c, pv[0], pa, SIM_ERANGE, "a mean > 0");
        if (!(bb > 0))
            return scn__err_expect(c, pv[1], pb, SIM_ERANGE, "a cv > 0");
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
            return scn__err_expect(c, pv[1], pb, SIM_ERANGE, "a sigma > 0");
        d->p1 = a;
        d->p2 = bb;
        break;
    case DFORM_SCALE_SHAPE:
        if (!(a > 0))
            return scn__err_expect(c, pv[0], pa, SIM_ERANGE, "a scale > 0");
        if (!(bb > 0))
            return scn__err_expect(c, pv[1], pb, SIM_ERANGE, "a shape > 0");
        d->p1 = a;
        d->p2 = bb;
        break;
    case DFORM_MIN_MAX:
        if (!(bb >= a))
            return scn__err_expect(c, pv[1], pb, SIM_ERANGE,
                                   "a max >= the min");
        d->p1 = a;
        d->p2 = bb;
        break;
    case DFORM_PATH_COLUMN:
        if (pv[0]->kind != YN_SCALAR || scn__is_null(pv[0]))
            return scn__err_expect(c, pv[0], pa, SIM_EPARSE,
                                   "a CSV file path");
        if (pv[1]->kind != YN_SCALAR || scn__is_null(pv[1]))
            return scn__err_expect(c, pv[1], pb, SIM_EPARSE,
                                   "a column name or 1-based index");
        d->path_as_written = strdup(pv[0]->text);
        d->path = scn__resolve(c->scn, pv[0]);
        d->column = strdup(pv[1]->text);
        if (!d->path_as_written || !d->path || !d->column)
            return scn__err_at(c, NULL, SIM_ENOMEM, "out of memory");
        return read_empirical(c, d, path, pv[0], pv[1]);
    case DFORM_PARTS: {
        const struct ynode *parts = pv[0];
        if (parts->kind != YN_SEQ || parts->n == 0)
            return scn__err_expect(c, parts, pa, SIM_EPARSE,
                                   "a list of parts like [{weight: 0.2, dist: "
                                   "fixed, value: 30s}, ...]");
        d->parts = calloc(parts->n, sizeof *d->parts);
        d->weights = calloc(parts->n, sizeof *d->weights);
        if (d->parts == NULL || d->weights == NULL)
            return scn__err_at(c, NULL, SIM_ENOMEM, "out of memory");
        d->n_parts = parts->n;
        for (size_t i = 0; i < parts->n; i++)
            dist_set_fixed(&d->parts[i], 0.0);
        for (size_t i = 0; i < parts->n; i++) {
            scn__pathf(sub, "%s[%zu]", pa, i);
            int rc = scn__parse_dist(c, parts->vals[i], sub, &d->parts[i],
                                     counts, &d->weights[i], record);
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
int scn__parse_dist(struct scn_ctx *c, const struct ynode *v, const char *path,
                    struct dist *d, bool counts, double *weight, bool record)
{
    dist_set_fixed(d, 0.0);
    if (v != NULL && v->kind == YN_MAP)
        return dist_from_map(c, v, path, d, counts, weight, record);
    if (v == NULL || v->kind != YN_SCALAR || scn__is_null(v) || weight != NULL)
        return scn__err_expect(
            c, v, path, SIM_EPARSE,
            weight != NULL ? "a mapping like {weight: 0.2, dist: fixed, "
                             "value: 30s}"
            : counts       ? "a count or a mapping with dist:"
                           : "a duration like 30s or a mapping with "
                             "dist:");
    double x;
    int rc = dist_param(c, v, path, true, counts, &x);
    if (rc != SIM_OK)
        return rc;
    dist_set_fixed(d, x);
    return SIM_OK;
}
