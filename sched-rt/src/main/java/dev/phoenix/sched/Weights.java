package dev.phoenix.sched;

import dev.phoenix.libos.sched.SchedEntity;

/**
 * The fair class's weights: Linux's sched_prio_to_weight table (kernel/sched/core.c), where each
 * nice step changes a task's share by about 10% against a nice-0 task (weight 1024), and
 * SCHED_IDLE's weight 3 (WEIGHT_IDLEPRIO).
 */
public final class Weights {
    /** A nice-0 task's weight (NICE_0_LOAD). */
    public static final int NICE_0 = 1024;
    /** A SCHED_IDLE task's weight. */
    public static final int IDLE = 3;

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

    private Weights() {
    }

    /** The weight of nice value {@code nice} (clamped to -20..19). */
    public static int ofNice(int nice) {
        return BY_NICE[Math.max(-20, Math.min(19, nice)) + 20];
    }

    /** The weight {@code e} has in the fair class now. */
    public static int of(SchedEntity e) {
        return e.policy == SchedEntity.SCHED_IDLE ? IDLE : ofNice(e.nice);
    }
}
