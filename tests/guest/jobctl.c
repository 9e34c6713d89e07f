/* Sessions, process groups and job control on pseudo-terminals the program opens itself
 * (/dev/ptmx), so no real terminal is needed (credentials(7), ioctl_tty(2), termios(3)):
 * acquiring a controlling terminal, TIOCGPGRP, TIOCSPGRP, TIOCGSID and TIOCSCTTY with their
 * errors; SIGTTOU and SIGTTIN for a background group that sets the terminal, writes to it with
 * TOSTOP or reads it; ^C, ^Z and a resize from the master reaching the foreground group, and a
 * job stopped and continued in the background and then the foreground; an orphaned group (EIO
 * for its reads, its SIGTSTP discarded) and a newly orphaned group with a stopped member (SIGHUP
 * then SIGCONT); SIGHUP for the foreground group when the session leader exits or gives up its
 * terminal, and for the leader when the master is closed. Each part runs in a process of its
 * own, and every line is printed in an order the program fixes, so the output is the same on
 * every Linux. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "ttycheck.h"

/* "ok" for a call that returned 0 (or more), else its errno's name. */
static const char *res(int r) {
    return r >= 0 ? "ok" : err(errno);
}

static const char *sig(int s) {
    switch (s) {
    case SIGHUP: return "SIGHUP";
    case SIGINT: return "SIGINT";
    case SIGKILL: return "SIGKILL";
    case SIGCONT: return "SIGCONT";
    case SIGSTOP: return "SIGSTOP";
    case SIGTSTP: return "SIGTSTP";
    case SIGTTIN: return "SIGTTIN";
    case SIGTTOU: return "SIGTTOU";
    case SIGWINCH: return "SIGWINCH";
    default: return "SIG?";
    }
}

static const char *status(int st) {
    static char b[64];
    if (WIFSTOPPED(st)) snprintf(b, sizeof b, "stopped by %s", sig(WSTOPSIG(st)));
    else if (WIFEXITED(st)) snprintf(b, sizeof b, "exited %d", WEXITSTATUS(st));
    else if (WIFSIGNALED(st)) snprintf(b, sizeof b, "killed by %s", sig(WTERMSIG(st)));
    else snprintf(b, sizeof b, "status %#x", st);
    return b;
}

static char name[64];

/* A new pseudo-terminal, unlocked; its slave's path in name. */
static int new_pty(void) {
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    if (m < 0 || grantpt(m) != 0 || unlockpt(m) != 0 || ptsname_r(m, name, sizeof name) != 0) {
        say("no pseudo-terminal: %s\n", err(errno));
        exit(1);
    }
    return m;
}

/* In a new session, opens the slave without O_NOCTTY: it becomes the controlling terminal. */
static int lead_session(void) {
    setsid();
    int fd = open(name, O_RDWR);
    if (fd < 0) {
        say("open of the slave: %s\n", err(errno));
        _exit(1);
    }
    return fd;
}

static void block(int s, int how) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, s);
    sigprocmask(how, &set, NULL);
}

/* Puts group pgrp in the foreground; the caller, perhaps in the background, blocks SIGTTOU for it. */
static void foreground(int fd, pid_t pgrp) {
    block(SIGTTOU, SIG_BLOCK);
    if (tcsetpgrp(fd, pgrp) != 0) {
        say("tcsetpgrp: %s\n", err(errno));
    }
    block(SIGTTOU, SIG_UNBLOCK);
}

static void wait_byte(int fd) {
    char c;
    if (read(fd, &c, 1) != 1) {
        say("a helper process died\n");
        _exit(1);
    }
}

static void put_byte(int fd) {
    if (write(fd, "x", 1) != 1) {
        _exit(98);
    }
}

/* Reads exactly n bytes (an echo may come from the master in pieces). */
static int read_n(int fd, char *b, int n) {
    int got = 0, r;
    while (got < n && (r = read(fd, b + got, n - got)) > 0) {
        got += r;
    }
    return got;
}

/* Copies what a pipe carries to stdout until every writer has closed it. */
static void relay(int fd) {
    char b[512];
    int n;
    while ((n = read(fd, b, sizeof b)) > 0) {
        if (write(1, b, n) != n) {
            _exit(99);
        }
    }
}

static int report_fd = -1;

/* A handler that writes the signal's name and a newline to report_fd, in one write(2) (async-signal-safe). */
static void record(int s) {
    char line[16];
    const char *n = sig(s);
    int k = strlen(n);
    memcpy(line, n, k);
    line[k++] = '\n';
    if (write(report_fd, line, k) != k) {
        _exit(97);
    }
}

/* Reads one line (up to and with its newline) from a pipe. */
static int read_line(int fd, char *b, int size) {
    int n = 0;
    while (n < size - 1 && read(fd, b + n, 1) == 1) {
        if (b[n++] == '\n') {
            break;
        }
    }
    b[n] = 0;
    return n;
}

/* Installs a handler that runs with every signal blocked, so that handlers never nest: two
 * signals pending together are taken in one order, lowest first, on every kernel. */
static void on(int s, void (*handler)(int), int flags) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = flags;
    sigfillset(&sa.sa_mask);
    sigaction(s, &sa, NULL);
}

static int tty;

/* Runs action in a child of a background group of the session; prints how the child ended. */
static void in_background(const char *what, void (*action)(void)) {
    pid_t c = fork();
    if (c == 0) {
        setpgid(0, 0);
        action();
        _exit(0);
    }
    setpgid(c, c);
    int st;
    waitpid(c, &st, WUNTRACED);
    say("%s: %s\n", what, status(st));
    if (WIFSTOPPED(st)) {
        kill(c, SIGKILL);
        waitpid(c, &st, 0);
    }
    if (tcgetpgrp(tty) != getpgrp()) {
        foreground(tty, getpgrp());
    }
}

static void bg_tcsetpgrp(void) {
    const char *r = res(tcsetpgrp(tty, getpgrp()));
    say("  tcsetpgrp: %s, now in the foreground %d\n", r, tcgetpgrp(tty) == getpgrp());
}

static void bg_tcsetpgrp_blocked(void) {
    block(SIGTTOU, SIG_BLOCK);
    bg_tcsetpgrp();
}

static void bg_tcsetpgrp_ignored(void) {
    signal(SIGTTOU, SIG_IGN);
    bg_tcsetpgrp();
}

static void bg_tcsetattr(void) {
    struct termios t;
    tcgetattr(tty, &t);
    say("  tcsetattr: %s\n", res(tcsetattr(tty, TCSANOW, &t)));
}

static void bg_tcsetattr_ignored(void) {
    signal(SIGTTOU, SIG_IGN);
    bg_tcsetattr();
}

static void bg_tcflush(void) {
    say("  tcflush: %s\n", res(tcflush(tty, TCIFLUSH)));
}

static void bg_tcdrain(void) {
    say("  tcdrain: %s\n", res(tcdrain(tty)));
}

static void bg_tcgetpgrp(void) {
    int fg = tcgetpgrp(tty) == getsid(0);
    say("  tcgetpgrp is the session's group: %d, TIOCGWINSZ %s\n", fg, res(ioctl(tty, TIOCGWINSZ, &(struct winsize){0})));
}

static void bg_write(void) {
    say("  write: %s\n", res(write(tty, "w", 1)));
}

static void bg_write_ignored(void) {
    signal(SIGTTOU, SIG_IGN);
    bg_write();
}

static void bg_read(void) {
    char c;
    say("  read: %s\n", res(read(tty, &c, 1)));
}

static void bg_read_ignored(void) {
    signal(SIGTTIN, SIG_IGN);
    bg_read();
}

static void bg_read_blocked(void) {
    block(SIGTTIN, SIG_BLOCK);
    bg_read();
}

static volatile sig_atomic_t caught;

static void note(int s) {
    caught = s;
}

static void bg_read_handled(void) {
    on(SIGTTIN, note, 0);
    bg_read();
    say("  and the handler ran for %s\n", sig(caught));
}

static void set_tostop(int on) {
    struct termios t;
    tcgetattr(tty, &t);
    t.c_lflag = on ? t.c_lflag | TOSTOP : t.c_lflag & ~TOSTOP;
    tcsetattr(tty, TCSANOW, &t);
}

/* The controlling terminal: how a session leader gets one, and the ioctls' rules. */
static void controlling_terminal(void) {
    say("-- the controlling terminal\n");
    int m = new_pty();
    pid_t pg = -1;
    const char *r = res(ioctl(m, TIOCGPGRP, &pg));
    say("the master's TIOCGPGRP before any session has the terminal: %s %d\n", r, pg);
    int go[2], back[2];
    if (pipe(go) || pipe(back)) {
        exit(1);
    }
    pid_t s = fork();
    if (s == 0) {
        setsid();
        int fd = open(name, O_RDWR | O_NOCTTY);
        const char *g = res(tcgetpgrp(fd));
        say("opened with O_NOCTTY: tcgetpgrp %s, TIOCGSID %s\n", g, res(ioctl(fd, TIOCGSID, &pg)));
        say("open /dev/tty without a controlling terminal: %s\n", res(open("/dev/tty", O_RDWR)));
        say("TIOCNOTTY without one: %s\n", res(ioctl(fd, TIOCNOTTY)));
        int w = open(name, O_WRONLY);
        say("opened for writing only, without O_NOCTTY: tcgetpgrp %s\n", res(tcgetpgrp(w)));
        close(w);
        say("TIOCSCTTY: %s\n", res(ioctl(fd, TIOCSCTTY, 0)));
        say("tcgetpgrp is the leader's group %d, tcgetsid its session %d\n", tcgetpgrp(fd) == getpgrp(),
            tcgetsid(fd) == getsid(0));
        int t = open("/dev/tty", O_RDWR);
        say("open /dev/tty: %s, the same terminal %d\n", res(t), t >= 0 && tcgetsid(t) == getsid(0));
        close(t);
        say("TIOCSCTTY again: %s\n", res(ioctl(fd, TIOCSCTTY, 0)));
        put_byte(back[1]);
        wait_byte(go[0]);
        say("tcsetpgrp(-1): %s\n", res(tcsetpgrp(fd, -1)));
        say("tcsetpgrp(a pid nobody has): %s\n", res(tcsetpgrp(fd, 0x3ffffff0)));
        say("tcsetpgrp(the parent's group, of another session): %s\n", res(tcsetpgrp(fd, getpgid(getppid()))));
        pid_t c = fork();
        if (c == 0) {
            const char *g = tcgetpgrp(fd) == getpgrp() ? "the group's" : "?";
            say("a child: tcgetpgrp %s, TIOCSCTTY %s\n", g, res(ioctl(fd, TIOCSCTTY, 0)));
            setsid();
            g = res(tcgetpgrp(fd));
            const char *sid = res(ioctl(fd, TIOCGSID, &pg));
            say("after its setsid: tcgetpgrp %s, TIOCGSID %s, TIOCSCTTY of the leader's terminal %s\n", g, sid,
                res(ioctl(fd, TIOCSCTTY, 0)));
            say("and its /dev/tty: %s\n", res(open("/dev/tty", O_RDWR)));
            _exit(0);
        }
        waitpid(c, NULL, 0);
        c = fork();
        if (c == 0) {
            setpgid(0, 0);
            pause();
            _exit(0);
        }
        setpgid(c, c);
        const char *set = res(tcsetpgrp(fd, c));
        say("tcsetpgrp(a child's group): %s, tcgetpgrp is it %d\n", set, tcgetpgrp(fd) == c);
        kill(c, SIGKILL);
        waitpid(c, NULL, 0);
        say("the group's last process gone, tcgetpgrp still names it %d\n", tcgetpgrp(fd) == c);
        foreground(fd, getpgrp());
        int m2 = new_pty();
        int other = open(name, O_RDWR);
        say("a second terminal opened by a leader that has one: tcgetpgrp %s\n", res(tcgetpgrp(other)));
        say("TIOCSCTTY of it: %s\n", res(ioctl(other, TIOCSCTTY, 0)));
        const char *got = res(ioctl(m2, TIOCGPGRP, &pg));
        say("its master's TIOCGPGRP: %s %d\n", got, pg);
        _exit(0);
    }
    wait_byte(back[0]);
    r = res(ioctl(m, TIOCGPGRP, &pg));
    say("the master's TIOCGPGRP: %s, the leader's group %d\n", r, pg == s);
    r = res(ioctl(m, TIOCGSID, &pg));
    say("the master's TIOCGSID: %s, the leader's session %d\n", r, pg == s);
    say("tcgetpgrp of the slave here, in another session: %s\n", res(tcgetpgrp(open(name, O_RDWR | O_NOCTTY))));
    put_byte(go[1]);
    waitpid(s, NULL, 0);
}

/* SIGTTOU and SIGTTIN for a background group of the session. */
static void background_groups(void) {
    say("-- background groups\n");
    int m = new_pty();
    pid_t s = fork();
    if (s == 0) {
        close(m);
        tty = lead_session();
        in_background("tcsetpgrp from the background", bg_tcsetpgrp);
        in_background("the same with SIGTTOU blocked", bg_tcsetpgrp_blocked);
        in_background("the same with SIGTTOU ignored", bg_tcsetpgrp_ignored);
        in_background("tcsetattr from the background", bg_tcsetattr);
        in_background("the same with SIGTTOU ignored", bg_tcsetattr_ignored);
        in_background("tcflush from the background", bg_tcflush);
        in_background("tcdrain from the background", bg_tcdrain);
        in_background("tcgetpgrp and TIOCGWINSZ from the background", bg_tcgetpgrp);
        in_background("write from the background", bg_write);
        set_tostop(1);
        in_background("write from the background with TOSTOP", bg_write);
        in_background("the same with SIGTTOU ignored", bg_write_ignored);
        say("the foreground's write with TOSTOP: %s\n", res(write(tty, "f", 1)));
        set_tostop(0);
        in_background("read from the background", bg_read);
        in_background("the same with SIGTTIN ignored", bg_read_ignored);
        in_background("the same with SIGTTIN blocked", bg_read_blocked);
        in_background("the same with a handler", bg_read_handled);
        _exit(0);
    }
    waitpid(s, NULL, 0);
    close(m);
}

/* ^C, a resize and ^Z from the master; a stopped job continued in the background, then the foreground. */
static void a_job(void) {
    say("-- a job\n");
    int m = new_pty();
    pid_t s = fork();
    if (s == 0) {
        tty = lead_session();
        int rep[2];
        if (pipe(rep)) {
            _exit(1);
        }
        pid_t j = fork();
        if (j == 0) {
            setpgid(0, 0);
            close(rep[0]);
            report_fd = rep[1];
            sigset_t all, none;
            sigemptyset(&all);
            sigaddset(&all, SIGINT);
            sigaddset(&all, SIGWINCH);
            sigprocmask(SIG_BLOCK, &all, &none);
            sigdelset(&none, SIGINT);
            sigdelset(&none, SIGWINCH);
            on(SIGINT, record, 0);
            on(SIGWINCH, record, 0);
            put_byte(rep[1]);
            sigsuspend(&none);
            sigsuspend(&none);
            sigprocmask(SIG_SETMASK, &none, NULL);
            put_byte(rep[1]);
            char b[64];
            int n = read(tty, b, sizeof b);
            char line[128];
            int k = snprintf(line, sizeof line, "the job read %d bytes: %.*s", n, n > 0 ? n : 0, b);
            if (n <= 0 || b[n - 1] != '\n') {
                line[k++] = '\n';
            }
            if (write(rep[1], line, k) != k) {
                _exit(98);
            }
            _exit(3);
        }
        close(rep[1]);
        setpgid(j, j);
        foreground(tty, j);
        wait_byte(rep[0]);
        say("^C from the master\n");
        if (write(m, "\003", 1) != 1) {
            _exit(1);
        }
        char b[64];
        read_line(rep[0], b, sizeof b);
        say("  the job got %s", b);
        int n = read_n(m, b, 2);
        say("  the master reads the echo %.*s\n", n > 0 ? n : 0, b);
        say("a new window size through the master\n");
        struct winsize ws = {.ws_row = 24, .ws_col = 80};
        ioctl(m, TIOCSWINSZ, &ws);
        read_line(rep[0], b, sizeof b);
        say("  the job got %s", b);
        wait_byte(rep[0]);
        say("^Z from the master\n");
        if (write(m, "\032", 1) != 1) {
            _exit(1);
        }
        int st;
        waitpid(j, &st, WUNTRACED);
        say("  the job: %s\n", status(st));
        n = read_n(m, b, 2);
        say("  the master reads the echo %.*s\n", n > 0 ? n : 0, b);
        foreground(tty, getpgrp());
        say("continued in the background\n");
        kill(-j, SIGCONT);
        waitpid(j, &st, WUNTRACED);
        say("  the job: %s\n", status(st));
        say("continued in the foreground, with a line typed\n");
        foreground(tty, j);
        if (write(m, "hello\n", 6) != 6) {
            _exit(1);
        }
        kill(-j, SIGCONT);
        waitpid(j, &st, WUNTRACED);
        read_line(rep[0], b, sizeof b);
        say("  %s", b);
        say("  the job: %s\n", status(st));
        n = read_n(m, b, 7);
        say("  the master reads the echo %s\n", n == 7 && memcmp(b, "hello\r\n", 7) == 0 ? "hello\\r\\n" : "?");
        _exit(0);
    }
    waitpid(s, NULL, 0);
    close(m);
}

/* An orphaned process group: reads are EIO, tcsetpgrp ENOTTY, SIGTSTP is discarded. */
static void orphaned_group(void) {
    say("-- an orphaned group\n");
    int m = new_pty();
    pid_t s = fork();
    if (s == 0) {
        close(m);
        tty = lead_session();
        set_tostop(1);
        int done[2], ready[2];
        if (pipe(done) || pipe(ready)) {
            _exit(1);
        }
        pid_t a = fork();
        if (a == 0) {
            pid_t parent = getpid();
            pid_t o = fork();
            if (o == 0) {
                close(done[0]);
                setpgid(0, 0);
                put_byte(ready[1]);
                while (getppid() == parent) {
                    usleep(1000); /* until its parent has exited */
                }
                char c;
                say("a background read in an orphaned group: %s\n", res(read(tty, &c, 1)));
                say("a write with TOSTOP: %s\n", res(write(tty, "o", 1)));
                struct termios t;
                tcgetattr(tty, &t);
                say("tcsetattr: %s\n", res(tcsetattr(tty, TCSANOW, &t)));
                say("tcsetpgrp: %s\n", res(tcsetpgrp(tty, getpgrp())));
                raise(SIGTSTP);
                raise(SIGTTIN);
                raise(SIGTTOU);
                say("SIGTSTP, SIGTTIN and SIGTTOU were discarded: it still runs\n");
                _exit(0);
            }
            wait_byte(ready[0]);
            _exit(0);
        }
        close(done[1]);
        waitpid(a, NULL, 0);
        relay(done[0]); /* until the orphan has exited */
        _exit(0);
    }
    waitpid(s, NULL, 0);
    close(m);
}

/* A group orphaned by its parent's exit while a member is stopped gets SIGHUP, then SIGCONT. */
static void newly_orphaned(void) {
    say("-- a group orphaned while stopped\n");
    int m = new_pty();
    pid_t s = fork();
    if (s == 0) {
        close(m);
        tty = lead_session();
        int rep[2];
        if (pipe(rep)) {
            _exit(1);
        }
        pid_t a = fork();
        if (a == 0) {
            pid_t p = fork();
            if (p == 0) {
                close(rep[0]);
                report_fd = rep[1];
                setpgid(0, 0);
                on(SIGHUP, record, 0);
                on(SIGCONT, record, 0);
                raise(SIGSTOP);
                if (write(rep[1], "it runs on\n", 11) != 11) {
                    _exit(98);
                }
                _exit(0);
            }
            setpgid(p, p);
            int st;
            waitpid(p, &st, WUNTRACED);
            say("the child: %s; its parent exits\n", status(st));
            _exit(0);
        }
        close(rep[1]);
        waitpid(a, NULL, 0);
        relay(rep[0]);
        _exit(0);
    }
    waitpid(s, NULL, 0);
    close(m);
}

/* The session leader's exit: its foreground group gets SIGHUP (not SIGCONT), a background group nothing. */
static void leader_exits(void) {
    say("-- the session leader exits\n");
    int m = new_pty();
    int rep[2], pids[2];
    if (pipe(rep) || pipe(pids)) {
        exit(1);
    }
    pid_t s = fork();
    if (s == 0) {
        tty = lead_session();
        close(rep[0]);
        report_fd = rep[1];
        pid_t f = fork();
        if (f == 0) {
            setpgid(0, 0);
            on(SIGHUP, record, 0);
            on(SIGCONT, record, 0);
            sigset_t hup, old;
            sigemptyset(&hup);
            sigaddset(&hup, SIGHUP);
            sigprocmask(SIG_BLOCK, &hup, &old); /* until it waits, so that the signal cannot come before */
            put_byte(pids[1]);
            sigsuspend(&old);
            char line[160];
            const char *t = res(open("/dev/tty", O_RDWR));
            const char *g = res(tcgetpgrp(tty));
            int k = snprintf(line, sizeof line, "after it: tcgetpgrp %s, /dev/tty %s\n", g, t);
            if (write(rep[1], line, k) != k) {
                _exit(98);
            }
            _exit(0);
        }
        setpgid(f, f);
        foreground(tty, f);
        pid_t g = fork();
        if (g == 0) {
            setpgid(0, 0);
            on(SIGHUP, record, 0);
            close(rep[1]);
            report_fd = pids[1]; /* a SIGHUP here would show up in the wrong place: the test fails */
            put_byte(pids[1]);
            pause();
            _exit(0);
        }
        setpgid(g, g);
        char c;
        if (read(pids[0], &c, 1) != 1 || read(pids[0], &c, 1) != 1 || write(pids[1], &g, sizeof g) != sizeof g) {
            _exit(1);
        }
        _exit(0);
    }
    close(rep[1]);
    close(pids[1]);
    waitpid(s, NULL, 0);
    char b[256];
    int n = 0, r;
    while (n < (int) sizeof b - 1 && (r = read(rep[0], b + n, sizeof b - 1 - n)) > 0) {
        n += r;
        b[n] = 0;
        if (strstr(b, "after it")) {
            break;
        }
    }
    say("the foreground job got %.*s", n, b);
    pid_t g;
    if (read(pids[0], &g, sizeof g) == sizeof g) {
        say("the background job got nothing: %s\n", kill(g, 0) == 0 ? "still running" : "gone");
        kill(g, SIGKILL);
    }
    close(m);
}

/* TIOCNOTTY by the session leader: its foreground group gets SIGHUP and SIGCONT. */
static void leader_gives_up(void) {
    say("-- the session leader gives up its terminal\n");
    int m = new_pty();
    pid_t s = fork();
    if (s == 0) {
        close(m);
        tty = lead_session();
        int rep[2];
        if (pipe(rep)) {
            _exit(1);
        }
        pid_t f = fork();
        if (f == 0) {
            close(rep[0]);
            report_fd = rep[1];
            setpgid(0, 0);
            on(SIGHUP, record, 0);
            on(SIGCONT, record, 0);
            put_byte(rep[1]);
            while (1) {
                pause();
            }
        }
        close(rep[1]);
        setpgid(f, f);
        foreground(tty, f);
        wait_byte(rep[0]);
        say("TIOCNOTTY: %s\n", res(ioctl(tty, TIOCNOTTY)));
        const char *g = res(tcgetpgrp(tty));
        say("then tcgetpgrp: %s, /dev/tty %s\n", g, res(open("/dev/tty", O_RDWR)));
        char b[64];
        read_line(rep[0], b, sizeof b);
        say("the foreground job got %s", b);
        read_line(rep[0], b, sizeof b);
        say("and %s", b);
        kill(f, SIGKILL);
        waitpid(f, NULL, 0);
        _exit(0);
    }
    waitpid(s, NULL, 0);
    close(m);
}

/* The master closed: the session leader gets SIGHUP and SIGCONT; the slave is hung up. */
static void hangup(void) {
    say("-- the master is closed\n");
    int m = new_pty();
    int ready[2], rep[2];
    if (pipe(ready) || pipe(rep)) {
        exit(1);
    }
    pid_t s = fork();
    if (s == 0) {
        close(m);
        close(rep[0]);
        report_fd = rep[1];
        tty = lead_session();
        sigset_t mask, old;
        sigemptyset(&mask);
        sigaddset(&mask, SIGHUP);
        sigaddset(&mask, SIGCONT);
        sigprocmask(SIG_BLOCK, &mask, &old);
        on(SIGHUP, record, 0);
        on(SIGCONT, record, 0);
        put_byte(ready[1]);
        sigset_t hup;
        sigemptyset(&hup);
        sigaddset(&hup, SIGHUP);
        int got;
        sigwait(&hup, &got); /* the hangup came; SIGCONT follows it */
        record(got);
        sigprocmask(SIG_SETMASK, &old, NULL);
        char b[8], line[200];
        int r = read(tty, b, sizeof b);
        const char *w = res(write(tty, "x", 1));
        const char *g = res(tcgetpgrp(tty));
        const char *t = res(open("/dev/tty", O_RDWR));
        const char *o = res(open(name, O_RDWR));
        int k = snprintf(line, sizeof line, "then the slave reads %d, writes %s, tcgetpgrp %s, /dev/tty %s, open of its name %s\n",
                         r, w, g, t, o);
        if (write(rep[1], line, k) != k) {
            _exit(98);
        }
        _exit(0);
    }
    close(rep[1]);
    wait_byte(ready[0]);
    close(m);
    int st;
    waitpid(s, &st, 0);
    say("the leader: %s\n", status(st));
    relay(rep[0]);
}

int main(void) {
    controlling_terminal();
    background_groups();
    a_job();
    orphaned_group();
    newly_orphaned();
    leader_exits();
    leader_gives_up();
    hangup();
    return 0;
}
