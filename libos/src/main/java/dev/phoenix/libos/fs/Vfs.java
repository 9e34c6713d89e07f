package dev.phoenix.libos.fs;

import dev.phoenix.libos.Errno;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The guest's view of the file system: a host directory ({@code --rootfs}) seen as "/". Paths
 * are resolved here one component at a time, as the kernel's path walk does (path_resolution(7)),
 * so that neither ".." nor a symlink, absolute or relative, can lead outside the root: the host
 * never follows a link on the guest's behalf.
 */
public final class Vfs {
    /** Linux's limit on symlinks followed in one resolution (MAXSYMLINKS). */
    private static final int MAX_SYMLINKS = 40;
    private static final int PATH_MAX = 4096;
    private static final int NAME_MAX = 255;

    private final Path root;
    /** The -L sysroot: absolute paths are looked up in it first; null when there is none. */
    private final Vfs sysroot;
    private final java.util.Map<String, SyntheticFs> mounts = new java.util.HashMap<>();
    private final FlockTable flocks = new FlockTable();
    /**
     * Linux's i_writecount, per host file (its fileKey: device and inode): {writers, running
     * images}. A file cannot have both: execve of a file open for writing and opening a running
     * program for writing are ETXTBSY. @GuardedBy("writeCounts")
     */
    private final java.util.Map<Object, int[]> writeCounts = new java.util.HashMap<>();

    /** The identity of host file {@code p} (device and inode), or null when it cannot be read. */
    public static Object fileKey(Path p) {
        try {
            return java.nio.file.Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** One more writer of file {@code key} (get_write_access); ETXTBSY while a process runs it. */
    public void getWriteAccess(Object key) {
        count(key, 0, 1);
    }

    /** One writer fewer (put_write_access). */
    public void putWriteAccess(Object key) {
        count(key, 0, -1);
    }

    /** One more running image of file {@code key} (deny_write_access); ETXTBSY while it is open for writing. */
    public void denyWriteAccess(Object key) {
        count(key, 1, 1);
    }

    /** A running image of the file is gone (allow_write_access). */
    public void allowWriteAccess(Object key) {
        count(key, 1, -1);
    }

    private void count(Object key, int which, int by) {
        if (key == null) {
            return;
        }
        synchronized (writeCounts) {
            int[] c = writeCounts.computeIfAbsent(key, k -> new int[2]);
            if (by > 0 && c[1 - which] > 0) {
                if (c[0] == 0 && c[1] == 0) {
                    writeCounts.remove(key);
                }
                throw dev.phoenix.libos.Errno.of(dev.phoenix.libos.Errno.ETXTBSY);
            }
            c[which] = Math.max(0, c[which] + by);
            if (c[0] == 0 && c[1] == 0) {
                writeCounts.remove(key);
            }
        }
    }


    /** A VFS rooted at host directory {@code root}. */
    public Vfs(Path root) {
        this(root, null);
    }

    /**
     * A VFS rooted at host directory {@code root}, where every absolute path the guest names is
     * looked up first in host directory {@code sysroot} (null: none) and, when nothing is
     * there, in {@code root}: qemu-user's -L, which puts a foreign arch's dynamic loader and
     * libraries where its programs look for them. Symlinks met in the sysroot resolve inside it.
     */
    public Vfs(Path root, Path sysroot) {
        this.root = root.toAbsolutePath().normalize();
        this.sysroot = sysroot == null ? null : new Vfs(sysroot, null);
    }

    /** The flock(2) locks of files in this file system. */
    public FlockTable flocks() {
        return flocks;
    }

    /**
     * Mounts {@code fs} at absolute guest path {@code point} ("/dev", "/proc", or deeper, inside
     * another synthetic mount: "/sys/fs/cgroup", where the file system below must list the
     * mount point's name as a directory of its own, as sysfs makes /sys/fs/cgroup).
     */
    public void mount(String point, SyntheticFs fs) {
        mounts.put(point, fs);
        mountDepth = Math.max(mountDepth, components(point).size());
    }

    /** The deepest mount point's component count. */
    private int mountDepth = 1;

    /** A synthetic file system and the number of leading components of a path that name its mount point. */
    private record MountAt(SyntheticFs fs, int depth) {}

    /**
     * The synthetic mount {@code at} lies in (the deepest whose point is a prefix of it), or
     * null inside the host's tree (outside every mount, or in /dev/shm).
     */
    private MountAt mountOf(List<String> at) {
        if (at.isEmpty() || hostInsideMount(at)) {
            return null;
        }
        for (int depth = Math.min(mountDepth, at.size()); depth >= 1; depth--) {
            SyntheticFs fs = mounts.get(depth == 1 ? "/" + at.get(0) : guestOf(at.subList(0, depth)));
            if (fs != null) {
                return new MountAt(fs, depth);
            }
        }
        return null;
    }

    /** The host directory that is the guest's "/". */
    public Path root() {
        return root;
    }

    /** The guest path of host path {@code host} (absolute, normalised) when it lies inside the root, else null. */
    public String guestPathOf(Path host) {
        if (sysroot != null && host.startsWith(sysroot.root)) {
            return sysroot.guestPathOf(host);
        }
        if (!host.startsWith(root)) {
            return null;
        }
        String rel = root.relativize(host).toString();
        return rel.isEmpty() ? "/" : "/" + rel;
    }

    /**
     * A resolved path: the guest's absolute, normalised path and either the host path behind it
     * or, inside a synthetic mount, that file system and the path relative to its mount point.
     * The last component may not exist (for O_CREAT, mkdir, symlink ...). When the walk ended
     * by following a magic link to a file without a path (/dev/stdin to a pipe), {@code opened}
     * is that open file, which stat and open then act on; otherwise it is null.
     */
    public record Resolved(String guestPath, Path hostPath, SyntheticFs synthetic, String relative, OpenFile opened) {
        public Resolved(String guestPath, Path hostPath, SyntheticFs synthetic, String relative) {
            this(guestPath, hostPath, synthetic, relative, null);
        }

        /** The host path; EROFS inside a synthetic file system, whose files are not host files. */
        @Override
        public Path hostPath() {
            if (synthetic != null) {
                throw Errno.of(Errno.EROFS);
            }
            return hostPath;
        }

        /**
         * True when something (a file, directory or dangling link) exists there; inside a
         * synthetic mount, existence is the file system's to answer (ask its stat).
         */
        public boolean exists() {
            return synthetic != null || Files.exists(hostPath, LinkOption.NOFOLLOW_LINKS);
        }
    }

    /**
     * Resolves {@code path} relative to guest directory {@code base} (an absolute guest path).
     * {@code followLast}: whether a symlink in the last component is followed (not for
     * O_NOFOLLOW, lstat, readlink, unlink ...). Throws ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG.
     */
    public Resolved resolve(String base, String path, boolean followLast) {
        return resolve(base, path, followLast, null);
    }

    /**
     * As {@link #resolve(String, String, boolean)}, for {@code process}: symlinks of synthetic
     * file systems (/proc/self, /proc/self/fd/N) answer for it. With a null process they are
     * not followed.
     */
    public Resolved resolve(String base, String path, boolean followLast, dev.phoenix.libos.proc.Process process) {
        return resolve(base, path, followLast, process, 0);
    }

    /** openat2(2) RESOLVE_* flags understood by {@link #resolve(String, String, boolean, dev.phoenix.libos.proc.Process, int)}. */
    public static final int RESOLVE_NO_XDEV = 0x01, RESOLVE_NO_MAGICLINKS = 0x02, RESOLVE_NO_SYMLINKS = 0x04,
            RESOLVE_BENEATH = 0x08, RESOLVE_IN_ROOT = 0x10;

    /**
     * As above, restricted by openat2's {@code resolveFlags}: NO_SYMLINKS (ELOOP on any link),
     * NO_MAGICLINKS (ELOOP on /proc links), NO_XDEV (EXDEV entering another mount), BENEATH
     * (EXDEV when the walk would leave {@code base}) and IN_ROOT ({@code base} acts as "/").
     */
    public Resolved resolve(String base, String path, boolean followLast, dev.phoenix.libos.proc.Process process,
            int resolveFlags) {
        if (path.isEmpty()) {
            throw Errno.of(Errno.ENOENT);
        }
        if (path.length() >= PATH_MAX) {
            throw Errno.of(Errno.ENAMETOOLONG);
        }
        if (sysroot != null && path.startsWith("/") && resolveFlags == 0) {
            Resolved in = inSysroot(path, followLast);
            if (in != null) {
                return in;
            }
        }
        boolean confined = (resolveFlags & (RESOLVE_BENEATH | RESOLVE_IN_ROOT)) != 0;
        List<String> floor = confined ? components(base) : List.of();
        if (path.startsWith("/") && (resolveFlags & RESOLVE_BENEATH) != 0) {
            throw Errno.of(Errno.EXDEV);
        }
        List<String> at = path.startsWith("/") && !confined ? new ArrayList<>() : new ArrayList<>(components(base));
        MountAt startMount = mountOf(at);
        Deque<String> todo = new ArrayDeque<>(components(path));
        boolean trailingSlash = path.endsWith("/");
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.removeFirst();
            if (c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (confined && at.size() <= floor.size()) {
                    if ((resolveFlags & RESOLVE_BENEATH) != 0) {
                        throw Errno.of(Errno.EXDEV);
                    }
                    continue; // IN_ROOT: ".." at the root stays there
                }
                if (!at.isEmpty()) {
                    at.remove(at.size() - 1);
                }
                continue;
            }
            if (c.length() > NAME_MAX) {
                throw Errno.of(Errno.ENAMETOOLONG);
            }
            at.add(c);
            boolean last = todo.isEmpty();
            MountAt mount = mountOf(at);
            SyntheticFs inside = mount == null ? null : mount.fs();
            if ((resolveFlags & RESOLVE_NO_XDEV) != 0
                    && inside != (startMount == null ? null : startMount.fs())) {
                throw Errno.of(Errno.EXDEV);
            }
            if (inside != null) {
                // Inside a synthetic mount: no host files; the file system's own links.
                String rel = String.join("/", at.subList(mount.depth(), at.size()));
                String target = process == null || at.size() == mount.depth() || (last && !followLast && !trailingSlash) ? null
                        : inside.readlink(rel, process);
                if (target != null) {
                    if ((resolveFlags & (RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS)) != 0 || ++links > MAX_SYMLINKS) {
                        throw Errno.of(Errno.ELOOP);
                    }
                    OpenFile file = inside.magicLink(rel, process);
                    if (file != null && file.guestPath() == null) {
                        // A magic link to a pipe, a terminal or a host stream: the walk ends at
                        // the file itself, which is not a directory to go on through.
                        if (!last || trailingSlash) {
                            throw Errno.of(Errno.ENOTDIR);
                        }
                        return new Resolved(guestOf(at), hostOf(at), inside, rel, file);
                    }
                    splice(at, todo, target, floor, resolveFlags);
                }
                continue;
            }
            Path host = hostOf(at);
            if (Files.isSymbolicLink(host) && (!last || followLast || trailingSlash)) {
                if ((resolveFlags & RESOLVE_NO_SYMLINKS) != 0 || ++links > MAX_SYMLINKS) {
                    throw Errno.of(Errno.ELOOP);
                }
                splice(at, todo, readLink(host), floor, resolveFlags);
                continue;
            }
            boolean exists = Files.exists(host, LinkOption.NOFOLLOW_LINKS);
            if (!last && !exists) {
                throw Errno.of(Errno.ENOENT);
            }
            // A trailing slash demands a directory if the name exists; a missing one is left
            // to the caller (mkdir("d/") creates d, open("f/") is ENOENT).
            if ((!last || trailingSlash) && exists && !Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
                throw Errno.of(Errno.ENOTDIR);
            }
        }
        MountAt mount = mountOf(at);
        SyntheticFs fs = mount == null ? null : mount.fs();
        String rel = fs == null ? null : String.join("/", at.subList(mount.depth(), at.size()));
        return new Resolved(guestOf(at), hostOf(at), fs, rel);
    }

    /**
     * True for /dev/shm and below: the rootfs's own directory (on a host root, the host's tmpfs
     * /dev/shm), where glibc and musl put POSIX shared memory and semaphores (shm_open,
     * sem_open), under the synthetic /dev.
     */
    private static boolean hostInsideMount(List<String> at) {
        return at.size() >= 2 && at.get(0).equals("dev") && at.get(1).equals("shm");
    }

    /**
     * Absolute {@code path} resolved in the sysroot when something exists there, else null.
     * Synthetic mounts (/proc, /dev) are never looked for there.
     */
    private Resolved inSysroot(String path, boolean followLast) {
        List<String> parts = components(path);
        if (!parts.isEmpty() && mounts.containsKey("/" + parts.get(0))) {
            return null;
        }
        try {
            Resolved r = sysroot.resolve("/", path, followLast, null, 0);
            return r.exists() ? r : null;
        } catch (Errno e) {
            return null;
        }
    }

    /**
     * Replaces the link just walked (the last of {@code at}) by its target: an absolute target
     * restarts from the guest root, and the target's components are walked before the rest.
     */
    private static void splice(List<String> at, Deque<String> todo, String target, List<String> floor,
            int resolveFlags) {
        at.remove(at.size() - 1);
        if (target.startsWith("/")) {
            if ((resolveFlags & RESOLVE_BENEATH) != 0) {
                throw Errno.of(Errno.EXDEV);
            }
            at.clear();
            at.addAll(floor); // IN_ROOT: absolute targets start at the confining directory
        }
        List<String> more = components(target);
        for (int i = more.size() - 1; i >= 0; i--) {
            todo.addFirst(more.get(i));
        }
    }

    private static String readLink(Path host) {
        try {
            return Files.readSymbolicLink(host).toString();
        } catch (IOException e) {
            throw HostErrors.toErrno(e);
        }
    }

    private Path hostOf(List<String> components) {
        Path p = root;
        for (String c : components) {
            p = p.resolve(c);
        }
        return p;
    }

    private static String guestOf(List<String> components) {
        return components.isEmpty() ? "/" : "/" + String.join("/", components);
    }

    private static List<String> components(String path) {
        List<String> out = new ArrayList<>();
        for (String c : path.split("/")) {
            if (!c.isEmpty()) {
                out.add(c);
            }
        }
        return out;
    }
}
