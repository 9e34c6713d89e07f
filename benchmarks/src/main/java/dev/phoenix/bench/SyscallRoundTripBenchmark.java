package dev.phoenix.bench;

import dev.phoenix.abi.LinuxKernel;
import dev.phoenix.abi.elf.ElfException;
import dev.phoenix.abi.elf.ElfFile;
import dev.phoenix.emu.Cpus;
import dev.phoenix.libos.Clock;
import dev.phoenix.libos.fs.OpenFile;
import dev.phoenix.libos.fs.StdioFile;
import dev.phoenix.libos.proc.ExitStatus;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Guest-to-Java syscall round trip: a guest loop of 1,000,000 getppid syscalls
 * ({@code tests/guest/getppid_loop.c}) run to completion, reported per syscall. Process
 * creation and loading are included and amortised over the million calls (about 1%).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class SyscallRoundTripBenchmark {
    private static final int CALLS = 1_000_000;

    @Param({"x86_64-musl", "aarch64", "riscv64"})
    public String target;

    private ElfFile elf;
    private LinuxKernel kernel;

    @Setup
    public void load() throws ElfException {
        Path dir = Path.of(System.getProperty("phoenix.guest.dir", "tests/target/guest"));
        elf = ElfFile.open(dir.resolve(target).resolve("getppid_loop"));
        kernel = new LinuxKernel(new LinuxKernel.Options("bench", Path.of("/"), Clock.HOST,
                new PrintStream(OutputStream.nullOutputStream()), null, null, Cpus.Engine.UNICORN));
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public int getppidLoop() {
        OpenFile[] stdio = {new StdioFile(null, null, -1), new StdioFile(null, OutputStream.nullOutputStream(), -1),
            new StdioFile(null, OutputStream.nullOutputStream(), -1)};
        ExitStatus st = kernel.run(elf, "getppid_loop", List.of("getppid_loop", Integer.toString(CALLS)), List.of(), stdio);
        if (st.shellStatus() != 0) {
            throw new IllegalStateException("guest failed: " + st);
        }
        return st.code();
    }
}
