/*
 * POSIX message queues (mq_overview(7)): attributes, priority order (FIFO within a priority),
 * O_NONBLOCK's EAGAIN, absolute CLOCK_REALTIME timeouts, poll, a receiver woken by another
 * process's send, read(2) of the descriptor, mq_notify with SIGEV_SIGNAL (si_code SI_MESGQ and
 * the sender's pid), SIGEV_NONE and SIGEV_THREAD, EBUSY and the registration dropped by close,
 * unlink while open, the errors of mq_open(3), RLIMIT_MSGQUEUE, /proc/sys/fs/mqueue, and the
 * mqueue file system (mounted in a child's own mount namespace). Run as root.
 */
#define _GNU_SOURCE
#include "ttycheck.h"
#include "ipccheck.h"
#include <dirent.h>
#include <mqueue.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define Q "/phx_mq"
#define Q2 "/phx_mq2"

static volatile sig_atomic_t got, code, pid_from, value;

static void on_usr1(int sig, siginfo_t *si, void *ctx) {
    (void) sig;
    (void) ctx;
    code = si->si_code;
    pid_from = si->si_pid;
    value = si->si_value.sival_int;
    got = 1;
}

static sem_t thread_sem;
static volatile int thread_value;

static void on_thread(union sigval v) {
    thread_value = v.sival_int;
    sem_post(&thread_sem);
}

/* An absolute CLOCK_REALTIME time ms milliseconds from now. */
static struct timespec after_ms(long ms_) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_nsec += ms_ * 1000000;
    t.tv_sec += t.tv_nsec / 1000000000;
    t.tv_nsec %= 1000000000;
    return t;
}

static void show_attr(const char *what, mqd_t q) {
    struct mq_attr a;
    if (mq_getattr(q, &a) != 0) {
        say("%s getattr %s\n", what, ename(errno));
        return;
    }
    say("%s flags=%s maxmsg=%ld msgsize=%ld curmsgs=%ld\n", what, (a.mq_flags & O_NONBLOCK) ? "nonblock" : "0",
            a.mq_maxmsg, a.mq_msgsize, a.mq_curmsgs);
}

/* The descriptor's status line, with NOTIFY_PID shown as "self", "0" or "other". */
static void show_status(const char *what, mqd_t q) {
    char b[128];
    lseek(q, 0, SEEK_SET);
    int n = read(q, b, sizeof b - 1);
    if (n < 0) {
        say("%s read %s\n", what, ename(errno));
        return;
    }
    b[n] = 0;
    unsigned long qsize;
    int notify, signo, npid;
    if (sscanf(b, "QSIZE:%lu NOTIFY:%d SIGNO:%d NOTIFY_PID:%d", &qsize, &notify, &signo, &npid) != 4) {
        say("%s unparsed %s", what, b);
        return;
    }
    say("%s len=%d QSIZE=%lu NOTIFY=%d SIGNO=%d NOTIFY_PID=%s\n", what, n, qsize, notify, signo,
            npid == 0 ? "0" : npid == getpid() ? "self" : "other");
}

static void show_poll(const char *what, mqd_t q) {
    struct pollfd p = {q, POLLIN | POLLOUT, 0};
    int r = poll(&p, 1, 0);
    say("%s poll=%d%s%s\n", what, r, (p.revents & POLLIN) ? " IN" : "", (p.revents & POLLOUT) ? " OUT" : "");
}

static void priorities(mqd_t q) {
    mq_send(q, "low", 3, 1);
    mq_send(q, "high1", 5, 5);
    mq_send(q, "mid", 3, 3);
    mq_send(q, "high2", 5, 5);
    show_attr("full", q);
    show_poll("full", q);
    struct timespec t = after_ms(30);
    say("timedsend full: %s\n", res(mq_timedsend(q, "x", 1, 0, &t)));
    struct mq_attr nb = {.mq_flags = O_NONBLOCK}, old;
    say("setattr: %s old=%s\n", res(mq_setattr(q, &nb, &old)), (old.mq_flags & O_NONBLOCK) ? "nonblock" : "0");
    say("send nonblock full: %s\n", res(mq_send(q, "x", 1, 0)));
    for (int i = 0; i < 4; i++) {
        char b[64];
        unsigned prio = 99;
        ssize_t n = mq_receive(q, b, sizeof b, &prio);
        say("receive %zd '%.*s' prio %u\n", n, (int) (n > 0 ? n : 0), b, prio);
    }
    char b[64];
    say("receive nonblock empty: %s\n", res(mq_receive(q, b, sizeof b, NULL)));
    show_poll("empty", q);
    nb.mq_flags = 0;
    mq_setattr(q, &nb, NULL);
    t = after_ms(30);
    say("timedreceive empty: %s\n", res(mq_timedreceive(q, b, sizeof b, NULL, &t)));
    t.tv_sec -= 100;
    say("timedreceive past: %s\n", res(mq_timedreceive(q, b, sizeof b, NULL, &t)));
    t.tv_nsec = 2000000000;
    say("timedreceive bad timeout: %s\n", res(mq_timedreceive(q, b, sizeof b, NULL, &t)));
    say("receive small buffer: %s\n", res(mq_receive(q, b, 63, NULL)));
    char big[65] = {0};
    say("send too long: %s\n", res(mq_send(q, big, 65, 0)));
    say("send prio 32768: %s\n", res(mq_send(q, "x", 1, 32768)));
    nb.mq_flags = O_NONBLOCK | 1;
    say("setattr bad flags: %s\n", res(mq_setattr(q, &nb, NULL)));
}

/* A receiver blocked in mq_receive is woken by another process's send. */
static void woken_receiver(mqd_t q) {
    int parent = getpid();
    pid_t c = fork();
    if (c == 0) {
        wait_sleeping(parent);
        mq_send(q, "wake", 4, 2);
        _exit(0);
    }
    char b[64];
    unsigned prio = 0;
    ssize_t n = mq_receive(q, b, sizeof b, &prio);
    say("blocked receive %zd '%.*s' prio %u\n", n, (int) (n > 0 ? n : 0), b, prio);
    waitpid(c, NULL, 0);
}

static void notify_signal(mqd_t q) {
    struct sigaction sa = {0};
    sa.sa_sigaction = on_usr1;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t usr1, old;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, &old);

    struct sigevent ev = {0};
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGUSR1;
    ev.sigev_value.sival_int = 42;
    say("notify: %s\n", res(mq_notify(q, &ev)));
    say("notify again: %s\n", res(mq_notify(q, &ev)));
    show_status("registered", q);
    pid_t c = fork();
    if (c == 0) {
        say("child notify: %s\n", res(mq_notify(q, &ev)));
        say("child unregister (not owner): %s\n", res(mq_notify(q, NULL)));
        mq_send(q, "n1", 2, 0);
        _exit(0);
    }
    waitpid(c, NULL, 0);
    while (!got) {
        sigsuspend(&old);
    }
    say("signal code=%s pid=%s value=%d\n", code == SI_MESGQ ? "SI_MESGQ" : "other",
            pid_from == c ? "matches" : "differs", (int) value);
    show_status("fired", q);
    /* A message into a queue that is not empty notifies nobody. */
    got = 0;
    say("notify nonempty: %s\n", res(mq_notify(q, &ev)));
    mq_send(q, "n2", 2, 0);
    sigset_t pend;
    sigpending(&pend);
    say("pending after send to nonempty: %d\n", sigismember(&pend, SIGUSR1));
    say("unregister: %s\n", res(mq_notify(q, NULL)));
    char b[64];
    mq_receive(q, b, sizeof b, NULL);
    mq_receive(q, b, sizeof b, NULL);
    /* Closing any descriptor of the queue drops the closer's registration. */
    say("notify before close: %s\n", res(mq_notify(q, &ev)));
    int d = dup(q);
    close(d);
    show_status("after close", q);
    /* SIGEV_NONE registers without telling. */
    ev.sigev_notify = SIGEV_NONE;
    say("notify none: %s\n", res(mq_notify(q, &ev)));
    show_status("none", q);
    mq_notify(q, NULL);
    ev.sigev_notify = 99;
    say("notify bad kind: %s\n", res(mq_notify(q, &ev)));
    sigprocmask(SIG_SETMASK, &old, NULL);
}

static void notify_thread(mqd_t q) {
    sem_init(&thread_sem, 0, 0);
    struct sigevent ev = {0};
    ev.sigev_notify = SIGEV_THREAD;
    ev.sigev_notify_function = on_thread;
    ev.sigev_value.sival_int = 7;
    say("notify thread: %s\n", res(mq_notify(q, &ev)));
    mq_send(q, "t", 1, 0);
    struct timespec t = after_ms(10000);
    int r = sem_timedwait(&thread_sem, &t);
    say("thread ran: %s value=%d\n", res(r), thread_value);
    char b[64];
    mq_receive(q, b, sizeof b, NULL);
}

static void errors(void) {
    struct mq_attr a = {.mq_maxmsg = 4, .mq_msgsize = 64};
    say("open missing: %s\n", res(mq_open("/phx_none", O_RDONLY)));
    say("create exclusive existing: %s\n", res(mq_open(Q, O_CREAT | O_EXCL | O_RDWR, 0600, &a)));
    say("open O_RDWR|O_WRONLY: %s\n", res(mq_open(Q, O_RDWR | O_WRONLY)));
    a.mq_maxmsg = 0;
    say("create maxmsg 0: %s\n", res(mq_open(Q2, O_CREAT | O_RDWR, 0600, &a)));
    a.mq_maxmsg = 65537;
    say("create maxmsg 65537: %s\n", res(mq_open(Q2, O_CREAT | O_RDWR, 0600, &a)));
    a.mq_maxmsg = 1;
    a.mq_msgsize = (16 << 20) + 1;
    say("create msgsize 16M+1: %s\n", res(mq_open(Q2, O_CREAT | O_RDWR, 0600, &a)));
    say("open with a slash inside: %s\n", res(mq_open("/phx/x", O_CREAT | O_RDWR, 0600, NULL)));
    char longname[300];
    longname[0] = '/';
    memset(longname + 1, 'a', 298);
    longname[299] = 0;
    say("open long name: %s\n", res(mq_open(longname, O_CREAT | O_RDWR, 0600, NULL)));
    mqd_t ro = mq_open(Q, O_RDONLY);
    say("send on O_RDONLY: %s\n", res(mq_send(ro, "x", 1, 0)));
    mq_close(ro);
    mqd_t wo = mq_open(Q, O_WRONLY);
    char b[64];
    say("receive on O_WRONLY: %s\n", res(mq_receive(wo, b, sizeof b, NULL)));
    mq_close(wo);
    say("send on stdin: %s\n", res(mq_send(0, "x", 1, 0)));
    say("unlink missing: %s\n", res(mq_unlink("/phx_none")));
    /* Another user: the mode refuses the open, the sticky directory the unlink. */
    pid_t c = fork();
    if (c == 0) {
        if (setuid(1000) != 0) {
            _exit(1);
        }
        say("other user open: %s\n", res(mq_open(Q, O_RDWR)));
        say("other user unlink: %s\n", res(mq_unlink(Q)));
        _exit(0);
    }
    waitpid(c, NULL, 0);
    /* RLIMIT_MSGQUEUE counts the bytes of a user's queues. */
    c = fork();
    if (c == 0) {
        struct rlimit r = {1000, 1000};
        setrlimit(RLIMIT_MSGQUEUE, &r);
        say("create past RLIMIT_MSGQUEUE: %s\n", res(mq_open(Q2, O_CREAT | O_RDWR, 0600, NULL)));
        _exit(0);
    }
    waitpid(c, NULL, 0);
}

static void unlink_open(mqd_t q) {
    say("unlink: %s\n", res(mq_unlink(Q)));
    say("open after unlink: %s\n", res(mq_open(Q, O_RDWR)));
    say("send after unlink: %s\n", res(mq_send(q, "u", 1, 4)));
    char b[64];
    unsigned prio = 0;
    ssize_t n = mq_receive(q, b, sizeof b, &prio);
    say("receive after unlink %zd prio %u\n", n, prio);
    say("unlink again: %s\n", res(mq_unlink(Q)));
    say("create new with the name: %s\n", res(mq_open(Q, O_CREAT | O_EXCL | O_RDWR, 0600, NULL) == -1 ? -1 : 0));
    mq_unlink(Q);
}

static void sysctls(void) {
    const char *names[] = {"queues_max", "msg_max", "msgsize_max", "msg_default", "msgsize_default"};
    for (int i = 0; i < 5; i++) {
        char path[64], b[32] = {0};
        snprintf(path, sizeof path, "/proc/sys/fs/mqueue/%s", names[i]);
        int fd = open(path, O_RDONLY);
        int n = fd < 0 ? -1 : read(fd, b, sizeof b - 1);
        if (fd >= 0) {
            close(fd);
        }
        say("%s: %s", names[i], n > 0 ? b : "unreadable\n");
    }
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *) a, *(char *const *) b);
}

/* The mqueue file system, mounted where only a child's new mount namespace sees it. */
static void filesystem(void) {
    pid_t c = fork();
    if (c == 0) {
        const char *dir = "/tmp/phx-mqueue-fs";
        if (unshare(CLONE_NEWNS) != 0 || mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
            say("unshare %s\n", ename(errno));
            _exit(1);
        }
        mkdir(dir, 0755);
        say("mount mqueue: %s\n", res(mount("none", dir, "mqueue", 0, NULL)));
        struct mq_attr a = {.mq_maxmsg = 2, .mq_msgsize = 16};
        mqd_t q = mq_open("/phx_fs1", O_CREAT | O_RDWR, 0640, &a);
        mq_send(q, "hello", 5, 0);
        mqd_t q2 = mq_open("/phx_fs2", O_CREAT | O_RDWR, 0604, &a);
        mq_close(q2);
        DIR *d = opendir(dir);
        char *names[16];
        int n = 0;
        struct dirent *e;
        while (d && (e = readdir(d)) != NULL && n < 16) {
            if (strncmp(e->d_name, "phx_fs", 6) == 0) {
                names[n++] = strdup(e->d_name);
            }
        }
        if (d) {
            closedir(d);
        }
        qsort(names, n, sizeof names[0], by_name);
        for (int i = 0; i < n; i++) {
            say("listed %s\n", names[i]);
        }
        struct stat st;
        char path[128];
        snprintf(path, sizeof path, "%s/phx_fs1", dir);
        if (stat(path, &st) == 0) {
            say("stat reg=%d mode=%o size=%ld\n", S_ISREG(st.st_mode), st.st_mode & 07777, (long) st.st_size);
        } else {
            say("stat %s\n", ename(errno));
        }
        int fd = open(path, O_RDONLY);
        char b[128] = {0};
        int r = fd < 0 ? -1 : read(fd, b, sizeof b - 1);
        say("cat %d: [%.*s]%s\n", r, r > 0 ? r - 1 : 0, b, r > 0 && b[r - 1] == '\n' ? " newline" : "");
        say("read again: %d\n", fd < 0 ? -1 : (int) read(fd, b, sizeof b));
        if (fd >= 0) {
            char m[32];
            ssize_t got_ = mq_receive(fd, m, sizeof m, NULL);
            say("receive through the opened file: %zd\n", got_);
            close(fd);
        }
        snprintf(path, sizeof path, "%s/phx_fs2", dir);
        say("unlink file: %s\n", res(unlink(path)));
        say("open unlinked: %s\n", res(mq_open("/phx_fs2", O_RDWR)));
        mq_close(q);
        mq_unlink("/phx_fs1");
        umount(dir);
        rmdir(dir);
        _exit(0);
    }
    waitpid(c, NULL, 0);
}

int main(void) {
    mq_unlink(Q);
    mq_unlink(Q2);
    mq_unlink("/phx_fs1");
    mq_unlink("/phx_fs2");
    umask(022);
    struct mq_attr a = {.mq_maxmsg = 4, .mq_msgsize = 64};
    mqd_t q = mq_open(Q, O_CREAT | O_EXCL | O_RDWR, 0666, &a);
    if (q == (mqd_t) -1) {
        say("mq_open %s\n", ename(errno));
        return 1;
    }
    struct stat st;
    fstat(q, &st);
    say("fstat reg=%d mode=%o size=%ld cloexec=%d\n", S_ISREG(st.st_mode), st.st_mode & 07777, (long) st.st_size,
            (fcntl(q, F_GETFD) & FD_CLOEXEC) != 0);
    show_attr("new", q);
    show_poll("new", q);
    priorities(q);
    woken_receiver(q);
    mq_send(q, "hello", 5, 0);
    show_status("one message", q);
    char b[64];
    mq_receive(q, b, sizeof b, NULL);
    notify_signal(q);
    notify_thread(q);
    errors();
    unlink_open(q);
    mq_close(q);
    sysctls();
    filesystem();
    say("done\n");
    return 0;
}
