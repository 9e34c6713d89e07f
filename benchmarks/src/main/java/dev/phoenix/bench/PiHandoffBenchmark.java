package dev.phoenix.bench;

import dev.phoenix.libos.VirtualClock;
import dev.phoenix.libos.proc.FutexPiState;
import dev.phoenix.libos.proc.PiChains;
import dev.phoenix.libos.proc.Process;
import dev.phoenix.libos.proc.RunQueue;
import dev.phoenix.libos.proc.Task;
import dev.phoenix.libos.sched.SchedEntity;
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
 * A PI futex changing hands, as FUTEX_LOCK_PI and FUTEX_UNLOCK_PI do it in the kernel's books
 * ({@link PiChains}, a {@link FutexPiState}, tasks on a run queue of {@link ClassScheduler}): a
 * SCHED_FIFO 50 task blocks on a futex a fair task owns, which inherits its priority (the run
 * queue moves it to the real-time class); the owner hands the futex over, falling back to its
 * own priority; the new owner lets it go uncontended and the old one takes it back for the next
 * round. The owner is itself blocked on a futex another task owns, and so on for {@code chain}
 * tasks in all, so the priority travels the whole chain and back on every handoff.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2)
public class PiHandoffBenchmark {
    @Param({"1", "10", "100"})
    public int chain;

    private Task owner, waiter;
    private FutexPiState futex;

    @Setup(Level.Trial)
    public void build() {
        RunQueue queue = new RunQueue(new ClassScheduler(10_000_000L), new VirtualClock(0), null);
        Process p = new Process(100, 1, null, null, "/bin/bench");
        Task[] t = new Task[chain + 1];
        t[0] = p.mainTask();
        for (int i = 1; i <= chain; i++) {
            t[i] = p.newThread(t[0], 100 + i, true, true);
        }
        for (Task task : t) {
            queue.start(task);
        }
        synchronized (PiChains.LOCK) {
            for (int i = 1; i < chain; i++) { // t[i] waits on a futex t[i + 1] owns
                FutexPiState f = new FutexPiState(p, 0x1000L * i);
                PiChains.addOwner(f, t[i + 1]);
                PiChains.enqueue(t[i], f);
            }
            futex = new FutexPiState(p, 0);
            PiChains.addOwner(futex, t[1]);
        }
        owner = t[1];
        waiter = t[0];
        waiter.sched.policy = SchedEntity.SCHED_FIFO;
        waiter.sched.rtPriority = 50;
    }

    @Benchmark
    public int lockAndHandOver() {
        synchronized (PiChains.LOCK) {
            PiChains.enqueue(waiter, futex); // FUTEX_LOCK_PI blocks: the chain inherits
            PiChains.handOver(futex, owner, waiter); // FUTEX_UNLOCK_PI: the waiter owns it
            PiChains.removeOwner(futex, waiter); // and lets go at once (uncontended)
            PiChains.addOwner(futex, owner); // the next round's owner takes it again
        }
        return owner.sched.prio();
    }
}
