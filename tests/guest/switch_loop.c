/* Benchmark: context switches between two threads of one process, N round trips (argv[1], default
 * 10000) of a pipe ping-pong; prints ns per switch. Both threads are first pinned to one CPU
 * (sched_setaffinity(2); the second thread inherits the mask), so natively each hand-off is a
 * switch on that CPU: a thread writes one byte to the other's pipe, then blocks reading its own
 * (lmbench's lat_ctx, with threads). If pinning is refused the run goes on and says so. */
#define _GNU_SOURCE
#include <sched.h>
#include "threadcheck.h"

static int ping[2], pong[2];
static long rounds;

/* Reads one byte from in and writes it to out; 0, or -1 after a message. */
static int relay(int in, int out, const char *who) {
    char c = 'x';
    if (in >= 0 && read(in, &c, 1) != 1) {
        fprintf(stderr, "switch_loop: %s: read: %s\n", who, strerror(errno));
        return -1;
    }
    if (out >= 0 && write(out, &c, 1) != 1) {
        fprintf(stderr, "switch_loop: %s: write: %s\n", who, strerror(errno));
        return -1;
    }
    return 0;
}

static void *partner(void *arg) {
    (void) arg;
    for (long i = 0; i < rounds; i++) {
        if (relay(ping[0], pong[1], "partner") != 0) {
            return (void *) 1;
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    rounds = argc > 1 ? atol(argv[1]) : 10000;
    char pinned[96] = "on one CPU";
    cpu_set_t set;
    CPU_ZERO(&set);
    int cpu = -1;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        for (int c = 0; c < CPU_SETSIZE && cpu < 0; c++) {
            if (CPU_ISSET(c, &set)) {
                cpu = c;
            }
        }
    }
    CPU_ZERO(&set);
    if (cpu < 0 || (CPU_SET(cpu, &set), sched_setaffinity(0, sizeof set, &set) != 0)) {
        snprintf(pinned, sizeof pinned, "not pinned: %s", strerror(errno));
    }
    if (pipe(ping) != 0 || pipe(pong) != 0) {
        fprintf(stderr, "switch_loop: pipe: %s\n", strerror(errno));
        return 1;
    }
    pthread_t t;
    int e = pthread_create(&t, NULL, partner, NULL);
    if (e != 0) {
        fprintf(stderr, "switch_loop: pthread_create: %s\n", strerror(e));
        return 1;
    }
    double start = now_ns(CLOCK_MONOTONIC);
    for (long i = 0; i < rounds; i++) {
        if (relay(-1, ping[1], "main") != 0 || relay(pong[0], -1, "main") != 0) {
            return 1;
        }
    }
    double end = now_ns(CLOCK_MONOTONIC);
    void *r;
    if ((e = pthread_join(t, &r)) != 0 || r != NULL) {
        fprintf(stderr, "switch_loop: the partner thread failed\n");
        return 1;
    }
    printf("switch_loop: %ld round trips %s, %.1f ns/switch\n", rounds, pinned,
            rounds > 0 ? (end - start) / (2 * rounds) : 0.0);
    return 0;
}
