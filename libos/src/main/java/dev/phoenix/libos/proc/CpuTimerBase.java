package dev.phoenix.libos.proc;

import dev.phoenix.libos.Clock;
import dev.phoenix.libos.HrTimer;
import dev.phoenix.libos.HrTimerQueue;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The CPU-time timers of a thread or of a process (Linux's posix_cputimers, one base per CPU
 * clock): two {@link HrTimerQueue}s keyed in nanoseconds of CPU time, one for user time (the
 * VIRT clock: ITIMER_VIRTUAL, the CPUCLOCK_VIRT clocks) and one for all of it (PROF and SCHED,
 * which Phoenix's exact accounting makes equal: ITIMER_PROF, CLOCK_*_CPUTIME_ID).
 *
 * <p>CPU time passes only while the owner runs, so a timer is due only then. Linux looks at its
 * CPU timers at every tick of a running task; Phoenix makes one projection instead: when the
 * owner starts a turn (or a timer is armed while it runs) it arms a timer on the kernel clock's
 * monotonic queue for the moment the earliest CPU timer would be due if the owner ran on without
 * a break. When that fires the base expires what is due by the CPU time then and projects again;
 * at a turn's end it expires what is due and drops the projection. CPU time never runs faster
 * than the clock, so a projection never fires late; one that fires early (user time does not
 * pass in a syscall, nor while the host runs another thread in the runner's place) projects again,
 * at least {@link #RETRY_NANOS} later. On a virtual clock the
 * projection is one of the clock's timers, so the runner counts instructions up to it and a
 * guest spinning without syscalls meets its CPU timer at the same instruction in every run.
 */
public final class CpuTimerBase {
    /** How soon a projection that found nothing due may look again: Linux's tick at HZ=1000. */
    static final long RETRY_NANOS = 1_000_000;

    private final Clock clock;
    private final Supplier<CpuTimes.Sample> sampler;
    private final BooleanSupplier running;
    private final HrTimerQueue user = new HrTimerQueue(this::reproject);
    private final HrTimerQueue total = new HrTimerQueue(this::reproject);
    private final HrTimer projection = new HrTimer(this::projected);

    /**
     * A base on {@code clock} for an owner whose CPU times now {@code sampler} gives, and which
     * {@code running} says runs now.
     */
    CpuTimerBase(Clock clock, Supplier<CpuTimes.Sample> sampler, BooleanSupplier running) {
        this.clock = clock;
        this.sampler = sampler;
        this.running = running;
    }

    /** The queue of user-time timers ({@code userTime}) or of total-CPU-time ones. */
    public HrTimerQueue queue(boolean userTime) {
        return userTime ? user : total;
    }

    /** The owner's CPU times now. */
    public CpuTimes.Sample sample() {
        return sampler.get();
    }

    /** The time now on the queue {@code userTime} names: user time, or all of it. */
    public long now(boolean userTime) {
        CpuTimes.Sample s = sample();
        return userTime ? s.user() : s.total();
    }

    /** Runs the timers due by the owner's CPU times now. */
    public void expire() {
        CpuTimes.Sample s = sampler.get();
        user.expire(s.user());
        total.expire(s.total());
    }

    /**
     * The owner runs from clock time {@code now}: arms the projection for when its earliest
     * timer would be due (at once, if one is due already), or drops it when none is armed.
     */
    public void project(long now) {
        project(now, 0);
    }

    private void project(long now, long atLeast) {
        CpuTimes.Sample s = sampler.get();
        long left = Math.min(until(user.nextExpiry(), s.user()), until(total.nextExpiry(), s.total()));
        if (left == Long.MAX_VALUE) {
            projection.cancel();
            return;
        }
        long wait = Math.max(left, atLeast);
        clock.timers().start(projection, wait > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + wait);
    }

    private static long until(long expiry, long now) {
        return expiry == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, expiry - now);
    }

    /** The owner's turn ended: what is due runs, and no projection waits while it does not run. */
    public void stopped() {
        expire();
        projection.cancel();
    }

    /** The projection's time came: what is due runs, and while the owner runs the next projection is armed. */
    private void projected() {
        CpuTimes.Sample before = sampler.get();
        long due = Math.min(user.nextExpiry() - before.user(), total.nextExpiry() - before.total());
        expire();
        if (running.getAsBoolean()) {
            project(clock.kernelNanos(), due > 0 ? RETRY_NANOS : 0);
        }
    }

    /** A timer became the earliest of a queue: while the owner runs, the projection moves to it. */
    private void reproject() {
        if (running.getAsBoolean()) {
            project(clock.kernelNanos());
        }
    }

    /** The owner is gone: no timer of it will run any more. */
    void stop() {
        projection.cancel();
    }
}
