package dev.phoenix.bench;

import dev.phoenix.emu.Arch;
import dev.phoenix.emu.Cpu;
import dev.phoenix.emu.Cpus;
import dev.phoenix.emu.Prot;
import dev.phoenix.libos.cap.FrameAllocator;
import dev.phoenix.libos.mm.AddressSpace;
import dev.phoenix.libos.mm.GuestMemory;
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
 * Guest memory as syscall handlers touch it, through {@link GuestMemory}: a 64-bit load and
 * store (struct fields: timespec, sigaction) and bulk copies of {@code size} bytes (read(2) and
 * write(2) buffers), each with its mapping and permission lookup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class GuestMemoryBenchmark {
    private static final long BASE = 0x10000000L;
    private static final long LENGTH = 1 << 20;

    /** A read(2)/write(2) buffer of {@code size} bytes. */
    @State(Scope.Thread)
    public static class Buffer {
        @Param({"64", "4096", "65536"})
        public int size;

        byte[] bytes;

        @Setup(Level.Trial)
        public void allocate() {
            bytes = new byte[size];
        }
    }

    private Cpu cpu;
    private AddressSpace space;
    private GuestMemory memory;
    private long at;

    @Setup(Level.Trial)
    public void map() {
        cpu = Cpus.open(Cpus.Engine.UNICORN, Arch.X86_64);
        space = new AddressSpace(cpu, new FrameAllocator(LENGTH / FrameAllocator.PAGE_SIZE * 2), 0x1000, 0x7fff0000L);
        space.mapAnonymous(BASE, LENGTH, Prot.READ | Prot.WRITE, "bench");
        memory = space.memory();
        memory.write(BASE, new byte[(int) LENGTH]); // touch every page once
    }

    @TearDown(Level.Trial)
    public void unmap() {
        space.destroy();
        cpu.close();
    }

    /** Walks the mapping so successive calls hit different pages, as real handlers do. */
    private long next(int span) {
        at = (at + 4096 + 8) % (LENGTH - span);
        return BASE + at;
    }

    @Benchmark
    public long readLong() {
        return memory.readLong(next(8));
    }

    @Benchmark
    public void writeLong() {
        memory.writeLong(next(8), at);
    }

    @Benchmark
    public byte[] readBytes(Buffer b) {
        memory.read(next(b.size), b.bytes, 0, b.size);
        return b.bytes;
    }

    @Benchmark
    public void writeBytes(Buffer b) {
        memory.write(next(b.size), b.bytes, 0, b.size);
    }
}
