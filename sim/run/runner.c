/* sim/run/runner.c - `burstsim run` (see runner.h): the plan
 * (sim/run/plan.c), the staging folder, the signal guard, the simulation
 * (sim/run/pool.c) and the results folder (sim/run/finish.c). */
#include "sim/run/runner.h"

#include "sim/io/report_stage.h"
#include "sim/run/budget.h"
#include "sim/run/exit_code.h"
#include "sim/run/finish.h"
#include "sim/run/pool.h"
#include "sim/run/slo.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
/* The results folder: -o, output.dir or results/<name>; a shard adds
 * ".shard-I-of-N" to the default. */
static void final_dir_of(const struct run_opts *o, const struct scenario *b,
                         char *buf, size_t n)
{
    if (o->out_dir != NULL)
        snprintf(buf, n, "%s", o->out_dir);
    else if (b->output.dir != NULL)
        snprintf(buf, n, "%s", b->output.dir);
    else
        snprintf(buf, n, "results/%s", b->name);
    if (o->out_dir == NULL && o->shard_count > 1) {
        size_t len = strlen(buf);
        snprintf(buf + len, n - len, ".shard-%u-of-%u", o->shard_index,
                 o->shard_count);
    }
}

/* Exit code of a failed simulation: an I/O error on a file in the staging
 * folder tmp (a part file: a full disk) is a failed run (1), not an
 * invalid trace (3). */
static int code_of_sim_error(int rc, const struct diag *d, const char *tmp)
{
    size_t n = strlen(tmp);
    if (rc == SIM_EIO && strncmp(d->file, tmp, n) == 0 &&
        (d->file[n] == '/' || d->file[n] == '\0'))
        return EXIT_RUN_FAILED;
    return exit_code_for(rc);
}

/* Interruption: while a run stages its results, SIGINT, SIGTERM and SIGHUP
 * are blocked in every thread and taken by one guard thread with
 * sigwait(); on one of them the guard removes the staging folder and ends
 * the process (exit 128 + signal), so an interrupted run leaves nothing
 * behind. SIGUSR1 from the runner ends the guard when the run is over.
 * The guard's state lives in this struct on the runner's stack. */
struct guard {
    pthread_t th;
    sigset_t set, old;
    const char *tmp;
    struct report_lock *lock;
    bool on;
};

static void *guard_main(void *arg)
{
    struct guard *g = arg;
    int sig = 0;
    if (sigwait(&g->set, &sig) != 0 || sig == SIGUSR1)
        return NULL;
    report_stage_abort(g->tmp);
    report_stage_unlock(g->lock);
    fprintf(stderr, "\nburstsim: interrupted (%s); no results written\n",
            sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "SIGHUP");
    _exit(128 + sig);
}

static void guard_start(struct guard *g, const char *tmp,
                        struct report_lock *lock)
{
    g->tmp = tmp;
    g->lock = lock;
    sigemptyset(&g->set);
    sigaddset(&g->set, SIGINT);
    sigaddset(&g->set, SIGTERM);
    sigaddset(&g->set, SIGHUP);
    sigaddset(&g->set, SIGUSR1);
    g->on = pthread_sigmask(SIG_BLOCK, &g->set, &g->old) == 0 &&
            pthread_create(&g->th, NULL, guard_main, g) == 0;
}

static void guard_stop(struct guard *g)
{
    if (!g->on)
        return;
    pthread_kill(g->th, SIGUSR1);
    pthread_join(g->th, NULL);
    pthread_sigmask(SIG_SETMASK, &g->old, NULL);
    g->on = false;
}

int runner_run(const struct run_opts *o)
{
    struct runner_plan p;
    struct diag d;
    diag_init(&d);
    int rc = runner_plan_init(&p, o->scenario_path, NULL, NULL, o->ov,
                              o->n_ov, o->vary, o->n_vary, &d);
    if (rc != 0 && p.usage_error) { /* the command line's mistake */
        fprintf(stderr, "burstsim: run: %s\ntry 'burstsim run --help'\n",
                d.msg);
        runner_plan_fini(&p);
        return EXIT_USAGE;
    }
    if (rc != 0) {
        exit_print_diag(&d);
        runner_plan_fini(&p);
        return rc == SIM_EINVAL && strstr(d.msg, "swept") != NULL
                   ? EXIT_USAGE
                   : exit_code_for(rc);
    }
    if (o->check) {
        bool any = false;
        for (size_t c = 0; c < p.n_cfg && !any; c++)
            any = slo_present(&p.cfg[c]);
        if (!any) {
            fprintf(stderr, "burstsim: run: --check needs an slo: section "
                            "in the scenario\ntry 'burstsim run --help'\n");
            runner_plan_fini(&p);
            return EXIT_USAGE;
        }
    }
    /* Refuse runaway work before any folder is touched. */
    if (budget_check(&p, o->max_arrivals > 0 ? o->max_arrivals
                                             : BUDGET_DEFAULT_MAX,
                     &d) != 0) {
        exit_print_diag(&d);
        runner_plan_fini(&p);
        return EXIT_INVALID;
    }
    char final_dir[1024], tmp[1100];
    final_dir_of(o, &p.base, final_dir, sizeof final_dir);
    /* The lock is held from before the folder is checked until it is
     * committed or the staging folder removed. */
    struct report_lock lock = {.fd = -1};
    if ((rc = report_stage_lock(final_dir, &lock, &d)) != 0 ||
        (rc = report_stage_begin(final_dir, tmp, sizeof tmp, &d)) != 0) {
        exit_print_diag(&d);
        report_stage_unlock(&lock);
        runner_plan_fini(&p);
        return rc == SIM_EINVAL ? EXIT_USAGE : EXIT_RUN_FAILED;
    }
    struct guard g = {.on = false};
    guard_start(&g, tmp, &lock);
    rc = runner_plan_simulate(&p, tmp, o->threads, o->shard_index,
                              o->shard_count, o->progress, &d);
    if (rc != 0) {
        guard_stop(&g);
        exit_print_diag(&d);
        report_stage_abort(tmp);
        report_stage_unlock(&lock);
        runner_plan_fini(&p);
        return code_of_sim_error(rc, &d, tmp);
    }
    char parts[1200];
    snprintf(parts, sizeof parts, "%s/parts", tmp);
    const char *part_dirs[1] = {parts};
    struct runner_finish_opts f = {
        .final_dir = final_dir, .table = o->table, .quiet = o->quiet,
        .check = o->check, .partial = o->shard_count > 1,
        .shard_index = o->shard_index, .shard_count = o->shard_count,
        .part_dirs = part_dirs, .n_part_dirs = 1, .remove_parts = true,
    };
    int code = runner_finish(&p, tmp, &f);
    guard_stop(&g);
    report_stage_unlock(&lock);
    runner_plan_fini(&p);
    return code;
}
