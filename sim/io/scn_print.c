/* sim/io/scn_print.c - the writers of a resolved scenario:
 * scn_print_yaml() (a valid scenario file, every default filled in, with
 * comments on the cross-key defaults) and scn_to_json() (the same keys and
 * nesting as a jansson object). Both walk the key table of scn_keys.c, so
 * they print every key in the order of docs/scenario-format.md and skip the
 * keys that do not apply to their table's discriminator. */
#include "sim/io/scn_print.h"

#include "sim/io/scn_keys.h"
#include "sim/io/scn_units.h"
#include "sim/io/trace_time.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* ---- field access ------------------------------------------------------- */

/* The value of the table's discriminator (process kind), or -1. */
static int disc_value(const struct scn_table *t, const void *base)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->keys[i].flags & KF_DISC)
            return *CAT(base, t->keys[i].off, int);
    return -1;
}

static bool key_applies(const struct scn_key *k, int disc)
{
    return k->mask == 0 || (disc >= 0 && (k->mask & (1u << disc)) != 0);
}

/* false when the key is optional and currently unset (printed as ~). */
static bool key_is_set(const struct scn_key *k, const void *base)
{
    if ((k->flags & KF_NULL) && k->aux != 0)
        return *CAT(base, k->aux - 1, bool);
    if (k->type == KT_STR)
        return *CAT(base, k->off, char *) != NULL;
    return true;
}

/* ---- YAML writer -------------------------------------------------------- */

/* Printer state: a pending "- " for the first line of a list item, and the
 * scenario for the comments on cross-key defaults. */
struct pr {
    FILE *f;
    bool dash;
    const struct scenario *scn;
};

static void pr_indent(struct pr *p, int indent)
{
    if (p->dash) {
        fprintf(p->f, "%*s- ", indent - 2, "");
        p->dash = false;
    } else {
        fprintf(p->f, "%*s", indent, "");
    }
}

/* Write s as a double-quoted YAML scalar. */
static void put_quoted(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '"' || *c == '\\')
            fprintf(f, "\\%c", *c);
        else if (*c == '\n')
            fputs("\\n", f);
        else if (*c == '\t')
            fputs("\\t", f);
        else if (*c < 0x20 || *c == 0x7f)
            fprintf(f, "\\x%02x", *c);
        else
            fputc(*c, f);
    }
    fputc('"', f);
}

static void put_param(FILE *f, double v, bool dur)
{
    char b[64];
    if (dur)
        scn__fmt_dur(b, sizeof b, sim_from_s(v));
    else
        scn__fmt_num(b, sizeof b, v);
    fputs(b, f);
}

/* Write the keys of a distribution ("dist: ..., median: 10s, ...") without
 * braces. counts: parameters are plain numbers, not durations. */
static void put_dist_keys(FILE *f, const struct dist *d, bool counts)
{
    const struct scn_form *fm = &scn__forms[d->form];
    fprintf(f, "dist: %s", scn__dist_names[d->kind]);
    if (d->kind == DIST_EMPIRICAL) {
        fputs(", path: ", f);
        put_quoted(f, d->path_as_written ? d->path_as_written : "");
        fputs(", column: ", f);
        put_quoted(f, d->column ? d->column : "");
    } else if (d->kind == DIST_MIXTURE) {
        fputs(", parts: [", f);
        for (size_t i = 0; i < d->n_parts; i++) {
            char b[64];
            scn__fmt_num(b, sizeof b, d->weights[i]);
            fprintf(f, "%s{weight: %s, ", i ? ", " : "", b);
            put_dist_keys(f, &d->parts[i], counts);
            fputc('}', f);
        }
        fputc(']', f);
    } else {
        fprintf(f, ", %s: ", fm->a);
        put_param(f, d->given[0], fm->a_dur && !counts);
        if (fm->b != NULL) {
            fprintf(f, ", %s: ", fm->b);
            put_param(f, d->given[1], fm->b_dur && !counts);
        }
    }
}

static void print_table(struct pr *p, const struct scn_table *t,
                        const void *base, int indent);

static void print_key(struct pr *p, const struct scn_key *k, const void *base,
                      int indent)
{
    FILE *f = p->f;
    const struct scenario *scn = p->scn;
    char b[64];
    pr_indent(p, indent);
    fprintf(f, "%s:", k->name);
    if (!key_is_set(k, base)) {
        if (k->type == KT_SECTION) {
            fputs(" ~\n", f);
            return;
        }
        fputs(" ~", f);
        if (strcmp(k->name, "sample_interval") == 0) {
            scn__fmt_dur(b, sizeof b, scn->sample_interval_us);
            fprintf(f, "    # from horizon and polling_interval = %s", b);
        } else if (strcmp(k->name, "ops_price_per_10k") == 0) {
            scn__fmt_num(b, sizeof b, scn->cost.ops_price_per_10k);
            fprintf(f, "    # by source.kind = %s", b);
        } else if (strcmp(k->name, "burst") == 0) {
            scn__fmt_num(b, sizeof b, scn->downstream.burst);
            fprintf(f, "    # one second of rate = %s", b);
        }
        fputc('\n', f);
        return;
    }
    switch (k->type) {
    case KT_STR:
        fputc(' ', f);
        put_quoted(f, *CAT(base, k->off, char *));
        break;
    case KT_PATH: {
        const char *s = *CAT(base, k->aux - 1, char *);
        fputc(' ', f);
        put_quoted(f, s ? s : "");
        break;
    }
    case KT_DUR:
        scn__fmt_dur(b, sizeof b, *CAT(base, k->off, sim_time));
        fprintf(f, " %s", b);
        break;
    case KT_MEM:
        scn__fmt_num(b, sizeof b, *CAT(base, k->off, double));
        fprintf(f, " %sGi", b);
        break;
    case KT_RATE:
        scn__fmt_num(b, sizeof b, *CAT(base, k->off, double));
        fprintf(f, " %s/s", b);
        break;
    case KT_INT:
        fprintf(f, " %" PRId64, *CAT(base, k->off, int64_t));
        break;
    case KT_SEED:
        fprintf(f, " %" PRIu32, *CAT(base, k->off, uint32_t));
        break;
    case KT_NUM:
        scn__fmt_num(b, sizeof b, *CAT(base, k->off, double));
        fprintf(f, " %s", b);
        break;
    case KT_BOOL:
        fputs(*CAT(base, k->off, bool) ? " true" : " false", f);
        break;
    case KT_ENUM:
        fprintf(f, " %s", k->names[*CAT(base, k->off, int)]);
        break;
    case KT_DIST:
    case KT_CDIST:
        fputs(" {", f);
        put_dist_keys(f, CAT(base, k->off, struct dist), k->type == KT_CDIST);
        fputc('}', f);
        break;
    case KT_SECTION:
        fputc('\n', f);
        print_table(p, k->sub, CAT(base, k->off, char), indent + 2);
        return;
    case KT_LIST: {
        const char *items = *CAT(base, k->off, char *);
        size_t n = *CAT(base, k->aux - 1, size_t);
        fputc('\n', f);
        for (size_t i = 0; i < n; i++) {
            p->dash = true;
            print_table(p, k->sub, items + i * k->elem, indent + 4);
        }
        return;
    }
    case KT_ARRIVALS: {
        fputc('\n', f);
        int in = scn->arrivals_is_list ? indent + 4 : indent + 2;
        for (size_t i = 0; i < scn->n_arrivals; i++) {
            const struct scn_arrival_item *a = &scn->arrivals[i];
            p->dash = scn->arrivals_is_list;
            pr_indent(p, in);
            fprintf(f, "%s:\n", a->is_trace ? "trace" : "process");
            if (a->is_trace)
                print_table(p, &scn__trace, &a->trace, in + 2);
            else
                print_table(p, &scn__process, &a->process, in + 2);
        }
        return;
    }
    case KT_SWEEP:
        if (scn->n_sweep == 0)
            fputs(" {}", f);
        for (size_t i = 0; i < scn->n_sweep; i++) {
            const struct scn_axis *ax = &scn->sweep[i];
            fprintf(f, "\n%*s%s: [", indent + 2, "", ax->path);
            for (size_t j = 0; j < ax->n_values; j++)
                fprintf(f, "%s%s", j ? ", " : "", ax->values[j]);
            fputc(']', f);
        }
        break;
    }
    fputc('\n', f);
}

static void print_table(struct pr *p, const struct scn_table *t,
                        const void *base, int indent)
{
    int disc = disc_value(t, base);
    for (size_t i = 0; i < t->n; i++)
        if (key_applies(&t->keys[i], disc))
            print_key(p, &t->keys[i], base, indent);
}

int scn_print_yaml(FILE *out, const struct scenario *scn)
{
    struct pr p = {out, false, scn};
    fprintf(out, "# burstsim scenario (format v1), every default filled in\n");
    print_table(&p, &scn__top, scn, 0);
    return ferror(out) ? SIM_EIO : SIM_OK;
}

/* ---- JSON writer -------------------------------------------------------- */

static json_t *json_dist(const struct dist *d, bool counts)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    const struct scn_form *fm = &scn__forms[d->form];
    json_object_set_new(o, "dist", json_string(scn__dist_names[d->kind]));
    if (d->kind == DIST_EMPIRICAL) {
        json_object_set_new(o, "path", json_string(d->path_as_written
                                                       ? d->path_as_written
                                                       : ""));
        json_object_set_new(o, "column", json_string(d->column ? d->column
                                                               : ""));
        json_object_set_new(o, "n_values",
                            json_integer((json_int_t)d->n_values));
    } else if (d->kind == DIST_MIXTURE) {
        json_t *a = json_array();
        for (size_t i = 0; i < d->n_parts; i++) {
            json_t *part = json_dist(&d->parts[i], counts);
            if (part != NULL)
                json_object_set_new(part, "weight", json_real(d->weights[i]));
            json_array_append_new(a, part);
        }
        json_object_set_new(o, "parts", a);
    } else {
        json_object_set_new(o, fm->a, json_real(d->given[0]));
        if (fm->b != NULL)
            json_object_set_new(o, fm->b, json_real(d->given[1]));
    }
    json_object_set_new(o, counts ? "mean" : "mean_s",
                        json_real(dist_mean_s(d)));
    return o;
}

static json_t *json_table(const struct scn_table *t, const void *base,
                          const struct scenario *scn);

static json_t *json_key(const struct scn_key *k, const void *base,
                        const struct scenario *scn)
{
    if (!key_is_set(k, base)) {
        /* the resolved value of a cross-key default, else null */
        if (strcmp(k->name, "sample_interval") == 0)
            return json_real(sim_to_s(scn->sample_interval_us));
        if (strcmp(k->name, "burst") == 0)
            return json_real(scn->downstream.burst);
        if (strcmp(k->name, "ops_price_per_10k") == 0)
            return json_real(scn->cost.ops_price_per_10k);
        return json_null();
    }
    switch (k->type) {
    case KT_STR:
        return json_string(*CAT(base, k->off, char *));
    case KT_PATH: {
        const char *s = *CAT(base, k->aux - 1, char *);
        return json_string(s ? s : "");
    }
    case KT_DUR:
        return json_real(sim_to_s(*CAT(base, k->off, sim_time)));
    case KT_MEM:
    case KT_RATE:
    case KT_NUM:
        return json_real(*CAT(base, k->off, double));
    case KT_INT:
        return json_integer((json_int_t)*CAT(base, k->off, int64_t));
    case KT_SEED:
        return json_integer((json_int_t)*CAT(base, k->off, uint32_t));
    case KT_BOOL:
        return json_boolean(*CAT(base, k->off, bool));
    case KT_ENUM:
        return json_string(k->names[*CAT(base, k->off, int)]);
    case KT_DIST:
    case KT_CDIST:
        return json_dist(CAT(base, k->off, struct dist), k->type == KT_CDIST);
    case KT_SECTION:
        return json_table(k->sub, CAT(base, k->off, char), scn);
    case KT_LIST: {
        const char *items = *CAT(base, k->off, char *);
        size_t n = *CAT(base, k->aux - 1, size_t);
        json_t *a = json_array();
        for (size_t i = 0; a != NULL && i < n; i++)
            json_array_append_new(a, json_table(k->sub, items + i * k->elem,
                                                scn));
        return a;
    }
    case KT_ARRIVALS: {
        json_t *a = json_array();
        for (size_t i = 0; a != NULL && i < scn->n_arrivals; i++) {
            const struct scn_arrival_item *it = &scn->arrivals[i];
            json_t *o = json_object();
            if (it->is_trace) {
                json_t *t = json_table(&scn__trace, &it->trace, scn);
                /* what time_format auto chose (set before a run) */
                if (t != NULL && it->trace.time_format_detected != TF_AUTO)
                    json_object_set_new(
                        t, "time_format_detected",
                        json_string(trace_time_format_name(
                            it->trace.time_format_detected)));
                json_object_set_new(o, "trace", t);
            }
            else
                json_object_set_new(o, "process",
                                    json_table(&scn__process, &it->process,
                                               scn));
            json_array_append_new(a, o);
        }
        if (a != NULL && !scn->arrivals_is_list && json_array_size(a) == 1) {
            json_t *one = json_incref(json_array_get(a, 0));
            json_decref(a);
            return one;
        }
        return a;
    }
    case KT_SWEEP: {
        json_t *o = json_object();
        for (size_t i = 0; o != NULL && i < scn->n_sweep; i++) {
            json_t *a = json_array();
            for (size_t j = 0; j < scn->sweep[i].n_values; j++)
                json_array_append_new(a, json_string(scn->sweep[i].values[j]));
            json_object_set_new(o, scn->sweep[i].path, a);
        }
        return o;
    }
    }
    return json_null();
}

static json_t *json_table(const struct scn_table *t, const void *base,
                          const struct scenario *scn)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    int disc = disc_value(t, base);
    for (size_t i = 0; i < t->n; i++) {
        const struct scn_key *k = &t->keys[i];
        if (!key_applies(k, disc))
            continue;
        json_t *v = json_key(k, base, scn);
        if (v == NULL || json_object_set_new(o, k->name, v) != 0) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

void *scn_to_json(const struct scenario *scn)
{
    return json_table(&scn__top, scn, scn);
}
