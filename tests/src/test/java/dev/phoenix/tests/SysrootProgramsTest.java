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
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Debian's dynamically linked arm64 and riscv64 programs (bookworm's and trixie's coreutils, jq
 * and python3) run through a sysroot made by {@code phoenix sysroot} (./setup.sh makes them in
 * ~/.cache/phoenix/sysroots; here the same command finds nothing new to fetch), with {@code -L},
 * and give what they give under qemu-user with the same {@code -L}: stdout, stderr and exit
 * status. qemu-aarch64-static and qemu-riscv64-static are named explicitly, so binfmt_misc plays
 * no part, and Phoenix runs in this JVM. The files the programs read lie in the sysroot (qemu
 * redirects open(2) to it but not statx(2), Phoenix every absolute path), so both runs see the
 * same bytes.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard only
class SysrootProgramsTest {
    private static final List<String> ENV = List.of("PATH=/usr/bin:/bin", "LC_ALL=C", "HOME=/nonexistent");
    private static final List<String> PACKAGES = List.of("coreutils", "jq", "python3", "redis-server");

    /** The sysroot for {@code arch}, made (or found complete) by phoenix sysroot. */
    static synchronized Path sysroot(String arch) {
        String cache = System.getenv("XDG_CACHE_HOME");
        Path dir = Path.of(cache != null ? cache : System.getProperty("user.home") + "/.cache", "phoenix", "sysroots", arch);
        List<String> args = new ArrayList<>(List.of("sysroot", "--arch", arch, dir.toString()));
        args.addAll(PACKAGES);
        Result r = Guests.phoenix(args.toArray(String[]::new));
        assertEquals(0, r.exit(), "phoenix sysroot failed: " + r.err());
        return dir;
    }

    static Stream<Arguments> programs() {
        List<Arguments> out = new ArrayList<>();
        for (String arch : List.of("aarch64", "riscv64")) {
            out.add(Arguments.of(arch, "ls", "", List.of("/usr/bin/ls", "-1", "/usr/share/doc")));
            out.add(Arguments.of(arch, "sort", "pear\napple\nfig\n10\n9\n", List.of("/usr/bin/sort", "-r")));
            out.add(Arguments.of(arch, "sha256sum", "", List.of("/usr/bin/sha256sum", "/usr/bin/jq")));
            out.add(Arguments.of(arch, "jq", "{\"a\":[1,2,3],\"b\":\"x\"}", List.of("/usr/bin/jq", "-c",
                    "{b, a: (.a | map(. * 2.5))}")));
            out.add(Arguments.of(arch, "python3", "", List.of("/usr/bin/python3", "-c",
                    "import hashlib, json, platform, math; print(platform.machine(), hashlib.sha256(b'phoenix')"
                            + ".hexdigest(), json.dumps({'a': [1.5, math.floor(7.5)]}))")));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("programs")
    void sameOutputAsQemuWithTheSameSysroot(String arch, String name, String stdin, List<String> command)
            throws IOException, InterruptedException {
        Path root = sysroot(arch);
        Path program = root.resolve(command.get(0).substring(1));
        assertTrue(Files.isRegularFile(program), program + " missing from the sysroot");
        byte[] input = stdin.getBytes(StandardCharsets.UTF_8);
        List<String> qemu = new ArrayList<>(List.of("/usr/bin/qemu-" + arch + "-static", "-L", root.toString(),
                program.toString()));
        qemu.addAll(command.subList(1, command.size()));
        Result reference = Guests.host(qemu, ENV, null, input);
        assertEquals(0, reference.exit(), "the qemu-user run failed: " + reference);
        List<String> args = new ArrayList<>(List.of("run", "-i", "-L", root.toString()));
        for (String e : ENV) {
            args.add("-E");
            args.add(e);
        }
        args.add(program.toString());
        args.addAll(command.subList(1, command.size()));
        assertEquals(reference, Guests.phoenixWithInput(input, args.toArray(String[]::new)));
    }
}
