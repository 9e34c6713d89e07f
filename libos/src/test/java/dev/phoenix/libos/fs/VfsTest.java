package dev.phoenix.libos.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.phoenix.libos.Errno;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Path resolution inside a rootfs: every way out leads back inside. */
class VfsTest {
    @TempDir
    Path tmp;

    private Path rootfs;
    private Vfs vfs;

    @BeforeEach
    void makeTree() throws IOException {
        rootfs = Files.createDirectories(tmp.resolve("rootfs"));
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), "inside\n");
        Files.writeString(tmp.resolve("secret"), "outside\n");
        Files.createDirectories(rootfs.resolve("a/b"));
        Files.createSymbolicLink(rootfs.resolve("abs"), Path.of("/etc"));
        Files.createSymbolicLink(rootfs.resolve("a/b/up"), Path.of("../../.."));
        Files.createSymbolicLink(rootfs.resolve("escape"), Path.of("../secret"));
        Files.createSymbolicLink(rootfs.resolve("hostabs"), tmp.resolve("secret"));
        Files.createSymbolicLink(rootfs.resolve("loop1"), Path.of("loop2"));
        Files.createSymbolicLink(rootfs.resolve("loop2"), Path.of("loop1"));
        Files.writeString(rootfs.resolve("file"), "x");
        vfs = new Vfs(rootfs);
    }

    private String guest(String base, String path) {
        return vfs.resolve(base, path, true).guestPath();
    }

    private int errno(String base, String path) {
        return assertThrows(Errno.class, () -> vfs.resolve(base, path, true)).errno();
    }

    @Test
    void dotDotStopsAtTheRoot() {
        assertEquals("/etc/passwd", guest("/", "../../../../etc/passwd"));
        assertEquals("/etc/passwd", guest("/a/b", "../../../../etc/passwd"));
        assertEquals("/", guest("/", ".."));
    }

    @Test
    void absoluteSymlinksResolveFromTheGuestRoot() {
        Vfs.Resolved r = vfs.resolve("/", "/abs/passwd", true);
        assertEquals("/etc/passwd", r.guestPath());
        assertEquals(rootfs.resolve("etc/passwd"), r.hostPath());
    }

    @Test
    void relativeSymlinksCannotClimbOut() {
        assertEquals("/etc/passwd", guest("/", "a/b/up/etc/passwd"));
        assertEquals("/secret", guest("/", "escape"));
        assertEquals(rootfs.resolve("secret"), vfs.resolve("/", "escape", true).hostPath());
    }

    @Test
    void hostAbsoluteLinkTargetsAreGuestPaths() {
        // The link names the host's tmp dir; inside the guest that directory does not exist.
        assertEquals(Errno.ENOENT, errno("/", "hostabs"));
        assertEquals("/hostabs", vfs.resolve("/", "hostabs", false).guestPath());
    }

    @Test
    void loopsAreEloop() {
        assertEquals(Errno.ELOOP, errno("/", "loop1"));
        assertEquals(Errno.ELOOP, errno("/", "loop1/x"));
    }

    @Test
    void lastComponentIsNotFollowedWhenAsked() {
        assertEquals("/loop1", vfs.resolve("/", "loop1", false).guestPath());
    }

    @Test
    void errorsOfIntermediateComponents() {
        assertEquals(Errno.ENOTDIR, errno("/", "file/x"));
        assertEquals(Errno.ENOENT, errno("/", "nope/x"));
        assertEquals(Errno.ENOENT, errno("/", ""));
        assertEquals(Errno.ENOTDIR, errno("/", "file/"));
        assertEquals("/new-dir", guest("/", "new-dir/"));
        assertEquals(Errno.ENAMETOOLONG, errno("/", "x".repeat(256)));
    }
}
