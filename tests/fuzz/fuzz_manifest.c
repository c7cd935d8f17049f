/* tests/fuzz/fuzz_manifest.c - `burstsim merge` of one fuzzed partial
 * folder (sim/run/merge.c). The manifest reader (load_manifest,
 * plan_from_manifest) is static in merge.c, so the harness goes through
 * the public runner_merge(), as `burstsim merge -o OUT IN` does.
 *
 * Input layout: the manifest.json text, optionally followed by a line
 * "%%replications.csv" and that file's text, and a line
 * "%%latency_raw.csv" and that file's text (the seeds are real partial
 * folders written by `burstsim run --shard 1/1`, so the fuzzer starts from
 * manifests that reach the report writers). Per input a folder
 * /tmp/burstsim-fuzz-merge-XXXXXX is made with in/ (the files given, and an
 * empty in/shard-parts/), the merge writes out/, and the whole folder is
 * removed afterwards.
 *
 * gnuplot: runner_finish() draws plots when gnuplot is in PATH (a fork and
 * exec per plot); LLVMFuzzerInitialize() points PATH at a folder that does
 * not exist, so plots are skipped (their scripts are still written). */
#define _XOPEN_SOURCE 700
#include "fuzz_common.h"

#include "sim/run/merge.h"

#include <ftw.h>
#include <sys/stat.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setenv("PATH", "/nonexistent-burstsim-fuzz", 1);
    return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag,
                  struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (flag == FTW_DP || flag == FTW_D)
        rmdir(path);
    else
        unlink(path);
    return 0;
}

static int put(const char *dir, const char *name, const char *text,
               size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return -1;
    size_t w = len > 0 ? fwrite(text, 1, len, f) : 0;
    return fclose(f) == 0 && w == len ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 128 * 1024)
        return 0;
    const char *text = (const char *)data;
    size_t rep = fz_find_line(text, size, "%%replications.csv");
    size_t raw = fz_find_line(text, size, "%%latency_raw.csv");
    size_t man_end = rep < raw ? rep : raw;

    char root[64] = "/tmp/burstsim-fuzz-merge-XXXXXX";
    if (mkdtemp(root) == NULL)
        return 0;
    char in[128], parts[160], out[128];
    snprintf(in, sizeof in, "%s/in", root);
    snprintf(parts, sizeof parts, "%s/shard-parts", in);
    snprintf(out, sizeof out, "%s/out", root);
    int ok = mkdir(in, 0700) == 0 && mkdir(parts, 0700) == 0 &&
             put(in, "manifest.json", text, man_end) == 0;
    if (ok && rep < size) {
        size_t b = rep + strlen("%%replications.csv") + 1;
        size_t e = raw > rep ? raw : size;
        if (b > e)
            b = e;
        ok = put(in, "replications.csv", text + b, e - b) == 0;
    }
    if (ok && raw < size) {
        size_t b = raw + strlen("%%latency_raw.csv") + 1;
        size_t e = rep > raw ? rep : size;
        if (b > e)
            b = e;
        ok = put(in, "latency_raw.csv", text + b, e - b) == 0;
    }
    if (ok) {
        const char *ins[1] = {in};
        (void)runner_merge(out, ins, 1, NULL, true, false);
    }
    nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}
