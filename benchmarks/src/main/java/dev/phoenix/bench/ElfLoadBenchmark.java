package dev.phoenix.bench;

import dev.phoenix.abi.ArchAbi;
import dev.phoenix.abi.elf.ElfException;
import dev.phoenix.abi.elf.ElfFile;
import dev.phoenix.abi.elf.ElfLoader;
import dev.phoenix.emu.Cpu;
import dev.phoenix.emu.Cpus;
import dev.phoenix.libos.cap.FrameAllocator;
import dev.phoenix.libos.mm.AddressSpace;
import dev.phoenix.libos.proc.Process;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ELF load: open and parse the program, create a CPU and an address space, map its segments
 * and build the initial stack (argv, envp, auxv), then tear it all down: everything exec does
 * before the first guest instruction. The programs are a small static binary and busybox.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 3, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ElfLoadBenchmark {
    /** A program: a guest from tests/guest, or a path. */
    @Param({"x86_64-musl/hello", "aarch64/hello", "riscv64/hello", "/bin/busybox"})
    public String program;

    private final SplittableRandom random = new SplittableRandom(1);

    private Path path() {
        return program.startsWith("/") ? Path.of(program) : GuestRunner.guestDir().resolve(program);
    }

    @Benchmark
    public long openAndLoad() throws ElfException {
        ElfFile elf = ElfFile.open(path());
        ArchAbi abi = ArchAbi.of(elf.arch());
        try (Cpu cpu = Cpus.open(Cpus.Engine.UNICORN, elf.arch())) {
            AddressSpace as = new AddressSpace(cpu, new FrameAllocator(1 << 20), abi.mmapBottom(), abi.mmapTop());
            try {
                Process p = new Process(1000, 999, cpu, as, path().toString());
                ElfLoader.load(elf, p, abi, List.of(program, "arg"), List.of("HOME=/", "LANG=C"), program, random);
                return as.maps().length();
            } finally {
                as.destroy();
            }
        }
    }
}
