/* Processes on one CPU (natively: pinned to CPU 0; under Phoenix: --cpus 1): a SCHED_FIFO process
 * that wakes takes the CPU from a spinning SCHED_OTHER process at once, and while it spins the
 * other does not run at all; two SCHED_OTHER processes take turns. Prints relations, not times.
 * Needs root natively. */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct shared {
    volatile uint64_t spins[2];
    volatile int stop;
};

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleepMs(int ms) {
    struct timespec ts = {0, ms * 1000000L};
    nanosleep(&ts, NULL);
}

static pid_t spinner(struct shared *s, int i) {
    pid_t pid = fork();
    if (pid == 0) {
        double end = now() + 5;
        while (!s->stop && now() < end) {
            s->spins[i]++;
        }
        _exit(0);
    }
    return pid;
}

int main(void) {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(0, &one);
    sched_setaffinity(0, sizeof one, &one);
    struct shared *s = mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (s == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    unsigned cpu = 99;
    syscall(SYS_getcpu, &cpu, NULL, NULL);
    printf("getcpu: %u\n", cpu);

    pid_t a = spinner(s, 0);
    pid_t b = spinner(s, 1);
    sleepMs(300);
    /* Both fair spinners share the one CPU: each has run. */
    printf("two spinning processes both ran: %s\n", s->spins[0] > 0 && s->spins[1] > 0 ? "yes" : "no");

    struct sched_param p = {.sched_priority = 10};
    if (syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, &p) != 0) {
        perror("sched_setscheduler");
        return 1;
    }
    sleepMs(20); /* the spinners run; the wake-up preempts whichever runs */
    uint64_t before0 = s->spins[0], before1 = s->spins[1];
    double end = now() + 0.1;
    while (now() < end) {
    }
    int frozen = s->spins[0] == before0 && s->spins[1] == before1;
    printf("while a FIFO process spun on the only CPU the others did not run: %s\n", frozen ? "yes" : "no");
    s->stop = 1;
    p.sched_priority = 0;
    syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &p);
    waitpid(a, NULL, 0);
    waitpid(b, NULL, 0);
    return 0;
}
