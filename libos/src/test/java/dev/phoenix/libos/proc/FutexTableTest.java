package dev.phoenix.libos.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.phoenix.libos.proc.RunQueue.State;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * The futex table as futex(2) uses it: keys of (address space, address), the counts FUTEX_WAKE
 * and FUTEX_REQUEUE return, and queues that live only while someone waits.
 */
// a lost wake would leave the test waiting, a broken wait spinning, for ever: fail it instead
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = ThreadMode.SEPARATE_THREAD)
class FutexTableTest {
    private final HandRunner r = new HandRunner();
    private final FutexTable table = new FutexTable();
    /** Two address spaces' keys (the table needs only their identity). */
    private final Object spaceA = new Object(), spaceB = new Object();
    private static final int SIGUSR1 = 10, SI_TKILL = -6;

    @Test
    void aWakeWhereNobodyWaitsWakesNoneAndMakesNoQueue() {
        assertEquals(0, table.wake(spaceA, 0x1000, 1, -1));
        assertEquals(0, table.requeue(spaceA, 0x1000, spaceA, 0x2000, 1, 1));
        assertEquals(0, table.size());
    }

    @Test
    void theSameAddressInAnotherSpaceIsAnotherFutex() throws InterruptedException {
        Task[] t = r.start(2);
        r.park(t[0], table.queue(spaceA, 0x1000));
        r.park(t[1], table.queue(spaceB, 0x1000));
        assertEquals(2, table.size());
        assertEquals(0, table.wake(spaceB, 0x1004, 1, -1));
        assertEquals(1, table.wake(spaceB, 0x1000, Integer.MAX_VALUE, -1));
        assertEquals(State.BLOCKED, t[0].state());
        assertEquals(State.RUNNABLE, t[1].state());
        assertEquals(1, table.wake(spaceA, 0x1000, Integer.MAX_VALUE, -1));
        assertEquals(State.RUNNABLE, t[0].state());
    }

    @Test
    void aWakeHonoursCountAndBitset() throws InterruptedException {
        Task[] t = r.start(3);
        r.park(t[0], 1, Long.MAX_VALUE, table.queue(spaceA, 0x1000));
        r.park(t[1], 2, Long.MAX_VALUE, table.queue(spaceA, 0x1000));
        r.park(t[2], 2, Long.MAX_VALUE, table.queue(spaceA, 0x1000));
        assertEquals(0, table.wake(spaceA, 0x1000, 0, -1));
        assertEquals(1, table.wake(spaceA, 0x1000, 1, 2));
        assertEquals(State.BLOCKED, t[0].state());
        assertEquals(State.RUNNABLE, t[1].state());
        assertEquals(State.BLOCKED, t[2].state());
        assertEquals(2, table.wake(spaceA, 0x1000, 5, -1));
    }

    @Test
    void requeueReturnsWokenPlusMoved() throws InterruptedException {
        Task[] t = r.start(4);
        for (Task task : t) {
            r.park(task, table.queue(spaceA, 0x1000));
        }
        assertEquals(3, table.requeue(spaceA, 0x1000, spaceA, 0x2000, 1, 2)); // one woken, two moved
        assertEquals(State.RUNNABLE, t[0].state());
        for (int i = 1; i < 4; i++) {
            assertEquals(State.BLOCKED, t[i].state());
        }
        assertEquals(1, table.queue(spaceA, 0x1000).size());
        assertEquals(2, table.queue(spaceA, 0x2000).size());
        assertEquals(1, table.wake(spaceA, 0x2000, 1, -1)); // the oldest of the moved
        assertEquals(State.RUNNABLE, t[1].state());
        assertEquals(1, table.requeue(spaceA, 0x1000, spaceA, 0x2000, 0, 5)); // none woken, the last moved
        assertEquals(State.BLOCKED, t[3].state());
        assertEquals(0, table.wake(spaceA, 0x1000, 5, -1));
        assertEquals(2, table.wake(spaceA, 0x2000, 5, -1));
        assertEquals(State.RUNNABLE, t[3].state());
    }

    @Test
    void theQueueOfAFutexNobodyWaitsOnIsForgotten() throws InterruptedException {
        Task[] t = r.start(3);
        WaitQueue q = table.queue(spaceA, 0x1000);
        r.park(t[0], q);
        r.park(t[1], q);
        r.park(t[2], table.queue(spaceA, 0x3000));
        assertEquals(2, table.size());
        assertEquals(1, table.wake(spaceA, 0x1000, 1, -1));
        assertSame(q, table.queue(spaceA, 0x1000)); // one still waits: the same queue
        assertEquals(2, table.size());
        assertEquals(1, table.wake(spaceA, 0x1000, 1, -1));
        assertEquals(1, table.size());
        assertEquals(1, table.requeue(spaceA, 0x3000, spaceA, 0x4000, 0, 1));
        assertEquals(1, table.size()); // 0x3000 emptied, 0x4000 holds the moved waiter
        assertEquals(1, table.wake(spaceA, 0x4000, 1, -1));
        assertEquals(0, table.size());
        for (Task task : t) {
            assertEquals(State.RUNNABLE, task.state());
        }
    }

    @Test
    void aWaiterThatStopsWaitingLeavesNoQueueBehind() throws InterruptedException {
        Task[] t = r.start(3);
        long deadline = r.clock.monotonicNanos() + 1_000_000_000L;
        r.park(t[0], -1, deadline, table.queue(spaceA, 0x1000)); // FUTEX_WAIT with a timeout
        r.park(t[1], table.queue(spaceA, 0x2000)); // to be woken
        r.park(t[2], table.queue(spaceA, 0x3000)); // to be interrupted
        assertEquals(3, table.size());
        assertEquals(1, table.wake(spaceA, 0x2000, 1, -1));
        t[2].post(SIGUSR1, SI_TKILL);
        // each runs its wait again as futex(2) does, looking its futex up again, and then exits
        assertEquals(Task.Wait.READY, r.resume(t[1], table.queue(spaceA, 0x2000)));
        r.queue.exited(t[1]);
        assertEquals(Task.Wait.SIGNALED, r.resume(t[2], table.queue(spaceA, 0x3000)));
        r.queue.exited(t[2]);
        r.runNext(t[0]); // at its deadline
        assertEquals(Task.Wait.TIMED_OUT, t[0].block(Long.MAX_VALUE, t[0]::woken, table.queue(spaceA, 0x1000)));
        assertEquals(0, table.size()); // nobody waits on any futex
    }
}
