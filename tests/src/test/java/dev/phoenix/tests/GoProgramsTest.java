package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real multi-threaded programs we did not write: Debian 12's static Go programs (shfmt, gojq,
 * go-md2man and pup for amd64; shfmt and gojq for arm64, fetched by
 * {@code scripts/fetch-go-programs.sh}) and qemu-aarch64-static (package qemu-user-static). The
 * Go runtime starts several OS threads before main, and qemu-user starts an RCU thread, so every
 * one of them dies at start on a kernel without clone(2) ("failed to create new OS thread").
 *
 * <p>The expected output is that of the same binary run on the host, in the test: natively for
 * amd64, under qemu-aarch64-static for arm64, with the same arguments, input and (empty)
 * environment; stdout, stderr and the exit status must all match. Phoenix runs in this JVM, so
 * binfmt_misc cannot hand a foreign binary to a host emulator behind the test's back;
 * {@link #kernelReleaseIsPhoenixs} and {@link #qemuAarch64UnderPhoenixSeesPhoenixsKernel} show it
 * besides: the programs read Phoenix's kernel release, which no host run would print.
 *
 * <p>On a kernel without threads every test fails (Go's "failed to create new OS thread
 * (errno=38)" after clone's ENOSYS, qemu's "qemu_thread_create: Function not implemented").
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard only
class GoProgramsTest {
    private static final String QEMU_AARCH64 = "/usr/bin/qemu-aarch64-static";
    private static final String RELEASE = "6.1.0-phoenix";

    private static Path programs;

    @TempDir
    Path tmp;

    /** The Debian architecture a binary was built for, and how the host runs it for reference. */
    enum Build {
        AMD64,
        ARM64;

        String dir() {
            return name().toLowerCase();
        }

        List<String> hostCommand(Path program) {
            return this == AMD64 ? List.of(program.toString()) : List.of(QEMU_AARCH64, program.toString());
        }
    }

    @BeforeAll
    static void fetchPrograms() throws Exception {
        programs = Guests.goPrograms();
        assertTrue(Files.isExecutable(Path.of(QEMU_AARCH64)), QEMU_AARCH64 + " is missing: ./setup.sh installs qemu-user-static");
    }

    private static Path program(Build b, String name) {
        Path p = programs.resolve(b.dir()).resolve(name);
        assertTrue(Files.isExecutable(p), p + " is missing: scripts/fetch-go-programs.sh fetches it");
        return p;
    }

    /**
     * Runs {@code program ARGS...} under Phoenix with {@code stdin} and an empty environment and
     * asserts that the result is the host's run of it (see {@link Build#hostCommand}), which must
     * itself be {@code expected}: a reference that failed would make the comparison say nothing.
     */
    private static void assertSameAsHost(Build b, Path program, String stdin, Result expected, String... args)
            throws Exception {
        byte[] input = stdin.getBytes(StandardCharsets.UTF_8);
        List<String> cmd = new ArrayList<>(b.hostCommand(program));
        cmd.addAll(List.of(args));
        Result host = Guests.host(cmd, List.of(), null, input);
        assertEquals(expected, host, "host run of " + cmd);
        assertEquals(host, Guests.phoenixWithInput(input, Guests.runArgs(program, List.of(), args)),
                "Phoenix's run of " + b.dir() + " " + program.getFileName() + " differs from the host's");
    }

    private Path file(String name, String text) throws Exception {
        return Files.writeString(tmp.resolve(name), text);
    }

    @ParameterizedTest
    @EnumSource(Build.class)
    void shfmtFormatsAScriptFromStdin(Build b) throws Exception {
        String messy = "#!/bin/sh\nif [ \"$x\" = 1 ]; then\necho   hi;fi\nfoo(){ echo  a  |  cat; }\n"
                + "for i in 1 2 3\ndo\n    case $i in 1) echo one;;\n  *) echo other ;; esac\ndone\n";
        String formatted = "#!/bin/sh\nif [ \"$x\" = 1 ]; then\n\techo hi\nfi\nfoo() { echo a | cat; }\n"
                + "for i in 1 2 3; do\n\tcase $i in 1) echo one ;;\n\t*) echo other ;; esac\ndone\n";
        assertSameAsHost(b, program(b, "shfmt"), messy, new Result(0, formatted, ""));
    }

    @ParameterizedTest
    @EnumSource(Build.class)
    void shfmtFormatsAScriptFileWithOptions(Build b) throws Exception {
        Path script = file("s.sh", "x=$( echo 1 )\nwhile true\ndo\nbreak\ndone\n");
        assertSameAsHost(b, program(b, "shfmt"), "", new Result(0, "x=$(echo 1)\nwhile true; do\n  break\ndone\n", ""),
                "-i", "2", script.toString());
    }

    @ParameterizedTest
    @EnumSource(Build.class)
    void gojqRunsAQuery(Build b) throws Exception {
        Path doc = file("doc.json", "{\"items\": [{\"name\": \"a\", \"n\": 1}, {\"name\": \"b\", \"n\": 2},"
                + " {\"name\": \"c\", \"n\": 3}]}\n");
        assertSameAsHost(b, program(b, "gojq"), "", new Result(0, "\"b\"\n\"c\"\n", ""),
                ".items[] | select(.n > 1) | .name", doc.toString());
    }

    @ParameterizedTest
    @EnumSource(Build.class)
    void gojqReadsStdinAndBuildsObjects(Build b) throws Exception {
        assertSameAsHost(b, program(b, "gojq"), "[3, 1, 2]\n{\"k\": \"v\"}\n",
                new Result(0, "{\"sorted\":[1,2,3],\"type\":\"array\"}\n{\"sorted\":[\"k\"],\"type\":\"object\"}\n", ""),
                "-c", "{type: type, sorted: (if type == \"array\" then sort else keys end)}");
    }

    @Test
    void goMd2manConvertsMarkdown() throws Exception {
        Path md = file("hello.md", "# hello 1 \"2024\"\n\n## NAME\n\nhello \\- say **hi**\n\n* one\n* two\n");
        assertSameAsHost(Build.AMD64, program(Build.AMD64, "go-md2man"), "",
                new Result(0, ".nh\n.TH hello 1 \"2024\"\n.SH NAME\n.PP\nhello - say \\fBhi\\fP\n\n.RS\n.IP \\(bu 2\none\n"
                        + ".IP \\(bu 2\ntwo\n\n.RE\n", ""),
                "-in", md.toString());
    }

    @Test
    void pupExtractsElements() throws Exception {
        String html = "<html><body><ul><li class=\"x\">one</li><li>two</li>"
                + "<li class=\"x\"><a href=\"/3\">three</a></li></ul></body></html>\n";
        Path pup = program(Build.AMD64, "pup");
        assertSameAsHost(Build.AMD64, pup, html, new Result(0, "one\nthree\n", ""), "li.x text{}");
        assertSameAsHost(Build.AMD64, pup, html, new Result(0, "/3\n", ""), "a attr{href}");
    }

    /**
     * Each program reads Phoenix's /proc/sys/kernel/osrelease: the output must be the host's
     * for a file holding Phoenix's release, which no run on the host kernel could print.
     */
    @Test
    void kernelReleaseIsPhoenixs() throws Exception {
        Path rel = file("osrelease", RELEASE + "\n");
        String proc = "/proc/sys/kernel/osrelease";
        record Run(Build b, String name, String expected, List<String> args) {}
        for (Run run : List.of(new Run(Build.AMD64, "shfmt", RELEASE + "\n", List.of("FILE")),
                new Run(Build.ARM64, "shfmt", RELEASE + "\n", List.of("FILE")),
                new Run(Build.AMD64, "gojq", RELEASE + "\n", List.of("-Rr", ".", "FILE")),
                new Run(Build.ARM64, "gojq", RELEASE + "\n", List.of("-Rr", ".", "FILE")),
                new Run(Build.AMD64, "go-md2man", ".nh\n\n.PP\n" + RELEASE + "\n", List.of("-in", "FILE")),
                new Run(Build.AMD64, "pup", RELEASE + "\n\n", List.of("-f", "FILE", "text{}")))) {
            Path p = program(run.b(), run.name());
            List<String> hostCmd = new ArrayList<>(run.b().hostCommand(p));
            run.args().forEach(a -> hostCmd.add(a.equals("FILE") ? rel.toString() : a));
            Result expected = new Result(0, run.expected(), "");
            assertEquals(expected, Guests.host(hostCmd, List.of()), "host run of " + hostCmd);
            String[] args = run.args().stream().map(a -> a.equals("FILE") ? proc : a).toArray(String[]::new);
            assertEquals(expected, Guests.phoenix(Guests.runArgs(p, List.of(), args)),
                    run.b().dir() + " " + run.name() + " reading " + proc + " under Phoenix");
        }
    }

    /** qemu-user, itself a static multi-threaded x86_64 program, runs an aarch64 hello under Phoenix. */
    @Test
    void qemuAarch64RunsHello() throws Exception {
        Path hello = Guests.binary(Target.AARCH64, "hello");
        Result expected = new Result(0, "hello, world\n", "");
        assertEquals(expected, Guests.host(List.of(QEMU_AARCH64, hello.toString()), List.of()));
        assertEquals(expected, Guests.phoenix(Guests.runArgs(Path.of(QEMU_AARCH64), List.of(), hello.toString())));
    }

    /**
     * qemu-user passes uname(2) through to its kernel, so under Phoenix the aarch64 busybox sees
     * Phoenix's release with qemu's machine name.
     */
    @Test
    void qemuAarch64UnderPhoenixSeesPhoenixsKernel() {
        Path busybox = Guests.binary(Target.AARCH64, "busybox");
        assertEquals(new Result(0, RELEASE + " aarch64\n", ""),
                Guests.phoenix(Guests.runArgs(Path.of(QEMU_AARCH64), List.of(), busybox.toString(), "uname", "-r", "-m")));
    }
}
