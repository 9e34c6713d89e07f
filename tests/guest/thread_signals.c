/*
 * Signals in a process of several threads (signal(7), "Signal mask and pending signals"):
 * tgkill(2) runs the handler on the thread it names; a process-directed kill(2) is delivered to
 * a thread that does not block the signal; sigwaitinfo(2) in a thread of its own takes a signal
 * that every thread blocks; signalfd(2) reads and polls blocked signals; rt_sigtimedwait(2)
 * times out with EAGAIN; sigaltstack(2) is per thread.
 * One line per check, "NAME: ok" or what was seen instead; exit status 0 when all held.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <semaphore.h>
#include <signal.h>
#include <sys/signalfd.h>
#include "threadcheck.h"

static int tgkill_(pid_t tgid, pid_t tid, int sig) {
    return (int) syscall(SYS_tgkill, tgid, tid, sig);
}

/* sem_wait(3) ends with EINTR when a handler runs, whatever SA_RESTART says. */
static void sem_wait_fully(sem_t *s) {
    while (sem_wait(s) != 0 && errno == EINTR) {
    }
}

static void mask(int how, int sig) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    pthread_sigmask(how, &set, NULL);
}

/* ---- the handler records which thread ran it and how the signal was sent */

static volatile pid_t handler_tid;
static volatile int handler_code, handler_runs;
static sem_t handled;

static void on_usr1(int sig, siginfo_t *si, void *uc) {
    (void) sig;
    (void) uc;
    handler_tid = gettid_();
    handler_code = si->si_code;
    handler_runs++;
    sem_post(&handled); /* async-signal-safe (signal-safety(7)) */
}

/* A worker that publishes its tid, optionally unblocks SIGUSR1, and waits to be released. */
struct worker {
    pid_t tid;
    int unblock;
    sem_t ready, release;
    pthread_t thread;
};

static void *worker_main(void *arg) {
    struct worker *w = arg;
    w->tid = gettid_();
    if (w->unblock) {
        mask(SIG_UNBLOCK, SIGUSR1);
    }
    sem_post(&w->ready);
    sem_wait_fully(&w->release);
    return NULL;
}

static void start(struct worker *w, int unblock) {
    w->unblock = unblock;
    sem_init(&w->ready, 0, 0);
    sem_init(&w->release, 0, 0);
    spawn(&w->thread, worker_main, w);
    sem_wait_fully(&w->ready);
}

static void finish(struct worker *w) {
    sem_post(&w->release);
    pthread_join(w->thread, NULL);
}

/* tgkill(2): the named thread runs the handler, with si_code SI_TKILL. */
static void thread_directed(void) {
    struct worker w[3];
    for (int i = 0; i < 3; i++) {
        start(&w[i], 1);
    }
    handler_runs = 0;
    int r = tgkill_(getpid(), w[1].tid, SIGUSR1);
    sem_wait_fully(&handled);
    int on_target = handler_tid == w[1].tid;
    int wrong_group = tgkill_(getpid() + 1000000, w[1].tid, SIGUSR1) == -1 && errno == ESRCH;
    for (int i = 0; i < 3; i++) {
        finish(&w[i]);
    }
    check("tgkill runs the handler on the target thread", r == 0 && on_target && handler_runs == 1
          && handler_code == SI_TKILL, "tgkill %d, handler on the target %s, runs %d, si_code SI_TKILL %s", r,
          on_target ? "yes" : "no", handler_runs, handler_code == SI_TKILL ? "yes" : "no");
    check("tgkill with another tgid is ESRCH", wrong_group, "it was not");
}

/* kill(2) to the process while the main thread and two workers block SIGUSR1: the one worker
 * that does not block it takes it. */
static void process_directed(void) {
    mask(SIG_BLOCK, SIGUSR1); /* inherited by the workers */
    struct worker w[3];
    start(&w[0], 0);
    start(&w[1], 1);
    start(&w[2], 0);
    handler_runs = 0;
    int r = kill(getpid(), SIGUSR1);
    sem_wait_fully(&handled);
    int on_unblocked = handler_tid == w[1].tid;
    for (int i = 0; i < 3; i++) {
        finish(&w[i]);
    }
    sigset_t pending;
    sigpending(&pending);
    int still_pending = sigismember(&pending, SIGUSR1);
    mask(SIG_UNBLOCK, SIGUSR1);
    check("kill reaches the thread that does not block it", r == 0 && on_unblocked && handler_runs == 1
          && handler_code == SI_USER && !still_pending,
          "kill %d, handler on the unblocked worker %s, runs %d, si_code SI_USER %s, still pending %d", r,
          on_unblocked ? "yes" : "no", handler_runs, handler_code == SI_USER ? "yes" : "no", still_pending);
}

/* sigwaitinfo(2) in a dedicated thread; every thread blocks SIGUSR2, so only the wait takes it. */
static siginfo_t waited;
static int waited_result;
static sem_t waiter_ready;

static void *sigwait_thread(void *arg) {
    (void) arg;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sem_post(&waiter_ready);
    waited_result = sigwaitinfo(&set, &waited);
    return NULL;
}

static void dedicated_sigwait(void) {
    mask(SIG_BLOCK, SIGUSR2);
    sem_init(&waiter_ready, 0, 0);
    pthread_t t;
    spawn(&t, sigwait_thread, NULL);
    sem_wait_fully(&waiter_ready); /* if the signal comes first, it waits pending for the call */
    kill(getpid(), SIGUSR2);
    pthread_join(t, NULL);
    check("sigwaitinfo in a dedicated thread", waited_result == SIGUSR2 && waited.si_signo == SIGUSR2
          && waited.si_code == SI_USER && waited.si_pid == getpid(),
          "returned %d, si_signo %d, si_code %d, si_pid matches %s", waited_result, waited.si_signo, waited.si_code,
          waited.si_pid == getpid() ? "yes" : "no");
    mask(SIG_UNBLOCK, SIGUSR2);
}

/* signalfd(2): a blocked signal is read from the descriptor instead of being delivered. */
static int sfd_blocking;
static struct signalfd_siginfo from_thread;
static ssize_t from_thread_n;
static sem_t reader_ready;

static void *signalfd_reader(void *arg) {
    (void) arg;
    sem_post(&reader_ready);
    from_thread_n = read(sfd_blocking, &from_thread, sizeof from_thread);
    return NULL;
}

static void signal_fd(void) {
    mask(SIG_BLOCK, SIGUSR1);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    int fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    struct signalfd_siginfo si;
    ssize_t empty = read(fd, &si, sizeof si);
    int empty_errno = errno;
    struct pollfd p = {fd, POLLIN, 0};
    int before = poll(&p, 1, 0);
    kill(getpid(), SIGUSR1);
    p.revents = 0;
    int after = poll(&p, 1, 0);
    int revents = p.revents;
    ssize_t n = read(fd, &si, sizeof si);
    sigset_t pending;
    sigpending(&pending);
    check("signalfd poll and read", empty == -1 && empty_errno == EAGAIN && before == 0 && after == 1
          && revents == POLLIN && n == sizeof si && si.ssi_signo == SIGUSR1 && si.ssi_code == SI_USER
          && si.ssi_pid == (uint32_t) getpid() && !sigismember(&pending, SIGUSR1),
          "empty read %zd errno %s, poll before %d, after %d revents POLLIN %s, read %zd, ssi_signo %u, "
          "ssi_code %d, ssi_pid matches %s, still pending %d",
          empty, empty_errno == EAGAIN ? "EAGAIN" : "other", before, after, revents == POLLIN ? "yes" : "no", n,
          si.ssi_signo, si.ssi_code, si.ssi_pid == (uint32_t) getpid() ? "yes" : "no", sigismember(&pending, SIGUSR1));
    close(fd);

    /* A thread blocked in read(2) of a blocking signalfd is woken by the signal's arrival. */
    sfd_blocking = signalfd(-1, &set, SFD_CLOEXEC);
    sem_init(&reader_ready, 0, 0);
    pthread_t t;
    spawn(&t, signalfd_reader, NULL);
    sem_wait_fully(&reader_ready);
    kill(getpid(), SIGUSR1);
    pthread_join(t, NULL);
    close(sfd_blocking);
    check("signalfd read in another thread wakes", from_thread_n == sizeof from_thread
          && from_thread.ssi_signo == SIGUSR1, "read %zd, ssi_signo %u", from_thread_n, from_thread.ssi_signo);
    mask(SIG_UNBLOCK, SIGUSR1);
}

/* sigtimedwait(2) whose timeout passes with nothing pending: EAGAIN. */
static void timed_wait(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    mask(SIG_BLOCK, SIGUSR2);
    struct timespec ten_ms = {0, 10000000L};
    int r = sigtimedwait(&set, NULL, &ten_ms);
    int e = errno;
    mask(SIG_UNBLOCK, SIGUSR2);
    check("sigtimedwait times out with EAGAIN", r == -1 && e == EAGAIN, "returned %d, errno %s", r,
          e == EAGAIN ? "EAGAIN" : "other");
}

/* ---- sigaltstack(2) is per thread: a handler with SA_ONSTACK runs on the alternate stack of the
 * thread it runs on, if that thread has one */

static volatile uintptr_t handler_local; /* the address of a local of the handler */

static void on_usr2(int sig) {
    (void) sig;
    char here;
    handler_local = (uintptr_t) &here;
}

struct alt_result {
    int has_own, on_own;
};

static void *alt_thread(void *arg) {
    struct alt_result *res = arg;
    size_t size = 64 * 1024;
    char *mem = malloc(size);
    stack_t ss = {.ss_sp = mem, .ss_size = size, .ss_flags = 0};
    stack_t now;
    sigaltstack(&ss, NULL);
    sigaltstack(NULL, &now);
    res->has_own = now.ss_sp == mem && now.ss_size == size && now.ss_flags == 0;
    mask(SIG_UNBLOCK, SIGUSR2);
    raise(SIGUSR2); /* to this thread */
    res->on_own = handler_local >= (uintptr_t) mem && handler_local < (uintptr_t) mem + size;
    ss.ss_flags = SS_DISABLE; /* before the memory goes */
    sigaltstack(&ss, NULL);
    free(mem);
    return NULL;
}

static void *no_alt_thread(void *arg) {
    struct alt_result *res = arg;
    stack_t now;
    sigaltstack(NULL, &now);
    res->has_own = !(now.ss_flags & SS_DISABLE); /* a new thread starts without one */
    char here;
    mask(SIG_UNBLOCK, SIGUSR2);
    raise(SIGUSR2);
    /* on this thread's own stack: within a page or two of a local of this frame */
    res->on_own = handler_local < (uintptr_t) &here && handler_local > (uintptr_t) &here - 65536;
    return NULL;
}

static void alt_stacks(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr2;
    sa.sa_flags = SA_ONSTACK;
    sigaction(SIGUSR2, &sa, NULL);
    struct alt_result with = {0, 0}, without = {0, 0};
    pthread_t t;
    spawn(&t, alt_thread, &with);
    pthread_join(t, NULL);
    spawn(&t, no_alt_thread, &without);
    pthread_join(t, NULL);
    stack_t main_ss;
    sigaltstack(NULL, &main_ss);
    check("sigaltstack in a thread", with.has_own && with.on_own, "thread sees its stack %s, handler on it %s",
          with.has_own ? "yes" : "no", with.on_own ? "yes" : "no");
    check("other threads have no alternate stack", !without.has_own && without.on_own
          && (main_ss.ss_flags & SS_DISABLE), "has one %s, handler on its own stack %s, main has one %s",
          without.has_own ? "yes" : "no", without.on_own ? "yes" : "no", main_ss.ss_flags & SS_DISABLE ? "no" : "yes");
}

int main(void) {
    sem_init(&handled, 0, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_usr1;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    thread_directed();
    process_directed();
    dedicated_sigwait();
    signal_fd();
    timed_wait();
    alt_stacks();
    return failed;
}
