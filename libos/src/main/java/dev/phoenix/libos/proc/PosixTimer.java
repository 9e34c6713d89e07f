package dev.phoenix.libos.proc;

import dev.phoenix.libos.HrTimer;
import dev.phoenix.libos.HrTimerQueue;
import java.util.function.LongSupplier;

/**
 * A POSIX timer (timer_create(2); Linux's struct k_itimer, kernel/time/posix-timers.c and
 * posix-cpu-timers.c): an {@link HrTimer} on a time base (the kernel clock's monotonic queue
 * for the wall clocks, a {@link CpuTimerBase} queue for the CPU clocks) and the signal its
 * expiry sends, whose siginfo is allocated with the timer (SIGQUEUE_PREALLOC): it is queued at
 * most once, and an expiry while it is still pending is not queued again.
 *
 * <p>As in Linux 6.13 and later, a periodic timer whose signal is queued waits for it: it is
 * re-armed when the signal is taken ({@link #delivered}), forwarded past the time then by whole
 * intervals, and the intervals skipped are the overrun (si_overrun, timer_getoverrun(2)). Every
 * timer_settime(2) and timer_delete(2) starts a new generation ({@code signalSeq}): a signal
 * queued by an earlier one is dropped when it is taken. A periodic timer whose signal is ignored
 * waits, parked, until the signal is no longer ignored ({@link #unignored}).
 *
 * <p>Lock order: a timer's monitor, then the process's (the signal is posted under it), then a
 * pending set's. The hrtimer's action runs with no lock held and takes the timer's.
 */
public final class PosixTimer {
    /** sigev_notify values (asm-generic/siginfo.h). */
    public static final int SIGEV_SIGNAL = 0, SIGEV_NONE = 1, SIGEV_THREAD = 2, SIGEV_THREAD_ID = 4;
    private static final int DISARMED = 0, ARMED = 1, REQUEUE_PENDING = 2;

    /** What the kernel's signal code made of an expiry's signal. */
    public enum Sent {
        /** Queued now. */
        QUEUED,
        /** Its siginfo was still pending: nothing more is queued. */
        ALREADY_PENDING,
        /** The signal is ignored (and not blocked): it is not queued. */
        IGNORED,
        /** The process has gone, or the thread the timer signals has exited. */
        GONE
    }

    /** Posts a timer's signal: the Linux personality's half (posixtimer_send_sigqueue). */
    public interface Sender {
        Sent send(PosixTimer t);
    }

    /**
     * Where a timer keeps time: its base's time now, the queue that expires it, and whether it is
     * a CPU clock's (whose disarmed or fired one-shot timers read 0, as Linux clears their expiry).
     */
    public record Base(LongSupplier now, HrTimerQueue queue, boolean cpu) {}

    private final int id;
    private final int clockId;
    private final Process owner;
    private final int notify;
    private final int signo;
    private final long value;
    private final Task thread;
    private final Base base;
    private final Sender sender;
    private final HrTimer hrtimer = new HrTimer(this::expired);

    /** @GuardedBy("this") The expiry on the base (kept while disarmed, as Linux keeps it) and the interval, ns. */
    private long expiry, interval;
    /** @GuardedBy("this") */
    private int status = DISARMED;
    /** @GuardedBy("this") Intervals skipped since the signal was queued, less one (-1: none), and those of the last delivered signal. */
    private long overrun = -1, overrunLast;
    /**
     * The generation, and the generation of the signal last queued. Written under this timer's
     * monitor; volatile, as are the three flags below, for {@link #discarded}, which may not take it.
     */
    private volatile long signalSeq, sigqueueSeq;
    /** Deleted (timer_delete, exec, exit): it sends nothing any more. */
    private volatile boolean deleted;
    /** A periodic timer waiting for its ignored signal to be unignored (Linux's ignored_posix_timers). */
    private volatile boolean parked;
    /** The expiry was periodic when its signal was queued (it_sig_periodic). */
    private volatile boolean sigPeriodic;
    /** True while its siginfo is in a pending set; written under that set's lock. */
    volatile boolean queued;

    /**
     * Timer {@code id} of {@code owner} on clock {@code clockId} (as created: 0-11 or a negative
     * CPU clock), kept on {@code base}. Its expiry sends {@code signo} with si_value
     * {@code value} to the process, or to {@code thread} for SIGEV_THREAD_ID, through {@code
     * sender}; SIGEV_NONE sends nothing.
     */
    public PosixTimer(int id, int clockId, Process owner, int notify, int signo, long value, Task thread, Base base,
            Sender sender) {
        this.id = id;
        this.clockId = clockId;
        this.owner = owner;
        this.notify = notify;
        this.signo = signo;
        this.value = value;
        this.thread = thread;
        this.base = base;
        this.sender = sender;
    }

    public int id() {
        return id;
    }

    public int clockId() {
        return clockId;
    }

    public Process owner() {
        return owner;
    }

    public int signo() {
        return signo;
    }

    /** si_value, as the timer was created with it. */
    public long value() {
        return value;
    }

    /** The thread SIGEV_THREAD_ID names, or null for a process-directed signal. */
    public Task thread() {
        return thread;
    }

    /** True unless it is SIGEV_NONE: its expiries send a signal. */
    public boolean notifies() {
        return notify != SIGEV_NONE;
    }

    private boolean sigNone() {
        return notify == SIGEV_NONE;
    }

    /**
     * timer_gettime(2), as Linux's common_timer_get: {time left, interval}. A periodic timer
     * that is not armed (its signal pending, or SIGEV_NONE) is first forwarded past now; a
     * disarmed one-shot timer reads 0; an expired timer whose signal is not yet delivered reads
     * 1 ns, an expired SIGEV_NONE one 0.
     */
    public synchronized long[] get() {
        long iv = interval;
        if ((iv == 0 && status == DISARMED && !sigNone()) || (base.cpu() && expiry == 0)) {
            return new long[] {0, 0};
        }
        long now = base.now().getAsLong();
        if (iv != 0 && status != ARMED) {
            overrun += forward(now);
        }
        long remaining = expiry - now;
        if (remaining <= 0) {
            return new long[] {sigNone() ? 0 : 1, iv};
        }
        return new long[] {remaining, iv};
    }

    /**
     * timer_settime(2), as Linux's do_timer_settime and common_timer_set: a new generation (a
     * signal of the old one still pending is dropped), the overrun counts reset, and the timer
     * armed to expire at {@code value} ns (an expiry on the base when {@code absolute}, else from
     * now) and then every {@code every} ns, or disarmed when {@code value} is 0. An expiry
     * already past sends its signal at once. Returns the old setting, as {@link #get}.
     */
    public synchronized long[] set(boolean absolute, long value, long every) {
        long[] old = get();
        signalSeq++;
        parked = false; // a signal parked as ignored was the old setting's
        hrtimer.cancel();
        status = DISARMED;
        interval = value != 0 ? every : 0;
        overrunLast = 0;
        overrun = -1;
        if (value == 0) {
            if (base.cpu()) {
                expiry = 0;
            }
            return old;
        }
        long now = base.now().getAsLong();
        expiry = absolute ? value : saturatingAdd(now, value);
        if (sigNone()) {
            return old; // never queued: get() works out its expiries
        }
        if (expiry > now) {
            status = ARMED;
            base.queue().start(hrtimer, expiry);
        } else {
            queueSignal();
        }
        return old;
    }

    /** timer_getoverrun(2): the overrun of the last signal delivered, at most INT_MAX. */
    public synchronized int overrun() {
        return (int) Math.min(Integer.MAX_VALUE, overrunLast);
    }

    /** timer_delete(2), exec, exit: disarmed for good; a signal of it still pending is dropped when taken. */
    public synchronized void delete() {
        if (!deleted) {
            owner.queuedSignals().decrementAndGet(); // its preallocated siginfo's charge (RLIMIT_SIGPENDING)
        }
        deleted = true;
        signalSeq++;
        parked = false;
        hrtimer.cancel();
        status = DISARMED;
    }

    /**
     * The hrtimer's action: the expiry queues the signal. An action that was already under way
     * when the timer was set again (its lock taken meanwhile) finds the new expiry still ahead
     * and does nothing: the timer is queued for it anew.
     */
    private synchronized void expired() {
        if (!deleted && status == ARMED && base.now().getAsLong() >= expiry) {
            queueSignal();
        }
    }

    /** Linux's posix_timer_queue_signal: a periodic timer waits for its signal to be taken. */
    private void queueSignal() {
        status = interval != 0 ? REQUEUE_PENDING : DISARMED;
        if (base.cpu() && interval == 0) {
            expiry = 0; // posix-cpu-timers' cpu_timer_fire: a one-shot CPU timer is done
        }
        send();
    }

    /** Posts the signal of this generation; a periodic timer whose signal is ignored is parked (posixtimer_send_sigqueue). */
    private void send() {
        sigqueueSeq = signalSeq;
        sigPeriodic = status == REQUEUE_PENDING;
        Sent s = sender.send(this);
        if (s == Sent.IGNORED && !queued) {
            parked = sigPeriodic;
        } else if (s == Sent.QUEUED) {
            parked = false;
        }
    }

    /**
     * Its signal was taken off a pending set (delivered, sigtimedwait, a signalfd read): as
     * Linux's posixtimer_deliver_signal, -1 when the signal must be dropped (the timer was set
     * again or deleted since it was queued), else the overrun to report. A periodic timer is
     * forwarded past now and armed again; an expiry already past queues the signal again.
     */
    public synchronized long delivered() {
        if (deleted || signalSeq != sigqueueSeq) {
            return -1;
        }
        if (interval == 0 || status != REQUEUE_PENDING) {
            return 0;
        }
        long now = base.now().getAsLong();
        overrun += forward(now);
        overrunLast = overrun;
        overrun = -1;
        signalSeq++;
        if (expiry > now) {
            status = ARMED;
            base.queue().start(hrtimer, expiry);
        } else {
            queueSignal();
        }
        return Math.min(Integer.MAX_VALUE, overrunLast);
    }

    /**
     * Its pending signal was discarded because the signal became ignored (sigaction(2), Linux's
     * sigqueue_free_ignored): a live periodic timer is parked until the signal is unignored.
     * Called under the process's monitor (a SIGCONT discards the stop signals), so it does not
     * take the timer's, which comes first.
     */
    public void discarded() {
        if (!deleted && sigPeriodic && signalSeq == sigqueueSeq) {
            parked = true;
        }
    }

    /** The signal is no longer ignored (Linux's posixtimer_sig_unignore): a parked timer's signal is queued again. */
    public synchronized void unignored() {
        if (parked && !deleted) {
            parked = false;
            send();
        }
    }

    /** Moves the expiry past {@code now} by whole intervals and returns how many (Linux's hrtimer_forward). */
    private long forward(long now) {
        if (interval <= 0 || expiry > now) {
            return 0;
        }
        long n = (now - expiry) / interval + 1;
        expiry = saturatingAdd(expiry, multiplySaturated(n, interval));
        return n;
    }

    private static long multiplySaturated(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return hi != 0 || lo < 0 ? Long.MAX_VALUE : lo;
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
