package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.tests.Guests.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The host's own dynamically linked programs (Debian 12's, from the packages ./setup.sh installs)
 * run under Phoenix through their dynamic loader, ld-linux-x86-64.so.2, with the host's
 * libraries, and give what they give natively: the same stdout, stderr and exit status, run
 * with the same arguments, input, working directory and environment. Between them they need
 * PT_INTERP, file mappings with PROT_EXEC, MAP_FIXED over the loader's reservation, RELRO's
 * mprotect, IFUNC resolvers that read cpuid and AT_HWCAP, TLS, and dlopen at run time: ls and
 * git load NSS modules to name users, perl and python3 load their C extension modules
 * (POSIX.so, _ctypes, _hashlib with libcrypto), and the shell pipeline forks and execs
 * dynamically linked children.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard only
class DynamicProgramsTest {
    /** The environment of both runs: nothing of the test machine's leaks into either. */
    private static final List<String> ENV = List.of("PATH=/usr/bin:/bin", "LC_ALL=C", "HOME=/nonexistent");

    /** One program run: a name for the report, its input, and its command line. */
    record Run(String name, String stdin, List<String> command) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Run> programs() {
        String src = Guests.repoRoot().resolve("tests/guest").toString();
        String hello = src + "/hello.c";
        return Stream.of(
                new Run("ls", "", List.of("/bin/ls", "-la", "--time-style=long-iso", src)),
                new Run("sort", "pear\napple\nfig\n10\n9\n", List.of("/usr/bin/sort", "-r")),
                new Run("sha256sum", "", List.of("/usr/bin/sha256sum", hello)),
                new Run("perl", "", List.of("/usr/bin/perl", "-MPOSIX", "-MList::Util=sum", "-e",
                        "print sum(1..100), ' ', POSIX::floor(7.5), ' ', POSIX::strftime('%Y', gmtime(0)), \"\\n\"")),
                new Run("python3", "", List.of("/usr/bin/python3", "-c",
                        "import hashlib, json, _ctypes, sys; print(hashlib.sha256(b'phoenix').hexdigest(), "
                                + "json.dumps({'a': [1, 2]}), sys.version_info[:2] >= (3, 11))")),
                new Run("git --version", "", List.of("/usr/bin/git", "--version")),
                new Run("git hash-object", "blob body\n", List.of("/usr/bin/git", "hash-object", "--stdin")),
                new Run("jq", "{\"a\":[1,2,3],\"b\":\"x\"}", List.of("/usr/bin/jq", "-c", "{b, a: (.a | map(. * 2))}")),
                new Run("ripgrep", "", List.of("/usr/bin/rg", "-n", "puts|return", hello)),
                new Run("sh pipeline", "", List.of("/bin/sh", "-c", "ls " + src + " | sort -r | head -n 3; echo $?")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("programs")
    void sameOutputAsNative(Run run) throws IOException, InterruptedException {
        byte[] input = run.stdin().getBytes(StandardCharsets.UTF_8);
        Result nativeRun = Guests.host(run.command(), ENV, null, input);
        assertEquals(0, nativeRun.exit(), "the native run failed: " + nativeRun);
        assertEquals(nativeRun, Guests.phoenixWithInput(input, phoenixRun(run.command())));
    }

    /** {@code phoenix run} with exactly {@link #ENV}, then the command. */
    private static String[] phoenixRun(List<String> command) {
        List<String> args = new ArrayList<>(List.of("run", "-i"));
        for (String e : ENV) {
            args.add("-E");
            args.add(e);
        }
        args.addAll(command);
        return args.toArray(String[]::new);
    }

    /**
     * The dynamic loader run as a program, as `ld.so --list` (ldd) does: it loads /bin/ls and
     * lists the libraries it found. Load addresses differ from run to run (ASLR), so they are
     * masked; names, paths and order must match.
     */
    @Test
    void theLoaderRunDirectlyListsTheSameLibraries() throws IOException, InterruptedException {
        List<String> command = List.of("/lib64/ld-linux-x86-64.so.2", "--list", "/bin/ls");
        Result nativeRun = Guests.host(command, ENV);
        Result underPhoenix = Guests.phoenix(phoenixRun(command));
        assertEquals(0, nativeRun.exit(), nativeRun.toString());
        assertTrue(nativeRun.out().contains("libc.so.6 => "), nativeRun.out());
        assertEquals(maskAddresses(nativeRun), maskAddresses(underPhoenix));
    }

    private static Result maskAddresses(Result r) {
        return new Result(r.exit(), r.out().replaceAll("\\(0x[0-9a-f]+\\)", "(ADDR)"), r.err());
    }

    /**
     * A PIE program loads at a random base, as under Linux's ASLR: three runs of cat do not all
     * put it at the same address (the chance that they do is 2^-36). Under --deterministic the
     * whole address space, the loader's and the libraries' places included, is the same in every
     * run.
     */
    @Test
    void pieBaseIsRandomUnlessDeterministic() {
        java.util.Set<String> bases = new java.util.HashSet<>();
        for (int i = 0; i < 3; i++) {
            Result r = Guests.phoenix(phoenixRun(List.of("/bin/cat", "/proc/self/maps")));
            assertEquals(0, r.exit(), r.toString());
            bases.add(r.out().lines().findFirst().orElseThrow().split("-")[0]);
        }
        assertTrue(bases.size() > 1, "three runs, one base: " + bases);
        List<String> deterministic = new ArrayList<>(List.of(phoenixRun(List.of("/bin/cat", "/proc/self/maps"))));
        deterministic.add(1, "--deterministic");
        Result first = Guests.phoenix(deterministic.toArray(String[]::new));
        assertEquals(0, first.exit(), first.toString());
        assertTrue(first.out().contains("/libc.so.6") && first.out().contains("/ld-linux-x86-64.so.2"), first.out());
        assertEquals(first, Guests.phoenix(deterministic.toArray(String[]::new)));
    }

    /** The libraries the loader maps are listed as file mappings, with the host file's inode, as Linux lists them. */
    @Test
    void mappedLibrariesAreNamedWithTheirInode() throws IOException {
        // /proc/self/maps of the guest names libc with its device and inode, as Linux does for a
        // file mapping; the host's stat of the same file must agree.
        Result r = Guests.phoenix(phoenixRun(List.of("/bin/cat", "/proc/self/maps")));
        assertEquals(0, r.exit(), r.toString());
        String libcLine = r.out().lines().filter(l -> l.endsWith("/libc.so.6") && l.contains(" r-xp "))
                .findFirst().orElseThrow(() -> new AssertionError("no libc text in\n" + r.out()));
        String[] f = libcLine.trim().split("\\s+");
        Path libc = Path.of(f[5]);
        Object inode = Files.getAttribute(libc, "unix:ino");
        assertEquals(String.valueOf(inode), f[4], libcLine);
    }
}
