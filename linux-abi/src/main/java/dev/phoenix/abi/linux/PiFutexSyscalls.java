package dev.phoenix.abi.linux;

import dev.phoenix.abi.LinuxKernel;
import dev.phoenix.abi.linux.FutexSyscalls.Where;
import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.libos.Clock;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.mm.GuestMemory;
import dev.phoenix.libos.proc.FutexPiState;
import dev.phoenix.libos.proc.FutexTable;
import dev.phoenix.libos.proc.PiChains;
import dev.phoenix.libos.proc.PiLock;
import dev.phoenix.libos.proc.Process;
import dev.phoenix.libos.proc.Task;
import dev.phoenix.libos.proc.TaskPiState;
import dev.phoenix.libos.proc.WaitQueue;
import dev.phoenix.libos.sched.SchedEntity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The priority-inheritance operations of futex(2), after Linux's kernel/futex/pi.c and
 * requeue.c (Documentation/locking/pi-futex.rst, futex-requeue-pi.rst). The futex word holds
 * the owner's TID, FUTEX_WAITERS while the kernel has waiters (so the owner's unlock comes
 * here) and FUTEX_OWNER_DIED once an owner died holding it. A contended futex has a
 * {@link FutexPiState}: its owner inherits the best priority of its waiters ({@link PiChains}),
 * and FUTEX_UNLOCK_PI hands the lock straight to the top waiter, writing that waiter's TID into
 * the word, so the word and the state always agree. Every operation runs under
 * {@link PiChains#LOCK}, which makes reading and writing the word atomic with respect to the
 * kernel side of every other task (the threads of one address space run one at a time anyway).
 */
public final class PiFutexSyscalls {
    private PiFutexSyscalls() {}

    static final int FUTEX_WAITERS = 0x80000000, FUTEX_OWNER_DIED = 0x40000000, FUTEX_TID_MASK = 0x3fffffff;

    /**
     * FUTEX_LOCK_PI, FUTEX_LOCK_PI2 and FUTEX_TRYLOCK_PI (Linux's futex_lock_pi): takes the
     * futex when it is free (keeping FUTEX_OWNER_DIED), else, unless {@code trylock} (EAGAIN),
     * waits until the owner hands it over, lending it this task's priority, or until the
     * absolute {@code timeout} on CLOCK_REALTIME ({@code realtime}) or CLOCK_MONOTONIC passes
     * (ETIMEDOUT). A signal restarts the call after its handler (ERESTARTNOINTR). EDEADLK when
     * the caller owns it or the wait would close a cycle; ESRCH when the word names no task.
     */
    static long lockPi(SyscallContext c, long uaddr, boolean shared, long timeout, boolean realtime, boolean trylock) {
        Task task = c.task();
        FutexTable table = c.kernel().futexes();
        long deadline = Long.MAX_VALUE;
        WaitQueue[] queues = new WaitQueue[0];
        if (!task.resuming()) { // a wait that parked and runs again is queued already
            deadline = absoluteDeadline(c, timeout, realtime);
            GuestMemory mem = c.memory();
            writableWord(mem, uaddr);
            Where w = FutexSyscalls.where(c, uaddr, shared);
            synchronized (PiChains.LOCK) {
                FutexPiState[] state = new FutexPiState[1];
                int r = lockAtomic(c, mem, uaddr, w, task, false, state);
                if (r != 0) {
                    return r == 1 ? 0 : r;
                }
                if (trylock) { // the owner keeps it: FUTEX_WAITERS stays set, as in Linux
                    table.dropPiStateIfUnused(state[0]);
                    return -Errno.EAGAIN;
                }
                task.pi.beginWait();
                task.pi.uaddr = uaddr;
                task.pi.waitSpace = c.process().addressSpace();
                if (!PiChains.enqueue(task, state[0])) {
                    table.dropPiStateIfUnused(state[0]);
                    return -Errno.EDEADLK;
                }
                queues = new WaitQueue[] {task.pi.wakeQueue()};
            }
        }
        Task.Wait outcome = task.block(deadline, task.pi::granted, queues);
        if (outcome == Task.Wait.READY || !leaveWait(table, task)) {
            return 0; // handed over, perhaps just as the wait ended
        }
        return outcome == Task.Wait.TIMED_OUT ? -Errno.ETIMEDOUT : -Errno.ERESTARTNOINTR;
    }

    /**
     * A PI wait of {@code task} ended without the lock: it leaves the waiters of the state it
     * waited on (its owner's priority falls back). Returns false when the lock was handed to it
     * after all, between the end of the wait and now: then the call succeeds, as Linux's
     * rt_mutex_cleanup_proxy_lock finds the lock taken meanwhile.
     */
    private static boolean leaveWait(FutexTable table, Task task) {
        synchronized (PiChains.LOCK) {
            task.pi.requeueState = TaskPiState.REQUEUE_NONE;
            if (task.pi.granted()) {
                return false;
            }
            PiLock on = task.pi.blockedOn();
            PiChains.dequeue(task);
            if (on instanceof FutexPiState s) {
                table.dropPiStateIfUnused(s);
            }
            return true;
        }
    }

    /**
     * Linux's futex_lock_pi_atomic for {@code task} (the caller, or the top waiter a requeue
     * takes the lock for) on the word at {@code uaddr} of the caller's memory: returns 1 when it
     * took the futex (a free word, FUTEX_OWNER_DIED kept; with {@code setWaiters} also
     * FUTEX_WAITERS and a state owned by {@code task}), 0 when it must wait, with the futex's
     * state in {@code state[0]} (made and attached to the owner the word names, FUTEX_WAITERS
     * set, for the first waiter), or -errno. Under {@link PiChains#LOCK}.
     */
    private static int lockAtomic(SyscallContext c, GuestMemory mem, long uaddr, Where w, Task task,
            boolean setWaiters, FutexPiState[] state) {
        FutexTable table = c.kernel().futexes();
        int uval = mem.readInt(uaddr);
        int pid = uval & FUTEX_TID_MASK;
        if (pid == Pids.nr(task.process(), task.tid())) {
            return -Errno.EDEADLK;
        }
        FutexPiState s = table.piState(w.space(), w.address());
        if (s != null && s.hasWaiters()) { // attach_to_pi_state: the word must name the state's owner
            Task owner = s.owner();
            boolean ownerDiedFree = (uval & FUTEX_OWNER_DIED) != 0 && pid == 0;
            if (!ownerDiedFree && (owner == null || pid != Pids.nr(task.process(), owner.tid()))) {
                return -Errno.EINVAL;
            }
            state[0] = s;
            return 0;
        }
        WaitQueue plain = table.existingQueue(w.space(), w.address());
        if (plain != null && !plain.isEmpty()) {
            return -Errno.EINVAL; // a FUTEX_WAIT waiter: user space mixed PI and plain operations
        }
        if (pid == 0) { // free, perhaps with FUTEX_OWNER_DIED: take it over
            mem.writeInt(uaddr, (uval & FUTEX_OWNER_DIED) | Pids.nr(task.process(), task.tid())
                    | (setWaiters ? FUTEX_WAITERS : 0));
            if (setWaiters) {
                state[0] = newState(table, w, task);
            }
            return 1;
        }
        if ((uval & FUTEX_WAITERS) == 0) { // the first waiter: the owner's unlock must come to the kernel
            mem.writeInt(uaddr, uval | FUTEX_WAITERS);
        }
        Task owner = findTask(c, pid);
        if (owner == null) {
            return -Errno.ESRCH; // a dead owner without a robust list, or a bogus word
        }
        state[0] = newState(table, w, owner);
        return 0;
    }

    private static FutexPiState newState(FutexTable table, Where w, Task owner) {
        FutexPiState s = new FutexPiState(w.space(), w.address());
        table.addPiState(s);
        PiChains.addOwner(s, owner);
        return s;
    }

    /**
     * The task of thread id {@code tid} in any process (the caller's first) that has not yet
     * been through its exit's PI cleanup ({@link #exited}), or null. A task on its way out is
     * found, as Linux attaches to an owner whose futex_state is not yet DEAD: its exit then
     * hands the futex over. Under {@link PiChains#LOCK}, which that cleanup takes.
     */
    private static Task findTask(SyscallContext c, int vtid) {
        int tid = Pids.global(c, vtid); // the word holds the tid as the caller's namespace numbers it
        if (tid <= 0) {
            return null;
        }
        Task t = findIn(c.process(), tid);
        if (t != null) {
            return t;
        }
        for (Process p : c.kernel().processes()) {
            if (p != c.process() && (t = findIn(p, tid)) != null) {
                return t;
            }
        }
        return null;
    }

    private static Task findIn(Process p, int tid) {
        for (Task t : p.tasks()) {
            if (t.tid() == tid && !t.pi.exitDone) {
                return t;
            }
        }
        return null;
    }

    /**
     * FUTEX_UNLOCK_PI (Linux's futex_unlock_pi): EPERM unless the word names the caller. With
     * waiters, the lock goes to the top one (the word becomes its TID with FUTEX_WAITERS) and the
     * caller's inherited priority falls back; without, the word becomes 0, dropping
     * FUTEX_WAITERS and FUTEX_OWNER_DIED.
     */
    static long unlockPi(SyscallContext c, long uaddr, boolean shared) {
        Task task = c.task();
        GuestMemory mem = c.memory();
        FutexTable table = c.kernel().futexes();
        if ((uaddr & 3) != 0) {
            return -Errno.EINVAL;
        }
        synchronized (PiChains.LOCK) {
            int uval = mem.readInt(uaddr);
            if ((uval & FUTEX_TID_MASK) != Pids.nr(task.process(), task.tid())) {
                return -Errno.EPERM;
            }
            writableWord(mem, uaddr);
            Where w = FutexSyscalls.where(c, uaddr, shared);
            FutexPiState s = table.piState(w.space(), w.address());
            if (s != null && s.hasWaiters()) {
                if (s.owner() != task) {
                    return -Errno.EINVAL;
                }
                Task next = s.topWaiter();
                mem.writeInt(uaddr, Pids.nr(next.process(), next.tid()) | FUTEX_WAITERS);
                handOver(table, s, task, next);
                return 0;
            }
            WaitQueue plain = table.existingQueue(w.space(), w.address());
            if (plain != null && !plain.isEmpty()) {
                return -Errno.EINVAL; // not a PI futex
            }
            mem.writeInt(uaddr, 0);
            return 0;
        }
    }

    /** {@code s} goes from {@code from} (null: a dead owner) to its waiter {@code to}, which wakes owning it. */
    private static void handOver(FutexTable table, FutexPiState s, Task from, Task to) {
        PiChains.handOver(s, from, to);
        to.pi.grant();
        table.dropPiStateIfUnused(s);
    }

    /**
     * FUTEX_WAIT_REQUEUE_PI (Linux's futex_wait_requeue_pi): waits on the plain futex
     * {@code uaddr} while it holds {@code val} (else EAGAIN) until FUTEX_CMP_REQUEUE_PI either
     * takes the PI futex {@code uaddr2} for it (0 at once) or moves it to wait for that futex
     * (0 once it is handed over). The absolute timeout is CLOCK_MONOTONIC unless
     * {@code realtime}. Before the requeue a signal restarts the call; after it, the call ends
     * with EAGAIN, as Linux's does rather than restart into a changed word.
     */
    static long waitRequeuePi(SyscallContext c, long uaddr, boolean shared, int val, long timeout, long uaddr2,
            boolean realtime) {
        Task task = c.task();
        FutexTable table = c.kernel().futexes();
        long deadline = Long.MAX_VALUE;
        WaitQueue[] queues = new WaitQueue[0];
        if (!task.resuming()) {
            if (uaddr == uaddr2) {
                return -Errno.EINVAL;
            }
            deadline = absoluteDeadline(c, timeout, realtime);
            GuestMemory mem = c.memory();
            writableWord(mem, uaddr2);
            if ((uaddr & 3) != 0) {
                return -Errno.EINVAL;
            }
            Where w1 = FutexSyscalls.where(c, uaddr, shared);
            Where w2 = FutexSyscalls.where(c, uaddr2, shared);
            synchronized (PiChains.LOCK) {
                if (mem.readInt(uaddr) != val) {
                    return -Errno.EAGAIN;
                }
                if (w1.equals(w2)) { // two mappings of one shared page
                    return -Errno.EINVAL;
                }
                task.pi.beginWait();
                task.pi.uaddr = uaddr2;
                task.pi.waitSpace = c.process().addressSpace();
                task.pi.requeueSpace = w2.space();
                task.pi.requeueAddress = w2.address();
                task.pi.requeueState = TaskPiState.REQUEUE_ON_FUTEX;
                queues = new WaitQueue[] {table.queue(w1.space(), w1.address())};
            }
        }
        // Woken without the lock (nothing but a requeue should wake it): EAGAIN, as Linux's
        // handle_early_requeue_pi_wakeup answers a spurious wake.
        Task.Wait outcome = task.block(deadline, () -> task.pi.granted() || task.woken(), queues);
        boolean requeued = task.pi.requeueState == TaskPiState.REQUEUE_ON_PI;
        if (!leaveWait(table, task)) {
            return 0;
        }
        return switch (outcome) {
            case READY -> -Errno.EAGAIN;
            case TIMED_OUT -> -Errno.ETIMEDOUT;
            case SIGNALED -> requeued ? -Errno.EAGAIN : -Errno.ERESTARTNOINTR;
        };
    }

    /**
     * FUTEX_CMP_REQUEUE_PI (Linux's futex_requeue with requeue_pi): when {@code uaddr1} holds
     * {@code val3} (else EAGAIN), takes the PI futex {@code uaddr2} for the top waiter if it is
     * free and wakes it, and moves waiters (up to {@code nrRequeue}, plus the top one when the
     * futex was not free) to wait for {@code uaddr2}, lending their priority to its owner.
     * Returns how many it woke and moved. EINVAL when {@code nrWake} is not 1, the two futexes
     * are one, or a waiter is not in FUTEX_WAIT_REQUEUE_PI for {@code uaddr2}; EDEADLK when the
     * top waiter owns {@code uaddr2} or a move would close a cycle (the waiters left stay).
     */
    static long cmpRequeuePi(SyscallContext c, long uaddr1, long uaddr2, boolean shared, int nrWake, int nrRequeue,
            int val3) {
        if (nrWake < 0 || nrRequeue < 0 || uaddr1 == uaddr2 || nrWake != 1) {
            return -Errno.EINVAL;
        }
        GuestMemory mem = c.memory();
        FutexTable table = c.kernel().futexes();
        if ((uaddr1 & 3) != 0) {
            return -Errno.EINVAL;
        }
        writableWord(mem, uaddr2);
        Where w1 = FutexSyscalls.where(c, uaddr1, shared);
        Where w2 = FutexSyscalls.where(c, uaddr2, shared);
        if (w1.equals(w2)) {
            return -Errno.EINVAL;
        }
        synchronized (PiChains.LOCK) {
            if (mem.readInt(uaddr1) != val3) {
                return -Errno.EAGAIN;
            }
            WaitQueue q1 = table.existingQueue(w1.space(), w1.address());
            List<Task> waiters = q1 == null ? List.of() : byFutexPriority(q1.waiting());
            if (waiters.isEmpty()) {
                return 0;
            }
            Task top = waiters.get(0);
            if (!waitsToRequeue(top, w2)) {
                return -Errno.EINVAL;
            }
            FutexPiState[] state = new FutexPiState[1];
            int r = lockAtomic(c, mem, uaddr2, w2, top, nrRequeue > 0, state);
            if (r < 0) {
                return r;
            }
            int count = 0;
            int first = 0;
            if (r == 1) { // taken for the top waiter, which returns at once
                top.pi.moveToWakeQueue(q1);
                top.pi.grant();
                count = first = 1;
            }
            int ret = 0;
            for (int i = first; i < waiters.size() && count - nrWake < nrRequeue; i++) {
                Task t = waiters.get(i);
                if (!waitsToRequeue(t, w2)) {
                    ret = -Errno.EINVAL;
                    break;
                }
                if (!PiChains.enqueue(t, state[0])) {
                    ret = -Errno.EDEADLK; // it stays on uaddr1; user space deals with the mess
                    break;
                }
                t.pi.requeueState = TaskPiState.REQUEUE_ON_PI;
                t.pi.moveToWakeQueue(q1);
                count++;
            }
            if (state[0] != null) {
                table.dropPiStateIfUnused(state[0]);
            }
            return ret != 0 ? ret : count;
        }
    }

    /** True when {@code t} waits in FUTEX_WAIT_REQUEUE_PI to be requeued to futex {@code w2}. */
    private static boolean waitsToRequeue(Task t, Where w2) {
        return t.pi.requeueState == TaskPiState.REQUEUE_ON_FUTEX && t.pi.requeueAddress == w2.address()
                && Objects.equals(t.pi.requeueSpace, w2.space());
    }

    /**
     * Futex waiters in the order Linux's hash-bucket plist keeps them: real-time tasks by
     * priority, everyone else after them, in the order they came (futex_q's prio is
     * min(normal_prio, MAX_RT_PRIO)).
     */
    private static List<Task> byFutexPriority(List<Task> waiters) {
        List<Task> sorted = new ArrayList<>(waiters);
        sorted.sort(Comparator.comparingInt(t -> Math.min(t.sched.normalPrio(), SchedEntity.MAX_RT_PRIO)));
        return sorted;
    }

    /**
     * Thread {@code t} is gone (exit, exit_group, a fatal signal): Linux's exit_pi_state_list.
     * Each PI futex it owns goes to its top waiter with FUTEX_OWNER_DIED set (written through
     * the waiter's own mapping of the word, as the woken waiter's fixup_pi_state_owner would),
     * so glibc's robust PI mutexes report EOWNERDEAD whether or not the robust list named it;
     * and a wait of its own on a PI futex ends. Never throws: an exit cannot fail.
     */
    public static void exited(LinuxKernel kernel, Task t) {
        FutexTable table = kernel.futexes();
        synchronized (PiChains.LOCK) {
            handOverOwnedFutexes(table, t);
            PiLock on = t.pi.blockedOn();
            PiChains.exited(t);
            if (on instanceof FutexPiState s) {
                table.dropPiStateIfUnused(s);
            }
            t.pi.requeueState = TaskPiState.REQUEUE_NONE;
            t.pi.exitDone = true; // from now on a word naming it is ESRCH
        }
    }

    /**
     * Thread {@code t} exec'd: the PI futexes it owns go to their top waiters with
     * FUTEX_OWNER_DIED, as Linux's exec_mm_release does (futex_exec_release), so a waiter in
     * another process sharing the futex is not left waiting on an image that is gone.
     */
    public static void execed(LinuxKernel kernel, Task t) {
        synchronized (PiChains.LOCK) {
            handOverOwnedFutexes(kernel.futexes(), t);
        }
    }

    /** Linux's exit_pi_state_list for {@code t}. Under {@link PiChains#LOCK}. */
    private static void handOverOwnedFutexes(FutexTable table, Task t) {
        for (PiLock l : t.pi.held()) {
            if (l instanceof FutexPiState s) {
                Task next = s.topWaiter();
                if (next == null) {
                    table.dropPiStateIfUnused(s);
                    continue;
                }
                writeWord(next, Pids.nr(next.process(), next.tid()) | FUTEX_WAITERS | FUTEX_OWNER_DIED);
                handOver(table, s, t, next);
            }
        }
    }

    /**
     * Writes {@code value} to the word of {@code waiter}'s PI wait in its own memory, from
     * whichever thread; nothing when its process is gone or has exec'd since it began to wait
     * (the address would be the new image's).
     */
    private static void writeWord(Task waiter, int value) {
        long uaddr = waiter.pi.uaddr;
        Object space0 = waiter.pi.waitSpace;
        waiter.process().readAddressSpace(space -> {
            if (space == space0) {
                try {
                    space.memory().writeInt(uaddr, value);
                } catch (Errno e) {
                    // unmapped since: the waiter finds its futex gone
                }
            }
            return Boolean.TRUE;
        }, Boolean.FALSE);
    }

    /** The futex word's address must be aligned (EINVAL) and writable (EFAULT), as get_futex_key(FUTEX_WRITE) and the kernel's cmpxchg need. */
    private static void writableWord(GuestMemory mem, long uaddr) {
        if ((uaddr & 3) != 0) {
            throw Errno.of(Errno.EINVAL);
        }
        if (mem.accessible(uaddr, 4, dev.phoenix.emu.Prot.READ | dev.phoenix.emu.Prot.WRITE) < 4) {
            throw Errno.of(Errno.EFAULT);
        }
    }

    /** The kernel-monotonic deadline of an absolute {@code timeout} timespec on CLOCK_REALTIME or CLOCK_MONOTONIC; none for 0. */
    private static long absoluteDeadline(SyscallContext c, long timeout, boolean realtime) {
        if (timeout == 0) {
            return Long.MAX_VALUE;
        }
        Clock clock = c.kernel().clock();
        long ns = TimeSyscalls.timespecNanos(c, timeout);
        long now = realtime ? clock.realtimeNanos() : clock.monotonicNanos();
        return TimeSyscalls.deadlineAfter(clock, Math.max(0, ns - now));
    }
}
