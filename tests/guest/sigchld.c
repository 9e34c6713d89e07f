/*
 * Signals between processes: SIGCHLD's siginfo for exit, kill, stop and continue (SA_SIGINFO and
 * sigwaitinfo), SA_NOCLDSTOP, SA_NOCLDWAIT and SIG_IGN auto-reaping, kill(2) to 0, to -pgid and
 * with signal 0, its permission check, SIGPIPE killing a writer whose reader is gone, a wait
 * interrupted by a handler, PR_SET_PDEATHSIG, and PR_SET_CHILD_SUBREAPER taking in an orphaned
 * grandchild. Run as root: the permission check drops a child to uid 65534.
 */
#define _GNU_SOURCE
#include "proccheck.h"
#include <sys/prctl.h>
#include <sys/time.h>
#include <time.h>

static volatile sig_atomic_t chld_count;
static volatile int chld_code, chld_status, chld_pid, chld_signo, chld_uid;

static void on_chld(int sig, siginfo_t *si, void *uc) {
    (void) sig;
    (void) uc;
    chld_signo = si->si_signo;
    chld_code = si->si_code;
    chld_status = si->si_status;
    chld_pid = si->si_pid;
    chld_uid = (int) si->si_uid;
    chld_count++;
}

static sigset_t only_chld, nothing;

/* Sets SIGCHLD's action: handler (with SA_SIGINFO) or SIG_DFL/SIG_IGN, and flags. */
static void chld_action(void (*handler)(int, siginfo_t *, void *), void (*plain)(int), int flags) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    if (handler) {
        sa.sa_sigaction = handler;
        flags |= SA_SIGINFO;
    } else {
        sa.sa_handler = plain;
    }
    sa.sa_flags = flags;
    sigaction(SIGCHLD, &sa, NULL);
}

static volatile sig_atomic_t alarmed;

static void on_alarm(int sig) {
    (void) sig;
    alarmed = 1;
}

/* With SIGCHLD blocked, waits in sigsuspend until the handler has run once more; gives up after
 * 10 s (SIGALRM), so that a SIGCHLD that never comes fails the check instead of hanging. */
static void await_chld(void) {
    int seen = chld_count;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    alarmed = 0;
    alarm(10);
    while (chld_count == seen && !alarmed) {
        sigsuspend(&nothing);
    }
    alarm(0);
    signal(SIGALRM, SIG_DFL);
    if (chld_count == seen) {
        printf("(no SIGCHLD within 10 s)\n");
    }
}

/* sigwaitinfo(2) for set, giving up after 10 s as await_chld does. */
static int wait_signal(const sigset_t *set, siginfo_t *si) {
    struct timespec ten = {10, 0};
    return sigtimedwait(set, si, &ten);
}

/* Pauses until a signal ends it. */
static pid_t sleeper(void) {
    pid_t pid = fork_or_die();
    if (pid == 0) {
        sigprocmask(SIG_SETMASK, &nothing, NULL);
        for (;;) {
            pause();
        }
    }
    return pid;
}

/* Whether the handler's last siginfo says code and status from pid. */
static int chld_was(pid_t pid, int code, int status) {
    return chld_signo == SIGCHLD && chld_pid == pid && chld_code == code && chld_status == status
            && chld_uid == (int) getuid();
}

static const char *chld_text(void) {
    static char buf[128];
    snprintf(buf, sizeof buf, "si_signo %d si_code %d si_status %d si_pid %s", chld_signo, chld_code, chld_status,
            chld_pid == 0 ? "0" : "set");
    return buf;
}

static int sigchld_pending(void) {
    sigset_t p;
    sigpending(&p);
    return sigismember(&p, SIGCHLD);
}

/* Takes a pending SIGCHLD away (it is blocked), so that the next check starts clean. */
static void drain_chld(void) {
    struct timespec zero = {0, 0};
    while (sigtimedwait(&only_chld, NULL, &zero) == SIGCHLD) {
    }
}

static void siginfo_of_sigchld(void) {
    int st;
    chld_action(on_chld, NULL, SA_RESTART);
    pid_t pid = fork_or_die();
    if (pid == 0) {
        _exit(3);
    }
    await_chld();
    check("SIGCHLD handler for an exit: CLD_EXITED, si_status 3, si_pid, si_uid", chld_was(pid, CLD_EXITED, 3), "%s",
            chld_text());
    waitpid_(pid, &st, 0);

    pid = sleeper();
    kill(pid, SIGKILL);
    await_chld();
    check("for a SIGKILL: CLD_KILLED, si_status SIGKILL", chld_was(pid, CLD_KILLED, SIGKILL), "%s", chld_text());
    waitpid_(pid, &st, 0);

    if ((pid = fork_or_die()) == 0) {
        default_signal(SIGTERM);
        raise(SIGTERM);
        _exit(1);
    }
    await_chld();
    check("for a raised SIGTERM: CLD_KILLED, si_status SIGTERM", chld_was(pid, CLD_KILLED, SIGTERM), "%s", chld_text());
    waitpid_(pid, &st, 0);

    pid = sleeper();
    kill(pid, SIGSTOP);
    await_chld();
    check("for a stop: CLD_STOPPED, si_status SIGSTOP", chld_was(pid, CLD_STOPPED, SIGSTOP), "%s", chld_text());
    kill(pid, SIGCONT);
    await_chld();
    check("for a continue: CLD_CONTINUED, si_status SIGCONT", chld_was(pid, CLD_CONTINUED, SIGCONT), "%s", chld_text());
    kill(pid, SIGKILL);
    await_chld();
    waitpid_(pid, &st, 0);

    chld_action(NULL, SIG_DFL, 0);
    if ((pid = fork_or_die()) == 0) {
        _exit(4);
    }
    siginfo_t si;
    memset(&si, 0, sizeof si);
    int r = wait_signal(&only_chld, &si);
    check("sigwaitinfo takes a blocked SIGCHLD: CLD_EXITED, si_status 4, si_pid", r == SIGCHLD && si.si_code == CLD_EXITED
            && si.si_status == 4 && si.si_pid == pid, "returned %d, si_code %d si_status %d", r, si.si_code, si.si_status);
    waitpid_(pid, &st, 0);
}

static void no_cld_stop(void) {
    int st;
    chld_action(on_chld, NULL, SA_NOCLDSTOP | SA_RESTART);
    drain_chld();
    pid_t pid = sleeper();
    kill(pid, SIGSTOP);
    waitpid_(pid, &st, WUNTRACED);
    int after_stop = sigchld_pending();
    kill(pid, SIGCONT);
    waitpid_(pid, &st, WCONTINUED);
    kill(pid, SIGKILL);
    waitpid_(pid, &st, 0);
    int after_exit = sigchld_pending();
    check("SA_NOCLDSTOP: no SIGCHLD for a stop, one for the exit", !after_stop && after_exit,
            "pending after the stop %d, after the exit %d", after_stop, after_exit);
    drain_chld();
    chld_action(NULL, SIG_DFL, 0);
}

static void auto_reap(void) {
    int st;
    chld_action(NULL, SIG_DFL, SA_NOCLDWAIT);
    drain_chld();
    pid_t pid = fork_or_die();
    if (pid == 0) {
        _exit(0);
    }
    errno = 0;
    pid_t r = wait(&st);
    int e = errno;
    int gone = kill(pid, 0) == -1 && errno == ESRCH;
    check("SA_NOCLDWAIT: wait blocks until the child ends, then ECHILD; the child is gone", r == -1 && e == ECHILD && gone,
            "wait returned %d %s, kill(pid, 0) %s", r, errname(e), gone ? "ESRCH" : "found it");
    check("SA_NOCLDWAIT with SIG_DFL still sends SIGCHLD", sigchld_pending(), "nothing pending");
    drain_chld();

    chld_action(NULL, SIG_IGN, 0);
    pid = fork_or_die();
    if (pid == 0) {
        _exit(0);
    }
    errno = 0;
    r = waitpid(pid, &st, 0);
    e = errno;
    gone = kill(pid, 0) == -1 && errno == ESRCH;
    check("SIGCHLD ignored: waitpid blocks until the child ends, then ECHILD; the child is gone",
            r == -1 && e == ECHILD && gone, "waitpid returned %d %s, kill(pid, 0) %s", r, errname(e),
            gone ? "ESRCH" : "found it");
    check("and no SIGCHLD is pending", !sigchld_pending(), "SIGCHLD pending");
    chld_action(NULL, SIG_DFL, 0);
}

static void kill_zero(void) {
    int st;
    pid_t pid = sleeper();
    int alive = kill(pid, 0);
    kill(pid, SIGKILL);
    siginfo_t si;
    waitid(P_PID, pid, &si, WEXITED | WNOWAIT);
    int zombie = kill(pid, 0);
    waitpid_(pid, &st, 0);
    errno = 0;
    int reaped = kill(pid, 0), e = errno;
    check("kill(pid, 0): 0 for a live child and for a zombie, ESRCH once reaped",
            alive == 0 && zombie == 0 && reaped == -1 && e == ESRCH, "%d, %d, %d %s", alive, zombie, reaped, errname(e));
    errno = 0;
    int r = kill(getpid(), 1000);
    check("kill with signal 1000: EINVAL", r == -1 && errno == EINVAL, "returned %d %s", r, errname(errno));
    errno = 0;
    r = kill(-0x3ffffff0, SIGUSR1);
    check("kill of a process group that does not exist: ESRCH", r == -1 && errno == ESRCH, "returned %d %s", r,
            errname(errno));
}

/* kill(0, sig) from a group leader of 4 processes reaches the 4, and nobody outside. */
static void kill_own_group(void) {
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    int st;
    pid_t leader = fork_or_die();
    if (leader == 0) {
        setpgid(0, 0);
        pid_t me = getpid(), members[3];
        for (int i = 0; i < 3; i++) {
            if ((members[i] = fork_or_die()) == 0) {
                siginfo_t si;
                int r = wait_signal(&usr1, &si);
                _exit(r == SIGUSR1 && si.si_code == SI_USER && si.si_pid == me && getpgrp() == me ? 0 : 1);
            }
        }
        int bad = kill(0, SIGUSR1) != 0;
        siginfo_t si;
        bad |= wait_signal(&usr1, &si) != SIGUSR1 || si.si_pid != me;
        for (int i = 0; i < 3; i++) {
            bad |= !exited_with(members[i], 0, &st);
        }
        _exit(bad);
    }
    exited_with(leader, 0, &st);
    sigset_t p;
    sigpending(&p);
    int here = sigismember(&p, SIGUSR1);
    check("kill(0, SIGUSR1) in a group of 4 reaches each of them, sender included, as SI_USER from the sender",
            WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s", status_text(st));
    check("and not the process outside the group", !here, "SIGUSR1 pending here");
    sigprocmask(SIG_UNBLOCK, &usr1, NULL);
}

/* kill(-pgid) ends the two processes of another group and leaves ours alone. */
static void kill_other_group(void) {
    int st;
    pid_t a = fork_or_die();
    if (a == 0) {
        setpgid(0, 0);
        default_signal(SIGTERM);
        for (;;) {
            pause();
        }
    }
    setpgid(a, a);
    pid_t b = fork_or_die();
    if (b == 0) {
        setpgid(0, a);
        default_signal(SIGTERM);
        for (;;) {
            pause();
        }
    }
    setpgid(b, a);
    pid_t c = sleeper();
    int joined = getpgid(b) == a && getpgid(a) == a && getpgid(c) == getpgrp();
    int r = kill(-a, SIGTERM);
    int sta = 0, stb = 0;
    waitpid_(a, &sta, 0);
    waitpid_(b, &stb, 0);
    int c_alive = waitpid(c, &st, WNOHANG) == 0 && kill(c, 0) == 0;
    check("kill(-pgid, SIGTERM) ends both processes of that group", joined && r == 0 && WIFSIGNALED(sta)
            && WTERMSIG(sta) == SIGTERM && WIFSIGNALED(stb) && WTERMSIG(stb) == SIGTERM, "groups %s, kill %d, %s and %s",
            joined ? "right" : "wrong", r, status_text(sta), status_text(stb));
    check("and not the child in our group", c_alive, "it is gone");
    kill(c, SIGKILL);
    waitpid_(c, &st, 0);
}

/* As root, a child that became uid 65534 may not signal its root parent, except SIGCONT, which
 * kill(2) allows within a session. */
static void kill_permission(void) {
    int st;
    pid_t pid = fork_or_die();
    if (pid == 0) {
        if (setuid(65534) != 0) {
            printf("setuid(65534) failed: %s (run as root)\n", errname(errno));
            _exit(9);
        }
        errno = 0;
        int r0 = kill(getppid(), 0), e0 = errno;
        int rc = kill(getppid(), SIGCONT);
        _exit(r0 == -1 && e0 == EPERM ? (rc == 0 ? 0 : 2) : 1);
    }
    exited_with(pid, 0, &st);
    check("an unprivileged child signalling its root parent: EPERM, but SIGCONT is allowed in the session",
            WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s (1: no EPERM, 2: SIGCONT refused)", status_text(st));
}

/* sigqueue(3) to another process: the child waits for SIGRTMIN with sigwaitinfo and exits with
 * what it saw (value, si_code, sender). */
static void sigqueue_other(void) {
    int st, ready[2];
    pipe_or_die(ready);
    sigset_t rt;
    sigemptyset(&rt);
    sigaddset(&rt, SIGRTMIN);
    sigprocmask(SIG_BLOCK, &rt, NULL);
    pid_t pid = fork_or_die();
    if (pid == 0) {
        close(ready[0]);
        if (write(ready[1], "r", 1) != 1) {
            _exit(9);
        }
        siginfo_t si;
        int s = sigwaitinfo(&rt, &si);
        _exit(s == SIGRTMIN && si.si_value.sival_int == 77 && si.si_code == SI_QUEUE && si.si_pid == getppid()
              && si.si_uid == getuid() ? 0 : 1);
    }
    close(ready[1]);
    char c;
    if (read(ready[0], &c, 1) != 1) {
        exit(9);
    }
    close(ready[0]);
    union sigval v = {.sival_int = 77};
    int r = sigqueue(pid, SIGRTMIN, v);
    if (r != 0) {
        kill(pid, SIGKILL); /* it would wait for ever */
    }
    exited_with(pid, 0, &st);
    sigprocmask(SIG_UNBLOCK, &rt, NULL);
    check("sigqueue to a child: it takes the value, SI_QUEUE and the sender with sigwaitinfo",
            r == 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0, "sigqueue %d, %s", r, status_text(st));
    errno = 0;
    r = sigqueue(pid, SIGRTMIN, v);
    check("sigqueue to a pid that is gone: ESRCH", r == -1 && errno == ESRCH, "%d %s", r, errname(errno));
}

static void sigpipe(void) {
    int p[2], st;
    pipe_or_die(p);
    close(p[0]);
    pid_t pid = fork_or_die();
    if (pid == 0) {
        default_signal(SIGPIPE);
        ssize_t r = write(p[1], "x", 1);
        _exit(r < 0 ? 2 : 3);
    }
    close(p[1]);
    waitpid_(pid, &st, 0);
    check("a child writing to a pipe without readers is killed by SIGPIPE", WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE,
            "%s", status_text(st));

    pipe_or_die(p);
    if ((pid = fork_or_die()) == 0) {
        default_signal(SIGPIPE);
        close(p[0]);
        static char block[65536];
        for (;;) {
            if (write(p[1], block, sizeof block) < 0) {
                _exit(2);
            }
        }
    }
    close(p[1]);
    char c;
    ssize_t n = read(p[0], &c, 1);
    close(p[0]);
    waitpid_(pid, &st, 0);
    check("a writer blocked on a full pipe is killed by SIGPIPE when its reader closes", n == 1 && WIFSIGNALED(st)
            && WTERMSIG(st) == SIGPIPE, "read %zd, %s", n, status_text(st));

    pipe_or_die(p);
    close(p[0]);
    if ((pid = fork_or_die()) == 0) {
        signal(SIGPIPE, SIG_IGN);
        ssize_t r = write(p[1], "x", 1);
        _exit(r == -1 && errno == EPIPE ? 0 : 1);
    }
    close(p[1]);
    check("with SIGPIPE ignored the write fails with EPIPE", exited_with(pid, 0, &st), "%s", status_text(st));
}

static pid_t victim;

static void kill_victim(int sig) {
    (void) sig;
    kill(victim, SIGKILL);
}

/* A handler runs while waitpid blocks: without SA_RESTART the wait fails with EINTR, with it the
 * wait goes on (and reaps the child the handler killed). */
static void interrupted_wait(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = kill_victim;
    sigaction(SIGALRM, &sa, NULL);
    victim = sleeper();
    struct itimerval t = {{0, 0}, {0, 50000}};
    setitimer(ITIMER_REAL, &t, NULL);
    int st = 0;
    errno = 0;
    pid_t r = waitpid(victim, &st, 0);
    int e = errno;
    if (r != victim) {
        waitpid_(victim, &st, 0);
    }
    check("a handler without SA_RESTART interrupts waitpid: EINTR", r == -1 && e == EINTR, "returned %d %s, %s", r,
            errname(e), status_text(st));

    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    victim = sleeper();
    setitimer(ITIMER_REAL, &t, NULL);
    r = waitpid(victim, &st, 0);
    check("with SA_RESTART waitpid goes on and reaps the child the handler killed",
            r == victim && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "returned %d %s, %s", r,
            r < 0 ? errname(errno) : "", status_text(st));
    signal(SIGALRM, SIG_DFL);
}

/* Writes the int v to fd, or reads one; the pipes carry pids between the generations. */
static void put_int(int fd, int v) {
    if (write(fd, &v, sizeof v) != sizeof v) {
        _exit(100);
    }
}

static int get_int(int fd) {
    int v = -1;
    return read(fd, &v, sizeof v) == sizeof v ? v : -1;
}

/* This process becomes a subreaper; a middle child forks a grandchild and exits. The grandchild
 * sees its parent become us, and we reap it. A second grandchild asked for SIGTERM when its
 * parent dies (PR_SET_PDEATHSIG) and gets it. */
static void subreaper(void) {
    int st;
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    int flag = -1;
    prctl(PR_GET_CHILD_SUBREAPER, &flag, 0, 0, 0);
    check("PR_SET_CHILD_SUBREAPER then PR_GET_CHILD_SUBREAPER: 1", flag == 1, "got %d", flag);

    int up[2], down[2];
    pipe_or_die(up);
    pipe_or_die(down);
    pid_t middle = fork_or_die();
    if (middle == 0) {
        pid_t me = getpid();
        pid_t g = fork_or_die();
        if (g == 0) {
            close(down[1]);
            /* wait for the middle process to go, then report who our parent is now */
            await(down[0]);
            int i = 0;
            while (getppid() == me && i++ < 10000) {
                usleep(1000);
            }
            put_int(up[1], getppid());
            _exit(5);
        }
        put_int(up[1], g);
        _exit(0);
    }
    close(up[1]);
    pid_t g = get_int(up[0]);
    int middle_ok = exited_with(middle, 0, &st);
    close(down[0]);
    close(down[1]);
    pid_t new_parent = get_int(up[0]);
    close(up[0]);
    check("an orphaned grandchild is re-parented to the subreaper", middle_ok && new_parent == getpid(),
            "middle %s, new parent %s", status_text(st), new_parent == -1 ? "unknown" : "another process");
    check("and the subreaper reaps it", g > 0 && exited_with(g, 5, &st), "%s", status_text(st));

    pipe_or_die(up);
    pipe_or_die(down);
    if ((middle = fork_or_die()) == 0) {
        pid_t me = getpid();
        pid_t c = fork_or_die();
        if (c == 0) {
            close(up[0]);
            close(down[1]);
            default_signal(SIGTERM);
            prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
            int sig = 0, child_sig = -1;
            prctl(PR_GET_PDEATHSIG, &sig, 0, 0, 0);
            pid_t d = fork_or_die();
            if (d == 0) {
                prctl(PR_GET_PDEATHSIG, &child_sig, 0, 0, 0);
                _exit(child_sig);
            }
            int dst = 0;
            waitpid_(d, &dst, 0);
            put_int(up[1], getppid() == me && sig == SIGTERM && WIFEXITED(dst) && WEXITSTATUS(dst) == 0 ? 1 : 0);
            for (;;) {
                pause();
            }
        }
        close(up[1]);
        await(down[0]);
        _exit(0);
    }
    close(up[1]);
    close(down[0]);
    int ready = get_int(up[0]);
    close(up[0]);
    post(down[1], 'x');
    close(down[1]);
    int middle_st = 0;
    waitpid_(middle, &middle_st, 0);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    int r = waitid(P_ALL, 0, &si, WEXITED);
    check("PR_SET_PDEATHSIG: PR_GET_PDEATHSIG says SIGTERM; a child of it starts with 0", ready == 1, "got %d", ready);
    check("when its parent exits the child gets SIGTERM, and the subreaper reaps it", WIFEXITED(middle_st) && r == 0
            && si.si_code == CLD_KILLED && si.si_status == SIGTERM, "middle %s, waitid %d, si_code %d si_status %d",
            status_text(middle_st), r, si.si_code, si.si_status);
    prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
}

int main(void) {
    default_signal(SIGCHLD);
    default_signal(SIGPIPE);
    default_signal(SIGUSR1);
    sigemptyset(&nothing);
    sigemptyset(&only_chld);
    sigaddset(&only_chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &only_chld, NULL);
    siginfo_of_sigchld();
    no_cld_stop();
    auto_reap();
    sigprocmask(SIG_UNBLOCK, &only_chld, NULL);
    kill_zero();
    kill_own_group();
    kill_other_group();
    kill_permission();
    sigqueue_other();
    sigpipe();
    interrupted_wait();
    subreaper();
    return failed;
}
