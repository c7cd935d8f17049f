/* sim/io/scn_units.c - scalar texts of scenario values (see scn_units.h):
 * numbers with units (durations, memory sizes, rates: scn_parse_duration(),
 * scn_parse_memory(), scn_parse_rate() of scenario.h), plain numbers and
 * integers, and numbers and durations formatted back to text. */
#include "sim/io/scn_units.h"


#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- unit parsers ------------------------------------------------------- */

/* Read a decimal number at the start of s (no hex, inf or nan: only digits,
 * '.', exponent and signs). Sets *end after it. Returns false if there is no
 * number. */
static bool scan_number(const char *s, double *v, const char **end)
{
    size_t k = strspn(s, "0123456789.eE+-");
    if (k == 0 || strcspn(s, "0123456789") >= k)
        return false;
    char *e = NULL;
    errno = 0;
    *v = strtod(s, &e);
    if (e == s || (size_t)(e - s) > k)
        return false;
    *end = e;
    return true;
}

static const char *skip_spaces(const char *s)
{
    while (*s == ' ')
        s++;
    return s;
}

/* A unit suffix: a number written with it means number * mul / div. */
struct unit {
    const char *name;
    double mul, div;
};

/* Parse "<number>[sep] <unit>" against the n units of u (sep '\0': no
 * separator; spaces may stand before the unit, or after sep). *out gets
 * number * mul / div. SIM_EPARSE when there is no number or no unit
 * matches, SIM_ERANGE when the result is negative or not finite. */
static int parse_with_unit(const char *text, char sep, const struct unit *u,
                           size_t n, double *out)
{
    double v;
    const char *e;
    if (text == NULL || !scan_number(text, &v, &e))
        return SIM_EPARSE;
    if (sep != '\0') {
        if (*e != sep)
            return SIM_EPARSE;
        e++;
    }
    e = skip_spaces(e);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(e, u[i].name) != 0)
            continue;
        double r = v * u[i].mul / u[i].div;
        if (!isfinite(r) || r < 0.0)
            return SIM_ERANGE;
        *out = r;
        return SIM_OK;
    }
    return SIM_EPARSE;
}

int scn_parse_duration(const char *text, sim_time *out)
{
    static const struct unit units[] = {
        {"us", 1, 1},    {"ms", 1e3, 1},  {"s", 1e6, 1},     {"m", 6e7, 1},
        {"min", 6e7, 1}, {"h", 3.6e9, 1}, {"d", 8.64e10, 1}, {"", 1e6, 1}};
    double us;
    int rc = parse_with_unit(text, '\0', units,
                             sizeof units / sizeof units[0], &us);
    if (rc != SIM_OK)
        return rc;
    if (us > 1e17)
        return SIM_ERANGE;
    *out = (sim_time)llround(us);
    return SIM_OK;
}

int scn_parse_memory(const char *text, double *gib)
{
#define GIB 1073741824.0
    static const struct unit units[] = {
        {"Ki", 1024.0, GIB},       {"Mi", 1048576.0, GIB},
        {"Gi", 1073741824.0, GIB}, {"Ti", 1099511627776.0, GIB},
        {"K", 1e3, GIB},           {"M", 1e6, GIB},
        {"G", 1e9, GIB},           {"T", 1e12, GIB}};
#undef GIB
    return parse_with_unit(text, '\0', units, sizeof units / sizeof units[0],
                           gib);
}

int scn_parse_rate(const char *text, double *per_s)
{
    static const struct unit units[] = {
        {"s", 1, 1}, {"min", 1, 60}, {"m", 1, 60}, {"h", 1, 3600},
        {"d", 1, 86400}};
    return parse_with_unit(text, '/', units, sizeof units / sizeof units[0],
                           per_s);
}

/* ---- formatting --------------------------------------------------------- */

void scn__fmt_num(char *buf, size_t n, double x)
{
    if (x == floor(x) && fabs(x) < 1e15) {
        snprintf(buf, n, "%.0f", x);
        return;
    }
    if (fabs(x) >= 1e-7 && fabs(x) < 1e15) {
        for (int p = 1; p <= 24; p++) {
            snprintf(buf, n, "%.*f", p, x);
            if (strtod(buf, NULL) == x)
                return;
        }
    }
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, n, "%.*g", p, x);
        if (strtod(buf, NULL) == x)
            return;
    }
}

void scn__fmt_dur(char *buf, size_t n, sim_time us)
{
    static const struct {
        const char *u;
        int64_t us;
    } units[] = {{"d", INT64_C(86400000000)}, {"h", INT64_C(3600000000)},
                 {"m", INT64_C(60000000)}, {"s", INT64_C(1000000)},
                 {"ms", INT64_C(1000)}, {"us", 1}};
    if (us == 0) {
        snprintf(buf, n, "0s");
        return;
    }
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (us % units[i].us == 0) {
            snprintf(buf, n, "%" PRId64 "%s", us / units[i].us, units[i].u);
            return;
        }
    }
}

/* ---- plain numbers ------------------------------------------------------ */

bool scn__num_text(const char *s, double *v)
{
    size_t k = strspn(s, "0123456789.eE+-");
    if (k == 0 || s[k] != '\0' || strcspn(s, "0123456789") >= k)
        return false;
    char *e;
    *v = strtod(s, &e);
    return *e == '\0' && isfinite(*v);
}

bool scn__int_text(const char *s, int64_t *v)
{
    size_t sign = (*s == '-' || *s == '+') ? 1 : 0;
    size_t k = strspn(s + sign, "0123456789");
    if (k == 0 || s[sign + k] != '\0')
        return false;
    errno = 0;
    long long x = strtoll(s, NULL, 10);
    *v = (int64_t)x;
    return errno == 0;
}

bool scn__int_digits(const char *s)
{
    size_t sign = (*s == '-' || *s == '+') ? 1 : 0;
    size_t k = strspn(s + sign, "0123456789");
    return k > 0 && s[sign + k] == '\0';
}
