/*
 * Namespace costs for benchmarks/namespaces.sh. After N untimed fork rounds (a JIT or a
 * translation cache warms up on the first forks), prints one line per measurement, NAME
 * MICROSECONDS (-1 when the calls failed: qemu-user refuses CLONE_NEWUSER, its process having
 * threads):
 *   unshare-uts, -ipc, -mnt, -net, -cgroup: one unshare(2) of that kind, N in a row in one
 *     process (each makes a new namespace and lets the previous one go);
 *   fork+exit: a round of fork, exit and wait (the baseline of the next two);
 *   unshare-pid, unshare-user: a round whose child unshares that kind first, less the
 *     fork+exit round measured just before it (the PID and user kinds cannot be unshared N
 *     times in one process);
 *   fork-in-pidns: a fork+exit round made by the init of a new PID namespace.
 * argv[1] is N (default 200).
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

/* Microseconds per round of a child doing unshare(flags) (none for 0); -1 when a child failed. */
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

/* Microseconds per unshare(flags), n in a row in a child process; -1 when one failed. */
static double in_place(int n, int flags) {
    int fds[2];
    if (pipe(fds) != 0) {
        return -1;
    }
    pid_t c = fork();
    if (c == 0) {
        double start = now_us(), per = 0;
        for (int i = 0; i < n && per >= 0; i++) {
            per = unshare(flags) == 0 ? 0 : -1;
        }
        per = per < 0 ? -1 : (now_us() - start) / n;
        _exit(write(fds[1], &per, sizeof per) == sizeof per ? 0 : 1);
    }
    double per = -1;
    if (read(fds[0], &per, sizeof per) != sizeof per) {
        per = -1;
    }
    waitpid(c, NULL, 0);
    close(fds[0]);
    close(fds[1]);
    return per;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    int n = argc > 1 ? atoi(argv[1]) : 200;
    rounds(n, 0);
    struct { const char *name; int flag; } kinds[] = {
        {"unshare-uts", CLONE_NEWUTS}, {"unshare-ipc", CLONE_NEWIPC}, {"unshare-mnt", CLONE_NEWNS},
        {"unshare-net", CLONE_NEWNET}, {"unshare-cgroup", CLONE_NEWCGROUP},
    };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        printf("%s %.1f\n", kinds[k].name, in_place(n, kinds[k].flag));
    }
    double base = rounds(n, 0);
    printf("fork+exit %.1f\n", base);
    double pid = rounds(n, CLONE_NEWPID);
    printf("unshare-pid %.1f\n", pid < 0 ? -1 : pid - base);
    base = rounds(n, 0);
    double user = rounds(n, CLONE_NEWUSER);
    printf("unshare-user %.1f\n", user < 0 ? -1 : user - base);
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
