package dev.phoenix.libos.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.phoenix.libos.Errno;
import dev.phoenix.libos.ns.MountNamespace;
import dev.phoenix.libos.ns.UserNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Path walks through a mount table: mounts at any depth, stacks, hidden submounts, ".." and roots. */
class MountTableTest {
    @TempDir
    Path tmp;

    private Path rootfs;
    private MountNamespace ns;
    private Vfs vfs;

    @BeforeEach
    void makeTree() throws IOException {
        rootfs = Files.createDirectories(tmp.resolve("rootfs"));
        Files.createDirectories(rootfs.resolve("etc"));
        Files.createDirectories(rootfs.resolve("a/b/c"));
        Files.createDirectories(rootfs.resolve("jail/etc"));
        Files.createDirectories(tmp.resolve("x/z"));
        Files.createDirectories(tmp.resolve("y/z"));
        Files.createDirectories(tmp.resolve("zz"));
        Files.createSymbolicLink(tmp.resolve("x/abs"), Path.of("/etc"));
        ns = new MountNamespace(UserNamespace.initial(), true);
        vfs = new Vfs(rootfs, null, ns);
    }

    /** Mounts host directory {@code host} at {@code point}, on whatever is seen there now. */
    private Mount bind(String point, Path host) {
        Mount parent = vfs.table().lookup(point);
        Mount m = new Mount(Mount.newId(), parent.id(), point, host, null, "", "/", 0, "none", "none", "rw", 0, 0,
                false, null, 0, "0:0");
        ns.update(null, t -> t.with(m));
        return m;
    }

    private Path host(String base, String path) {
        return vfs.resolve(base, path, true).hostPath();
    }

    @Test
    void aMountDeepInTheTreeShowsItsDirectoryAndDotDotLeavesIt() {
        bind("/a/b/c", tmp.resolve("x"));
        assertEquals(tmp.resolve("x/z"), host("/", "/a/b/c/z"));
        assertEquals(rootfs.resolve("a/b"), host("/", "/a/b/c/z/../.."));
        assertEquals("/a/b", vfs.resolve("/a/b/c", "..", true).guestPath());
    }

    @Test
    void anAbsoluteLinkInsideAMountStartsAtTheRoot() {
        bind("/a", tmp.resolve("x"));
        assertEquals(rootfs.resolve("etc"), host("/", "/a/abs"));
    }

    @Test
    void theLastMountOnAPointIsSeenAndItsRemovalUncoversTheOneBelow() {
        bind("/a", tmp.resolve("x"));
        Mount top = bind("/a", tmp.resolve("y"));
        assertEquals(tmp.resolve("y/z"), host("/", "/a/z"));
        ns.update(null, t -> t.without(java.util.List.of(top)));
        assertEquals(tmp.resolve("x/z"), host("/", "/a/z"));
    }

    @Test
    void aMountStackedOverADirectoryHidesTheMountsBelowIt() {
        bind("/a", tmp.resolve("x"));
        bind("/a/z", tmp.resolve("zz"));
        assertEquals(tmp.resolve("zz"), host("/", "/a/z"));
        bind("/a", tmp.resolve("y"));
        assertEquals(tmp.resolve("y/z"), host("/", "/a/z"));
    }

    @Test
    void dotDotStopsAtAChangedRootAndAbsolutePathsStartThere() {
        Vfs.Resolved r = vfs.resolve("/jail", "/jail", "../../etc", true, null, 0);
        assertEquals("/jail/etc", r.guestPath());
        assertEquals(rootfs.resolve("jail/etc"), vfs.resolve("/jail", "/", "/etc", true, null, 0).hostPath());
    }

    @Test
    void aReadOnlyMountRefusesChanges() {
        Mount m = bind("/a", tmp.resolve("x"));
        ns.update(null, t -> t.map(x -> x.id() == m.id() ? x.withFlags(Mount.MS_RDONLY) : x));
        Errno e = assertThrows(Errno.class, () -> vfs.resolve("/", "/a/new", false).writableHostPath());
        assertEquals(Errno.EROFS, e.errno());
        assertEquals(rootfs.resolve("etc/new"), vfs.resolve("/", "/etc/new", false).writableHostPath());
    }

    @Test
    void tmpfsSizeCountsPagesAndGivesAShortWriteThenEnospc() throws IOException {
        Tmpfs fs = Tmpfs.create(8192, 01777, -1, -1);
        try {
            Path f = fs.dir().resolve("f");
            assertEquals(100, fs.charge(0, 0, 100));
            Files.write(f, new byte[100]);
            assertEquals(8092, fs.charge(100, 100, 8192)); // up to the end of the second page
            Files.write(f, new byte[8192]);
            Errno e = assertThrows(Errno.class, () -> fs.charge(8192, 8192, 1));
            assertEquals(Errno.ENOSPC, e.errno());
            Files.delete(f);
            assertEquals(4096, fs.charge(0, 0, 4096)); // a recount finds the pages freed
        } finally {
            fs.release();
        }
    }
}
