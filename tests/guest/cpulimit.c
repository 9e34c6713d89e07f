/* RLIMIT_CPU: a child that spins with a soft limit of 1 s and a hard limit of 2 s gets SIGXCPU
 * at 1 s (its handler reports it through a pipe and it spins on; the soft limit is then 2 s, as
 * getrlimit shows in the handler) and SIGKILL at 2 s. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static int report;

static void onXcpu(int sig) {
    (void) sig;
    struct rlimit now;
    getrlimit(RLIMIT_CPU, &now);
    char c = (char) ('0' + now.rlim_cur);
    if (write(report, &c, 1) != 1) {
        _exit(3);
    }
}

int main(void) {
    int fds[2];
    if (pipe(fds) != 0) {
        perror("pipe");
        return 1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        report = fds[1];
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = onXcpu;
        sigaction(SIGXCPU, &sa, NULL);
        struct rlimit lim = {1, 2};
        if (setrlimit(RLIMIT_CPU, &lim) != 0) {
            perror("setrlimit");
            _exit(2);
        }
        for (volatile unsigned long n = 0;; n++) {
        }
    }
    close(fds[1]);
    int status;
    waitpid(pid, &status, 0);
    char got[8] = {0};
    ssize_t n = read(fds[0], got, sizeof got - 1);
    printf("SIGXCPU received %zd time(s), soft limit then %s s\n", n, got);
    printf("child killed by %s\n", WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "nothing");
    return 0;
}
