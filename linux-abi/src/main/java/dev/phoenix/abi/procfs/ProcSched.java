package dev.phoenix.abi.procfs;

import dev.phoenix.libos.Clock;
import dev.phoenix.libos.proc.RunQueue;
import dev.phoenix.libos.proc.Task;
import dev.phoenix.libos.sched.SchedEntity;
import dev.phoenix.sched.Weights;

/**
 * /proc/PID/sched and /proc/PID/task/TID/sched, in the layout of Linux's proc_sched_show_task
 * (kernel/sched/debug.c): a header naming the thread, its tid and its process's thread count, a
 * rule, then one field a line, the name padded to 45 columns. Phoenix gives the fields it knows,
 * in Linux's order: the CPU time used, the context switches, the load weight (the fair class's,
 * {@link Weights}, scaled as Linux shows it), policy and priority, the fair slice, and
 * clock-delta. What it does not track (se.exec_start, se.vruntime, the PELT averages,
 * migrations, NUMA statistics) is left out, as a kernel built without the option that keeps it
 * leaves it out.
 */
final class ProcSched {
    private ProcSched() {}

    /** Linux's scale_load on 64-bit machines: weights carry 10 more bits of resolution. */
    private static final int LOAD_SHIFT = 10;
    private static final String RULE = "-".repeat(67);

    /**
     * The file for thread {@code t} of a process with {@code threads} threads. The CPU time is
     * what the runner charged (instructions in a deterministic run); clock-delta, two readings of
     * the kernel's clock, is 0 in a deterministic run, whose clock moves as it is read.
     */
    static String text(Task t, int threads, Clock clock, boolean deterministic) {
        SchedEntity e = t.sched;
        StringBuilder sb = new StringBuilder();
        sb.append(t.comm).append(" (").append(t.tid()).append(", #threads: ").append(threads).append(")\n");
        sb.append(RULE).append('\n');
        nanos(sb, "se.sum_exec_runtime", e.runtimeNanos);
        long voluntary = e.voluntarySwitches, involuntary = e.involuntarySwitches;
        field(sb, "nr_switches", voluntary + involuntary);
        field(sb, "nr_voluntary_switches", voluntary);
        field(sb, "nr_involuntary_switches", involuntary);
        int policy = e.policy;
        field(sb, "se.load.weight", (long) Weights.of(e) << LOAD_SHIFT);
        field(sb, "policy", policy);
        field(sb, "prio", e.prio());
        if (policy == SchedEntity.SCHED_OTHER || policy == SchedEntity.SCHED_BATCH) {
            field(sb, "se.slice", slice(t));
        }
        long delta = 0;
        if (!deterministic) {
            long t0 = clock.monotonicNanos();
            delta = clock.monotonicNanos() - t0;
        }
        field(sb, "clock-delta", delta);
        return sb.toString();
    }

    /** The slice the task's scheduling class gives it (a fair turn's request), asked under its run queue's lock. */
    private static long slice(Task t) {
        RunQueue q = t.runQueue();
        if (q == null) {
            return 0;
        }
        synchronized (q) {
            return q.scheduler().rrIntervalNanos(t.sched);
        }
    }

    /** Linux's P: the name, then the value right-aligned in 21 columns. */
    private static void field(StringBuilder sb, String name, long value) {
        sb.append(String.format("%-45s:%21d%n", name, value));
    }

    /** Linux's PN: nanoseconds as milliseconds with six decimals (SPLIT_NS). */
    private static void nanos(StringBuilder sb, String name, long ns) {
        sb.append(String.format("%-45s:%14d.%06d%n", name, ns / 1_000_000, Math.abs(ns % 1_000_000)));
    }
}
