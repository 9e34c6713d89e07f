package dev.phoenix.sched;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.sched.FairnessHarness.Lag;
import dev.phoenix.sched.FairnessHarness.Workload;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fair class's lag bound, measured by {@link FairnessHarness}: at most one quantum for fixed
 * sets of any weights (EEVDF's bound), and within 1.5 quanta while tasks join, leave and change
 * weight (a leaving task's lag is handed to the others at once, which no scheduler can undo in
 * the same instant; the EEVDF reference measures the same). The other collision rule, the
 * earliest due turn alone, is measured to be worse: the reason the class checks eligibility.
 */
class FairnessTest {
    private static final int TURNS = 20_000;

    @Test
    void lagStaysWithinOneQuantumForAnyFixedSetOfWeights() {
        Random r = new Random(1);
        for (int set = 0; set < 30; set++) {
            int tasks = 2 + r.nextInt(39);
            int[] nices = new int[1 + r.nextInt(6)];
            for (int i = 0; i < nices.length; i++) {
                nices[i] = r.nextInt(40) - 20;
            }
            Workload w = new Workload("random", tasks, tasks, 0, nices);
            Lag lag = FairnessHarness.run(new FairnessHarness.ClassPolicy(new ClassScheduler(FairnessHarness.QUANTUM)),
                    w, set, TURNS);
            assertTrue(lag.worst() <= 1.0 + 1e-6, "set " + set + " (" + tasks + " tasks): worst lag " + lag.worst());
        }
    }

    @Test
    void lagStaysWithinOneAndAHalfQuantaWhileTasksJoinLeaveAndRenice() {
        for (Workload w : FairnessHarness.WORKLOADS) {
            Lag lag = FairnessHarness.run(new FairnessHarness.ClassPolicy(new ClassScheduler(FairnessHarness.QUANTUM)),
                    w, 7, TURNS);
            assertTrue(lag.worst() <= 1.5, w.name() + ": worst lag " + lag.worst());
            assertTrue(lag.mean() <= 0.4, w.name() + ": mean lag " + lag.mean());
        }
    }

    @Test
    void theEarliestDueTurnAloneLetsLagGrowPastTwoQuanta() {
        Workload w = FairnessHarness.WORKLOADS.get(0);
        Lag lag = FairnessHarness.run(new FairnessHarness.ClassPolicy(new ClassScheduler(FairnessHarness.QUANTUM, false)),
                w, 7, TURNS);
        assertTrue(lag.worst() > 2, "worst lag " + lag.worst());
    }
}
