/*
 * The cpu controller's bandwidth (cpu.max, kernel/sched/fair.c's cfs_bandwidth): a child in a
 * group with cpu.max "10000 100000" spins for 50 ms of CPU time, which takes at least five
 * periods on Linux, so the group is throttled and cpu.stat counts it. Phoenix ends a turn past
 * its quota at a syscall or a tick, and a loaded host can stretch a turn so that its debt carries
 * into the periods after, so the check is only that more than one period passed. cpu.weight.nice sets the weight
 * through the nice table (cpu_weight_nice_write_s64) and cpu.weight shows it rounded.
 */
#define _GNU_SOURCE
#include "cgcheck.h"
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

static char buf[4096];

static void show(const char *path) {
    int e = cgread(path, buf, sizeof buf);
    say("%s: %s%s", path, e ? cgerr(e) : buf, e ? "\n" : "");
}

static long cpu_usec(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}

/* Joins group /c and spins there until it has used 50 ms of CPU. */
static int spin(void) {
    char pid[32];
    snprintf(pid, sizeof pid, "%d", getpid());
    if (cgwrite(CG "/c/cgroup.procs", pid) != 0) {
        return 1;
    }
    volatile unsigned long x = 0;
    long joined = cpu_usec(); /* cpu.stat counts from the join */
    while (cpu_usec() - joined < 50000) {
        for (int i = 0; i < 10000; i++) {
            x++;
        }
    }
    return 0;
}

int main(void) {
    say("mkdir: %s\n", cgerr(mkdir(CG "/c", 0755) == 0 ? 0 : errno));
    say("enable cpu: %s\n", cgerr(cgwrite(CG "/cgroup.subtree_control", "+cpu")));
    say("cpu.max: %s\n", cgerr(cgwrite(CG "/c/cpu.max", "10000 100000")));
    show(CG "/c/cpu.max");
    pid_t child = fork();
    if (child == 0) {
        _exit(spin());
    }
    int status;
    waitpid(child, &status, 0);
    say("child exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    cgread(CG "/c/cpu.stat", buf, sizeof buf);
    say("usage_usec >= 50000: %s\n", cgkey(buf, "usage_usec") >= 50000 ? "yes" : "no");
    say("nr_periods > 1: %s\n", cgkey(buf, "nr_periods") > 1 ? "yes" : "no");
    say("nr_throttled > 0: %s\n", cgkey(buf, "nr_throttled") > 0 ? "yes" : "no");
    say("throttled_usec > 0: %s\n", cgkey(buf, "throttled_usec") > 0 ? "yes" : "no");
    say("cpu.weight.nice -5: %s\n", cgerr(cgwrite(CG "/c/cpu.weight.nice", "-5")));
    show(CG "/c/cpu.weight");
    show(CG "/c/cpu.weight.nice");
    say("cpu.weight.nice 20: %s\n", cgerr(cgwrite(CG "/c/cpu.weight.nice", "20")));
    say("rmdir: %s\n", cgerr(rmdir(CG "/c") == 0 ? 0 : errno));
    say("disable cpu: %s\n", cgerr(cgwrite(CG "/cgroup.subtree_control", "-cpu")));
    return 0;
}
