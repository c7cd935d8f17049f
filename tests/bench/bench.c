/* tests/bench/bench.c - `make bench`: simulation speed and memory.
 *
 * usage: bench SCENARIO [REPLICATIONS] [PATH=VALUE]...
 * Runs the replications one after another in this thread (no writers),
 * then prints events/s, messages/s and the peak resident set size. A
 * benchmark, not a test: it asserts nothing. */
#include "sim/io/scenario.h"
#include "models/world.h"
#include "sim/io/support.h"
#include "sim/io/trace_feed.h"

#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    if (argc < 2) {
        fprintf(stderr, "usage: bench SCENARIO [REPLICATIONS] [PATH=VALUE]...\n");
        return 2;
    }
    long reps = argc > 2 ? strtol(argv[2], NULL, 10) : 1;
    struct scn_override ov[32];
    size_t n_ov = 0;
    struct diag d;
    diag_init(&d);
    for (int i = 3; i < argc && n_ov < 32; i++)
        if (scn_override_parse(argv[i], &ov[n_ov], &d) == 0)
            n_ov++;
    struct scenario scn;
    if (scn_load(&scn, argv[1], ov, n_ov, &d) != 0 ||
        scn_check_supported(&scn, &d) != 0) {
        char buf[2048];
        fprintf(stderr, "%s\n", diag_format(&d, buf, sizeof buf));
        return 3;
    }
    int64_t events = 0;
    double messages = 0.0;
    double t0 = now_s();
    for (long r = 0; r < reps; r++) {
        struct world *s = malloc(sizeof *s);
        struct world_io io = {.feed = &trace_feed};
        struct rep_result res;
        if (s == NULL || world_init(s, &scn, (uint32_t)r, &io, &d) != 0 ||
            world_run(s, &res, &d) != 0) {
            char buf[2048];
            fprintf(stderr, "%s\n", diag_format(&d, buf, sizeof buf));
            return 1;
        }
        events += res.events;
        messages += res.m[RM_messages];
        world_fini(s);
        free(s);
    }
    double wall = now_s() - t0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("%-28s reps %3ld  events %11lld  messages %10.0f  %6.2f s  "
           "%6.2e events/s  %6.2e messages/s  peak RSS %6.1f MiB\n",
           scn.name, reps, (long long)events, messages, wall,
           (double)events / wall, messages / wall,
           (double)ru.ru_maxrss / 1024.0);
    scn_fini(&scn);
    return 0;
}
