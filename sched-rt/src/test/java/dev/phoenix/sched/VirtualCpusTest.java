package dev.phoenix.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The virtual CPUs: no barging past waiters, real-time waiters preempting, affinity, cancelling. */
class VirtualCpusTest {
    private static final int FAIR = 120, RT = 20;

    /** A holder that counts the preemptions asked of it. */
    private static final class Counting implements VirtualCpus.Holder {
        final AtomicInteger preempts = new AtomicInteger();

        @Override
        public void preemptNow() {
            preempts.incrementAndGet();
        }

        @Override
        public void cpuWanted() {
        }
    }

    private static CompletableFuture<Integer> acquireLater(VirtualCpus cpus, VirtualCpus.Holder h, int prio, long affinity) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return cpus.acquire(h, prio, affinity, () -> false);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, r -> Thread.ofPlatform().daemon().start(r));
    }

    private static void waitForWaiter(VirtualCpus cpus) throws InterruptedException {
        for (int i = 0; i < 5000 && !cpus.contended(); i++) {
            Thread.sleep(1);
        }
        assertTrue(cpus.contended());
    }

    @Test
    void aCpuGivenBackGoesToTheWaiterNotBackToItsHolder() throws Exception {
        VirtualCpus cpus = new VirtualCpus(1);
        Counting a = new Counting(), b = new Counting();
        assertEquals(0, cpus.acquire(a, FAIR, -1, () -> false));
        CompletableFuture<Integer> waiter = acquireLater(cpus, b, FAIR, -1);
        waitForWaiter(cpus);
        cpus.release(0);
        CompletableFuture<Integer> again = acquireLater(cpus, a, FAIR, -1);
        assertEquals(0, waiter.get(5, TimeUnit.SECONDS));
        cpus.release(0);
        assertEquals(0, again.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aRealTimeWaiterPreemptsTheWorstHolderOnce() throws Exception {
        VirtualCpus cpus = new VirtualCpus(2);
        Counting fair = new Counting(), rt1 = new Counting(), rt = new Counting();
        assertEquals(0, cpus.acquire(fair, FAIR, -1, () -> false));
        assertEquals(1, cpus.acquire(rt1, 50, -1, () -> false));
        CompletableFuture<Integer> waiter = acquireLater(cpus, rt, RT, -1);
        waitForWaiter(cpus);
        assertEquals(1, fair.preempts.get());
        assertEquals(0, rt1.preempts.get());
        cpus.release(0);
        assertEquals(0, waiter.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aWaiterThatMayNotUseTheFreeCpuDoesNotHoldUpTheOthers() throws Exception {
        VirtualCpus cpus = new VirtualCpus(2);
        Counting a = new Counting(), b = new Counting(), pinned = new Counting(), other = new Counting();
        assertEquals(0, cpus.acquire(a, FAIR, -1, () -> false));
        assertEquals(1, cpus.acquire(b, FAIR, -1, () -> false));
        CompletableFuture<Integer> first = acquireLater(cpus, pinned, FAIR, 1L); // CPU 0 only
        waitForWaiter(cpus);
        CompletableFuture<Integer> second = acquireLater(cpus, other, FAIR, -1);
        Thread.sleep(50);
        cpus.release(1);
        assertEquals(1, second.get(5, TimeUnit.SECONDS));
        cpus.release(0);
        assertEquals(0, first.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aCancelledWaitReturnsMinusOne() throws Exception {
        VirtualCpus cpus = new VirtualCpus(1);
        Counting a = new Counting();
        assertEquals(0, cpus.acquire(a, FAIR, -1, () -> false));
        java.util.concurrent.atomic.AtomicBoolean cancel = new java.util.concurrent.atomic.AtomicBoolean();
        CompletableFuture<Integer> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return cpus.acquire(new Counting(), FAIR, -1, cancel::get);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, r -> Thread.ofPlatform().daemon().start(r));
        waitForWaiter(cpus);
        cancel.set(true);
        cpus.wakeWaiters();
        assertEquals(-1, waiter.get(5, TimeUnit.SECONDS));
    }
}
