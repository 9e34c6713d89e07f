/*
 * CPU-time accounting as Linux reports it: the CPU clocks of the process, of a thread and of
 * another process or thread (clock_getcpuclockid(3), pthread_getcpuclockid(3) and Linux's
 * encoding of pids in clock ids, with their errors), kept monotonic and consistent with
 * getrusage(2), times(2), wait4(2)'s rusage and /proc/PID/stat and schedstat; the reaped
 * children's times (a grandchild's included); context switches and ru_maxrss. Only relations
 * are printed. With "raw", the program prints its CPU times instead, for the deterministic run,
 * where they must be the same in every run.
 */
#define _GNU_SOURCE
#include "ttycheck.h"
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>

#define MS 1000000L

static long ns(clockid_t c) {
    struct timespec ts;
    if (clock_gettime(c, &ts) != 0) {
        return -errno;
    }
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static long tv(struct timeval t) {
    return t.tv_sec * 1000000000L + t.tv_usec * 1000L;
}

static const char *yes(int b) {
    return b ? "yes" : "no";
}

/* Uses CPU until the thread's CPU clock has passed ms more. */
static void burn(long ms) {
    long end = ns(CLOCK_THREAD_CPUTIME_ID) + ms * MS;
    while (ns(CLOCK_THREAD_CPUTIME_ID) < end) {
    }
}

/* Fields 14-17 of /proc/PATH/stat (utime, stime, cutime, cstime), in clock ticks. */
static int stat_times(const char *path, long t[4]) {
    char buf[1024];
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        return -1;
    }
    int n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) {
        return -1;
    }
    buf[n] = 0;
    char *p = strrchr(buf, ')'); /* the name may hold spaces */
    if (!p) {
        return -1;
    }
    p += 2;
    for (int field = 3; field < 14; field++) {
        p = strchr(p, ' ') + 1;
    }
    return sscanf(p, "%ld %ld %ld %ld", &t[0], &t[1], &t[2], &t[3]) == 4 ? 0 : -1;
}

static int schedstat(const char *path, unsigned long long v[3]) {
    char buf[256];
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        return -1;
    }
    int n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) {
        return -1;
    }
    buf[n] = 0;
    return sscanf(buf, "%llu %llu %llu", &v[0], &v[1], &v[2]) == 3 ? 0 : -1;
}

static volatile int spin_stop, spin_done;
static volatile pid_t spin_tid;

static void *spinner(void *arg) {
    (void) arg;
    spin_tid = gettid();
    burn(25);
    spin_done = 1;
    while (!spin_stop) {
        sched_yield();
    }
    return NULL;
}

/* A CPU clock id as Linux encodes it (MAKE_PROCESS_CPUCLOCK, MAKE_THREAD_CPUCLOCK). */
static clockid_t cpuclock(pid_t pid, int kind, int thread) {
    return (clockid_t) ((~(unsigned) pid << 3) | (unsigned) kind | (thread ? 4u : 0u));
}

static void clocks(void) {
    long last_p = 0, last_t = 0;
    int monotonic = 1, thread_within = 1;
    for (int i = 0; i < 2000; i++) {
        long t = ns(CLOCK_THREAD_CPUTIME_ID);
        long p = ns(CLOCK_PROCESS_CPUTIME_ID);
        monotonic &= t >= last_t && p >= last_p;
        thread_within &= t <= p;
        last_t = t;
        last_p = p;
    }
    say("CPU clocks never go back: %s; the thread's within the process's: %s\n", yes(monotonic), yes(thread_within));
    long before = ns(CLOCK_PROCESS_CPUTIME_ID);
    burn(20);
    long after = ns(CLOCK_PROCESS_CPUTIME_ID);
    say("20 ms of work moves the process clock >= 20 ms: %s\n", yes(after - before >= 20 * MS));
    struct timespec res;
    clock_getres(CLOCK_PROCESS_CPUTIME_ID, &res);
    say("process CPU clock resolution: %ld ns\n", res.tv_nsec);
    clockid_t self;
    int r = clock_getcpuclockid(getpid(), &self);
    say("clock_getcpuclockid(getpid()): %s, encodes the pid %s, reads %s\n", err(r),
        yes(self == cpuclock(getpid(), 2, 0)), yes(ns(self) >= after));
    /* glibc's clock_getcpuclockid answers ESRCH for it, musl's EINVAL: the kernel's answer is EINVAL. */
    struct timespec none;
    r = syscall(SYS_clock_getres, cpuclock(0x3ffffff, 2, 0), &none) ? errno : 0;
    say("clock_getres of no process's clock: %s\n", err(r));
    pthread_t th;
    pthread_create(&th, NULL, spinner, NULL);
    while (!spin_tid) {
        sched_yield();
    }
    clockid_t other;
    pthread_getcpuclockid(th, &other);
    long o1 = ns(other);
    while (!spin_done) {
        sched_yield();
    }
    long o2 = ns(other);
    say("another thread's clock: encodes its tid %s, moves as it works %s\n",
        yes(other == cpuclock(spin_tid, 2, 1)), yes(o1 >= 0 && o2 >= 25 * MS));
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int) spin_tid);
    long st[4] = {-1, -1, -1, -1};
    int sr = stat_times(path, st);
    say("its /proc stat shows its CPU time: %s\n", yes(sr == 0 && st[0] + st[1] >= 1));
    spin_stop = 1;
    pthread_join(th, NULL);
    long user = ns(cpuclock(0, 1, 0)), prof = ns(cpuclock(0, 0, 0));
    say("the process's user-time clock within its total: %s\n", yes(user >= 0 && user <= prof));
    say("clock of kind 3: %s; of a descriptor: %s\n", err((int) -ns(cpuclock(0, 3, 1))),
        err((int) -ns(cpuclock(0, 3, 0))));
}

static void children(void) {
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    say("RUSAGE_CHILDREN before any child: %ld ns\n", tv(ru.ru_utime) + tv(ru.ru_stime));
    pid_t pid = fork();
    if (pid == 0) {
        pid_t grandchild = fork();
        if (grandchild == 0) {
            burn(20);
            _exit(0);
        }
        waitpid(grandchild, NULL, 0);
        burn(30);
        _exit(0);
    }
    clockid_t child;
    int r = clock_getcpuclockid(pid, &child);
    long seen = ns(child);
    say("the child's process clock: %s, readable %s; its thread clock: %s\n", err(r), yes(seen >= 0),
        err((int) -ns(cpuclock(pid, 2, 1))));
    struct rusage cu;
    wait4(pid, NULL, 0, &cu);
    long c = tv(cu.ru_utime) + tv(cu.ru_stime);
    say("wait4's rusage: child and grandchild >= 50 ms %s\n", yes(c >= 50 * MS));
    getrusage(RUSAGE_CHILDREN, &ru);
    long all = tv(ru.ru_utime) + tv(ru.ru_stime);
    say("RUSAGE_CHILDREN: >= 50 ms %s, as wait4's %s\n", yes(all >= 50 * MS), yes(all == c));
    struct tms t;
    times(&t);
    say("times: children's ticks >= 4 %s\n", yes(t.tms_cutime + t.tms_cstime >= 4));
    long st[4] = {-1, -1, -1, -1};
    stat_times("/proc/self/stat", st);
    say("/proc/self/stat: children's ticks >= 4 %s\n", yes(st[2] + st[3] >= 4));
}

static void rusage(void) {
    struct rusage self, thread;
    getrusage(RUSAGE_THREAD, &thread);
    getrusage(RUSAGE_SELF, &self);
    long p = ns(CLOCK_PROCESS_CPUTIME_ID);
    long s = tv(self.ru_utime) + tv(self.ru_stime), th = tv(thread.ru_utime) + tv(thread.ru_stime);
    say("getrusage: the thread's within the process's %s, the process's within its clock %s, maxrss > 0 %s\n",
        yes(th <= s), yes(s <= p), yes(self.ru_maxrss > 0));
    struct tms t;
    times(&t);
    p = ns(CLOCK_PROCESS_CPUTIME_ID);
    say("times: within the process clock %s\n", yes((t.tms_utime + t.tms_stime) * 10 * MS <= p));
    long st[4] = {-1, -1, -1, -1};
    int r = stat_times("/proc/self/stat", st);
    p = ns(CLOCK_PROCESS_CPUTIME_ID);
    say("/proc/self/stat: read %s, within the process clock %s\n", yes(r == 0), yes((st[0] + st[1]) * 10 * MS <= p));
    unsigned long long sched[3] = {0, 0, 0};
    r = schedstat("/proc/self/schedstat", sched);
    long tcpu = ns(CLOCK_THREAD_CPUTIME_ID);
    say("/proc/self/schedstat: read %s, run time > 0 and within the thread clock %s, turns >= 1 %s\n", yes(r == 0),
        yes(sched[0] > 0 && sched[0] <= (unsigned long long) tcpu), yes(sched[2] >= 1));
    struct rusage a, b;
    struct timespec d = {0, 2 * MS};
    nanosleep(&d, NULL);
    getrusage(RUSAGE_SELF, &a);
    for (int i = 0; i < 5; i++) {
        d.tv_nsec = 2 * MS;
        nanosleep(&d, NULL);
    }
    getrusage(RUSAGE_SELF, &b);
    say("5 sleeps count >= 5 voluntary switches: %s\n", yes(b.ru_nvcsw - a.ru_nvcsw >= 5));
    say("getrusage 5: %s, bad pointer: %s\n", err(getrusage(5, &a) ? errno : 0),
        err(syscall(SYS_getrusage, RUSAGE_SELF, (void *) 8) ? errno : 0));
}

/* The raw times, for the deterministic run: the same in every run. */
static void raw(void) {
    burn(5);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    long p = ns(CLOCK_PROCESS_CPUTIME_ID), t = ns(CLOCK_THREAD_CPUTIME_ID);
    say("process %ld thread %ld utime %ld stime %ld\n", p, t, tv(ru.ru_utime), tv(ru.ru_stime));
    pid_t pid = fork();
    if (pid == 0) {
        burn(3);
        _exit(0);
    }
    wait4(pid, NULL, 0, &ru);
    say("child utime %ld stime %ld\n", tv(ru.ru_utime), tv(ru.ru_stime));
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "raw") == 0) {
        raw();
        return 0;
    }
    clocks();
    children();
    rusage();
    return 0;
}
