package dev.phoenix.libos.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.libos.proc.RunQueue.State;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * {@link Task#block}, the one way a syscall waits: its three answers, parking on a run queue and
 * the second run of a parked syscall (which keeps its first deadline), and sleeping in place for
 * a task without a run queue.
 */
// a lost wake would leave the test waiting, a broken wait spinning, for ever: fail it instead
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = ThreadMode.SEPARATE_THREAD)
class TaskBlockTest {
    private static final int SIGUSR1 = 10, SI_TKILL = -6;
    private static final long SECOND = 1_000_000_000L;

    private final HandRunner r = new HandRunner();

    /** A task on no run queue, waiting in place on virtual time. */
    private Task alone() {
        Task t = new Process(200, 1, null, null, "/bin/alone").mainTask();
        t.setFallbackClock(r.clock);
        return t;
    }

    @Test
    void readyWhenTheConditionHoldsAndOffItsQueues() throws InterruptedException {
        WaitQueue a = new WaitQueue(), b = new WaitQueue();
        Task t = alone();
        assertEquals(Task.Wait.READY, t.block(Long.MAX_VALUE, () -> true, a, b));
        assertTrue(a.isEmpty() && b.isEmpty());
        Task running = r.start(1)[0];
        r.runNext(running);
        assertEquals(Task.Wait.READY, running.block(r.clock.monotonicNanos() + SECOND, () -> true, a, b)); // no park
        assertFalse(running.resuming());
        assertTrue(a.isEmpty() && b.isEmpty());
    }

    @Test
    void signaledWhenASignalCanBeDelivered() {
        WaitQueue q = new WaitQueue();
        Task t = alone();
        t.post(SIGUSR1, SI_TKILL);
        assertEquals(Task.Wait.SIGNALED, t.block(Long.MAX_VALUE, () -> false, q));
        assertTrue(q.isEmpty());
        t.blocked = Task.bit(SIGUSR1); // pending but blocked: it does not end the wait
        long deadline = r.clock.monotonicNanos() + SECOND;
        assertEquals(Task.Wait.TIMED_OUT, t.block(deadline, () -> false, q));
        t.blocked = 0;
        assertEquals(Task.Wait.SIGNALED, t.block(Long.MAX_VALUE, () -> false, q));
        t.takePending(SIGUSR1);
        assertEquals(Task.Wait.READY, t.block(Long.MAX_VALUE, () -> true, q)); // the condition goes first
    }

    @Test
    void timedOutOnceTheDeadlinePasses() {
        WaitQueue q = new WaitQueue();
        Task t = alone();
        long deadline = r.clock.monotonicNanos() + 3 * SECOND;
        assertEquals(Task.Wait.TIMED_OUT, t.block(deadline, () -> false, q)); // sleeps: virtual time jumps
        assertTrue(r.clock.monotonicNanos() >= deadline);
        assertTrue(q.isEmpty());
        assertEquals(Task.Wait.TIMED_OUT, t.block(0, () -> false, q)); // a deadline already past
        assertEquals(Task.Wait.READY, t.block(0, () -> true, q));
    }

    @Test
    void aParkedSyscallRunsAgainWithItsFirstDeadline() throws InterruptedException {
        Task t = r.start(1)[0];
        WaitQueue q = new WaitQueue();
        long first = r.clock.monotonicNanos() + 10 * SECOND;
        r.runNext(t);
        assertEquals(first, t.deadline(first));
        assertFalse(t.resuming());
        t.setProgress(7);
        assertThrows(Park.class, () -> t.block(first, t::woken, q));
        r.queue.ranAndParked(t);
        assertTrue(t.resuming());
        assertEquals(first, t.deadline(first + 5 * SECOND));
        assertEquals(1, q.size());
        assertEquals(1, q.wake(1, -1));
        assertTrue(t.woken());
        assertSame(q, t.wokenBy());
        r.runNext(t);
        assertEquals(first, t.deadline(first + 5 * SECOND)); // the syscall computes its deadline again
        assertEquals(7, t.progress());
        assertEquals(Task.Wait.READY, t.block(first + 5 * SECOND, t::woken, q));
        assertFalse(t.resuming());
        assertEquals(0, t.progress());
        assertEquals(123, t.deadline(123));
        assertTrue(q.isEmpty());
    }

    @Test
    void aParkedSyscallRunAgainWithoutAWakeParksAgainUntilItsFirstDeadline() throws InterruptedException {
        Task t = r.start(1)[0];
        WaitQueue q = new WaitQueue();
        long first = r.clock.monotonicNanos() + 2 * SECOND;
        r.runNext(t);
        assertThrows(Park.class, () -> t.block(first, t::woken, q));
        r.queue.ranAndParked(t);
        t.blocked = Task.bit(SIGUSR1);
        t.post(SIGUSR1, SI_TKILL); // blocked, yet it makes the task look again
        assertEquals(State.RUNNABLE, t.state());
        r.runNext(t);
        assertThrows(Park.class, () -> t.block(first + 100 * SECOND, t::woken, q));
        r.queue.ranAndParked(t);
        assertEquals(1, q.size()); // once
        r.runNext(t); // at the first deadline, not the second
        long now = r.clock.monotonicNanos();
        assertTrue(now >= first && now < first + 100 * SECOND, "now " + now);
        assertEquals(Task.Wait.TIMED_OUT, t.block(first + 100 * SECOND, t::woken, q));
        assertTrue(q.isEmpty());
    }

    @Test
    void aSignalEndsAParkedWait() throws InterruptedException {
        Task t = r.start(1)[0];
        WaitQueue q = new WaitQueue();
        r.runNext(t);
        assertThrows(Park.class, () -> t.block(Long.MAX_VALUE, t::woken, q));
        r.queue.ranAndParked(t);
        t.post(SIGUSR1, SI_TKILL);
        assertEquals(State.RUNNABLE, t.state());
        r.runNext(t);
        assertEquals(Task.Wait.SIGNALED, t.block(Long.MAX_VALUE, t::woken, q));
        assertFalse(t.woken());
        assertTrue(q.isEmpty());
    }

    @Test
    void aTaskWithoutARunQueueSleepsInPlaceUntilAQueueWakesIt() throws InterruptedException {
        Task t = alone();
        WaitQueue q = new WaitQueue();
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread sleeper = Thread.ofPlatform().start(() -> {
            try {
                outcome.set(t.block(Long.MAX_VALUE, t::woken, q));
            } catch (Throwable e) {
                outcome.set(e);
            }
        });
        while (q.isEmpty()) { // until it waits; it may not have gone to sleep yet, and need not have
            Thread.onSpinWait();
        }
        assertEquals(1, q.wake(1, -1));
        sleeper.join();
        assertEquals(Task.Wait.READY, outcome.get());
        assertSame(q, t.wokenBy());
        assertTrue(q.isEmpty());
    }

    @Test
    void sleepUntilAndWaitUntilAreBlock() {
        Task t = alone();
        assertFalse(t.sleepUntil(r.clock.monotonicNanos() + SECOND)); // slept to the end
        t.post(SIGUSR1, SI_TKILL);
        assertTrue(t.sleepUntil(r.clock.monotonicNanos() + SECOND)); // cut short
        assertFalse(t.waitUntil(() -> false));
        t.takePending(SIGUSR1);
        assertTrue(t.waitUntil(() -> true));
    }
}
