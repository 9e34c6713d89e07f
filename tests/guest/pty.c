/* Pseudo-terminals (pty(7)) and their line discipline (termios(3)), on a pair the program opens
 * itself from /dev/ptmx, so no real terminal is needed: posix_openpt, grantpt, unlockpt and
 * ptsname; the slave's default settings; canonical input with its editing characters and echo,
 * EOF and long lines; non-canonical VMIN and VTIME; output processing; FIONREAD and poll; what
 * each side sees when the other is closed. Everything printed is the same on every Linux. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#include "ttycheck.h"

/* The bytes in b[0..n) with control characters written as \r, \n, \b, \t or ^X. */
static const char *shown(const char *b, int n) {
    static char out[4096];
    int o = 0;
    if (n < 0) {
        snprintf(out, sizeof out, "-1 %s", err(errno));
        return out;
    }
    for (int i = 0; i < n && o < (int) sizeof out - 8; i++) {
        unsigned char c = b[i];
        if (c == '\r') o += sprintf(out + o, "\\r");
        else if (c == '\n') o += sprintf(out + o, "\\n");
        else if (c == '\b') o += sprintf(out + o, "\\b");
        else if (c == '\t') o += sprintf(out + o, "\\t");
        else if (c < 32 || c == 127) o += sprintf(out + o, "<%d>", c);
        else out[o++] = c;
    }
    out[o] = 0;
    return out;
}

static int master, slave;
static char name[64];

/* Waits until `fd` polls readable: Linux's n_tty_poll first finishes passing on what the other
 * side wrote (its flip buffers), which a pty does asynchronously. */
static void settle(int fd) {
    struct pollfd p = {fd, POLLIN, 0};
    poll(&p, 1, -1);
}

/* Everything the master can read now (the echo, which a read of the slave has made), without
 * waiting: a poll that finds nothing first finishes what is in transit. */
static const char *drain(void) {
    static char b[4096];
    int n = 0, r;
    struct pollfd p = {master, POLLIN, 0};
    while (n < (int) sizeof b && poll(&p, 1, 0) == 1 && (p.revents & POLLIN) && (r = read(master, b + n, sizeof b - n)) > 0) {
        n += r;
    }
    return shown(b, n);
}

static void type(const char *s) {
    if (write(master, s, strlen(s)) != (ssize_t) strlen(s)) {
        say("write to the master failed: %s\n", err(errno));
    }
}

/* The master types input; the slave reads it with a buffer of `size`; the echo is shown too. */
static void typed(const char *what, const char *input, int size) {
    type(input);
    char b[256];
    int n = read(slave, b, size);
    say("%s: read %d \"%s\"", what, n, shown(b, n));
    say(", echo \"%s\"\n", drain());
}

static void set_lflag(int on, int off) {
    struct termios t;
    tcgetattr(slave, &t);
    t.c_lflag = (t.c_lflag | on) & ~off;
    tcsetattr(slave, TCSANOW, &t);
}

int main(void) {
    master = posix_openpt(O_RDWR | O_NOCTTY);
    say("posix_openpt: %s\n", master >= 0 ? "ok" : err(errno));
    say("grantpt: %s\n", grantpt(master) == 0 ? "ok" : err(errno));
    char *pn = ptsname(master);
    snprintf(name, sizeof name, "%s", pn ? pn : "?");
    unsigned int ptn = 0;
    int r = ioctl(master, TIOCGPTN, &ptn);
    char expect[64];
    snprintf(expect, sizeof expect, "/dev/pts/%u", ptn);
    say("ptsname is /dev/pts/ and TIOCGPTN's number: %d\n", r == 0 && strcmp(name, expect) == 0);
    int lock = -1;
    r = ioctl(master, TIOCGPTLCK, &lock);
    say("TIOCGPTLCK before unlockpt: %d %d\n", r, lock);
    r = open(name, O_RDWR | O_NOCTTY);
    say("open of the slave before unlockpt: %s\n", r >= 0 ? "opened" : err(errno));
    say("unlockpt: %s\n", unlockpt(master) == 0 ? "ok" : err(errno));
    slave = open(name, O_RDWR | O_NOCTTY);
    say("open of the slave: %s\n", slave >= 0 ? "ok" : err(errno));
    say("isatty master %d, slave %d\n", isatty(master), isatty(slave));
    char *tn = ttyname(slave);
    say("ttyname(slave) is ptsname: %d\n", tn != NULL && strcmp(tn, name) == 0);
    struct stat st, fst;
    r = stat(name, &st);
    fstat(slave, &fst);
    say("stat of the slave: %d, char %d, major %u, minor is the number %d, same as fstat %d\n", r,
        S_ISCHR(st.st_mode), major(st.st_rdev), minor(st.st_rdev) == ptn, st.st_ino == fst.st_ino && st.st_rdev == fst.st_rdev);
    DIR *d = opendir("/dev/pts");
    int listed = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        listed |= strcmp(e->d_name, name + 9) == 0;
    }
    closedir(d);
    say("/dev/pts lists it: %d\n", listed);

    struct termios t, tm;
    tcgetattr(slave, &t);
    say("slave termios: iflag %o oflag %o cflag %o lflag %o\n", t.c_iflag, t.c_oflag, t.c_cflag, t.c_lflag);
    say("c_cc:");
    for (int i = 0; i < 17; i++) {
        say(" %d", t.c_cc[i]);
    }
    say("\n");
    tcgetattr(master, &tm);
    say("the master's termios is the slave's: %d\n", memcmp(&t, &tm, sizeof t) == 0);
    struct winsize ws = {0};
    r = ioctl(slave, TIOCGWINSZ, &ws);
    say("TIOCGWINSZ: %d, %d rows %d cols\n", r, ws.ws_row, ws.ws_col);
    ws.ws_row = 33;
    ws.ws_col = 101;
    ioctl(master, TIOCSWINSZ, &ws);
    memset(&ws, 0, sizeof ws);
    ioctl(slave, TIOCGWINSZ, &ws);
    say("set through the master, read through the slave: %d rows %d cols\n", ws.ws_row, ws.ws_col);

    typed("a line", "hello\n", 100);
    typed("DEL erases", "abc\177\177d\n", 100);
    typed("^U kills the line", "xyz\025w\n", 100);
    typed("^W erases a word", "one two\027three\n", 100);
    typed("^D at the start of a line", "\004", 100);
    typed("^D ends a line without a newline", "ab\004", 100);
    typed("a tab erased", "a\tb\177\177c\n", 100);
    typed("a control character erased", "a\001\177b\n", 100);
    typed("CR becomes NL (ICRNL)", "x\r", 100);
    typed("^V takes ^C literally", "\026\003\n", 100);
    typed("^R reprints the line", "ab\022c\n", 100);
    typed("a long line, 3 bytes at a time", "abcdefg\n", 3);
    char b[256];
    r = read(slave, b, 3);
    say("  then: %d \"%s\"\n", r, shown(b, r));
    r = read(slave, b, 3);
    say("  then: %d \"%s\"\n", r, shown(b, r));
    type("two\nlines\n");
    settle(slave);
    int avail = -1;
    ioctl(slave, FIONREAD, &avail);
    say("FIONREAD of the slave with two lines waiting: %d\n", avail);
    r = read(slave, b, sizeof b);
    say("a read takes one line: %d \"%s\"\n", r, shown(b, r));
    r = read(slave, b, sizeof b);
    say("and the next the other: %d \"%s\"\n", r, shown(b, r));
    drain();
    type("partial");
    struct pollfd p = {slave, POLLIN, 0};
    r = poll(&p, 1, 0);
    say("poll of the slave with an unfinished line: %d\n", r);
    type("\n");
    r = poll(&p, 1, 0);
    say("and once it ends: %d revents POLLIN %d\n", r, (p.revents & POLLIN) != 0);
    r = read(slave, b, sizeof b);
    say("  read %d \"%s\"\n", r, shown(b, r));
    drain();

    set_lflag(0, ECHO);
    typed("ECHO off", "quiet\n", 100);
    set_lflag(ECHONL, 0);
    typed("ECHONL", "nl\n", 100);
    set_lflag(ECHO, ECHONL);
    set_lflag(0, ECHOCTL);
    typed("ECHOCTL off", "a\001b\n", 100);
    set_lflag(ECHOCTL, ECHOE);
    typed("ECHOE off", "ab\177c\n", 100);
    set_lflag(ECHOE, 0);

    tcgetattr(slave, &t);
    t.c_lflag &= ~ICANON;
    t.c_cc[VMIN] = 0;
    t.c_cc[VTIME] = 0;
    tcsetattr(slave, TCSANOW, &t);
    r = read(slave, b, sizeof b);
    say("non-canonical, VMIN 0 VTIME 0, nothing typed: %d\n", r);
    t.c_cc[VMIN] = 3;
    tcsetattr(slave, TCSANOW, &t);
    type("ab");
    p.revents = 0;
    r = poll(&p, 1, 0);
    say("VMIN 3 with 2 bytes: poll %d\n", r);
    typed("then a third", "c", 100);
    typed("VMIN 3 and 5 waiting: all 5", "12345", 100);
    t.c_cc[VMIN] = 0;
    t.c_cc[VTIME] = 1;
    tcsetattr(slave, TCSANOW, &t);
    r = read(slave, b, sizeof b);
    say("VMIN 0 VTIME 1, nothing typed: %d after the timeout\n", r);
    typed("VMIN 0 VTIME 1, one byte", "z", 100);
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    tcsetattr(slave, TCSANOW, &t);
    typed("raw: DEL and ^U are data, CR still NL", "a\177\025\r", 100);
    type("left over");
    settle(slave);
    t.c_lflag |= ICANON;
    tcsetattr(slave, TCSANOW, &t);
    r = read(slave, b, sizeof b);
    say("back to canonical: what was typed is a line: %d \"%s\"\n", r, shown(b, r));
    drain();
    tcflush(slave, TCIFLUSH);

    r = write(slave, "a\nb\tc\n", 6);
    say("slave writes \"a\\nb\\tc\\n\" (%d): master reads \"%s\"\n", r, drain());
    tcgetattr(slave, &t);
    t.c_oflag |= TAB3;
    tcsetattr(slave, TCSANOW, &t);
    r = write(slave, "ab\tc\n", 5);
    say("with XTABS: \"%s\"\n", drain());
    t.c_oflag &= ~(ONLCR | TAB3);
    tcsetattr(slave, TCSANOW, &t);
    r = write(slave, "a\nb", 3);
    say("ONLCR off: \"%s\"\n", drain());
    t.c_oflag |= ONLCR | OCRNL;
    tcsetattr(slave, TCSANOW, &t);
    r = write(slave, "a\rb\n", 4);
    say("OCRNL: \"%s\"\n", drain());
    t.c_oflag &= ~(OPOST | OCRNL);
    tcsetattr(slave, TCSANOW, &t);
    r = write(slave, "a\nb", 3);
    say("OPOST off: \"%s\"\n", drain());
    t.c_oflag |= OPOST;
    tcsetattr(slave, TCSANOW, &t);

    r = write(slave, "12345", 5);
    settle(master);
    avail = -1;
    ioctl(master, FIONREAD, &avail);
    say("FIONREAD of the master after 5 bytes: %d\n", avail);
    p.fd = master;
    p.events = POLLIN | POLLOUT;
    p.revents = 0;
    r = poll(&p, 1, 0);
    p.events = POLLIN;
    say("poll of the master: %d revents POLLIN %d POLLOUT %d POLLHUP %d\n", r, (p.revents & POLLIN) != 0,
        (p.revents & POLLOUT) != 0, (p.revents & POLLHUP) != 0);
    drain();
    fcntl(master, F_SETFL, O_NONBLOCK);
    r = read(master, b, sizeof b);
    say("O_NONBLOCK read of an empty master: %s\n", r < 0 ? err(errno) : "data");
    fcntl(master, F_SETFL, 0);

    int lk = 1;
    ioctl(master, TIOCSPTLCK, &lk);
    r = open(name, O_RDWR | O_NOCTTY);
    say("locked again, open of the slave: %s\n", r >= 0 ? "opened" : err(errno));
    lk = 0;
    ioctl(master, TIOCSPTLCK, &lk);
    /* A failed open leaves Linux's slave marked TTY_IO_ERROR until an open succeeds: then its
     * last close would not tell the master (pty_close), so open it once more. */
    r = open(name, O_RDWR | O_NOCTTY);
    say("unlocked, it opens: %s\n", r >= 0 ? "ok" : err(errno));
    close(r);
    r = ioctl(slave, TIOCGPTN, &ptn);
    say("TIOCGPTN on the slave: %s\n", r < 0 ? err(errno) : "ok");

    close(slave);
    p.revents = 0;
    r = poll(&p, 1, 0);
    say("every slave closed: master poll %d POLLHUP %d\n", r, (p.revents & POLLHUP) != 0);
    r = read(master, b, sizeof b);
    say("and its read: %s\n", r < 0 ? err(errno) : "data");
    slave = open(name, O_RDWR | O_NOCTTY);
    say("the slave opens again: %s\n", slave >= 0 ? "ok" : err(errno));
    type("before\n");
    close(master);
    r = read(slave, b, sizeof b);
    say("master closed: the slave reads %d\n", r);
    r = write(slave, "x", 1);
    say("and writes %s\n", r < 0 ? err(errno) : "ok");
    p.fd = slave;
    p.events = POLLIN | POLLOUT;
    p.revents = 0;
    r = poll(&p, 1, 0);
    say("and polls POLLIN %d POLLOUT %d POLLERR %d POLLHUP %d\n", (p.revents & POLLIN) != 0, (p.revents & POLLOUT) != 0,
        (p.revents & POLLERR) != 0, (p.revents & POLLHUP) != 0);
    r = tcgetattr(slave, &t);
    say("and tcgetattr %s\n", r < 0 ? err(errno) : "ok");
    r = open(name, O_RDWR | O_NOCTTY);
    say("open of its name: %s\n", r >= 0 ? "opened" : err(errno));
    return 0;
}
