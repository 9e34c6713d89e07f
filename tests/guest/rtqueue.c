/*
 * The real-time signals queue (signal(7), "Real-time signals"; sigqueue(3), rt_sigqueueinfo(2),
 * sigpending(2), signalfd(2), getrlimit(2) RLIMIT_SIGPENDING, proc(5) SigQ/SigPnd/ShdPnd).
 * SIGRTMIN and SIGRTMIN+1 are blocked and sent several times each, by sigqueue(3) with a distinct
 * si_value, by kill(2) and once to the thread itself by rt_tgsigqueueinfo(2), RTMIN+1 first;
 * SIGUSR1 twice (a standard signal: the second merges into the first). The batch is taken
 * (a) by sigwaitinfo one instance at a time, with sigpending after each; (b) by a SA_SIGINFO
 * handler once unblocked; (c) by one read of a signalfd. Linux's order: the thread's own signals
 * before the process's, the lowest number first, the instances of one signal in the order sent.
 * (d) With RLIMIT_SIGPENDING lowered to 4: sigqueue fills the queue and then fails with EAGAIN,
 * as tgkill does; kill(2) still succeeds but its siginfo is lost (SI_USER from pid 0).
 * Signals are printed relative to SIGRTMIN, which differs between glibc (34) and musl (35).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#define RT0 (SIGRTMIN)
#define RT1 (SIGRTMIN + 1)

static char names[4][16];

static const char *signame(int sig) {
    static int next;
    char *buf = names[next++ & 3];
    if (sig == SIGUSR1) {
        return "SIGUSR1";
    }
    if (sig == SIGUSR2) {
        return "SIGUSR2";
    }
    if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
        snprintf(buf, sizeof names[0], sig == SIGRTMIN ? "RTMIN" : "RTMIN+%d", sig - SIGRTMIN);
    } else {
        snprintf(buf, sizeof names[0], "signal %d", sig);
    }
    return buf;
}

static const char *codename(int code) {
    switch (code) {
    case SI_USER: return "SI_USER";
    case SI_QUEUE: return "SI_QUEUE";
    case SI_TKILL: return "SI_TKILL";
    default: return "other";
    }
}

static const char *sender(pid_t pid) {
    return pid == getpid() ? "self" : pid == 0 ? "0" : "other";
}

static void show(const char *how, int sig, int code, pid_t pid, int value) {
    printf("%s: %s %s pid %s value %d\n", how, signame(sig), codename(code), sender(pid), value);
}

/* The signals of this test that are set in mask (bit n-1 for signal n), by name. */
static void print_set(const char *what, uint64_t mask) {
    int sigs[] = {SIGUSR1, SIGUSR2, RT0, RT1};
    printf("%s:", what);
    for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        if (mask & (1ULL << (sigs[i] - 1))) {
            printf(" %s", signame(sigs[i]));
            mask &= ~(1ULL << (sigs[i] - 1));
        }
    }
    if (mask) {
        printf(" others %#llx", (unsigned long long) mask);
    }
    printf("\n");
}

static void print_pending(void) {
    sigset_t set;
    sigpending(&set);
    uint64_t mask = 0;
    for (int s = 1; s <= 64; s++) {
        if (sigismember(&set, s) == 1) {
            mask |= 1ULL << (s - 1);
        }
    }
    print_set("  sigpending", mask);
}

/*
 * proc(5): SigQ is "queued/limit" for the real user ID; SigPnd the thread's, ShdPnd the process's.
 * Linux counts the signals queued to every process of the user: the count at start, which other
 * processes hold (one was seen in CI), is subtracted, and the limits below are set above it.
 */
static unsigned long long others_queued;

static unsigned long long sigq(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    unsigned long long queued = 0, limit;
    while (f && fgets(line, sizeof line, f)) {
        if (sscanf(line, "SigQ: %llu/%llu", &queued, &limit) == 2) {
            break;
        }
    }
    if (f) {
        fclose(f);
    }
    return queued;
}

static void print_status(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    struct rlimit rl;
    getrlimit(RLIMIT_SIGPENDING, &rl);
    while (f && fgets(line, sizeof line, f)) {
        unsigned long long queued, limit, mask;
        if (sscanf(line, "SigQ: %llu/%llu", &queued, &limit) == 2) {
            printf("  SigQ: %llu queued, limit is RLIMIT_SIGPENDING: %d\n", queued - others_queued,
                   (rlim_t) limit == rl.rlim_cur);
        } else if (sscanf(line, "SigPnd: %llx", &mask) == 1) {
            print_set("  SigPnd", mask);
        } else if (sscanf(line, "ShdPnd: %llx", &mask) == 1) {
            print_set("  ShdPnd", mask);
        }
    }
    if (f) {
        fclose(f);
    }
}

static int queue(int sig, int value) {
    return sigqueue(getpid(), sig, (union sigval) {.sival_int = value});
}

/* pthread_sigqueue(3), which musl lacks: rt_tgsigqueueinfo(2) to the calling thread. */
static int queue_to_thread(int sig, int value) {
    siginfo_t si;
    memset(&si, 0, sizeof si);
    si.si_signo = sig;
    si.si_code = SI_QUEUE;
    si.si_pid = getpid();
    si.si_uid = getuid();
    si.si_value.sival_int = value;
    return (int) syscall(SYS_rt_tgsigqueueinfo, getpid(), (pid_t) syscall(SYS_gettid), sig, &si);
}

static void send_batch(void) {
    queue(RT1, 11);
    kill(getpid(), RT1);
    queue(RT1, 12);
    kill(getpid(), SIGUSR1);
    queue(RT0, 1);
    kill(getpid(), RT0);
    queue_to_thread(RT0, 3); /* the thread's own: taken before the process's */
    queue(RT0, 2);
    queue(SIGUSR1, 99); /* merges into the pending SIGUSR1, whose siginfo stays kill's */
}

static sigset_t batch_set(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    sigaddset(&set, RT0);
    sigaddset(&set, RT1);
    return set;
}

/* ---- (b): the handler records what it was given, in order */

static struct {
    int sig, code, value;
    pid_t pid;
} seen[32];
static volatile int nseen;

static void record(int sig, siginfo_t *si, void *uc) {
    (void) uc;
    if (nseen < 32) {
        seen[nseen].sig = sig;
        seen[nseen].code = si->si_code;
        seen[nseen].pid = si->si_pid;
        seen[nseen].value = si->si_value.sival_int;
        nseen++;
    }
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    others_queued = sigq();
    sigset_t set = batch_set();
    sigprocmask(SIG_BLOCK, &set, NULL);

    printf("(a) sigwaitinfo\n");
    send_batch();
    print_pending();
    print_status();
    siginfo_t si;
    struct timespec zero = {0, 0};
    int sig;
    while ((sig = sigtimedwait(&set, &si, &zero)) > 0) {
        show("  sigwaitinfo", sig, si.si_code, si.si_pid, si.si_value.sival_int);
        print_pending();
    }
    printf("  then: %s\n", errno == EAGAIN ? "EAGAIN" : strerror(errno));
    print_status();

    printf("(b) handler\n");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = record;
    sa.sa_flags = SA_SIGINFO;
    sigfillset(&sa.sa_mask); /* one handler at a time: each runs to its end before the next */
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(RT0, &sa, NULL);
    sigaction(RT1, &sa, NULL);
    send_batch();
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    sigprocmask(SIG_BLOCK, &set, NULL);
    for (int i = 0; i < nseen; i++) {
        show("  handler", seen[i].sig, seen[i].code, seen[i].pid, seen[i].value);
    }
    print_pending();

    printf("(c) signalfd\n");
    send_batch();
    int fd = signalfd(-1, &set, SFD_NONBLOCK);
    struct signalfd_siginfo rec[16];
    ssize_t n = read(fd, rec, sizeof rec);
    printf("  read: %zd records\n", n / (ssize_t) sizeof rec[0]);
    for (int i = 0; i < n / (ssize_t) sizeof rec[0]; i++) {
        show("  signalfd", (int) rec[i].ssi_signo, rec[i].ssi_code, (pid_t) rec[i].ssi_pid, rec[i].ssi_int);
    }
    n = read(fd, rec, sizeof rec);
    printf("  read again: %zd %s\n", n, n < 0 && errno == EAGAIN ? "EAGAIN" : "");
    close(fd);
    print_pending();

    printf("(d) RLIMIT_SIGPENDING 4\n");
    struct rlimit rl;
    getrlimit(RLIMIT_SIGPENDING, &rl);
    rl.rlim_cur = others_queued + 4;
    printf("  setrlimit: %d\n", setrlimit(RLIMIT_SIGPENDING, &rl));
    int queued = 0, r;
    while (queued < 100 && (r = queue(RT1, 100 + queued)) == 0) {
        queued++;
    }
    printf("  sigqueue: %d queued, then %d %s\n", queued, r, errno == EAGAIN ? "EAGAIN" : strerror(errno));
    print_status();
    errno = 0;
    r = queue_to_thread(RT1, 200);
    printf("  rt_tgsigqueueinfo: %d %s\n", r, errno == EAGAIN ? "EAGAIN" : strerror(errno));
    errno = 0;
    r = (int) syscall(SYS_tgkill, getpid(), (pid_t) syscall(SYS_gettid), RT0);
    printf("  tgkill RTMIN: %d %s\n", r, errno == EAGAIN ? "EAGAIN" : strerror(errno));
    printf("  kill RTMIN: %d\n", kill(getpid(), RT0)); /* pending without its siginfo */
    printf("  kill RTMIN again: %d\n", kill(getpid(), RT0)); /* merges into it */
    printf("  kill RTMIN+1: %d\n", kill(getpid(), RT1)); /* lost behind the queued ones */
    printf("  sigqueue SIGUSR2: %d\n", queue(SIGUSR2, 300)); /* a standard signal: pending, siginfo lost */
    print_pending();
    print_status();
    while ((sig = sigtimedwait(&set, &si, &zero)) > 0) {
        show("  sigwaitinfo", sig, si.si_code, si.si_pid, si.si_value.sival_int);
    }
    print_status();
    rl.rlim_cur = others_queued;
    setrlimit(RLIMIT_SIGPENDING, &rl);
    errno = 0;
    r = queue(RT0, 400);
    printf("  limit 0: sigqueue %d %s\n", r, errno == EAGAIN ? "EAGAIN" : strerror(errno));
    printf("  limit 0: kill SIGUSR1 %d\n", kill(getpid(), SIGUSR1)); /* the kernel's own count ignores the limit */
    while ((sig = sigtimedwait(&set, &si, &zero)) > 0) {
        show("  sigwaitinfo", sig, si.si_code, si.si_pid, si.si_value.sival_int);
    }

    /* sigaction(2) to SIG_IGN discards the pending instances, blocked or not (POSIX; Linux's do_sigaction). */
    printf("(e) SIG_IGN\n");
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_SIGPENDING, &rl);
    queue(RT0, 500);
    queue(RT0, 501);
    kill(getpid(), SIGUSR1);
    print_pending();
    signal(RT0, SIG_IGN);
    signal(SIGUSR1, SIG_IGN);
    print_pending();

    /* Linux's next_signal takes a fault's signal (SIGILL, SIGSEGV, ...) before lower-numbered ones. */
    printf("(f) synchronous signals first\n");
    sigset_t two;
    sigemptyset(&two);
    sigaddset(&two, SIGHUP);
    sigaddset(&two, SIGILL);
    sigprocmask(SIG_BLOCK, &two, NULL);
    raise(SIGHUP);
    raise(SIGILL);
    print_pending();
    while ((sig = sigtimedwait(&two, &si, &zero)) > 0) {
        printf("  sigwaitinfo: %s\n", sig == SIGILL ? "SIGILL" : sig == SIGHUP ? "SIGHUP" : "?");
    }
    return 0;
}
