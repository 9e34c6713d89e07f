/* Caught signals from another process for a process that spins without a syscall. Phoenix stops
 * such a process from another thread (after 50 ms); the stop must come between two
 * instructions, with the PC of the next one, or a handler that returns resumes a block part of
 * which already ran (or, with a stale PC, another block), and an increment of memory runs
 * twice. The child spins on counters in memory, two of them bumped in turn by two branches, whose
 * sum never strays from the third, and takes ROUNDS signals; the parent sends each one once the
 * previous one was handled (counted in a shared page), so none merges with another. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS 12

struct shared {
    volatile int handled;
};

static struct shared *sh;
static volatile long a, b, c;

static void on_usr1(int sig) {
    (void) sig;
    sh->handled++;
}

int main(void) {
    sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    int ready[2];
    if (sh == MAP_FAILED || pipe(ready) != 0) {
        return 2;
    }
    pid_t child = fork();
    if (child == 0) {
        struct sigaction sa = {.sa_handler = on_usr1};
        sigaction(SIGUSR1, &sa, NULL);
        if (write(ready[1], "r", 1) != 1) {
            _exit(2);
        }
        long broken = 0;
        while (sh->handled < ROUNDS) { /* no syscall in here; blocks that take turns */
            a += 1;
            if (a & 1) {
                b += 3;
            } else {
                c += 5;
            }
            if (b / 3 + c / 5 != a) {
                broken++;
                a = b / 3 + c / 5;
            }
        }
        _exit(broken == 0 ? 0 : 1);
    }
    char c;
    if (read(ready[0], &c, 1) != 1) {
        return 2;
    }
    for (int i = 0; i < ROUNDS; i++) {
        kill(child, SIGUSR1);
        while (sh->handled <= i) {
            usleep(1000);
        }
    }
    int st;
    waitpid(child, &st, 0);
    printf("the spinning child took %d signals; its counters %s\n", sh->handled,
           WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "kept in step"
           : WIFEXITED(st) && WEXITSTATUS(st) == 1 ? "fell out of step: code ran twice"
           : "did not end normally");
    return WIFEXITED(st) ? WEXITSTATUS(st) : 3;
}
