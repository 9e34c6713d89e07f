/* Time, limits and CPU syscalls: results that hold on any Linux, printed as checks.
 * Each call is made before its printf: argument evaluation order is unspecified. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

static long long ns(clockid_t id) {
    struct timespec t;
    clock_gettime(id, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void show(const char *what, long r) {
    printf("%s = %ld%s\n", what, r, r < 0 && errno == EINVAL ? " EINVAL" : "");
}

int main(void) {
    long long t0 = ns(CLOCK_MONOTONIC);
    struct timespec req = {0, 20 * 1000 * 1000};
    show("nanosleep 20 ms", nanosleep(&req, NULL));
    show("slept at least 20 ms", ns(CLOCK_MONOTONIC) - t0 >= 20000000LL);
    struct timespec bad = {0, 1000000000};
    show("nanosleep(nsec=1e9)", nanosleep(&bad, NULL));
    struct timespec past = {1, 0};
    show("clock_nanosleep abstime in the past", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL));
    show("clock_nanosleep(THREAD_CPUTIME)", clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &req, NULL));
    struct timespec res = {99, 99};
    show("clock_getres(MONOTONIC)", clock_getres(CLOCK_MONOTONIC, &res));
    show("resolution at most 1 ms", res.tv_sec == 0 && res.tv_nsec <= 1000000);
    show("clock_gettime(99)", clock_gettime((clockid_t) 99, &res));
    show("realtime after 2020", ns(CLOCK_REALTIME) > 1577836800LL * 1000000000LL);
    volatile unsigned long spin = 0;
    for (unsigned long i = 0; i < 30000000UL; i++) {
        spin += i;
    }
    struct tms tms;
    show("times > 0", times(&tms) > 0);
    struct rusage ru;
    show("getrusage(SELF)", getrusage(RUSAGE_SELF, &ru));
    show("getrusage(42)", getrusage(42, &ru));
    ru.ru_utime.tv_sec = 99;
    show("getrusage(CHILDREN)", getrusage(RUSAGE_CHILDREN, &ru));
    show("no children: no time", ru.ru_utime.tv_sec == 0 && ru.ru_utime.tv_usec == 0 && ru.ru_stime.tv_sec == 0);
    show("process CPU time > 0", ns(CLOCK_PROCESS_CPUTIME_ID) > 0);
    /* CPU-time clocks by pid and tid: negative ids (kind in bits 0-1, thread bit 2, ~pid above). */
    clockid_t cid = 99;
    show("clock_getcpuclockid(getpid())", clock_getcpuclockid(getpid(), &cid));
    show("its id is negative", cid < 0);
    show("its CPU time > 0", ns(cid) > 0);
    show("clock_getcpuclockid(0)", clock_getcpuclockid(0, &cid));
    show("clock_getcpuclockid(no such pid)", clock_getcpuclockid(0x0fffffff, &cid));
    show("pthread_getcpuclockid(self)", pthread_getcpuclockid(pthread_self(), &cid));
    show("thread CPU time > 0", ns(cid) > 0);
    struct timespec cres = {99, 99};
    show("clock_getres(thread clock)", clock_getres(cid, &cres));
    show("clock_gettime(PROF, pid 0)", clock_gettime((clockid_t) ((~0u << 3) | 0), &cres));
    show("clock_gettime(kind 3)", clock_gettime((clockid_t) ((~0u << 3) | 3), &cres));
    show("clock_gettime(thread of tid 0x0fffffff)", clock_gettime((clockid_t) ((~0x0fffffffu << 3) | 6), &cres));
    struct rlimit rl;
    show("getrlimit(NOFILE)", getrlimit(RLIMIT_NOFILE, &rl));
    show("soft <= hard", rl.rlim_cur <= rl.rlim_max);
    struct rlimit lower = {64, rl.rlim_max};
    show("setrlimit(NOFILE, 64)", setrlimit(RLIMIT_NOFILE, &lower));
    getrlimit(RLIMIT_NOFILE, &rl);
    show("NOFILE soft now", (long) rl.rlim_cur);
    /* Linux's defaults (INIT_RLIMITS), which nothing between init and us changes. */
    getrlimit(RLIMIT_MSGQUEUE, &rl);
    printf("MSGQUEUE = %llu %llu\n", (unsigned long long) rl.rlim_cur, (unsigned long long) rl.rlim_max);
    getrlimit(RLIMIT_NICE, &rl);
    printf("NICE = %llu %llu\n", (unsigned long long) rl.rlim_cur, (unsigned long long) rl.rlim_max);
    getrlimit(RLIMIT_RTPRIO, &rl);
    printf("RTPRIO = %llu %llu\n", (unsigned long long) rl.rlim_cur, (unsigned long long) rl.rlim_max);
    struct rlimit inverted = {100, 10};
    show("setrlimit(soft > hard)", setrlimit(RLIMIT_NOFILE, &inverted));
    cpu_set_t set;
    CPU_ZERO(&set);
    show("sched_getaffinity", sched_getaffinity(0, sizeof set, &set));
    show("CPUs in the mask", CPU_COUNT(&set));
    show("sched_yield", sched_yield());
    unsigned cpu = 99999, node = 99999;
    show("getcpu", syscall(SYS_getcpu, &cpu, &node, NULL));
    show("cpu and node filled", cpu < 1024 && node < 1024);
    return 0;
}
