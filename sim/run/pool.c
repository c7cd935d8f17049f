/* sim/run/pool.c - a plan's items on a pool of threads (see pool.h).
 *
 * Work items are numbered config-major (item = config * R + rep) and handed
 * out in that order under one lock; each writes only its own slot, and the
 * first error in item order (not in time order) is the one reported, so
 * even failures are deterministic. A shard I/N takes the items i with
 * i mod N = I - 1 (round robin, so every shard gets a fair share of slow
 * and fast configurations). When no thread can be started the items run
 * on the calling thread. */
#include "sim/run/pool.h"

#include "sim/run/item.h"
#include "sim/run/progress.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
/* The shared state of the workers (on the caller's stack). */
struct pool {
    struct runner_plan *p;
    const char *tmp;
    size_t *items;        /* the items of this shard, ascending */
    size_t n_items;
    struct diag *diags;   /* [n_items] */
    pthread_mutex_t lock;
    size_t next, done;
    double *partial;      /* [n_items]: how far each running item is */
    struct progress prog;
};

/* What a worker tells about its item while it runs. */
struct item_tell {
    struct pool *pl;
    size_t k;
};

/* The bar counts finished items plus the running ones' fractions, so it
 * moves within a long replication. */
static void item_progress(void *ctx, double fraction)
{
    struct item_tell *t = ctx;
    struct pool *pl = t->pl;
    pthread_mutex_lock(&pl->lock);
    pl->partial[t->k] = fraction;
    double sum = (double)pl->done;
    for (size_t i = 0; i < pl->n_items; i++)
        sum += pl->partial[i];
    progress_draw_frac(&pl->prog, sum);
    pthread_mutex_unlock(&pl->lock);
}

static void *worker(void *arg)
{
    struct pool *pl = arg;
    for (;;) {
        pthread_mutex_lock(&pl->lock);
        size_t k = pl->next++;
        pthread_mutex_unlock(&pl->lock);
        if (k >= pl->n_items)
            break;
        struct item_tell tell = {pl, k};
        runner_item_run(pl->p, pl->tmp, pl->items[k],
                        pl->prog.on ? item_progress : NULL, &tell,
                        &pl->diags[k]);
        pthread_mutex_lock(&pl->lock);
        pl->partial[k] = 0.0;
        pl->done++;
        progress_draw(&pl->prog, pl->done);
        pthread_mutex_unlock(&pl->lock);
    }
    return NULL;
}

int runner_plan_simulate(struct runner_plan *p, const char *tmp,
                         int threads, uint32_t shard_index,
                         uint32_t shard_count, bool progress,
                         struct diag *d)
{
    size_t total = p->n_cfg * p->n_rep;
    uint32_t n_sh = shard_count > 1 ? shard_count : 1;
    uint32_t idx = shard_count > 1 ? shard_index - 1 : 0;
    struct pool pl;
    memset(&pl, 0, sizeof pl);
    pl.p = p;
    pl.tmp = tmp;
    pl.items = calloc(total / n_sh + 1, sizeof *pl.items);
    if (pl.items == NULL)
        return diag_set(d, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = idx; i < total; i += n_sh)
        pl.items[pl.n_items++] = i;
    pl.diags = calloc(pl.n_items + 1, sizeof *pl.diags);
    pl.partial = calloc(pl.n_items + 1, sizeof *pl.partial);
    if (pl.diags == NULL || pl.partial == NULL) {
        free(pl.diags);
        free(pl.partial);
        free(pl.items);
        return diag_set(d, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t k = 0; k < pl.n_items; k++)
        diag_init(&pl.diags[k]);
    progress_init(&pl.prog, progress, pl.n_items);

    int nt = threads < 1 ? 1 : threads;
    if ((size_t)nt > pl.n_items)
        nt = pl.n_items > 0 ? (int)pl.n_items : 1;
    pthread_mutex_init(&pl.lock, NULL);
    progress_draw(&pl.prog, 0);
    pthread_t *th = calloc((size_t)nt, sizeof *th);
    int started = 0;
    if (th != NULL)
        for (; started < nt; started++)
            if (pthread_create(&th[started], NULL, worker, &pl) != 0)
                break;
    if (started == 0)
        worker(&pl); /* no thread could start: run here */
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    free(th);
    pthread_mutex_destroy(&pl.lock);

    int rc = 0;
    for (size_t k = 0; k < pl.n_items && rc == 0; k++)
        if (pl.diags[k].code != SIM_OK) {
            *d = pl.diags[k];
            rc = d->code;
        }
    free(pl.diags);
    free(pl.partial);
    free(pl.items);
    return rc;
}
