package dev.phoenix.libos.sched;

/**
 * Linux's sched_prio_to_weight table (kernel/sched/core.c): the fair class's weight of each nice
 * value, each step changing a task's share by about 10% against a nice-0 task (weight 1024). The
 * scheduling classes weigh tasks by it, and the cgroup cpu controller converts cpu.weight.nice
 * through it (cpu_weight_nice_write_s64).
 */
public final class PrioWeights {
    /** A nice-0 task's weight (NICE_0_LOAD). */
    public static final int NICE_0 = 1024;

    private static final int[] BY_NICE = {
        /* -20 */ 88761, 71755, 56483, 46273, 36291,
        /* -15 */ 29154, 23254, 18705, 14949, 11916,
        /* -10 */ 9548, 7620, 6100, 4904, 3906,
        /*  -5 */ 3121, 2501, 1991, 1586, 1277,
        /*   0 */ 1024, 820, 655, 526, 423,
        /*   5 */ 335, 272, 215, 172, 137,
        /*  10 */ 110, 87, 70, 56, 45,
        /*  15 */ 36, 29, 23, 18, 15,
    };

    private PrioWeights() {
    }

    /** The weight of nice value {@code nice} (clamped to -20..19). */
    public static int ofNice(int nice) {
        return BY_NICE[Math.max(-20, Math.min(19, nice)) + 20];
    }

    /**
     * The nice value whose weight is closest to {@code weight}, the first of two equally close
     * (cpu_weight_nice_read_s64's walk down the table).
     */
    public static int niceOf(long weight) {
        long last = Long.MAX_VALUE;
        int i = 0;
        for (; i < BY_NICE.length; i++) {
            long delta = Math.abs(BY_NICE[i] - weight);
            if (delta >= last) {
                break;
            }
            last = delta;
        }
        return i - 1 - 20;
    }
}
