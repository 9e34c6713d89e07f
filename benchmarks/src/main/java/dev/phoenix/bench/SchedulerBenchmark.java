package dev.phoenix.bench;

import dev.phoenix.libos.sched.SchedEntity;
import dev.phoenix.libos.sched.SchedGroup;
import dev.phoenix.sched.ClassScheduler;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Pick-next of Phoenix's scheduler ({@link ClassScheduler}) with {@code tasks} runnable tasks:
 * one turn's bookkeeping as the run queue does it: pick the next task, charge it the slice it was
 * granted, and queue it again. {@code fair} tasks have mixed nice values (the Beatty class's two
 * heaps); {@code fifo} tasks have mixed real-time priorities (the bitmap of FIFO queues).
 * {@code groups} above 0 spreads the tasks over that many cgroups with the cpu controller
 * (weights 100, 200, ...): the group scheduling's cost, the throttle check at each pick and the
 * effective weights (no task blocks here, so no group's books change).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2)
public class SchedulerBenchmark {
    @Param({"10", "100", "1000"})
    public int tasks;

    @Param({"fair", "fifo"})
    public String kind;

    @Param({"0", "4"})
    public int groups;

    private ClassScheduler scheduler;

    @Setup(Level.Trial)
    public void fill() {
        scheduler = new ClassScheduler(10_000_000L);
        SchedGroup[] gs = new SchedGroup[groups];
        for (int g = 0; g < groups; g++) {
            gs[g] = new SchedGroup(null, System::nanoTime);
            gs[g].setShares(SchedGroup.sharesOfWeight(100L * (g + 1)));
        }
        for (int i = 0; i < tasks; i++) {
            SchedEntity e = new SchedEntity(i);
            e.group = groups == 0 ? null : gs[i % groups];
            if (kind.equals("fifo")) {
                e.policy = SchedEntity.SCHED_FIFO;
                e.rtPriority = 1 + i % 99;
            } else {
                e.nice = i % 40 - 20;
            }
            scheduler.enqueue(e);
        }
    }

    @Benchmark
    public SchedEntity pickRunRequeue() {
        SchedEntity e = scheduler.pickNext();
        long slice = scheduler.sliceNanos(e);
        e.runtimeNanos += slice == Long.MAX_VALUE ? 1_000_000 : slice;
        scheduler.enqueue(e);
        return e;
    }
}
