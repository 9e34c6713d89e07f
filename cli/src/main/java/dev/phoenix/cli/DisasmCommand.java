package dev.phoenix.cli;

import dev.phoenix.abi.elf.ElfException;
import dev.phoenix.abi.elf.ElfSections;
import dev.phoenix.abi.elf.ElfSections.Section;
import dev.phoenix.abi.elf.ElfSections.Symbol;
import dev.phoenix.emu.Arch;
import dev.phoenix.emu.Disassembler;
import dev.phoenix.emu.Disassemblers;
import dev.phoenix.emu.NativeLibraries;
import dev.phoenix.emu.X86Disassembler;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code phoenix disasm}: the instructions of an ELF file's executable sections by a linear sweep,
 * in the layout of {@code objdump -d --no-show-raw-insn}. Each symbol's range is swept on its own,
 * as objdump sweeps from symbol to symbol, so data between functions does not shift the
 * boundaries of the next one; a stripped section is one range. Bytes that do not decode print as
 * {@code (bad)} and are skipped (one byte on x86_64, an instruction's minimum elsewhere).
 * x86_64 is Phoenix's own decoder and printers ({@link X86Disassembler}, Intel or AT&T); aarch64
 * and riscv64 are Capstone's.
 */
@Command(name = "disasm", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Disassemble the executable sections of an ELF file (x86_64, aarch64 or riscv64).",
            "One instruction per line, as objdump -d --no-show-raw-insn lays them out."},
        footer = {"", "Examples:", "  phoenix disasm /bin/busybox", "  phoenix disasm --syntax att ./prog | less",
            "", "Exit codes: 0 done; 2 bad usage; 66-78 the file cannot be read as ELF (as phoenix run); "
                + "79 Capstone is missing (aarch64, riscv64)."})
final class DisasmCommand implements Callable<Integer> {
    /** Assembly syntaxes. */
    enum Syntax { intel, att }

    @ParentCommand
    Main parent;

    @Option(names = "--syntax", paramLabel = "SYNTAX",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}; att is for x86_64 only).")
    Syntax syntax = Syntax.intel;

    @Parameters(index = "0", paramLabel = "FILE", description = "An ELF file: a program, shared object or object file.")
    String file;

    @Override
    public Integer call() {
        PrintStream err = new PrintStream(parent.stdio().err(), true, StandardCharsets.UTF_8);
        ElfSections elf;
        try {
            elf = ElfSections.read(Path.of(file), file);
        } catch (ElfException e) {
            err.println("phoenix: " + e.getMessage());
            return e.error().exitCode();
        } catch (java.nio.file.InvalidPathException e) {
            err.println("phoenix: " + file + ": not a valid path");
            return ExitCodes.USAGE;
        }
        if (syntax == Syntax.att && elf.arch() != Arch.X86_64) {
            return Main.usageError(err, "phoenix disasm", "--syntax att is for x86_64 files; " + file + " is "
                    + elf.arch().unameMachine());
        }
        Writer out = new BufferedWriter(new OutputStreamWriter(parent.stdio().out(), StandardCharsets.UTF_8), 1 << 16);
        try (Disassembler d = syntax == Syntax.att ? new X86Disassembler(true) : Disassemblers.forArch(elf.arch())) {
            out.write("\n" + file + ":     file format " + format(elf.arch()) + "\n\n");
            for (Section s : elf.sections()) {
                if (s.executable()) {
                    section(out, d, elf, s);
                }
            }
            out.flush();
        } catch (NativeLibraries.MissingLibraryException e) {
            err.println("phoenix: " + e.getMessage());
            return ExitCodes.NATIVE_LIBRARY;
        } catch (IOException | UncheckedIOException e) {
            err.println("phoenix: cannot write the disassembly: " + e.getMessage());
            return ExitCodes.INTERNAL;
        }
        return 0;
    }

    /** objdump's name for the file's format. */
    private static String format(Arch arch) {
        return switch (arch) {
            case X86_64 -> "elf64-x86-64";
            case AARCH64 -> "elf64-littleaarch64";
            case RISCV64 -> "elf64-littleriscv";
        };
    }

    /** Bytes to skip after an undecodable one, and the most one instruction can take. */
    private static int badStep(Arch arch) {
        return switch (arch) {
            case X86_64 -> 1;
            case AARCH64 -> 4;
            case RISCV64 -> 2;
        };
    }

    private static void section(Writer out, Disassembler d, ElfSections elf, Section s) throws IOException {
        out.write("\nDisassembly of section " + s.name() + ":\n");
        byte[] code = elf.contents(s);
        // The labels: each address's first symbol, and the section's name where no symbol starts it.
        Map<Long, String> labels = new TreeMap<>();
        for (Symbol sym : elf.symbols()) {
            long at = sym.value() - s.address();
            if (sym.section() == s.index() && at >= 0 && at < code.length) {
                labels.putIfAbsent(at, sym.name());
            }
        }
        labels.putIfAbsent(0L, s.name());
        Long[] starts = labels.keySet().toArray(Long[]::new);
        int step = badStep(elf.arch());
        StringBuilder line = new StringBuilder(96);
        for (int i = 0; i < starts.length; i++) {
            int from = (int) (long) starts[i];
            int to = i + 1 < starts.length ? (int) (long) starts[i + 1] : code.length;
            out.write(String.format("\n%016x <%s>:\n", s.address() + from, labels.get(starts[i])));
            for (int at = from; at < to; ) {
                long address = s.address() + at;
                Disassembler.Instruction insn = d.decode(code, at, Math.min(16, to - at), address);
                line.setLength(0);
                line.append(String.format("%8x:\t", address));
                int size;
                if (insn == null || insn.size() <= 0) {
                    line.append("(bad)");
                    size = Math.min(step, to - at);
                } else {
                    line.append(insn.operands().isEmpty() ? insn.mnemonic() : String.format("%-6s %s", insn.mnemonic(), insn.operands()));
                    size = insn.size();
                }
                out.write(line.append('\n').toString());
                at += size;
            }
        }
    }
}
