/* sim/io/scn_print.c - the writers of a resolved scenario:
 * scn_print_yaml() (a valid scenario file, every default filled in,
 * written with libyaml's emitter so any string reads back the same, with
 * comments on the cross-key defaults first) and scn_to_json() (the same keys and
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
#include <yaml.h>

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

/* ---- YAML writer (libyaml emitter) ------------------------------------ */

/* Emitter state: the first failure stops the output (ok false). */
struct em {
    yaml_emitter_t e;
    bool ok;
    const struct scenario *scn;
};

static void em_emit(struct em *m, yaml_event_t *ev, int made)
{
    if (!m->ok)
        return;
    if (!made || !yaml_emitter_emit(&m->e, ev))
        m->ok = false;
}

/* A scalar: plain (numbers, names, ~) or double-quoted (every string, so
 * "yes", "~" or "5" read back as the same string). */
static void em_scalar(struct em *m, const char *s, bool quoted)
{
    yaml_event_t ev;
    /* quoted_implicit always: a plain scalar the emitter cannot write plain
     * here (`kind:0s` in a flow list) is quoted, never given a `!` tag,
     * so the output reads back to the same text (fuzz_scenario). */
    int made = yaml_scalar_event_initialize(
        &ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), !quoted, 1,
        quoted ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_PLAIN_SCALAR_STYLE);
    em_emit(m, &ev, made);
}

/* Start or end a mapping (seq false) or a sequence, in flow or block
 * style. */
static void em_coll(struct em *m, bool seq, bool start, bool flow)
{
    yaml_event_t ev;
    int made;
    if (seq)
        made = start ? yaml_sequence_start_event_initialize(
                           &ev, NULL, NULL, 1,
                           flow ? YAML_FLOW_SEQUENCE_STYLE
                                : YAML_BLOCK_SEQUENCE_STYLE)
                     : yaml_sequence_end_event_initialize(&ev);
    else
        made = start ? yaml_mapping_start_event_initialize(
                           &ev, NULL, NULL, 1,
                           flow ? YAML_FLOW_MAPPING_STYLE
                                : YAML_BLOCK_MAPPING_STYLE)
                     : yaml_mapping_end_event_initialize(&ev);
    em_emit(m, &ev, made);
}

#define em_map(m, start, flow) em_coll((m), false, (start), (flow))
#define em_seq(m, start, flow) em_coll((m), true, (start), (flow))

static void em_param(struct em *m, const char *key, double v, bool dur)
{
    char b[64];
    if (dur)
        scn__fmt_dur(b, sizeof b, sim_from_s(v));
    else
        scn__fmt_num(b, sizeof b, v);
    em_scalar(m, key, false);
    em_scalar(m, b, false);
}

/* A distribution as a flow mapping {dist: ..., median: 10s, ...}. counts:
 * parameters are plain numbers, not durations. weight: a mixture part's
 * weight first (NULL: none). */
static void em_dist(struct em *m, const struct dist *d, bool counts,
                    const double *weight)
{
    const struct scn_form *fm = &scn__forms[d->form];
    em_map(m, true, true);
    if (weight != NULL)
        em_param(m, "weight", *weight, false);
    em_scalar(m, "dist", false);
    em_scalar(m, scn__dist_names[d->kind], false);
    if (d->kind == DIST_EMPIRICAL) {
        em_scalar(m, "path", false);
        em_scalar(m, d->path_as_written ? d->path_as_written : "", true);
        em_scalar(m, "column", false);
        em_scalar(m, d->column ? d->column : "", true);
    } else if (d->kind == DIST_MIXTURE) {
        em_scalar(m, "parts", false);
        em_seq(m, true, true);
        for (size_t i = 0; i < d->n_parts; i++)
            em_dist(m, &d->parts[i], counts, &d->weights[i]);
        em_seq(m, false, true);
    } else {
        em_param(m, fm->a, d->given[0], fm->a_dur && !counts);
        if (fm->b != NULL)
            em_param(m, fm->b, d->given[1], fm->b_dur && !counts);
    }
    em_map(m, false, true);
}

/* A sweep value: its flow YAML text (scn__node_text) parsed again and its
 * events passed on, so any value (a mapping, a quoted string) is written
 * as it reads. */
static void em_yaml_text(struct em *m, const char *text)
{
    yaml_parser_t p;
    if (!m->ok || !yaml_parser_initialize(&p)) {
        m->ok = false;
        return;
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)text,
                                 strlen(text));
    for (bool done = false; m->ok && !done;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            m->ok = false;
            break;
        }
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = true;
            /* fall through */
        case YAML_STREAM_START_EVENT:
        case YAML_DOCUMENT_START_EVENT:
        case YAML_DOCUMENT_END_EVENT:
        case YAML_NO_EVENT:
            yaml_event_delete(&ev);
            break;
        case YAML_SCALAR_EVENT:
            /* A fixed point under validate -> reload -> validate: a plain
             * scalar stays plain where it can, else it is single-quoted
             * (`kind:0s` in a flow list), never with a `!` tag; a quoted
             * one is single-quoted (double only when it needs escapes). */
            ev.data.scalar.quoted_implicit = 1;
            if (ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
                ev.data.scalar.style = YAML_ANY_SCALAR_STYLE;
            } else {
                ev.data.scalar.plain_implicit = 0;
                ev.data.scalar.style = YAML_SINGLE_QUOTED_SCALAR_STYLE;
            }
            em_emit(m, &ev, 1);
            break;
        default:
            em_emit(m, &ev, 1); /* the emitter takes the event */
        }
    }
    yaml_parser_delete(&p);
}

static void em_table(struct em *m, const struct scn_table *t,
                     const void *base);

static void em_key(struct em *m, const struct scn_key *k, const void *base)
{
    const struct scenario *scn = m->scn;
    char b[64];
    em_scalar(m, k->name, false);
    if (!key_is_set(k, base)) {
        em_scalar(m, "~", false);
        return;
    }
    switch (k->type) {
    case KT_STR:
        em_scalar(m, *CAT(base, k->off, char *), true);
        break;
    case KT_PATH: {
        const char *s = *CAT(base, k->aux - 1, char *);
        em_scalar(m, s ? s : "", true);
        break;
    }
    case KT_DUR:
        scn__fmt_dur(b, sizeof b, *CAT(base, k->off, sim_time));
        em_scalar(m, b, false);
        break;
    case KT_MEM:
    case KT_RATE:
        scn__fmt_num(b, sizeof b - 3, *CAT(base, k->off, double));
        strcat(b, k->type == KT_MEM ? "Gi" : "/s");
        em_scalar(m, b, false);
        break;
    case KT_INT:
        snprintf(b, sizeof b, "%" PRId64, *CAT(base, k->off, int64_t));
        em_scalar(m, b, false);
        break;
    case KT_SEED:
        snprintf(b, sizeof b, "%" PRIu32, *CAT(base, k->off, uint32_t));
        em_scalar(m, b, false);
        break;
    case KT_NUM:
        scn__fmt_num(b, sizeof b, *CAT(base, k->off, double));
        em_scalar(m, b, false);
        break;
    case KT_BOOL:
        em_scalar(m, *CAT(base, k->off, bool) ? "true" : "false", false);
        break;
    case KT_ENUM:
        em_scalar(m, k->names[*CAT(base, k->off, int)], false);
        break;
    case KT_DIST:
    case KT_CDIST:
        em_dist(m, CAT(base, k->off, struct dist), k->type == KT_CDIST, NULL);
        break;
    case KT_SECTION:
        em_table(m, k->sub, CAT(base, k->off, char));
        break;
    case KT_LIST: {
        const char *items = *CAT(base, k->off, char *);
        size_t n = *CAT(base, k->aux - 1, size_t);
        em_seq(m, true, false);
        for (size_t i = 0; i < n; i++)
            em_table(m, k->sub, items + i * k->elem);
        em_seq(m, false, false);
        break;
    }
    case KT_ARRIVALS:
        if (scn->arrivals_is_list)
            em_seq(m, true, false);
        for (size_t i = 0; i < scn->n_arrivals; i++) {
            const struct scn_arrival_item *a = &scn->arrivals[i];
            em_map(m, true, false);
            em_scalar(m, a->is_trace ? "trace" : "process", false);
            if (a->is_trace)
                em_table(m, &scn__trace, &a->trace);
            else
                em_table(m, &scn__process, &a->process);
            em_map(m, false, false);
        }
        if (scn->arrivals_is_list)
            em_seq(m, false, false);
        break;
    case KT_SWEEP:
        em_map(m, true, scn->n_sweep == 0);
        for (size_t i = 0; i < scn->n_sweep; i++) {
            const struct scn_axis *ax = &scn->sweep[i];
            em_scalar(m, ax->path, false);
            em_seq(m, true, true);
            for (size_t j = 0; j < ax->n_values; j++)
                em_yaml_text(m, ax->values[j]);
            em_seq(m, false, true);
        }
        em_map(m, false, scn->n_sweep == 0);
        break;
    }
}

/* Does trace key name apply to the trace's format? (The trace table has
 * no discriminator: sim/io/support.c refuses these keys, even as ~, with
 * another format, so they are not written.) */
static bool trace_key_applies(const char *name, const struct scn_trace *t)
{
    if (strcmp(name, "first_count_column") == 0 || strcmp(name, "filter") == 0)
        return t->format == TRACE_COUNTS_WIDE;
    if (strcmp(name, "duration_column") == 0)
        return t->format == TRACE_EVENTS;
    if (strcmp(name, "count_column") == 0 || strcmp(name, "interval") == 0 ||
        strcmp(name, "spread") == 0)
        return t->format != TRACE_EVENTS;
    return true;
}

static void em_table(struct em *m, const struct scn_table *t,
                     const void *base)
{
    int disc = disc_value(t, base);
    em_map(m, true, false);
    for (size_t i = 0; i < t->n; i++)
        if (key_applies(&t->keys[i], disc) &&
            (t != &scn__trace ||
             trace_key_applies(t->keys[i].name, base)))
            em_key(m, &t->keys[i], base);
    em_map(m, false, false);
}

static int write_out(void *data, unsigned char *buf, size_t size)
{
    return fwrite(buf, 1, size, (FILE *)data) == size;
}

int scn_print_yaml(FILE *out, const struct scenario *scn)
{
    char b[64];
    fprintf(out, "# burstsim scenario (format v1), every default filled in\n");
    /* the cross-key defaults a `~` stands for (the emitter writes no
     * comments, so they are said here) */
    if (!scn->has_sample_interval) {
        scn__fmt_dur(b, sizeof b, scn->sample_interval_us);
        fprintf(out, "# sample_interval: ~ = from horizon and "
                     "polling_interval = %s\n", b);
    }
    if (!scn->cost.has_ops_price) {
        scn__fmt_num(b, sizeof b, scn->cost.ops_price_per_10k);
        fprintf(out, "# cost.ops_price_per_10k: ~ = by source.kind = %s\n", b);
    }
    if (!scn->downstream.has_burst) {
        scn__fmt_num(b, sizeof b, scn->downstream.burst);
        fprintf(out, "# downstream.burst: ~ = one second of rate = %s\n", b);
    }
    struct em m = {.ok = true, .scn = scn};
    if (!yaml_emitter_initialize(&m.e))
        return SIM_ENOMEM;
    yaml_emitter_set_output(&m.e, write_out, out);
    yaml_emitter_set_unicode(&m.e, 1);
    yaml_emitter_set_width(&m.e, -1);
    yaml_emitter_set_indent(&m.e, 2);
    yaml_event_t ev;
    em_emit(&m, &ev, yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING));
    em_emit(&m, &ev,
            yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1));
    em_table(&m, &scn__top, scn);
    em_emit(&m, &ev, yaml_document_end_event_initialize(&ev, 1));
    em_emit(&m, &ev, yaml_stream_end_event_initialize(&ev));
    yaml_emitter_delete(&m.e);
    return m.ok && !ferror(out) ? SIM_OK : SIM_EIO;
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
