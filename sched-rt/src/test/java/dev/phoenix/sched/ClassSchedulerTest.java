package dev.phoenix.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.libos.sched.SchedEntity;
import org.junit.jupiter.api.Test;

/** The class order and the real-time rules of {@link ClassScheduler}, on bare entities. */
class ClassSchedulerTest {
    private final ClassScheduler s = new ClassScheduler(10_000_000L);

    private static SchedEntity task(String name, int policy, int rtPriority) {
        SchedEntity e = new SchedEntity(name);
        e.policy = policy;
        e.rtPriority = rtPriority;
        return e;
    }

    private String order() {
        StringBuilder b = new StringBuilder();
        for (SchedEntity e; (e = s.pickNext()) != null;) {
            assertFalse(e.isQueued());
            b.append(e.owner());
        }
        return b.toString();
    }

    @Test
    void realTimeRunsByPriorityAheadOfFairAndFifoWithinAPriority() {
        s.enqueue(task("o", SchedEntity.SCHED_OTHER, 0));
        s.enqueue(task("a", SchedEntity.SCHED_FIFO, 10));
        s.enqueue(task("b", SchedEntity.SCHED_RR, 50));
        s.enqueue(task("c", SchedEntity.SCHED_FIFO, 10));
        s.enqueue(task("d", SchedEntity.SCHED_FIFO, 99));
        assertEquals("dbaco", order());
        assertNull(s.pickNext());
    }

    @Test
    void slicesAreNoneForFifoRrsForRrAndTheRequestForFair() {
        assertEquals(Long.MAX_VALUE, s.sliceNanos(task("f", SchedEntity.SCHED_FIFO, 1)));
        assertEquals(ClassScheduler.RR_TIMESLICE_NANOS, s.sliceNanos(task("r", SchedEntity.SCHED_RR, 1)));
        long fair = s.sliceNanos(task("o", SchedEntity.SCHED_OTHER, 0));
        assertTrue(fair >= BeattyFair.MIN_SLICE_NANOS && fair <= 10_000_000L, "fair slice " + fair);
    }

    @Test
    void aPreemptedTaskGoesBackFirstAndAYieldingOneLast() {
        SchedEntity a = task("a", SchedEntity.SCHED_FIFO, 5), b = task("b", SchedEntity.SCHED_FIFO, 5);
        s.enqueue(a);
        s.enqueue(b);
        assertSame(a, s.pickNext());
        s.preempted(a);
        assertEquals("ab", order());
        s.enqueue(a);
        s.enqueue(b);
        assertSame(a, s.pickNext());
        s.yield(a);
        assertEquals("ba", order());
    }

    @Test
    void onlyABetterRealTimeTaskPreemptsOrTakesTheCpuFromFifo() {
        SchedEntity fifo = task("f", SchedEntity.SCHED_FIFO, 20);
        SchedEntity rr = task("r", SchedEntity.SCHED_RR, 20);
        SchedEntity fair = task("o", SchedEntity.SCHED_OTHER, 0);
        SchedEntity high = task("h", SchedEntity.SCHED_FIFO, 30);
        assertTrue(s.preempts(high, fifo));
        assertFalse(s.preempts(rr, fifo));
        assertFalse(s.preempts(fair, fifo));
        assertTrue(s.preempts(fifo, fair));
        assertFalse(s.preempts(task("o2", SchedEntity.SCHED_OTHER, 0), fair));
        s.enqueue(fair);
        assertFalse(s.othersWaiting(fifo));
        s.enqueue(task("f2", SchedEntity.SCHED_FIFO, 20));
        assertFalse(s.othersWaiting(fifo), "FIFO keeps the CPU from an equal priority");
        assertTrue(s.othersWaiting(rr), "RR gives it up at the end of its slice");
        s.enqueue(high);
        assertTrue(s.othersWaiting(fifo));
    }

    @Test
    void anInheritedPriorityMovesAFairTaskIntoTheRealTimeClass() {
        SchedEntity low = task("l", SchedEntity.SCHED_OTHER, 0);
        SchedEntity mid = task("m", SchedEntity.SCHED_FIFO, 20);
        s.enqueue(low);
        s.enqueue(mid);
        low.inheritedPrio = SchedEntity.MAX_RT_PRIO - 1 - 30; // a FIFO 30 task waits on its lock
        s.changed(low);
        assertEquals(Long.MAX_VALUE, s.sliceNanos(low));
        assertEquals("lm", order());
        low.inheritedPrio = SchedEntity.NO_PRIO;
        s.enqueue(low);
        s.enqueue(mid);
        s.changed(low);
        assertEquals("ml", order());
    }

    @Test
    void aPriorityChangeQueuesARealTimeTaskAtItsNewPriority() {
        SchedEntity a = task("a", SchedEntity.SCHED_FIFO, 10), b = task("b", SchedEntity.SCHED_FIFO, 20);
        s.enqueue(a);
        s.enqueue(b);
        a.rtPriority = 30;
        s.changed(a);
        assertEquals("ab", order());
        SchedEntity c = task("c", SchedEntity.SCHED_FIFO, 20);
        s.enqueue(b);
        s.enqueue(c);
        s.enqueue(a);
        a.rtPriority = 20; // lowered: first of its new priority, as Linux
        s.changed(a);
        assertEquals("abc", order());
    }

    @Test
    void fairTasksShareByWeight() {
        SchedEntity heavy = task("h", SchedEntity.SCHED_OTHER, 0), light = task("l", SchedEntity.SCHED_OTHER, 0);
        light.nice = 5;
        s.enqueue(heavy);
        s.enqueue(light);
        for (int i = 0; i < 10_000; i++) {
            SchedEntity e = s.pickNext();
            e.runtimeNanos += s.sliceNanos(e);
            s.enqueue(e);
        }
        double share = (double) heavy.runtimeNanos / (heavy.runtimeNanos + light.runtimeNanos);
        assertEquals(1024.0 / (1024 + 335), share, 0.001);
    }

    @Test
    void aTaskThatBlocksKeepsItsLagForWhenItWakes() {
        SchedEntity a = task("a", SchedEntity.SCHED_OTHER, 0), b = task("b", SchedEntity.SCHED_OTHER, 0);
        s.enqueue(a);
        s.enqueue(b);
        SchedEntity first = s.pickNext();
        first.runtimeNanos += 10_000_000L;
        s.stopped(first); // it blocks having run ahead
        assertTrue(s.lagNanos(first) < 0, "lag " + s.lagNanos(first));
        double lag = s.lagNanos(first);
        s.enqueue(first);
        assertEquals(lag, s.lagNanos(first), 1);
    }
}
