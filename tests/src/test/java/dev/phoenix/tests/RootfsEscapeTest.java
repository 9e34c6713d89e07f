package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code --rootfs DIR}, every way a guest might name a host file outside DIR leads back
 * inside, or to ENOENT/ELOOP. Each attempt is its own test, so a failure names the hole.
 */
class RootfsEscapeTest {
    @TempDir
    Path tmp;

    private Path rootfs;

    @BeforeEach
    void makeRootfs() throws Exception {
        rootfs = Files.createDirectories(tmp.resolve("rootfs"));
        Files.writeString(tmp.resolve("secret"), "OUTSIDE\n");
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/marker"), "inside-etc\n");
        Files.writeString(rootfs.resolve("secret"), "inside-root\n");
        Files.createDirectories(rootfs.resolve("a/b/c"));
        Files.createSymbolicLink(rootfs.resolve("abs-etc"), Path.of("/etc"));
        Files.createSymbolicLink(rootfs.resolve("a/b/up"), Path.of("../../../../.."));
        Files.createSymbolicLink(rootfs.resolve("rel-secret"), Path.of("../secret"));
        Files.createSymbolicLink(rootfs.resolve("host-secret"), tmp.resolve("secret"));
        Files.createSymbolicLink(rootfs.resolve("loop-a"), Path.of("loop-b"));
        Files.createSymbolicLink(rootfs.resolve("loop-b"), Path.of("loop-a"));
    }

    private String paths(String... args) {
        List<String> argv = new ArrayList<>(List.of("run", "-i", "--rootfs", rootfs.toString(),
                Guests.binary(Target.X86_64_MUSL, "paths").toString()));
        argv.addAll(List.of(args));
        Result r = Guests.phoenix(argv.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        return r.out();
    }

    @Test
    void dotDotStopsAtTheRoot() {
        assertEquals("../../../../../secret: inside-root\n", paths("cat", "../../../../../secret"));
        assertEquals("/../../etc/marker: inside-etc\n", paths("cat", "/../../etc/marker"));
    }

    @Test
    void absoluteSymlinkResolvesInsideTheRoot() {
        assertEquals("/abs-etc/marker: inside-etc\n", paths("cat", "/abs-etc/marker"));
    }

    @Test
    void relativeSymlinkClimbingOutStaysInside() {
        assertEquals("/rel-secret: inside-root\n", paths("cat", "/rel-secret"));
        assertEquals("/a/b/up/secret: inside-root\n", paths("cat", "/a/b/up/secret"));
    }

    @Test
    void symlinkToAHostAbsolutePathDoesNotReachTheHost() {
        assertEquals("/host-secret: -1 ENOENT\n", paths("cat", "/host-secret"));
        assertEquals("link /host-secret: " + tmp.resolve("secret") + "\n", paths("link", "/host-secret"));
    }

    @Test
    void symlinkLoopIsEloop() {
        assertEquals("/loop-a: -1 ELOOP\n", paths("cat", "/loop-a"));
    }

    @Test
    void dirfdOpenedBeforeAChdirStaysInside() {
        assertEquals("/a/b/c + ../../../../../../secret: inside-root\n", paths("at", "/a/b/c", "../../../../../../secret"));
    }

    @Test
    void procSelfRootIsTheGuestRoot() {
        assertEquals("/proc/self/root/secret: inside-root\n", paths("cat", "/proc/self/root/secret"));
        assertEquals("/proc/self/root/../../secret: inside-root\n", paths("cat", "/proc/self/root/../../secret"));
    }

    @Test
    void cwdCannotLeaveTheRoot() {
        assertEquals("cd ../../..: 0 \n../secret: inside-root\n", paths("cd", "../../..", "cat", "../secret"));
    }

    @Test
    void hardLinksToOutsidePathsLinkInsideFilesOrNothing() throws Exception {
        // The old path resolves inside the rootfs like any other: a climb reaches the rootfs's own
        // file, a host absolute path or a symlink to one names nothing there.
        assertEquals("hard ../../../secret /h1: 0\n/h1: inside-root\n",
                paths("hard", "../../../secret", "/h1", "cat", "/h1"));
        String host = tmp.resolve("secret").toString();
        assertEquals("hard " + host + " /h2: ENOENT\n", paths("hard", host, "/h2"));
        assertEquals("hard /host-secret /h3: ENOENT\n", paths("hard", "/host-secret", "/h3"));
        assertEquals(1, (int) Files.getAttribute(tmp.resolve("secret"), "unix:nlink"), "the host file gained a link");
    }

    @Test
    void theHostFileIsUntouchedAndUnread() throws Exception {
        String all = paths("cat", "/secret", "cat", "/rel-secret", "cat", "/a/b/up/secret", "cat", "../secret");
        assertEquals(false, all.contains("OUTSIDE"), all);
        assertEquals("OUTSIDE\n", Files.readString(tmp.resolve("secret")));
    }

    @Test
    void openat2ResolveFlagsMatchLinux() throws Exception {
        Path underPhoenix = Files.createDirectories(tmp.resolve("o2-phoenix"));
        Path nativeDir = Files.createDirectories(tmp.resolve("o2-native"));
        for (Target t : Target.values()) {
            Path dir = Files.createDirectories(underPhoenix.resolve(t.name()));
            Result r = Guests.phoenix("run", "-i", Guests.binary(t, "openat2").toString(), dir.toString());
            Result nativeRun = Guests.host(List.of(Guests.binary(Target.X86_64_GLIBC, "openat2").toString(),
                    Files.createDirectories(nativeDir.resolve(t.name())).toString()), List.of());
            assertEquals(nativeRun, r, t.name());
            for (String line : List.of("NO_SYMLINKS on a symlink = -1 ELOOP", "BENEATH with .. = -1 EXDEV",
                    "BENEATH through an upward symlink = -1 EXDEV", "IN_ROOT with .. = ok",
                    "NO_MAGICLINKS /proc/self/cwd = -1 ELOOP", "NO_XDEV into /proc = -1 EXDEV",
                    "CACHED with O_CREAT = -1 EAGAIN", "larger struct with a nonzero field = -1 E2BIG")) {
                assertEquals(true, r.out().contains(line + "\n"), t + " lacks " + line + ":\n" + r.out());
            }
        }
    }
}
