/*
 * Priority-inheritance futexes (futex(2): FUTEX_LOCK_PI, LOCK_PI2, TRYLOCK_PI, UNLOCK_PI,
 * WAIT_REQUEUE_PI, CMP_REQUEUE_PI), first through raw syscalls, once with FUTEX_PRIVATE_FLAG and
 * once without (and between two processes): the word holds the owner's TID, FUTEX_WAITERS while the kernel has waiters and
 * FUTEX_OWNER_DIED once an owner died; an unlock hands the lock to the waiter; the errors
 * (EDEADLK, EPERM, ESRCH, EAGAIN, ETIMEDOUT, ENOSYS, EINVAL) are Linux's. Then a condition
 * variable on a PI mutex built from the requeue-PI operations, as the kernel's selftest
 * futex_requeue_pi does (glibc's pthread_cond no longer uses them), and the C library's
 * PTHREAD_PRIO_INHERIT mutexes: errorcheck, recursive, timed, contended, with pthread_cond_wait,
 * and robust ones whose owner dies (EOWNERDEAD).
 *
 * A thread that must know another one is blocked in the kernel waits for a fact the kernel
 * makes: FUTEX_WAITERS in the word (set by LOCK_PI before it sleeps), or a requeue or a wake that
 * finds the waiter (repeated until it does); never a sleep. One line per check, "NAME: ok" or
 * what was seen instead; exit status 0 when all held.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <sched.h>
#include <sys/mman.h>
#include "threadcheck.h"

#define FUTEX_LOCK_PI 6
#define FUTEX_UNLOCK_PI 7
#define FUTEX_TRYLOCK_PI 8
#define FUTEX_WAIT_REQUEUE_PI 11
#define FUTEX_CMP_REQUEUE_PI 12
#define FUTEX_LOCK_PI2 13
#define FUTEX_WAITERS 0x80000000u
#define FUTEX_OWNER_DIED 0x40000000u
#define FUTEX_TID_MASK 0x3fffffffu

static int private_flag; /* FUTEX_PRIVATE_FLAG or 0, for the variant being run */

/* futex(2) returning the result or -errno. */
static long fx(uint32_t *uaddr, int op, uint32_t val, const void *timeout_or_val2, uint32_t *uaddr2, uint32_t val3) {
    long r = syscall(SYS_futex, uaddr, op | private_flag, val, timeout_or_val2, uaddr2, val3);
    return r == -1 ? -errno : r;
}

/* A result as text: the number, or the errno's name. */
static const char *res(long r, char *buf) {
    if (r >= 0) {
        sprintf(buf, "%ld", r);
        return buf;
    }
    if (r == -ESRCH) {
        return "ESRCH";
    }
    const char *name = errno_name((int) -r);
    if (name) {
        return name;
    }
    sprintf(buf, "errno %ld", -r);
    return buf;
}

/* Prints "NAME is WANT: ok" when result r is want (a number or an errno name), else what it was. */
static void expect(const char *name, long r, const char *want) {
    char buf[32], full[160];
    const char *got = res(r, buf);
    snprintf(full, sizeof full, "%s is %s", name, want);
    check(full, strcmp(got, want) == 0, "got %s", got);
}

static uint32_t load(uint32_t *w) {
    return __atomic_load_n(w, __ATOMIC_SEQ_CST);
}

/* Yields until *w has FUTEX_WAITERS: a LOCK_PI caller sets it in the kernel just before it sleeps. */
static void await_waiters(uint32_t *w) {
    while (!(load(w) & FUTEX_WAITERS)) {
        sched_yield();
    }
}

static void await_flag(int *f) {
    while (!__atomic_load_n(f, __ATOMIC_SEQ_CST)) {
        sched_yield();
    }
}

static void set_flag(int *f) {
    __atomic_store_n(f, 1, __ATOMIC_SEQ_CST);
}

/* ---- a thread that holds a PI futex: locks it, says so, then does what main asks */

enum { HOLD_UNLOCK_WHEN_RELEASED, HOLD_UNLOCK_WHEN_WAITED, HOLD_EXIT_WHEN_WAITED, HOLD_EXIT_AT_ONCE };

struct holder {
    uint32_t *word;
    int mode;
    int locked, release;
    pid_t tid;
    long wake; /* HOLD_UNLOCK_WHEN_WAITED: what FUTEX_WAKE said while a task waited in LOCK_PI */
    long unlock;
    pthread_t thread;
};

static void *hold(void *arg) {
    struct holder *h = arg;
    h->tid = gettid_();
    long r = fx(h->word, FUTEX_LOCK_PI, 0, NULL, NULL, 0);
    if (r != 0) {
        printf("holder's FUTEX_LOCK_PI failed: %ld\n", r);
        exit(1);
    }
    set_flag(&h->locked);
    switch (h->mode) {
    case HOLD_UNLOCK_WHEN_RELEASED:
        await_flag(&h->release);
        break;
    case HOLD_UNLOCK_WHEN_WAITED:
        await_waiters(h->word);
        h->wake = fx(h->word, FUTEX_WAKE, 1, NULL, NULL, 0);
        break;
    case HOLD_EXIT_WHEN_WAITED:
        await_waiters(h->word);
        return NULL;
    default:
        return NULL;
    }
    h->unlock = fx(h->word, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0);
    return NULL;
}

static void start_holder(struct holder *h, uint32_t *word, int mode) {
    memset(h, 0, sizeof *h);
    h->word = word;
    h->mode = mode;
    spawn(&h->thread, hold, h);
    await_flag(&h->locked);
}

/* ---- the word's life under LOCK_PI, TRYLOCK_PI and UNLOCK_PI */

static void own_lock(uint32_t *w) {
    pid_t me = gettid_();
    *w = 0;
    long r = fx(w, FUTEX_LOCK_PI, 0, NULL, NULL, 0);
    check("LOCK_PI of a free word takes it", r == 0 && load(w) == (uint32_t) me, "r %ld word %#x", r, load(w));
    expect("LOCK_PI of a word it owns", fx(w, FUTEX_LOCK_PI, 0, NULL, NULL, 0), "EDEADLK");
    expect("TRYLOCK_PI of a word it owns", fx(w, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0), "EDEADLK");
    r = fx(w, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0);
    check("UNLOCK_PI without waiters leaves 0", r == 0 && load(w) == 0, "r %ld word %#x", r, load(w));
    expect("UNLOCK_PI of a free word", fx(w, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0), "EPERM");
    r = fx(w, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0);
    check("TRYLOCK_PI of a free word takes it", r == 0 && load(w) == (uint32_t) me, "r %ld word %#x", r, load(w));
    fx(w, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0);
    *w = FUTEX_OWNER_DIED;
    r = fx(w, FUTEX_LOCK_PI, 0, NULL, NULL, 0);
    check("LOCK_PI of a free word keeps FUTEX_OWNER_DIED", r == 0 && load(w) == (FUTEX_OWNER_DIED | me),
          "r %ld word %#x", r, load(w));
    r = fx(w, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0);
    check("UNLOCK_PI clears FUTEX_OWNER_DIED", r == 0 && load(w) == 0, "r %ld word %#x", r, load(w));
    expect("LOCK_PI unaligned", fx((uint32_t *) ((char *) w + 1), FUTEX_LOCK_PI, 0, NULL, NULL, 0), "EINVAL");
    *w = 0x3ffffff0; /* beyond pid_max: no such task */
    expect("LOCK_PI of a word naming no task", fx(w, FUTEX_LOCK_PI, 0, NULL, NULL, 0), "ESRCH");
    *w = 0;
}

/* Another thread's lock: unlock, trylock and timed locks fail; the word keeps its owner. */
static void others_lock(uint32_t *w) {
    struct holder h;
    *w = 0;
    start_holder(&h, w, HOLD_UNLOCK_WHEN_RELEASED);
    expect("UNLOCK_PI of another thread's lock", fx(w, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0), "EPERM");
    long r = fx(w, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0);
    uint32_t word = load(w);
    check("TRYLOCK_PI of another thread's lock is EAGAIN and sets FUTEX_WAITERS",
          r == -EAGAIN && word == (FUTEX_WAITERS | (uint32_t) h.tid), "r %ld word %#x", r, word);
    struct timespec t = deadline(CLOCK_REALTIME, 30);
    expect("LOCK_PI with an absolute CLOCK_REALTIME deadline", fx(w, FUTEX_LOCK_PI, 0, &t, NULL, 0),
           "ETIMEDOUT");
    t = deadline(CLOCK_MONOTONIC, 30);
    expect("LOCK_PI2 with an absolute CLOCK_MONOTONIC deadline", fx(w, FUTEX_LOCK_PI2, 0, &t, NULL, 0),
           "ETIMEDOUT");
    t = deadline(CLOCK_REALTIME, 30);
    expect("LOCK_PI2 with FUTEX_CLOCK_REALTIME and a deadline",
           fx(w, FUTEX_LOCK_PI2 | FUTEX_CLOCK_REALTIME, 0, &t, NULL, 0), "ETIMEDOUT");
    expect("LOCK_PI with FUTEX_CLOCK_REALTIME", fx(w, FUTEX_LOCK_PI | FUTEX_CLOCK_REALTIME, 0, &t, NULL, 0),
           "ENOSYS");
    t.tv_nsec = 1000000000;
    expect("LOCK_PI with tv_nsec 1e9", fx(w, FUTEX_LOCK_PI, 0, &t, NULL, 0), "EINVAL");
    set_flag(&h.release);
    pthread_join(h.thread, NULL);
    check("its owner's UNLOCK_PI without waiters leaves 0", h.unlock == 0 && load(w) == 0, "r %ld word %#x",
          h.unlock, load(w));
}

/* LOCK_PI sleeps until the owner's UNLOCK_PI hands the lock over. */
static void handoff(uint32_t *w) {
    struct holder h;
    pid_t me = gettid_();
    *w = 0;
    start_holder(&h, w, HOLD_UNLOCK_WHEN_WAITED);
    long r = fx(w, FUTEX_LOCK_PI, 0, NULL, NULL, 0);
    pthread_join(h.thread, NULL);
    check("UNLOCK_PI hands the lock to the waiter: word is its TID | FUTEX_WAITERS",
          r == 0 && h.unlock == 0 && load(w) == (FUTEX_WAITERS | me), "r %ld unlock %ld word %#x", r, h.unlock,
          load(w));
    expect("FUTEX_WAKE of a PI futex a task waits on", h.wake, "EINVAL");
    r = fx(w, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0);
    check("UNLOCK_PI with no waiter left leaves 0", r == 0 && load(w) == 0, "r %ld word %#x", r, load(w));
}

/* The owner exits holding the lock: the waiter gets it with FUTEX_OWNER_DIED; later lockers get ESRCH. */
static void owner_dies(uint32_t *w) {
    struct holder h;
    pid_t me = gettid_();
    *w = 0;
    start_holder(&h, w, HOLD_EXIT_WHEN_WAITED);
    long r = fx(w, FUTEX_LOCK_PI, 0, NULL, NULL, 0);
    pthread_join(h.thread, NULL);
    check("owner exits while a task waits: it gets the lock with FUTEX_OWNER_DIED",
          r == 0 && load(w) == (FUTEX_WAITERS | FUTEX_OWNER_DIED | me), "r %ld word %#x", r, load(w));
    fx(w, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0);
    start_holder(&h, w, HOLD_EXIT_AT_ONCE);
    pthread_join(h.thread, NULL);
    expect("LOCK_PI of a lock whose owner exited without waiters", fx(w, FUTEX_LOCK_PI, 0, NULL, NULL, 0), "ESRCH");
    *w = 0;
}

/* Two threads each hold one lock and want the other's: the second to ask is told EDEADLK. */
struct crossing {
    uint32_t *mine, *theirs;
    int locked;
    long r;
};

static void *cross(void *arg) {
    struct crossing *c = arg;
    fx(c->mine, FUTEX_LOCK_PI, 0, NULL, NULL, 0);
    set_flag(&c->locked);
    await_waiters(c->mine); /* main waits for it */
    c->r = fx(c->theirs, FUTEX_LOCK_PI, 0, NULL, NULL, 0);
    fx(c->mine, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0);
    return NULL;
}

static void deadlock(uint32_t *a, uint32_t *b) {
    *a = *b = 0;
    struct crossing c = {b, a, 0, 0};
    pthread_t t;
    fx(a, FUTEX_LOCK_PI, 0, NULL, NULL, 0);
    spawn(&t, cross, &c);
    await_flag(&c.locked);
    long r = fx(b, FUTEX_LOCK_PI, 0, NULL, NULL, 0); /* blocks until the other gives up */
    pthread_join(t, NULL);
    expect("a lock that would close a cycle of PI waiters", c.r, "EDEADLK");
    check("the other waiter still gets its lock", r == 0 && (load(b) & FUTEX_TID_MASK) == (uint32_t) gettid_(),
          "r %ld word %#x", r, load(b));
    fx(b, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0);
    fx(a, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0);
    *a = *b = 0;
}

/* ---- requeue-PI: a condition variable (cond) whose waiters are moved to a PI mutex (mutex) */

struct rq_waiter {
    uint32_t *cond, *mutex;
    uint32_t val;
    long timeout_ms; /* 0: none */
    long r;
    int owned; /* it owned the mutex when the wait returned */
    int *counter;
    int lock_first; /* it takes the mutex before it waits (the EDEADLK check) */
    pthread_t thread;
};

static void *rq_wait(void *arg) {
    struct rq_waiter *w = arg;
    if (w->lock_first) {
        fx(w->mutex, FUTEX_LOCK_PI, 0, NULL, NULL, 0);
    }
    struct timespec t = deadline(CLOCK_MONOTONIC, w->timeout_ms);
    w->r = fx(w->cond, FUTEX_WAIT_REQUEUE_PI, w->val, w->timeout_ms ? &t : NULL, w->mutex, 0);
    if (w->r == 0) {
        w->owned = (load(w->mutex) & FUTEX_TID_MASK) == (uint32_t) gettid_();
        if (w->counter) {
            (*w->counter)++; /* under the mutex */
        }
        fx(w->mutex, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0);
    } else if (w->lock_first) {
        fx(w->mutex, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0);
    }
    return NULL;
}

static void start_rq(struct rq_waiter *w, uint32_t *cond, uint32_t *mutex, long timeout_ms, int lock_first) {
    memset(w, 0, sizeof *w);
    w->cond = cond;
    w->mutex = mutex;
    w->val = load(cond);
    w->timeout_ms = timeout_ms;
    w->lock_first = lock_first;
    spawn(&w->thread, rq_wait, w);
}

/* CMP_REQUEUE_PI until it finds a waiter: a waiter is certainly blocked once it is found. */
static long requeue_found(uint32_t *cond, uint32_t *mutex, int nr_requeue) {
    long r;
    while ((r = fx(cond, FUTEX_CMP_REQUEUE_PI, 1, (void *) (intptr_t) nr_requeue, mutex, load(cond))) == 0) {
        sched_yield();
    }
    return r;
}

/* A plain FUTEX_WAIT on the condition word, for the check that such a waiter cannot be requeued to a PI futex. */
static void *plain_wait(void *arg) {
    uint32_t *cond = arg;
    fx(cond, FUTEX_WAIT, load(cond), NULL, NULL, 0);
    return NULL;
}

static void requeue_errors(uint32_t *cond, uint32_t *mutex, uint32_t *other) {
    *cond = 5;
    *mutex = 0;
    expect("WAIT_REQUEUE_PI with uaddr == uaddr2", fx(cond, FUTEX_WAIT_REQUEUE_PI, 5, NULL, cond, 0), "EINVAL");
    expect("WAIT_REQUEUE_PI value differs", fx(cond, FUTEX_WAIT_REQUEUE_PI, 6, NULL, mutex, 0), "EAGAIN");
    struct timespec t = deadline(CLOCK_MONOTONIC, 30);
    expect("WAIT_REQUEUE_PI with an absolute CLOCK_MONOTONIC deadline",
           fx(cond, FUTEX_WAIT_REQUEUE_PI, 5, &t, mutex, 0), "ETIMEDOUT");
    expect("CMP_REQUEUE_PI with nr_wake 2", fx(cond, FUTEX_CMP_REQUEUE_PI, 2, (void *) 1, mutex, 5), "EINVAL");
    expect("CMP_REQUEUE_PI with uaddr == uaddr2", fx(cond, FUTEX_CMP_REQUEUE_PI, 1, (void *) 1, cond, 5), "EINVAL");
    expect("CMP_REQUEUE_PI with a wrong val3", fx(cond, FUTEX_CMP_REQUEUE_PI, 1, (void *) 1, mutex, 4), "EAGAIN");
    expect("CMP_REQUEUE_PI without waiters", fx(cond, FUTEX_CMP_REQUEUE_PI, 1, (void *) 1, mutex, 5), "0");

    pthread_t t1;
    spawn(&t1, plain_wait, cond);
    expect("CMP_REQUEUE_PI of a FUTEX_WAIT waiter", requeue_found(cond, mutex, 1), "EINVAL");
    while (fx(cond, FUTEX_WAKE, 1, NULL, NULL, 0) == 0) {
        sched_yield();
    }
    pthread_join(t1, NULL);

    /* A WAIT_REQUEUE_PI waiter refuses the plain operations and a requeue to another futex. */
    struct rq_waiter w;
    start_rq(&w, cond, mutex, 0, 0);
    long r;
    while ((r = fx(cond, FUTEX_WAKE, 1, NULL, NULL, 0)) == 0) {
        sched_yield();
    }
    expect("FUTEX_WAKE of a WAIT_REQUEUE_PI waiter", r, "EINVAL");
    expect("FUTEX_CMP_REQUEUE of a WAIT_REQUEUE_PI waiter", fx(cond, FUTEX_CMP_REQUEUE, 0, (void *) 1, mutex, 5),
           "EINVAL");
    expect("CMP_REQUEUE_PI to another futex than the waiter's",
           fx(cond, FUTEX_CMP_REQUEUE_PI, 1, (void *) 1, other, 5), "EINVAL");
    r = fx(cond, FUTEX_CMP_REQUEUE_PI, 1, (void *) 0, mutex, 5);
    pthread_join(w.thread, NULL);
    check("CMP_REQUEUE_PI to a free PI futex takes it for the waiter, which returns owning it",
          r == 1 && w.r == 0 && w.owned, "requeue %ld wait %ld owned %d", r, w.r, w.owned);
    check("the waiter's UNLOCK_PI leaves 0", load(mutex) == 0, "word %#x", load(mutex));

    /* The waiter owns the PI futex it would be requeued to: EDEADLK, and it waits on until its timeout. */
    start_rq(&w, cond, mutex, 200, 1);
    expect("CMP_REQUEUE_PI to a PI futex the waiter owns", requeue_found(cond, mutex, 1), "EDEADLK");
    pthread_join(w.thread, NULL);
    expect("the waiter left on the condition", w.r, "ETIMEDOUT");
    *mutex = 0;
}

/* Signal with the mutex held: the waiter is requeued to it and gets it at the unlock. */
static void requeue_signal(uint32_t *cond, uint32_t *mutex) {
    pid_t me = gettid_();
    *cond = 0;
    *mutex = 0;
    fx(mutex, FUTEX_LOCK_PI, 0, NULL, NULL, 0);
    struct rq_waiter w;
    start_rq(&w, cond, mutex, 0, 0);
    long r = requeue_found(cond, mutex, 0);
    uint32_t word = load(mutex);
    check("CMP_REQUEUE_PI with the mutex held moves the waiter to it (returns 1, sets FUTEX_WAITERS)",
          r == 1 && word == (FUTEX_WAITERS | me), "requeue %ld word %#x", r, word);
    r = fx(mutex, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0);
    pthread_join(w.thread, NULL);
    check("the unlock hands the mutex to the requeued waiter", r == 0 && w.r == 0 && w.owned,
          "unlock %ld wait %ld owned %d", r, w.r, w.owned);
    check("whose unlock leaves 0", load(mutex) == 0, "word %#x", load(mutex));
}

/* Broadcast to three waiters with the mutex held: all three are requeued and each gets the mutex in turn. */
static void requeue_broadcast(uint32_t *cond, uint32_t *mutex) {
    enum { N = 3 };
    struct rq_waiter w[N];
    int counter = 0;
    *cond = 0;
    *mutex = 0;
    fx(mutex, FUTEX_LOCK_PI, 0, NULL, NULL, 0);
    for (int i = 0; i < N; i++) {
        start_rq(&w[i], cond, mutex, 0, 0);
        w[i].counter = &counter;
    }
    long moved = 0;
    while (moved < N) {
        long r = fx(cond, FUTEX_CMP_REQUEUE_PI, 1, (void *) INT_MAX, mutex, load(cond));
        if (r < 0) {
            printf("broadcast CMP_REQUEUE_PI: %ld\n", r);
            break;
        }
        moved += r;
        sched_yield();
    }
    long r = fx(mutex, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0);
    int all = 1;
    for (int i = 0; i < N; i++) {
        pthread_join(w[i].thread, NULL);
        all &= w[i].r == 0 && w[i].owned;
    }
    check("CMP_REQUEUE_PI broadcast moves 3 waiters, each returns owning the mutex",
          moved == N && r == 0 && all && counter == N && load(mutex) == 0, "moved %ld unlock %ld all %d counter %d word %#x",
          moved, r, all, counter, load(mutex));
}

static void raw_checks(uint32_t *words) {
    own_lock(&words[0]);
    others_lock(&words[0]);
    handoff(&words[0]);
    owner_dies(&words[0]);
    deadlock(&words[0], &words[1]);
    requeue_errors(&words[2], &words[3], &words[4]);
    requeue_signal(&words[2], &words[3]);
    requeue_broadcast(&words[2], &words[3]);
}

/* ---- between processes: a PI futex in a MAP_SHARED page, owned by a child process */

#include <sys/wait.h>

static void between_processes(uint32_t *w) {
    private_flag = 0;
    *w = 0;
    uint32_t *child_tid = w + 1, *go = w + 2;
    *child_tid = *go = 0;
    pid_t child = fork();
    if (child == 0) {
        fx(w, FUTEX_LOCK_PI, 0, NULL, NULL, 0);
        __atomic_store_n(child_tid, (uint32_t) gettid_(), __ATOMIC_SEQ_CST);
        await_waiters(w); /* the parent waits for it */
        fx(w, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0);
        while (!__atomic_load_n(go, __ATOMIC_SEQ_CST)) {
            sched_yield();
        }
        fx(w, FUTEX_LOCK_PI, 0, NULL, NULL, 0); /* and dies holding it while the parent waits */
        __atomic_store_n(child_tid, 0, __ATOMIC_SEQ_CST);
        await_waiters(w);
        _exit(0);
    }
    while (!__atomic_load_n(child_tid, __ATOMIC_SEQ_CST)) {
        sched_yield();
    }
    pid_t me = gettid_();
    long r = fx(w, FUTEX_LOCK_PI, 0, NULL, NULL, 0);
    check("another process's UNLOCK_PI hands a shared PI futex over",
          r == 0 && load(w) == (FUTEX_WAITERS | me), "r %ld word %#x", r, load(w));
    fx(w, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0);
    __atomic_store_n(go, 1, __ATOMIC_SEQ_CST);
    while (__atomic_load_n(child_tid, __ATOMIC_SEQ_CST)) {
        sched_yield();
    }
    r = fx(w, FUTEX_LOCK_PI, 0, NULL, NULL, 0);
    int status;
    waitpid(child, &status, 0);
    check("the owner process exits while this one waits: it gets the lock with FUTEX_OWNER_DIED",
          r == 0 && load(w) == (FUTEX_WAITERS | FUTEX_OWNER_DIED | me), "r %ld word %#x", r, load(w));
    fx(w, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0);
}

/* ---- the C library's PTHREAD_PRIO_INHERIT mutexes (pthread_mutexattr_setprotocol(3)) */

static void pi_mutex_init(pthread_mutex_t *m, int type, int robust) {
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, type);
    int e = pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
    if (e != 0) {
        printf("pthread_mutexattr_setprotocol(PTHREAD_PRIO_INHERIT): %s\n", errname(e));
        exit(1);
    }
    if (robust) {
        pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    }
    pthread_mutex_init(m, &a);
    pthread_mutexattr_destroy(&a);
}

static pthread_mutex_t pm;
static int pm_locked, pm_release, pm_trylock;

static void *pm_hold(void *arg) {
    (void) arg;
    pthread_mutex_lock(&pm);
    set_flag(&pm_locked);
    await_flag(&pm_release);
    pthread_mutex_unlock(&pm);
    return NULL;
}

static void *pm_try(void *arg) {
    (void) arg;
    pm_trylock = pthread_mutex_trylock(&pm);
    return NULL;
}

static void pi_mutex_basics(void) {
    pi_mutex_init(&pm, PTHREAD_MUTEX_ERRORCHECK, 0);
    int a = pthread_mutex_lock(&pm);
    int b = pthread_mutex_lock(&pm);
    pthread_t t;
    spawn(&t, pm_try, NULL);
    pthread_join(t, NULL);
    int c = pthread_mutex_unlock(&pm);
    check("errorcheck PI mutex: lock, relock EDEADLK, trylock elsewhere EBUSY, unlock",
          a == 0 && b == EDEADLK && pm_trylock == EBUSY && c == 0, "%s %s %s %s", errname(a), errname(b),
          errname(pm_trylock), errname(c));
    pthread_mutex_destroy(&pm);

    pi_mutex_init(&pm, PTHREAD_MUTEX_RECURSIVE, 0);
    a = pthread_mutex_lock(&pm);
    b = pthread_mutex_lock(&pm);
    c = pthread_mutex_unlock(&pm);
    int d = pthread_mutex_unlock(&pm);
    int e = pthread_mutex_unlock(&pm);
    check("recursive PI mutex: twice locked, twice unlocked, then EPERM", a == 0 && b == 0 && c == 0 && d == 0 && e == EPERM,
          "%s %s %s %s %s", errname(a), errname(b), errname(c), errname(d), errname(e));
    pthread_mutex_destroy(&pm);

    pi_mutex_init(&pm, PTHREAD_MUTEX_NORMAL, 0);
    pm_locked = pm_release = 0;
    spawn(&t, pm_hold, NULL);
    await_flag(&pm_locked);
    struct timespec dl = deadline(CLOCK_REALTIME, 30);
    a = pthread_mutex_timedlock(&pm, &dl);
    set_flag(&pm_release);
    b = pthread_mutex_lock(&pm); /* waits for the holder's unlock */
    pthread_join(t, NULL);
    c = pthread_mutex_unlock(&pm);
    check("PI mutex: timedlock on a held one times out, lock waits for the unlock", a == ETIMEDOUT && b == 0 && c == 0,
          "%s %s %s", errname(a), errname(b), errname(c));
    pthread_mutex_destroy(&pm);
}

static pthread_mutex_t counted;
static long count;

static void *increment(void *arg) {
    (void) arg;
    for (int i = 0; i < 2000; i++) {
        pthread_mutex_lock(&counted);
        count++;
        if (i % 100 == 0) {
            sched_yield(); /* let the others find it held */
        }
        pthread_mutex_unlock(&counted);
    }
    return NULL;
}

static pthread_mutex_t qm;
static pthread_cond_t qc = PTHREAD_COND_INITIALIZER;
static int queue_len, produced, consumed;

static void *consume(void *arg) {
    (void) arg;
    pthread_mutex_lock(&qm);
    while (consumed < 200) {
        while (queue_len == 0 && consumed < 200) {
            pthread_cond_wait(&qc, &qm);
        }
        if (queue_len > 0) {
            queue_len--;
            consumed++;
            pthread_cond_broadcast(&qc);
        }
    }
    pthread_mutex_unlock(&qm);
    return NULL;
}

static void pi_mutex_contended(void) {
    pi_mutex_init(&counted, PTHREAD_MUTEX_NORMAL, 0);
    run_threads(4, increment);
    check("4 threads x 2000 increments under a PI mutex", count == 8000, "count %ld", count);

    pi_mutex_init(&qm, PTHREAD_MUTEX_NORMAL, 0);
    pthread_t c[2];
    spawn(&c[0], consume, NULL);
    spawn(&c[1], consume, NULL);
    pthread_mutex_lock(&qm);
    while (produced < 200) {
        while (queue_len >= 4) {
            pthread_cond_wait(&qc, &qm);
        }
        queue_len++;
        produced++;
        pthread_cond_broadcast(&qc);
    }
    pthread_mutex_unlock(&qm);
    pthread_join(c[0], NULL);
    pthread_join(c[1], NULL);
    check("pthread_cond_wait on a PI mutex: 200 items through a queue of 4", produced == 200 && consumed == 200 && queue_len == 0,
          "produced %d consumed %d left %d", produced, consumed, queue_len);
}

static pthread_mutex_t rm;
static int rm_locked;

static void *rm_die(void *arg) {
    int wait_for_waiter = (int) (intptr_t) arg;
    pthread_mutex_lock(&rm);
    set_flag(&rm_locked);
    if (wait_for_waiter) {
        usleep(50000); /* the waiter may be blocked by now, or not: EOWNERDEAD either way */
    }
    return NULL; /* exits holding it */
}

static void robust_pi(int wait_for_waiter, const char *name) {
    pi_mutex_init(&rm, PTHREAD_MUTEX_NORMAL, 1);
    rm_locked = 0;
    pthread_t t;
    spawn(&t, rm_die, (void *) (intptr_t) wait_for_waiter);
    await_flag(&rm_locked);
    int a = pthread_mutex_lock(&rm);
    pthread_join(t, NULL);
    int b = pthread_mutex_consistent(&rm);
    int c = pthread_mutex_unlock(&rm);
    int d = pthread_mutex_lock(&rm);
    int e = pthread_mutex_unlock(&rm);
    check(name, a == EOWNERDEAD && b == 0 && c == 0 && d == 0 && e == 0, "%s %s %s %s %s", errname(a), errname(b),
          errname(c), errname(d), errname(e));
    pthread_mutex_destroy(&rm);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    static uint32_t private_words[8] __attribute__((aligned(64)));
    uint32_t *shared_words = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared_words == MAP_FAILED) {
        printf("mmap: %s\n", strerror(errno));
        return 1;
    }
    private_flag = FUTEX_PRIVATE_FLAG;
    variant = "private";
    raw_checks(private_words);
    private_flag = 0;
    variant = "shared";
    raw_checks(shared_words);
    variant = NULL;
    between_processes(shared_words + 16);
    pi_mutex_basics();
    pi_mutex_contended();
    robust_pi(0, "robust PI mutex whose owner exited: EOWNERDEAD, consistent, usable again");
    robust_pi(1, "robust PI mutex whose owner exits while a thread waits: EOWNERDEAD");
    return failed;
}
