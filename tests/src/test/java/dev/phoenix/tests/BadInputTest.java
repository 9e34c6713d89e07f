package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bad program file is one clear line on stderr and its own exit code; never a stack trace. */
class BadInputTest {
    @TempDir
    Path dir;

    /** Runs {@code program}, made executable first (the errors below come after execve's permission check). */
    private static void assertRefused(Path program, int code, String message) {
        if (Files.isRegularFile(program)) {
            assertEquals(true, program.toFile().setExecutable(true, false), "chmod +x " + program);
        }
        Result r = Guests.phoenix("run", program.toString());
        assertEquals(new Result(code, "", "phoenix: " + program + ": " + message + "\n"), r);
    }

    private Path patched(String name, int offset, byte... values) throws IOException {
        byte[] b = Files.readAllBytes(Guests.binary(Target.X86_64_GLIBC, "hello"));
        System.arraycopy(values, 0, b, offset, values.length);
        Path p = dir.resolve(name);
        Files.write(p, b);
        return p;
    }

    @Test
    void straceOutputThatCannotBeWrittenIsAUsageError() {
        Path trace = dir.resolve("no-such-dir/trace.txt");
        assertEquals(new Result(2, "", "phoenix: cannot write --strace-output " + trace + ": no such directory\n"),
                Guests.phoenix("run", "-o", trace.toString(), Guests.binary(Target.X86_64_MUSL, "hello").toString()));
        assertEquals(new Result(2, "", "phoenix: cannot write --strace-output " + dir + ": is a directory\n"),
                Guests.phoenix("run", "-o", dir.toString(), Guests.binary(Target.X86_64_MUSL, "hello").toString()));
    }

    @Test
    void missingFile() {
        assertRefused(dir.resolve("no-such-program"), 66, "no such file");
    }

    @Test
    void noExecutePermission() throws IOException {
        Path copy = dir.resolve("hello-0644");
        Files.copy(Guests.binary(Target.X86_64_MUSL, "hello"), copy);
        assertEquals(true, copy.toFile().setExecutable(false, false), "chmod -x " + copy);
        assertEquals(new Result(126, "", "phoenix: " + copy + ": permission denied: the file is not executable (chmod +x)\n"),
                Guests.phoenix("run", copy.toString()));
        assertEquals(true, copy.toFile().setExecutable(true, true), "chmod u+x " + copy);
        assertEquals(new Result(0, "hello, world\n", ""), Guests.phoenix("run", copy.toString()));
    }

    @Test
    void directory() {
        assertRefused(dir, 67, "is a directory or not a regular file (a directory)");
    }

    @Test
    void notElf() throws IOException {
        Path script = dir.resolve("script.sh");
        Files.writeString(script, "#!/bin/sh\necho hi\n");
        assertRefused(script, 69, "not an ELF file (bad magic number)");
        Path tiny = dir.resolve("tiny");
        Files.write(tiny, new byte[] {0x7f, 'E'});
        assertRefused(tiny, 69, "not an ELF file (file too short)");
        Path empty = dir.resolve("empty");
        Files.write(empty, new byte[0]);
        assertRefused(empty, 69, "not an ELF file (file too short)");
    }

    @Test
    void thirtyTwoBitElf() throws IOException {
        assertRefused(patched("elf32", 4, (byte) 1), 71,
                "32-bit ELF files are not supported; Phoenix runs 64-bit x86_64, aarch64 and riscv64 programs (ELFCLASS32)");
    }

    @Test
    void bigEndianElf() throws IOException {
        assertRefused(patched("big-endian", 5, (byte) 2), 72, "big-endian ELF files are not supported (ELFDATA2MSB)");
    }

    @Test
    void unsupportedMachine() throws IOException {
        // EM_PPC64 (21) as a 64-bit little-endian file.
        assertRefused(patched("ppc64", 18, (byte) 21, (byte) 0), 73,
                "unsupported machine (e_machine 21; supported: x86_64 (62), aarch64 (183), riscv64 (243))");
    }

    @Test
    void truncatedHeaders() throws IOException {
        byte[] b = Files.readAllBytes(Guests.binary(Target.X86_64_GLIBC, "hello"));
        Path shortHeader = dir.resolve("short-header");
        Files.write(shortHeader, Arrays.copyOf(b, 40));
        assertRefused(shortHeader, 74, "truncated or malformed ELF headers (file is 40 bytes, the ELF header needs 64)");
        Path noPhdrs = dir.resolve("no-program-headers");
        Files.write(noPhdrs, Arrays.copyOf(b, 100));
        assertRefused(noPhdrs, 74, "truncated or malformed ELF headers (program headers end beyond the file)");
    }

    @Test
    void loadSegmentBeyondEndOfFile() throws IOException {
        byte[] b = Files.readAllBytes(Guests.binary(Target.X86_64_GLIBC, "hello"));
        Path cut = dir.resolve("cut");
        Files.write(cut, Arrays.copyOf(b, 8192));
        assertEquals(true, cut.toFile().setExecutable(true, false), "chmod +x " + cut);
        Result r = Guests.phoenix("run", cut.toString());
        assertEquals(75, r.exit());
        assertEquals("", r.out());
        String prefix = "phoenix: " + cut + ": a PT_LOAD segment lies beyond the end of the file (offset 0x";
        assertEquals(true, r.err().startsWith(prefix) && r.err().endsWith(" > file size 0x2000)\n")
                && r.err().lines().count() == 1, r.err());
    }

    /** glibc's and musl's dynamic loaders: ld-linux-x86-64.so.2 and ld-musl-x86_64.so.1. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = Target.class, names = {"X86_64_GLIBC", "X86_64_MUSL"})
    void dynamicExecutableRunsWithItsInterpreter(Target t) throws Exception {
        Guests.runsAsExpected(t, "hello-dynamic", new Result(0, "hello, world\n", ""));
    }

    /** A rootfs holding only {@code program} (copied in as /prog), for interpreter errors. */
    private Path rootfsWith(Path program) throws IOException {
        Path root = dir.resolve("root");
        Files.createDirectories(root);
        Files.copy(program, root.resolve("prog"));
        assertEquals(true, root.resolve("prog").toFile().setExecutable(true, false));
        return root;
    }

    @Test
    void missingInterpreterNamesWhatWasLookedForAndHowToGetIt() throws IOException {
        Path root = rootfsWith(Guests.binary(Target.X86_64_GLIBC, "hello-dynamic"));
        assertEquals(new Result(76, "", "phoenix: /prog in rootfs " + root + ": its interpreter (dynamic loader) was "
                + "not found; give a sysroot holding it with -L DIR (phoenix sysroot --arch ARCH DIR PACKAGE makes one) "
                + "(looked for /lib64/ld-linux-x86-64.so.2 in " + root + ")\n"),
                Guests.phoenix("run", "--rootfs", root.toString(), "/prog"));
        Path empty = dir.resolve("empty-sysroot");
        Files.createDirectories(empty);
        assertEquals(new Result(76, "", "phoenix: /prog in rootfs " + root + ": its interpreter (dynamic loader) was "
                + "not found; give a sysroot holding it with -L DIR (phoenix sysroot --arch ARCH DIR PACKAGE makes one) "
                + "(looked for /lib64/ld-linux-x86-64.so.2 in " + empty + " and then in " + root + ")\n"),
                Guests.phoenix("run", "--rootfs", root.toString(), "-L", empty.toString(), "/prog"));
    }

    @Test
    void interpreterOfAnotherMachineIsRefused() throws IOException {
        Path root = rootfsWith(Guests.binary(Target.X86_64_GLIBC, "hello-dynamic"));
        Files.createDirectories(root.resolve("lib64"));
        Files.copy(Guests.binary(Target.AARCH64, "hello"), root.resolve("lib64/ld-linux-x86-64.so.2"));
        assertEquals(true, root.resolve("lib64/ld-linux-x86-64.so.2").toFile().setExecutable(true, false));
        assertEquals(new Result(80, "", "phoenix: /prog in rootfs " + root + ": its interpreter is for another machine "
                + "(/lib64/ld-linux-x86-64.so.2 is for aarch64, the program for x86_64)\n"),
                Guests.phoenix("run", "--rootfs", root.toString(), "/prog"));
    }

    @Test
    void interpreterThatIsNoElfFileIsRefused() throws IOException {
        Path root = rootfsWith(Guests.binary(Target.X86_64_GLIBC, "hello-dynamic"));
        Files.createDirectories(root.resolve("lib64"));
        Files.writeString(root.resolve("lib64/ld-linux-x86-64.so.2"), "#!/bin/sh\n");
        assertEquals(true, root.resolve("lib64/ld-linux-x86-64.so.2").toFile().setExecutable(true, false));
        assertEquals(new Result(69, "", "phoenix: /lib64/ld-linux-x86-64.so.2 (interpreter of /prog): not an ELF file "
                + "(bad magic number)\n"), Guests.phoenix("run", "--rootfs", root.toString(), "/prog"));
    }

    @Test
    void relocatableObject() throws IOException {
        ByteBuffer type = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort(0, (short) 1);
        assertRefused(patched("object.o", 16, type.array()), 77,
                "not an executable (ELF type is neither ET_EXEC nor ET_DYN) (e_type 1)");
    }

    /** A copy of {@code target}'s hello with PT_LOAD {@code index}'s 64-bit field at {@code field} set to {@code value}. */
    private Path withSegmentField(Target target, int index, int field, long value) throws IOException {
        byte[] b = Files.readAllBytes(Guests.binary(target, "hello"));
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long phoff = bb.getLong(32);
        int load = -1;
        for (int i = 0; i < bb.getShort(56); i++) {
            if (bb.getInt((int) phoff + 56 * i) == 1 && ++load == index) {
                bb.putLong((int) phoff + 56 * i + field, value);
            }
        }
        Path p = dir.resolve(target.dir + "-load" + index + "-" + field + "-" + Long.toHexString(value));
        Files.write(p, b);
        return p;
    }

    /** The PT_LOAD {@code index} of {@code target}'s hello: {p_offset, p_vaddr, p_filesz, p_memsz}. */
    private static long[] segment(Target target, int index) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(Files.readAllBytes(Guests.binary(target, "hello"))).order(ByteOrder.LITTLE_ENDIAN);
        long phoff = bb.getLong(32);
        int load = -1;
        for (int i = 0; i < bb.getShort(56); i++) {
            int o = (int) phoff + 56 * i;
            if (bb.getInt(o) == 1 && ++load == index) {
                return new long[] {bb.getLong(o + 8), bb.getLong(o + 16), bb.getLong(o + 32), bb.getLong(o + 40)};
            }
        }
        throw new AssertionError(target + " hello has no PT_LOAD " + index);
    }

    /**
     * A PT_LOAD far larger than a process may hold (128 TiB of bss) is refused at once, as Linux's
     * binfmt_elf refuses it (execve fails with ENOMEM), instead of being mapped page by page.
     */
    @ParameterizedTest
    @MethodSource("hugeMemszTargets")
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard, not a speed assertion
    void hugeSegmentIsRefused(Target target) throws IOException {
        long[] last = segment(target, target == Target.X86_64_MUSL ? 3 : 1);
        Path p = withSegmentField(target, target == Target.X86_64_MUSL ? 3 : 1, 40, 0x7ff000000000L);
        assertRefused(p, 78, String.format("a PT_LOAD segment cannot be mapped"
                + " (vaddr 0x%x memsz 0x7ff000000000: more memory than the 16 GiB a process may hold)", last[1]));
    }

    static Stream<Target> hugeMemszTargets() {
        return Stream.of(Target.X86_64_MUSL, Target.AARCH64);
    }

    @Test
    void segmentAboveTheAddressSpaceIsRefused() throws IOException {
        long[] s = segment(Target.RISCV64, 1);
        long vaddr = (1L << 39) + (s[1] & 0xfff); // above riscv64's 256 GiB (Sv39) user space
        assertRefused(withSegmentField(Target.RISCV64, 1, 16, vaddr), 78, String.format(
                "a PT_LOAD segment cannot be mapped (vaddr 0x%x memsz 0x%x:"
                        + " outside 0x10000-0x3fb7ff0000)", vaddr, s[3]));
    }

    @Test
    void segmentAtPageZeroIsRefused() throws IOException {
        long[] s = segment(Target.X86_64_MUSL, 0);
        assertRefused(withSegmentField(Target.X86_64_MUSL, 0, 16, 0), 78, String.format(
                "a PT_LOAD segment cannot be mapped (vaddr 0x0 memsz 0x%x:"
                        + " outside 0x10000-0x7ffff7ff0000)", s[3]));
    }

    @Test
    void segmentOverTheVdsoIsRefused() throws IOException {
        long[] s = segment(Target.X86_64_MUSL, 2);
        long vaddr = 0x7ffff7ff0000L - 0x1000 + (s[1] & 0xfff); // the last page below x86_64's mmap area top
        assertRefused(withSegmentField(Target.X86_64_MUSL, 2, 16, vaddr), 78, String.format(
                "a PT_LOAD segment cannot be mapped (vaddr 0x%x memsz 0x%x: over [vdso])", vaddr, s[3]));
    }

    @Test
    void overlappingSegmentsAreRefused() throws IOException {
        long[] first = segment(Target.X86_64_MUSL, 0);
        long[] second = segment(Target.X86_64_MUSL, 1);
        long vaddr = first[1] + (second[1] & 0xfff); // onto the first segment, its page offset kept
        assertRefused(withSegmentField(Target.X86_64_MUSL, 1, 16, vaddr), 78, String.format(
                "a PT_LOAD segment cannot be mapped (PT_LOAD 0x%x-0x%x overlaps 0x%x-0x%x)",
                vaddr, vaddr + second[3], first[1], first[1] + first[3]));
    }

    @Test
    void fileSizeAboveMemorySizeIsRefused() throws IOException {
        long[] s = segment(Target.AARCH64, 1);
        assertRefused(withSegmentField(Target.AARCH64, 1, 40, s[2] - 1), 78, String.format(
                "a PT_LOAD segment cannot be mapped (p_filesz 0x%x > p_memsz 0x%x)",
                s[2], s[2] - 1));
    }

    @Test
    void entryOutsideEverySegmentIsRefused() throws IOException {
        assertRefused(patched("entry-0", 24, new byte[8]), 74,
                "truncated or malformed ELF headers (e_entry 0x0 lies in no PT_LOAD segment)");
    }

    @Test
    void tooManyProgramHeadersAreRefused() throws IOException {
        // Linux reads at most 64 KiB of program headers (binfmt_elf's load_elf_phdrs).
        assertRefused(patched("phnum", 56, (byte) 0xff, (byte) 0xff), 74,
                "truncated or malformed ELF headers (e_phnum 65535: more than 64 KiB of program headers)");
    }

    /** The exit codes of a refused program (README's table). */
    private static final Set<Integer> REFUSED = Set.of(66, 67, 68, 69, 71, 72, 73, 74, 75, 76, 77, 78, 80, 126);

    static Stream<MalformedElf.Case> malformedElfCorpus() throws IOException {
        return Stream.of(Target.X86_64_MUSL, Target.AARCH64, Target.RISCV64).flatMap(t -> {
            try {
                return MalformedElf.of(t.dir, Files.readAllBytes(Guests.binary(t, "hello"))).stream();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /**
     * Every malformed variant of hello either runs (to its end, or to a signal reported in one
     * line) or is refused with one line naming the file and a documented exit code: never exit 70,
     * never a Java stack trace, never a hang.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedElfCorpus")
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard, not a speed assertion
    void malformedElfRunsOrIsRefusedInOneLine(MalformedElf.Case c) throws IOException {
        Path p = dir.resolve("malformed");
        Files.write(p, c.bytes());
        assertEquals(true, p.toFile().setExecutable(true, false), "chmod +x " + p);
        Result r = Guests.phoenix("run", p.toString());
        String what = c + ": " + r;
        assertEquals(false, r.err().contains("\tat ") || r.err().contains("Exception") || r.err().contains("internal"),
                what);
        if (REFUSED.contains(r.exit())) {
            assertEquals("", r.out(), what);
            assertEquals(true, r.err().startsWith("phoenix: " + p + ": ") && r.err().indexOf('\n') == r.err().length() - 1,
                    what);
        } else if (r.exit() == 0) {
            assertEquals("", r.err(), what); // ran to its end (what it printed depends on the bytes it was given)
        } else {
            assertEquals(true, r.exit() > 128 && r.exit() < 128 + 65, what); // killed by a signal
        }
    }

    @Test
    void missingProgramArgumentIsAUsageError() {
        assertEquals(new Result(2, "", "phoenix: missing required parameter: 'PROGRAM'\nTry 'phoenix run --help'.\n"),
                Guests.phoenix("run"));
    }

    @Test
    void badEnvOptionIsAUsageError() {
        Result r = Guests.phoenix("run", "-E", "NOEQUALS", Guests.binary(Target.X86_64_MUSL, "hello").toString());
        assertEquals(new Result(2, "", "phoenix: --env takes NAME=VALUE, got 'NOEQUALS'\n"
                + "Try 'phoenix run --help'.\n"), r);
    }
}
