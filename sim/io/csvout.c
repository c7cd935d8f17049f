/* sim/io/csvout.c - CSV fields of the results files (see csvout.h).
 *
 * Workload: timeseries.csv and executions.csv can reach millions of rows,
 * so fields are written straight to the stream with no intermediate row
 * buffer; strings are checked for characters that need quoting and go
 * through libcsv's csv_fwrite only then. */
#include "sim/io/csvout.h"

#include "sim/io/outfile.h"

#include <csv.h>
#include <inttypes.h>
#include <string.h>

/* Write s to fp; a failure is recorded in *err. */
void csvout_raw(FILE *fp, int *err, const char *s)
{
    if (fputs(s, fp) == EOF)
        outfile_keep_errno(err);
}

/* Whether a CSV field must be quoted: it holds a separator, quote or line
 * break, or starts or ends with a blank (which some readers trim). */
static bool needs_quotes(const char *s)
{
    size_t len = strlen(s);
    if (len > 0 && (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' ||
                    s[len - 1] == '\t'))
        return true;
    return strpbrk(s, ",\"\r\n") != NULL;
}

/* Write one string field (NULL = empty) to fp, quoted with libcsv when
 * needed. */
void csvout_str(FILE *fp, int *err, const char *s)
{
    if (s == NULL)
        return;
    if (!needs_quotes(s)) {
        csvout_raw(fp, err, s);
        return;
    }
    if (csv_fwrite(fp, s, strlen(s)) != 0)
        outfile_keep_errno(err);
}

/* Write a number field to fp; NAN writes nothing (empty field). */
void csvout_num(FILE *fp, int *err, double v, enum csvout_numfmt f)
{
    char buf[64] = "";
    if (isnan(v))
        return;
    switch (f) {
    case CSVOUT_INT:
        snprintf(buf, sizeof buf, "%.0f", v);
        break;
    case CSVOUT_EXACT:
        snprintf(buf, sizeof buf, "%.17g", v);
        break;
    case CSVOUT_SUMMARY:
        snprintf(buf, sizeof buf, "%.10g", v);
        break;
    }
    csvout_raw(fp, err, buf);
}

/* Format t (integer microseconds) as seconds with exactly 6 decimals,
 * without going through a double: 1500000 -> "1.500000", -1 -> "-0.000001".
 * buf must hold 32 bytes. */
static void fmt_us(char *buf, size_t n, sim_time t)
{
    uint64_t u = t < 0 ? (uint64_t)0 - (uint64_t)t : (uint64_t)t;
    snprintf(buf, n, "%s%" PRIu64 ".%06" PRIu64, t < 0 ? "-" : "",
             u / (uint64_t)SIM_US_PER_S, u % (uint64_t)SIM_US_PER_S);
}

/* Write ",<seconds>" for t. */
void csvout_us(FILE *fp, int *err, sim_time t)
{
    char buf[40];
    buf[0] = ',';
    fmt_us(buf + 1, sizeof buf - 1, t);
    csvout_raw(fp, err, buf);
}

/* Write ",<integer>". */
void csvout_i64(FILE *fp, int *err, int64_t v)
{
    if (fprintf(fp, ",%" PRId64, v) < 0)
        outfile_keep_errno(err);
}

/* Open path for writing. Returns the stream, or NULL with d set. */
