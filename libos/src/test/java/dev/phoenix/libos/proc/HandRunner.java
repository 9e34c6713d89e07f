package dev.phoenix.libos.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.phoenix.libos.VirtualClock;
import dev.phoenix.libos.sched.RoundRobin;

/**
 * The threads of one process on one run queue, driven by the test's thread as the runner drives
 * them (pick a task, run its syscall, report how its turn ended), on virtual time: no engine, no
 * host thread of its own, no host time.
 */
final class HandRunner {
    final VirtualClock clock = new VirtualClock(0);
    final RunQueue queue = new RunQueue(new RoundRobin(), clock, null);
    final Process process = new Process(100, 1, null, null, "/bin/test");

    /** The leader and {@code n - 1} more threads (tids 100, 101, ...), started in that order. */
    Task[] start(int n) {
        Task[] tasks = new Task[n];
        tasks[0] = process.mainTask();
        for (int i = 1; i < n; i++) {
            tasks[i] = process.newThread(tasks[0], 100 + i, true, true);
        }
        for (Task t : tasks) {
            queue.start(t);
        }
        return tasks;
    }

    /** Picks the next task, which must be {@code expected}, and checks that it now runs. */
    Task runNext(Task expected) throws InterruptedException {
        Task t = queue.next();
        assertSame(expected, t, "picked tid " + (t == null ? "none" : t.tid()));
        assertEquals(RunQueue.State.RUNNING, t.state());
        return t;
    }

    /**
     * Runs {@code t} (next in line), whose syscall waits on {@code queues} with futex bitset
     * {@code bitset} until a queue wakes it or {@code deadline}: it parks, and the runner hears so.
     */
    void park(Task t, int bitset, long deadline, WaitQueue... queues) throws InterruptedException {
        runNext(t);
        t.setWaitBitset(bitset);
        assertThrows(Park.class, () -> t.block(deadline, t::woken, queues));
        queue.ranAndParked(t);
    }

    /** As {@link #park(Task, int, long, WaitQueue...)} for any bitset and no deadline. */
    void park(Task t, WaitQueue... queues) throws InterruptedException {
        park(t, -1, Long.MAX_VALUE, queues);
    }

    /**
     * Runs {@code t} (next in line) again after it was made runnable: its parked syscall runs
     * again, waiting as it did the first time, and this is how the wait ends now.
     */
    Task.Wait resume(Task t, WaitQueue... queues) throws InterruptedException {
        runNext(t);
        Task.Wait w = t.block(Long.MAX_VALUE, t::woken, queues);
        t.syscallDone();
        queue.ranAndRunnable(t, false);
        return w;
    }
}
