package dev.phoenix.libos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hrtimer structure: expiry order, re-arming, cancelling, reprogramming, and the clocks on it. */
class HrTimerQueueTest {
    private final List<String> fired = new ArrayList<>();
    private int reprograms;
    private final HrTimerQueue queue = new HrTimerQueue(() -> reprograms++);

    private HrTimer timer(String name) {
        return new HrTimer(() -> fired.add(name));
    }

    @Test
    void expiresDueTimersEarliestFirstAndEqualExpiriesInStartOrder() {
        queue.start(timer("c"), 30);
        queue.start(timer("a"), 10);
        queue.start(timer("b1"), 20);
        queue.start(timer("b2"), 20);
        queue.start(timer("late"), 100);
        assertEquals(10, queue.nextExpiry());
        assertEquals(4, queue.expire(30));
        assertEquals(List.of("a", "b1", "b2", "c"), fired);
        assertEquals(100, queue.nextExpiry());
        assertEquals(0, queue.expire(99));
        assertEquals(1, queue.expire(Long.MAX_VALUE - 1));
        assertEquals(Long.MAX_VALUE, queue.nextExpiry());
    }

    @Test
    void restartMovesATimerAndCancelTakesItOff() {
        HrTimer a = timer("a");
        HrTimer b = timer("b");
        queue.start(a, 10);
        queue.start(b, 20);
        queue.start(a, 30); // re-armed later: moves, is not queued twice
        assertEquals(2, queue.size());
        assertEquals(30, a.expiry());
        assertTrue(a.isQueued());
        b.cancel();
        assertFalse(b.isQueued());
        assertFalse(queue.cancel(b), "cancelling twice does nothing");
        assertEquals(1, queue.expire(40));
        assertEquals(List.of("a"), fired);
        assertFalse(a.isQueued());
        assertEquals(30, a.expiry(), "the expiry stays after it fires");
    }

    @Test
    void reprogramsOnlyWhenANewTimerBecomesTheEarliest() {
        queue.start(timer("a"), 50);
        assertEquals(1, reprograms);
        queue.start(timer("b"), 60);
        assertEquals(1, reprograms, "not the earliest: the driver's wake-up stays");
        queue.start(timer("c"), 40);
        assertEquals(2, reprograms);
    }

    @Test
    void anActionMayStartTimersAgainDueInTheSameExpiry() {
        HrTimer[] periodic = new HrTimer[1];
        int[] runs = {0};
        periodic[0] = new HrTimer(() -> {
            if (++runs[0] < 5) {
                queue.start(periodic[0], periodic[0].expiry() + 10);
            }
        });
        queue.start(periodic[0], 0);
        queue.expire(25);
        assertEquals(3, runs[0], "at 0, 10 and 20");
        queue.expire(1000);
        assertEquals(5, runs[0]);
    }

    @Test
    void aTimerStartedOnAnotherQueueLeavesTheFirst() {
        HrTimerQueue other = new HrTimerQueue(() -> { });
        HrTimer a = timer("a");
        queue.start(a, 10);
        other.start(a, 20);
        assertEquals(0, queue.size());
        assertEquals(1, other.size());
        assertEquals(0, queue.expire(100));
        assertEquals(1, other.expire(100));
    }

    /** The heap against a sorted map, through a long run of random starts, restarts, cancels and expiries. */
    @Test
    void keepsHeapOrderThroughRandomOperations() {
        Random random = new Random(42);
        List<HrTimer> timers = new ArrayList<>();
        long[] armed = new long[200];
        java.util.Arrays.fill(armed, -1);
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < armed.length; i++) {
            int id = i;
            timers.add(new HrTimer(() -> ran.add(id)));
        }
        long now = 0;
        for (int step = 0; step < 20_000; step++) {
            int i = random.nextInt(armed.length);
            switch (random.nextInt(4)) {
                case 0, 1 -> {
                    long at = now + random.nextInt(1000);
                    queue.start(timers.get(i), at);
                    armed[i] = at;
                }
                case 2 -> {
                    timers.get(i).cancel();
                    armed[i] = -1;
                }
                default -> {
                    now += random.nextInt(100);
                    ran.clear();
                    queue.expire(now);
                    long last = Long.MIN_VALUE;
                    for (int id : ran) {
                        assertTrue(armed[id] >= 0 && armed[id] <= now, "ran " + id + " not due");
                        assertTrue(armed[id] >= last, "out of order");
                        last = armed[id];
                        armed[id] = -1;
                    }
                    for (long a : armed) {
                        assertTrue(a < 0 || a > now, "a due timer did not run");
                    }
                }
            }
            long earliest = Long.MAX_VALUE;
            int count = 0;
            for (long a : armed) {
                if (a >= 0) {
                    earliest = Math.min(earliest, a);
                    count++;
                }
            }
            assertEquals(earliest, queue.nextExpiry());
            assertEquals(count, queue.size());
        }
    }

    @Test
    void aVirtualClockFiresItsTimersAsTimePasses() throws InterruptedException {
        VirtualClock clock = new VirtualClock(0);
        List<Long> at = new ArrayList<>();
        clock.schedule(5_000, () -> at.add(clock.kernelNanos()));
        Clock.Timer cancelled = clock.schedule(6_000, () -> at.add(-1L));
        clock.schedule(50_000, () -> at.add(clock.kernelNanos()));
        cancelled.cancel();
        assertEquals(5_000 - clock.kernelNanos(), clock.untilNextTimer());
        clock.advance(10_000);
        assertEquals(List.of(10_000L), at, "fired once, when the clock passed it");
        assertEquals(10_000, clock.kernelNanos(), "reading the kernel's time does not move the clock");
        Object monitor = new Object();
        synchronized (monitor) {
            clock.await(monitor, 100_000); // jumps to the next timer, fires it
        }
        assertEquals(List.of(10_000L, 50_000L), at);
    }

    @Test
    void theHostClocksTimerThreadFiresInExpiryOrder() throws InterruptedException {
        Clock clock = Clock.HOST;
        List<Integer> order = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(3);
        long now = clock.monotonicNanos();
        clock.schedule(now + 30_000_000, () -> {
            order.add(3);
            done.countDown();
        });
        clock.schedule(now + 10_000_000, () -> {
            order.add(1);
            done.countDown();
        });
        Clock.Timer never = clock.schedule(now + 15_000_000, () -> order.add(-1));
        clock.schedule(now + 20_000_000, () -> {
            order.add(2);
            done.countDown();
        });
        never.cancel();
        assertTrue(done.await(10, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(List.of(1, 2, 3), order);
    }
}
