/*
 * A process tree as strace -f shows it: the parent forks, the child execs /proc/self/exe with
 * the argument "child" (and an environment of two variables) and exits 3; the parent waits
 * for it with wait4 (and its rusage). Then it vforks a child that _exits 5 and waits for that
 * one with waitid. SIGCHLD is caught, so that strace shows its siginfo, and blocked from before
 * each fork until the wait returned: it is delivered at the rt_sigprocmask that unblocks it, the
 * same place in the parent's trace on every run however the processes are scheduled. Each
 * process writes one line, after the one before it finished. Exit status 0 when both children
 * were reaped with their status.
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

static void report(const char *what, int status) {
    char line[80];
    int n = snprintf(line, sizeof line, "parent: %s reaped, status %d\n", what, status);
    write(1, line, n);
}

/* wait4 for any child until it reports one, with its resource usage; the status it reported, or -1. */
static int reap_any(const char *what) {
    int status = 0;
    struct rusage ru;
    pid_t got;
    do {
        got = wait4(-1, &status, 0, &ru);
    } while (got < 0);
    report(what, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* waitid for pid until it exited; its exit status, or -1. */
static int reap(pid_t pid, const char *what) {
    siginfo_t si;
    memset(&si, 0, sizeof si);
    while (waitid(P_PID, pid, &si, WEXITED) != 0) {
    }
    int status = si.si_code == CLD_EXITED ? si.si_status : -1;
    report(what, status);
    return status;
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
    int first = reap_any("forked child");
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
