/* Nested PID namespaces: an init in a namespace two levels down is pid 1 there and pid 2 one
   level up; SIGKILL from the level above ends it though it has no handler, while SIGTERM from
   the level above, with the default action, does not reach it. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "ttycheck.h"

int main(void) {
    if (unshare(CLONE_NEWPID) != 0) {
        say("unshare: %s\n", err(errno));
        return 1;
    }
    pid_t init1 = fork();
    if (init1 == 0) {
        say("level 1: pid %d ppid %d\n", (int) getpid(), (int) getppid());
        if (unshare(CLONE_NEWPID) != 0) {
            say("level 1 unshare: %s\n", err(errno));
            _exit(1);
        }
        int ready[2];
        pipe(ready);
        pid_t init2 = fork();
        if (init2 == 0) {
            say("level 2: pid %d ppid %d\n", (int) getpid(), (int) getppid());
            pid_t c = fork();
            if (c == 0) {
                say("level 2 child: pid %d ppid %d\n", (int) getpid(), (int) getppid());
                _exit(0);
            }
            waitpid(c, NULL, 0);
            write(ready[1], "r", 1);
            for (;;) pause();
        }
        char b;
        read(ready[0], &b, 1); /* level 2 has said its lines: ours come after them */
        say("level 1 sees level 2's init as %d\n", (int) init2);
        say("SIGTERM from above: %d\n", kill(init2, SIGTERM));
        usleep(100000);
        int st;
        say("still running: %d\n", waitpid(init2, &st, WNOHANG));
        say("SIGKILL from above: %d\n", kill(init2, SIGKILL));
        waitpid(init2, &st, 0);
        say("level 2 init killed by signal %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
        _exit(4);
    }
    int st;
    waitpid(init1, &st, 0);
    say("level 1 init exited %d\n", WEXITSTATUS(st));
    return 0;
}
