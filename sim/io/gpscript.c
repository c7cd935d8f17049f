/* sim/io/gpscript.c - pieces of the gnuplot scripts (see gpscript.h).
 *
 * Scripts use `noenhanced` text (key paths hold underscores) and draw the
 * PNG and the SVG in one loop, so one edit restyles both. */
#include "sim/io/gpscript.h"
/* Write s as a gnuplot double-quoted string (backslash and quote
 * escaped). */
void gp_str(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', fp);
        fputc(*s == '\n' ? ' ' : *s, fp);
    }
    fputc('"', fp);
}

/* Line color k of n along a viridis-like ramp (dark purple to green). */
void gp_ramp(char *buf, size_t len, size_t k, size_t n)
{
    static const double a[][3] = {{68, 1, 84},   {59, 82, 139},
                                  {33, 145, 140}, {94, 201, 98},
                                  {181, 222, 43}};
    double x = n > 1 ? (double)k / (double)(n - 1) * 4.0 : 0.0;
    int i = (int)x;
    if (i >= 4)
        i = 3;
    double f = x - i;
    int rgb[3];
    for (int j = 0; j < 3; j++)
        rgb[j] = (int)(a[i][j] + (a[i + 1][j] - a[i][j]) * f + 0.5);
    snprintf(buf, len, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
}
/* The header block comment of the .gp files. In the block data files,
 * configuration c is data index c. */
void gp_head(FILE *fp, const char *name, const char *what, const char *data)
{
    fprintf(fp,
            "# %s.gp - %s.\n"
            "# Written by burstsim " BURSTSIM_VERSION "; edit freely, then "
            "run `gnuplot %s.gp` in\n# this folder (or `burstsim plot "
            "RESULTS_DIR`) to redraw %s.png and %s.svg.\n"
            "# Data: %s\n\n",
            name, what, name, name, name, data);
}

/* Open the loop drawing PNG then SVG of size w x h pixels. */
void gp_loop_open(FILE *fp, const char *name, int w, int h)
{
    fprintf(fp,
            "do for [fmt in \"png svg\"] {\n"
            "  if (fmt eq \"png\") {\n"
            "    set terminal pngcairo size %d,%d noenhanced font "
            "\"sans,10\" background rgb \"white\"\n"
            "  } else {\n"
            "    set terminal svg size %d,%d noenhanced font \"sans,10\" "
            "dynamic background rgb \"white\"\n"
            "  }\n"
            "  set output \"%s.\" . fmt\n",
            w, h, w, h, name);
}

void gp_loop_close(FILE *fp)
{
    fputs("  set output\n}\n", fp);
}

/* Panel grid for n panels: columns and rows. */
void gp_grid(size_t n, size_t *cols, size_t *rows)
{
    size_t c = n <= 3 ? n : 3;
    if (c == 0)
        c = 1;
    *cols = c;
    *rows = (n + c - 1) / c;
}
