/*
 * A signal interrupts a blocked call: with a SIGALRM handler installed without SA_RESTART,
 * alarm(1) ends a read(2) of an empty pipe whose write end is still open, and a write(2) to a
 * full pipe, with -1 EINTR (signal(7), "Interruption of system calls and library functions by
 * signal handlers": pipe reads and writes are among the calls that SA_RESTART would restart).
 * "eintr stdin" does the same to a read of stdin, which the caller makes a pipe that stays open
 * and empty. One line per check; exit status 0 when all held.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t alarms;
static int failed;

static void on_alarm(int sig) {
    (void) sig;
    alarms++;
}

/* Prints what an interrupted call returned; it must be -1 EINTR after exactly one alarm. */
static void report(const char *what, ssize_t r, int e) {
    int ok = r == -1 && e == EINTR && alarms == 1;
    printf("%s: %s", what, ok ? "ok\n" : "");
    if (!ok) {
        printf("returned %zd, errno %s, alarms %d\n", r, e == EINTR ? "EINTR" : strerror(e), (int) alarms);
        failed = 1;
    }
    alarms = 0;
}

int main(int argc, char **argv) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm; /* sa_flags 0: no SA_RESTART */
    sigaction(SIGALRM, &sa, NULL);
    char buf[64];

    if (argc > 1 && strcmp(argv[1], "stdin") == 0) {
        alarm(1);
        ssize_t r = read(0, buf, sizeof buf);
        report("read of an empty stdin interrupted by SIGALRM", r, errno);
        return failed;
    }

    int fds[2];
    pipe(fds);
    alarm(1);
    ssize_t r = read(fds[0], buf, sizeof buf);
    report("read of an empty pipe interrupted by SIGALRM", r, errno);

    /* Fill the pipe without blocking, a page at a time and then byte by byte (a write of up to
     * PIPE_BUF bytes is all or nothing: pipe(7)), then block on the next byte. */
    static char page[4096];
    fcntl(fds[1], F_SETFL, O_NONBLOCK);
    long filled = 0;
    while (write(fds[1], page, sizeof page) == sizeof page) {
        filled += sizeof page;
    }
    while (write(fds[1], page, 1) == 1) {
        filled++;
    }
    fcntl(fds[1], F_SETFL, 0);
    alarm(1);
    r = write(fds[1], buf, 1);
    report("write to a full pipe interrupted by SIGALRM", r, errno);
    printf("the pipe held %s\n", filled >= 4096 ? "at least a page" : "less than a page");
    return failed;
}
