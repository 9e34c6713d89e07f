package dev.phoenix.bench;

import dev.phoenix.abi.elf.ElfException;
import dev.phoenix.abi.elf.ElfSections;
import dev.phoenix.emu.Arch;
import dev.phoenix.emu.capstone.CapstoneDisassembler;
import dev.phoenix.x86.AttPrinter;
import dev.phoenix.x86.Insn;
import dev.phoenix.x86.IntelPrinter;
import dev.phoenix.x86.X86Decoder;
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
 * fastest path, which also formats the text), Phoenix's decoder alone (lengths and the decoded
 * form, what an engine needs) and Phoenix's decoder with the Intel printer (the same text as
 * Capstone, into one reused StringBuilder). The goal is 5x Capstone's rate with no allocation per
 * instruction ({@code -prof gc}). One operation is one sweep of the section: instructions per
 * second = the instruction count printed at setup / the time.
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
    private byte[] code;
    private final Insn insn = new Insn();
    private final StringBuilder line = new StringBuilder(128);

    @Setup(Level.Trial)
    public void load() throws ElfException {
        ElfSections elf = ElfSections.read(Path.of("/bin/busybox"), "/bin/busybox");
        ElfSections.Section s = elf.sections().stream().filter(x -> x.name().equals(".text")).findFirst().orElseThrow();
        arena = Arena.ofShared();
        text = arena.allocate(s.size(), 64);
        MemorySegment.copy(MemorySegment.ofArray(elf.contents(s)), 0, text, 0, s.size());
        address = s.address();
        code = elf.contents(s);
        capstone = CapstoneDisassembler.forArch(Arch.X86_64);
        System.out.println("busybox .text: " + s.size() + " bytes, " + capstone.sweep(text, address) + " instructions (Capstone), "
                + phoenixDecode() + " (Phoenix)");
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

    /** Phoenix's decoder: a linear sweep, an undecodable byte skipped as Capstone's sweep skips it. */
    @Benchmark
    public long phoenixDecode() {
        long count = 0;
        byte[] c = code;
        for (int at = 0; at < c.length; ) {
            int n = X86Decoder.decode(c, at, c.length - at, insn);
            at += n > 0 ? n : 1;
            count++;
        }
        return count;
    }

    /** Phoenix's decoder and Intel printer: Capstone's text for every instruction. */
    @Benchmark
    public long phoenixDecodeAndPrint() {
        long count = 0;
        byte[] c = code;
        for (int at = 0; at < c.length; ) {
            int n = X86Decoder.decode(c, at, c.length - at, insn);
            if (n > 0) {
                line.setLength(0);
                count += IntelPrinter.print(insn, address + at, line);
                at += n;
            } else {
                at++;
            }
        }
        return count;
    }

    /** Phoenix's decoder and AT&T printer (the Intel text rewritten in place). */
    @Benchmark
    public long phoenixDecodeAndPrintAtt() {
        long count = 0;
        byte[] c = code;
        for (int at = 0; at < c.length; ) {
            int n = X86Decoder.decode(c, at, c.length - at, insn);
            if (n > 0) {
                line.setLength(0);
                count += AttPrinter.print(insn, address + at, line);
                at += n;
            } else {
                at++;
            }
        }
        return count;
    }
}
