/*
 * POSIX timers and interval timers as Linux (6.13 and later) answers them: timer_create's ids
 * and errors, SIGEV_SIGNAL, SIGEV_THREAD_ID, SIGEV_NONE and libc's SIGEV_THREAD, relative and
 * absolute expiries, intervals and overruns (a pending timer signal is not queued twice, and a
 * periodic timer waits for it to be taken), stale signals dropped after a re-arm, CPU-time
 * timers that fire only as their thread or process uses CPU, timers gone at exec and not
 * inherited by fork, RLIMIT_SIGPENDING, and setitimer's three timers. The timer syscalls are
 * made raw, so that libc's wrappers (which differ) do not hide the kernel's answers. Times are
 * a few ms; only relations are printed.
 */
#define _GNU_SOURCE
#include "ttycheck.h"
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

#define MS 1000000L

/* The kernel's struct sigevent: libc's names for its thread id field differ. */
struct ksigevent {
    long value;
    int signo;
    int notify;
    int tid;
    int pad[11];
};

static int tcreate(clockid_t clock, struct ksigevent *ev, int *id) {
    return syscall(SYS_timer_create, clock, ev, id) < 0 ? errno : 0;
}

static int tset(int id, int flags, long value_ns, long interval_ns, struct itimerspec *old) {
    struct itimerspec its = {{interval_ns / 1000000000L, interval_ns % 1000000000L},
                             {value_ns / 1000000000L, value_ns % 1000000000L}};
    return syscall(SYS_timer_settime, id, flags, &its, old) < 0 ? errno : 0;
}

static long tleft(int id, long *interval) {
    struct itimerspec its;
    if (syscall(SYS_timer_gettime, id, &its) < 0) {
        return -errno;
    }
    if (interval) {
        *interval = its.it_interval.tv_sec * 1000000000L + its.it_interval.tv_nsec;
    }
    return its.it_value.tv_sec * 1000000000L + its.it_value.tv_nsec;
}

static int tdelete(int id) {
    return syscall(SYS_timer_delete, id) < 0 ? errno : 0;
}

static struct ksigevent sev(int notify, int signo, long value) {
    struct ksigevent e;
    memset(&e, 0, sizeof e);
    e.notify = notify;
    e.signo = signo;
    e.value = value;
    return e;
}

static long now_ns(clockid_t c) {
    struct timespec ts;
    clock_gettime(c, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * MS};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

static sigset_t only(int sig) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    return s;
}

static int pending(int sig) {
    sigset_t s;
    sigpending(&s);
    return sigismember(&s, sig);
}

/* Waits (up to 5 s) until sig is pending: a timer's expiry comes a little late on a busy machine. */
static int wait_pending(int sig) {
    for (int i = 0; i < 5000 && !pending(sig); i++) {
        sleep_ms(1);
    }
    return pending(sig);
}

/* Takes a pending sig at once (0 when none is pending), its siginfo in *si. */
static int take(int sig, siginfo_t *si) {
    sigset_t s = only(sig);
    struct timespec zero = {0, 0};
    int r = sigtimedwait(&s, si, &zero);
    return r < 0 ? 0 : r;
}

static void drain(int sig) {
    siginfo_t si;
    while (take(sig, &si) != 0) {
    }
}

static const char *yes(int b) {
    return b ? "yes" : "no";
}

/* Burns CPU until the calling thread's (or, with process set, the process's) CPU clock passed ns more, or until *stop. */
static void spin_cpu(long ns, volatile int *stop, int process) {
    clockid_t c = process ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_THREAD_CPUTIME_ID;
    long end = now_ns(c) + ns;
    while ((!stop || !*stop) && now_ns(c) < end) {
    }
}

static void ids_and_errors(void) {
    int a = -1, b = -1, c = -1, d = -1;
    int r1 = tcreate(CLOCK_MONOTONIC, NULL, &a);
    int r2 = tcreate(CLOCK_MONOTONIC, NULL, &b);
    int r3 = tcreate(CLOCK_MONOTONIC, NULL, &c);
    say("three timers: %s %s %s, ids %d %d %d\n", err(r1), err(r2), err(r3), a, b, c);
    int del1 = tdelete(1);
    int del2 = tdelete(1);
    say("delete id 1: %s, again: %s\n", err(del1), err(del2));
    int r4 = tcreate(CLOCK_MONOTONIC, NULL, &d);
    say("next id after a delete: %d (%s)\n", d, err(r4));
    static const struct { clockid_t id; const char *name; } clocks[] = {
        {CLOCK_REALTIME, "CLOCK_REALTIME"}, {CLOCK_BOOTTIME, "CLOCK_BOOTTIME"}, {11, "CLOCK_TAI"},
        {CLOCK_PROCESS_CPUTIME_ID, "CLOCK_PROCESS_CPUTIME_ID"}, {CLOCK_THREAD_CPUTIME_ID, "CLOCK_THREAD_CPUTIME_ID"},
        {CLOCK_MONOTONIC_RAW, "CLOCK_MONOTONIC_RAW"}, {CLOCK_REALTIME_COARSE, "CLOCK_REALTIME_COARSE"},
        {10, "clock 10"}, {16, "clock 16"}, {-5, "a descriptor's clock"}, {-1, "a thread clock of kind 3"},
    };
    for (unsigned i = 0; i < sizeof clocks / sizeof *clocks; i++) {
        int id;
        int r = tcreate(clocks[i].id, NULL, &id);
        say("timer on %s: %s\n", clocks[i].name, err(r));
        if (r == 0) {
            tdelete(id);
        }
    }
    int id;
    say("bad timer id pointer: %s\n", err(tcreate(CLOCK_MONOTONIC, NULL, (int *) 8)));
    say("bad sigevent pointer: %s\n", err(tcreate(CLOCK_MONOTONIC, (struct ksigevent *) 8, &id)));
    struct ksigevent e = sev(99, SIGUSR1, 0);
    say("sigev_notify 99: %s\n", err(tcreate(CLOCK_MONOTONIC, &e, &id)));
    e = sev(SIGEV_SIGNAL, 0, 0);
    say("SIGEV_SIGNAL with signal 0: %s\n", err(tcreate(CLOCK_MONOTONIC, &e, &id)));
    e = sev(SIGEV_SIGNAL, 65, 0);
    say("SIGEV_SIGNAL with signal 65: %s\n", err(tcreate(CLOCK_MONOTONIC, &e, &id)));
    e = sev(SIGEV_NONE, 0, 0);
    int r = tcreate(CLOCK_MONOTONIC, &e, &id);
    say("SIGEV_NONE with signal 0: %s\n", err(r));
    if (r == 0) {
        tdelete(id);
    }
    e = sev(SIGEV_THREAD_ID, SIGUSR1, 0);
    e.tid = 1;
    say("SIGEV_THREAD_ID of another process: %s\n", err(tcreate(CLOCK_MONOTONIC, &e, &id)));
    e.tid = 0;
    say("SIGEV_THREAD_ID 0: %s\n", err(tcreate(CLOCK_MONOTONIC, &e, &id)));
    e.tid = gettid();
    r = tcreate(CLOCK_MONOTONIC, &e, &id);
    say("SIGEV_THREAD_ID of this thread: %s\n", err(r));
    if (r == 0) {
        tdelete(id);
    }
    e = sev(SIGEV_THREAD, SIGUSR1, 0); /* the kernel takes it as SIGEV_SIGNAL */
    r = tcreate(CLOCK_MONOTONIC, &e, &id);
    say("raw SIGEV_THREAD: %s\n", err(r));
    if (r == 0) {
        tdelete(id);
    }
    /* Failures after an id is taken leave it taken: the next id shows how many were. */
    r = tcreate(CLOCK_MONOTONIC, NULL, &id);
    say("next id after the failures: %d (%s)\n", id, err(r));
    tdelete(id);
    struct itimerspec its = {{0, 0}, {0, 0}};
    say("timer_settime NULL: %s\n", err(syscall(SYS_timer_settime, a, 0, NULL, NULL) < 0 ? errno : 0));
    its.it_value.tv_nsec = 1000000000;
    say("timer_settime 1e9 ns: %s\n", err(syscall(SYS_timer_settime, a, 0, &its, NULL) < 0 ? errno : 0));
    its.it_value.tv_nsec = 0;
    its.it_value.tv_sec = -1;
    say("timer_settime negative: %s\n", err(syscall(SYS_timer_settime, a, 0, &its, NULL) < 0 ? errno : 0));
    its.it_value.tv_sec = 0;
    its.it_interval.tv_nsec = -1;
    say("timer_settime negative interval: %s\n", err(syscall(SYS_timer_settime, a, 0, &its, NULL) < 0 ? errno : 0));
    say("timer_settime bad pointer: %s\n", err(syscall(SYS_timer_settime, a, 0, (void *) 8, NULL) < 0 ? errno : 0));
    say("timer_settime bad id: %s\n", err(tset(999, 0, MS, 0, NULL)));
    say("timer_gettime bad pointer: %s\n", err(syscall(SYS_timer_gettime, a, (void *) 8) < 0 ? errno : 0));
    say("timer_gettime bad id: %s, negative id: %s\n", err((int) -tleft(999, NULL)), err((int) -tleft(-1, NULL)));
    say("timer_getoverrun bad id: %s\n", err(syscall(SYS_timer_getoverrun, 999) < 0 ? errno : 0));
    say("timer_getoverrun of a fresh timer: %ld\n", syscall(SYS_timer_getoverrun, a));
    say("timer_delete bad id: %s\n", err(tdelete(999)));
    tdelete(a);
    tdelete(c);
    tdelete(d);
}

/* Whether the _ALARM clocks' timers are refused without CAP_WAKE_ALARM (EPERM; EOPNOTSUPP on a machine without a real-time clock). */
static void alarm_clocks(void) {
    int id;
    int r = tcreate(CLOCK_REALTIME_ALARM, NULL, &id);
    say("alarm clock timer as root: %s\n", yes(r == 0 || r == EOPNOTSUPP));
    if (r == 0) {
        tdelete(id);
    }
    struct { unsigned version; int pid; } hdr = {0x20080522, 0};
    struct { unsigned effective, permitted, inheritable; } data[2];
    if (syscall(SYS_capget, &hdr, data) != 0) {
        say("capget: %s\n", err(errno));
        return;
    }
    data[1].effective &= ~(1u << (35 - 32)); /* CAP_WAKE_ALARM */
    if (syscall(SYS_capset, &hdr, data) != 0) {
        say("capset: %s\n", err(errno));
        return;
    }
    r = tcreate(CLOCK_BOOTTIME_ALARM, NULL, &id);
    say("alarm clock timer without CAP_WAKE_ALARM refused: %s\n", yes(r == EPERM || r == EOPNOTSUPP));
    data[1].effective |= 1u << (35 - 32);
    syscall(SYS_capset, &hdr, data);
}

static void signals(void) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    sigaddset(&s, SIGALRM);
    sigaddset(&s, SIGRTMIN);
    sigprocmask(SIG_BLOCK, &s, NULL);
    int id;
    struct ksigevent e = sev(SIGEV_SIGNAL, SIGUSR1, 42);
    tcreate(CLOCK_MONOTONIC, &e, &id);
    tset(id, 0, 200 * MS, 0, NULL);
    long interval;
    long left = tleft(id, &interval);
    say("armed: time left in (0, 200 ms]: %s, interval %ld\n", yes(left > 0 && left <= 200 * MS), interval);
    long before = now_ns(CLOCK_MONOTONIC);
    tset(id, 0, 2 * MS, 0, NULL);
    siginfo_t si;
    sigset_t u = only(SIGUSR1);
    int sig = sigwaitinfo(&u, &si);
    long waited = now_ns(CLOCK_MONOTONIC) - before;
    say("one-shot: signal %d, SI_TIMER %s, timer id %s, value %d, overrun %d, after >= 2 ms %s\n", sig,
        yes(si.si_code == SI_TIMER), yes(si.si_timerid == id), si.si_value.sival_int, si.si_overrun,
        yes(waited >= 2 * MS));
    left = tleft(id, &interval);
    say("after it fired: left %ld interval %ld, overrun %ld\n", left, interval, syscall(SYS_timer_getoverrun, id));
    tset(id, 0, 100 * MS, 5 * MS, NULL);
    struct itimerspec old;
    tset(id, 0, 0, 0, &old);
    say("re-armed then disarmed: old left in (0, 100 ms] %s, old interval %ld ms, now left %ld\n",
        yes(old.it_value.tv_sec == 0 && old.it_value.tv_nsec > 0 && old.it_value.tv_nsec <= 100 * MS),
        old.it_interval.tv_nsec / MS, tleft(id, NULL));
    tdelete(id);

    /* No sigevent: SIGALRM, with the timer's id as its value. */
    tcreate(CLOCK_MONOTONIC, NULL, &id);
    tset(id, 0, MS, 0, NULL);
    u = only(SIGALRM);
    sig = sigwaitinfo(&u, &si);
    say("default sigevent: SIGALRM %s, value is the id %s\n", yes(sig == SIGALRM), yes(si.si_value.sival_int == id));
    tdelete(id);

    /* Absolute expiries: the realtime clock's, soon; the monotonic clock's, already past. */
    e = sev(SIGEV_SIGNAL, SIGUSR1, 7);
    tcreate(CLOCK_REALTIME, &e, &id);
    tset(id, TIMER_ABSTIME, now_ns(CLOCK_REALTIME) + 3 * MS, 0, NULL);
    u = only(SIGUSR1);
    sig = sigwaitinfo(&u, &si);
    say("absolute realtime expiry: signal %s value %d\n", yes(sig == SIGUSR1), si.si_value.sival_int);
    tdelete(id);
    tcreate(CLOCK_MONOTONIC, &e, &id);
    tset(id, TIMER_ABSTIME, now_ns(CLOCK_MONOTONIC) - MS, 0, NULL);
    say("absolute expiry already past: pending at once %s\n", yes(pending(SIGUSR1)));
    drain(SIGUSR1);
    tdelete(id);

    /* A periodic timer while its signal is blocked: queued once, the rest counted as overrun. */
    e = sev(SIGEV_SIGNAL, SIGRTMIN, 5);
    tcreate(CLOCK_MONOTONIC, &e, &id);
    tset(id, 0, MS, MS, NULL);
    sleep_ms(20);
    wait_pending(SIGRTMIN);
    left = tleft(id, &interval);
    say("periodic with its signal pending: left in (0, 1 ms] %s, interval %ld\n", yes(left > 0 && left <= MS), interval);
    say("timer_getoverrun before the signal is taken: %ld\n", syscall(SYS_timer_getoverrun, id));
    int taken;
    union sigval v = {.sival_int = 8};
    sigqueue(getpid(), SIGRTMIN, v);
    sig = take(SIGRTMIN, &si);
    int overrun = si.si_overrun;
    say("first taken: SI_TIMER %s, overrun >= 5 %s, timer_getoverrun matches %s\n", yes(si.si_code == SI_TIMER),
        yes(overrun >= 5), yes(syscall(SYS_timer_getoverrun, id) == overrun));
    sig = take(SIGRTMIN, &si);
    say("then the sigqueue'd one: SI_QUEUE %s value %d\n", yes(si.si_code == SI_QUEUE), si.si_value.sival_int);
    tset(id, 0, 0, 0, NULL);
    drain(SIGRTMIN);
    taken = take(SIGRTMIN, &si) != 0;
    say("after a disarm nothing is left: %s, overrun reset to %ld\n", yes(!taken), syscall(SYS_timer_getoverrun, id));

    /* A signal queued before timer_settime is stale: it is dropped when taken. */
    tset(id, 0, MS, 0, NULL);
    int was = wait_pending(SIGRTMIN);
    tset(id, 0, 10000 * MS, 0, NULL);
    int still = pending(SIGRTMIN);
    taken = take(SIGRTMIN, &si) != 0;
    say("signal of the previous setting: pending %s, taken %s\n", yes(was && still), yes(taken));
    tset(id, 0, MS, 0, NULL);
    wait_pending(SIGRTMIN);
    tdelete(id);
    still = pending(SIGRTMIN);
    taken = take(SIGRTMIN, &si) != 0;
    say("signal of a deleted timer: pending %s, taken %s\n", yes(still), yes(taken));
    sigprocmask(SIG_UNBLOCK, &s, NULL);
}

static void sigev_none(void) {
    int id;
    struct ksigevent e = sev(SIGEV_NONE, 0, 0);
    tcreate(CLOCK_MONOTONIC, &e, &id);
    tset(id, 0, 200 * MS, 0, NULL);
    long left = tleft(id, NULL);
    say("SIGEV_NONE: left in (0, 200 ms] %s\n", yes(left > 0 && left <= 200 * MS));
    tset(id, 0, 3 * MS, 0, NULL);
    sleep_ms(8);
    say("SIGEV_NONE expired: left %ld\n", tleft(id, NULL));
    tset(id, 0, 2 * MS, 2 * MS, NULL);
    sleep_ms(5);
    long interval;
    left = tleft(id, &interval);
    say("SIGEV_NONE periodic: left in (0, 2 ms] %s, interval %ld, overrun %ld, nothing pending %s\n",
        yes(left > 0 && left <= 2 * MS), interval, syscall(SYS_timer_getoverrun, id),
        yes(!pending(SIGALRM) && !pending(SIGUSR1)));
    tdelete(id);
}

static volatile pid_t target_tid;
static volatile int target_got, target_code, target_ready;

static void *target_thread(void *arg) {
    (void) arg;
    target_tid = gettid();
    target_ready = 1;
    sigset_t u = only(SIGUSR2);
    siginfo_t si;
    target_got = sigwaitinfo(&u, &si);
    target_code = si.si_code;
    return NULL;
}

static void thread_id(void) {
    sigset_t u = only(SIGUSR2);
    sigprocmask(SIG_BLOCK, &u, NULL);
    pthread_t th;
    pthread_create(&th, NULL, target_thread, NULL);
    while (!target_ready) {
        sched_yield();
    }
    int id;
    struct ksigevent e = sev(SIGEV_THREAD_ID, SIGUSR2, 3);
    e.tid = target_tid;
    tcreate(CLOCK_MONOTONIC, &e, &id);
    tset(id, 0, 2 * MS, 0, NULL);
    pthread_join(th, NULL);
    say("SIGEV_THREAD_ID: taken by the target thread %s, SI_TIMER %s, not pending for this one %s\n",
        yes(target_got == SIGUSR2), yes(target_code == SI_TIMER), yes(!pending(SIGUSR2)));
    tset(id, 0, MS, 0, NULL);
    sleep_ms(3);
    say("SIGEV_THREAD_ID timer of an exited thread sends nothing: %s\n", yes(!pending(SIGUSR2)));
    tdelete(id);
    sigprocmask(SIG_UNBLOCK, &u, NULL);
}

static sem_t notified;
static volatile int notify_value, notifications;

static void on_notify(union sigval v) {
    notify_value = v.sival_int;
    notifications++;
    sem_post(&notified);
}

/* SIGEV_THREAD through libc (glibc and musl build it on SIGEV_THREAD_ID and a helper thread). */
static void sigev_thread(void) {
    sem_init(&notified, 0, 0);
    struct sigevent e;
    memset(&e, 0, sizeof e);
    e.sigev_notify = SIGEV_THREAD;
    e.sigev_notify_function = on_notify;
    e.sigev_value.sival_int = 77;
    timer_t t;
    if (timer_create(CLOCK_MONOTONIC, &e, &t) != 0) {
        say("SIGEV_THREAD timer_create: %s\n", err(errno));
        return;
    }
    struct itimerspec its = {{0, 2 * MS}, {0, 2 * MS}};
    timer_settime(t, 0, &its, NULL);
    for (int i = 0; i < 3; i++) {
        sem_wait(&notified);
    }
    struct itimerspec zero = {{0, 0}, {0, 0}};
    timer_settime(t, 0, &zero, NULL);
    timer_delete(t);
    say("SIGEV_THREAD: 3 notifications with value %d\n", notify_value);
}

static volatile int spinner_stop;
static volatile int spinner_ready;

static void *spinner(void *arg) {
    (void) arg;
    spinner_ready = 1;
    spin_cpu(5000 * MS, &spinner_stop, 0);
    return NULL;
}

static void cpu_timers(void) {
    sigset_t u = only(SIGUSR1);
    sigprocmask(SIG_BLOCK, &u, NULL);
    int id;
    struct ksigevent e = sev(SIGEV_SIGNAL, SIGUSR1, 1);
    tcreate(CLOCK_THREAD_CPUTIME_ID, &e, &id);
    long start = now_ns(CLOCK_THREAD_CPUTIME_ID);
    tset(id, 0, 5 * MS, 0, NULL);
    sleep_ms(20);
    say("thread CPU timer quiet while the thread sleeps: %s\n", yes(!pending(SIGUSR1)));
    while (!pending(SIGUSR1) && now_ns(CLOCK_THREAD_CPUTIME_ID) - start < 2000 * MS) {
    }
    long used = now_ns(CLOCK_THREAD_CPUTIME_ID) - start;
    siginfo_t si;
    take(SIGUSR1, &si);
    say("thread CPU timer fired after >= 5 ms of the thread's CPU: %s, SI_TIMER %s, left now %ld\n",
        yes(used >= 5 * MS && used < 2000 * MS), yes(si.si_code == SI_TIMER), tleft(id, NULL));
    tdelete(id);

    tcreate(CLOCK_PROCESS_CPUTIME_ID, &e, &id);
    tset(id, TIMER_ABSTIME, now_ns(CLOCK_PROCESS_CPUTIME_ID) - MS, 0, NULL);
    say("process CPU timer with an expiry already past: pending at once %s\n", yes(pending(SIGUSR1)));
    drain(SIGUSR1);
    start = now_ns(CLOCK_PROCESS_CPUTIME_ID);
    tset(id, 0, 3 * MS, 3 * MS, NULL);
    int got = 0;
    while (got < 3 && now_ns(CLOCK_PROCESS_CPUTIME_ID) - start < 2000 * MS) {
        got += take(SIGUSR1, &si) != 0;
    }
    used = now_ns(CLOCK_PROCESS_CPUTIME_ID) - start;
    say("periodic process CPU timer: 3 signals after >= 9 ms of CPU %s\n", yes(got == 3 && used >= 9 * MS));
    tset(id, 0, 0, 0, NULL);
    say("disarmed CPU timer reads: %ld\n", tleft(id, NULL));
    tdelete(id);

    /* A timer on another thread's CPU clock fires as that thread spins. */
    pthread_t th;
    pthread_create(&th, NULL, spinner, NULL);
    while (!spinner_ready) {
        sched_yield();
    }
    clockid_t other;
    pthread_getcpuclockid(th, &other);
    e.value = 2;
    int r = tcreate(other, &e, &id);
    tset(id, 0, 5 * MS, 0, NULL);
    u = only(SIGUSR1);
    int sig = sigwaitinfo(&u, &si);
    spinner_stop = 1;
    pthread_join(th, NULL);
    say("timer on another thread's CPU clock: %s, fired %s, value %d\n", err(r), yes(sig == SIGUSR1),
        si.si_value.sival_int);
    tdelete(id);
    sigprocmask(SIG_UNBLOCK, &u, NULL);
}

static void rlimit_sigpending(void) {
    struct rlimit save, none;
    getrlimit(RLIMIT_SIGPENDING, &save);
    none = save;
    none.rlim_cur = 0;
    setrlimit(RLIMIT_SIGPENDING, &none);
    int id;
    say("timer_create with RLIMIT_SIGPENDING 0: %s\n", err(tcreate(CLOCK_MONOTONIC, NULL, &id)));
    setrlimit(RLIMIT_SIGPENDING, &save);
}

static volatile int vtalrms, profs, vtalrm_code;
static volatile long cpu_at_vtalrm;

static void on_vtalrm(int sig, siginfo_t *si, void *uc) {
    (void) sig;
    (void) uc;
    vtalrm_code = si->si_code;
    if (vtalrms++ == 0) {
        cpu_at_vtalrm = now_ns(CLOCK_PROCESS_CPUTIME_ID);
    }
}

static void on_prof(int sig) {
    (void) sig;
    profs++;
}

static void itimers(void) {
    struct itimerval v = {{0, 0}, {0, 10000}}, g, zero = {{0, 0}, {0, 0}};
    say("setitimer 3: %s, getitimer 3: %s\n", err(setitimer(3, &v, NULL) ? errno : 0),
        err(getitimer(3, &g) ? errno : 0));
    struct itimerval bad = {{0, 0}, {0, 1000000}};
    say("setitimer 1000000 us: %s\n", err(setitimer(ITIMER_VIRTUAL, &bad, NULL) ? errno : 0));
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_vtalrm;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGVTALRM, &sa, NULL);
    long start = now_ns(CLOCK_PROCESS_CPUTIME_ID);
    setitimer(ITIMER_VIRTUAL, &v, NULL);
    getitimer(ITIMER_VIRTUAL, &g);
    long left = g.it_value.tv_sec * 1000000L + g.it_value.tv_usec;
    say("ITIMER_VIRTUAL 10 ms: left > 10 ms %s, <= 20 ms %s\n", yes(left > 10000), yes(left <= 20000));
    sleep_ms(30);
    say("ITIMER_VIRTUAL quiet while the process sleeps: %s\n", yes(vtalrms == 0));
    while (vtalrms == 0 && now_ns(CLOCK_PROCESS_CPUTIME_ID) - start < 2000 * MS) {
    }
    say("SIGVTALRM after >= 10 ms of CPU: %s, SI_KERNEL %s\n", yes(vtalrms == 1 && cpu_at_vtalrm - start >= 10 * MS),
        yes(vtalrm_code == SI_KERNEL));
    getitimer(ITIMER_VIRTUAL, &g);
    say("ITIMER_VIRTUAL done: left %ld\n", g.it_value.tv_sec * 1000000L + g.it_value.tv_usec);
    signal(SIGPROF, on_prof);
    struct itimerval p = {{0, 3000}, {0, 3000}};
    start = now_ns(CLOCK_PROCESS_CPUTIME_ID);
    setitimer(ITIMER_PROF, &p, NULL);
    while (profs < 3 && now_ns(CLOCK_PROCESS_CPUTIME_ID) - start < 2000 * MS) {
    }
    struct itimerval old;
    setitimer(ITIMER_PROF, &zero, &old);
    say("ITIMER_PROF every 3 ms: 3 SIGPROF after >= 9 ms of CPU %s, old interval %ld us\n",
        yes(profs >= 3 && now_ns(CLOCK_PROCESS_CPUTIME_ID) - start >= 9 * MS), old.it_interval.tv_usec);
    signal(SIGPROF, SIG_DFL);
    signal(SIGVTALRM, SIG_DFL);

    /* ITIMER_REAL waits for its pending SIGALRM to be taken before it runs again. */
    sigset_t a = only(SIGALRM);
    sigprocmask(SIG_BLOCK, &a, NULL);
    struct itimerval r = {{0, 1000}, {0, 1000}};
    setitimer(ITIMER_REAL, &r, NULL);
    sleep_ms(10);
    wait_pending(SIGALRM);
    getitimer(ITIMER_REAL, &g);
    say("ITIMER_REAL with SIGALRM pending: left %ld, interval %ld us\n", g.it_value.tv_sec * 1000000L + g.it_value.tv_usec,
        g.it_interval.tv_usec);
    siginfo_t si;
    take(SIGALRM, &si);
    getitimer(ITIMER_REAL, &g);
    /* armed again, or, on a busy machine, already expired again */
    int again = (g.it_value.tv_sec == 0 && g.it_value.tv_usec > 0 && g.it_value.tv_usec <= 1000) || wait_pending(SIGALRM);
    say("once taken (SI_KERNEL %s) it runs again: %s\n", yes(si.si_code == SI_KERNEL), yes(again));
    setitimer(ITIMER_REAL, &zero, NULL);
    drain(SIGALRM);
    sigprocmask(SIG_UNBLOCK, &a, NULL);
}

/* fork: the child has no timers, and its ids start again at 0. */
static void fork_and_exec(const char *self) {
    int id;
    struct ksigevent e = sev(SIGEV_SIGNAL, SIGRTMIN, 0);
    tcreate(CLOCK_MONOTONIC, &e, &id);
    struct itimerval big = {{0, 0}, {100, 0}};
    setitimer(ITIMER_REAL, &big, NULL);
    pid_t pid = fork();
    if (pid == 0) {
        struct itimerval g;
        getitimer(ITIMER_REAL, &g);
        int mine;
        int r = tcreate(CLOCK_MONOTONIC, NULL, &mine);
        say("fork child: parent's timer %s, ITIMER_REAL %ld, its first id %d (%s)\n", err((int) -tleft(id, NULL)),
            g.it_value.tv_sec, mine, err(r));
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    /* exec: the timer and its pending signal go, ITIMER_REAL stays, ids count on. */
    sigset_t s = only(SIGRTMIN);
    sigprocmask(SIG_BLOCK, &s, NULL);
    tset(id, 0, MS, 0, NULL);
    say("before exec: timer id %d, its signal pending %s\n", id, yes(wait_pending(SIGRTMIN)));
    char idtext[16];
    snprintf(idtext, sizeof idtext, "%d", id);
    execl(self, self, "after-exec", idtext, (char *) NULL);
    say("exec: %s\n", err(errno));
}

static void after_exec(int id) {
    struct itimerval g;
    getitimer(ITIMER_REAL, &g);
    int next;
    tcreate(CLOCK_MONOTONIC, NULL, &next);
    say("after exec: timer %s, its signal pending %s, ITIMER_REAL kept %s, next id %d\n", err((int) -tleft(id, NULL)),
        yes(pending(SIGRTMIN)), yes(g.it_value.tv_sec > 90), next);
}

int main(int argc, char **argv) {
    if (argc > 2 && strcmp(argv[1], "after-exec") == 0) {
        after_exec(atoi(argv[2]));
        return 0;
    }
    ids_and_errors();
    alarm_clocks();
    signals();
    sigev_none();
    thread_id();
    sigev_thread();
    cpu_timers();
    rlimit_sigpending();
    itimers();
    fork_and_exec("/proc/self/exe");
    return 1;
}
