/*
 * exit(3) from a second thread ends the whole process at once (exit_group(2)), while the other
 * threads are blocked: the main thread in pthread_join, one in nanosleep(100 s), one in a
 * condition variable's futex wait, one in read(2) of an empty pipe whose write end stays open.
 * exit(3) flushes stdio first, so the buffered lines reach a pipe. Exit status 7.
 * "thread_exit exit_group" calls exit_group(8) directly instead (no stdio flush: it flushes by
 * hand first), as _exit(2) does.
 */
#define _GNU_SOURCE
#include <sched.h>
#include "threadcheck.h"

static int blocking; /* threads about to block */
static int fds[2];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;
static pthread_t sleeper;
static int use_exit_group;

static void about_to_block(void) {
    __atomic_fetch_add(&blocking, 1, __ATOMIC_SEQ_CST);
}

static void *sleeps(void *arg) {
    (void) arg;
    about_to_block();
    struct timespec t = {100, 0};
    nanosleep(&t, NULL);
    printf("nanosleep returned\n"); /* never printed: the process is gone */
    return NULL;
}

static void *waits_on_condvar(void *arg) {
    (void) arg;
    pthread_mutex_lock(&lock);
    about_to_block();
    pthread_cond_wait(&never, &lock);
    printf("condvar wait returned\n");
    return NULL;
}

static void *reads_empty_pipe(void *arg) {
    (void) arg;
    char c;
    about_to_block();
    ssize_t n = read(fds[0], &c, 1);
    printf("read returned %zd\n", n);
    return NULL;
}

static void *exits(void *arg) {
    (void) arg;
    /* Wait until the others have said they are about to block, then give them a moment to get
     * there: the outcome is the same if one has not blocked yet, only the test is weaker. */
    while (__atomic_load_n(&blocking, __ATOMIC_SEQ_CST) < 3) {
        sched_yield();
    }
    for (int i = 0; i < 100; i++) {
        sched_yield();
    }
    struct timespec t = {0, 20 * 1000 * 1000};
    nanosleep(&t, NULL);
    printf("bye from thread\n");
    if (use_exit_group) {
        fflush(stdout);
        syscall(SYS_exit_group, 8);
    }
    exit(7);
}

int main(int argc, char **argv) {
    use_exit_group = argc > 1 && strcmp(argv[1], "exit_group") == 0;
    pipe(fds);
    pthread_t t;
    spawn(&sleeper, sleeps, NULL);
    spawn(&t, waits_on_condvar, NULL);
    spawn(&t, reads_empty_pipe, NULL);
    printf("main: 3 threads blocking, one to call %s\n", use_exit_group ? "exit_group(8)" : "exit(7)");
    spawn(&t, exits, NULL);
    pthread_join(sleeper, NULL); /* the main thread blocks too */
    printf("main: join returned\n");
    return 0;
}
