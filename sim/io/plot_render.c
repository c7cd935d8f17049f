/* sim/io/plot_render.c - drawing the plots: gnuplot on every script of
 * "<dir>/plots" (see plot_render.h).
 *
 * Drawing forks and execs gnuplot found by searching PATH ourselves: no
 * shell ever sees a path, and a missing gnuplot is known before forking. */
#include "sim/io/plot_render.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#define PLOT_PATH_MAX 4096
/* Find an executable "gnuplot" in PATH; false when there is none. */
static bool find_gnuplot(char *buf, size_t n)
{
    const char *path = getenv("PATH");
    if (path == NULL || *path == '\0')
        return false;
    const char *p = path;
    for (;;) {
        const char *e = strchr(p, ':');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        int k = snprintf(buf, n, "%.*s/gnuplot", (int)len,
                         len > 0 ? p : ".");
        struct stat st;
        if (k > 0 && (size_t)k < n && stat(buf, &st) == 0 &&
            S_ISREG(st.st_mode) && access(buf, X_OK) == 0)
            return true;
        if (e == NULL)
            return false;
        p = e + 1;
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run gnuplot on script in folder dir; 0 or -1 with why filled. */
static int run_gnuplot(const char *gnuplot, const char *dir,
                       const char *script, char *why, size_t n)
{
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(why, n, "cannot fork: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        /* Child: async-signal-safe calls only, then exec. gnuplot gets
         * the default signal mask back (the runner blocks SIGINT & co. in
         * its threads while it stages results). */
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        if (chdir(dir) != 0)
            _exit(126);
        int in = open("/dev/null", O_RDONLY);
        int out = open("/dev/null", O_WRONLY);
        int log = open("gnuplot.log", O_WRONLY | O_CREAT | O_APPEND, 0666);
        if (in >= 0)
            dup2(in, 0);
        if (out >= 0)
            dup2(out, 1);
        if (log >= 0)
            dup2(log, 2);
        char *const argv[] = {(char *)"gnuplot", (char *)script, NULL};
        execv(gnuplot, argv);
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) {
            snprintf(why, n, "waitpid: %s", strerror(errno));
            return -1;
        }
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
        return 0;
    if (WIFEXITED(st))
        snprintf(why, n, "gnuplot exited with status %d; see "
                         "plots/gnuplot.log",
                 WEXITSTATUS(st));
    else
        snprintf(why, n, "gnuplot killed by signal %d", WTERMSIG(st));
    return -1;
}

/* After gnuplot ran on NAME.gp in folder plots: NAME.png and NAME.svg,
 * when present, must be non-empty (gnuplot exits 0 on a full disk and
 * leaves empty images). Returns 0, or -1 with the image in bad and why
 * filled (strerror(ENOSPC) when the file system has no space left). */
static int check_images(const char *plots, const char *script, char *bad,
                        size_t nb, char *why, size_t n)
{
    static const char *const ext[] = {"png", "svg"};
    size_t len = strlen(script) - 3; /* without ".gp" */
    for (size_t i = 0; i < 2; i++) {
        char path[PLOT_PATH_MAX + 80];
        snprintf(path, sizeof path, "%s/%.*s.%s", plots, (int)len, script,
                 ext[i]);
        struct stat st;
        if (stat(path, &st) != 0 || st.st_size > 0)
            continue;
        snprintf(bad, nb, "%.*s.%s", (int)len, script, ext[i]);
        struct statvfs vs;
        bool full = statvfs(plots, &vs) == 0 && vs.f_bavail == 0;
        snprintf(why, n, "gnuplot wrote an empty image%s%s",
                 full ? ": " : "", full ? strerror(ENOSPC) : "");
        return -1;
    }
    return 0;
}

bool plot_has_scripts(const char *dir)
{
    char plots[PLOT_PATH_MAX];
    snprintf(plots, sizeof plots, "%s/plots", dir);
    DIR *dh = opendir(plots);
    bool any = false;
    struct dirent *e;
    while (dh != NULL && !any && (e = readdir(dh)) != NULL) {
        size_t len = strlen(e->d_name);
        any = len >= 4 && strcmp(e->d_name + len - 3, ".gp") == 0;
    }
    if (dh != NULL)
        closedir(dh);
    return any;
}

void plot_render(const char *dir, struct plot_result *r)
{
    memset(r, 0, sizeof *r);
    char plots[PLOT_PATH_MAX], gnuplot[PLOT_PATH_MAX];
    snprintf(plots, sizeof plots, "%s/plots", dir);
    DIR *dh = opendir(plots);
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while (dh != NULL && (e = readdir(dh)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 3, ".gp") != 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **nn = realloc(names, cap * sizeof *nn);
            if (nn == NULL)
                break;
            names = nn;
        }
        if ((names[n] = strdup(e->d_name)) != NULL)
            n++;
    }
    if (dh != NULL)
        closedir(dh);
    if (n == 0) {
        r->status = PLOT_NO_SCRIPTS;
    } else if (!find_gnuplot(gnuplot, sizeof gnuplot)) {
        r->status = PLOT_NO_GNUPLOT;
    } else {
        qsort(names, n, sizeof *names, cmp_str);
        r->status = PLOT_DRAWN;
        for (size_t i = 0; i < n; i++) {
            char why[160], bad[64];
            snprintf(bad, sizeof bad, "%s", names[i]);
            if (run_gnuplot(gnuplot, plots, names[i], why, sizeof why) == 0 &&
                check_images(plots, names[i], bad, sizeof bad, why,
                             sizeof why) == 0) {
                r->drawn++;
            } else if (r->status == PLOT_DRAWN) {
                r->status = PLOT_FAILED;
                snprintf(r->failed, sizeof r->failed, "%s", bad);
                snprintf(r->why, sizeof r->why, "%s", why);
            }
        }
        if (r->status == PLOT_DRAWN) {
            char log[PLOT_PATH_MAX + 16];
            snprintf(log, sizeof log, "%s/gnuplot.log", plots);
            unlink(log);
        }
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}
