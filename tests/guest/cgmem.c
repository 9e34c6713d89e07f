/*
 * The memory controller's OOM kill (mm/memcontrol.c, mm/oom_kill.c): a child in a group with
 * memory.max 16M touches 64M and is killed with SIGKILL; memory.events counts one oom and one
 * oom_kill; the parent, outside the group, goes on, and the group empties.
 */
#define _GNU_SOURCE
#include "cgcheck.h"
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

static char buf[4096];

int main(void) {
    say("mkdir: %s\n", cgerr(mkdir(CG "/m", 0755) == 0 ? 0 : errno));
    say("enable memory: %s\n", cgerr(cgwrite(CG "/cgroup.subtree_control", "+memory")));
    say("memory.max 16M: %s\n", cgerr(cgwrite(CG "/m/memory.max", "16M")));
    pid_t child = fork();
    if (child == 0) {
        if (cgwrite(CG "/m/cgroup.procs", "0") != 0) {
            _exit(2);
        }
        size_t size = 64 << 20;
        char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            _exit(3);
        }
        for (size_t i = 0; i < size; i += 4096) {
            p[i] = 1;
        }
        say("the child touched 64M and lives\n");
        _exit(0);
    }
    cgreap(child, "");
    cgread(CG "/m/memory.events", buf, sizeof buf);
    say("memory.events: oom %ld oom_kill %ld, max counted: %s\n", cgkey(buf, "oom"), cgkey(buf, "oom_kill"),
        cgkey(buf, "max") > 0 ? "yes" : "no");
    cgread(CG "/m/memory.peak", buf, sizeof buf);
    long peak = atol(buf);
    say("memory.peak over 8M and at most 16M: %s\n", peak > (8 << 20) && peak <= (16 << 20) ? "yes" : "no");
    cgread(CG "/m/memory.current", buf, sizeof buf);
    say("memory.current after: %s", buf);
    cgread(CG "/m/cgroup.events", buf, sizeof buf);
    say("populated: %ld\n", cgkey(buf, "populated"));
    say("rmdir: %s\n", cgerr(rmdir(CG "/m") == 0 ? 0 : errno));
    say("disable memory: %s\n", cgerr(cgwrite(CG "/cgroup.subtree_control", "-memory")));
    return 0;
}
