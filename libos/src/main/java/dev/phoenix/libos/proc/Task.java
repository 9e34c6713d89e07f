package dev.phoenix.libos.proc;

import dev.phoenix.emu.Cpu;

/** A schedulable thread of a {@link Process}: its CPU state and per-thread kernel fields. */
public final class Task {
    private final Process process;
    private final int tid;
    private final Cpu cpu;
    /** set_tid_address(2): cleared and futex-woken when the thread exits. */
    public long clearChildTid;
    /** set_robust_list(2) head and length. */
    public long robustListHead;
    public long robustListLength;
    /** The thread's name (prctl PR_SET_NAME, /proc/PID/comm): at most 15 bytes. */
    public String comm = "";

    /** Signals sent to this thread and not yet delivered (bit n-1 for signal n); set from any thread. */
    private final java.util.concurrent.atomic.AtomicLong pending = new java.util.concurrent.atomic.AtomicLong();
    /** Signals this thread blocks (rt_sigprocmask). */
    public long blocked;
    /** The mask to restore after a handler run by rt_sigsuspend returns, or -1 for none. */
    public long savedMask = -1;
    /** sigaltstack(2): base, size and flags (SS_DISABLE when none). */
    public long altStackBase;
    public long altStackSize;
    public int altStackFlags = 2; // SS_DISABLE

    /** The task whose guest code the calling host thread runs, for waits deep in the file layer. */
    private static final ThreadLocal<Task> CURRENT = new ThreadLocal<>();

    /** The task the calling thread runs, or null (a thread that runs no guest). */
    public static Task current() {
        return CURRENT.get();
    }

    /** Makes {@code task} (or none, with null) the one the calling thread runs. */
    public static void setCurrent(Task task) {
        if (task == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(task);
        }
    }

    /** The monitor of a wait in progress that a signal must end (a pipe's), or null. */
    private volatile Object blockedOn;

    /**
     * Waits on {@code monitor}, which the caller holds, until it is notified or a signal becomes
     * deliverable: Linux's interruptible sleep for waits on objects of their own (a pipe). Throws
     * ERESTARTSYS when a signal ended the wait or was already deliverable; the caller rechecks
     * its condition after a normal return.
     */
    public void waitOn(Object monitor) {
        blockedOn = monitor;
        try {
            if (deliverable() != 0) {
                throw dev.phoenix.libos.Errno.of(dev.phoenix.libos.Errno.ERESTARTSYS);
            }
            monitor.wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw dev.phoenix.libos.Errno.of(dev.phoenix.libos.Errno.EINTR);
        } finally {
            blockedOn = null;
        }
    }

    Task(Process process, int tid, Cpu cpu) {
        this.process = process;
        this.tid = tid;
        this.cpu = cpu;
    }

    public Process process() {
        return process;
    }

    public int tid() {
        return tid;
    }

    public Cpu cpu() {
        return cpu;
    }

    /** Bit of signal {@code sig} (1-64) in a signal set. */
    public static long bit(int sig) {
        return 1L << (sig - 1);
    }

    /** si_code of each pending signal (standard signals do not queue: the first sender's stays). */
    private final int[] pendingCode = new int[65];
    private final long[] pendingSender = new long[65];

    /**
     * Marks {@code sig} pending with si_code {@code code} and wakes the thread if it sleeps; safe
     * from any thread.
     */
    public void post(int sig, int code) {
        post(sig, code, SENDER_SELF);
    }

    /** Sender of a pending signal sent by the process itself: its own pid and uid. */
    public static final long SENDER_SELF = -1;

    /**
     * As {@link #post(int, int)} for a signal from outside the process, whose siginfo names
     * {@code sender}: the sending pid in the low 32 bits, its uid in the high 32.
     */
    public void post(int sig, int code, long sender) {
        synchronized (pending) {
            if ((pending.get() & bit(sig)) == 0) {
                pendingCode[sig] = code;
                pendingSender[sig] = sender;
                pending.getAndUpdate(p -> p | bit(sig));
            }
            pending.notifyAll();
        }
        Object monitor = blockedOn;
        if (monitor != null) {
            synchronized (monitor) {
                monitor.notifyAll();
            }
        }
        HostWaits.wake();
    }

    /** The sender {@link #post(int, int, long)} recorded for pending {@code sig}; read before {@link #clearPending}. */
    public long pendingSender(int sig) {
        synchronized (pending) {
            return pendingSender[sig];
        }
    }

    /** Signals pending for this thread. */
    public long pending() {
        return pending.get();
    }

    /** Pending signals not blocked: the ones to deliver now. */
    public long deliverable() {
        return pending.get() & ~blocked;
    }

    /** Takes {@code sig} off the pending set and returns the si_code it was sent with. */
    public int clearPending(int sig) {
        synchronized (pending) {
            pending.getAndUpdate(p -> p & ~bit(sig));
            return pendingCode[sig];
        }
    }

    /**
     * Blocks until {@code ready} returns true (it is asked again after each {@link #wake}) or a
     * signal becomes deliverable; returns false when a signal ended the wait.
     */
    public boolean waitUntil(java.util.function.BooleanSupplier ready) {
        synchronized (pending) {
            while (deliverable() == 0) {
                if (ready.getAsBoolean()) {
                    return true;
                }
                try {
                    pending.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return false;
        }
    }

    /** Makes a {@link #waitUntil} in progress ask its condition again; safe from any thread. */
    public void wake() {
        synchronized (pending) {
            pending.notifyAll();
        }
    }

    /**
     * Sleeps until {@code deadlineNanos} on {@code clock}'s monotonic time or until a signal
     * becomes deliverable; returns true when a signal cut the sleep short.
     */
    public boolean sleepUntil(long deadlineNanos, dev.phoenix.libos.Clock clock) {
        synchronized (pending) {
            while (deliverable() == 0) {
                if (deadlineNanos != Long.MAX_VALUE && deadlineNanos - clock.monotonicNanos() <= 0) {
                    return false;
                }
                try {
                    clock.await(pending, deadlineNanos);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return true;
                }
            }
            return true;
        }
    }
}
