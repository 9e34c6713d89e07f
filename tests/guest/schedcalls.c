/*
 * The scheduling calls and their errors: sched_setscheduler, sched_getscheduler,
 * sched_setparam, sched_getparam, sched_setattr and sched_getattr (struct sched_attr's size
 * protocol, the KEEP_* and RESET_ON_FORK flags), the priority ranges, sched_rr_get_interval,
 * sched_yield, sched_setaffinity and sched_getaffinity, getpriority, setpriority and nice(3),
 * which are per thread; what a child inherits (reset-on-fork); Linux's permission rules after
 * setuid(65534) in a forked child (RLIMIT_RTPRIO, RLIMIT_NICE, SCHED_IDLE, another user's
 * task); and the priority, nice, rt_priority and policy fields of /proc/self/stat,
 * /proc/self/task/TID/stat and the policy and prio lines of /proc/self/sched.
 *
 * Every call is made with syscall(2): musl's sched_setscheduler and its siblings are stubs
 * answering ENOSYS (POSIX means a process, Linux's calls a thread). Runs as root, which Phoenix
 * emulates; real-time stretches are short and never spin.
 */
#define _GNU_SOURCE
#include "ttycheck.h"
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#define OTHER 0
#define FIFO 1
#define RR 2
#define BATCH 3
#define IDLE 5
#define DEADLINE 6
#define RESET_ON_FORK 0x40000000
#define FLAG_RESET_ON_FORK 0x01
#define FLAG_KEEP_POLICY 0x08
#define FLAG_KEEP_PARAMS 0x10
#define FLAG_UTIL_CLAMP_MIN 0x20
#define BAD_PTR ((void *) 8)
#define NO_PID 0x3fffffff

/* struct sched_attr of Linux 5.3 on (SCHED_ATTR_SIZE_VER1, 56 bytes). */
struct attr {
    uint32_t size, policy;
    uint64_t flags;
    int32_t nice;
    uint32_t priority;
    uint64_t runtime, deadline, period;
    uint32_t util_min, util_max;
};

static const char *ename(int e) {
    return e == EBUSY ? "EBUSY" : err(e);
}

/* One call's raw result: its value, or -1 and the errno name. */
static void show(const char *what, long r) {
    if (r == -1) {
        say("%s: -1 %s\n", what, ename(errno));
    } else {
        say("%s: %ld\n", what, r);
    }
}

#define T(what, call) do { errno = 0; long r_ = (long) (call); show(what, r_); } while (0)

static long setsched(int pid, int policy, int prio) {
    struct sched_param p = {.sched_priority = prio};
    return syscall(SYS_sched_setscheduler, pid, policy, &p);
}

static long setparam(int pid, int prio) {
    struct sched_param p = {.sched_priority = prio};
    return syscall(SYS_sched_setparam, pid, &p);
}

static long getparam(int pid) {
    struct sched_param p = {.sched_priority = -1};
    long r = syscall(SYS_sched_getparam, pid, &p);
    return r == 0 ? p.sched_priority : r;
}

static long getsched(int pid) {
    return syscall(SYS_sched_getscheduler, pid);
}

static long setattr(int pid, struct attr *a) {
    return syscall(SYS_sched_setattr, pid, a, 0);
}

static long getattr(int pid, void *a, unsigned size) {
    return syscall(SYS_sched_getattr, pid, a, size, 0);
}

static struct attr attr_of(uint32_t policy, uint64_t flags, int nice, uint32_t priority) {
    struct attr a;
    memset(&a, 0, sizeof a);
    a.size = sizeof a;
    a.policy = policy;
    a.flags = flags;
    a.nice = nice;
    a.priority = priority;
    return a;
}

/* The nice value through getpriority(3), or the errno name. */
static void show_nice(const char *what, int which, int who) {
    errno = 0;
    int n = getpriority(which, who);
    if (errno != 0) {
        say("%s: %s\n", what, ename(errno));
    } else {
        say("%s: %d\n", what, n);
    }
}

static long tid(void) {
    return syscall(SYS_gettid);
}

/* Field n (1-based, proc(5)) of the stat file at path, after the name in parentheses. */
static long stat_field(const char *path, int n) {
    char b[1024];
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        return -999;
    }
    size_t len = fread(b, 1, sizeof b - 1, f);
    fclose(f);
    b[len] = 0;
    char *p = strrchr(b, ')');
    if (p == NULL) {
        return -998;
    }
    p += 2; /* field 3 */
    for (int i = 3; i < n; i++) {
        p = strchr(p, ' ');
        if (p == NULL) {
            return -997;
        }
        p++;
    }
    return strtol(p, NULL, 10);
}

/* priority (18), nice (19), rt_priority (40) and policy (41) of a stat file. */
static void show_stat(const char *what, const char *path) {
    say("%s: prio %ld nice %ld rt %ld policy %ld\n", what, stat_field(path, 18), stat_field(path, 19),
        stat_field(path, 40), stat_field(path, 41));
}

/* The value of line "name ... : value" of a /proc sched file, or -999. */
static long sched_line(const char *path, const char *name) {
    char line[256];
    long v = -999;
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        return -998;
    }
    size_t len = strlen(name);
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, name, len) == 0 && (line[len] == ' ' || line[len] == ':')) {
            char *colon = strchr(line, ':');
            v = colon != NULL ? strtol(colon + 1, NULL, 10) : -997;
        }
    }
    fclose(f);
    return v;
}

/* Whether the first line of a /proc sched file is "comm (id, #threads: n)". */
static int sched_header(const char *path, long id, int threads) {
    char line[256], want[256];
    FILE *f = fopen(path, "r");
    if (f == NULL || fgets(line, sizeof line, f) == NULL) {
        return 0;
    }
    fclose(f);
    snprintf(want, sizeof want, "schedcalls (%ld, #threads: %d)\n", id, threads);
    return strcmp(line, want) == 0;
}

static void ranges(void) {
    int policies[] = {OTHER, FIFO, RR, BATCH, 4, IDLE, DEADLINE, 7, 8, -1};
    for (unsigned i = 0; i < sizeof policies / sizeof policies[0]; i++) {
        char what[64];
        snprintf(what, sizeof what, "priority range of policy %d: max", policies[i]);
        T(what, syscall(SYS_sched_get_priority_max, policies[i]));
        snprintf(what, sizeof what, "priority range of policy %d: min", policies[i]);
        T(what, syscall(SYS_sched_get_priority_min, policies[i]));
    }
}

static void rr_interval(const char *what) {
    struct timespec ts = {-1, -1};
    long r = syscall(SYS_sched_rr_get_interval, 0, &ts);
    if (r != 0) {
        show(what, r);
    } else if (getsched(0) == OTHER) {
        say("%s: below SCHED_RR's %d\n", what, ts.tv_sec == 0 && ts.tv_nsec >= 0 && ts.tv_nsec < 100000000);
    } else {
        say("%s: %ld.%09ld\n", what, (long) ts.tv_sec, ts.tv_nsec);
    }
}

static void policies(void) {
    char path[64];
    T("getscheduler", getsched(0));
    T("getparam", getparam(0));
    show_stat("stat as SCHED_OTHER", "/proc/self/stat");
    rr_interval("rr interval SCHED_OTHER");
    T("setscheduler FIFO 10", setsched(0, FIFO, 10));
    T("getscheduler", getsched(0));
    T("getscheduler by pid", getsched(getpid()));
    T("getparam", getparam(0));
    show_stat("stat as FIFO 10", "/proc/self/stat");
    snprintf(path, sizeof path, "/proc/self/task/%ld/stat", tid());
    show_stat("task stat as FIFO 10", path);
    say("sched file policy %ld prio %ld\n", sched_line("/proc/self/sched", "policy"),
        sched_line("/proc/self/sched", "prio"));
    rr_interval("rr interval FIFO");
    T("sched_yield", syscall(SYS_sched_yield));
    T("setscheduler RR 20", setsched(0, RR, 20));
    rr_interval("rr interval RR");
    show_stat("stat as RR 20", "/proc/self/stat");
    T("setparam 30 keeps RR", setparam(0, 30));
    T("getscheduler", getsched(0));
    T("getparam", getparam(0));
    T("setparam 0 for RR", setparam(0, 0));
    T("setparam 100", setparam(0, 100));
    T("setscheduler OTHER 5", setsched(0, OTHER, 5));
    T("setscheduler FIFO 0", setsched(0, FIFO, 0));
    T("setscheduler FIFO 100", setsched(0, FIFO, 100));
    T("setscheduler FIFO -1", setsched(0, FIFO, -1));
    T("setscheduler policy 4", setsched(0, 4, 0));
    T("setscheduler policy 7", setsched(0, 7, 0));
    T("setscheduler policy -1", setsched(0, -1, 0));
    T("setscheduler DEADLINE", setsched(0, DEADLINE, 0));
    T("setscheduler NULL param", syscall(SYS_sched_setscheduler, 0, FIFO, NULL));
    T("setscheduler bad param", syscall(SYS_sched_setscheduler, 0, FIFO, BAD_PTR));
    T("setscheduler pid -1", setsched(-1, FIFO, 1));
    T("setscheduler no such pid", setsched(NO_PID, FIFO, 1));
    T("setparam bad param", syscall(SYS_sched_setparam, 0, BAD_PTR));
    T("getscheduler pid -1", getsched(-1));
    T("getscheduler no such pid", getsched(NO_PID));
    T("getparam NULL", syscall(SYS_sched_getparam, 0, NULL));
    T("getparam bad param", syscall(SYS_sched_getparam, 0, BAD_PTR));
    T("getparam no such pid", getparam(NO_PID));
    T("rr interval bad pointer", syscall(SYS_sched_rr_get_interval, 0, BAD_PTR));
    T("rr interval pid -1", syscall(SYS_sched_rr_get_interval, -1, NULL));
    T("rr interval no such pid", syscall(SYS_sched_rr_get_interval, NO_PID, NULL));
    T("setscheduler BATCH", setsched(0, BATCH, 0));
    T("getscheduler", getsched(0));
    T("setscheduler IDLE", setsched(0, IDLE, 0));
    T("getscheduler", getsched(0));
    say("sched file as IDLE: weight %ld prio %ld\n", sched_line("/proc/self/sched", "se.load.weight"),
        sched_line("/proc/self/sched", "prio"));
    T("setscheduler OTHER", setsched(0, OTHER, 0));
    T("setpriority 3", setpriority(PRIO_PROCESS, 0, 3));
    show_stat("stat as nice 3", "/proc/self/stat");
    say("sched file as nice 3: weight %ld prio %ld\n", sched_line("/proc/self/sched", "se.load.weight"),
        sched_line("/proc/self/sched", "prio"));
    T("setscheduler FIFO 5 keeps nice", setsched(0, FIFO, 5));
    show_nice("nice while FIFO", PRIO_PROCESS, 0);
    show_stat("stat as FIFO 5 nice 3", "/proc/self/stat");
    T("setscheduler OTHER", setsched(0, OTHER, 0));
    show_nice("nice back in OTHER", PRIO_PROCESS, 0);
    T("setpriority 0", setpriority(PRIO_PROCESS, 0, 0));
}

static void attrs(void) {
    struct attr a;
    unsigned char big[256];
    memset(&a, 0xff, sizeof a);
    T("getattr 56", getattr(0, &a, sizeof a));
    say("attr size %u policy %u flags %llu nice %d priority %u clamps %u %u\n", a.size, a.policy,
        (unsigned long long) a.flags, a.nice, a.priority, a.util_min, a.util_max);
    memset(&a, 0xff, sizeof a);
    T("getattr 48", getattr(0, &a, 48));
    say("attr size %u, clamps untouched %d\n", a.size, a.util_min == 0xffffffffu);
    memset(big, 0xaa, sizeof big);
    T("getattr 200", getattr(0, big, 200));
    int zeros = 1, tail = 1;
    for (int i = 56; i < 200; i++) {
        zeros &= big[i] == 0;
    }
    for (int i = 200; i < 256; i++) {
        tail &= big[i] == 0xaa;
    }
    say("getattr 200: size %u, zeros to 200 %d, untouched after %d\n", *(uint32_t *) big, zeros, tail);
    T("getattr 47", getattr(0, &a, 47));
    T("getattr 4097", getattr(0, big, 4097));
    T("getattr flags 1", syscall(SYS_sched_getattr, 0, &a, sizeof a, 1));
    T("getattr NULL", getattr(0, NULL, sizeof a));
    T("getattr pid -1", getattr(-1, &a, sizeof a));
    T("getattr no such pid", getattr(NO_PID, &a, sizeof a));
    T("getattr bad pointer", getattr(0, BAD_PTR, sizeof a));

    a = attr_of(OTHER, 0, 3, 0);
    T("setattr OTHER nice 3", setattr(0, &a));
    show_nice("nice", PRIO_PROCESS, 0);
    a = attr_of(OTHER, 0, 100, 0);
    T("setattr nice 100 clamps", setattr(0, &a));
    show_nice("nice", PRIO_PROCESS, 0);
    a = attr_of(OTHER, 0, 2, 0);
    a.size = 0;
    T("setattr size 0 is 48", setattr(0, &a));
    show_nice("nice", PRIO_PROCESS, 0);
    a = attr_of(OTHER, 0, 0, 0);
    a.size = 40;
    T("setattr size 40", setattr(0, &a));
    say("size written back %u\n", a.size);
    a.size = 4097;
    T("setattr size 4097", setattr(0, &a));
    say("size written back %u\n", a.size);
    memset(big, 0, sizeof big);
    a = attr_of(OTHER, 0, 1, 0);
    memcpy(big, &a, sizeof a);
    *(uint32_t *) big = 64;
    T("setattr size 64, zeros past 56", setattr(0, (struct attr *) big));
    show_nice("nice", PRIO_PROCESS, 0);
    big[60] = 1;
    T("setattr size 64, a byte past 56", setattr(0, (struct attr *) big));
    say("size written back %u\n", *(uint32_t *) big);
    a = attr_of(OTHER, 0, 0, 0);
    T("setattr flags argument", syscall(SYS_sched_setattr, 0, &a, 1));
    T("setattr NULL", setattr(0, NULL));
    T("setattr pid -1", setattr(-1, &a));
    T("setattr no such pid", setattr(NO_PID, &a));
    T("setattr bad pointer", setattr(0, BAD_PTR));
    a = attr_of(0xffffffffu, 0, 0, 0);
    T("setattr policy -1", setattr(0, &a));
    a = attr_of(OTHER, 0x80, 0, 0);
    T("setattr unknown flag", setattr(0, &a));
    a = attr_of(OTHER, FLAG_UTIL_CLAMP_MIN, 0, 0);
    a.size = 48;
    T("setattr clamp in 48 bytes", setattr(0, &a));
    a = attr_of(OTHER, FLAG_UTIL_CLAMP_MIN, 0, 0);
    T("setattr clamp", setattr(0, &a));

    a = attr_of(FIFO, 0, -7, 10);
    T("setattr FIFO 10 nice -7", setattr(0, &a));
    show_nice("nice kept", PRIO_PROCESS, 0);
    memset(&a, 0xff, sizeof a);
    T("getattr as FIFO", getattr(0, &a, sizeof a));
    say("attr policy %u flags %llu nice %d priority %u\n", a.policy, (unsigned long long) a.flags, a.nice, a.priority);
    a = attr_of(OTHER, FLAG_KEEP_POLICY, 0, 20);
    T("setattr KEEP_POLICY priority 20", setattr(0, &a));
    T("getscheduler", getsched(0));
    T("getparam", getparam(0));
    a = attr_of(FIFO, FLAG_KEEP_PARAMS | FLAG_RESET_ON_FORK, 0, 50);
    T("setattr KEEP_PARAMS RESET_ON_FORK", setattr(0, &a));
    T("getscheduler", getsched(0));
    T("getparam", getparam(0));
    memset(&a, 0xff, sizeof a);
    T("getattr", getattr(0, &a, sizeof a));
    say("attr policy %u flags %llu priority %u\n", a.policy, (unsigned long long) a.flags, a.priority);
    a = attr_of(OTHER, FLAG_KEEP_POLICY | FLAG_KEEP_PARAMS, 0, 0);
    T("setattr KEEP_ALL keeps the reset flag", setattr(0, &a));
    T("getscheduler", getsched(0));
    a = attr_of(OTHER, 0, 2, 0);
    T("setattr OTHER nice 2", setattr(0, &a));
    T("getscheduler", getsched(0));
    a = attr_of(BATCH, FLAG_KEEP_PARAMS, 9, 0);
    T("setattr BATCH KEEP_PARAMS", setattr(0, &a));
    T("getscheduler keeps OTHER", getsched(0));
    show_nice("nice", PRIO_PROCESS, 0);
    a = attr_of(IDLE, 0, -3, 0);
    T("setattr IDLE nice -3", setattr(0, &a));
    show_nice("nice kept", PRIO_PROCESS, 0);
    a = attr_of(OTHER, 0, 0, 0);
    T("setattr OTHER nice 0", setattr(0, &a));

    a = attr_of(DEADLINE, 0, 0, 0);
    T("setattr DEADLINE without parameters", setattr(0, &a));
    a.runtime = 20000000;
    a.deadline = 10000000;
    T("setattr DEADLINE runtime past deadline", setattr(0, &a));
    a.runtime = 10000;
    a.deadline = 20000;
    a.period = 50000;
    T("setattr DEADLINE period below 100us", setattr(0, &a));
    a.runtime = 500;
    a.deadline = 1000000;
    a.period = 0;
    T("setattr DEADLINE runtime below 1024ns", setattr(0, &a));
}

static void wait_child(const char *what, pid_t pid) {
    int status;
    waitpid(pid, &status, 0);
    say("%s: %s\n", what, WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "exited 0" : "failed");
}

static void forks(void) {
    pid_t pid;
    T("setscheduler FIFO 10", setsched(0, FIFO, 10));
    if ((pid = fork()) == 0) {
        T("child of FIFO 10: getscheduler", getsched(0));
        T("child of FIFO 10: getparam", getparam(0));
        _exit(0);
    }
    wait_child("child of FIFO 10", pid);
    T("setscheduler FIFO 10 RESET_ON_FORK", setsched(0, FIFO | RESET_ON_FORK, 10));
    T("getscheduler", getsched(0));
    T("setpriority 4", setpriority(PRIO_PROCESS, 0, 4));
    if ((pid = fork()) == 0) {
        T("reset child: getscheduler", getsched(0));
        T("reset child: getparam", getparam(0));
        show_nice("reset child: nice", PRIO_PROCESS, 0);
        _exit(0);
    }
    wait_child("reset child", pid);
    T("setscheduler OTHER RESET_ON_FORK", setsched(0, OTHER | RESET_ON_FORK, 0));
    T("setpriority -5", setpriority(PRIO_PROCESS, 0, -5));
    if ((pid = fork()) == 0) {
        T("reset child of nice -5: getscheduler", getsched(0));
        show_nice("reset child of nice -5: nice", PRIO_PROCESS, 0);
        _exit(0);
    }
    wait_child("reset child of nice -5", pid);
    T("setscheduler BATCH RESET_ON_FORK", setsched(0, BATCH | RESET_ON_FORK, 0));
    T("setpriority 6", setpriority(PRIO_PROCESS, 0, 6));
    if ((pid = fork()) == 0) {
        T("reset child of BATCH nice 6: getscheduler", getsched(0));
        show_nice("reset child of BATCH nice 6: nice", PRIO_PROCESS, 0);
        _exit(0);
    }
    wait_child("reset child of BATCH nice 6", pid);
    T("setscheduler OTHER", setsched(0, OTHER, 0));
    T("setpriority 0", setpriority(PRIO_PROCESS, 0, 0));
}

/* Threads that each set their own nice value and policy, read them back, then wait for main to look. */
static pthread_barrier_t set_up, looked;
static long tids[3], own_policy[3];
static int own_nice[3];

static void *niced(void *arg) {
    int i = (int) (long) arg;
    tids[i] = tid();
    setpriority(PRIO_PROCESS, 0, i == 2 ? -2 : i + 1);
    if (i == 1) {
        setsched(0, FIFO, 7);
    }
    own_nice[i] = getpriority(PRIO_PROCESS, 0);
    own_policy[i] = getsched(0);
    pthread_barrier_wait(&set_up);
    pthread_barrier_wait(&looked);
    return NULL;
}

static void *reads_nice(void *arg) {
    (void) arg;
    show_nice("thread made by a nice 5 thread", PRIO_PROCESS, 0);
    return NULL;
}

static void *makes_thread(void *arg) {
    (void) arg;
    setpriority(PRIO_PROCESS, 0, 5);
    pthread_t t;
    pthread_create(&t, NULL, reads_nice, NULL);
    pthread_join(t, NULL);
    return NULL;
}

static void threads(void) {
    pthread_t t[3];
    pthread_barrier_init(&set_up, NULL, 4);
    pthread_barrier_init(&looked, NULL, 4);
    for (long i = 0; i < 3; i++) {
        pthread_create(&t[i], NULL, niced, (void *) i);
    }
    pthread_barrier_wait(&set_up);
    char what[96], path[64];
    for (int i = 0; i < 3; i++) {
        say("thread %d read its own nice %d and policy %ld\n", i, own_nice[i], own_policy[i]);
        snprintf(what, sizeof what, "main reads thread %d's nice", i);
        show_nice(what, PRIO_PROCESS, (int) tids[i]);
        snprintf(path, sizeof path, "/proc/self/task/%ld/stat", tids[i]);
        snprintf(what, sizeof what, "thread %d task stat", i);
        show_stat(what, path);
        snprintf(path, sizeof path, "/proc/self/task/%ld/sched", tids[i]);
        say("thread %d sched file: header %d policy %ld prio %ld\n", i, sched_header(path, tids[i], 4),
            sched_line(path, "policy"), sched_line(path, "prio"));
    }
    show_nice("main's own nice", PRIO_PROCESS, 0);
    show_nice("by the pid: the leader's alone", PRIO_PROCESS, getpid());
    show_stat("process stat: the leader's", "/proc/self/stat");
    say("process sched file header %d\n", sched_header("/proc/self/sched", getpid(), 4));
    show_nice("the group: the best", PRIO_PGRP, 0);
    T("main sets thread 0 to RR 3", setsched((int) tids[0], RR, 3));
    T("main sets thread 2's nice to 8", setpriority(PRIO_PROCESS, (int) tids[2], 8));
    show_nice("the group now", PRIO_PGRP, 0);
    T("getscheduler of thread 0", getsched((int) tids[0]));
    T("getparam of thread 1", getparam((int) tids[1]));
    pthread_barrier_wait(&looked);
    for (int i = 0; i < 3; i++) {
        pthread_join(t[i], NULL);
    }
    pthread_t maker;
    pthread_create(&maker, NULL, makes_thread, NULL);
    pthread_join(maker, NULL);
    show_nice("main still", PRIO_PROCESS, 0);
}

static void affinity(void) {
    uint64_t mask = 0;
    long n = syscall(SYS_sched_getaffinity, 0, 8, &mask);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    uint64_t all = cpus >= 64 ? ~0ull : (1ull << cpus) - 1;
    say("getaffinity: %ld, every CPU %d\n", n, mask == all);
    T("getaffinity len 4", syscall(SYS_sched_getaffinity, 0, 4, &mask));
    T("getaffinity len 12", syscall(SYS_sched_getaffinity, 0, 12, &mask));
    T("getaffinity no such pid", syscall(SYS_sched_getaffinity, NO_PID, 8, &mask));
    T("getaffinity bad pointer", syscall(SYS_sched_getaffinity, 0, 8, BAD_PTR));
    uint64_t one = 1;
    T("setaffinity CPU 0", syscall(SYS_sched_setaffinity, 0, 8, &one));
    mask = 0;
    syscall(SYS_sched_getaffinity, 0, 8, &mask);
    say("mask now %llu\n", (unsigned long long) mask);
    uint64_t none = 0, beyond = 1ull << 63;
    T("setaffinity no CPU", syscall(SYS_sched_setaffinity, 0, 8, &none));
    T("setaffinity no such CPU", syscall(SYS_sched_setaffinity, 0, 8, &beyond));
    T("setaffinity no such pid", syscall(SYS_sched_setaffinity, NO_PID, 8, &one));
    T("setaffinity bad pointer", syscall(SYS_sched_setaffinity, 0, 8, BAD_PTR));
    T("setaffinity every CPU", syscall(SYS_sched_setaffinity, 0, 8, &all));
}

/* Sets the soft limit alone, so that an unprivileged task may raise it again. */
static void soft_limit(int resource, rlim_t value) {
    struct rlimit r;
    getrlimit(resource, &r);
    r.rlim_cur = value;
    if (setrlimit(resource, &r) != 0) {
        say("setrlimit %d failed\n", resource);
    }
}

/*
 * What an unprivileged task may do (sched(7), setpriority(2)), in a child of a SCHED_FIFO 10
 * parent that gave up root, with RLIMIT_RTPRIO and RLIMIT_NICE at 0 (only their soft limits are
 * lowered: root may lack CAP_SYS_RESOURCE, and an unprivileged task may raise a soft limit back).
 */
static void unprivileged(void) {
    pid_t parent = getpid();
    T("parent: FIFO 10", setsched(0, FIFO, 10));
    fflush(stdout);
    pid_t pid = fork();
    if (pid != 0) {
        wait_child("unprivileged child", pid);
        T("parent: OTHER", setsched(0, OTHER, 0));
        show_nice("parent: nice", PRIO_PROCESS, 0);
        return;
    }
    soft_limit(RLIMIT_RTPRIO, 0);
    soft_limit(RLIMIT_NICE, 0);
    T("setuid 65534", setuid(65534));
    T("getscheduler", getsched(0));
    T("setparam 5, lowering", setparam(0, 5));
    T("setparam 8, raising again", setparam(0, 8));
    T("setparam 5, the same", setparam(0, 5));
    T("RR 5 under RLIMIT_RTPRIO 0", setsched(0, RR, 5));
    T("OTHER", setsched(0, OTHER, 0));
    T("FIFO 1 under RLIMIT_RTPRIO 0", setsched(0, FIFO, 1));
    T("setpriority -1 under RLIMIT_NICE 0", setpriority(PRIO_PROCESS, 0, -1));
    T("setpriority 5", setpriority(PRIO_PROCESS, 0, 5));
    T("setpriority 3, raising the priority", setpriority(PRIO_PROCESS, 0, 3));
    errno = 0;
    int r = nice(2);
    say("nice(2): %d %s\n", r, ename(errno));
    errno = 0;
    r = nice(-1);
    say("nice(-1): %d %s\n", r, ename(errno));
    struct attr a = attr_of(OTHER, 0, 6, 0);
    T("setattr nice 6", setattr(0, &a));
    a = attr_of(OTHER, 0, 9, 0);
    T("setattr nice 9", setattr(0, &a));
    show_nice("getpriority of its user", PRIO_USER, 0);
    a = attr_of(DEADLINE, 0, 0, 0);
    a.runtime = 10000000;
    a.deadline = a.period = 30000000;
    T("setattr DEADLINE", setattr(0, &a));
    T("IDLE", setsched(0, IDLE, 0));
    T("OTHER from IDLE", setsched(0, OTHER, 0));
    T("BATCH from IDLE", setsched(0, BATCH, 0));
    T("IDLE again", setsched(0, IDLE, 0));
    T("IDLE RESET_ON_FORK", setsched(0, IDLE | RESET_ON_FORK, 0));
    T("IDLE clearing the reset flag", setsched(0, IDLE, 0));
    T("setparam keeps it", setparam(0, 0));
    T("getscheduler", getsched(0));

    T("parent's getscheduler", getsched(parent));
    T("parent's getparam", getparam(parent));
    show_nice("parent's nice", PRIO_PROCESS, parent);
    T("parent's setscheduler", setsched(parent, OTHER, 0));
    T("parent's setparam", setparam(parent, 1));
    T("parent's setpriority", setpriority(PRIO_PROCESS, parent, 1));
    uint64_t mask = 0;
    T("parent's getaffinity", syscall(SYS_sched_getaffinity, parent, 8, &mask));
    mask = 1;
    T("parent's setaffinity", syscall(SYS_sched_setaffinity, parent, 8, &mask));
    T("setpriority of its group, the parent in it", setpriority(PRIO_PGRP, 0, 10));
    show_nice("its own nice", PRIO_PROCESS, 0);
    show_nice("the parent's", PRIO_PROCESS, parent);
    T("setpriority of a user with no task", setpriority(PRIO_USER, 54321, 1));
    show_nice("getpriority of a user with no task", PRIO_USER, 54321);
    _exit(0);
}

/*
 * With argument "limits", run by a kernel that gave the process RLIMIT_RTPRIO 10 and
 * RLIMIT_NICE 25: what an unprivileged task may do within them.
 */
static int within_limits(void) {
    struct rlimit rt, nic;
    getrlimit(RLIMIT_RTPRIO, &rt);
    getrlimit(RLIMIT_NICE, &nic);
    say("limits: rtprio %ld nice %ld\n", (long) rt.rlim_cur, (long) nic.rlim_cur);
    T("setuid 65534", setuid(65534));
    T("FIFO 5 under RLIMIT_RTPRIO 10", setsched(0, FIFO, 5));
    T("FIFO 11 above it", setsched(0, FIFO, 11));
    T("setparam 8, raising within it", setparam(0, 8));
    T("setparam 3, lowering", setparam(0, 3));
    T("setparam 10", setparam(0, 10));
    T("setparam 11", setparam(0, 11));
    T("RR 10", setsched(0, RR, 10));
    T("OTHER", setsched(0, OTHER, 0));
    T("setpriority -5 under RLIMIT_NICE 25", setpriority(PRIO_PROCESS, 0, -5));
    T("setpriority -6", setpriority(PRIO_PROCESS, 0, -6));
    struct attr a = attr_of(OTHER, 0, -6, 0);
    T("setattr nice -6", setattr(0, &a));
    a = attr_of(OTHER, 0, -4, 0);
    T("setattr nice -4", setattr(0, &a));
    show_nice("nice", PRIO_PROCESS, 0);
    T("IDLE", setsched(0, IDLE, 0));
    T("OTHER from IDLE", setsched(0, OTHER, 0));
    return 0;
}

/* What root may do whatever its limits say (CAP_SYS_NICE). */
static void privileged(void) {
    struct rlimit saved_nice, saved_rtprio;
    getrlimit(RLIMIT_NICE, &saved_nice);
    getrlimit(RLIMIT_RTPRIO, &saved_rtprio);
    soft_limit(RLIMIT_NICE, 0);
    soft_limit(RLIMIT_RTPRIO, 0);
    T("root: FIFO 99 under RLIMIT_RTPRIO 0", setsched(0, FIFO, 99));
    T("root: OTHER", setsched(0, OTHER, 0));
    T("root: setpriority -20 under RLIMIT_NICE 0", setpriority(PRIO_PROCESS, 0, -20));
    show_nice("root: nice", PRIO_PROCESS, 0);
    T("root: setpriority -30 clamps", setpriority(PRIO_PROCESS, 0, -30));
    show_nice("root: nice", PRIO_PROCESS, 0);
    T("root: setpriority 0", setpriority(PRIO_PROCESS, 0, 0));
    T("setpriority bad which", setpriority(7, 0, 0));
    T("setpriority no such pid", setpriority(PRIO_PROCESS, NO_PID, 0));
    T("setpriority no such group", setpriority(PRIO_PGRP, NO_PID, 0));
    show_nice("getpriority bad which", 7, 0);
    show_nice("getpriority no such pid", PRIO_PROCESS, NO_PID);
    show_nice("getpriority pid -1", PRIO_PROCESS, -1);
    show_nice("getpriority no such group", PRIO_PGRP, NO_PID);
    setrlimit(RLIMIT_NICE, &saved_nice);
    setrlimit(RLIMIT_RTPRIO, &saved_rtprio);
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "limits") == 0) {
        return within_limits();
    }
    /* A known start, whatever the parent left: SCHED_OTHER, nice 0, a group of its own. */
    setsched(0, OTHER, 0);
    setpriority(PRIO_PROCESS, 0, 0);
    setpgid(0, 0);
    say("sched file header %d\n", sched_header("/proc/self/sched", getpid(), 1));
    ranges();
    policies();
    attrs();
    forks();
    threads();
    affinity();
    privileged();
    unprivileged();
    return 0;
}
