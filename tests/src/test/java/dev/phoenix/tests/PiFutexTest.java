package dev.phoenix.tests;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Priority-inheritance futexes (issue 17, tests/guest/pifutex.c): the raw FUTEX_LOCK_PI,
 * LOCK_PI2, TRYLOCK_PI and UNLOCK_PI operations on the word (the owner's TID, FUTEX_WAITERS,
 * FUTEX_OWNER_DIED), the handoff to a waiter, an owner's death, a deadlock between two threads,
 * timeouts on both clocks and Linux's errors; a condition variable built on FUTEX_WAIT_REQUEUE_PI
 * and FUTEX_CMP_REQUEUE_PI with their errors; each once private and once shared. A PI futex in
 * shared memory between a process and its child: the handoff and the owner's death. Then the C
 * library's PTHREAD_PRIO_INHERIT mutexes (errorcheck, recursive, timed, contended, under
 * pthread_cond_wait, robust with a dead owner); and the priority inversion they exist for. The
 * text is the native run's; on x86_64 it is checked against a native run again.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard only
class PiFutexTest {
    /** pifutex.c's raw checks, each run once with FUTEX_PRIVATE_FLAG and once without. */
    private static final List<String> RAW_CHECKS = List.of(
            "LOCK_PI of a free word takes it",
            "LOCK_PI of a word it owns is EDEADLK",
            "TRYLOCK_PI of a word it owns is EDEADLK",
            "UNLOCK_PI without waiters leaves 0",
            "UNLOCK_PI of a free word is EPERM",
            "TRYLOCK_PI of a free word takes it",
            "LOCK_PI of a free word keeps FUTEX_OWNER_DIED",
            "UNLOCK_PI clears FUTEX_OWNER_DIED",
            "LOCK_PI unaligned is EINVAL",
            "LOCK_PI of a word naming no task is ESRCH",
            "UNLOCK_PI of another thread's lock is EPERM",
            "TRYLOCK_PI of another thread's lock is EAGAIN and sets FUTEX_WAITERS",
            "LOCK_PI with an absolute CLOCK_REALTIME deadline is ETIMEDOUT",
            "LOCK_PI2 with an absolute CLOCK_MONOTONIC deadline is ETIMEDOUT",
            "LOCK_PI2 with FUTEX_CLOCK_REALTIME and a deadline is ETIMEDOUT",
            "LOCK_PI with FUTEX_CLOCK_REALTIME is ENOSYS",
            "LOCK_PI with tv_nsec 1e9 is EINVAL",
            "its owner's UNLOCK_PI without waiters leaves 0",
            "UNLOCK_PI hands the lock to the waiter: word is its TID | FUTEX_WAITERS",
            "FUTEX_WAKE of a PI futex a task waits on is EINVAL",
            "UNLOCK_PI with no waiter left leaves 0",
            "owner exits while a task waits: it gets the lock with FUTEX_OWNER_DIED",
            "LOCK_PI of a lock whose owner exited without waiters is ESRCH",
            "a lock that would close a cycle of PI waiters is EDEADLK",
            "the other waiter still gets its lock",
            "WAIT_REQUEUE_PI with uaddr == uaddr2 is EINVAL",
            "WAIT_REQUEUE_PI value differs is EAGAIN",
            "WAIT_REQUEUE_PI with an absolute CLOCK_MONOTONIC deadline is ETIMEDOUT",
            "CMP_REQUEUE_PI with nr_wake 2 is EINVAL",
            "CMP_REQUEUE_PI with uaddr == uaddr2 is EINVAL",
            "CMP_REQUEUE_PI with a wrong val3 is EAGAIN",
            "CMP_REQUEUE_PI without waiters is 0",
            "CMP_REQUEUE_PI of a FUTEX_WAIT waiter is EINVAL",
            "FUTEX_WAKE of a WAIT_REQUEUE_PI waiter is EINVAL",
            "FUTEX_CMP_REQUEUE of a WAIT_REQUEUE_PI waiter is EINVAL",
            "CMP_REQUEUE_PI to another futex than the waiter's is EINVAL",
            "CMP_REQUEUE_PI to a free PI futex takes it for the waiter, which returns owning it",
            "the waiter's UNLOCK_PI leaves 0",
            "CMP_REQUEUE_PI to a PI futex the waiter owns is EDEADLK",
            "the waiter left on the condition is ETIMEDOUT",
            "CMP_REQUEUE_PI with the mutex held moves the waiter to it (returns 1, sets FUTEX_WAITERS)",
            "the unlock hands the mutex to the requeued waiter",
            "whose unlock leaves 0",
            "CMP_REQUEUE_PI broadcast moves 3 waiters, each returns owning the mutex");

    /** The checks between two processes, then those of the C library's PI mutexes, run once. */
    private static final String PTHREAD = """
            another process's UNLOCK_PI hands a shared PI futex over: ok
            the owner process exits while this one waits: it gets the lock with FUTEX_OWNER_DIED: ok
            errorcheck PI mutex: lock, relock EDEADLK, trylock elsewhere EBUSY, unlock: ok
            recursive PI mutex: twice locked, twice unlocked, then EPERM: ok
            PI mutex: timedlock on a held one times out, lock waits for the unlock: ok
            4 threads x 2000 increments under a PI mutex: ok
            pthread_cond_wait on a PI mutex: 200 items through a queue of 4: ok
            robust PI mutex whose owner exited: EOWNERDEAD, consistent, usable again: ok
            robust PI mutex whose owner exits while a thread waits: EOWNERDEAD: ok
            """;

    @ParameterizedTest
    @EnumSource(Target.class)
    void piFutexesRequeuePiAndPrioInheritMutexesBehaveAsLinux(Target t) throws Exception {
        StringBuilder expected = new StringBuilder();
        for (String variant : List.of("private", "shared")) {
            for (String check : RAW_CHECKS) {
                expected.append(check).append(" (").append(variant).append("): ok\n");
            }
        }
        Guests.runsAsExpected(t, "pifutex", new Result(0, expected + PTHREAD, ""));
    }

    /**
     * Blocking flock(2) between threads (flockwait.c): the waits that lend the waiter's priority
     * to the holders under Phoenix end when the holder unlocks or closes its last fd, or with
     * EINTR for a signal without SA_RESTART. (Linux lends nothing for file locks, so the
     * inheritance itself has no native reference: FlockTableTest checks it.)
     */
    @ParameterizedTest
    @EnumSource(Target.class)
    void aBlockedFlockEndsWhenTheHolderLetsGoOrASignalComes(Target t) throws Exception {
        Guests.runsAsExpected(t, "flockwait", new Result(0, """
                a blocked LOCK_EX gets the lock after the holder's LOCK_UN: ok
                and holds it: ok
                a blocked LOCK_SH waits for the exclusive holder: ok
                a blocked LOCK_EX gets the lock when the holder's last fd closes: ok
                a signal without SA_RESTART ends a blocked flock with EINTR: ok
                """, ""));
    }

    /**
     * The classic priority inversion on one CPU (pi_inversion.c): with a plain mutex the
     * medium-priority spinner keeps the low-priority holder off the CPU and the high-priority
     * waiter finishes after it; with PTHREAD_PRIO_INHERIT the holder inherits the waiter's
     * priority and high finishes first; with PTHREAD_PRIO_PROTECT (glibc's priority ceiling, by
     * sched_setparam) too. musl has no PTHREAD_PRIO_PROTECT. Then along a chain: high waits for
     * lowmid, which waits for low, and high's priority reaches low through lowmid.
     */
    @ParameterizedTest
    @EnumSource(Target.class)
    void priorityInheritanceEndsThePriorityInversion(Target t) throws Exception {
        String protect = t == Target.X86_64_MUSL ? "ENOTSUP" : "high medium low";
        Guests.runsAsExpected(t, "pi_inversion", new Result(0, "PTHREAD_PRIO_NONE: medium high low\n"
                + "PTHREAD_PRIO_INHERIT: high medium low\nPTHREAD_PRIO_PROTECT: " + protect + "\n"
                + "chain, PTHREAD_PRIO_NONE: medium high lowmid low\n"
                + "chain, PTHREAD_PRIO_INHERIT: high medium lowmid low\n", ""));
    }
}
