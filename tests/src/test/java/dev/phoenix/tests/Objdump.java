package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.tests.Guests.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What binutils' objdump says is at a symbol of a guest binary: the reference the fault reports
 * are checked against. x86_64 uses the host's objdump; the foreign arches the objdump that comes
 * with their cross compilers.
 */
final class Objdump {
    private Objdump() {}

    /** One disassembled instruction: its address and objdump's text for it. */
    record Instruction(long address, String text) {}

    private static final Pattern LINE = Pattern.compile("\\s*([0-9a-f]+):\\s+(.+)");

    /** The first instruction at {@code symbol} in {@code binary}, built for target {@code t}. */
    static Instruction at(Guests.Target t, Path binary, String symbol) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        String pkg;
        switch (t.arch) {
            case X86_64 -> {
                cmd.addAll(List.of("/usr/bin/objdump", "-M", "intel"));
                pkg = "binutils";
            }
            case AARCH64 -> {
                cmd.add("/usr/bin/aarch64-linux-gnu-objdump");
                pkg = "binutils-aarch64-linux-gnu";
            }
            // no-aliases: compressed instructions keep their c. names, as Capstone prints them.
            case RISCV64 -> {
                cmd.addAll(List.of("/usr/bin/riscv64-linux-gnu-objdump", "-M", "no-aliases"));
                pkg = "binutils-riscv64-linux-gnu";
            }
            default -> throw new IllegalArgumentException(t.toString());
        }
        assertTrue(Files.isExecutable(Path.of(cmd.getFirst())), cmd.getFirst() + " is missing: apt-get install -y " + pkg);
        cmd.addAll(List.of("-d", "--no-show-raw-insn", "--disassemble=" + symbol, binary.toString()));
        Result r = Guests.host(cmd, List.of());
        assertEquals(0, r.exit(), r.err());
        // "0000000000401745 <fault_store>:" then "  401745:\tmov    QWORD PTR [rdx],rcx"
        List<String> lines = r.out().lines().toList();
        int header = -1;
        for (int i = 0; i < lines.size() - 1 && header < 0; i++) {
            if (lines.get(i).matches("[0-9a-f]+ <" + Pattern.quote(symbol) + ">:")) {
                header = i;
            }
        }
        assertTrue(header >= 0, "objdump shows no " + symbol + " in " + binary + ":\n" + r.out());
        Matcher m = LINE.matcher(lines.get(header + 1));
        assertTrue(m.matches(), "not an instruction line: " + lines.get(header + 1));
        return new Instruction(Long.parseUnsignedLong(m.group(1), 16), m.group(2));
    }

    /** An instruction's text without spaces or case: objdump and Capstone space operands differently. */
    static String normalized(String text) {
        return text.replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
    }
}
