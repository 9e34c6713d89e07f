/* fcntl F_SETFL and record locks, and flock(2), in an empty directory (argv[1]). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/time.h>
#include <unistd.h>

static volatile int holder = -1;
static volatile int alarms;

/* The SIGALRM handler: counts, and (when asked) closes the fd that holds the lock. */
static void on_alarm(int sig) {
    (void) sig;
    alarms++;
    if (holder >= 0) {
        close(holder);
        holder = -1;
    }
}

/* Arms a one-shot 50 ms ITIMER_REAL, its handler installed with the given sa_flags. */
static void alarm_soon(int flags) {
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm;
    sa.sa_flags = flags;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 50000}};
    setitimer(ITIMER_REAL, &it, NULL);
}

static void show(const char *what, long r) {
    const char *e = r >= 0 ? "" : errno == EINVAL ? " EINVAL" : errno == EAGAIN ? " EAGAIN" : errno == EBADF ? " EBADF"
        : errno == EINTR ? " EINTR" : " E?";
    printf("%s = %ld%s\n", what, r, e);
}

int main(int argc, char **argv) {
    if (argc < 2 || chdir(argv[1]) != 0) {
        return 2;
    }
    int fd = open("log", O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(fd, "one\n", 4);
    lseek(fd, 0, SEEK_SET);
    show("F_SETFL O_APPEND", fcntl(fd, F_SETFL, O_APPEND));
    show("F_GETFL has O_APPEND", (fcntl(fd, F_GETFL) & O_APPEND) != 0);
    write(fd, "two\n", 4);
    char buf[16] = {0};
    pread(fd, buf, 8, 0);
    show("appended, not overwritten", strcmp(buf, "one\ntwo\n") == 0);
    show("F_SETFL 0", fcntl(fd, F_SETFL, 0));
    show("F_GETFL access mode", fcntl(fd, F_GETFL) & O_ACCMODE);
    int p[2];
    pipe(p);
    show("F_SETFL O_NONBLOCK on a pipe", fcntl(p[0], F_SETFL, O_NONBLOCK));
    show("read of an empty nonblocking pipe", read(p[0], buf, 1));
    struct flock lk = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
    show("F_SETLK write lock", fcntl(fd, F_SETLK, &lk));
    struct flock q = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
    show("F_GETLK", fcntl(fd, F_GETLK, &q));
    show("F_GETLK finds no conflict (own lock)", q.l_type == F_UNLCK);
    int ro = open("log", O_RDONLY);
    show("F_SETLK write lock on read-only fd", fcntl(ro, F_SETLK, &lk));
    struct flock bad = {.l_type = 42, .l_whence = SEEK_SET};
    show("F_SETLK bad type", fcntl(fd, F_SETLK, &bad));
    lk.l_type = F_UNLCK;
    show("F_SETLK unlock", fcntl(fd, F_SETLK, &lk));
    show("flock LOCK_EX", flock(fd, LOCK_EX));
    show("flock LOCK_EX again, same description", flock(fd, LOCK_EX));
    show("flock LOCK_SH|LOCK_NB, other description", flock(ro, LOCK_SH | LOCK_NB));
    show("flock LOCK_UN", flock(fd, LOCK_UN));
    show("flock LOCK_SH|LOCK_NB now", flock(ro, LOCK_SH | LOCK_NB));
    show("flock LOCK_SH, first description too", flock(fd, LOCK_SH | LOCK_NB));
    show("flock bad operation", flock(fd, 16));
    close(ro);
    show("flock LOCK_EX|LOCK_NB after the other closed", flock(fd, LOCK_EX | LOCK_NB));

    /* A blocking flock waits for the lock; a signal whose handler has no SA_RESTART ends the
     * wait with EINTR; with SA_RESTART the call is restarted after the handler, which here
     * closes the holder, so the restarted call gets the lock. */
    int other = open("log", O_RDONLY);
    alarm_soon(0);
    show("blocking flock, interrupted without SA_RESTART", flock(other, LOCK_SH));
    show("handler ran", alarms);
    holder = fd;
    alarm_soon(SA_RESTART);
    show("blocking flock, restarted after the holder closed", flock(other, LOCK_SH));
    show("handler ran again", alarms);
    return 0;
}
