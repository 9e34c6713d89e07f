package dev.phoenix.libos.fs;

import dev.phoenix.libos.Errno;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The contents of one tmpfs mount (mm/shmem.c): a private host directory under a directory
 * Phoenix owns in /dev/shm (host memory, as tmpfs is), else in the JVM's temporary directory,
 * deleted when its last mount goes and at exit. The {@code size=} limit is kept by counting
 * the pages files take as they grow, as shmem charges a page when a write first touches it:
 * a write past the limit is short, or ENOSPC when nothing fits.
 */
public final class Tmpfs {
    private static final long PAGE = 4096;
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static volatile Path base;

    private final Path dir;
    /** The size limit in bytes; 0 for none. */
    private final long limit;
    /** Pages charged: a count that only grows between recounts (@GuardedBy("this")). */
    private long usedPages;
    /** Mounts (in every namespace) still showing this file system (@GuardedBy("this")). */
    private int users = 1;

    private Tmpfs(Path dir, long limit) {
        this.dir = dir;
        this.limit = limit;
    }

    /**
     * A new empty tmpfs of at most {@code limit} bytes (0: no limit) whose root has {@code mode}
     * and, where the host lets Phoenix, owner {@code uid}:{@code gid} (-1: unchanged).
     */
    public static Tmpfs create(long limit, int mode, int uid, int gid) {
        try {
            Path d = Files.createDirectory(base().resolve("tmpfs-" + NEXT.incrementAndGet()));
            try {
                Files.setAttribute(d, "unix:mode", mode); // with the sticky bit of the default 1777
            } catch (IOException | RuntimeException e) {
                Files.setPosixFilePermissions(d, permissions(mode));
            }
            try {
                if (uid >= 0) {
                    Files.setAttribute(d, "unix:uid", uid);
                }
                if (gid >= 0) {
                    Files.setAttribute(d, "unix:gid", gid);
                }
            } catch (IOException | RuntimeException e) {
                // not root on the host: the host's owner stays
            }
            return new Tmpfs(d, limit);
        } catch (IOException e) {
            throw HostErrors.toErrno(e);
        }
    }

    /** Phoenix's own directory for tmpfs contents, made once and deleted at exit. */
    private static synchronized Path base() throws IOException {
        if (base == null) {
            Path shm = Path.of("/dev/shm");
            Path b = Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempDirectory(shm, "phoenix-tmpfs-")
                    : Files.createTempDirectory("phoenix-tmpfs-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(b), "phoenix-tmpfs-cleanup"));
            base = b;
        }
        return base;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = PosixFilePermission.values(); // OWNER_READ ... OTHERS_EXECUTE
        for (int i = 0; i < 9; i++) {
            if ((mode & (0400 >> i)) != 0) {
                s.add(order[i]);
            }
        }
        return s;
    }

    /** The host directory holding the files. */
    public Path dir() {
        return dir;
    }

    /** The size limit in bytes, 0 for none. */
    public long limit() {
        return limit;
    }

    /** Bytes in use (whole pages), counted again from the files. */
    public synchronized long used() {
        usedPages = countPages();
        return usedPages * PAGE;
    }

    /** One more mount shows this file system (a bind mount of it, a namespace copy). */
    public synchronized void retain() {
        users++;
    }

    /** A mount of it is gone; the last one deletes the files. */
    public void release() {
        release(key -> { });
    }

    /**
     * A mount of it is gone; the last one deletes the files, first giving {@code gone} the
     * identity ({@link Vfs#fileKey}) of each regular file, whose pages the memory cgroups then
     * uncharge (shmem_evict_inode at kill_sb).
     */
    public void release(java.util.function.Consumer<Object> gone) {
        synchronized (this) {
            if (--users > 0) {
                return;
            }
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .forEach(p -> gone.accept(Vfs.fileKey(p)));
        } catch (IOException | RuntimeException e) {
            // unreadable: its charges stay
        }
        deleteTree(dir);
    }

    /**
     * How many of {@code length} bytes a write at {@code position} into a file of {@code size}
     * bytes may put, charging the pages it adds; ENOSPC when none fits (shmem_get_folio's
     * shmem_inode_acct_blocks failing). Files that shrank or went are found by recounting the
     * directory only when the count says the limit is reached, so a write far from the limit
     * costs a multiplication.
     */
    public synchronized int charge(long size, long position, int length) {
        if (limit == 0 || length <= 0) {
            return length;
        }
        long have = pages(size);
        long want = pages(position + length) - have;
        long max = limit / PAGE;
        if (want <= 0) {
            return length;
        }
        if (usedPages + want > max) {
            usedPages = countPages();
        }
        long free = max - usedPages;
        if (want <= free) {
            usedPages += want;
            return length;
        }
        long end = (have + Math.max(free, 0)) * PAGE;
        long fits = end - position;
        if (fits <= 0) {
            throw Errno.of(Errno.ENOSPC);
        }
        usedPages += Math.max(free, 0);
        return (int) Math.min(fits, length);
    }

    private static long pages(long bytes) {
        return (bytes + PAGE - 1) / PAGE;
    }

    private long countPages() {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
                try {
                    return pages(Files.size(p));
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException | RuntimeException e) {
            return usedPages;
        }
    }

    private static void deleteTree(Path d) {
        try (Stream<Path> s = Files.walk(d)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a file the host will not let go: left for the host's own /dev/shm cleanup
                }
            });
        } catch (IOException | RuntimeException e) {
            // already gone
        }
    }
}
