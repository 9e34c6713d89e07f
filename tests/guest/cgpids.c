/*
 * The pids controller (kernel/cgroup/pids.c): a group with pids.max 2 holds the caller and one
 * child; the next fork and a new thread fail with EAGAIN and pids.events counts them; once the
 * child is reaped a fork succeeds again. pids.current and pids.peak follow.
 */
#define _GNU_SOURCE
#include "cgcheck.h"
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>

static char buf[4096];

static void show(const char *path) {
    int e = cgread(path, buf, sizeof buf);
    say("%s: %s%s", path, e ? cgerr(e) : buf, e ? "\n" : "");
}

static void *idle(void *arg) {
    return arg;
}

int main(void) {
    say("mkdir: %s\n", cgerr(mkdir(CG "/p", 0755) == 0 ? 0 : errno));
    say("enable pids: %s\n", cgerr(cgwrite(CG "/cgroup.subtree_control", "+pids")));
    char pid[32];
    snprintf(pid, sizeof pid, "%d", getpid());
    say("move self: %s\n", cgerr(cgwrite(CG "/p/cgroup.procs", pid)));
    say("pids.max 2: %s\n", cgerr(cgwrite(CG "/p/pids.max", "2")));
    show(CG "/p/pids.max");
    show(CG "/p/pids.current");
    pid_t child = fork();
    if (child == 0) {
        pause();
        _exit(0);
    }
    say("first fork: %s\n", child > 0 ? "ok" : cgerr(errno));
    show(CG "/p/pids.current");
    pid_t again = fork();
    if (again == 0) {
        _exit(0);
    }
    say("second fork: %s\n", again > 0 ? "ok" : cgerr(errno));
    pthread_t th;
    int e = pthread_create(&th, NULL, idle, NULL);
    say("pthread_create: %s\n", cgerr(e));
    if (e == 0) {
        pthread_join(th, NULL);
    }
    show(CG "/p/pids.events");
    kill(child, SIGKILL);
    int status;
    waitpid(child, &status, 0);
    say("child killed by %d\n", WTERMSIG(status));
    show(CG "/p/pids.current");
    pid_t third = fork();
    if (third == 0) {
        _exit(7);
    }
    say("fork after reaping: %s\n", third > 0 ? "ok" : cgerr(errno));
    waitpid(third, &status, 0);
    say("it exited %d\n", WEXITSTATUS(status));
    show(CG "/p/pids.peak");
    say("pids.max max: %s\n", cgerr(cgwrite(CG "/p/pids.max", "max")));
    e = pthread_create(&th, NULL, idle, NULL);
    say("pthread_create without a limit: %s\n", cgerr(e));
    if (e == 0) {
        pthread_join(th, NULL);
    }
    say("move back: %s\n", cgerr(cgwrite(CG "/cgroup.procs", pid)));
    show(CG "/p/pids.current");
    say("rmdir: %s\n", cgerr(rmdir(CG "/p") == 0 ? 0 : errno));
    say("disable pids: %s\n", cgerr(cgwrite(CG "/cgroup.subtree_control", "-pids")));
    return 0;
}
