package dev.phoenix.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.libos.sched.SchedEntity;
import dev.phoenix.libos.sched.SchedGroup;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The virtual CPUs share by weight across runners: fake holders with explicit hold times (no
 * wall-clock figure enters the books), top-level cgroups by their shares, root-group tasks by
 * their nice weights, newcomers placed at the minimum, real-time waiters still first.
 */
class VirtualCpusWeightTest {
    private static final long SLICE = 10_000_000L;

    /** A holder that does nothing when asked to give way: the harness decides its turns. */
    private static final class Quiet implements VirtualCpus.Holder {
        @Override
        public void preemptNow() {
        }

        @Override
        public void cpuWanted() {
        }
    }

    private static SchedEntity inGroup(SchedGroup g) {
        SchedEntity e = new SchedEntity(new Object());
        e.group = g;
        return e;
    }

    private static SchedEntity niced(int nice) {
        SchedEntity e = new SchedEntity(new Object());
        e.nice = nice;
        return e;
    }

    private static SchedGroup group(long shares) {
        SchedGroup g = new SchedGroup(null, () -> 0L);
        g.setShares(shares);
        return g;
    }

    private static void waitForWaiters(VirtualCpus cpus, int n) throws InterruptedException {
        for (int i = 0; i < 5000 && cpus.waiters() < n; i++) {
            Thread.sleep(1);
        }
        assertEquals(n, cpus.waiters());
    }

    private static CompletableFuture<Integer> acquireLater(VirtualCpus cpus, SchedEntity e) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return cpus.acquire(new Quiet(), e, -1, () -> false);
            } catch (InterruptedException x) {
                throw new IllegalStateException(x);
            }
        }, r -> Thread.ofPlatform().daemon().start(r));
    }

    /**
     * Runs one CPU-bound runner per entity on one CPU until {@code total} nanoseconds of turns
     * are booked: each turn holds a slice, then holds on while {@link VirtualCpus#mayHoldOn}
     * grants more, and books what it held. Every runner waits in line before the first turn, and
     * each turn starts once the others are back in line, as CPU-bound runners whose turns last
     * milliseconds are (without that, the thread that just gave the CPU back could not get into
     * the line before the holder's next turn in this zero-time harness).
     * Returns the time each got.
     */
    private static long[] share(long total, SchedEntity... entities) throws Exception {
        VirtualCpus cpus = new VirtualCpus(1);
        assertEquals(0, cpus.acquire(new Quiet(), SchedEntity.NO_PRIO - 1, -1, () -> false)); // a gate
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong booked = new AtomicLong();
        long[] got = new long[entities.length];
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread[] runners = new Thread[entities.length];
        for (int i = 0; i < entities.length; i++) {
            int me = i;
            runners[i] = Thread.ofPlatform().daemon().start(() -> {
                Quiet holder = new Quiet();
                try {
                    while (true) {
                        int cpu = cpus.acquire(holder, entities[me], -1, done::get);
                        if (cpu < 0) {
                            cpus.forget(holder);
                            return;
                        }
                        while (cpus.waiters() < entities.length - 1 && !done.get()) {
                            Thread.onSpinWait(); // CPU-bound runners: every other one is back in line during a turn
                        }
                        long held = SLICE;
                        while (cpus.contended()) {
                            long more = cpus.mayHoldOn(cpu, held, SLICE);
                            if (more <= 0) {
                                break;
                            }
                            held += more;
                        }
                        got[me] += held;
                        cpus.release(cpu, held, true);
                        if (booked.addAndGet(held) >= total) {
                            done.set(true);
                            cpus.wakeWaiters();
                            return;
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                }
            });
        }
        waitForWaiters(cpus, entities.length);
        cpus.release(0, 0);
        for (Thread t : runners) {
            t.join(60_000);
            assertTrue(!t.isAlive());
        }
        if (failure.get() != null) {
            throw new AssertionError("a runner failed", failure.get());
        }
        return got;
    }

    private static void assertShare(double expected, long[] got, int i) {
        double share = (double) got[i] / (got[0] + got[1]);
        assertTrue(Math.abs(share - expected) < 0.01, "share " + share + " expected " + expected);
    }

    @Test
    void siblingGroupsOfWeight100And300GetAQuarterAndThreeQuarters() throws Exception {
        long[] got = share(4_000 * SLICE, inGroup(group(1024)), inGroup(group(3072)));
        assertShare(0.25, got, 0);
        assertShare(0.75, got, 1);
    }

    @Test
    void tasksOfOneGroupCountAsTheGroup() throws Exception {
        SchedGroup light = group(1024), heavy = group(3072);
        SchedGroup nested = new SchedGroup(heavy, () -> 0L);
        long[] got = share(4_000 * SLICE, inGroup(light), inGroup(nested));
        assertShare(0.25, got, 0);
    }

    @Test
    void niceZeroAndNiceFiveShareAs1024To335() throws Exception {
        long[] got = share(4_000 * SLICE, niced(0), niced(5));
        assertShare(1024.0 / (1024 + 335), got, 0);
    }

    @Test
    void equalEntitiesShareEqually() throws Exception {
        long[] got = share(2_000 * SLICE, niced(0), niced(0));
        assertShare(0.5, got, 0);
    }

    @Test
    void anEntityArrivingLateIsPlacedAtTheMinimum() throws Exception {
        VirtualCpus cpus = new VirtualCpus(1);
        SchedEntity early = niced(0), late = niced(0);
        for (int i = 0; i < 100; i++) {
            assertEquals(0, cpus.acquire(new Quiet(), early, -1, () -> false));
            cpus.release(0, SLICE);
        }
        assertEquals(100 * SLICE, cpus.vtimeOf(early));
        assertEquals(0, cpus.acquire(new Quiet(), late, -1, () -> false));
        assertEquals(100 * SLICE, cpus.vtimeOf(late)); // neither starves the early one nor is starved
        CompletableFuture<Integer> waiter = acquireLater(cpus, early);
        waitForWaiters(cpus, 1);
        assertEquals(0, cpus.mayHoldOn(0, SLICE, SLICE)); // level with the waiter after a slice: it gives way
        cpus.release(0, SLICE);
        assertEquals(0, waiter.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aHolderStillBehindByWeightHoldsOnForItsLead() throws Exception {
        VirtualCpus cpus = new VirtualCpus(1);
        SchedEntity light = inGroup(group(1024)), heavy = inGroup(group(3072));
        assertEquals(0, cpus.acquire(new Quiet(), light, -1, () -> false));
        CompletableFuture<Integer> heavyTurn = acquireLater(cpus, heavy);
        waitForWaiters(cpus, 1);
        assertEquals(0, cpus.mayHoldOn(0, SLICE, SLICE)); // light is ahead after a slice
        cpus.release(0, SLICE); // light at 10 ms, heavy at 0
        assertEquals(0, heavyTurn.get(5, TimeUnit.SECONDS));
        CompletableFuture<Integer> lightTurn = acquireLater(cpus, light);
        waitForWaiters(cpus, 1);
        // After 15 ms heavy is at 5 ms of virtual time: 5 ms behind, worth 15 ms at weight 3072, capped at a slice.
        assertEquals(SLICE, cpus.mayHoldOn(0, 15_000_000L, SLICE));
        assertEquals(3_000_000L, cpus.mayHoldOn(0, 27_000_000L, SLICE)); // 9 ms: 1 ms behind, 3 ms of its time
        assertEquals(0, cpus.mayHoldOn(0, 29_700_000L, SLICE)); // less than a tick's lead is not worth a turn
        cpus.release(0, 30_000_000L);
        assertEquals(0, lightTurn.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aHolderComingBackKeepsItsPlaceWhileTheMinimumMoves() throws Exception {
        VirtualCpus cpus = new VirtualCpus(1);
        SchedEntity a = niced(0), b = niced(0);
        VirtualCpus.Holder ha = new Quiet(), hb = new Quiet();
        assertEquals(0, cpus.acquire(ha, a, -1, () -> false));
        cpus.release(0, SLICE, true); // a's runner has more to run: it comes back, slowly
        assertEquals(0, cpus.acquire(hb, b, -1, () -> false)); // b, new, is placed at the minimum: a's
        assertEquals(SLICE, cpus.vtimeOf(b));
        cpus.release(0, 5 * SLICE, false); // b ran long meanwhile
        assertEquals(0, cpus.acquire(ha, a, -1, () -> false));
        assertEquals(SLICE, cpus.vtimeOf(a)); // kept its place: not moved up towards b's
        cpus.release(0, SLICE, false);
        cpus.forget(hb); // nothing kept: a no-op
        assertEquals(0, cpus.acquire(new Quiet(), niced(0), -1, () -> false));
        cpus.release(0, 0);
    }

    @Test
    void realTimeWaitersStillGoFirst() throws Exception {
        VirtualCpus cpus = new VirtualCpus(1);
        SchedEntity fair = niced(0), behind = niced(0), rt = niced(0);
        rt.policy = SchedEntity.SCHED_FIFO;
        rt.rtPriority = 10;
        assertEquals(0, cpus.acquire(new Quiet(), fair, -1, () -> false));
        cpus.release(0, 50 * SLICE); // rt's entity is placed here, behind's too
        assertEquals(0, cpus.acquire(new Quiet(), fair, -1, () -> false));
        CompletableFuture<Integer> fairWaiter = acquireLater(cpus, behind);
        waitForWaiters(cpus, 1);
        CompletableFuture<Integer> rtWaiter = acquireLater(cpus, rt);
        waitForWaiters(cpus, 2);
        assertEquals(0, cpus.mayHoldOn(0, 0, SLICE)); // a real-time waiter: no holding on
        cpus.release(0, SLICE);
        assertEquals(0, rtWaiter.get(5, TimeUnit.SECONDS));
        assertTrue(!fairWaiter.isDone());
        cpus.release(0, SLICE);
        assertEquals(0, fairWaiter.get(5, TimeUnit.SECONDS));
    }
}
