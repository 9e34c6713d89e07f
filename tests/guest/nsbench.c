/*
 * Namespace costs for benchmarks/namespaces.sh: for each kind, N rounds of fork, unshare(2) of
 * that kind in the child, exit, wait (the child pays for the namespace and its teardown); the
 * same rounds with no unshare as the baseline; and N forks of a child that exits at once,
 * from a process in the initial PID namespace and from the init of a new one. Prints one line
 * per measurement: NAME MICROSECONDS-PER-ROUND. argv[1] is N (default 200).
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

/* N rounds of a child doing unshare(flags) (none for 0); -1 when a child failed. */
static double rounds(int n, int flags) {
    double start = now_us();
    for (int i = 0; i < n; i++) {
        pid_t c = fork();
        if (c == 0) {
            _exit(flags != 0 && unshare(flags) != 0 ? 1 : 0);
        }
        int st;
        if (c < 0 || waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            return -1;
        }
    }
    return (now_us() - start) / n;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    int n = argc > 1 ? atoi(argv[1]) : 200;
    struct { const char *name; int flag; } kinds[] = {
        {"fork+exit", 0}, {"unshare-uts", CLONE_NEWUTS}, {"unshare-ipc", CLONE_NEWIPC},
        {"unshare-mnt", CLONE_NEWNS}, {"unshare-pid", CLONE_NEWPID}, {"unshare-net", CLONE_NEWNET},
        {"unshare-user", CLONE_NEWUSER}, {"unshare-cgroup", CLONE_NEWCGROUP},
    };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        printf("%s %.1f\n", kinds[k].name, rounds(n, kinds[k].flag));
    }
    /* fork inside a PID namespace: its init forks the same rounds */
    if (unshare(CLONE_NEWPID) != 0) {
        printf("fork-in-pidns -1\n");
        return 0;
    }
    pid_t init = fork();
    if (init == 0) {
        printf("fork-in-pidns %.1f\n", rounds(n, 0));
        _exit(0);
    }
    waitpid(init, NULL, 0);
    return 0;
}
