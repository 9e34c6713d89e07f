/*
 * Helpers shared by the guest programs about threads and futexes (threads.c, thread_signals.c,
 * thread_exit.c, futexops.c, racy.c, futex.c, and the benchmarks thread_loop.c, futex_loop.c and
 * switch_loop.c). A program defines _GNU_SOURCE first, then includes this header, which brings the
 * C headers its helpers need. Everything is static and the functions static inline, so a program
 * that uses only some of them still builds under build.sh's -Wall -Werror; build.sh rebuilds the
 * programs that include this header when it changes.
 */
#ifndef THREADCHECK_H
#define THREADCHECK_H

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* futex(2)'s operations and flags, from <linux/futex.h>, which musl's toolchain does not ship. */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_WAIT_PRIVATE (FUTEX_WAIT | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_PRIVATE (FUTEX_WAKE | FUTEX_PRIVATE_FLAG)
#define FUTEX_REQUEUE_PRIVATE (FUTEX_REQUEUE | FUTEX_PRIVATE_FLAG)
#define FUTEX_CMP_REQUEUE_PRIVATE (FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_OP_PRIVATE (FUTEX_WAKE_OP | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAIT_BITSET_PRIVATE (FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG)
#define FUTEX_BITSET_MATCH_ANY 0xffffffffu
#define FUTEX_OP_SET 0
#define FUTEX_OP_ADD 1
#define FUTEX_OP_OR 2
#define FUTEX_OP_ANDN 3
#define FUTEX_OP_XOR 4
#define FUTEX_OP_OPARG_SHIFT 8
#define FUTEX_OP_CMP_EQ 0
#define FUTEX_OP_CMP_NE 1
#define FUTEX_OP_CMP_GT 4
#define FUTEX_OP(op, oparg, cmp, cmparg) \
    ((((op) & 0xf) << 28) | (((cmp) & 0xf) << 24) | (((oparg) & 0xfff) << 12) | ((cmparg) & 0xfff))

/* 1 once a check has not held; main returns it as the exit status. */
static int failed;

/* NULL, or the name of the variant the checks are being run for, printed after each check's name
 * (futexops.c runs its checks once with private futexes and once with shared ones). */
static const char *variant;

/*
 * Prints "NAME: ok" when the check held, else "NAME: " and what was seen (a printf(3) format and
 * its arguments), and sets failed. One line per check, so the output can be compared with a
 * native run's line by line.
 */
static inline __attribute__((format(printf, 3, 4))) void check(const char *name, int ok, const char *fmt, ...) {
    printf("%s", name);
    if (variant) {
        printf(" (%s)", variant);
    }
    printf(": ");
    if (ok) {
        printf("ok\n");
        return;
    }
    failed = 1;
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

/* The name of an errno value (errno(3)) that these programs may meet, or NULL for another. */
static inline const char *errno_name(int e) {
    switch (e) {
    case EAGAIN: return "EAGAIN";
    case EBUSY: return "EBUSY";
    case EINVAL: return "EINVAL";
    case ETIMEDOUT: return "ETIMEDOUT";
    case EOWNERDEAD: return "EOWNERDEAD";
    case EDEADLK: return "EDEADLK";
    case EPERM: return "EPERM";
    case EINTR: return "EINTR";
    case ENOSYS: return "ENOSYS";
    case ENOTSUP: return "ENOTSUP";
    case EFAULT: return "EFAULT";
    default: return NULL;
    }
}

/* What a pthread function returned, 0 or an errno value (pthread_mutex_lock(3)), as text. */
static inline const char *errname(int e) {
    if (e == 0) {
        return "0";
    }
    const char *name = errno_name(e);
    return name ? name : "other errno";
}

/* pthread_create(3), ending the program at once if it fails: every check after it would wait for
 * a thread that does not exist. */
static inline void spawn(pthread_t *t, void *(*fn)(void *), void *arg) {
    int e = pthread_create(t, NULL, fn, arg);
    if (e != 0) {
        printf("pthread_create failed: %s\n", strerror(e));
        exit(1);
    }
}

/* Starts n threads, thread i running fn((void *) i), then joins them in the order they started. */
static inline void run_threads(int n, void *(*fn)(void *)) {
    pthread_t t[n];
    for (intptr_t i = 0; i < n; i++) {
        spawn(&t[i], fn, (void *) i);
    }
    for (int i = 0; i < n; i++) {
        pthread_join(t[i], NULL);
    }
}

/* gettid(2) through syscall(2): older C libraries have no wrapper for it. */
static inline pid_t gettid_(void) {
    return (pid_t) syscall(SYS_gettid);
}

/* An absolute deadline ms from now on clock, as pthread_cond_timedwait(3), sem_timedwait(3) and
 * futex(2)'s FUTEX_WAIT_BITSET take it. */
static inline struct timespec deadline(clockid_t clock, long ms) {
    struct timespec t;
    clock_gettime(clock, &t);
    t.tv_nsec += ms * 1000000L;
    t.tv_sec += t.tv_nsec / 1000000000L;
    t.tv_nsec %= 1000000000L;
    return t;
}

/* clock's time in ns (clock_gettime(2)). */
static inline long long now_ns(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

#endif
