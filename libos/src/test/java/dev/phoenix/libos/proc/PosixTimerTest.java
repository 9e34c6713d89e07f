package dev.phoenix.libos.proc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.libos.VirtualClock;
import org.junit.jupiter.api.Test;

/**
 * POSIX timers on virtual time, on the kernel clock's queue and on a thread's CPU-time base:
 * one-shot and periodic expiries, a signal queued once with the rest counted as overrun, the
 * re-arm when it is taken, stale signals dropped, and CPU time that passes only on turns.
 */
class PosixTimerTest {
    private static final int SIGRT = SigPending.SIGRTMIN + 2;

    private final HandRunner r = new HandRunner();
    private final VirtualClock clock = r.clock;
    private final Process p = r.process;

    private PosixTimer timer(PosixTimer.Base base) {
        p.queuedSignals().incrementAndGet(); // its preallocated siginfo, as timer_create charges it
        return new PosixTimer(0, 1, p, PosixTimer.SIGEV_SIGNAL, SIGRT, 42, null, base,
                t -> p.postTimer(t) ? PosixTimer.Sent.QUEUED : PosixTimer.Sent.ALREADY_PENDING);
    }

    private PosixTimer.Base monotonic() {
        return new PosixTimer.Base(clock::kernelNanos, clock.timers(), false);
    }

    private int pendingCount() {
        return p.sharedPending().count(SIGRT);
    }

    @Test
    void aOneShotTimerQueuesItsSignalOnceAndReadsZeroAfter() {
        PosixTimer t = timer(monotonic());
        t.set(false, 1_000, 0);
        assertEquals(1_000, t.get()[0]);
        clock.advance(999);
        assertEquals(0, pendingCount());
        clock.advance(1);
        assertEquals(1, pendingCount());
        assertArrayEquals(new long[] {0, 0}, t.get());
        SigPending.Queued q = p.mainTask().takePending(SIGRT);
        assertNotNull(q.timer());
        assertEquals(42, q.value());
        assertEquals(0, q.timer().delivered());
    }

    @Test
    void aPeriodicTimerWaitsForItsSignalAndCountsTheIntervalsItMissed() {
        PosixTimer t = timer(monotonic());
        t.set(false, 100, 100);
        clock.advance(1_050);
        assertEquals(1, pendingCount(), "queued once: the timer waits for it");
        long[] now = t.get();
        assertEquals(50, now[0], "forwarded past now by whole intervals");
        assertEquals(100, now[1]);
        SigPending.Queued q = p.mainTask().takePending(SIGRT);
        assertEquals(9, q.timer().delivered(), "expiries at 200..1000 were missed");
        assertEquals(9, t.overrun());
        clock.advance(50);
        assertEquals(1, pendingCount(), "armed again when it was taken");
        assertEquals(0, p.mainTask().takePending(SIGRT).timer().delivered());
    }

    @Test
    void aSignalQueuedBeforeTheTimerWasSetAgainIsDropped() {
        PosixTimer t = timer(monotonic());
        t.set(false, 10, 0);
        clock.advance(10);
        t.set(false, 1_000_000, 0);
        assertEquals(1, pendingCount(), "still pending until it is taken");
        assertEquals(-1, p.mainTask().takePending(SIGRT).timer().delivered());
        t.delete();
        assertEquals(0, p.queuedSignals().get(), "the timer's charge went with it");
    }

    @Test
    void anExpiryAlreadyPastSendsAtOnce() {
        PosixTimer t = timer(monotonic());
        clock.advance(500);
        t.set(true, 100, 0);
        assertEquals(1, pendingCount());
    }

    @Test
    void aThreadCpuTimerFiresOnlyAsTheThreadRuns() throws InterruptedException {
        Task task = r.start(1)[0];
        CpuTimerBase base = task.cpuTimers(clock);
        PosixTimer t = timer(new PosixTimer.Base(() -> task.times.sample(clock).total(), base.queue(false),
                true));
        r.runNext(task);
        task.startTurn(clock);
        t.set(false, 5_000, 0);
        clock.advance(3_000); // 3 µs of the thread's CPU
        task.endTurn(clock);
        assertEquals(0, pendingCount());
        clock.advance(100_000); // it sleeps: its CPU time stands still
        assertEquals(0, pendingCount());
        assertEquals(2_000, t.get()[0]);
        task.startTurn(clock); // the projection: due 2 µs from now if it runs on
        assertEquals(2_000, clock.untilNextTimer());
        clock.advance(1_999);
        assertEquals(0, pendingCount());
        clock.advance(1);
        assertEquals(1, pendingCount());
        task.endTurn(clock);
        assertArrayEquals(new long[] {0, 0}, t.get(), "a one-shot CPU timer is done");
        assertEquals(5_000, task.times.sample(clock).total());
        assertTrue(task.times.turns() >= 2);
        assertFalse(task.times.running());
    }
}
