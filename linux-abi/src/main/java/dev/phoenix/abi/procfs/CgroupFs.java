package dev.phoenix.abi.procfs;

import dev.phoenix.abi.LinuxKernel;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.cgroup.Cgroup;
import dev.phoenix.libos.cgroup.CgroupFiles;
import dev.phoenix.libos.cgroup.CgroupHierarchy;
import dev.phoenix.libos.fs.FileStatus;
import dev.phoenix.libos.fs.OpenFile;
import dev.phoenix.libos.fs.SyntheticFs;
import dev.phoenix.libos.proc.Process;
import dev.phoenix.libos.proc.Task;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * cgroup2 (/sys/fs/cgroup): a directory per group of the kernel's {@link CgroupHierarchy}, with
 * its interface files ({@link CgroupFiles}); mkdir makes a group and rmdir removes one. Each
 * process sees the tree from its cgroup namespace's root, as a cgroup2 mount made inside the
 * namespace shows it. statfs says CGROUP2_SUPER_MAGIC.
 */
public final class CgroupFs implements SyntheticFs {
    /** st_dev of cgroup2 files. */
    private static final long DEV = 24;
    private static final int O_RDONLY = 0;

    private final CgroupHierarchy hierarchy;
    private final CgroupFiles files;

    /** The cgroup2 file system of {@code kernel}'s hierarchy. */
    public CgroupFs(LinuxKernel kernel) {
        this.hierarchy = kernel.cgroups();
        this.files = new CgroupFiles(hierarchy, writer -> pid -> {
            int global = writer.namespaces.pid().global(pid); // the pid as the writer's namespace numbers it
            Task t = global > 0 ? kernel.task(global) : null;
            return t != null ? t.process() : null;
        }, p -> p.readAddressSpace(dev.phoenix.libos.mm.AddressSpace::chargedBytes, null),
                p -> dev.phoenix.abi.linux.SignalSyscalls.postFromProcess(kernel, p, dev.phoenix.abi.Signals.SIGKILL,
                        dev.phoenix.abi.signal.SigInfo.SI_KERNEL, 0, 0));
    }

    @Override
    public long magic() {
        return 0x63677270L; // CGROUP2_SUPER_MAGIC
    }

    /** The group {@code p}'s cgroup namespace sees as "/". */
    private Cgroup rootFor(Process p) {
        Cgroup r = p.namespaces.cgroup().root();
        return r != null ? r : hierarchy.root();
    }

    /** What a path names: a group, or a file of one (file non-null); null when nothing. */
    private record Node(Cgroup group, String file) {}

    private Node node(String rel, Process p) {
        Cgroup root = rootFor(p);
        Cgroup g = hierarchy.lookup(root, rel);
        if (g != null) {
            return new Node(g, null);
        }
        int slash = rel.lastIndexOf('/');
        Cgroup dir = hierarchy.lookup(root, slash < 0 ? "" : rel.substring(0, slash));
        String name = rel.substring(slash + 1);
        return dir != null && files.exists(dir, name) ? new Node(dir, name) : null;
    }

    @Override
    public FileStatus stat(String rel, Process p) {
        Node n = node(rel, p);
        if (n == null) {
            return null;
        }
        long ino = 1 + (System.identityHashCode(n.group()) & 0xffffffL) * 64 + (n.file() == null ? 0 : 1 + (n.file().hashCode() & 31));
        if (n.file() == null) {
            return new FileStatus(DEV, ino, FileStatus.S_IFDIR | 0755, 2, 0, 0, 0, 0, 4096, 0, 0, 0, 0);
        }
        return new FileStatus(DEV, ino, FileStatus.S_IFREG | CgroupFiles.mode(n.file()), 1, 0, 0, 0, 0, 4096, 0, 0, 0, 0);
    }

    @Override
    public OpenFile open(String rel, Process p) {
        return open(rel, p, O_RDONLY);
    }

    /**
     * Opens an interface file: its text is made now for a reader (as kernfs's seq_file makes
     * it at the first read); each write(2) is one request to the file, made by the writing
     * process.
     */
    @Override
    public OpenFile open(String rel, Process p, int accessMode) {
        Node n = node(rel, p);
        if (n == null) {
            throw Errno.of(Errno.ENOENT);
        }
        if (n.file() == null) {
            throw Errno.of(Errno.EISDIR);
        }
        if (accessMode != O_RDONLY && (CgroupFiles.mode(n.file()) & 0200) == 0) {
            throw Errno.of(Errno.EACCES);
        }
        byte[] text = accessMode == 1 ? new byte[0]
                : files.read(n.group(), n.file(), p).getBytes(StandardCharsets.UTF_8);
        Cgroup g = n.group();
        String name = n.file();
        return new ProcFile(text, accessMode, bytes -> {
            Task current = Task.current();
            Process writer = current != null ? current.process() : p;
            files.write(g, name, writer, new String(bytes, StandardCharsets.UTF_8));
        });
    }

    /** The group each open directory of this file system is (CLONE_INTO_CGROUP's file descriptor). */
    private static final java.util.Map<OpenFile, Cgroup> OPEN_GROUPS =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    @Override
    public OpenFile openDirectory(String rel, String guestPath, Process p) {
        OpenFile dir = SyntheticFs.super.openDirectory(rel, guestPath, p);
        Node n = node(rel, p);
        if (n != null && n.file() == null) {
            OPEN_GROUPS.put(dir, n.group());
        }
        return dir;
    }

    /**
     * The group open file {@code f} is a directory of, for clone3's CLONE_INTO_CGROUP (Linux's
     * cgroup_get_from_file): EBADF when it is not a cgroup2 directory.
     */
    public static Cgroup groupOf(OpenFile f) {
        Cgroup g = f == null ? null : OPEN_GROUPS.get(f);
        if (g == null) {
            throw Errno.of(Errno.EBADF);
        }
        return g;
    }

    @Override
    public List<String> list(String rel, Process p) {
        Node n = node(rel, p);
        if (n == null) {
            throw Errno.of(Errno.ENOENT);
        }
        if (n.file() != null) {
            throw Errno.of(Errno.ENOTDIR);
        }
        List<String> names = new ArrayList<>(files.names(n.group()));
        names.addAll(hierarchy.childNames(n.group()));
        return names;
    }

    /** mkdir(2): a new group (EEXIST for a file's or a group's name, ENOENT below something that is no group). */
    @Override
    public void mkdir(String rel, Process p, int mode) {
        if (node(rel, p) != null) {
            throw Errno.of(Errno.EEXIST);
        }
        int slash = rel.lastIndexOf('/');
        Cgroup parent = hierarchy.lookup(rootFor(p), slash < 0 ? "" : rel.substring(0, slash));
        if (parent == null) {
            throw Errno.of(Errno.ENOENT);
        }
        hierarchy.mkdir(parent, rel.substring(slash + 1));
    }

    /** rmdir(2): removes a group (EBUSY while it has processes or groups; ENOTDIR for a file). */
    @Override
    public void rmdir(String rel, Process p) {
        Node n = node(rel, p);
        if (n == null) {
            throw Errno.of(Errno.ENOENT);
        }
        if (n.file() != null) {
            throw Errno.of(Errno.ENOTDIR);
        }
        if (n.group() == rootFor(p)) {
            throw Errno.of(Errno.EBUSY);
        }
        hierarchy.rmdir(n.group());
    }
}
