package dev.phoenix.libos.fs;

import dev.phoenix.libos.Errno;
import dev.phoenix.libos.ns.MountNamespace;
import dev.phoenix.libos.ns.UserNamespace;
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
    /** The kernel's synthetic file systems by type ("proc", "sysfs", "devtmpfs"), for mount(2) to show again. */
    private final java.util.Map<String, SyntheticFs> bootFs = new java.util.concurrent.ConcurrentHashMap<>();
    /** The kernel's initial mount namespace, whose table the boot mounts go in. */
    private final MountNamespace initial;
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


    /** A VFS rooted at host directory {@code root}, with a mount namespace of its own. */
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
        this(root, sysroot, new MountNamespace(UserNamespace.initial(), true));
    }

    /**
     * As {@link #Vfs(Path, Path)}, whose mounts are those of {@code initial}, the kernel's
     * initial mount namespace: its root mount is {@code root}, described as the host describes
     * the file system holding it.
     */
    public Vfs(Path root, Path sysroot, MountNamespace initial) {
        this.root = root.toAbsolutePath().normalize();
        this.sysroot = sysroot == null ? null : new Vfs(sysroot, null);
        this.initial = initial;
        Mount rootMount = HostMounts.rootMount(this.root);
        initial.update(null, t -> MountTable.of(rootMount));
    }

    /** The flock(2) locks of files in this file system. */
    public FlockTable flocks() {
        return flocks;
    }

    /**
     * Mounts {@code fs} at absolute guest path {@code point} of the initial namespace ("/dev",
     * "/proc", "/sys", "/sys/fs/cgroup"), as the boot mounts Linux distributions make. /dev brings /dev/shm with
     * it: the rootfs's own directory (on a host root, the host's tmpfs /dev/shm), where glibc
     * and musl put POSIX shared memory and semaphores.
     */
    public void mount(String point, SyntheticFs fs) {
        String[] kind = switch (point) {
            case "/dev" -> new String[] {"devtmpfs", "devtmpfs", "rw,mode=755"};
            case "/proc" -> new String[] {"proc", "proc", "rw"};
            case "/sys" -> new String[] {"sysfs", "sysfs", "rw"};
            case "/sys/fs/cgroup" -> new String[] {"cgroup2", "cgroup2", "rw,nsdelegate,memory_recursiveprot"};
            default -> new String[] {"none", "none", "rw"};
        };
        bootFs.put(kind[0], fs);
        int flags = point.equals("/dev") ? Mount.MS_NOSUID
                : Mount.MS_NOSUID | Mount.MS_NODEV | Mount.MS_NOEXEC | Mount.MS_RELATIME;
        initial.update(null, t -> {
            Mount parent = t.lookup(point);
            int id = Mount.newId();
            MountTable n = t.with(new Mount(id, parent.id(), point, null, fs, "", "/", flags, kind[0], kind[1], kind[2],
                    0, 0, false, null, fs.magic(), Mount.anonDev()));
            if (point.equals("/dev")) {
                Path shm = root.resolve("dev").resolve("shm");
                n = n.with(new Mount(Mount.newId(), id, "/dev/shm", shm, null, "", "/",
                        Mount.MS_NOSUID | Mount.MS_NODEV, "tmpfs", "tmpfs", "rw", 0, 0, false, null, 0,
                        Mount.hostDev(shm)));
            }
            return n;
        });
    }

    /** The kernel's synthetic file system of {@code type} ("proc", "sysfs", "devtmpfs"), or null. */
    public SyntheticFs bootFs(String type) {
        return bootFs.get(type);
    }

    /** The mount table of the initial namespace (the boot mounts and what the guest did to them). */
    public MountTable table() {
        return initial.table();
    }

    /** The mounts {@code process}'s paths are walked in: its namespace's, else the initial one's. */
    public MountTable tableFor(dev.phoenix.libos.proc.Process process) {
        MountTable t = process == null || process.namespaces == null ? null : process.namespaces.mnt().table();
        return t != null ? t : initial.table();
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
     * or, inside a synthetic mount, that file system and the path relative to its root. The last
     * component may not exist (for O_CREAT, mkdir, symlink ...). When the walk ended by
     * following a magic link to a file without a path (/dev/stdin to a pipe), {@code opened}
     * is that open file, which stat and open then act on; otherwise it is null. {@code mount}
     * is the mount the path lies in (its flags: MS_RDONLY, MS_NOEXEC ...).
     */
    public record Resolved(String guestPath, Path hostPath, SyntheticFs synthetic, String relative, OpenFile opened,
            Mount mount) {
        public Resolved(String guestPath, Path hostPath, SyntheticFs synthetic, String relative) {
            this(guestPath, hostPath, synthetic, relative, null, null);
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
         * The host path, to be changed: EROFS through a read-only mount (mnt_want_write) and
         * inside a synthetic file system.
         */
        public Path writableHostPath() {
            if (mount != null && mount.readOnly()) {
                throw Errno.of(Errno.EROFS);
            }
            return hostPath();
        }

        /** EROFS when the path lies in a read-only mount (mnt_want_write). */
        public void requireWritable() {
            if (mount != null && mount.readOnly()) {
                throw Errno.of(Errno.EROFS);
            }
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
     * As {@link #resolve(String, String, boolean)}, for {@code process}: in its mount namespace,
     * and symlinks of synthetic file systems (/proc/self, /proc/self/fd/N) answer for it. With a
     * null process they are not followed.
     */
    public Resolved resolve(String base, String path, boolean followLast, dev.phoenix.libos.proc.Process process) {
        return resolve("/", base, path, followLast, process, 0);
    }

    /** openat2(2) RESOLVE_* flags understood by {@link #resolve(String, String, String, boolean, dev.phoenix.libos.proc.Process, int)}. */
    public static final int RESOLVE_NO_XDEV = 0x01, RESOLVE_NO_MAGICLINKS = 0x02, RESOLVE_NO_SYMLINKS = 0x04,
            RESOLVE_BENEATH = 0x08, RESOLVE_IN_ROOT = 0x10;

    /**
     * As above, from root directory {@code rootDir} (the caller's, which chroot(2) moves: absolute
     * paths and absolute links start there and ".." stops there), restricted by openat2's
     * {@code resolveFlags}: NO_SYMLINKS (ELOOP on any link), NO_MAGICLINKS (ELOOP on /proc
     * links), NO_XDEV (EXDEV crossing a mount), BENEATH (EXDEV when the walk would leave
     * {@code base}) and IN_ROOT ({@code base} acts as "/").
     */
    public Resolved resolve(String rootDir, String base, String path, boolean followLast,
            dev.phoenix.libos.proc.Process process, int resolveFlags) {
        if (path.isEmpty()) {
            throw Errno.of(Errno.ENOENT);
        }
        if (path.length() >= PATH_MAX) {
            throw Errno.of(Errno.ENAMETOOLONG);
        }
        MountTable table = tableFor(process);
        boolean chrooted = !rootDir.equals("/");
        if (sysroot != null && path.startsWith("/") && resolveFlags == 0 && !chrooted) {
            Resolved in = inSysroot(path, followLast, table);
            if (in != null) {
                return in;
            }
        }
        boolean confined = (resolveFlags & (RESOLVE_BENEATH | RESOLVE_IN_ROOT)) != 0;
        List<String> floor = confined ? components(base) : chrooted ? components(rootDir) : List.of();
        if (path.startsWith("/") && (resolveFlags & RESOLVE_BENEATH) != 0) {
            throw Errno.of(Errno.EXDEV);
        }
        MountWalk at = new MountWalk(table);
        at.reset(path.startsWith("/") && !confined ? floor : components(base));
        Mount startMount = at.mount();
        boolean noXdev = (resolveFlags & RESOLVE_NO_XDEV) != 0;
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
                if (chrooted && at.size() == floor.size() && at.components().equals(floor)) {
                    continue; // ".." at the process's root stays there (follow_dotdot's path_equal)
                }
                at.pop();
                if (noXdev && at.mount() != startMount) {
                    throw Errno.of(Errno.EXDEV);
                }
                continue;
            }
            if (c.length() > NAME_MAX) {
                throw Errno.of(Errno.ENAMETOOLONG);
            }
            at.push(c);
            boolean last = todo.isEmpty();
            Mount m = at.mount();
            if (noXdev && m != startMount) {
                throw Errno.of(Errno.EXDEV);
            }
            SyntheticFs inside = m.synthetic();
            if (inside != null) {
                // Inside a synthetic mount: no host files; the file system's own links.
                String rel = at.relative();
                String target = process == null || at.atMountRoot() || (last && !followLast && !trailingSlash) ? null
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
                        return new Resolved(at.guest(), null, inside, rel, file, m);
                    }
                    splice(at, todo, target, floor, resolveFlags);
                }
                continue;
            }
            Path host = at.host();
            if (Files.isSymbolicLink(host) && (!last || followLast || trailingSlash)) {
                if ((resolveFlags & RESOLVE_NO_SYMLINKS) != 0 || ++links > MAX_SYMLINKS) {
                    throw Errno.of(Errno.ELOOP);
                }
                if ((m.flags() & Mount.MS_NOSYMFOLLOW) != 0) {
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
        Mount m = at.mount();
        SyntheticFs fs = m.synthetic();
        return new Resolved(at.guest(), fs == null ? at.host() : null, fs, fs == null ? null : at.relative(), null, m);
    }

    /**
     * Absolute {@code path} resolved in the sysroot when something exists there, else null.
     * Paths inside the root's own mounts (/proc, /dev) are never looked for there.
     */
    private Resolved inSysroot(String path, boolean followLast, MountTable table) {
        List<String> parts = components(path);
        if (!parts.isEmpty()) {
            Mount top = table.over(table.root(), "/");
            if (table.over(top, "/" + parts.get(0)) != top) {
                return null;
            }
        }
        try {
            Resolved r = sysroot.resolve("/", path, followLast, null);
            return r.exists() ? r : null;
        } catch (Errno e) {
            return null;
        }
    }

    /**
     * Replaces the link just walked (the last of {@code at}) by its target: an absolute target
     * restarts from the guest root, and the target's components are walked before the rest.
     */
    private static void splice(MountWalk at, Deque<String> todo, String target, List<String> floor,
            int resolveFlags) {
        at.pop();
        if (target.startsWith("/")) {
            if ((resolveFlags & RESOLVE_BENEATH) != 0) {
                throw Errno.of(Errno.EXDEV);
            }
            at.reset(floor); // IN_ROOT and chroot: absolute targets start at the confining directory
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

    /** The components of {@code path}, without empty ones. */
    public static List<String> components(String path) {
        List<String> out = new ArrayList<>();
        for (String c : path.split("/")) {
            if (!c.isEmpty()) {
                out.add(c);
            }
        }
        return out;
    }
}
