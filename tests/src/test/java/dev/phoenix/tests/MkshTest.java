package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.tests.Guests.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's mksh built against dietlibc (package mksh, installed by setup.sh), whose readdir is
 * the legacy getdents(2) on x86_64, expands globs as it does natively. (Debian 12's
 * /bin/mksh-static is the klibc build, which reads directories with getdents64.)
 */
class MkshTest {
    private static final String MKSH = "/usr/lib/diet/bin/mksh";

    @TempDir
    Path tmp;

    @Test
    void dietlibcMkshGlobsADirectory() throws Exception {
        assertTrue(Files.isExecutable(Path.of(MKSH)), MKSH + " is missing: ./setup.sh installs mksh");
        for (String name : List.of("alpha", "beta.c", "gamma.c", ".hidden")) {
            Files.writeString(tmp.resolve(name), name);
        }
        Files.createDirectory(tmp.resolve("sub"));
        String script = "echo " + tmp + "/*; echo " + tmp + "/*.c; cd " + tmp + " && echo .* s*/ nothing*";
        Result r = Guests.phoenix("run", "-i", MKSH, "-c", script);
        assertEquals(new Result(0, tmp + "/alpha " + tmp + "/beta.c " + tmp + "/gamma.c " + tmp + "/sub\n" + tmp
                + "/beta.c " + tmp + "/gamma.c\n.hidden sub/ nothing*\n", ""), r);
        assertEquals(Guests.host(List.of(MKSH, "-c", script), List.of()), r);
    }

    /** --strace shows getdents as the real strace does: the record count in a comment. */
    @Test
    void getdentsIsTracedAsStraceTracesIt() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("d"));
        for (String name : List.of("a", "b", "c")) {
            Files.writeString(dir.resolve(name), name);
        }
        Path nativeTrace = tmp.resolve("native.txt"), phoenixTrace = tmp.resolve("phoenix.txt");
        String script = "echo " + dir + "/?";
        Result nativeRun = Guests.host(List.of("strace", "-o", nativeTrace.toString(), MKSH, "-c", script), List.of());
        Result r = Guests.phoenix("run", "-i", "-o", phoenixTrace.toString(), MKSH, "-c", script);
        assertEquals(nativeRun, r);
        List<String> getdents = getdents(phoenixTrace);
        assertEquals(List.of("getdents(3, ADDR /* 5 entries */, 4083) = 120", "getdents(3, ADDR /* 0 entries */, 4083) = 0"),
                getdents);
        assertEquals(getdents(nativeTrace), getdents);
    }

    /** The getdents lines of a trace, addresses masked (they differ between any two runs). */
    private static List<String> getdents(Path trace) throws java.io.IOException {
        return Files.readAllLines(trace).stream().filter(l -> l.startsWith("getdents("))
                .map(l -> l.replaceAll("0x[0-9a-f]+", "ADDR").replaceAll(" +=", " =")).toList();
    }
}
