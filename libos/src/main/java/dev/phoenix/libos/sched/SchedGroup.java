package dev.phoenix.libos.sched;

import java.util.function.LongSupplier;

/**
 * What the scheduler knows of a cgroup with the cpu controller (Linux's {@code struct
 * task_group}): its place under its parent, its share of the parent's CPU ({@link #shares},
 * Linux's tg->shares, 1024 for cpu.weight 100) and its bandwidth (cpu.max: at most {@code quota}
 * nanoseconds of CPU per {@code period}, kernel/sched/fair.c's cfs_bandwidth) with cpu.stat's
 * counts. A {@link SchedEntity} names the group it runs in ({@link SchedEntity#group}; null for
 * the root, which has neither weight nor limit). Runners on any thread charge the CPU their
 * tasks used ({@link #charge}); a group whose period's quota is spent, or one of whose ancestors'
 * is, is throttled: its tasks are not picked until the period ends.
 *
 * <p>Periods are kept lazily on the kernel's clock: each look at a group first moves it to the
 * period {@code now} falls in. Linux refills the runtime each period; here what a group ran past
 * its quota (a turn charged at its end can pass it) is carried into the next periods as a debt,
 * so the average rate is the quota's however turns fall. One lock per group (this object); a
 * chain is walked one group at a time, never two locks at once.
 */
public final class SchedGroup {
    /** No quota: cpu.max "max". */
    public static final long NO_QUOTA = Long.MAX_VALUE;

    private final SchedGroup parent;
    private final LongSupplier clock;
    /** The weight against sibling groups and tasks, in nice-0 units of 1024 (tg->shares). */
    private volatile long shares = PrioWeights.NICE_0;

    /** @GuardedBy("this") cpu.max in nanoseconds. */
    private long quota = NO_QUOTA, period = 100_000_000L;
    /** @GuardedBy("this") When the current period began; Long.MIN_VALUE before the first charge. */
    private long periodStart = Long.MIN_VALUE;
    /** @GuardedBy("this") CPU charged in the current period, with any debt carried from earlier ones. */
    private long used;
    /** @GuardedBy("this") When the throttle ends (the period's end), 0 when not throttled; and when it began. */
    private long throttledUntil, throttledSince;
    /** @GuardedBy("this") Whether the current period has been counted in nr_periods. */
    private boolean periodCounted;
    /** @GuardedBy("this") cpu.stat: nr_periods, nr_throttled, throttled time (ns). */
    private long nrPeriods, nrThrottled, throttledNanos;

    /** A group below {@code parent} (null: a child of the root) whose periods follow {@code clock} (ns). */
    public SchedGroup(SchedGroup parent, LongSupplier clock) {
        this.parent = parent;
        this.clock = clock;
    }

    /** The group above, or null below the root. */
    public SchedGroup parent() {
        return parent;
    }

    /** Its weight in 1024ths of a nice-0 task (Linux's tg->shares). */
    public long shares() {
        return shares;
    }

    /** Sets the weight (sched_group_set_shares), at least 2 as Linux's MIN_SHARES. */
    public void setShares(long shares) {
        this.shares = Math.max(2, Math.min(1L << 18, shares));
    }

    /** cpu.weight (1-10000) as shares: weight·1024/100 rounded (sched_weight_from_cgroup). */
    public static long sharesOfWeight(long weight) {
        return (weight * PrioWeights.NICE_0 + 50) / 100;
    }

    /** Shares as cpu.weight shows them: shares·100/1024 rounded, within 1-10000 (sched_weight_to_cgroup). */
    public static long weightOfShares(long shares) {
        return Math.max(1, Math.min(10_000, (shares * 100 + PrioWeights.NICE_0 / 2) / PrioWeights.NICE_0));
    }

    /**
     * Sets cpu.max (tg_set_cfs_bandwidth): {@code quotaNanos} per {@code periodNanos}
     * ({@link #NO_QUOTA}: none). A throttle in progress ends and the period starts again.
     */
    public synchronized void setBandwidth(long quotaNanos, long periodNanos) {
        long now = clock.getAsLong();
        endThrottle(now);
        quota = quotaNanos;
        period = periodNanos;
        periodStart = Long.MIN_VALUE;
        used = 0;
    }

    /** Adds {@code nanos} of CPU one of its tasks ran to this group and every group above it. */
    public void charge(long nanos) {
        if (nanos <= 0) {
            return;
        }
        long now = clock.getAsLong();
        for (SchedGroup g = this; g != null; g = g.parent) {
            g.chargeOne(nanos, now);
        }
    }

    private synchronized void chargeOne(long nanos, long now) {
        if (quota == NO_QUOTA) {
            return;
        }
        refresh(now);
        if (periodStart == Long.MIN_VALUE) {
            periodStart = now;
        }
        if (!periodCounted) {
            periodCounted = true;
            nrPeriods++;
        }
        used += nanos;
        throttleIfSpent(now);
    }

    /** Throttles the group until its period ends once the period's quota is spent. */
    private void throttleIfSpent(long since) {
        if (used >= quota && throttledUntil == 0) {
            throttledUntil = periodStart + period;
            throttledSince = since;
            nrThrottled++;
        }
    }

    /** Moves the books to the period {@code now} falls in: the quota of each period passed pays the debt. */
    private void refresh(long now) {
        if (quota == NO_QUOTA || periodStart == Long.MIN_VALUE || now - periodStart < period) {
            return;
        }
        long passed = (now - periodStart) / period;
        long end = periodStart + period; // a throttle ends with the period it began in
        if (throttledUntil != 0) {
            throttledNanos += Math.max(0, end - throttledSince);
            throttledUntil = 0;
        }
        used = passed > used / quota ? 0 : used - passed * quota;
        periodStart += passed * period;
        periodCounted = false;
        if (used >= quota) { // a debt of more than a quota: the new period starts throttled
            nrPeriods++;
            periodCounted = true;
            throttleIfSpent(periodStart);
        }
    }

    private void endThrottle(long now) {
        refresh(now);
        if (throttledUntil != 0) {
            throttledNanos += Math.max(0, now - throttledSince);
            throttledUntil = 0;
        }
    }

    /**
     * When the throttle of this group or of a group above it ends (the latest of them), or 0 when
     * its tasks may run now.
     */
    public long throttledUntil() {
        long now = clock.getAsLong();
        long until = 0;
        for (SchedGroup g = this; g != null; g = g.parent) {
            synchronized (g) {
                g.refresh(now);
                until = Math.max(until, g.throttledUntil);
            }
        }
        return until;
    }

    /**
     * The CPU its tasks may still use in this period, the least left in it and the groups above
     * ({@link #NO_QUOTA}: no limit); 0 when throttled.
     */
    public long remainingNanos() {
        long now = clock.getAsLong();
        long left = NO_QUOTA;
        for (SchedGroup g = this; g != null; g = g.parent) {
            synchronized (g) {
                if (g.quota == NO_QUOTA) {
                    continue;
                }
                g.refresh(now);
                left = Math.min(left, Math.max(0, g.quota - g.used));
            }
        }
        return left;
    }

    /** True when this group or one above it has a quota. */
    public boolean limited() {
        for (SchedGroup g = this; g != null; g = g.parent) {
            synchronized (g) {
                if (g.quota != NO_QUOTA) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * cpu.stat's bandwidth figures: {nr_periods, nr_throttled, throttled nanoseconds}, a throttle
     * in progress counted up to now.
     */
    public synchronized long[] stat() {
        long now = clock.getAsLong();
        refresh(now);
        long throttled = throttledNanos + (throttledUntil != 0 ? Math.max(0, now - throttledSince) : 0);
        return new long[] {nrPeriods, nrThrottled, throttled};
    }
}
