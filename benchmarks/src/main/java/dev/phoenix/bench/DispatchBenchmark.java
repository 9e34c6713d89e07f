package dev.phoenix.bench;

import dev.phoenix.abi.ArchAbi;
import dev.phoenix.abi.syscall.Dispatcher;
import dev.phoenix.abi.syscall.EnosysLog;
import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.abi.syscall.SyscallTable;
import dev.phoenix.emu.Arch;
import dev.phoenix.emu.Cpu;
import dev.phoenix.emu.Cpus;
import dev.phoenix.libos.cap.FrameAllocator;
import dev.phoenix.libos.mm.AddressSpace;
import dev.phoenix.libos.proc.Process;
import java.io.OutputStream;
import java.io.PrintStream;
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
 * The Java half of a syscall alone: {@link Dispatcher#syscall} called from Java with the
 * registers a guest would pass (table lookup, handler, errno mapping), no guest code and no
 * engine crossing. Set against {@link SyscallRoundTripBenchmark}, it splits a trapped syscall's
 * cost between Phoenix's dispatch and Unicorn's hook, the FFM upcall and the register reads and
 * writes around it. {@code getppid} is the success path; {@code close(-1)} the errno path (an
 * {@code Errno} thrown by the fd table and turned into -EBADF).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class DispatchBenchmark {
    /** x86_64 syscall numbers. */
    private static final long GETPPID = 110, CLOSE = 3;

    @Param({"getppid", "close-ebadf"})
    public String call;

    private Cpu cpu;
    private AddressSpace as;
    private Dispatcher dispatcher;
    private long nr;
    private long a0;

    @Setup
    public void setUp() {
        cpu = Cpus.open(Cpus.Engine.UNICORN, Arch.X86_64);
        ArchAbi abi = ArchAbi.of(Arch.X86_64);
        as = new AddressSpace(cpu, new FrameAllocator(16), abi.mmapBottom(), abi.mmapTop());
        Process process = new Process(1000, 999, cpu, as, "/bench");
        // No kernel: getppid and close read only the process; nothing is traced or warned.
        dispatcher = new Dispatcher(SyscallTable.of(Arch.X86_64), new SyscallContext(null, abi, process.mainTask()),
                new PrintStream(OutputStream.nullOutputStream()), null, new EnosysLog());
        nr = call.equals("getppid") ? GETPPID : CLOSE;
        a0 = call.equals("getppid") ? 0 : -1;
        long expected = call.equals("getppid") ? 999 : -9; // EBADF
        if (dispatcher.syscall(cpu, nr, a0, 0, 0, 0, 0, 0) != expected) {
            throw new IllegalStateException(call + " did not return " + expected);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        as.destroy();
        cpu.close();
    }

    @Benchmark
    public long dispatch() {
        return dispatcher.syscall(cpu, nr, a0, 0, 0, 0, 0, 0);
    }
}
