package dev.phoenix.libos.proc;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A set of pending signals with the siginfo of each instance, as Linux's struct sigpending keeps
 * them (signal(7), "Real-time signals"): a standard signal (1-31) does not queue, so a second one
 * merges into the pending one and the first sender's siginfo stays; a real-time signal
 * ({@link #SIGRTMIN}-64) queues every instance with its own siginfo, taken in the order sent, and
 * stays pending until the last is taken. A task has one for the signals sent to it; its thread
 * group has one for those sent to the process.
 *
 * <p>Every queued siginfo is charged to a count shared by the sets of the thread group (Linux
 * charges the receiving task's real user; Phoenix runs one process per user) and limited by
 * RLIMIT_SIGPENDING, as {@link #add} says. Safe from any thread: timers and host signals post
 * from threads of their own; {@link #bits()} is one volatile read, as it is read at every
 * syscall's exit.
 */
public final class SigPending {
    /** The first real-time signal as the kernel numbers them (glibc and musl keep 32-34 for themselves). */
    public static final int SIGRTMIN = 32;
    /** si_code of kill(2) and of the kernel's own signals (asm-generic/siginfo.h). */
    private static final int SI_USER = 0, SI_KERNEL = 0x80;

    /** si_code of a POSIX timer's signal. */
    public static final int SI_TIMER = -2;

    /**
     * One pending instance's siginfo: its si_code, its sender ({@link Task#SENDER_SELF}, or the
     * pid in the low 32 bits and the uid in the high 32), its si_value (sigqueue(3)), and for a
     * POSIX timer's signal (SI_TIMER) the timer, whose siginfo it is.
     */
    public record Queued(int code, long sender, long value, PosixTimer timer) {
        public Queued(int code, long sender, long value) {
            this(code, sender, value, null);
        }
    }

    /**
     * The siginfo of an instance pending without one (the queue was full): Linux's collect_signal
     * answers SI_USER from pid 0, uid 0.
     */
    public static final Queued LOST = new Queued(SI_USER, 0, 0);

    /** Bit n-1 set while signal n has an instance pending. Written under the lock, read without. */
    private volatile long bits;
    /** The siginfo queued per signal, oldest first; may be empty while the bit is set (see {@link #LOST}). @GuardedBy("this") */
    @SuppressWarnings("unchecked")
    private final ArrayDeque<Queued>[] queues = new ArrayDeque[65];
    /** The instances queued in every set this one shares its limit with (/proc/PID/status SigQ). */
    private final AtomicInteger charged;

    /** An empty set charging its queued siginfo to {@code charged}. */
    SigPending(AtomicInteger charged) {
        this.charged = charged;
    }

    /** An empty set of its own (a unit test's). */
    SigPending() {
        this(new AtomicInteger());
    }

    /**
     * Makes one instance of {@code sig} pending, as Linux's __send_signal does. A standard signal
     * already pending merges into it. Otherwise its siginfo is queued if the count stays within
     * {@code limit} (RLIMIT_SIGPENDING's soft value, Long.MAX_VALUE for none), or whatever the
     * count for a standard signal sent by the kernel or kill(2) ({@code code} >= 0). Past the
     * limit a real-time signal sent with a siginfo of its own (sigqueue, tgkill: any {@code code}
     * but SI_USER and SI_KERNEL) is refused, and false returned: the sender's EAGAIN; any other
     * signal is pending without its siginfo ({@link #LOST}).
     */
    synchronized boolean add(int sig, int code, long sender, long value, long limit) {
        long bit = Task.bit(sig);
        if (sig < SIGRTMIN && (bits & bit) != 0) {
            return true;
        }
        boolean overLimit = charged.incrementAndGet() > limit && !(sig < SIGRTMIN && code >= 0);
        if (overLimit) {
            charged.decrementAndGet();
            if (sig >= SIGRTMIN && code != SI_USER && code != SI_KERNEL) {
                return false;
            }
        } else {
            ArrayDeque<Queued> q = queues[sig];
            if (q == null) {
                q = queues[sig] = new ArrayDeque<>(sig < SIGRTMIN ? 1 : 4);
            }
            q.add(new Queued(code, sender, value));
        }
        bits |= bit;
        return true;
    }

    /**
     * Queues POSIX timer {@code t}'s signal {@code sig} with the siginfo the timer holds, as
     * Linux's posixtimer_queue_sigqueue queues its preallocated sigqueue: behind the instances
     * already pending (a standard signal too), charged to no limit (the timer was charged when
     * it was made), and not at all while the timer's signal is still pending (false).
     */
    synchronized boolean addTimer(int sig, PosixTimer t) {
        if (t.queued) {
            return false;
        }
        ArrayDeque<Queued> q = queues[sig];
        if (q == null) {
            q = queues[sig] = new ArrayDeque<>(sig < SIGRTMIN ? 1 : 4);
        }
        q.add(new Queued(SI_TIMER, Task.SENDER_SELF, t.value(), t));
        t.queued = true;
        bits |= Task.bit(sig);
        return true;
    }

    /** The pending set (bit n-1 for signal n). */
    public long bits() {
        return bits;
    }

    /**
     * Takes the oldest instance of {@code sig} and returns its siginfo ({@link #LOST} for one that
     * has none), or null when none is pending. The signal stays pending while another instance
     * is queued; one pending without its siginfo merges into those queued before it, as in Linux.
     */
    synchronized Queued take(int sig) {
        long bit = Task.bit(sig);
        if ((bits & bit) == 0) {
            return null;
        }
        ArrayDeque<Queued> q = queues[sig];
        Queued first = q == null ? null : q.poll();
        if (q == null || q.isEmpty()) {
            bits &= ~bit;
        }
        if (first == null) {
            return LOST;
        }
        release(first);
        return first;
    }

    /** An instance left the set: its charge goes, or a timer's siginfo is the timer's again. */
    private void release(Queued q) {
        if (q.timer() != null) {
            q.timer().queued = false;
        } else {
            charged.decrementAndGet();
        }
    }

    /** Drops every pending instance of {@code sig}. */
    synchronized void discard(int sig) {
        discard(sig, null);
    }

    /**
     * Drops every pending instance of {@code sig} (the signal is now ignored: sigaction(2)) and
     * adds the POSIX timers whose siginfo was among them to {@code timers} (null: not wanted).
     */
    synchronized void discard(int sig, java.util.List<PosixTimer> timers) {
        ArrayDeque<Queued> q = queues[sig];
        if (q != null) {
            for (Queued e : q) {
                release(e);
                if (e.timer() != null && timers != null) {
                    timers.add(e.timer());
                }
            }
            q.clear();
        }
        bits &= ~Task.bit(sig);
    }

    /** Drops every pending signal (the thread has exited: its own signals die with it). */
    synchronized void clear() {
        for (int sig = 1; sig < queues.length; sig++) {
            if ((bits & Task.bit(sig)) != 0) {
                discard(sig, null);
            }
        }
    }

    /**
     * Drops the POSIX timers' signals (execve(2), Linux's flush_itimer_signals); a signal pending
     * with other instances too stays pending for them.
     */
    synchronized void discardTimerSignals() {
        for (int sig = 1; sig < queues.length; sig++) {
            ArrayDeque<Queued> q = queues[sig];
            if (q == null || (bits & Task.bit(sig)) == 0) {
                continue;
            }
            boolean hadTimer = false;
            for (java.util.Iterator<Queued> it = q.iterator(); it.hasNext(); ) {
                Queued e = it.next();
                if (e.timer() != null) {
                    release(e);
                    it.remove();
                    hadTimer = true;
                }
            }
            if (hadTimer && q.isEmpty()) {
                bits &= ~Task.bit(sig);
            }
        }
    }

    /** The instances of {@code sig} pending: its queued siginfo, or 1 for one pending without (0 when none). */
    synchronized int count(int sig) {
        if ((bits & Task.bit(sig)) == 0) {
            return 0;
        }
        ArrayDeque<Queued> q = queues[sig];
        return q == null || q.isEmpty() ? 1 : q.size();
    }
}
