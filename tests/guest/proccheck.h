/*
 * Helpers shared by the guest programs about processes (fork.c, exec.c, spawn.c, sigchld.c): one
 * "NAME: ok" line per check, wait statuses and errno values as text, fork(2) that ends the
 * program when it fails, and one-byte hand-offs over pipes so that parent and child take turns
 * in a fixed order. A program defines _GNU_SOURCE first, then includes this header. Everything is
 * static, the functions static inline, so a program that uses only some of them still builds
 * under build.sh's -Wall -Werror.
 *
 * Children end with _exit(2), never exit(3): a child's copy of the parent's stdio buffer would
 * otherwise be written twice. The parent flushes stdout before every fork for the same reason.
 */
#ifndef PROCCHECK_H
#define PROCCHECK_H

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* 1 once a check has not held; main returns it as the exit status. */
static int failed;

/*
 * Prints "NAME: ok" when the check held, else "NAME: " and what was seen (a printf(3) format and
 * its arguments), and sets failed. One line per check, so the output can be compared with a
 * native run's line by line; nothing that differs between runs (pids, times) is printed on success.
 */
static inline __attribute__((format(printf, 3, 4))) void check(const char *name, int ok, const char *fmt, ...) {
    printf("%s: ", name);
    if (ok) {
        printf("ok\n");
    } else {
        failed = 1;
        va_list ap;
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        printf("\n");
    }
    fflush(stdout);
}

/* The name of an errno value (errno(3)) these programs may meet. */
static inline const char *errname(int e) {
    static char other[32];
    switch (e) {
    case 0: return "0";
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case ESRCH: return "ESRCH";
    case EINTR: return "EINTR";
    case E2BIG: return "E2BIG";
    case ENOEXEC: return "ENOEXEC";
    case EBADF: return "EBADF";
    case ECHILD: return "ECHILD";
    case EAGAIN: return "EAGAIN";
    case ENOMEM: return "ENOMEM";
    case EACCES: return "EACCES";
    case EFAULT: return "EFAULT";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case EINVAL: return "EINVAL";
    case ETXTBSY: return "ETXTBSY";
    case EPIPE: return "EPIPE";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case ENOSYS: return "ENOSYS";
    case ELOOP: return "ELOOP";
    default:
        snprintf(other, sizeof other, "errno %d", e);
        return other;
    }
}

/* A wait status (wait(2)) as text, for the message of a check that failed. */
static inline const char *status_text(int st) {
    static char buf[64];
    if (WIFEXITED(st)) {
        snprintf(buf, sizeof buf, "exited %d", WEXITSTATUS(st));
    } else if (WIFSIGNALED(st)) {
        snprintf(buf, sizeof buf, "killed by signal %d%s", WTERMSIG(st), WCOREDUMP(st) ? " (core)" : "");
    } else if (WIFSTOPPED(st)) {
        snprintf(buf, sizeof buf, "stopped by signal %d", WSTOPSIG(st));
    } else if (WIFCONTINUED(st)) {
        snprintf(buf, sizeof buf, "continued");
    } else {
        snprintf(buf, sizeof buf, "status 0x%x", st);
    }
    return buf;
}

/* fork(2), ending the program at once when it fails: every check after it would wait for a
 * child that does not exist. */
static inline pid_t fork_or_die(void) {
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        printf("fork failed: %s\n", strerror(errno));
        exit(1);
    }
    return pid;
}

/* pipe(2), ending the program when it fails. */
static inline void pipe_or_die(int p[2]) {
    if (pipe(p) != 0) {
        printf("pipe failed: %s\n", strerror(errno));
        exit(1);
    }
}

/* Sends one byte c on fd: the other side's turn. */
static inline void post(int fd, char c) {
    while (write(fd, &c, 1) < 0 && errno == EINTR) {
    }
}

/* Waits for one byte on fd and returns it, or -1 at end of file or on an error. */
static inline int await(int fd) {
    char c;
    ssize_t n;
    while ((n = read(fd, &c, 1)) < 0 && errno == EINTR) {
    }
    return n == 1 ? (unsigned char) c : -1;
}

/* waitpid(2) that retries after EINTR; returns what waitpid returned, the status in *st. */
static inline pid_t waitpid_(pid_t pid, int *st, int options) {
    pid_t r;
    while ((r = waitpid(pid, st, options)) < 0 && errno == EINTR) {
    }
    return r;
}

/* Waits for child pid and returns whether it exited with status code; prints nothing. */
static inline int exited_with(pid_t pid, int code, int *st) {
    return waitpid_(pid, st, 0) == pid && WIFEXITED(*st) && WEXITSTATUS(*st) == code;
}

/* Gives a signal its default disposition and unblocks it: the programs must not inherit a
 * harness's ignored SIGCHLD or SIGPIPE (an ignored SIGCHLD reaps children on its own). */
static inline void default_signal(int sig) {
    signal(sig, SIG_DFL);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    sigprocmask(SIG_UNBLOCK, &s, NULL);
}

#endif
