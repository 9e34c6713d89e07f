package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.tests.Guests.Result;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code phoenix sysroot}, for real: libc6 for aarch64 (three small packages) fetched from the
 * Debian mirror into one directory that every test here looks at, then fetched again.
 */
class SysrootTest {
    /** ELF's e_machine for AArch64 (EM_AARCH64). */
    private static final int EM_AARCH64 = 183;
    /** {@code phoenix sysroot: [3/3] libc6 2.36-9+deb12u14 (2.3 MB)} */
    private static final Pattern PROGRESS =
            Pattern.compile("phoenix sysroot: \\[(\\d+)/(\\d+)] ([a-z0-9+.-]+) (\\S+) \\(\\d+\\.\\d (kB|MB)\\)");

    @TempDir
    static Path tmp;
    private static Path root;
    private static Result first;
    private static Result second;

    @BeforeAll
    static void fetchTwice() {
        root = tmp.resolve("arm64-root");
        first = Guests.phoenix("sysroot", "--arch", "aarch64", root.toString(), "libc6");
        second = Guests.phoenix("sysroot", "--arch", "arm64", root.toString(), "libc6");
    }

    @Test
    void firstRunFetchesLibc6AndWhatItDependsOnWithALineEach() {
        assertEquals(0, first.exit(), first.err());
        assertEquals("", first.out());
        List<String> lines = first.err().lines().toList();
        assertEquals("phoenix sysroot: updating the package lists of bookworm for arm64 from ", lines.get(0).replaceAll("http\\S+$", ""));
        List<String> progress = lines.subList(1, lines.size() - 1);
        for (int i = 0; i < progress.size(); i++) {
            Matcher m = PROGRESS.matcher(progress.get(i));
            assertTrue(m.matches(), progress.get(i));
            assertEquals(List.of(String.valueOf(i + 1), String.valueOf(progress.size())), List.of(m.group(1), m.group(2)));
        }
        List<String> names = progress.stream().map(l -> l.split(" ")[3]).toList();
        assertTrue(names.containsAll(List.of("libc6", "libgcc-s1")), names.toString());
        String summary = lines.get(lines.size() - 1);
        int n = progress.size();
        assertTrue(summary.matches("phoenix sysroot: " + n + " packages in " + Pattern.quote(root.toString()) + ": " + n
                + " fetched \\(\\d+\\.\\d MB\\), 0 already present \\(\\d+\\.\\d s\\)"), summary);
    }

    @Test
    void ldSoIsAnAarch64ElfThroughTheMergedLib() throws IOException {
        assertEquals(0, first.exit(), first.err());
        for (String name : List.of("lib", "lib64", "bin", "sbin")) {
            assertEquals(Path.of("usr", name), Files.readSymbolicLink(root.resolve(name)), name);
        }
        assertEquals(EM_AARCH64, elfMachine(root.resolve("lib/ld-linux-aarch64.so.1")));
        assertEquals(EM_AARCH64, elfMachine(root.resolve("usr/lib/aarch64-linux-gnu/libc.so.6")));
    }

    @Test
    void secondRunFetchesNothing() {
        assertEquals(0, second.exit(), second.err());
        int packages = first.err().lines().toList().size() - 2;
        assertTrue(second.err().matches("phoenix sysroot: nothing to fetch: all " + packages + " packages already present in "
                + Pattern.quote(root.toString()) + " \\(\\d+\\.\\d s\\)\n"), second.err());
    }

    @Test
    void aPackageThatDoesNotExistIsOneLineAndItsOwnExitCode() {
        Result r = Guests.phoenix("sysroot", "--arch", "aarch64", root.toString(), "nosuch");
        assertEquals(new Result(81, "", "phoenix sysroot: no package 'nosuch' for arm64 in bookworm\n"), r);
    }

    @Test
    void anotherArchInTheSameDirIsAUsageError() {
        Result r = Guests.phoenix("sysroot", "--arch", "riscv64", root.toString(), "libc6");
        assertEquals(new Result(2, "", "phoenix: " + root + " is a sysroot for arm64 bookworm, not riscv64 trixie: "
                + "use another DIR\nTry 'phoenix sysroot --help'.\n"), r);
    }

    @Test
    void badInputIsAUsageErrorWithoutAStackTrace() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertEquals(new Result(2, "", "phoenix: unknown --arch 'sparc': use x86_64, aarch64 or riscv64\n"
                + "Try 'phoenix sysroot --help'.\n"), Guests.phoenix("sysroot", "--arch", "sparc", root.toString(), "libc6"));
        assertEquals(new Result(2, "", "phoenix: " + file + " is not a directory\nTry 'phoenix sysroot --help'.\n"),
                Guests.phoenix("sysroot", "--arch", "aarch64", file.toString(), "libc6"));
        assertEquals(new Result(2, "", "phoenix: missing required parameter: 'PACKAGE'\nTry 'phoenix sysroot --help'.\n"),
                Guests.phoenix("sysroot", "--arch", "aarch64", root.toString()));
    }

    @Test
    void helpExplainsTheCommandAndItsExitCodes() {
        Result r = Guests.phoenix("sysroot", "--help");
        assertEquals(0, r.exit());
        for (String s : List.of("--arch=ARCH", "--suite=SUITE", "--update", "DIR", "PACKAGE", "Pre-Depends", "trixie",
                "81  a PACKAGE does not exist", "82  apt-get, the mirror or the network failed", "83  a .deb could not")) {
            assertTrue(r.out().contains(s), "sysroot --help lacks " + s + ":\n" + r.out());
        }
    }

    /** e_machine of the ELF file at {@code path}, after checking it is a 64-bit little-endian ELF. */
    private static int elfMachine(Path path) throws IOException {
        byte[] header = new byte[20];
        try (InputStream in = Files.newInputStream(path)) {
            assertEquals(header.length, in.readNBytes(header, 0, header.length), path.toString());
        }
        ByteBuffer b = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x464c457f, b.getInt(0), path + " is not an ELF file");
        assertEquals(List.of((byte) 2, (byte) 1), List.of(header[4], header[5]), path + ": ELFCLASS64, ELFDATA2LSB");
        return Short.toUnsignedInt(b.getShort(18));
    }
}
