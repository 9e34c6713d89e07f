package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code phoenix disasm} against GNU objdump ({@code objdump -d -z --no-show-raw-insn}, the
 * binutils of each arch): the same instruction addresses, in order, over every executable section
 * of the test guests, busybox, bash-static and a static Go program (gojq); objdump's layout (the
 * file line, section headers, labels, "address:TAB mnemonic operands"); and its errors.
 */
class DisasmTest {
    /** "  401000:\t..." — an instruction line of objdump's layout. */
    private static final Pattern LINE = Pattern.compile("(?m)^ *([0-9a-f]+):\t(.*)$");

    private static String objdump(Target t) {
        return switch (t.arch) {
            case X86_64 -> "objdump";
            case AARCH64 -> "aarch64-linux-gnu-objdump";
            case RISCV64 -> "riscv64-linux-gnu-objdump";
        };
    }

    /** The instruction addresses of a listing, in order. */
    private static List<String> addresses(String listing) {
        Matcher m = LINE.matcher(listing);
        return Stream.iterate(m.find(), found -> found, found -> m.find()).map(found -> m.group(1)).toList();
    }

    private static void sameBoundaries(String objdump, Path file) throws Exception {
        Result ours = Guests.phoenix("disasm", file.toString());
        assertEquals(0, ours.exit(), ours.err());
        Result theirs = Guests.host(List.of(objdump, "-d", "-z", "--no-show-raw-insn", file.toString()),
                List.of("PATH=/usr/bin:/bin", "LC_ALL=C"));
        assertEquals(0, theirs.exit(), theirs.err());
        List<String> a = addresses(ours.out()), b = addresses(theirs.out());
        assertTrue(b.size() > 100, "objdump listed " + b.size() + " instructions of " + file);
        assertEquals(b, a, "instruction boundaries of " + file);
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void guestBoundariesAreObjdumps(Target t) throws Exception {
        sameBoundaries(objdump(t), Guests.binary(t, "hello"));
    }

    static Stream<Path> debianPrograms() throws Exception {
        return Stream.of(Path.of("/bin/busybox"), Path.of("/bin/bash-static"), Guests.goPrograms().resolve("amd64/gojq"),
                Guests.goPrograms().resolve("arm64/gojq"));
    }

    @ParameterizedTest
    @MethodSource("debianPrograms")
    void debianProgramBoundariesAreObjdumps(Path program) throws Exception {
        sameBoundaries(program.toString().contains("arm64") ? "aarch64-linux-gnu-objdump" : "objdump", program);
    }

    @Test
    void layoutIsObjdumps() throws Exception {
        Result r = Guests.phoenix("disasm", "/bin/busybox");
        assertEquals(0, r.exit(), r.err());
        // busybox is stripped: each executable section is one range, labelled with its name.
        String head = String.join("\n", r.out().lines().limit(10).toList());
        assertEquals("""

                /bin/busybox:     file format elf64-x86-64


                Disassembly of section .init:

                0000000000401000 <.init>:
                  401000:\tsub    rsp, 8
                  401004:\tmov    rax, 0
                  40100b:\ttest   rax, rax""", head);
        assertTrue(r.out().contains("\n  401016:\tret\n"), "an instruction without operands has no padding");
        Result att = Guests.phoenix("disasm", "--syntax", "att", "/bin/busybox");
        assertTrue(att.out().contains("\n  401000:\tsubq   $8, %rsp\n"), att.out().lines().limit(10).toList().toString());
    }

    @Test
    void symbolsLabelTheirRanges() throws Exception {
        Result r = Guests.phoenix("disasm", Guests.binary(Target.X86_64_GLIBC, "hello").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(Pattern.compile("(?m)^[0-9a-f]{16} <main>:$").matcher(r.out()).find(), "main's label");
    }

    /**
     * Hostile section headers and symbol tables: 300 copies of a program with random bytes written
     * over its section header table, string tables or symbols each give a listing or one line and
     * exit code 74, never an exception.
     */
    @Test
    void corruptedSectionsAreOneLineOrAListing(@TempDir Path tmp) throws Exception {
        byte[] elf = Files.readAllBytes(Guests.binary(Target.X86_64_MUSL, "hello"));
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(elf).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int shoff = (int) b.getLong(40);
        java.util.Random random = new java.util.Random(20);
        Path p = tmp.resolve("mutant");
        for (int i = 0; i < 300; i++) {
            byte[] m = elf.clone();
            int from = i % 3 == 0 ? 40 : i % 3 == 1 ? shoff : random.nextInt(elf.length - 64);
            for (int k = random.nextInt(8) + 1; k > 0; k--) {
                m[Math.min(m.length - 1, from + random.nextInt(i % 3 == 0 ? 24 : 640))] = (byte) random.nextInt(256);
            }
            Files.write(p, m);
            Result r = Guests.phoenix("disasm", p.toString());
            assertTrue(r.exit() == 0 && r.err().isEmpty()
                    || r.exit() >= 66 && r.exit() <= 78 && r.err().startsWith("phoenix: ") && r.err().lines().count() == 1,
                    "mutant " + i + ": exit " + r.exit() + ", " + r.err());
        }
    }

    @Test
    void errorsAreOneLineWithTheirCodes(@TempDir Path tmp) throws Exception {
        assertEquals(new Result(66, "", "phoenix: /no/such/file: no such file\n"), Guests.phoenix("disasm", "/no/such/file"));
        Path text = Files.writeString(tmp.resolve("notes.txt"), "not a program\n");
        assertEquals(new Result(69, "", "phoenix: " + text + ": not an ELF file (bad magic number)\n"),
                Guests.phoenix("disasm", text.toString()));
        Path cut = tmp.resolve("cut");
        byte[] elf = Files.readAllBytes(Guests.binary(Target.AARCH64, "hello"));
        Files.write(cut, java.util.Arrays.copyOf(elf, 40));
        Result r = Guests.phoenix("disasm", cut.toString());
        assertEquals(74, r.exit(), r.err());
        Result att = Guests.phoenix("disasm", "--syntax", "att", Guests.binary(Target.AARCH64, "hello").toString());
        assertEquals(2, att.exit());
        assertTrue(att.err().contains("--syntax att is for x86_64 files"), att.err());
    }
}
