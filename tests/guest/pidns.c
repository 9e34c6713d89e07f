/* PID namespaces: pid 1 and 2 in a new namespace, namespace-relative getppid, kill and wait,
   /proc/PID/ns links, init's signal protection, and the namespace dying with its init. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "ttycheck.h"

static void link_of(const char *path, char *buf, size_t n) {
    ssize_t len = readlink(path, buf, n - 1);
    buf[len < 0 ? 0 : len] = 0;
}

static int same_file(const char *a, const char *b) {
    struct stat sa, sb;
    if (stat(a, &sa) != 0 || stat(b, &sb) != 0) return -1;
    return sa.st_ino == sb.st_ino && sa.st_dev == sb.st_dev;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    char before[64], after[64], forkids[64];
    link_of("/proc/self/ns/pid", before, sizeof before);
    printf("ns link: %s\n", strncmp(before, "pid:[", 5) == 0 ? "pid:[...]" : before);
    if (unshare(CLONE_NEWPID) != 0) { printf("unshare: %s\n", err(errno)); return 1; }
    link_of("/proc/self/ns/pid", after, sizeof after);
    printf("own pid ns unchanged: %d\n", strcmp(before, after) == 0);
    errno = 0;
    printf("pid_for_children before its init: %s\n",
           readlink("/proc/self/ns/pid_for_children", forkids, sizeof forkids) < 0 ? err(errno) : "a link");
    printf("second unshare: %s\n", unshare(CLONE_NEWPID) == 0 ? "ok" : err(errno));
    int pipefd[2], gofd[2];
    pipe(pipefd);
    pipe(gofd);
    int deadfd[2]; /* its write end lives on in the sleeper only: EOF once the sleeper is gone */
    pipe(deadfd);
    pid_t init = fork();
    if (init == 0) {
        close(pipefd[0]);
        close(deadfd[0]);
        printf("init: getpid %d getppid %d\n", (int) getpid(), (int) getppid());
        /* init ignores signals it has no handler for, from inside its namespace */
        printf("init: kill(1, SIGTERM) = %d\n", kill(1, SIGTERM));
        printf("init: still alive after SIGTERM to itself\n");
        pid_t c = fork();
        if (c == 0) {
            printf("child: getpid %d getppid %d\n", (int) getpid(), (int) getppid());
            pid_t g = fork();
            if (g == 0) {
                /* an orphan: re-parented to the namespace's init */
                sleep(1);
                printf("orphan: getppid %d\n", (int) getppid());
                _exit(0);
            }
            printf("child: grandchild is %d\n", (int) g);
            _exit(3);
        }
        int st;
        pid_t w = waitpid(c, &st, 0);
        printf("init: waited %d status %d\n", (int) w, WEXITSTATUS(st));
        printf("init: kill(99) %s\n", kill(99, 0) == 0 ? "ok" : err(errno));
        /* reap the orphan */
        w = wait(&st);
        printf("init: reaped orphan %d\n", (int) w);
        /* a long-lived process, killed when init dies */
        pid_t sleeper = fork();
        if (sleeper == 0) {
            for (;;) pause();
        }
        close(deadfd[1]);
        printf("init: sleeper is %d\n", (int) sleeper);
        write(pipefd[1], &sleeper, sizeof sleeper);
        char go;
        read(gofd[0], &go, 1); /* the parent looks at us meanwhile */
        _exit(7);
    }
    close(pipefd[1]);
    close(deadfd[1]);
    pid_t sleeper_inner;
    read(pipefd[0], &sleeper_inner, sizeof sleeper_inner);
    printf("parent: init's pid is its own: %d\n", init != 1);
    link_of("/proc/self/ns/pid_for_children", forkids, sizeof forkids);
    printf("parent: pid_for_children differs: %d\n", strcmp(before, forkids) != 0);
    char path[64], theirs[64];
    snprintf(path, sizeof path, "/proc/%d/ns/pid", (int) init);
    link_of(path, theirs, sizeof theirs);
    printf("parent: init is in the new namespace: %d\n", strcmp(theirs, forkids) == 0);
    snprintf(path, sizeof path, "/proc/%d/ns/pid", (int) init);
    printf("parent: stat tells namespaces apart: %d\n", same_file("/proc/self/ns/pid", path) == 0);
    printf("parent: same namespace, same file: %d\n", same_file("/proc/self/ns/pid", "/proc/self/ns/pid") == 1);
    /* init's status shows its namespace-relative ids as seen from here */
    snprintf(path, sizeof path, "/proc/%d/status", (int) init);
    FILE *f = fopen(path, "r");
    char line[256];
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "NSpid:", 6) == 0) {
            int outer = 0, inner = 0;
            sscanf(line + 6, "%d %d", &outer, &inner);
            printf("parent: NSpid outer is init %d, inner %d\n", outer == init, inner);
        }
    }
    if (f) fclose(f);
    write(gofd[1], "g", 1);
    int st;
    pid_t w = waitpid(init, &st, 0);
    printf("parent: init exited %d, status %d\n", w == init, WEXITSTATUS(st));
    char b;
    printf("parent: the sleeper died with init: %d\n", read(deadfd[0], &b, 1) == 0);
    /* every other process of the namespace is gone with it: a fork into it fails */
    pid_t late = fork();
    if (late == 0) _exit(0);
    printf("parent: fork into dead namespace: %s\n", late < 0 ? err(errno) : "ok");
    if (late > 0) waitpid(late, NULL, 0);
    return 0;
}
