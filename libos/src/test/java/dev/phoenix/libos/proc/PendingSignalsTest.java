package dev.phoenix.libos.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.phoenix.libos.Errno;
import dev.phoenix.libos.proc.RunQueue.State;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * Pending signals of a thread group (signal(7)): which thread a process-directed signal goes
 * to, standard signals that do not queue and real-time ones that do, a thread's own pending set
 * before its process's, and RLIMIT_SIGPENDING counted over the whole group.
 */
// a lost wake would leave the test waiting, a broken wait spinning, for ever: fail it instead
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = ThreadMode.SEPARATE_THREAD)
class PendingSignalsTest {
    private static final int SIGUSR1 = 10, SIGUSR2 = 12, RTMIN = SigPending.SIGRTMIN, RT1 = RTMIN + 1;
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
        assertEquals(SI_USER, second.takePending(SIGUSR1).code());
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
        assertEquals(new SigPending.Queued(SI_QUEUE, first, 42), leader.takePending(SIGUSR1));
        assertEquals(0, leader.pending());
        assertNull(leader.takePending(SIGUSR1));
        leader.post(SIGUSR2, SI_TKILL, first);
        leader.post(SIGUSR2, SI_USER, second); // the same for a thread's own
        assertEquals(new SigPending.Queued(SI_TKILL, first, 0), leader.takePending(SIGUSR2));
        assertEquals(0, leader.pending());
        p.post(SIGUSR1, SI_USER, second); // taken, then sent again: recorded anew
        assertEquals(new SigPending.Queued(SI_USER, second, 0), leader.takePending(SIGUSR1));
        assertEquals(0, p.queuedSignals().get());
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
        assertEquals(SIGUSR1, second.nextPending(-1L));
        assertEquals(new SigPending.Queued(SI_TKILL, threadSender, 0), second.takePending(SIGUSR1));
        assertEquals(Task.bit(SIGUSR1), second.pending()); // the process's is still there
        assertEquals(new SigPending.Queued(SI_USER, processSender, 0), second.takePending(SIGUSR1));
        assertEquals(0, second.pending());
        assertEquals(0, leader.pending());
    }

    @Test
    void realTimeSignalsQueueForAThreadAndItsProcessAndItsOwnComeFirst() {
        Process p = r.process;
        Task leader = p.mainTask();
        Task second = p.newThread(leader, 101, true, true);
        leader.blocked = second.blocked = -1L; // all pending, for sigwaitinfo
        p.post(RT1, SI_QUEUE, 5, 11);
        p.post(RT1, SI_USER, 5, 0);
        p.post(SIGUSR1, SI_USER, 5, 0);
        second.post(RT1, SI_QUEUE, 6, 21);
        second.post(RT1, SI_QUEUE, 6, 22);
        assertEquals(5, p.queuedSignals().get()); // what /proc's SigQ shows, for the whole group
        assertEquals(RT1, second.nextPending(-1L)); // its own, though SIGUSR1 is lower
        assertEquals(new SigPending.Queued(SI_QUEUE, 6, 21), second.takePending(RT1));
        assertEquals(new SigPending.Queued(SI_QUEUE, 6, 22), second.takePending(RT1));
        assertEquals(0, second.privatePending());
        assertEquals(SIGUSR1, second.nextPending(-1L));
        assertEquals(new SigPending.Queued(SI_QUEUE, 5, 11), leader.takePending(RT1));
        assertEquals(Task.bit(RT1) | Task.bit(SIGUSR1), second.pending());
        assertEquals(new SigPending.Queued(SI_USER, 5, 0), second.takePending(RT1));
        assertEquals(Task.bit(SIGUSR1), leader.pending());
        assertEquals(1, p.queuedSignals().get());
    }

    @Test
    void aFullQueueRefusesSigqueueWithEagainAndKeepsKills() {
        Process p = r.process;
        long[][] limits = Process.defaultLimits(0);
        limits[0][Process.RLIMIT_SIGPENDING] = 2;
        p.setLimits(limits);
        Task leader = p.mainTask();
        leader.blocked = -1L;
        p.post(RT1, SI_QUEUE, 5, 1);
        leader.post(RT1, SI_QUEUE, 5, 2); // the thread's own count against the same limit
        assertEquals(Errno.EAGAIN, assertThrows(Errno.class, () -> p.post(RT1, SI_QUEUE, 5, 3)).errno());
        assertEquals(Errno.EAGAIN, assertThrows(Errno.class, () -> leader.post(RTMIN, SI_TKILL, 5)).errno());
        assertEquals(0, leader.pending() & Task.bit(RTMIN));
        p.post(RTMIN, SI_USER, 5); // kill(2): pending, its siginfo lost
        assertEquals(SigPending.LOST, leader.takePending(RTMIN));
        assertEquals(2, p.queuedSignals().get());
    }

    @Test
    void ignoringASignalDiscardsEveryInstanceFromEveryThread() {
        Process p = r.process;
        Task leader = p.mainTask();
        Task second = p.newThread(leader, 101, true, true);
        p.post(RT1, SI_QUEUE, 5, 1);
        p.post(RT1, SI_QUEUE, 5, 2);
        second.post(RT1, SI_QUEUE, 5, 3);
        leader.post(SIGUSR1, SI_TKILL, 5);
        p.discardPending(RT1);
        assertEquals(Task.bit(SIGUSR1), leader.pending());
        assertEquals(0, second.pending());
        assertEquals(1, p.queuedSignals().get());
    }

    @Test
    void anExitedThreadsOwnSignalsGoWithIt() {
        Process p = r.process;
        Task second = p.newThread(p.mainTask(), 101, true, true);
        second.post(RT1, SI_QUEUE, 5, 1);
        second.post(RT1, SI_QUEUE, 5, 2);
        p.post(RT1, SI_QUEUE, 5, 3);
        second.exited = true;
        p.reap(second);
        assertEquals(1, p.queuedSignals().get()); // no longer counted against the limit
        assertEquals(Task.bit(RT1), p.mainTask().pending());
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
