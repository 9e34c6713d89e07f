package dev.phoenix.libos.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.libos.Errno;
import dev.phoenix.libos.proc.RunQueue.State;
import dev.phoenix.libos.sched.SchedEntity;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * Priority inheritance's bookkeeping (Linux's rt_mutex chain walk, pi_state): what an owner
 * inherits from its waiters, along chains and back when they leave, the top waiter, deadlock
 * detection, the chain length limit, a handoff, and the futex table's PI states.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = ThreadMode.SEPARATE_THREAD)
class PiChainsTest {
    private final HandRunner r = new HandRunner();
    private static final int NO = SchedEntity.NO_PRIO;

    /** Makes {@code t} SCHED_FIFO at {@code rt} (kernel prio 99 - rt). */
    private static void fifo(Task t, int rt) {
        t.sched.policy = SchedEntity.SCHED_FIFO;
        t.sched.rtPriority = rt;
    }

    private static PiLock ownedBy(Task owner) {
        PiLock l = new PiLock(true);
        synchronized (PiChains.LOCK) {
            PiChains.addOwner(l, owner);
        }
        return l;
    }

    private static boolean enqueue(Task waiter, PiLock l) {
        synchronized (PiChains.LOCK) {
            return PiChains.enqueue(waiter, l);
        }
    }

    private static void dequeue(Task waiter) {
        synchronized (PiChains.LOCK) {
            PiChains.dequeue(waiter);
        }
    }

    @Test
    void anOwnerInheritsTheBestWaitersPriorityUntilTheyLeave() {
        Task[] t = r.start(3);
        fifo(t[1], 10);
        fifo(t[2], 30);
        PiLock l = ownedBy(t[0]);
        assertEquals(NO, t[0].sched.inheritedPrio);
        assertTrue(enqueue(t[1], l));
        assertEquals(89, t[0].sched.inheritedPrio);
        assertEquals(89, t[0].sched.prio());
        assertTrue(enqueue(t[2], l));
        assertEquals(69, t[0].sched.prio());
        assertTrue(t[0].sched.isRealTime());
        dequeue(t[2]);
        assertEquals(89, t[0].sched.prio());
        dequeue(t[1]);
        assertEquals(NO, t[0].sched.inheritedPrio);
        assertEquals(120, t[0].sched.prio());
    }

    @Test
    void aFairWaiterLendsNothingToABetterOwner() {
        Task[] t = r.start(2);
        fifo(t[0], 50);
        PiLock l = ownedBy(t[0]);
        enqueue(t[1], l);
        assertEquals(120, t[0].sched.inheritedPrio); // recorded, but prio() keeps the better one
        assertEquals(49, t[0].sched.prio());
    }

    @Test
    void inheritanceFollowsAChainAndComesBack() {
        Task[] t = r.start(4);
        fifo(t[3], 40);
        PiLock l0 = ownedBy(t[0]), l1 = ownedBy(t[1]), l2 = ownedBy(t[2]);
        assertTrue(enqueue(t[0], l1)); // t0 waits for t1, t1 for t2
        assertTrue(enqueue(t[1], l2));
        assertTrue(enqueue(t[3], l0)); // the FIFO 40 task at the far end
        for (int i = 0; i < 3; i++) {
            assertEquals(59, t[i].sched.prio(), "task " + i);
        }
        dequeue(t[3]);
        for (int i = 0; i < 3; i++) {
            assertEquals(120, t[i].sched.prio(), "task " + i);
        }
    }

    @Test
    void aWaitersOwnPriorityChangeTravelsTheChain() {
        Task[] t = r.start(3);
        PiLock l1 = ownedBy(t[1]), l2 = ownedBy(t[2]);
        enqueue(t[1], l2);
        enqueue(t[0], l1);
        assertEquals(120, t[2].sched.prio());
        fifo(t[0], 20); // sched_setscheduler on the waiter
        PiChains.priorityChanged(t[0]);
        assertEquals(79, t[1].sched.prio());
        assertEquals(79, t[2].sched.prio());
        t[0].sched.policy = SchedEntity.SCHED_OTHER;
        t[0].sched.rtPriority = 0;
        PiChains.priorityChanged(t[0]);
        assertEquals(120, t[2].sched.prio());
    }

    @Test
    void theTopWaiterIsTheBestPriorityThenTheEarliest() {
        Task[] t = r.start(5);
        PiLock l = ownedBy(t[0]);
        fifo(t[2], 5);
        fifo(t[3], 5);
        for (int i = 1; i < 5; i++) {
            enqueue(t[i], l);
        }
        synchronized (PiChains.LOCK) {
            assertSame(t[2], l.topWaiter());
            PiChains.dequeue(t[2]);
            assertSame(t[3], l.topWaiter());
            PiChains.dequeue(t[3]);
            assertSame(t[1], l.topWaiter()); // equals: the first to come
        }
    }

    @Test
    void aWaitThatClosesACycleIsRefusedAndChangesNothing() {
        Task[] t = r.start(3);
        fifo(t[2], 60);
        PiLock a = ownedBy(t[0]), b = ownedBy(t[1]);
        assertTrue(enqueue(t[0], b)); // t0 holds a and waits for b
        assertFalse(enqueue(t[1], a)); // t1 holds b and would wait for a: EDEADLK
        assertNull(t[1].pi.blockedOn());
        PiLock own = ownedBy(t[2]);
        assertFalse(enqueue(t[2], own)); // on its own lock
        enqueue(t[2], a);
        assertEquals(39, t[0].sched.prio()); // a waiter from outside the cycle still lends
        assertEquals(39, t[1].sched.prio());
    }

    @Test
    void aChainLongerThanMaxLockDepthIsADeadlock() {
        int n = PiChains.MAX_LOCK_DEPTH + 2;
        Task[] t = new Task[n];
        PiLock[] l = new PiLock[n];
        for (int i = 0; i < n; i++) {
            t[i] = i == 0 ? r.process.mainTask() : r.process.newThread(r.process.mainTask(), 100 + i, true, true);
            l[i] = ownedBy(t[i]);
        }
        for (int i = 0; i < n - 2; i++) {
            assertTrue(enqueue(t[i], l[i + 1]));
        }
        assertFalse(enqueue(t[n - 1], l[0])); // the walk passes 1024 locks
    }

    @Test
    void aHandoverMovesTheInheritanceToTheNewOwner() throws InterruptedException {
        Task[] t = r.start(3);
        fifo(t[1], 10);
        fifo(t[2], 30);
        PiLock l = ownedBy(t[0]);
        enqueue(t[1], l);
        enqueue(t[2], l);
        assertEquals(69, t[0].sched.prio());
        synchronized (PiChains.LOCK) {
            PiChains.handOver(l, t[0], l.topWaiter());
            assertEquals(List.of(t[2]), l.owners());
            assertEquals(List.of(t[1]), l.waiters());
        }
        assertEquals(120, t[0].sched.prio());
        assertEquals(69, t[2].sched.prio()); // its own
        assertEquals(89, t[2].sched.inheritedPrio); // from the waiter left
        assertNull(t[2].pi.blockedOn());
    }

    @Test
    void aFileLockHolderThatAlsoWaitsLendsNothingToItself() {
        Task[] t = r.start(2);
        fifo(t[0], 10);
        PiLock shared = new PiLock(false);
        synchronized (PiChains.LOCK) {
            PiChains.addOwner(shared, t[0]);
            PiChains.addOwner(shared, t[1]);
            assertTrue(PiChains.enqueue(t[0], shared)); // an upgrade: no deadlock check for file locks
        }
        assertEquals(NO, t[0].sched.inheritedPrio);
        assertEquals(89, t[1].sched.prio());
        synchronized (PiChains.LOCK) {
            PiChains.exited(t[0]);
            assertEquals(List.of(t[1]), shared.owners());
        }
        assertEquals(120, t[1].sched.prio());
    }

    @Test
    void aGrantWakesTheParkedWaiterAndEndsItsWait() throws InterruptedException {
        Task[] t = r.start(2);
        synchronized (PiChains.LOCK) {
            t[1].pi.beginWait();
        }
        r.runNext(t[0]);
        r.queue.ranAndRunnable(t[0], false);
        r.runNext(t[1]);
        WaitQueue wake;
        synchronized (PiChains.LOCK) {
            wake = t[1].pi.wakeQueue();
        }
        assertThrows(Park.class, () -> t[1].block(Long.MAX_VALUE, t[1].pi::granted, wake));
        r.queue.ranAndParked(t[1]);
        assertEquals(State.BLOCKED, t[1].state());
        synchronized (PiChains.LOCK) {
            t[1].pi.grant();
        }
        assertEquals(State.RUNNABLE, t[1].state());
        r.runNext(t[0]);
        r.queue.ranAndRunnable(t[0], false);
        r.runNext(t[1]);
        assertEquals(Task.Wait.READY, t[1].block(Long.MAX_VALUE, t[1].pi::granted));
    }

    @Test
    void theFutexTableKeepsAPiStateWhileTasksWaitAndRefusesPlainWakesOnIt() {
        Task[] t = r.start(2);
        FutexTable table = new FutexTable();
        Object space = new Object();
        FutexPiState s = new FutexPiState(space, 0x1000);
        synchronized (PiChains.LOCK) {
            table.addPiState(s);
            PiChains.addOwner(s, t[0]);
            assertTrue(PiChains.enqueue(t[1], s));
        }
        assertSame(s, table.piState(space, 0x1000));
        Errno e = assertThrows(Errno.class, () -> table.wake(space, 0x1000, 1, -1));
        assertEquals(Errno.EINVAL, e.errno());
        assertThrows(Errno.class, () -> table.requeue(space, 0x1000, space, 0x2000, 1, 1));
        synchronized (PiChains.LOCK) {
            table.dropPiStateIfUnused(s); // a waiter left: kept
            assertSame(s, table.piState(space, 0x1000));
            PiChains.dequeue(t[1]);
            table.dropPiStateIfUnused(s);
        }
        assertNull(table.piState(space, 0x1000));
        assertTrue(t[0].pi.held().isEmpty());
        assertEquals(0, table.wake(space, 0x1000, 1, -1));
    }
}
