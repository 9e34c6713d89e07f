package dev.phoenix.libos.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The round-robin class on bare entities: first come first served, each entity queued once. */
class RoundRobinTest {
    private final RoundRobin rr = new RoundRobin();
    private final SchedEntity a = new SchedEntity("a"), b = new SchedEntity("b"), c = new SchedEntity("c");

    private String order() {
        StringBuilder s = new StringBuilder();
        for (SchedEntity e; (e = rr.pickNext()) != null;) {
            assertFalse(e.isQueued());
            s.append(e.owner());
        }
        return s.toString();
    }

    @Test
    void picksInTheOrderEntitiesBecameRunnable() {
        assertNull(rr.pickNext());
        rr.enqueue(b);
        rr.enqueue(c);
        rr.enqueue(a);
        assertTrue(a.isQueued());
        assertEquals("bca", order());
        assertNull(rr.pickNext());
    }

    @Test
    void anEntityIsQueuedOnceHoweverOftenItIsEnqueued() {
        rr.enqueue(a);
        rr.enqueue(b);
        rr.enqueue(a); // woken twice: keeps its first place
        assertEquals("ab", order());
        rr.enqueue(a); // picked, then runnable again: queued anew
        assertEquals("a", order());
    }

    @Test
    void dequeueTakesAnEntityOut() {
        rr.enqueue(a);
        rr.enqueue(b);
        rr.enqueue(c);
        rr.dequeue(b);
        assertFalse(b.isQueued());
        rr.dequeue(b); // not queued: nothing happens
        assertEquals("ac", order());
        rr.enqueue(b); // and it can come back
        assertEquals("b", order());
    }

    @Test
    void yieldPutsTheRunningEntityBehindItsPeers() {
        rr.enqueue(a);
        rr.enqueue(b);
        rr.enqueue(c);
        SchedEntity running = rr.pickNext();
        assertSame(a, running);
        rr.yield(running); // behind b and c
        rr.yield(running); // a second yield does not queue it twice
        assertEquals("bca", order());
        rr.yield(b); // alone: it runs again
        assertSame(b, rr.pickNext());
    }

    @Test
    void hasRunnableSaysWhetherAnyoneWaits() {
        assertFalse(rr.hasRunnable());
        rr.enqueue(a);
        assertTrue(rr.hasRunnable());
        rr.dequeue(a);
        assertFalse(rr.hasRunnable());
        rr.enqueue(a);
        rr.pickNext();
        assertFalse(rr.hasRunnable());
    }

    @Test
    void everyEntityGetsTheSameSlice() {
        assertEquals(RoundRobin.SLICE_NANOS, rr.sliceNanos(a));
        assertEquals(5_000, new RoundRobin(5_000).sliceNanos(b));
    }
}
