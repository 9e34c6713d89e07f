/*
 * The memory controller at populate (mm/gup.c populate_vma_page_range, mm/memcontrol.c): pages
 * that mmap(MAP_POPULATE) or madvise(MADV_POPULATE_WRITE) fault in are charged as they come, so
 * a child in a group with memory.max 16M that populates 64M and then only reads it is killed
 * with SIGKILL before it reads; 8M populated show in memory.current at once, without a store.
 */
#define _GNU_SOURCE
#include "cgcheck.h"
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

static char buf[4096];

/* Reads every page of [p, p+size): no store, so nothing is charged by these loads. */
static long readAll(const volatile char *p, size_t size) {
    long sum = 0;
    for (size_t i = 0; i < size; i += 4096) {
        sum += p[i];
    }
    return sum;
}

/* Runs how(size) in a child in group /m and reports how it ended. */
static void inGroup(const char *what, int how, size_t size) {
    pid_t child = fork();
    if (child == 0) {
        if (cgwrite(CG "/m/cgroup.procs", "0") != 0) {
            _exit(2);
        }
        char *p;
        if (how == 0) {
            p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
        } else {
            p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (p != MAP_FAILED && madvise(p, size, MADV_POPULATE_WRITE) != 0) {
                _exit(4);
            }
        }
        if (p == MAP_FAILED) {
            _exit(3);
        }
        cgread(CG "/m/memory.current", buf, sizeof buf);
        long current = atol(buf);
        long sum = readAll(p, size);
        say("%s: the child read %zuM (sum %ld), memory.current at least that: %s\n", what, size >> 20, sum,
            current >= (long) size ? "yes" : "no");
        _exit(0);
    }
    char prefix[64];
    snprintf(prefix, sizeof prefix, "%s: ", what);
    cgreap(child, prefix);
    cgread(CG "/m/memory.events", buf, sizeof buf);
    say("%s: memory.events oom_kill %ld\n", what, cgkey(buf, "oom_kill"));
}

int main(void) {
    say("mkdir: %s\n", cgerr(mkdir(CG "/m", 0755) == 0 ? 0 : errno));
    say("enable memory: %s\n", cgerr(cgwrite(CG "/cgroup.subtree_control", "+memory")));
    say("memory.max 16M: %s\n", cgerr(cgwrite(CG "/m/memory.max", "16M")));
    inGroup("MAP_POPULATE 8M", 0, 8 << 20);
    inGroup("MAP_POPULATE 64M", 0, 64 << 20);
    inGroup("MADV_POPULATE_WRITE 64M", 1, 64 << 20);
    cgread(CG "/m/memory.current", buf, sizeof buf);
    say("memory.current after: %s", buf);
    say("rmdir: %s\n", cgerr(rmdir(CG "/m") == 0 ? 0 : errno));
    say("disable memory: %s\n", cgerr(cgwrite(CG "/cgroup.subtree_control", "-memory")));
    return 0;
}
