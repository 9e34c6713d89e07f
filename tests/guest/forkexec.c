/*
 * A process tree as strace -f shows it: the parent forks, the child execs /proc/self/exe with
 * the argument "child" (and an environment of two variables) and exits 3; the parent waits
 * for it with wait4. Then it vforks a child that _exits 5 and waits for that one too. SIGCHLD
 * is caught, so that strace shows its siginfo, and blocked from before each fork until the
 * wait returned: it is delivered at the rt_sigprocmask that unblocks it, the same place in the
 * parent's trace on every run however the processes are scheduled. Each process writes one
 * line, after the one before it finished. Exit status 0 when both children were reaped with
 * their status.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t noted;

static void note(int sig) {
    (void) sig;
    noted++;
}

/* wait4 for pid until it reports something; the status it reported, or -1. */
static int reap(pid_t pid, const char *what) {
    int status = 0;
    pid_t got;
    do {
        got = wait4(pid, &status, 0, NULL);
    } while (got < 0);
    char line[80];
    int n = snprintf(line, sizeof line, "parent: %s %s, status %d\n", what, got > 0 ? "reaped" : "lost",
            WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    write(1, line, n);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "child") == 0) {
        static const char msg[] = "child: exiting 3\n";
        write(1, msg, sizeof msg - 1);
        return 3;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = note;
    sigaction(SIGCHLD, &sa, NULL);
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);

    sigprocmask(SIG_BLOCK, &chld, NULL);
    pid_t pid = fork();
    if (pid < 0) {
        return 1;
    }
    if (pid == 0) {
        char *args[] = {"forkexec", "child", NULL};
        char *env[] = {"A=1", "B=2", NULL};
        execve("/proc/self/exe", args, env);
        _exit(127);
    }
    int first = reap(-1, "forked child");
    sigprocmask(SIG_UNBLOCK, &chld, NULL);

    sigprocmask(SIG_BLOCK, &chld, NULL);
    pid = vfork();
    if (pid == 0) {
        _exit(5);
    }
    int second = reap(pid, "vforked child");
    sigprocmask(SIG_UNBLOCK, &chld, NULL);
    return first == 3 && second == 5 && noted == 2 ? 0 : 1;
}
