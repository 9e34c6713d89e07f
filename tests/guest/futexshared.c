/*
 * Shared futexes are keyed by the memory, not the address (futex(2), get_futex_key): one page
 * of a file mapped MAP_SHARED at two addresses is one futex for FUTEX_WAIT and FUTEX_WAKE
 * without FUTEX_PRIVATE_FLAG, and two for the private operations.
 */
#define _GNU_SOURCE
#include "threadcheck.h"
#include <fcntl.h>
#include <sched.h>
#include <stdatomic.h>
#include <sys/mman.h>

static int *view_a, *view_b;
static atomic_int waiting;

static void *waiter(void *arg) {
    int op = (int) (intptr_t) arg;
    atomic_fetch_add(&waiting, 1);
    long r = syscall(SYS_futex, view_a, op, 0, NULL, NULL, 0);
    return (void *) r;
}

/* Wakes through the other view until the waiter is woken, or says 0 after many tries. */
static long wake_through_b(int op) {
    for (int i = 0; i < 2000; i++) {
        long n = syscall(SYS_futex, view_b, op, 1, NULL, NULL, 0);
        if (n != 0) {
            return n;
        }
        sched_yield();
    }
    return 0;
}

int main(void) {
    char path[] = "/tmp/futexshared-XXXXXX";
    int fd = mkstemp(path);
    unlink(path);
    if (fd < 0 || ftruncate(fd, 4096) != 0) {
        printf("temporary file: %s\n", strerror(errno));
        return 1;
    }
    view_a = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    view_b = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    check("two views of one page", view_a != view_b && (*view_a = 7, *view_b == 7), "views %s",
            view_a == view_b ? "the same" : "apart");
    *view_a = 0;

    pthread_t t;
    spawn(&t, waiter, (void *) (intptr_t) FUTEX_WAIT);
    while (atomic_load(&waiting) < 1) {
        sched_yield();
    }
    long woken = wake_through_b(FUTEX_WAKE);
    while (woken == 0 && syscall(SYS_futex, view_a, FUTEX_WAKE, 1, NULL, NULL, 0) == 0) {
        sched_yield(); /* the views did not meet: release the waiter through its own, so the check fails, not hangs */
    }
    void *r;
    pthread_join(t, &r);
    check("shared wait and wake meet through two mappings", woken == 1 && (long) r == 0,
            "wake returned %ld, wait %ld", woken, (long) r);

    /* Private operations are keyed by address: a wake through the other view finds nobody. */
    atomic_store(&waiting, 0);
    spawn(&t, waiter, (void *) (intptr_t) FUTEX_WAIT_PRIVATE);
    while (atomic_load(&waiting) < 1) {
        sched_yield();
    }
    long none = syscall(SYS_futex, view_b, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    long mine = 0;
    for (int i = 0; i < 2000 && mine == 0; i++) {
        mine = syscall(SYS_futex, view_a, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
        if (mine == 0) {
            sched_yield();
        }
    }
    pthread_join(t, &r);
    check("private operations stay apart", none == 0 && mine == 1, "other view woke %ld, own view %ld", none, mine);
    return failed;
}
