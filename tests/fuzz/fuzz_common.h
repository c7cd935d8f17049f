/* tests/fuzz/fuzz_common.h - helpers shared by the libFuzzer harnesses of
 * tests/fuzz/ (see README.md). Header-only (static functions), no global
 * state: every helper works on what the caller gives it and frees what it
 * allocates.
 *
 * The harnesses are linked with -Wl,--wrap=fopen against fuzz_sandbox.c,
 * which refuses to open devices, FIFOs, /proc and /sys and regular files
 * over 4 MiB: a fuzzed scenario may name any path (empirical.path,
 * arrivals.trace.path), and /dev/zero or /dev/stdin would hang a run. */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The libFuzzer entry point (declared here so -Wmissing-prototypes is
 * quiet). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Copy data[0..size) into a fresh NUL-terminated buffer of exactly size + 1
 * bytes (so ASan sees any read past the terminator). NULL on OOM. */
static inline char *fz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s == NULL)
        return NULL;
    if (size > 0)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* Write data[0..size) to a new file /tmp/burstsim-fuzz-XXXXXX<suffix>;
 * path (>= 64 bytes) receives its name. Returns 0 or -1. The caller
 * unlinks it. */
static inline int fz_write_temp(const void *data, size_t size,
                                const char *suffix, char *path, size_t n)
{
    int k = snprintf(path, n, "/tmp/burstsim-fuzz-XXXXXX%s", suffix);
    if (k < 0 || (size_t)k >= n)
        return -1;
    int fd = mkstemps(path, (int)strlen(suffix));
    if (fd < 0)
        return -1;
    const char *p = data;
    size_t left = size;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w <= 0) {
            close(fd);
            unlink(path);
            return -1;
        }
        p += w;
        left -= (size_t)w;
    }
    if (close(fd) != 0) {
        unlink(path);
        return -1;
    }
    return 0;
}

/* Find the first occurrence of marker (a whole line, e.g. "#%trace") in
 * text[0..len); returns its offset or len when absent. */
static inline size_t fz_find_line(const char *text, size_t len,
                                  const char *marker)
{
    size_t m = strlen(marker);
    for (size_t i = 0; i + m <= len; i++)
        if ((i == 0 || text[i - 1] == '\n') && memcmp(text + i, marker, m) == 0
            && (i + m == len || text[i + m] == '\n'))
            return i;
    return len;
}

#endif
