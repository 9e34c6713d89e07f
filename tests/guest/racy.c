/*
 * A determinism probe, racy on purpose: 8 threads increment one plain counter (volatile, not
 * atomic, no lock) 100,000 times each and report their progress every 20,000 increments with a
 * write(2) of their own. Natively the interleaving of the lines and the final count (updates
 * are lost) change from run to run; under phoenix run --deterministic they must not, because
 * task switches happen at syscalls and after fixed instruction budgets, never by host time.
 */
#define _GNU_SOURCE
#include "threadcheck.h"

static volatile long counter;

static void say(const char *line) {
    write(1, line, strlen(line)); /* one syscall per line: the order shows in an strace -f log */
}

static void *increment(void *arg) {
    int id = (int) (intptr_t) arg;
    char line[64];
    for (int step = 1; step <= 100000; step++) {
        counter = counter + 1; /* a load and a store: another thread's update between them is lost */
        if (step % 20000 == 0) {
            snprintf(line, sizeof line, "thread %d step %d\n", id, step);
            say(line);
        }
    }
    return NULL;
}

int main(void) {
    run_threads(8, increment);
    char line[64];
    snprintf(line, sizeof line, "counter %ld\n", counter);
    say(line);
    return 0;
}
