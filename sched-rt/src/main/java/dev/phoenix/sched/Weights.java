package dev.phoenix.sched;

import dev.phoenix.libos.sched.PrioWeights;
import dev.phoenix.libos.sched.SchedEntity;

/**
 * The fair class's weights: Linux's sched_prio_to_weight table ({@link PrioWeights}), where each
 * nice step changes a task's share by about 10% against a nice-0 task (weight 1024), and
 * SCHED_IDLE's weight 3 (WEIGHT_IDLEPRIO).
 */
public final class Weights {
    /** A nice-0 task's weight (NICE_0_LOAD). */
    public static final int NICE_0 = PrioWeights.NICE_0;
    /** A SCHED_IDLE task's weight. */
    public static final int IDLE = 3;

    private Weights() {
    }

    /** The weight of nice value {@code nice} (clamped to -20..19). */
    public static int ofNice(int nice) {
        return PrioWeights.ofNice(nice);
    }

    /** The weight {@code e} has in the fair class now. */
    public static int of(SchedEntity e) {
        return e.policy == SchedEntity.SCHED_IDLE ? IDLE : ofNice(e.nice);
    }
}
