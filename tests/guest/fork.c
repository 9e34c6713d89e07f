/*
 * fork(2), vfork(2) and clone(2) without CLONE_VM, and the waits that reap their children
 * (wait(2), waitpid(2), waitid(2)): exit codes, signals, stops and continues, WNOHANG and
 * WNOWAIT, copy-on-write memory, MAP_SHARED memory, descriptors shared across fork, and a tree of
 * 200 processes. One "NAME: ok" line per check; nothing printed depends on pids or times.
 */
#define _GNU_SOURCE
#include "proccheck.h"
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef __WCLONE
#define __WCLONE 0x80000000
#endif
#ifndef __WALL
#define __WALL 0x40000000
#endif

#define BARRIER() __asm__ volatile("" ::: "memory")

/* Many children with distinct exit codes, reaped by waitpid in the reverse order and by wait in
 * whatever order they end. */
static void many_children(void) {
    enum { N = 20 };
    pid_t pid[N];
    int st = 0, good = 0, bad = -1, badst = 0;
    for (int i = 0; i < N; i++) {
        if ((pid[i] = fork_or_die()) == 0) {
            _exit(10 + i * 7);
        }
    }
    for (int i = N - 1; i >= 0; i--) {
        if (exited_with(pid[i], 10 + i * 7, &st)) {
            good++;
        } else if (bad < 0) {
            bad = i;
            badst = st;
        }
    }
    check("20 children exit with distinct codes, each reaped by waitpid", good == N,
            "%d of %d right; child %d: %s", good, N, bad, status_text(badst));
    errno = 0;
    pid_t r = wait(&st);
    check("wait with every child reaped: ECHILD", r == -1 && errno == ECHILD, "returned %d, %s", r, errname(errno));

    int seen[N] = {0};
    for (int i = 0; i < N; i++) {
        if ((pid[i] = fork_or_die()) == 0) {
            _exit(i);
        }
    }
    int reaped = 0, wrong = 0;
    while ((r = wait(&st)) > 0) {
        reaped++;
        int i = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        if (i < 0 || i >= N || pid[i] != r || seen[i]++) {
            wrong++;
        }
    }
    int ech = errno;
    check("20 children reaped by wait in any order, each pid with its own code", reaped == N && wrong == 0 && ech == ECHILD,
            "reaped %d, %d wrong, then %s", reaped, wrong, errname(ech));

    if ((pid[0] = fork_or_die()) == 0) {
        _exit(256 + 7);
    }
    check("only the low 8 bits of the exit code: _exit(263) is status 7", exited_with(pid[0], 7, &st), "%s",
            status_text(st));
}

/* WNOHANG: 0 while the child runs, its pid once it is a zombie. */
static void no_hang(void) {
    int go[2], st = -1;
    pipe_or_die(go);
    pid_t pid = fork_or_die();
    if (pid == 0) {
        close(go[1]);
        await(go[0]);
        _exit(5);
    }
    close(go[0]);
    pid_t r = waitpid(pid, &st, WNOHANG);
    check("waitpid WNOHANG on a running child returns 0", r == 0, "returned %d %s", r, r < 0 ? errname(errno) : "");
    post(go[1], 'x');
    close(go[1]);
    check("then a blocking waitpid reaps exit status 5", exited_with(pid, 5, &st), "%s", status_text(st));

    if ((pid = fork_or_die()) == 0) {
        _exit(6);
    }
    siginfo_t si;
    memset(&si, 0, sizeof si);
    waitid(P_PID, pid, &si, WEXITED | WNOWAIT);
    r = waitpid(pid, &st, WNOHANG);
    check("waitpid WNOHANG on a zombie reaps it", r == pid && WIFEXITED(st) && WEXITSTATUS(st) == 6, "returned %d, %s",
            r, status_text(st));
    errno = 0;
    r = waitpid(-1, &st, WNOHANG);
    check("waitpid(-1, WNOHANG) with no children: ECHILD, not 0", r == -1 && errno == ECHILD, "returned %d %s", r,
            errname(errno));
}

/* WIFSIGNALED and WTERMSIG, for a signal the child raises and one its parent sends. */
static void signalled(void) {
    int st = 0;
    pid_t pid = fork_or_die();
    if (pid == 0) {
        default_signal(SIGTERM);
        raise(SIGTERM);
        _exit(1);
    }
    waitpid_(pid, &st, 0);
    check("a child that raises SIGTERM: WIFSIGNALED, WTERMSIG SIGTERM, no core",
            WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM && !WCOREDUMP(st) && !WIFEXITED(st), "%s", status_text(st));

    if ((pid = fork_or_die()) == 0) {
        for (;;) {
            pause();
        }
    }
    kill(pid, SIGKILL);
    waitpid_(pid, &st, 0);
    check("a child killed with SIGKILL: WIFSIGNALED, WTERMSIG SIGKILL", WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
            "%s", status_text(st));

    if ((pid = fork_or_die()) == 0) {
        default_signal(SIGUSR1);
        for (;;) {
            pause();
        }
    }
    kill(pid, SIGUSR1);
    waitpid_(pid, &st, 0);
    check("a child killed with SIGUSR1: WTERMSIG SIGUSR1", WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR1, "%s",
            status_text(st));
}

/* WUNTRACED reports a stop once; WCONTINUED reports the continue. The child waits for a byte
 * after it continues, so that it cannot exit before its continue is reported. */
static void stop_and_continue(void) {
    int go[2], st = 0;
    pipe_or_die(go);
    pid_t pid = fork_or_die();
    if (pid == 0) {
        close(go[1]);
        raise(SIGSTOP);
        await(go[0]);
        _exit(9);
    }
    close(go[0]);
    pid_t r = waitpid_(pid, &st, WUNTRACED);
    check("a child that raises SIGSTOP: WIFSTOPPED, WSTOPSIG SIGSTOP under WUNTRACED",
            r == pid && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP, "%s", status_text(st));
    r = waitpid(pid, &st, WUNTRACED | WNOHANG);
    check("the stop is reported once", r == 0, "returned %d, %s", r, status_text(st));
    kill(pid, SIGCONT);
    r = waitpid_(pid, &st, WCONTINUED);
    check("after SIGCONT: WIFCONTINUED under WCONTINUED", r == pid && WIFCONTINUED(st), "returned %d, %s", r,
            status_text(st));
    kill(pid, SIGSTOP);
    r = waitpid_(pid, &st, WUNTRACED);
    check("stopped by its parent's SIGSTOP: WSTOPSIG SIGSTOP", r == pid && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP,
            "%s", status_text(st));
    kill(pid, SIGCONT);
    r = waitpid_(pid, &st, WCONTINUED);
    check("continued again", r == pid && WIFCONTINUED(st), "%s", status_text(st));
    post(go[1], 'x');
    close(go[1]);
    check("then it exits 9", exited_with(pid, 9, &st), "%s", status_text(st));
}

/* What a waitid siginfo says, for the message of a check that failed. */
static const char *si_text(int r, const siginfo_t *si) {
    static char buf[128];
    snprintf(buf, sizeof buf, "returned %d %s, si_signo %d si_code %d si_status %d si_pid %s", r,
            r < 0 ? errname(errno) : "", si->si_signo, si->si_code, si->si_status, si->si_pid == 0 ? "0" : "set");
    return buf;
}

static int is_child_info(const siginfo_t *si, pid_t pid, int code, int status) {
    return si->si_signo == SIGCHLD && si->si_pid == pid && si->si_code == code && si->si_status == status
            && si->si_uid == getuid();
}

/* Pauses until a signal ends it; the child of the waitid and kill checks. */
static pid_t sleeper(void) {
    pid_t pid = fork_or_die();
    if (pid == 0) {
        for (;;) {
            pause();
        }
    }
    return pid;
}

static void wait_id(void) {
    siginfo_t si;
    int r, st;
    pid_t pid = fork_or_die();
    if (pid == 0) {
        _exit(42);
    }
    memset(&si, 0, sizeof si);
    r = waitid(P_PID, pid, &si, WEXITED | WNOWAIT);
    check("waitid P_PID WNOWAIT: CLD_EXITED, si_status 42, si_pid and si_uid",
            r == 0 && is_child_info(&si, pid, CLD_EXITED, 42), "%s", si_text(r, &si));
    memset(&si, 0, sizeof si);
    r = waitid(P_PID, pid, &si, WEXITED);
    check("the zombie stays for a second waitid, which reaps it", r == 0 && is_child_info(&si, pid, CLD_EXITED, 42), "%s",
            si_text(r, &si));
    r = waitid(P_PID, pid, &si, WEXITED);
    check("a third waitid: ECHILD", r == -1 && errno == ECHILD, "%s", si_text(r, &si));

    int go[2];
    pipe_or_die(go);
    if ((pid = fork_or_die()) == 0) {
        close(go[1]);
        await(go[0]);
        _exit(43);
    }
    close(go[0]);
    memset(&si, 0, sizeof si);
    r = waitid(P_ALL, 0, &si, WEXITED | WNOHANG);
    check("waitid P_ALL WNOHANG on a running child returns 0 with si_pid 0", r == 0 && si.si_pid == 0, "%s",
            si_text(r, &si));
    post(go[1], 'x');
    close(go[1]);
    memset(&si, 0, sizeof si);
    r = waitid(P_ALL, 0, &si, WEXITED);
    check("then waitid P_ALL reaps it", r == 0 && is_child_info(&si, pid, CLD_EXITED, 43), "%s", si_text(r, &si));

    pid = sleeper();
    kill(pid, SIGKILL);
    memset(&si, 0, sizeof si);
    r = waitid(P_PID, pid, &si, WEXITED);
    check("waitid of a child killed by SIGKILL: CLD_KILLED, si_status SIGKILL",
            r == 0 && is_child_info(&si, pid, CLD_KILLED, SIGKILL), "%s", si_text(r, &si));

    pid = sleeper();
    kill(pid, SIGSTOP);
    memset(&si, 0, sizeof si);
    r = waitid(P_PID, pid, &si, WSTOPPED);
    check("waitid WSTOPPED: CLD_STOPPED, si_status SIGSTOP", r == 0 && is_child_info(&si, pid, CLD_STOPPED, SIGSTOP),
            "%s", si_text(r, &si));
    kill(pid, SIGCONT);
    memset(&si, 0, sizeof si);
    r = waitid(P_PID, pid, &si, WCONTINUED);
    check("waitid WCONTINUED: CLD_CONTINUED, si_status SIGCONT",
            r == 0 && is_child_info(&si, pid, CLD_CONTINUED, SIGCONT), "%s", si_text(r, &si));
    kill(pid, SIGKILL);
    waitpid_(pid, &st, 0);

    r = waitid(P_ALL, 0, &si, WNOHANG);
    check("waitid without WEXITED, WSTOPPED or WCONTINUED: EINVAL", r == -1 && errno == EINVAL, "%s", si_text(r, &si));

    /* P_PGID: a and b in a group of their own (both sides call setpgid, so neither order of
     * running loses it), c in ours; waitid reaps a and b only. */
    pipe_or_die(go);
    pid_t a = fork_or_die();
    if (a == 0) {
        setpgid(0, 0);
        close(go[1]);
        await(go[0]);
        _exit(51);
    }
    setpgid(a, a);
    pid_t b = fork_or_die();
    if (b == 0) {
        setpgid(0, a);
        close(go[1]);
        await(go[0]);
        _exit(52);
    }
    setpgid(b, a);
    pid_t c = fork_or_die();
    if (c == 0) {
        close(go[1]);
        await(go[0]);
        _exit(53);
    }
    close(go[0]);
    close(go[1]);
    int got = 0;
    for (int i = 0; i < 2; i++) {
        memset(&si, 0, sizeof si);
        r = waitid(P_PGID, a, &si, WEXITED);
        if (r == 0 && si.si_code == CLD_EXITED && ((si.si_pid == a && si.si_status == 51)
                || (si.si_pid == b && si.si_status == 52))) {
            got |= si.si_pid == a ? 1 : 2;
        }
    }
    r = waitid(P_PGID, a, &si, WEXITED | WNOHANG);
    int e = errno;
    check("waitid P_PGID reaps the two children of that group, then ECHILD", got == 3 && r == -1 && e == ECHILD,
            "got mask %d, then returned %d %s", got, r, errname(e));
    memset(&si, 0, sizeof si);
    r = waitid(P_ALL, 0, &si, WEXITED);
    check("the child outside the group is left for P_ALL", r == 0 && is_child_info(&si, c, CLD_EXITED, 53), "%s",
            si_text(r, &si));

    if ((pid = fork_or_die()) == 0) {
        _exit(44);
    }
    int pidfd = (int) syscall(SYS_pidfd_open, pid, 0);
    memset(&si, 0, sizeof si);
    r = pidfd < 0 ? -1 : waitid(P_PIDFD, pidfd, &si, WEXITED);
    check("waitid P_PIDFD with a pidfd_open descriptor", r == 0 && is_child_info(&si, pid, CLD_EXITED, 44),
            "pidfd %s, %s", pidfd < 0 ? errname(errno) : "ok", si_text(r, &si));
    if (pidfd >= 0) {
        close(pidfd);
    } else {
        waitpid_(pid, &st, 0);
    }
}

/* clone(2) without CLONE_VM is a fork; with an exit signal other than SIGCHLD the child is a
 * "clone" child that only __WCLONE and __WALL wait for (wait(2), "Linux notes"). */
static void raw_clone(void) {
    int st = 0;
    long pid = syscall(SYS_clone, (long) SIGCHLD, 0L, 0L, 0L, 0L);
    if (pid == 0) {
        syscall(SYS_exit_group, 21);
    }
    check("clone(SIGCHLD) is a fork that waitpid reaps", pid > 0 && exited_with((pid_t) pid, 21, &st), "clone %s, %s",
            pid < 0 ? errname(errno) : "ok", status_text(st));

    pid = syscall(SYS_clone, 0L, 0L, 0L, 0L, 0L);
    if (pid == 0) {
        syscall(SYS_exit_group, 22);
    }
    if (pid < 0) {
        check("a clone child with no exit signal", 0, "clone: %s", errname(errno));
        return;
    }
    pid_t r = waitpid(pid, &st, 0);
    int e = errno;
    check("waitpid without __WCLONE does not see a clone child: ECHILD", r == -1 && e == ECHILD, "returned %d %s", r,
            errname(e));
    st = 0;
    r = waitpid_(pid, &st, __WCLONE);
    check("waitpid __WCLONE reaps it", r == pid && WIFEXITED(st) && WEXITSTATUS(st) == 22, "returned %d, %s", r,
            status_text(st));

    pid = syscall(SYS_clone, 0L, 0L, 0L, 0L, 0L);
    if (pid == 0) {
        syscall(SYS_exit_group, 23);
    }
    st = 0;
    r = pid < 0 ? -1 : waitpid_(pid, &st, __WALL);
    check("waitpid __WALL reaps a clone child too", r == pid && WIFEXITED(st) && WEXITSTATUS(st) == 23,
            "returned %d, %s", r, status_text(st));

    pid_t f = fork_or_die();
    if (f == 0) {
        _exit(24);
    }
    siginfo_t si;
    memset(&si, 0, sizeof si);
    waitid(P_PID, f, &si, WEXITED | WNOWAIT);
    r = waitpid(f, &st, __WCLONE | WNOHANG);
    e = errno;
    check("__WCLONE does not see a fork child: ECHILD", r == -1 && e == ECHILD, "returned %d %s", r, errname(e));
    exited_with(f, 24, &st);
}

/* vfork(2): the parent sleeps until the child exits, the two sharing memory meanwhile. */
static volatile int vfork_mark;

static void vfork_shares_and_waits(void) {
    int st = 0;
    vfork_mark = 0;
    pid_t pid = vfork();
    if (pid == 0) {
        /* A parent that ran on would see 0 here: the child takes its time first. */
        struct timespec t = {0, 50 * 1000 * 1000};
        nanosleep(&t, NULL);
        vfork_mark = 1;
        _exit(3);
    }
    int mark = vfork_mark;
    int reaped = pid > 0 && exited_with(pid, 3, &st);
    check("vfork: the parent resumes after the child's _exit and sees its write", reaped && mark == 1, "vfork %s, mark %d, %s", pid < 0 ? errname(errno) : "ok",
            mark, status_text(st));
}

/* Copy-on-write both ways. Before the fork every region holds values A; then one side writes
 * values B, the other checks it still sees A; then the other side writes C and the first checks
 * it still sees B. parent_first says who writes first (the first writer's page is copied, the
 * second may find itself the last user of the old one). Regions: a global, a stack variable, a
 * heap block, a 4 MiB malloc filled before the fork and a 4 MiB mapping nobody touched before it. */
enum { BIG = 4 << 20, PAGE = 4096 };
static int global_value;

static unsigned char pattern(size_t i, int v) {
    return (unsigned char) (i * 7 + i / PAGE + v * 101);
}

/* A bit per region whose values are not v: 1 global, 2 stack, 4 heap, 8 filled, 16 fresh. */
static int regions_differ(volatile int *stack_value, int *heap, unsigned char *filled, unsigned char *fresh, int v) {
    BARRIER();
    int bad = 0;
    if (global_value != v) {
        bad |= 1;
    }
    if (*stack_value != v) {
        bad |= 2;
    }
    for (int i = 0; i < 1024; i++) {
        if (heap[i] != v * 1000 + i) {
            bad |= 4;
        }
    }
    for (size_t i = 0; i < BIG; i++) {
        if (filled[i] != pattern(i, v)) {
            bad |= 8;
            break;
        }
    }
    for (size_t i = 0; i < BIG; i++) {
        /* value A of the untouched mapping is 0 everywhere; later values are written once a page */
        if (fresh[i] != (v == 1 || i % PAGE != 0 ? 0 : v)) {
            bad |= 16;
            break;
        }
    }
    return bad;
}

static void write_regions(volatile int *stack_value, int *heap, unsigned char *filled, unsigned char *fresh, int v) {
    global_value = v;
    *stack_value = v;
    for (int i = 0; i < 1024; i++) {
        heap[i] = v * 1000 + i;
    }
    for (size_t i = 0; i < BIG; i++) {
        filled[i] = pattern(i, v);
    }
    if (v != 1) {
        for (size_t i = 0; i < BIG; i += PAGE) {
            fresh[i] = (unsigned char) v;
        }
    }
    BARRIER();
}

static void copy_on_write(int parent_first) {
    volatile int stack_value;
    int *heap = malloc(1024 * sizeof(int));
    unsigned char *filled = malloc(BIG);
    unsigned char *fresh = mmap(NULL, BIG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (!heap || !filled || fresh == MAP_FAILED) {
        printf("copy-on-write: no memory\n");
        exit(1);
    }
    write_regions(&stack_value, heap, filled, fresh, 1);
    int p2c[2], c2p[2], st = 0;
    pipe_or_die(p2c);
    pipe_or_die(c2p);
    pid_t pid = fork_or_die();
    if (pid == 0) {
        /* The child reports in its exit status: bits 0-4 what it saw wrong before its own
         * write, bit 5 its grandchild's view, bits 6-7 a broken hand-off. */
        int bad = 0;
        if (parent_first) {
            if (await(p2c[0]) != 'w') {
                bad |= 64;
            }
            bad |= regions_differ(&stack_value, heap, filled, fresh, 1);
            write_regions(&stack_value, heap, filled, fresh, 3);
            post(c2p[1], 'w');
        } else {
            write_regions(&stack_value, heap, filled, fresh, 3);
            post(c2p[1], 'w');
            if (await(p2c[0]) != 'w') {
                bad |= 64;
            }
        }
        if (regions_differ(&stack_value, heap, filled, fresh, 3)) {
            bad |= 128;
        }
        /* A fork of the fork sees the child's values, not the original ones. */
        pid_t g = fork();
        if (g == 0) {
            _exit(regions_differ(&stack_value, heap, filled, fresh, 3));
        }
        if (g < 0 || !exited_with(g, 0, &st)) {
            bad |= 32;
        }
        _exit(bad);
    }
    int parent_saw;
    if (parent_first) {
        write_regions(&stack_value, heap, filled, fresh, 2);
        post(p2c[1], 'w');
        await(c2p[0]);
        parent_saw = regions_differ(&stack_value, heap, filled, fresh, 2);
    } else {
        await(c2p[0]);
        parent_saw = regions_differ(&stack_value, heap, filled, fresh, 1);
        write_regions(&stack_value, heap, filled, fresh, 2);
        post(p2c[1], 'w');
    }
    waitpid_(pid, &st, 0);
    int child_saw = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    const char *order = parent_first ? "the parent writes first" : "the child writes first";
    char name[160];
    snprintf(name, sizeof name, "copy-on-write, %s: the child does not see the parent's writes", order);
    if (parent_first) {
        check(name, child_saw >= 0 && (child_saw & 31) == 0 && !(child_saw & 64),
                "child's regions 0x%x differ (1 global, 2 stack, 4 heap, 8 filled 4 MiB, 16 untouched 4 MiB), %s",
                child_saw & 31, status_text(st));
    } else {
        check(name, child_saw >= 0 && (child_saw & 128) == 0 && !(child_saw & 64), "child saw its own writes change, %s",
                status_text(st));
    }
    snprintf(name, sizeof name, "copy-on-write, %s: the parent does not see the child's writes", order);
    check(name, parent_saw == 0, "parent's regions 0x%x differ", parent_saw);
    snprintf(name, sizeof name, "copy-on-write, %s: a grandchild sees the child's values", order);
    check(name, child_saw >= 0 && (child_saw & 32) == 0, "%s", status_text(st));
    int after = regions_differ(&stack_value, heap, filled, fresh, 2);
    snprintf(name, sizeof name, "copy-on-write, %s: the parent's pages are intact after the child exits", order);
    check(name, after == 0, "regions 0x%x differ", after);
    close(p2c[0]);
    close(p2c[1]);
    close(c2p[0]);
    close(c2p[1]);
    munmap(fresh, BIG);
    free(filled);
    free(heap);
}

/* MAP_SHARED anonymous memory, and a MAP_SHARED file mapping, seen by both sides. */
static void shared_memory(void) {
    enum { LEN = 64 * 1024 };
    volatile int *shm = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    char path[] = "/tmp/phoenix-fork-XXXXXX";
    int fd = mkstemp(path);
    if (shm == MAP_FAILED || fd < 0 || ftruncate(fd, LEN) != 0) {
        printf("shared memory: setup failed: %s\n", strerror(errno));
        exit(1);
    }
    unlink(path);
    volatile int *file = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (file == MAP_FAILED) {
        printf("shared memory: file mapping failed: %s\n", strerror(errno));
        exit(1);
    }
    shm[0] = 1;
    file[0] = 1;
    int p2c[2], c2p[2], st = 0;
    pipe_or_die(p2c);
    pipe_or_die(c2p);
    pid_t pid = fork_or_die();
    if (pid == 0) {
        int bad = 0;
        await(p2c[0]);
        BARRIER();
        if (shm[0] != 2 || shm[LEN / sizeof(int) - 1] != 22) {
            bad |= 1;
        }
        if (file[0] != 2) {
            bad |= 2;
        }
        shm[1] = 3;
        shm[LEN / sizeof(int) - 2] = 33;
        file[1] = 3;
        BARRIER();
        post(c2p[1], 'w');
        _exit(bad);
    }
    shm[0] = 2;
    shm[LEN / sizeof(int) - 1] = 22;
    file[0] = 2;
    BARRIER();
    post(p2c[1], 'w');
    await(c2p[0]);
    BARRIER();
    waitpid_(pid, &st, 0);
    int child_saw = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    check("MAP_SHARED|MAP_ANONYMOUS: the child sees the parent's writes after the fork", child_saw >= 0 && !(child_saw & 1),
            "%s", status_text(st));
    check("MAP_SHARED|MAP_ANONYMOUS: the parent sees the child's writes", shm[1] == 3 && shm[LEN / sizeof(int) - 2] == 33,
            "saw %d and %d", shm[1], shm[LEN / sizeof(int) - 2]);
    check("MAP_SHARED file mapping: both see each other's writes", child_saw >= 0 && !(child_saw & 2) && file[1] == 3,
            "%s, parent saw %d", status_text(st), file[1]);
    int word;
    check("and the file holds the child's write", pread(fd, &word, sizeof word, sizeof(int)) == sizeof word && word == 3,
            "read %d", word);
    munmap((void *) shm, LEN);
    munmap((void *) file, LEN);
    close(fd);
    close(p2c[0]);
    close(p2c[1]);
    close(c2p[0]);
    close(c2p[1]);
}

/* Parent and child spin on a shared flag each, without a syscall: both must run at once, or take
 * turns by preemption. The spins end after about 10 s of CPU so that a failure prints. */
static void run_together(void) {
    volatile int *flags = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    int st = 0;
    pid_t pid = fork_or_die();
    if (pid == 0) {
        flags[0] = 1;
        for (long i = 0; flags[1] == 0; i++) {
            if (i > 4000000000L) {
                _exit(1);
            }
        }
        _exit(0);
    }
    long i = 0;
    while (flags[0] == 0 && i < 4000000000L) {
        i++;
    }
    flags[1] = 1;
    int reaped = exited_with(pid, 0, &st);
    check("parent and child spin on shared memory until each sees the other", flags[0] == 1 && reaped,
            "parent saw %d, child %s", flags[0], status_text(st));
    munmap((void *) flags, PAGE);
}

/* Descriptors shared across fork: pipes both ways with end of file, and one open file whose
 * offset and status flags both sides share while their descriptor flags stay their own. */
static void shared_descriptors(void) {
    int p2c[2], c2p[2], st = 0;
    pipe_or_die(p2c);
    pipe_or_die(c2p);
    pid_t pid = fork_or_die();
    if (pid == 0) {
        close(p2c[1]);
        close(c2p[0]);
        char buf[64];
        ssize_t n;
        while ((n = read(p2c[0], buf, sizeof buf)) > 0) {
            for (ssize_t i = 0; i < n; i++) {
                buf[i] = (char) (buf[i] >= 'a' && buf[i] <= 'z' ? buf[i] - 32 : buf[i]);
            }
            if (write(c2p[1], buf, n) != n) {
                _exit(2);
            }
        }
        _exit(n == 0 ? 0 : 1);
    }
    close(p2c[0]);
    close(c2p[1]);
    const char *msg = "ping from the parent";
    ssize_t w = write(p2c[1], msg, strlen(msg));
    close(p2c[1]);
    char got[64] = {0};
    size_t have = 0;
    ssize_t n;
    while ((n = read(c2p[0], got + have, sizeof got - 1 - have)) > 0) {
        have += n;
    }
    close(c2p[0]);
    int reaped = exited_with(pid, 0, &st);
    check("pipes to and from a child, which sees end of file once the parent closes its end",
            reaped && w == (ssize_t) strlen(msg) && strcmp(got, "PING FROM THE PARENT") == 0,
            "got \"%s\", %s", got, status_text(st));

    char path[] = "/tmp/phoenix-fork-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        printf("mkstemp failed: %s\n", strerror(errno));
        exit(1);
    }
    unlink(path);
    pipe_or_die(p2c);
    pipe_or_die(c2p);
    if ((pid = fork_or_die()) == 0) {
        int bad = 0;
        if (write(fd, "child 1\n", 8) != 8) {
            bad |= 1;
        }
        post(c2p[1], 'w');
        await(p2c[0]);
        if (write(fd, "child 2\n", 8) != 8) {
            bad |= 1;
        }
        /* descriptor flags are the child's own; status flags belong to the open file */
        fcntl(fd, F_SETFD, FD_CLOEXEC);
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_APPEND);
        close(c2p[1]);
        _exit(bad);
    }
    close(c2p[1]);
    await(c2p[0]);
    ssize_t pw = write(fd, "parent 1\n", 9);
    post(p2c[1], 'w');
    await(c2p[0]);
    exited_with(pid, 0, &st);
    char file[64] = {0};
    ssize_t fr = pread(fd, file, sizeof file - 1, 0);
    off_t off = lseek(fd, 0, SEEK_CUR);
    check("a file written by both through one descriptor: the writes follow each other",
            pw == 9 && fr == 25 && strcmp(file, "child 1\nparent 1\nchild 2\n") == 0, "file holds %zd bytes: \"%s\"", fr,
            file);
    check("the offset is shared: the parent's is at the end", off == 25, "offset %ld", (long) off);
    int fl = fcntl(fd, F_GETFL), fdfl = fcntl(fd, F_GETFD);
    check("O_APPEND set by the child shows in the parent; its FD_CLOEXEC does not",
            (fl & O_APPEND) && !(fdfl & FD_CLOEXEC), "F_GETFL 0x%x, F_GETFD 0x%x", fl, fdfl);

    lseek(fd, 0, SEEK_SET);
    if ((pid = fork_or_die()) == 0) {
        char b[8];
        _exit(read(fd, b, 8) == 8 && memcmp(b, "child 1\n", 8) == 0 ? 0 : 1);
    }
    int child_ok = exited_with(pid, 0, &st);
    char b[10] = {0};
    ssize_t r = read(fd, b, 9);
    check("reads share the offset too: the parent reads on where the child stopped",
            child_ok && r == 9 && strcmp(b, "parent 1\n") == 0, "child %s, parent read \"%s\"", status_text(st), b);
    close(fd);
    close(p2c[0]);
    close(p2c[1]);
    close(c2p[0]);

    pipe_or_die(p2c);
    if ((pid = fork_or_die()) == 0) {
        close(p2c[0]);
        _exit(0);
    }
    exited_with(pid, 0, &st);
    int fl0 = fcntl(p2c[0], F_GETFD);
    check("a descriptor the child closed stays open in the parent", fl0 >= 0, "F_GETFD: %s", errname(errno));
    close(p2c[0]);
    close(p2c[1]);
}

static void ids(void) {
    pid_t me = getpid();
    int st = 0;
    pid_t pid = fork_or_die();
    if (pid == 0) {
        _exit(getppid() == me && getpid() != me ? 0 : 1);
    }
    int reaped = exited_with(pid, 0, &st);
    check("getppid in the child is the parent's pid; its own pid is new", reaped && pid != me, "%s",
            status_text(st));
    errno = 0;
    pid_t r = wait(NULL);
    check("wait with no children: ECHILD", r == -1 && errno == ECHILD, "returned %d %s", r, errname(errno));
    errno = 0;
    r = waitpid(me, &st, 0);
    check("waitpid of oneself: ECHILD", r == -1 && errno == ECHILD, "returned %d %s", r, errname(errno));
}

/* Counts the entries of /proc/self/task: the threads of this process. */
static int thread_count(void) {
    DIR *d = opendir("/proc/self/task");
    if (!d) {
        return -1;
    }
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] != '.') {
            n++;
        }
    }
    closedir(d);
    return n;
}

static int block_fd[2];

static void *blocker(void *arg) {
    (void) arg;
    await(block_fd[0]);
    return NULL;
}

static pid_t forked_by_thread;

static void *forker(void *arg) {
    (void) arg;
    pid_t pid = fork_or_die();
    if (pid == 0) {
        _exit(thread_count() == 1 && syscall(SYS_gettid) == getpid() ? 0 : 1);
    }
    forked_by_thread = pid;
    return NULL;
}

/* fork in a process of three threads, from a thread that is not the main one: the child has one
 * thread, whose tid is the child's pid; the main thread reaps the child of the other. */
static void fork_with_threads(void) {
    pthread_t t1, t2;
    pipe_or_die(block_fd);
    if (pthread_create(&t1, NULL, blocker, NULL) != 0) {
        printf("pthread_create failed\n");
        exit(1);
    }
    fflush(stdout);
    if (pthread_create(&t2, NULL, forker, NULL) != 0) {
        printf("pthread_create failed\n");
        exit(1);
    }
    pthread_join(t2, NULL);
    int st = 0;
    check("fork from a second thread of three: the child has one thread, its tid its pid; the main thread reaps it",
            exited_with(forked_by_thread, 0, &st), "%s", status_text(st));
    post(block_fd[1], 'x');
    pthread_join(t1, NULL);
    close(block_fd[0]);
    close(block_fd[1]);
}

/* Builds a subtree of n processes counting the caller: it forks up to 4 children that share
 * the rest, reaps every one and returns how many processes its subtree really held. */
static int subtree(int n) {
    int left = n - 1, count = 1, parts = left < 4 ? left : 4, st;
    for (int c = 0; c < parts; c++) {
        int share = left / (parts - c);
        left -= share;
        pid_t pid = fork_or_die();
        if (pid == 0) {
            _exit(subtree(share));
        }
    }
    pid_t r;
    while ((r = waitpid_(-1, &st, 0)) > 0) {
        count += WIFEXITED(st) ? WEXITSTATUS(st) : 0;
    }
    return errno == ECHILD ? count : 0;
}

static void tree(void) {
    int st = 0;
    pid_t pid = fork_or_die();
    if (pid == 0) {
        _exit(subtree(200));
    }
    check("a tree of 200 processes, every one reaped by its parent", exited_with(pid, 200, &st), "%s", status_text(st));
}

int main(void) {
    default_signal(SIGCHLD);
    default_signal(SIGPIPE);
    many_children();
    no_hang();
    signalled();
    stop_and_continue();
    wait_id();
    raw_clone();
    vfork_shares_and_waits();
    copy_on_write(1);
    copy_on_write(0);
    shared_memory();
    run_together();
    shared_descriptors();
    ids();
    fork_with_threads();
    tree();
    return failed;
}
