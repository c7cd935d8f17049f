/* tests/fuzz/fuzz_sandbox.c - fopen() guard for the fuzz harnesses, linked
 * with -Wl,--wrap=fopen (see fuzz_common.h). Fuzzed scenarios name files
 * (empirical.path, arrivals.trace.path, a manifest's base_dir); a device
 * (/dev/zero, /dev/stdin), a FIFO, /proc or /sys, or a large regular file
 * would make one input hang or take seconds: those are refused with EACCES,
 * as if unreadable, so the program's own error path runs. A path that does
 * not exist yet (an artifact libFuzzer writes, a results file) is passed
 * through. No state. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

FILE *__real_fopen(const char *path, const char *mode);
FILE *__wrap_fopen(const char *path, const char *mode);

#define FUZZ_MAX_FILE (4L << 20)

FILE *__wrap_fopen(const char *path, const char *mode)
{
    if (path == NULL)
        return __real_fopen(path, mode);
    if (strncmp(path, "/proc", 5) == 0 || strncmp(path, "/sys", 4) == 0 ||
        strncmp(path, "/dev", 4) == 0) {
        errno = EACCES;
        return NULL;
    }
    struct stat st;
    if (stat(path, &st) == 0 &&
        (!S_ISREG(st.st_mode) || (mode[0] == 'r' && st.st_size > FUZZ_MAX_FILE))) {
        errno = S_ISDIR(st.st_mode) ? EISDIR : EACCES;
        return NULL;
    }
    return __real_fopen(path, mode);
}
