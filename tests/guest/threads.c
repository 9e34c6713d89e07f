/*
 * POSIX threads on top of clone(2) and futex(2): create, join, detach and pthread_exit;
 * __thread TLS; thread-specific data with destructors; mutexes (plain, recursive, robust),
 * condition variables with and without a timeout, rwlocks, barriers, semaphores, atomics and
 * gettid. One line per check, "NAME: ok" or what was seen instead; printed by the main thread
 * only, after the joins, so the output never depends on the order the threads ran in.
 * Exit status 0 when every check held, 1 otherwise.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <semaphore.h>
#include "threadcheck.h"

/* ---- create, join, pthread_exit, detach (pthread_create(3), pthread_join(3), pthread_detach(3)) */

static void *doubled(void *arg) {
    return (void *) ((intptr_t) arg * 2);
}

static void *exits_with_42(void *arg) {
    (void) arg;
    pthread_exit((void *) 42); /* pthread_exit(3): the value join sees, from anywhere in the thread */
}

static sem_t detached_done;
static void *detached(void *arg) {
    (void) arg;
    sem_post(&detached_done);
    return NULL;
}

static void lifecycle(void) {
    pthread_t t[4];
    for (intptr_t i = 0; i < 4; i++) {
        spawn(&t[i], doubled, (void *) (i + 10));
    }
    intptr_t sum = 0;
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(t[i], &r);
        sum += (intptr_t) r;
    }
    check("create/join", sum == 2 * (10 + 11 + 12 + 13), "sum of returned values %ld", (long) sum);

    pthread_t e;
    void *r = NULL;
    spawn(&e, exits_with_42, NULL);
    pthread_join(e, &r);
    check("pthread_exit value", (intptr_t) r == 42, "join saw %ld", (long) (intptr_t) r);

    /* A detached thread cannot be joined; it reports through a semaphore. */
    sem_init(&detached_done, 0, 0);
    pthread_t d;
    spawn(&d, detached, NULL);
    int dr = pthread_detach(d);
    int sr = sem_wait(&detached_done);
    check("detach", dr == 0 && sr == 0, "pthread_detach %s, sem_wait %d", errname(dr), sr);
}

/* ---- __thread: each thread has its own copy, initialised from the TLS image (the ELF PT_TLS
 * segment: .tdata for tls_init, .tbss for tls_zero) */

static __thread int tls_init = 5;
static __thread long tls_zero;
static pthread_barrier_t tls_barrier;
static int tls_bad[4];

static void *tls_thread(void *arg) {
    int id = (int) (intptr_t) arg;
    if (tls_init != 5 || tls_zero != 0) {
        tls_bad[id] = 1;
    }
    tls_init = 100 + id;
    tls_zero = 1000 + id;
    pthread_barrier_wait(&tls_barrier); /* every thread has written its copy... */
    if (tls_init != 100 + id || tls_zero != 1000 + id) {
        tls_bad[id] = 2; /* ...and still sees its own */
    }
    return NULL;
}

static void tls(void) {
    tls_init = 7;
    pthread_barrier_init(&tls_barrier, NULL, 4);
    run_threads(4, tls_thread);
    pthread_barrier_destroy(&tls_barrier);
    int bad = tls_bad[0] | tls_bad[1] | tls_bad[2] | tls_bad[3];
    check("__thread initial values", !(bad & 1), "a thread did not start with 5 and 0");
    check("__thread private copies", !(bad & 2) && tls_init == 7, "threads saw others' copies, main has %d",
          tls_init);
}

/* ---- thread-specific data (pthread_key_create(3)): the destructor runs at each thread's exit
 * for a non-NULL value, and not for the main thread, which returns from main */

static pthread_key_t key;
static int destructor_runs;
static int key_values[4];
static int key_own[4];
static pthread_mutex_t key_lock = PTHREAD_MUTEX_INITIALIZER;

static void key_destructor(void *value) {
    pthread_mutex_lock(&key_lock);
    destructor_runs++;
    *(int *) value = -1;
    pthread_mutex_unlock(&key_lock);
}

static void *key_thread(void *arg) {
    int id = (int) (intptr_t) arg;
    key_own[id] = pthread_getspecific(key) == NULL; /* a new thread starts with NULL */
    key_values[id] = id;
    pthread_setspecific(key, &key_values[id]);
    sched_yield();
    key_own[id] &= pthread_getspecific(key) == &key_values[id];
    return NULL;
}

static void thread_specific_data(void) {
    static int main_value = 99;
    pthread_key_create(&key, key_destructor);
    pthread_setspecific(key, &main_value);
    run_threads(4, key_thread);
    int own = key_own[0] && key_own[1] && key_own[2] && key_own[3];
    check("pthread_getspecific per thread", own && pthread_getspecific(key) == &main_value,
          "a thread saw another's value");
    int cleared = key_values[0] == -1 && key_values[1] == -1 && key_values[2] == -1 && key_values[3] == -1;
    check("key destructors", destructor_runs == 4 && cleared && main_value == 99,
          "ran %d times, main's value %d", destructor_runs, main_value);
}

/* ---- mutexes (pthread_mutex_lock(3), pthread_mutexattr_settype(3)) */

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *locked_increments(void *arg) {
    (void) arg;
    for (int i = 0; i < 10000; i++) {
        pthread_mutex_lock(&counter_lock);
        long c = counter; /* a read-modify-write that loses updates without the lock */
        if (i % 1000 == 0) {
            sched_yield(); /* let others contend while it is held */
        }
        counter = c + 1;
        pthread_mutex_unlock(&counter_lock);
    }
    return NULL;
}

static pthread_mutex_t recursive;
static int trylock_result;

static void *try_recursive(void *arg) {
    (void) arg;
    trylock_result = pthread_mutex_trylock(&recursive);
    if (trylock_result == 0) {
        pthread_mutex_unlock(&recursive);
    }
    return NULL;
}

static int trylock_from_another_thread(void) {
    pthread_t t;
    spawn(&t, try_recursive, NULL);
    pthread_join(t, NULL);
    return trylock_result;
}

static void mutexes(void) {
    run_threads(8, locked_increments);
    check("mutex", counter == 80000, "counter %ld, expected 80000", counter);

    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&recursive, &a);
    int l1 = pthread_mutex_lock(&recursive);
    int l2 = pthread_mutex_lock(&recursive); /* the owner may lock it again */
    int held = trylock_from_another_thread();
    int u1 = pthread_mutex_unlock(&recursive);
    int held_once = trylock_from_another_thread(); /* still locked once */
    int u2 = pthread_mutex_unlock(&recursive);
    int released = trylock_from_another_thread();
    check("recursive mutex",
          l1 == 0 && l2 == 0 && held == EBUSY && u1 == 0 && held_once == EBUSY && u2 == 0 && released == 0,
          "lock %s %s, other thread's trylock %s, unlock %s, trylock %s, unlock %s, trylock %s", errname(l1),
          errname(l2), errname(held), errname(u1), errname(held_once), errname(u2), errname(released));
}

/* ---- condition variables (pthread_cond_wait(3), pthread_cond_timedwait(3)) */

static pthread_mutex_t cv_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int ready, seen, timed_result;

static void *cond_waiter(void *arg) {
    (void) arg;
    pthread_mutex_lock(&cv_lock);
    while (!ready) {
        pthread_cond_wait(&cv, &cv_lock);
    }
    seen = ready;
    pthread_mutex_unlock(&cv_lock);
    return NULL;
}

/* Waits up to 60 s: the signal comes long before, so the wait returns 0. */
static void *cond_timed_waiter(void *arg) {
    (void) arg;
    struct timespec until = deadline(CLOCK_REALTIME, 60000);
    pthread_mutex_lock(&cv_lock);
    timed_result = 0;
    while (!ready && timed_result == 0) {
        timed_result = pthread_cond_timedwait(&cv, &cv_lock, &until);
    }
    seen = ready;
    pthread_mutex_unlock(&cv_lock);
    return NULL;
}

static void set_ready_and_signal(void) {
    pthread_mutex_lock(&cv_lock);
    ready = 1;
    pthread_cond_signal(&cv);
    pthread_mutex_unlock(&cv_lock);
}

static void condvars(void) {
    pthread_t t;
    ready = seen = 0;
    spawn(&t, cond_waiter, NULL);
    sched_yield(); /* give it a chance to block first; correct either way */
    set_ready_and_signal();
    pthread_join(t, NULL);
    check("condvar", seen == 1, "waiter saw ready=%d", seen);

    /* Nobody signals: the wait ends at the deadline with ETIMEDOUT, holding the mutex again. */
    struct timespec until = deadline(CLOCK_REALTIME, 50);
    pthread_mutex_lock(&cv_lock);
    int r = pthread_cond_timedwait(&cv, &cv_lock, &until);
    int relock = pthread_mutex_trylock(&cv_lock); /* EBUSY (or EDEADLK): we hold it */
    pthread_mutex_unlock(&cv_lock);
    check("condvar timeout expires", r == ETIMEDOUT && relock != 0, "pthread_cond_timedwait %s, trylock %s",
          errname(r), errname(relock));

    ready = seen = 0;
    spawn(&t, cond_timed_waiter, NULL);
    sched_yield();
    set_ready_and_signal();
    pthread_join(t, NULL);
    check("condvar signalled before its timeout", timed_result == 0 && seen == 1,
          "pthread_cond_timedwait %s, saw ready=%d", errname(timed_result), seen);
}

/* ---- rwlock (pthread_rwlock_rdlock(3)): readers share it, a writer has it alone. Another
 * thread holds it while this one tries: a try from the holder itself may be EDEADLK. */

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static sem_t rw_held, rw_release;

static void *rw_holder(void *write) {
    if (write) {
        pthread_rwlock_wrlock(&rw);
    } else {
        pthread_rwlock_rdlock(&rw);
    }
    sem_post(&rw_held);
    sem_wait(&rw_release);
    pthread_rwlock_unlock(&rw);
    return NULL;
}

static void rwlocks(void) {
    sem_init(&rw_held, 0, 0);
    sem_init(&rw_release, 0, 0);
    pthread_t t;
    spawn(&t, rw_holder, NULL);
    sem_wait(&rw_held);
    int rd = pthread_rwlock_tryrdlock(&rw); /* a second reader while the first holds it */
    if (rd == 0) {
        pthread_rwlock_unlock(&rw);
    }
    int wr = pthread_rwlock_trywrlock(&rw);
    sem_post(&rw_release);
    pthread_join(t, NULL);
    check("rwlock readers share", rd == 0 && wr == EBUSY, "second reader %s, writer %s", errname(rd), errname(wr));

    spawn(&t, rw_holder, (void *) 1);
    sem_wait(&rw_held);
    rd = pthread_rwlock_tryrdlock(&rw);
    wr = pthread_rwlock_trywrlock(&rw);
    sem_post(&rw_release);
    pthread_join(t, NULL);
    int after = pthread_rwlock_trywrlock(&rw);
    pthread_rwlock_unlock(&rw);
    check("rwlock writer exclusive", rd == EBUSY && wr == EBUSY && after == 0,
          "reader %s, writer %s, after release %s", errname(rd), errname(wr), errname(after));
}

/* ---- barrier (pthread_barrier_wait(3)): nobody passes before all arrive; one of them gets
 * PTHREAD_BARRIER_SERIAL_THREAD */

static pthread_barrier_t barrier;
static int arrived[6], saw_all[6], serial[6];

static void *barrier_thread(void *arg) {
    int id = (int) (intptr_t) arg;
    __atomic_store_n(&arrived[id], 1, __ATOMIC_SEQ_CST);
    serial[id] = pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD;
    int all = 1;
    for (int i = 0; i < 6; i++) {
        all &= __atomic_load_n(&arrived[i], __ATOMIC_SEQ_CST);
    }
    saw_all[id] = all;
    return NULL;
}

static void barriers(void) {
    pthread_barrier_init(&barrier, NULL, 6);
    run_threads(6, barrier_thread);
    int all = 1, serials = 0;
    for (int i = 0; i < 6; i++) {
        all &= saw_all[i];
        serials += serial[i];
    }
    pthread_barrier_destroy(&barrier);
    check("barrier", all && serials == 1, "every thread saw all arrivals %d, serial threads %d", all, serials);
}

/* ---- POSIX semaphores (sem_wait(3), sem_post(3), sem_overview(7)) */

static sem_t sem, sem_woken;
static int sem_waiter_result = -1;

static void *sem_waiter(void *arg) {
    (void) arg;
    sem_post(&sem_woken);
    sem_waiter_result = sem_wait(&sem); /* blocks until main posts */
    return NULL;
}

static void semaphores(void) {
    sem_init(&sem, 0, 0);
    sem_init(&sem_woken, 0, 0);
    int tr = sem_trywait(&sem);
    int tr_errno = errno;
    check("sem_trywait on 0", tr == -1 && tr_errno == EAGAIN, "%d %s", tr, errname(tr_errno));

    struct timespec until = deadline(CLOCK_REALTIME, 50);
    int tw = sem_timedwait(&sem, &until);
    int tw_errno = errno;
    check("sem_timedwait times out", tw == -1 && tw_errno == ETIMEDOUT, "%d %s", tw, errname(tw_errno));

    pthread_t t;
    spawn(&t, sem_waiter, NULL);
    sem_wait(&sem_woken);
    sem_post(&sem);
    pthread_join(t, NULL);
    int value = -1;
    sem_getvalue(&sem, &value);
    check("sem_post wakes sem_wait", sem_waiter_result == 0 && value == 0, "sem_wait %d, value after %d",
          sem_waiter_result, value);

    sem_post(&sem);
    sem_post(&sem);
    int w1 = sem_wait(&sem);
    until = deadline(CLOCK_REALTIME, 50);
    int w2 = sem_timedwait(&sem, &until);
    int w3 = sem_trywait(&sem);
    check("sem counts", w1 == 0 && w2 == 0 && w3 == -1 && errno == EAGAIN, "waits %d %d %d", w1, w2, w3);
}

/* ---- 64 threads, 10,000 atomic increments each (gcc's __atomic builtins: lock xadd, ldadd or
 * ldaxr/stlxr, amoadd.w): no update may be lost */

static long atomic_counter;

static void *atomic_increments(void *arg) {
    (void) arg;
    for (int i = 0; i < 10000; i++) {
        __atomic_fetch_add(&atomic_counter, 1, __ATOMIC_SEQ_CST);
    }
    return NULL;
}

static void atomics(void) {
    run_threads(64, atomic_increments);
    check("64 threads x 10000 atomic increments", atomic_counter == 640000, "counter %ld", atomic_counter);
}

/* ---- robust mutex (pthread_mutexattr_setrobust(3)): its owner died holding it, so the next
 * locker gets EOWNERDEAD and the lock; after pthread_mutex_consistent(3) it is usable again.
 * glibc leaves that to the kernel, which walks the dead thread's robust list (set_robust_list(2))
 * and marks the word FUTEX_OWNER_DIED; musl's pthread_exit walks the list itself first. */

static pthread_mutex_t robust;

static void *lock_and_die(void *arg) {
    (void) arg;
    pthread_mutex_lock(&robust);
    return NULL; /* exits holding it */
}

static void robust_mutex(void) {
    /* Linux checks the length first (EINVAL) and changes nothing; a kernel without robust lists
     * says ENOSYS (qemu-user does), and then the owner's death would go unnoticed and the lock
     * below would never return. */
    long probe = syscall(SYS_set_robust_list, NULL, 0);
    if (probe == -1 && errno == ENOSYS) {
        check("robust mutex owner died", 0, "set_robust_list ENOSYS, not tried");
        return;
    }
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    int i = pthread_mutex_init(&robust, &a);
    pthread_t t;
    spawn(&t, lock_and_die, NULL);
    pthread_join(t, NULL);
    int l = pthread_mutex_lock(&robust);
    int c = pthread_mutex_consistent(&robust);
    int u = pthread_mutex_unlock(&robust);
    int again = pthread_mutex_lock(&robust);
    int u2 = pthread_mutex_unlock(&robust);
    check("robust mutex owner died", i == 0 && l == EOWNERDEAD && c == 0 && u == 0 && again == 0 && u2 == 0,
          "init %s, lock %s, consistent %s, unlock %s, lock %s, unlock %s", errname(i), errname(l), errname(c),
          errname(u), errname(again), errname(u2));
}

/* ---- gettid(2): the main thread's tid is the pid; every other thread has its own */

static pid_t tids[4];
static pthread_barrier_t tid_barrier;

static void *record_tid(void *arg) {
    tids[(intptr_t) arg] = gettid_();
    pthread_barrier_wait(&tid_barrier); /* all alive at once, so no tid can be reused */
    return NULL;
}

static void tids_differ(void) {
    check("gettid in main equals getpid", gettid_() == getpid(), "they differ");
    pthread_barrier_init(&tid_barrier, NULL, 4);
    run_threads(4, record_tid);
    pthread_barrier_destroy(&tid_barrier);
    int distinct = 1;
    for (int i = 0; i < 4; i++) {
        distinct &= tids[i] > 0 && tids[i] != getpid();
        for (int j = 0; j < i; j++) {
            distinct &= tids[i] != tids[j];
        }
    }
    check("gettid differs per thread", distinct, "two threads share a tid or one has the pid");
}

int main(void) {
    lifecycle();
    tls();
    thread_specific_data();
    mutexes();
    condvars();
    rwlocks();
    barriers();
    semaphores();
    atomics();
    robust_mutex();
    tids_differ();
    return failed;
}
