package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** File syscalls with their errno values on every target, the same as a native x86_64 run. */
class FilesTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Target.class)
    void fileSyscallsBehaveAsOnLinux(Target t) throws Exception {
        Path underPhoenix = Files.createDirectories(tmp.resolve("phoenix/work"));
        Path nativeDir = Files.createDirectories(tmp.resolve("native/work"));
        Result r = Guests.phoenix("run", "-i", Guests.binary(t, "files").toString(), underPhoenix.toString());
        Result nativeRun = Guests.host(List.of(Guests.binary(Target.X86_64_GLIBC, "files").toString(),
                nativeDir.toString()), List.of());
        assertEquals(0, nativeRun.exit(), nativeRun.err());
        assertEquals(nativeRun, r);
        // Spot checks, so the test does not rest on the host alone.
        String out = r.out();
        for (String line : List.of("pwrite at 7 = 5", "content: hello, FILES", "open(a.txt, O_CREAT|O_EXCL) = -1 EEXIST",
                "open(a.txt/x) = -1 ENOTDIR", "open(., O_WRONLY) = -1 EISDIR", "lseek bad whence = -1 EINVAL",
                "fstat(bad fd) = -1 EBADF", "getcwd small buffer = -1 ERANGE", "dirent: a.txt", "cwd is parent: 1")) {
            assertEquals(true, out.contains(line + "\n"), "missing '" + line + "' in:\n" + out);
        }
        assertEquals("hello, FILES\n", Files.readString(underPhoenix.resolve("a.txt")));
    }
}
