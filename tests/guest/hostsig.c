/*
 * Signals from another host process (kill(1), a terminal's ^C): "hostsig handle SIG" catches SIG
 * with SA_SIGINFO and exits 7 from the handler; "hostsig default" leaves every signal at its
 * default action; "hostsig read SIG" catches SIG without SA_RESTART while blocked in read(2) of
 * its stdin, which must then fail with EINTR; "hostsig ignored" prints which signals it started
 * with ignored. Each mode but the last prints "ready" once it waits.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *names[] = {"", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV",
                              "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN",
                              "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH"};

static int number(const char *name) {
    for (int i = 1; i < (int) (sizeof names / sizeof *names); i++) {
        if (!strcmp(names[i], name)) return i;
    }
    return 0;
}

static void on_signal(int sig, siginfo_t *si, void *ctx) {
    (void) ctx;
    char line[128];
    int n = snprintf(line, sizeof line, "got SIG%s, si_code SI_USER %d, sender pid set %d\n", names[sig],
                     si->si_code == SI_USER, si->si_pid > 0 && si->si_pid != getpid());
    write(1, line, n);
    _exit(7);
}

static volatile int caught;

static void on_signal_return(int sig) {
    caught = sig;
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "default";
    if (!strcmp(mode, "ignored")) {
        for (int sig = 1; sig <= 28; sig++) {
            struct sigaction old;
            if (sig != SIGKILL && sig != SIGSTOP && sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_IGN) {
                printf("SIG%s ignored\n", names[sig]);
            }
        }
        return 0;
    }
    int sig = argc > 2 ? number(argv[2]) : 0;
    if (!strcmp(mode, "handle")) {
        struct sigaction sa = {0};
        sa.sa_sigaction = on_signal;
        sa.sa_flags = SA_SIGINFO;
        sigaction(sig, &sa, NULL);
    } else if (!strcmp(mode, "read")) {
        struct sigaction sa = {0};
        sa.sa_handler = on_signal_return;
        sigaction(sig, &sa, NULL);
        printf("ready\n");
        fflush(stdout);
        char c;
        ssize_t r = read(0, &c, 1);
        printf("read = %zd %s, caught SIG%s\n", r, r < 0 && errno == EINTR ? "EINTR" : "", names[caught]);
        return 7;
    }
    printf("ready\n");
    fflush(stdout);
    for (;;) {
        pause();
    }
}
