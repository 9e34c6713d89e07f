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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void dynamicExecutable() {
        assertRefused(Guests.binary(Target.X86_64_GLIBC, "hello-dynamic"), 76,
                "dynamically linked executables are not supported yet; link the program with -static"
                        + " (it asks for an interpreter (PT_INTERP))");
    }

    @Test
    void relocatableObject() throws IOException {
        ByteBuffer type = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort(0, (short) 1);
        assertRefused(patched("object.o", 16, type.array()), 77,
                "not an executable (ELF type is neither ET_EXEC nor ET_DYN) (e_type 1)");
    }

    @Test
    void missingProgramArgumentIsAUsageError() {
        Result r = Guests.phoenix("run");
        assertEquals(2, r.exit());
        assertEquals(true, r.err().startsWith("Missing required parameter: 'PROGRAM'"), r.err());
    }

    @Test
    void badEnvOptionIsAUsageError() {
        Result r = Guests.phoenix("run", "-E", "NOEQUALS", Guests.binary(Target.X86_64_MUSL, "hello").toString());
        assertEquals(new Result(2, "", "phoenix: --env takes NAME=VALUE, got 'NOEQUALS'\n"), r);
    }
}
