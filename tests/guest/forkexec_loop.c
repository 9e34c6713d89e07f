/* Benchmark: N fork + execve + waitpid in a row (argv[2], default 100) of PROGRAM (argv[1]), its
 * stdout on /dev/null; prints ns per spawn. Every run must exit 0. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: forkexec_loop PROGRAM [N]\n");
        return 2;
    }
    long n = argc > 2 ? atol(argv[2]) : 100;
    int null = open("/dev/null", O_WRONLY);
    char *args[] = {argv[1], NULL};
    double start = now_ns();
    for (long i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            dup2(null, 1);
            execve(argv[1], args, environ);
            _exit(127);
        }
        int st;
        if (pid < 0) {
            fprintf(stderr, "forkexec_loop: fork: %s\n", strerror(errno));
            return 1;
        }
        if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            fprintf(stderr, "forkexec_loop: run %ld of %s did not exit 0 (status 0x%x)\n", i, argv[1], st);
            return 1;
        }
    }
    double end = now_ns();
    const char *name = strrchr(argv[1], '/');
    printf("forkexec_loop: %ld fork+exec+wait of %s, %.1f ns/spawn\n", n, name ? name + 1 : argv[1],
            n > 0 ? (end - start) / n : 0.0);
    return 0;
}
