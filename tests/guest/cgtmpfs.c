/*
 * The memory controller and tmpfs (mm/shmem.c, mm/memcontrol.c): a tmpfs file's pages are
 * charged to the memory cgroup of the process that writes them, and cannot be reclaimed
 * without swap. A child in a group with memory.max 16M writes 64M to a file of a new tmpfs in
 * 1M writes: the OOM killer kills it with SIGKILL (memory.events oom_kill 1); the file's pages
 * stay charged (memory.current and memory.stat's shmem) until the file is truncated or
 * unlinked, or its tmpfs unmounted.
 */
#define _GNU_SOURCE
#include "cgcheck.h"
#include <signal.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

/* A directory of the host's /tmp of this run's own (the tests of the four targets may run at once). */
static char DIR[64], FILE_[80];

static char buf[4096];
static char chunk[1 << 20];

/* memory.current of /m, in bytes. */
static long current(void) {
    cgread(CG "/m/memory.current", buf, sizeof buf);
    return atol(buf);
}

int main(void) {
    snprintf(DIR, sizeof DIR, "/tmp/cgtmpfs.%d", (int) getpid());
    snprintf(FILE_, sizeof FILE_, "%s/big", DIR);
    mkdir(DIR, 0755);
    say("mount tmpfs: %s\n", cgerr(mount("tmpfs", DIR, "tmpfs", 0, "size=128M") == 0 ? 0 : errno));
    say("mkdir: %s\n", cgerr(mkdir(CG "/m", 0755) == 0 ? 0 : errno));
    say("enable memory: %s\n", cgerr(cgwrite(CG "/cgroup.subtree_control", "+memory")));
    say("memory.max 16M: %s\n", cgerr(cgwrite(CG "/m/memory.max", "16M")));
    memset(chunk, 'x', sizeof chunk);
    pid_t child = fork();
    if (child == 0) {
        if (cgwrite(CG "/m/cgroup.procs", "0") != 0) {
            _exit(2);
        }
        int fd = open(FILE_, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0) {
            _exit(3);
        }
        for (int i = 0; i < 64; i++) {
            if (write(fd, chunk, sizeof chunk) != (ssize_t) sizeof chunk) {
                say("write %d: %s\n", i, err(errno));
                _exit(4);
            }
        }
        say("the child wrote 64M and lives\n");
        _exit(0);
    }
    cgreap(child, "");
    cgread(CG "/m/memory.events", buf, sizeof buf);
    say("memory.events: oom_kill %ld, max counted: %s\n", cgkey(buf, "oom_kill"), cgkey(buf, "max") > 0 ? "yes" : "no");
    struct stat st;
    stat(FILE_, &st);
    say("file between 8M and 16M: %s\n", st.st_size >= (8 << 20) && st.st_size <= (16 << 20) ? "yes" : "no");
    long with = current();
    say("memory.current with the file: %s\n", with >= st.st_size && with <= (16 << 20) ? "its size" : "other");
    cgread(CG "/m/memory.stat", buf, sizeof buf);
    say("memory.stat shmem is the file: %s\n", cgkey(buf, "shmem") >= st.st_size ? "yes" : "no");
    say("truncate to 4M: %s\n", cgerr(truncate(FILE_, 4 << 20) == 0 ? 0 : errno));
    say("memory.current at most 4M: %s\n", current() <= (4 << 20) ? "yes" : "no");
    say("unlink: %s\n", cgerr(unlink(FILE_) == 0 ? 0 : errno));
    say("memory.current after unlink: %ld\n", current());
    child = fork();
    if (child == 0) {
        if (cgwrite(CG "/m/cgroup.procs", "0") != 0) {
            _exit(2);
        }
        int fd = open(FILE_, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        _exit(fd >= 0 && write(fd, chunk, sizeof chunk) == (ssize_t) sizeof chunk
                && write(fd, chunk, sizeof chunk) == (ssize_t) sizeof chunk ? 0 : 3);
    }
    int status;
    waitpid(child, &status, 0);
    say("a child wrote 2M: exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    say("memory.current at least 2M: %s\n", current() >= (2 << 20) ? "yes" : "no");
    say("umount: %s\n", cgerr(umount(DIR) == 0 ? 0 : errno));
    say("memory.current after umount: %ld\n", current());
    say("rmdir: %s\n", cgerr(rmdir(CG "/m") == 0 ? 0 : errno));
    say("disable memory: %s\n", cgerr(cgwrite(CG "/cgroup.subtree_control", "-memory")));
    rmdir(DIR);
    return 0;
}
