package dev.phoenix.libos.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.libos.proc.SigPending.Queued;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * One pending set as Linux's __send_signal and collect_signal keep it (signal(7), "Real-time
 * signals"; sigqueue(3) and rt_sigqueueinfo(2) for EAGAIN): standard signals merge, real-time ones
 * queue each instance with its siginfo in the order sent, and RLIMIT_SIGPENDING bounds the count.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = ThreadMode.SEPARATE_THREAD) // a hang guard only
class SigPendingTest {
    private static final int SIGUSR1 = 10, SIGUSR2 = 12, RTMIN = SigPending.SIGRTMIN, RT1 = RTMIN + 1, RTMAX = 64;
    /** si_code values (asm-generic/siginfo.h). */
    private static final int SI_USER = 0, SI_KERNEL = 0x80, SI_QUEUE = -1, SI_TKILL = -6;
    private static final long NO_LIMIT = Long.MAX_VALUE;

    private final AtomicInteger charged = new AtomicInteger();
    private final SigPending set = new SigPending(charged);

    @Test
    void realTimeInstancesQueueInTheOrderSentAndTheBitStaysUntilTheLast() {
        assertTrue(set.add(RT1, SI_QUEUE, 7, 11, NO_LIMIT));
        assertTrue(set.add(RT1, SI_USER, 8, 0, NO_LIMIT));
        assertTrue(set.add(RT1, SI_QUEUE, 7, 12, NO_LIMIT));
        assertTrue(set.add(RTMIN, SI_QUEUE, 7, 1, NO_LIMIT));
        assertEquals(Task.bit(RTMIN) | Task.bit(RT1), set.bits());
        assertEquals(3, set.count(RT1));
        assertEquals(4, charged.get());
        assertEquals(new Queued(SI_QUEUE, 7, 11), set.take(RT1));
        assertEquals(Task.bit(RTMIN) | Task.bit(RT1), set.bits()); // two more to come
        assertEquals(new Queued(SI_USER, 8, 0), set.take(RT1));
        assertEquals(new Queued(SI_QUEUE, 7, 12), set.take(RT1));
        assertEquals(Task.bit(RTMIN), set.bits());
        assertNull(set.take(RT1));
        assertEquals(new Queued(SI_QUEUE, 7, 1), set.take(RTMIN));
        assertEquals(0, set.bits());
        assertEquals(0, charged.get());
    }

    @Test
    void aStandardSignalMergesIntoThePendingOneWhoseSiginfoStays() {
        assertTrue(set.add(SIGUSR1, SI_USER, 5, 0, NO_LIMIT));
        assertTrue(set.add(SIGUSR1, SI_QUEUE, 6, 99, NO_LIMIT)); // accepted, and merged
        assertEquals(1, set.count(SIGUSR1));
        assertEquals(1, charged.get());
        assertEquals(new Queued(SI_USER, 5, 0), set.take(SIGUSR1));
        assertEquals(0, set.bits());
        assertNull(set.take(SIGUSR1));
    }

    @Test
    void pastTheLimitARealTimeSignalWithItsOwnSiginfoIsRefused() {
        for (int i = 0; i < 3; i++) {
            assertTrue(set.add(RT1, SI_QUEUE, 7, i, 3));
        }
        assertFalse(set.add(RT1, SI_QUEUE, 7, 3, 3)); // sigqueue(3): EAGAIN
        assertFalse(set.add(RTMIN, SI_TKILL, 7, 0, 3)); // tgkill(2): EAGAIN
        assertFalse(set.add(RTMAX, SI_QUEUE, 7, 0, 3));
        assertEquals(Task.bit(RT1), set.bits()); // nothing of them is left
        assertEquals(3, set.count(RT1));
        assertEquals(3, charged.get());
        set.take(RT1); // room for one again
        assertTrue(set.add(RTMIN, SI_QUEUE, 7, 5, 3));
        assertEquals(new Queued(SI_QUEUE, 7, 5), set.take(RTMIN));
    }

    @Test
    void aLimitOfZeroRefusesEveryQueuedRealTimeSignal() {
        assertFalse(set.add(RTMIN, SI_QUEUE, 7, 1, 0));
        assertEquals(0, set.bits());
        assertEquals(0, charged.get());
    }

    @Test
    void pastTheLimitKillsRealTimeSignalIsPendingWithoutItsSiginfo() {
        assertTrue(set.add(RT1, SI_QUEUE, 7, 1, 1)); // the queue is full
        assertTrue(set.add(RTMIN, SI_USER, 7, 0, 1)); // kill(2) does not fail
        assertTrue(set.add(RTMIN, SI_USER, 7, 0, 1)); // and merges into the one without siginfo
        assertTrue(set.add(RTMAX, SI_KERNEL, Task.SENDER_SELF, 0, 1)); // nor does the kernel's own
        assertEquals(Task.bit(RTMIN) | Task.bit(RT1) | Task.bit(RTMAX), set.bits());
        assertEquals(1, set.count(RTMIN));
        assertEquals(1, charged.get());
        assertSame(SigPending.LOST, set.take(RTMIN)); // SI_USER from pid 0, uid 0
        assertNull(set.take(RTMIN));
        assertSame(SigPending.LOST, set.take(RTMAX));
        assertEquals(new Queued(SI_QUEUE, 7, 1), set.take(RT1));
        assertEquals(0, set.bits());
        assertEquals(0, charged.get());
    }

    @Test
    void anInstanceWithoutSiginfoBehindQueuedOnesIsLostWithTheLastOfThem() {
        assertTrue(set.add(RT1, SI_QUEUE, 7, 1, 1));
        assertTrue(set.add(RT1, SI_USER, 7, 0, 1)); // pending already: Linux only sets the bit again
        assertEquals(1, set.count(RT1));
        assertEquals(new Queued(SI_QUEUE, 7, 1), set.take(RT1));
        assertEquals(0, set.bits());
    }

    @Test
    void pastTheLimitAStandardSignalIsPendingWithOrWithoutItsSiginfo() {
        assertTrue(set.add(RTMIN, SI_QUEUE, 7, 1, 1)); // the queue is full
        assertTrue(set.add(SIGUSR1, SI_USER, 5, 0, 1)); // kill's and the kernel's still get theirs
        assertTrue(set.add(SIGUSR2, SI_QUEUE, 5, 3, 1)); // sigqueue's does not, but is not refused
        assertEquals(2, charged.get());
        assertEquals(new Queued(SI_USER, 5, 0), set.take(SIGUSR1));
        assertSame(SigPending.LOST, set.take(SIGUSR2));
        assertEquals(1, charged.get());
    }

    @Test
    void discardAndClearDropEveryInstanceAndTheirCharge() {
        SigPending other = new SigPending(charged); // a second set charged to the same count
        for (int i = 0; i < 3; i++) {
            set.add(RTMIN, SI_QUEUE, 7, i, NO_LIMIT);
            other.add(RTMIN, SI_QUEUE, 7, i, NO_LIMIT);
        }
        set.add(SIGUSR1, SI_USER, 7, 0, NO_LIMIT);
        assertEquals(7, charged.get());
        set.discard(RTMIN);
        assertEquals(Task.bit(SIGUSR1), set.bits());
        assertEquals(4, charged.get());
        other.clear();
        assertEquals(0, other.bits());
        assertEquals(1, charged.get());
        set.discard(RT1); // not pending: nothing happens
        assertEquals(1, charged.get());
    }

    @Test
    void sendersOnManyThreadsLoseNoInstanceAndKeepEachOnesOrder() throws InterruptedException {
        int senders = 4, each = 2_000;
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < each; i++) {
                    assertTrue(set.add(RTMIN + (i & 1), SI_QUEUE, sender, i, NO_LIMIT));
                }
            }));
        }
        int[] last = new int[senders * 2];
        java.util.Arrays.fill(last, -1);
        Set<Long> seen = new HashSet<>();
        int taken = 0;
        while (taken < senders * each) { // taken while they send, as a runner takes while timers post
            for (int sig = RTMIN; sig <= RT1; sig++) {
                Queued q = set.take(sig);
                if (q != null) {
                    int slot = (int) q.sender() * 2 + (sig - RTMIN);
                    assertTrue(q.value() > last[slot], "instances of one sender out of order");
                    last[slot] = (int) q.value();
                    assertTrue(seen.add(q.sender() << 32 | q.value()));
                    taken++;
                }
            }
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(0, set.bits());
        assertEquals(0, charged.get());
    }
}
