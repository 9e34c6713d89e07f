package dev.phoenix.bench;

import dev.phoenix.abi.elf.ElfException;
import dev.phoenix.abi.elf.ElfSections;
import dev.phoenix.emu.Arch;
import dev.phoenix.emu.capstone.CapstoneDisassembler;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * x86-64 decoding speed over busybox's .text (about 400,000 instructions), a linear sweep: Capstone
 * 5 through FFM (cs_disasm_iter into one reused cs_insn, one downcall per instruction: its
 * fastest path). Issue 20 adds Phoenix's own decoder beside it; the goal is 5x Capstone's rate
 * with no allocation per instruction ({@code -prof gc}). One operation is one sweep of the
 * section: instructions per second = the instruction count printed at setup / the time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class X86DecodeBenchmark {
    private Arena arena;
    private MemorySegment text;
    private long address;
    private CapstoneDisassembler capstone;

    @Setup(Level.Trial)
    public void load() throws ElfException {
        ElfSections elf = ElfSections.read(Path.of("/bin/busybox"), "/bin/busybox");
        ElfSections.Section s = elf.sections().stream().filter(x -> x.name().equals(".text")).findFirst().orElseThrow();
        arena = Arena.ofShared();
        text = arena.allocate(s.size(), 64);
        MemorySegment.copy(MemorySegment.ofArray(elf.contents(s)), 0, text, 0, s.size());
        address = s.address();
        capstone = CapstoneDisassembler.forArch(Arch.X86_64);
        System.out.println("busybox .text: " + s.size() + " bytes, " + capstone.sweep(text, address) + " instructions");
    }

    @TearDown(Level.Trial)
    public void close() {
        capstone.close();
        arena.close();
    }

    @Benchmark
    public long capstone() {
        return capstone.sweep(text, address);
    }
}
