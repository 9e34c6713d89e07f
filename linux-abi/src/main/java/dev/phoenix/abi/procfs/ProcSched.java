package dev.phoenix.abi.procfs;

import dev.phoenix.libos.Clock;
import dev.phoenix.libos.proc.RunQueue;
import dev.phoenix.libos.proc.Task;
import dev.phoenix.libos.sched.SchedEntity;

/**
 * /proc/PID/sched and /proc/PID/task/TID/sched, in the layout of Linux's proc_sched_show_task
 * (kernel/sched/debug.c): a header naming the thread, its tid and its process's thread count, a
 * rule, then one field a line, the name padded to 45 columns. Phoenix gives the fields it knows,
 * in Linux's order: the CPU time used, the context switches, the load weight of the nice value,
 * policy and priority, the fair slice, and clock-delta. What it does not track (se.exec_start,
 * se.vruntime, the PELT averages, migrations, NUMA statistics) is left out, as a kernel built
 * without the option that keeps it leaves it out.
 */
final class ProcSched {
    private ProcSched() {}

    /**
     * Linux's sched_prio_to_weight (kernel/sched/core.c): the load weight of each nice value,
     * -20 first, about 1.25 times the next one's, so one nice step is about 10% of CPU time.
     */
    private static final int[] NICE_TO_WEIGHT = {
        88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916,
        9548, 7620, 6100, 4904, 3906, 3121, 2501, 1991, 1586, 1277,
        1024, 820, 655, 526, 423, 335, 272, 215, 172, 137,
        110, 87, 70, 56, 45, 36, 29, 23, 18, 15};
    /** SCHED_IDLE's weight, Linux's WEIGHT_IDLEPRIO. */
    private static final int IDLE_WEIGHT = 3;
    /** Linux's scale_load on 64-bit machines: weights carry 10 more bits of resolution. */
    private static final int LOAD_SHIFT = 10;
    private static final String RULE = "-".repeat(67);

    /**
     * The file for thread {@code t} of a process with {@code threads} threads. Times are host
     * time, so a deterministic run ({@code deterministic}) shows 0 for them.
     */
    static String text(Task t, int threads, Clock clock, boolean deterministic) {
        SchedEntity e = t.sched;
        StringBuilder sb = new StringBuilder();
        sb.append(t.comm).append(" (").append(t.tid()).append(", #threads: ").append(threads).append(")\n");
        sb.append(RULE).append('\n');
        nanos(sb, "se.sum_exec_runtime", deterministic ? 0 : e.runtimeNanos);
        long voluntary = e.voluntarySwitches, involuntary = e.involuntarySwitches;
        field(sb, "nr_switches", voluntary + involuntary);
        field(sb, "nr_voluntary_switches", voluntary);
        field(sb, "nr_involuntary_switches", involuntary);
        int policy = e.policy;
        int weight = policy == SchedEntity.SCHED_IDLE ? IDLE_WEIGHT : NICE_TO_WEIGHT[e.nice + 20];
        field(sb, "se.load.weight", (long) weight << LOAD_SHIFT);
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

    /** The slice the task's scheduling class gives it, asked under its run queue's lock. */
    private static long slice(Task t) {
        RunQueue q = t.runQueue();
        if (q == null) {
            return 0;
        }
        synchronized (q) {
            return q.scheduler().sliceNanos(t.sched);
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
