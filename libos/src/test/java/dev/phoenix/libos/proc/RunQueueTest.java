package dev.phoenix.libos.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.libos.proc.RunQueue.State;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * The run queue with real tasks, driven as the runner drives it: which task runs next, what
 * becomes of a task whose turn ended, and the wakes (from a queue, a signal, a deadline) that
 * make a blocked task runnable again, including one that comes before the task has parked.
 */
// a lost wake would leave the test waiting, a broken wait spinning, for ever: fail it instead
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = ThreadMode.SEPARATE_THREAD)
class RunQueueTest {
    private final HandRunner r = new HandRunner();
    private final RunQueue q = r.queue;

    /** Ends {@code t}'s turn in a syscall that waits for a wake (or {@code deadline}). */
    private void parkRunning(Task t, long deadline) {
        assertThrows(Park.class, () -> t.block(deadline, t::woken));
        q.ranAndParked(t);
    }

    @Test
    void aStartedTaskIsRunnable() {
        Task leader = r.process.mainTask();
        assertEquals(State.NEW, leader.state());
        assertNull(leader.runQueue());
        q.start(leader);
        assertSame(q, leader.runQueue());
        assertEquals(State.RUNNABLE, leader.state());
        assertEquals(1, q.live());
        assertTrue(q.othersWaiting());
        assertTrue(leader.sched.isQueued());
    }

    @Test
    void tasksRunInTurnAndTheOneRunningIsRunning() throws InterruptedException {
        Task[] t = r.start(3);
        for (int round = 0; round < 2; round++) {
            for (Task task : t) {
                r.runNext(task);
                assertSame(task, q.running());
                assertFalse(task.sched.isQueued());
                q.ranAndRunnable(task, false); // its slice is used: behind the others
                assertNull(q.running());
                assertEquals(State.RUNNABLE, task.state());
            }
        }
    }

    @Test
    void aYieldingTaskGoesBehindItsPeers() throws InterruptedException {
        Task[] t = r.start(3);
        r.runNext(t[0]);
        q.ranAndRunnable(t[0], true);
        assertEquals(State.RUNNABLE, t[0].state());
        r.runNext(t[1]);
        q.ranAndRunnable(t[1], true);
        r.runNext(t[2]);
        q.ranAndRunnable(t[2], true);
        r.runNext(t[0]);
    }

    @Test
    void aParkedTaskIsBlockedUntilWoken() throws InterruptedException {
        Task[] t = r.start(2);
        r.runNext(t[0]);
        parkRunning(t[0], Long.MAX_VALUE);
        assertEquals(State.BLOCKED, t[0].state());
        assertNull(q.running());
        assertEquals(1, t[0].sched.voluntarySwitches);
        r.runNext(t[1]);
        q.wake(t[0]);
        assertEquals(State.RUNNABLE, t[0].state());
        assertTrue(q.othersWaiting());
        q.ranAndRunnable(t[1], false);
        r.runNext(t[0]); // woken before t[1]'s turn ended: it comes first
        q.wake(t[1]); // runnable already: no change
        assertEquals(State.RUNNABLE, t[1].state());
        q.ranAndRunnable(t[0], false);
        r.runNext(t[1]);
        r.runNext(t[0]);
    }

    @Test
    void aWakeBeforeTheTaskHasParkedIsNotLost() throws InterruptedException {
        Task[] t = r.start(1);
        r.runNext(t[0]);
        // another thread wakes it between its syscall's check and the runner hearing it parked
        assertThrows(Park.class, () -> t[0].block(Long.MAX_VALUE, t[0]::woken));
        q.wake(t[0]);
        assertEquals(State.RUNNING, t[0].state());
        q.ranAndParked(t[0]);
        assertEquals(State.RUNNABLE, t[0].state());
        r.runNext(t[0]); // a lost wake would leave next() waiting for ever
    }

    @Test
    void aBlockedTaskRunsOnceItsDeadlinePasses() throws InterruptedException {
        Task[] t = r.start(3);
        long start = r.clock.monotonicNanos();
        r.runNext(t[0]);
        parkRunning(t[0], start + 5_000_000_000L);
        r.runNext(t[1]);
        parkRunning(t[1], start + 2_000_000_000L);
        r.runNext(t[2]);
        parkRunning(t[2], Long.MAX_VALUE);
        // nothing runnable: next() waits on the clock, which jumps to the earliest deadline
        r.runNext(t[1]);
        long now = r.clock.monotonicNanos();
        assertTrue(now >= start + 2_000_000_000L && now < start + 5_000_000_000L, "now " + now);
        assertEquals(State.BLOCKED, t[0].state());
        assertEquals(Task.Wait.TIMED_OUT, t[1].block(Long.MAX_VALUE, t[1]::woken)); // its first deadline holds
        parkRunning(t[1], Long.MAX_VALUE);
        r.runNext(t[0]);
        assertTrue(r.clock.monotonicNanos() >= start + 5_000_000_000L);
        assertEquals(Task.Wait.TIMED_OUT, t[0].block(Long.MAX_VALUE, t[0]::woken));
        assertEquals(State.BLOCKED, t[2].state());
    }

    @Test
    void exitedTasksLeaveAndNextIsNullOnceNoneLives() throws InterruptedException {
        Task[] t = r.start(3);
        r.runNext(t[0]);
        parkRunning(t[0], Long.MAX_VALUE);
        r.runNext(t[1]);
        q.exited(t[1]); // exit(2) while running
        assertEquals(State.DEAD, t[1].state());
        assertNull(q.running());
        assertEquals(2, q.live());
        q.exited(t[0]); // killed while blocked
        q.exited(t[0]); // told twice: counted once
        assertEquals(1, q.live());
        q.wake(t[0]); // a late wake does not revive it
        assertEquals(State.DEAD, t[0].state());
        assertTrue(q.othersWaiting());
        q.exited(t[2]); // killed while waiting its turn
        assertFalse(t[2].sched.isQueued());
        assertFalse(q.othersWaiting());
        assertEquals(0, q.live());
        assertNull(q.next());
    }

    @Test
    void theRunnerHearsOfATaskMadeRunnableWhileAnotherRuns() throws InterruptedException {
        int[] told = new int[1];
        q.setListener(() -> told[0]++);
        Task[] t = r.start(1);
        assertEquals(0, told[0]); // nothing runs: the runner will look at the queue anyway
        Task second = r.process.newThread(t[0], 101, true, true);
        Task third = r.process.newThread(t[0], 102, true, true);
        q.start(second);
        r.runNext(t[0]);
        parkRunning(t[0], Long.MAX_VALUE);
        r.runNext(second);
        q.start(third); // clone(2) by the running thread
        assertEquals(1, told[0]);
        q.wake(t[0]); // a wake from the running thread
        assertEquals(2, told[0]);
        q.wake(second); // the running task itself: no one else to run
        assertEquals(2, told[0]);
        q.ranAndRunnable(second, false);
        assertEquals(2, told[0]);
        r.runNext(third);
        parkRunning(third, Long.MAX_VALUE);
        q.wake(third); // nothing runs now
        assertEquals(2, told[0]);
    }
}
