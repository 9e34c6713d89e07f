/* futex(2) in a process of one thread, as glibc and musl use it even then: pthread_once, mutexes,
 * condition variables and semaphores with timeouts, and the raw operations with their errors.
 * Each call is made before its printf: argument evaluation order is unspecified. */
#define _GNU_SOURCE
#include <semaphore.h>
#include <signal.h>
#include <sys/time.h>
#include "threadcheck.h"

static long futex(uint32_t *uaddr, int op, uint32_t val, const struct timespec *timeout, uint32_t *uaddr2,
                  uint32_t val3) {
    return syscall(SYS_futex, uaddr, op, val, timeout, uaddr2, val3);
}

/* Prints what a call returned, and the errno's name when it failed. */
static void show(const char *what, long r) {
    const char *name = errno_name(errno);
    if (r >= 0) {
        printf("%s = %ld\n", what, r);
    } else {
        printf("%s = %ld %s\n", what, r, name ? name : "E?");
    }
}

static int once_runs;
static void once_init(void) {
    once_runs++;
}

static void on_alarm(int sig) {
    (void) sig;
}

int main(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, once_init);
    pthread_once(&once, once_init);
    printf("pthread_once ran the init %d time(s)\n", once_runs);

    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
    show("mutex lock", pthread_mutex_lock(&m));
    struct timespec until = deadline(CLOCK_REALTIME, 20);
    long long t0 = now_ns(CLOCK_MONOTONIC);
    int r = pthread_cond_timedwait(&cv, &m, &until);
    printf("cond_timedwait = %s, waited at least 20 ms = %d\n", r == ETIMEDOUT ? "ETIMEDOUT" : strerror(r),
           now_ns(CLOCK_MONOTONIC) - t0 >= 20000000LL);
    show("mutex unlock", pthread_mutex_unlock(&m));

    sem_t sem;
    sem_init(&sem, 0, 0);
    until = deadline(CLOCK_REALTIME, 30);
    long sr = sem_timedwait(&sem, &until);
    show("sem_timedwait on 0", sr);

    uint32_t word = 7, other = 5;
    show("FUTEX_WAKE", futex(&word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
    show("FUTEX_WAKE shared", futex(&word, FUTEX_WAKE, 1, NULL, NULL, 0));
    show("FUTEX_WAIT value differs", futex(&word, FUTEX_WAIT_PRIVATE, 8, NULL, NULL, 0));
    struct timespec ten_ms = {0, 10 * 1000 * 1000};
    t0 = now_ns(CLOCK_MONOTONIC);
    long w = futex(&word, FUTEX_WAIT_PRIVATE, 7, &ten_ms, NULL, 0);
    show("FUTEX_WAIT 10 ms", w);
    printf("waited at least 10 ms = %d\n", now_ns(CLOCK_MONOTONIC) - t0 >= 10000000LL);
    struct timespec abs = deadline(CLOCK_MONOTONIC, 5);
    show("FUTEX_WAIT_BITSET absolute", futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 7, &abs, NULL, FUTEX_BITSET_MATCH_ANY));
    show("FUTEX_WAIT_BITSET bitset 0", futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 7, &abs, NULL, 0));
    struct timespec bad = {0, 1000000000};
    show("FUTEX_WAIT bad timeout", futex(&word, FUTEX_WAIT_PRIVATE, 7, &bad, NULL, 0));
    show("FUTEX_WAKE_OP", futex(&word, FUTEX_WAKE_OP_PRIVATE, 1, (void *) 1, &other,
                                FUTEX_OP(FUTEX_OP_ADD, 3, FUTEX_OP_CMP_GT, 1)));
    printf("word after FUTEX_OP_ADD 3 = %u\n", other);
    show("FUTEX_WAKE_OP shifted OR", futex(&word, FUTEX_WAKE_OP_PRIVATE, 1, (void *) 1, &other,
                                           FUTEX_OP((FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT), 4, FUTEX_OP_CMP_EQ, 0)));
    printf("word after FUTEX_OP_OR 1<<4 = %u\n", other);
    show("FUTEX_CMP_REQUEUE mismatch", futex(&word, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *) 1, &other, 99));
    show("FUTEX_CMP_REQUEUE match", futex(&word, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *) 1, &other, 7));
    show("FUTEX_REQUEUE negative count", futex(&word, FUTEX_REQUEUE_PRIVATE, -1, (void *) 1, &other, 0));
    show("unaligned word", futex((uint32_t *) ((char *) &word + 1), FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
    show("unknown operation", futex(&word, 99, 0, NULL, NULL, 0));
    show("FUTEX_WAKE with CLOCK_REALTIME", futex(&word, FUTEX_WAKE_PRIVATE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0));
    show("FUTEX_WAIT unmapped", futex((uint32_t *) 16, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0));

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm; /* no SA_RESTART: the wait ends with EINTR */
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 20000}};
    setitimer(ITIMER_REAL, &it, NULL);
    show("FUTEX_WAIT until a signal", futex(&word, FUTEX_WAIT_PRIVATE, 7, NULL, NULL, 0));
    return 0;
}
