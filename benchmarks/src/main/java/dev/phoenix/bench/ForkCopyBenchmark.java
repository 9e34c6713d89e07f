package dev.phoenix.bench;

import dev.phoenix.emu.Arch;
import dev.phoenix.emu.Cpu;
import dev.phoenix.emu.Cpus;
import dev.phoenix.emu.Prot;
import dev.phoenix.libos.cap.FrameAllocator;
import dev.phoenix.libos.mm.AddressSpace;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * fork(2)'s copy of an address space, eagerly ({@link AddressSpace#forkTo}): a process of
 * {@code mib} MiB of private anonymous memory, its pages written first or never ("touched"),
 * copied onto a second engine and the copy destroyed again. The number issue 14 weighs against
 * copy-on-write: what a fork of a small and of a large process costs when every page is copied.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ForkCopyBenchmark {
    private static final long BASE = 0x10000000L;

    @Param({"1", "256"})
    public int mib;

    @Param({"true", "false"})
    public boolean touched;

    private Cpu parentCpu;
    private Cpu childCpu;
    private AddressSpace parent;

    @Setup(Level.Trial)
    public void map() {
        long length = (long) mib << 20;
        parentCpu = Cpus.open(Cpus.Engine.UNICORN, Arch.X86_64);
        childCpu = Cpus.open(Cpus.Engine.UNICORN, Arch.X86_64);
        parent = new AddressSpace(parentCpu, new FrameAllocator(length / FrameAllocator.PAGE_SIZE * 3), 0x1000,
                0x7fff0000L);
        parent.mapAnonymous(BASE, length, Prot.READ | Prot.WRITE, "heap");
        if (touched) {
            for (long off = 0; off < length; off += FrameAllocator.PAGE_SIZE) {
                parent.memory().writeLong(BASE + off, off);
            }
        }
    }

    @TearDown(Level.Trial)
    public void unmap() {
        parent.destroy();
        parentCpu.close();
        childCpu.close();
    }

    /** One fork's copy and the child's exit. */
    @Benchmark
    public void forkAndExit() {
        parent.forkTo(childCpu).destroy();
    }
}
