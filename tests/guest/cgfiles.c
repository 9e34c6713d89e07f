/*
 * cgroup v2's files (Documentation/admin-guide/cgroup-v2.rst): statfs's magic, the groups'
 * files with controllers off and on, cgroup.subtree_control's rules, moving the caller with
 * cgroup.procs and /proc/self/cgroup following it, cgroup.events' populated, rmdir's EBUSY,
 * cgroup.max.depth, a child forked in the group, the cpu and memory files' values.
 */
#define _GNU_SOURCE
#include "cgcheck.h"
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>

static char buf[8192];

/* The file names of directory path, sorted, on one line. */
static void list(const char *path) {
    struct dirent **names;
    int n = scandir(path, &names, NULL, alphasort);
    char line[4096] = "";
    for (int i = 0; i < n; i++) {
        if (names[i]->d_name[0] != '.') {
            strcat(line, " ");
            strcat(line, names[i]->d_name);
        }
        free(names[i]);
    }
    free(names);
    say("%s:%s\n", path, line);
}

static void show(const char *path) {
    int e = cgread(path, buf, sizeof buf);
    say("%s: %s%s", path, e ? cgerr(e) : buf, e ? "\n" : "");
}

static void wr(const char *path, const char *text) {
    say("write %s '%s': %s\n", path, text, cgerr(cgwrite(path, text)));
}

/* Writes the caller's pid to path, printed as PID (pids differ from run to run). */
static void wrpid(const char *path) {
    char pid[32];
    snprintf(pid, sizeof pid, "%d", getpid());
    say("write %s PID: %s\n", path, cgerr(cgwrite(path, pid)));
}

static void mk(const char *path) {
    say("mkdir %s: %s\n", path, cgerr(mkdir(path, 0755) == 0 ? 0 : errno));
}

static void rm(const char *path) {
    say("rmdir %s: %s\n", path, cgerr(rmdir(path) == 0 ? 0 : errno));
}

int main(void) {
    struct statfs sf;
    say("statfs: %s\n", statfs(CG, &sf) == 0 && sf.f_type == 0x63677270 ? "CGROUP2_SUPER_MAGIC" : "other");
    show("/proc/self/cgroup");
    show(CG "/cgroup.controllers");
    mk(CG "/t1");
    mk(CG "/t1");
    list(CG "/t1");
    show(CG "/t1/cgroup.controllers");
    show(CG "/t1/cgroup.type");
    show(CG "/t1/cgroup.events");
    wr(CG "/cgroup.subtree_control", "+bogus");
    wr(CG "/cgroup.subtree_control", "+pids +memory +cpu");
    show(CG "/cgroup.subtree_control");
    show(CG "/t1/cgroup.controllers");
    list(CG "/t1");
    mk(CG "/t1/sub");
    wr(CG "/t1/cgroup.subtree_control", "+pids");
    wr(CG "/t1/sub/cgroup.subtree_control", "+memory");
    show(CG "/t1/sub/cgroup.controllers");
    wrpid(CG "/t1/cgroup.procs");
    wrpid(CG "/t1/sub/cgroup.procs");
    show("/proc/self/cgroup");
    cgread(CG "/t1/sub/cgroup.procs", buf, sizeof buf);
    say("sub's cgroup.procs is the caller: %s\n", atoi(buf) == getpid() && strchr(buf, '\n')[1] == 0 ? "yes" : "no");
    show(CG "/t1/cgroup.events");
    show(CG "/t1/sub/pids.current");
    show(CG "/t1/cgroup.stat");
    rm(CG "/t1");
    rm(CG "/t1/sub");
    wr(CG "/cgroup.subtree_control", "-pids");
    pid_t child = fork();
    if (child == 0) {
        show("/proc/self/cgroup");
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    say("child exited %d\n", WEXITSTATUS(status));
    show(CG "/t1/sub/pids.current");
    wrpid(CG "/t1/sub/cgroup.threads");
    wrpid(CG "/t1/cgroup.threads");
    wr(CG "/t1/cgroup.max.depth", "0");
    mk(CG "/t1/deep");
    wr(CG "/t1/cgroup.max.depth", "max");
    wr(CG "/t1/cpu.weight", "0");
    wr(CG "/t1/cpu.weight", "200");
    show(CG "/t1/cpu.weight");
    wr(CG "/t1/cpu.max", "50000 100000");
    show(CG "/t1/cpu.max");
    wr(CG "/t1/cpu.max", "max");
    show(CG "/t1/cpu.max");
    wr(CG "/t1/memory.max", "16M");
    show(CG "/t1/memory.max");
    wr(CG "/t1/pids.max", "-1");
    show(CG "/t1/pids.max");
    cgread(CG "/t1/cpu.stat", buf, sizeof buf);
    say("cpu.stat starts with usage_usec: %s\n", strncmp(buf, "usage_usec ", 11) == 0 ? "yes" : "no");
    wr(CG "/cgroup.procs", "0");
    show("/proc/self/cgroup");
    show(CG "/t1/cgroup.events");
    rm(CG "/t1/sub");
    rm(CG "/t1");
    struct stat st;
    say("stat t1: %s\n", cgerr(stat(CG "/t1", &st) == 0 ? 0 : errno));
    wr(CG "/cgroup.subtree_control", "-pids -memory -cpu");
    return 0;
}
