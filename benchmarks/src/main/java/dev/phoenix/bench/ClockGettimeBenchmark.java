package dev.phoenix.bench;

import dev.phoenix.abi.elf.ElfException;
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
 * clock_gettime(CLOCK_MONOTONIC) through the vDSO (the libc's call: plain guest code plus one
 * read of the vvar doorbell page) against the same call as a raw syscall: a guest loop of
 * 1,000,000 calls ({@code tests/guest/clock_loop.c}) run to completion, reported per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 3, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ClockGettimeBenchmark {
    private static final int CALLS = 1_000_000;

    @Param({"x86_64-musl", "aarch64", "riscv64"})
    public String target;

    @Param({"vdso", "syscall"})
    public String path;

    private GuestRunner guest;

    @Setup
    public void load() throws ElfException {
        guest = new GuestRunner(target, "clock_loop");
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public int clockGettimeLoop() {
        return guest.run(path, Integer.toString(CALLS));
    }
}
