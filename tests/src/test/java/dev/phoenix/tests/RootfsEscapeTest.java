package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.io.IOException;
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
        Files.copy(Guests.binary(Target.X86_64_MUSL, "paths"), Files.createDirectories(rootfs.resolve("bin")).resolve("paths"));
    }

    private String paths(String... args) {
        List<String> argv = new ArrayList<>(List.of("run", "-i", "--rootfs", rootfs.toString(), "/bin/paths"));
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

    /**
     * A small rootfs of its own: the auxv guest (which prints every name it knows itself by) as
     * /bin/auxv and /bin/auxv-aarch64, busybox as /bin/busybox, and absolute symlinks to them as
     * /usr/bin/names, /bin/readlink and /bin/cat, as a distribution's rootfs has them.
     */
    private void installPrograms() throws IOException {
        Path bin = Files.createDirectories(rootfs.resolve("bin"));
        Files.createDirectories(rootfs.resolve("usr/bin"));
        Files.copy(Guests.binary(Target.X86_64_MUSL, "auxv"), bin.resolve("auxv"));
        Files.copy(Guests.binary(Target.AARCH64, "auxv"), bin.resolve("auxv-aarch64"));
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
        Files.createSymbolicLink(rootfs.resolve("usr/bin/names"), Path.of("/bin/auxv"));
        Files.createSymbolicLink(bin.resolve("readlink"), Path.of("/bin/busybox"));
        Files.createSymbolicLink(bin.resolve("cat"), Path.of("/bin/busybox"));
    }

    private Result inRootfs(String... args) {
        List<String> argv = new ArrayList<>(List.of("run", "-i", "--rootfs", rootfs.toString()));
        argv.addAll(List.of(args));
        return Guests.phoenix(argv.toArray(String[]::new));
    }

    /** What the auxv guest prints with "names" when run as {@code path} from file {@code exe}. */
    private static String names(String path, String exe) {
        return "AT_EXECFN=" + path + "\nargv[0]=" + path + "\nexe=" + exe + "\ncmdline=" + path + " names\ncomm="
                + path.substring(path.lastIndexOf('/') + 1) + "\nmap=" + exe + "\n";
    }

    @Test
    void programIsLookedUpInsideTheRootfsAndKnowsItselfByGuestPaths() throws IOException {
        installPrograms();
        // Through an absolute symlink inside the rootfs: /usr/bin/names -> /bin/auxv means ROOTFS/bin/auxv.
        assertEquals(new Result(0, names("/usr/bin/names", "/bin/auxv"), ""), inRootfs("/usr/bin/names", "names"));
        assertEquals(new Result(0, names("/bin/auxv-aarch64", "/bin/auxv-aarch64"), ""),
                inRootfs("/bin/auxv-aarch64", "names"));
        // Relative to the guest's working directory: "/", as Phoenix runs outside the rootfs.
        assertEquals(new Result(0, names("usr/bin/names", "/bin/auxv"), ""), inRootfs("usr/bin/names", "names"));
    }

    @Test
    void busyboxInTheRootfsSeesGuestPathsOnly() throws IOException {
        installPrograms();
        assertEquals(new Result(0, "/bin/busybox\n", ""), inRootfs("/bin/readlink", "/proc/self/exe"));
        assertEquals(new Result(0, "/bin/cat\0/proc/self/cmdline\0", ""), inRootfs("/bin/cat", "/proc/self/cmdline"));
        assertEquals(new Result(0, "cat\n", ""), inRootfs("/bin/cat", "/proc/self/comm"));
        Result maps = inRootfs("/bin/cat", "/proc/self/maps");
        assertEquals(0, maps.exit(), maps.err());
        assertEquals(false, maps.out().contains(tmp.toString()), maps.out());
        assertEquals(true, maps.out().lines().anyMatch(l -> l.endsWith(" /bin/busybox")), maps.out());
    }

    @Test
    void aProgramOnlyTheHostHasIsNotFound() throws IOException {
        installPrograms();
        String host = Guests.binary(Target.X86_64_MUSL, "hello").toString();
        assertEquals(new Result(66, "", "phoenix: " + host + " in rootfs " + rootfs + ": no such file\n"), inRootfs(host));
    }

    @Test
    void programErrorsNameThePathAsGivenAndTheRootfs() throws IOException {
        installPrograms();
        Files.writeString(rootfs.resolve("bin/script"), "#!/bin/sh\n");
        Files.copy(Guests.binary(Target.X86_64_MUSL, "hello"), rootfs.resolve("bin/noexec"));
        assertEquals(true, rootfs.resolve("bin/script").toFile().setExecutable(true, false));
        assertEquals(true, rootfs.resolve("bin/noexec").toFile().setExecutable(false, false));
        String in = " in rootfs " + rootfs + ": ";
        assertEquals(new Result(67, "", "phoenix: /bin" + in + "is a directory or not a regular file (a directory)\n"),
                inRootfs("/bin"));
        assertEquals(new Result(69, "", "phoenix: /bin/script" + in + "not an ELF file (bad magic number)\n"),
                inRootfs("/bin/script"));
        assertEquals(new Result(126, "", "phoenix: bin/noexec" + in
                + "permission denied: the file is not executable (chmod +x)\n"), inRootfs("bin/noexec"));
        assertEquals(new Result(66, "", "phoenix: /bin/auxv/x" + in + "no such file (not a directory)\n"),
                inRootfs("/bin/auxv/x"));
        assertEquals(new Result(66, "", "phoenix: /loop-a" + in + "no such file (too many levels of symbolic links)\n"),
                inRootfs("/loop-a"));
    }

    /** From inside the rootfs, a relative PROGRAM is relative to the guest's cwd: Phoenix's, as a guest path. */
    @Test
    void relativeProgramFromACwdInsideTheRootfs() throws Exception {
        installPrograms();
        String launcher = Guests.repoRoot().resolve("phoenix").toString();
        Result r = Guests.host(List.of(launcher, "run", "--rootfs", rootfs.toString(), "auxv", "names"),
                List.of("PATH=/usr/bin:/bin", "HOME=" + System.getProperty("user.home")), rootfs.resolve("bin"));
        assertEquals(new Result(0, names("auxv", "/bin/auxv"), ""), r);
    }

    /** Without --rootfs, the names are the host's, as a native run sees them. */
    @Test
    void withoutRootfsTheNamesAreTheHostPaths() throws Exception {
        for (Target t : Target.values()) {
            Path auxv = Guests.binary(t, "auxv");
            Result r = Guests.phoenix("run", "-i", auxv.toString(), "names");
            assertEquals(new Result(0, names(auxv.toString(), auxv.toRealPath().toString()), ""), r, t.name());
            Guests.assertSameAsNative(t, auxv, r, List.of(), "names");
        }
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
