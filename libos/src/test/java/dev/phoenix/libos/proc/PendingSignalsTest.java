package dev.phoenix.libos.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.phoenix.libos.proc.RunQueue.State;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * Pending signals of a thread group (signal(7)): which thread a process-directed signal goes
 * to, standard signals that do not queue, and a thread's own pending set before its process's.
 */
// a lost wake would leave the test waiting, a broken wait spinning, for ever: fail it instead
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = ThreadMode.SEPARATE_THREAD)
class PendingSignalsTest {
    private static final int SIGUSR1 = 10, SIGUSR2 = 12;
    /** si_code values (asm-generic/siginfo.h). */
    private static final int SI_USER = 0, SI_QUEUE = -1, SI_TKILL = -6;

    private final HandRunner r = new HandRunner();

    @Test
    void aProcessSignalGoesToTheFirstThreadThatDoesNotBlockIt() throws InterruptedException {
        Task[] t = r.start(3);
        for (Task task : t) {
            r.park(task);
        }
        t[0].blocked = Task.bit(SIGUSR1);
        t[1].blocked = Task.bit(SIGUSR2);
        t[2].blocked = 0;
        assertSame(t[1], r.process.post(SIGUSR1, SI_USER, 0));
        assertEquals(State.BLOCKED, t[0].state());
        assertEquals(State.RUNNABLE, t[1].state()); // woken to take it
        assertEquals(State.BLOCKED, t[2].state());
        for (Task task : t) { // pending for every thread; deliverable to those that do not block it
            assertEquals(Task.bit(SIGUSR1), task.pending());
            assertEquals(0, task.privatePending());
        }
        assertEquals(0, t[0].deliverable());
        assertEquals(Task.bit(SIGUSR1), t[1].deliverable());
        assertSame(t[0], r.process.post(SIGUSR2, SI_USER, 0)); // the leader first when it can take it
        assertEquals(State.RUNNABLE, t[0].state());
        assertEquals(State.BLOCKED, t[2].state());
    }

    @Test
    void aProcessSignalEveryThreadBlocksWaitsPendingForTheGroup() {
        Process p = r.process;
        Task second = p.newThread(p.mainTask(), 101, true, true);
        p.mainTask().blocked = Task.bit(SIGUSR1);
        second.blocked = Task.bit(SIGUSR1);
        assertNull(p.post(SIGUSR1, SI_USER, 0));
        assertEquals(Task.bit(SIGUSR1), p.sharedPending().bits());
        second.blocked = 0; // once it unblocks the signal, it is its to take
        assertEquals(Task.bit(SIGUSR1), second.deliverable());
        assertEquals(SI_USER, second.clearPending(SIGUSR1));
        assertEquals(0, p.mainTask().pending());
    }

    @Test
    void anExitedThreadIsNotChosen() {
        Process p = r.process;
        Task second = p.newThread(p.mainTask(), 101, true, true);
        p.mainTask().exited = true; // a zombie leader stays listed
        assertSame(second, p.post(SIGUSR1, SI_USER, 0));
    }

    @Test
    void aStandardSignalDoesNotQueue() {
        Process p = r.process;
        Task leader = p.mainTask();
        long first = 1234L | (1000L << 32), second = 99L;
        p.post(SIGUSR1, SI_QUEUE, first, 42);
        p.post(SIGUSR1, SI_USER, second, 7); // merges into the one pending: the first sender's stays
        assertEquals(first, leader.pendingSender(SIGUSR1));
        assertEquals(42, leader.pendingValue(SIGUSR1));
        assertEquals(SI_QUEUE, leader.clearPending(SIGUSR1));
        assertEquals(0, leader.pending());
        leader.post(SIGUSR2, SI_TKILL, first);
        leader.post(SIGUSR2, SI_USER, second); // the same for a thread's own
        assertEquals(first, leader.pendingSender(SIGUSR2));
        assertEquals(SI_TKILL, leader.clearPending(SIGUSR2));
        assertEquals(0, leader.pending());
        p.post(SIGUSR1, SI_USER, second); // taken, then sent again: recorded anew
        assertEquals(second, leader.pendingSender(SIGUSR1));
        assertEquals(SI_USER, leader.clearPending(SIGUSR1));
    }

    @Test
    void aThreadTakesItsOwnPendingSignalBeforeItsProcesss() {
        Process p = r.process;
        Task leader = p.mainTask();
        Task second = p.newThread(leader, 101, true, true);
        long processSender = 5L, threadSender = 6L;
        p.post(SIGUSR1, SI_USER, processSender);
        second.post(SIGUSR1, SI_TKILL, threadSender); // tgkill: the thread's own
        assertEquals(Task.bit(SIGUSR1), second.privatePending());
        assertEquals(0, leader.privatePending());
        assertEquals(threadSender, second.pendingSender(SIGUSR1));
        assertEquals(SI_TKILL, second.clearPending(SIGUSR1));
        assertEquals(Task.bit(SIGUSR1), second.pending()); // the process's is still there
        assertEquals(processSender, second.pendingSender(SIGUSR1));
        assertEquals(SI_USER, second.clearPending(SIGUSR1));
        assertEquals(0, second.pending());
        assertEquals(0, leader.pending());
    }

    @Test
    void everySignalWakesTheProcesssSignalWaiters() throws InterruptedException {
        Task[] t = r.start(3);
        r.park(t[0], r.process.signalWaiters()); // sigwaitinfo
        r.park(t[1], r.process.signalWaiters()); // signalfd read
        r.park(t[2]);
        t[2].post(SIGUSR2, SI_TKILL); // to another thread: the waiters look again
        assertEquals(State.RUNNABLE, t[0].state());
        assertEquals(State.RUNNABLE, t[1].state());
        assertEquals(State.RUNNABLE, t[2].state());
        assertEquals(0, r.process.signalWaiters().size());
    }
}
