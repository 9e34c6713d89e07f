package dev.phoenix.libos.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.libos.proc.RunQueue.State;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * Wait queues with tasks parked on them as a runner parks them: who a wake reaches, in which
 * order, and what FUTEX_REQUEUE's move does. A wake must make the task runnable on its run queue
 * and tell it which queue woke it (futex_waitv answers with it).
 */
// a lost wake would leave the test waiting, a broken wait spinning, for ever: fail it instead
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = ThreadMode.SEPARATE_THREAD)
class WaitQueueTest {
    private final HandRunner r = new HandRunner();

    @Test
    void wakesTheOldestWaiterFirst() throws InterruptedException {
        Task[] t = r.start(3);
        WaitQueue q = new WaitQueue();
        r.park(t[0], q);
        r.park(t[1], q);
        r.park(t[2], q);
        assertEquals(3, q.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(1, q.wake(1, -1));
            for (int j = 0; j < 3; j++) {
                assertEquals(j <= i ? State.RUNNABLE : State.BLOCKED, t[j].state(), "after wake " + i + ", task " + j);
                assertEquals(j <= i, t[j].woken());
            }
        }
        assertTrue(q.isEmpty());
        assertSame(q, t[0].wokenBy());
        // and the run queue takes them in the order they were woken
        for (Task task : t) {
            assertEquals(Task.Wait.READY, r.resume(task, q));
        }
    }

    @Test
    void wakeOfNWakesAtMostN() throws InterruptedException {
        Task[] t = r.start(3);
        WaitQueue q = new WaitQueue();
        assertEquals(0, q.wake(1, -1)); // nobody waits
        for (Task task : t) {
            r.park(task, q);
        }
        assertEquals(0, q.wake(0, -1));
        assertEquals(3, q.size());
        assertEquals(2, q.wake(2, -1));
        assertEquals(1, q.size());
        assertEquals(State.BLOCKED, t[2].state());
        assertFalse(t[2].woken());
        assertEquals(1, q.wake(5, -1)); // only one was left
        assertEquals(State.RUNNABLE, t[2].state());
        assertEquals(0, q.wakeAll());
    }

    @Test
    void aWakeReachesOnlyWaitersWhoseBitsetItShares() throws InterruptedException {
        Task[] t = r.start(3);
        WaitQueue q = new WaitQueue();
        r.park(t[0], 0b01, Long.MAX_VALUE, q);
        r.park(t[1], 0b10, Long.MAX_VALUE, q);
        r.park(t[2], 0b11, Long.MAX_VALUE, q);
        // the oldest waiter, 0b01, is passed over by a wake for 0b10
        assertEquals(1, q.wake(1, 0b10));
        assertEquals(State.BLOCKED, t[0].state());
        assertEquals(State.RUNNABLE, t[1].state());
        assertEquals(State.BLOCKED, t[2].state());
        assertEquals(1, q.wake(Integer.MAX_VALUE, 0b10)); // then the one that shares bit 1
        assertEquals(State.RUNNABLE, t[2].state());
        assertEquals(0, q.wake(Integer.MAX_VALUE, 0b100));
        assertEquals(State.BLOCKED, t[0].state());
        assertEquals(1, q.wake(Integer.MAX_VALUE, -1));
        assertEquals(State.RUNNABLE, t[0].state());
    }

    @Test
    void aTaskOnTwoQueuesIsWokenOnceAndLeavesBoth() throws InterruptedException {
        Task[] t = r.start(2);
        WaitQueue a = new WaitQueue();
        WaitQueue b = new WaitQueue();
        r.park(t[0], a, b); // poll on two descriptors
        r.park(t[1], b);
        assertEquals(1, a.size());
        assertEquals(2, b.size());
        assertEquals(1, a.wakeAll());
        assertSame(a, t[0].wokenBy());
        assertEquals(State.BLOCKED, t[1].state());
        // woken once: one turn on the run queue
        r.runNext(t[0]);
        assertFalse(r.queue.othersWaiting());
        assertEquals(Task.Wait.READY, t[0].block(Long.MAX_VALUE, t[0]::woken, a, b));
        t[0].syscallDone();
        assertTrue(a.isEmpty());
        assertEquals(1, b.size()); // the other waiter only
        WaitQueue c = new WaitQueue(); // its next syscall waits elsewhere
        assertThrows(Park.class, () -> t[0].block(Long.MAX_VALUE, t[0]::woken, c));
        r.queue.ranAndParked(t[0]);
        assertEquals(1, b.wakeAll());
        assertEquals(State.RUNNABLE, t[1].state());
        assertEquals(State.BLOCKED, t[0].state());
    }

    @Test
    void requeueMovesWaitersWithoutWakingThem() throws InterruptedException {
        Task[] t = r.start(3);
        WaitQueue from = new WaitQueue();
        WaitQueue to = new WaitQueue();
        for (Task task : t) {
            r.park(task, from);
        }
        assertEquals(2, from.requeue(to, 2));
        assertEquals(1, from.size());
        assertEquals(2, to.size());
        for (Task task : t) {
            assertEquals(State.BLOCKED, task.state());
            assertFalse(task.woken());
        }
        assertEquals(1, to.wake(1, -1)); // the oldest of the moved ones
        assertEquals(State.RUNNABLE, t[0].state());
        assertSame(to, t[0].wokenBy());
        assertEquals(State.BLOCKED, t[1].state());
        assertEquals(1, from.wakeAll()); // the one not moved is still where it was
        assertEquals(State.RUNNABLE, t[2].state());
        assertEquals(State.BLOCKED, t[1].state());
        assertEquals(Task.Wait.READY, r.resume(t[0], from));
        assertEquals(1, to.size()); // t[0] left it; t[1] still waits there
        assertEquals(1, to.wakeAll());
        assertEquals(State.RUNNABLE, t[1].state());
    }
}
