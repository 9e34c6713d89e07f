/* Benchmark: N fork + _exit + waitpid in a row (argv[3], default 100) by a process that holds an
 * extra private anonymous mapping of argv[1] MiB (default 1), its pages written once before the
 * loop (argv[2] "touched") or never ("untouched", the default); prints ns per fork. The child reads
 * the mapping's last page and exits with what it holds, so a child without the mapping shows. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv) {
    long mib = argc > 1 ? atol(argv[1]) : 1;
    int touched = argc > 2 && strcmp(argv[2], "touched") == 0;
    long n = argc > 3 ? atol(argv[3]) : 100;
    size_t len = (size_t) mib << 20, page = 4096;
    volatile char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mib <= 0 || p == MAP_FAILED) {
        fprintf(stderr, "fork_loop: cannot map %ld MiB: %s\n", mib, strerror(errno));
        return 1;
    }
    if (touched) {
        for (size_t i = 0; i < len; i += page) {
            p[i] = 1;
        }
    }
    double start = now_ns();
    for (long i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            _exit(p[len - page]);
        }
        int st;
        if (pid < 0) {
            fprintf(stderr, "fork_loop: fork: %s\n", strerror(errno));
            return 1;
        }
        if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != touched) {
            fprintf(stderr, "fork_loop: child %ld did not exit with %d\n", i, touched);
            return 1;
        }
    }
    double end = now_ns();
    printf("fork_loop: %ld fork+exit+wait with %ld MiB %s, %.1f ns/fork\n", n, mib, touched ? "touched" : "untouched",
            n > 0 ? (end - start) / n : 0.0);
    return 0;
}
