/*
 * futex(2) and futex_waitv(2) between threads, through raw syscalls: how many waiters each
 * wake, requeue and wake-op reaches, bitsets, timeouts on both clocks and the errors, each once
 * with FUTEX_PRIVATE_FLAG on a private page and once without it on a MAP_SHARED page (the
 * kernel keys those by the page, not by the address space).
 *
 * Counting woken waiters is exact only when the waiters are known to be blocked, and sleeping
 * for a while proves nothing. So waiters first block on a staging word, and FUTEX_CMP_REQUEUE is
 * repeated until it has moved all of them to the word under test: a requeued waiter is blocked
 * there for certain, and still asleep.
 *
 * One line per check, "NAME: ok" or what was seen instead; exit status 0 when all held.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <sched.h>
#include <sys/mman.h>
#include "threadcheck.h"

/* futex_waitv(2), Linux 5.16: the same number on x86_64 and in the asm-generic table. */
#define SYS_futex_waitv_ 449
#define FUTEX2_SIZE_U32 0x02
#define FUTEX2_PRIVATE 128
struct futex_waitv {
    uint64_t val;
    uint64_t uaddr;
    uint32_t flags;
    uint32_t __reserved;
};

static int private_flag; /* FUTEX_PRIVATE_FLAG or 0, for the variant being run */

static long futex(uint32_t *uaddr, int op, uint32_t val, const void *timeout_or_val2, uint32_t *uaddr2,
                  uint32_t val3) {
    return syscall(SYS_futex, uaddr, op | private_flag, val, timeout_or_val2, uaddr2, val3);
}

/* A syscall's outcome as text: the number it returned, or the errno's name. */
static const char *outcome(long r, int e, char *buf) {
    if (r >= 0) {
        sprintf(buf, "%ld", r);
        return buf;
    }
    const char *name = errno_name(e);
    if (name) {
        return name;
    }
    sprintf(buf, "errno %d", e);
    return buf;
}

/* Prints "NAME (variant): ok" when the outcome is want, else what it was. */
static void expect(const char *name, long r, const char *want) {
    char buf[32];
    const char *got = outcome(r, errno, buf);
    check(name, strcmp(got, want) == 0, "got %s, expected %s", got, want);
}

/* ---- waiter threads */

struct waiter {
    uint32_t *word;
    uint32_t bitset;
    long timeout_ms; /* 0: none */
    long ret;
    int err;
    int done; /* set when the wait has returned */
    pthread_t thread;
};

static void *wait_thread(void *arg) {
    struct waiter *w = arg;
    struct timespec rel = {w->timeout_ms / 1000, (w->timeout_ms % 1000) * 1000000L};
    w->ret = futex(w->word, w->bitset ? FUTEX_WAIT_BITSET : FUTEX_WAIT, *w->word,
                   w->timeout_ms ? &rel : NULL, NULL, w->bitset);
    w->err = w->ret < 0 ? errno : 0;
    __atomic_store_n(&w->done, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

/* Joins the waiters; true when every wait returned 0 (woken, not timed out or refused). */
static int join_all(struct waiter *w, int n) {
    int ok = 1;
    for (int i = 0; i < n; i++) {
        pthread_join(w[i].thread, NULL);
        ok &= w[i].ret == 0;
    }
    return ok;
}

static uint32_t *page; /* the words under test; page[0] is the staging word */

/*
 * Starts n waiters (with bitset, 0 for a plain FUTEX_WAIT) on the staging word and requeues them
 * onto target until all n have moved, so they are certainly blocked there. Returns 0, or -1
 * (reported) when the requeue fails.
 */
static int park(struct waiter *w, int n, uint32_t bitset, uint32_t *target) {
    uint32_t *stage = &page[0];
    *stage = 0;
    for (int i = 0; i < n; i++) {
        w[i] = (struct waiter) {stage, bitset, 0, -1, 0, 0, 0};
        spawn(&w[i].thread, wait_thread, &w[i]);
    }
    long moved = 0;
    while (moved < n) {
        long r = futex(stage, FUTEX_CMP_REQUEUE, 0, (void *) (long) INT_MAX, target, 0);
        if (r < 0) {
            expect("FUTEX_CMP_REQUEUE to park waiters", r, "a count");
            *stage = 1;
            futex(stage, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
            join_all(w, n);
            return -1;
        }
        moved += r;
        if (moved < n) {
            sched_yield();
        }
    }
    return 0;
}

/* FUTEX_WAKE returns how many it woke, at most the count asked for. */
static void wake_counts(void) {
    uint32_t *a = &page[1];
    struct waiter w[4];
    if (park(w, 4, 0, a) < 0) {
        return;
    }
    long r1 = futex(a, FUTEX_WAKE, 1, NULL, NULL, 0);
    long r2 = futex(a, FUTEX_WAKE, 2, NULL, NULL, 0);
    long r3 = futex(a, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
    long r4 = futex(a, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
    int woken = join_all(w, 4);
    check("FUTEX_WAKE 1, 2, all, all of 4 waiters", r1 == 1 && r2 == 2 && r3 == 1 && r4 == 0 && woken,
          "woke %ld, %ld, %ld, %ld of 4; every wait returned 0: %d", r1, r2, r3, r4, woken);
}

/*
 * FUTEX_REQUEUE and FUTEX_CMP_REQUEUE wake nr_wake waiters and move up to val2 others to uaddr2,
 * returning both counts together; the moved ones are woken by a wake of uaddr2 only.
 */
static void requeues(void) {
    uint32_t *a = &page[1], *b = &page[2];
    struct waiter w[4];
    if (park(w, 4, 0, a) < 0) {
        return;
    }
    long r = futex(a, FUTEX_REQUEUE, 1, (void *) 2L, b, 0);
    long on_b = futex(b, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
    long on_a = futex(a, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
    int woken = join_all(w, 4);
    check("FUTEX_REQUEUE wake 1 move 2 of 4", r == 3 && on_b == 2 && on_a == 1 && woken,
          "returned %ld, then %ld woken on uaddr2 and %ld on uaddr; waits returned 0: %d", r, on_b, on_a, woken);

    *a = 5;
    if (park(w, 3, 0, a) < 0) {
        return;
    }
    r = futex(a, FUTEX_CMP_REQUEUE, 0, (void *) 2L, b, 5);
    on_b = futex(b, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
    on_a = futex(a, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
    woken = join_all(w, 3);
    check("FUTEX_CMP_REQUEUE wake 0 move 2 of 3", r == 2 && on_b == 2 && on_a == 1 && woken,
          "returned %ld, then %ld woken on uaddr2 and %ld on uaddr; waits returned 0: %d", r, on_b, on_a, woken);

    /* *uaddr is not val3: nothing is woken or moved. */
    if (park(w, 1, 0, a) < 0) {
        return;
    }
    expect("FUTEX_CMP_REQUEUE with a wrong val3", futex(a, FUTEX_CMP_REQUEUE, 1, (void *) 1L, b, 6), "EAGAIN");
    on_b = futex(b, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
    on_a = futex(a, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
    woken = join_all(w, 1);
    check("the waiter stays on uaddr", on_b == 0 && on_a == 1 && woken, "%ld woken on uaddr2, %ld on uaddr", on_b,
          on_a);
}

/*
 * FUTEX_WAKE_OP: *uaddr2 = old OP oparg, wake nr_wake on uaddr, and nr_wake2 on uaddr2 as well
 * when old CMP cmparg held; returns the total woken.
 */
static void wake_op(void) {
    uint32_t *a = &page[1], *b = &page[2];
    struct waiter wa[1], wb[1];
    if (park(wa, 1, 0, a) < 0 || park(wb, 1, 0, b) < 0) {
        return;
    }
    *b = 5;
    long r1 = futex(a, FUTEX_WAKE_OP, 1, (void *) 1L, b, FUTEX_OP(FUTEX_OP_SET, 9, FUTEX_OP_CMP_EQ, 1));
    uint32_t after1 = *b;
    long r2 = futex(a, FUTEX_WAKE_OP, 1, (void *) 1L, b, FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_GT, 8));
    uint32_t after2 = *b;
    int woken = join_all(wa, 1) & join_all(wb, 1);
    check("FUTEX_WAKE_OP comparison decides the second wake", r1 == 1 && after1 == 9 && r2 == 1 && after2 == 10
          && woken, "5 SET 9 (5 == 1 false) woke %ld, word %u; 9 ADD 1 (9 > 8 true) woke %ld, word %u; "
          "waits returned 0: %d", r1, after1, r2, after2, woken);

    /* The other operations, with nobody waiting: 10 | 1<<4 = 26, 26 & ~2 = 24, 24 ^ 0xff = 231. */
    long o1 = futex(a, FUTEX_WAKE_OP, 1, (void *) 1L, b,
                    FUTEX_OP(FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT, 4, FUTEX_OP_CMP_NE, 0));
    uint32_t v1 = *b;
    long o2 = futex(a, FUTEX_WAKE_OP, 1, (void *) 1L, b, FUTEX_OP(FUTEX_OP_ANDN, 2, FUTEX_OP_CMP_EQ, 0));
    uint32_t v2 = *b;
    long o3 = futex(a, FUTEX_WAKE_OP, 1, (void *) 1L, b, FUTEX_OP(FUTEX_OP_XOR, 0xff, FUTEX_OP_CMP_EQ, 0));
    uint32_t v3 = *b;
    check("FUTEX_WAKE_OP operations", v1 == 26 && v2 == 24 && v3 == 231 && o1 == 0 && o2 == 0 && o3 == 0,
          "OR 1<<4 gave %u, ANDN 2 gave %u, XOR 0xff gave %u, woke %ld %ld %ld", v1, v2, v3, o1, o2, o3);
}

/* FUTEX_WAKE_BITSET wakes only the waiters whose bitset shares a bit with its own; a plain
 * FUTEX_WAKE is FUTEX_BITSET_MATCH_ANY. A requeued waiter keeps its bitset. */
static void bitsets(void) {
    uint32_t *a = &page[1];
    struct waiter w1[1], w2[1], w8[1];
    if (park(w1, 1, 0x1, a) < 0 || park(w2, 1, 0x2, a) < 0 || park(w8, 1, 0x8, a) < 0) {
        return;
    }
    long none = futex(a, FUTEX_WAKE_BITSET, INT_MAX, NULL, NULL, 0x4);
    long two = futex(a, FUTEX_WAKE_BITSET, INT_MAX, NULL, NULL, 0x2);
    int two_woken = join_all(w2, 1);
    long one = futex(a, FUTEX_WAKE_BITSET, INT_MAX, NULL, NULL, 0x3);
    int one_woken = join_all(w1, 1);
    long any = futex(a, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
    int any_woken = join_all(w8, 1);
    check("FUTEX_WAKE_BITSET 0x4, 0x2, 0x3 of waiters 0x1, 0x2, 0x8", none == 0 && two == 1 && one == 1 && any == 1
          && two_woken && one_woken && any_woken,
          "bitset 0x4 woke %ld, 0x2 woke %ld, 0x3 woke %ld, FUTEX_WAKE woke %ld; waits returned 0: %d %d %d",
          none, two, one, any, two_woken, one_woken, any_woken);
}

/* A wait with a 60 s timeout that a wake ends long before returns 0. */
static void timed_wait_woken(void) {
    uint32_t *a = &page[1];
    *a = 0;
    struct waiter w = {a, 0, 60000, -1, 0, 0, 0};
    spawn(&w.thread, wait_thread, &w);
    /* Wake until the waiter has been there to be woken (or its wait failed by itself). */
    while (futex(a, FUTEX_WAKE, 1, NULL, NULL, 0) == 0 && !__atomic_load_n(&w.done, __ATOMIC_SEQ_CST)) {
        sched_yield();
    }
    join_all(&w, 1);
    errno = w.err;
    expect("FUTEX_WAIT with a 60 s timeout woken in time", w.ret, "0");
}

/* Waits that end by themselves, and the arguments the kernel refuses. */
static void waits_and_errors(void) {
    uint32_t *a = &page[1];
    *a = 3;
    expect("FUTEX_WAIT value differs", futex(a, FUTEX_WAIT, 4, NULL, NULL, 0), "EAGAIN");
    struct timespec ten_ms = {0, 10000000L};
    expect("FUTEX_WAIT relative timeout", futex(a, FUTEX_WAIT, 3, &ten_ms, NULL, 0), "ETIMEDOUT");
    struct timespec mono = deadline(CLOCK_MONOTONIC, 10);
    expect("FUTEX_WAIT_BITSET absolute CLOCK_MONOTONIC",
           futex(a, FUTEX_WAIT_BITSET, 3, &mono, NULL, FUTEX_BITSET_MATCH_ANY), "ETIMEDOUT");
    struct timespec real = deadline(CLOCK_REALTIME, 10);
    expect("FUTEX_WAIT_BITSET absolute FUTEX_CLOCK_REALTIME",
           futex(a, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 3, &real, NULL, FUTEX_BITSET_MATCH_ANY), "ETIMEDOUT");
    expect("FUTEX_WAIT_BITSET bitset 0", futex(a, FUTEX_WAIT_BITSET, 3, NULL, NULL, 0), "EINVAL");
    expect("FUTEX_WAKE_BITSET bitset 0", futex(a, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0), "EINVAL");
    uint32_t *unaligned = (uint32_t *) ((char *) a + 2);
    expect("FUTEX_WAIT unaligned", futex(unaligned, FUTEX_WAIT, 0, NULL, NULL, 0), "EINVAL");
    expect("FUTEX_WAKE unaligned", futex(unaligned, FUTEX_WAKE, 1, NULL, NULL, 0), "EINVAL");
    struct timespec bad = {0, 1000000000L};
    expect("FUTEX_WAIT tv_nsec 1e9", futex(a, FUTEX_WAIT, 3, &bad, NULL, 0), "EINVAL");
    expect("FUTEX_WAKE nobody waiting", futex(a, FUTEX_WAKE, 1, NULL, NULL, 0), "0");
}

/* ---- futex_waitv(2): wait on several words; the index of the one woken is returned */

static struct futex_waitv vec[3];
static long waitv_ret;
static int waitv_err, waitv_done;

static long waitv(struct futex_waitv *v, unsigned n, unsigned flags, struct timespec *timeout, clockid_t clock) {
    return syscall(SYS_futex_waitv_, v, n, flags, timeout, clock);
}

static void *waitv_thread(void *arg) {
    (void) arg;
    waitv_ret = waitv(vec, 3, 0, NULL, 0);
    waitv_err = errno;
    __atomic_store_n(&waitv_done, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

static void futex_waitv(void) {
    uint32_t flags = FUTEX2_SIZE_U32 | (private_flag ? FUTEX2_PRIVATE : 0);
    for (int i = 0; i < 3; i++) {
        page[4 + i] = 0;
        vec[i] = (struct futex_waitv) {0, (uintptr_t) &page[4 + i], flags, 0};
    }
    pthread_t t;
    waitv_done = 0;
    spawn(&t, waitv_thread, NULL);
    /* Wake the third word until the waiter has been there to be woken (or its wait failed). */
    while (futex(&page[6], FUTEX_WAKE, 1, NULL, NULL, 0) == 0 && !__atomic_load_n(&waitv_done, __ATOMIC_SEQ_CST)) {
        sched_yield();
    }
    pthread_join(t, NULL);
    errno = waitv_err;
    expect("futex_waitv woken on word 2 returns 2", waitv_ret, "2");

    vec[1].val = 1;
    expect("futex_waitv value differs", waitv(vec, 3, 0, NULL, 0), "EAGAIN");
    vec[1].val = 0;
    struct timespec mono = deadline(CLOCK_MONOTONIC, 10);
    expect("futex_waitv absolute CLOCK_MONOTONIC timeout", waitv(vec, 3, 0, &mono, CLOCK_MONOTONIC), "ETIMEDOUT");
    struct timespec real = deadline(CLOCK_REALTIME, 10);
    expect("futex_waitv absolute CLOCK_REALTIME timeout", waitv(vec, 3, 0, &real, CLOCK_REALTIME), "ETIMEDOUT");
    expect("futex_waitv clock CLOCK_PROCESS_CPUTIME_ID", waitv(vec, 3, 0, &real, CLOCK_PROCESS_CPUTIME_ID), "EINVAL");
    expect("futex_waitv syscall flags 1", waitv(vec, 3, 1, NULL, 0), "EINVAL");
    expect("futex_waitv no words", waitv(vec, 0, 0, NULL, 0), "EINVAL");
    vec[0].flags = flags & ~FUTEX2_SIZE_U32; /* size U8: only 32-bit futexes exist */
    expect("futex_waitv without FUTEX2_SIZE_U32", waitv(vec, 3, 0, NULL, 0), "EINVAL");
    vec[0].flags = flags | 0x1000;
    expect("futex_waitv unknown flag", waitv(vec, 3, 0, NULL, 0), "EINVAL");
    vec[0].flags = flags;
    vec[0].__reserved = 1;
    expect("futex_waitv __reserved set", waitv(vec, 3, 0, NULL, 0), "EINVAL");
}

int main(void) {
    for (int shared = 0; shared < 2; shared++) {
        private_flag = shared ? 0 : FUTEX_PRIVATE_FLAG;
        variant = shared ? "shared" : "private";
        page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS, -1, 0);
        wake_counts();
        requeues();
        wake_op();
        bitsets();
        timed_wait_woken();
        waits_and_errors();
        futex_waitv();
        munmap(page, 4096);
    }
    return failed;
}
