package dev.phoenix.abi.procfs;

import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.FileStatus;
import dev.phoenix.libos.fs.OpenFile;
import dev.phoenix.libos.fs.SyntheticFs;
import dev.phoenix.libos.proc.Process;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * /sys: the entries glibc and busybox read, the CPU lists under devices/system/cpu (glibc's
 * get_nprocs and sysconf(_SC_NPROCESSORS_*) read "online" and "possible"), a cpuN directory per
 * CPU with its topology, one NUMA node (devices/system/node: libnuma's view) and the kernel's
 * page-size hints. Directories are implied by the files below them, and fs/cgroup is the empty
 * directory cgroup2 is mounted on (sysfs_create_mount_point).
 */
public final class SysFs implements SyntheticFs {
    private static final long DEV = 23;
    private final Map<String, String> files = new TreeMap<>();

    /** The sysfs of a machine with {@code cpus} CPUs. */
    public SysFs(int cpus) {
        String list = cpus == 1 ? "0\n" : "0-" + (cpus - 1) + "\n";
        files.put("devices/system/cpu/online", list);
        files.put("devices/system/cpu/possible", list);
        files.put("devices/system/cpu/present", list);
        // One directory per CPU: busybox's nproc --all and glibc's get_nprocs_conf count them.
        for (int cpu = 0; cpu < cpus; cpu++) {
            String dir = "devices/system/cpu/cpu" + cpu + "/";
            files.put(dir + "topology/core_id", cpu + "\n");
            files.put(dir + "topology/physical_package_id", "0\n");
            if (cpu > 0) {
                files.put(dir + "online", "1\n"); // x86 cannot take cpu0 offline, so it has no "online"
            }
        }
        // One NUMA node holding every CPU, as libnuma reads it (numa_node_of_cpu, numa_num_configured_nodes).
        for (String f : List.of("online", "possible", "has_cpu", "has_memory", "has_normal_memory")) {
            files.put("devices/system/node/" + f, "0\n");
        }
        files.put("devices/system/node/node0/cpulist", list);
        files.put("devices/system/node/node0/cpumap", cpumap(cpus));
        files.put("devices/system/node/node0/distance", "10\n");
        files.put("kernel/mm/transparent_hugepage/enabled", "always madvise [never]\n");
    }

    /** A CPU mask as sysfs prints it (%*pb): hex, in comma-separated 32-bit groups, no leading zeros. */
    static String cpumap(int cpus) {
        StringBuilder b = new StringBuilder();
        for (int group = (cpus - 1) / 32; group >= 0; group--) {
            int bits = Math.min(32, cpus - group * 32);
            long mask = bits == 32 ? 0xffffffffL : (1L << bits) - 1;
            b.append(b.length() == 0 ? Long.toHexString(mask) : String.format("%08x", mask));
            if (group > 0) {
                b.append(',');
            }
        }
        return b.append('\n').toString();
    }

    /** Empty directories where other file systems are mounted, as keys ending in "/". */
    private static final List<String> MOUNT_POINTS = List.of("fs/cgroup/");

    /** The file paths, and the mount points, from which the directories follow. */
    private List<String> paths() {
        List<String> all = new java.util.ArrayList<>(files.keySet());
        all.addAll(MOUNT_POINTS);
        return all;
    }

    private boolean isDir(String rel) {
        return ImpliedDirs.isDir(paths(), rel) || MOUNT_POINTS.contains(rel + "/");
    }

    @Override
    public long magic() {
        return 0x62656572L; // SYSFS_MAGIC
    }

    @Override
    public FileStatus stat(String rel, Process p) {
        if (files.containsKey(rel)) {
            return new FileStatus(DEV, 100 + (rel.hashCode() & 0xffff), FileStatus.S_IFREG | 0444, 1, 0, 0, 0, 4096,
                    4096, 0, 0, 0, 0);
        }
        if (isDir(rel)) {
            return new FileStatus(DEV, 1 + (rel.hashCode() & 0xff), FileStatus.S_IFDIR | 0755, 2, 0, 0, 0, 0, 4096, 0,
                    0, 0, 0);
        }
        return null;
    }

    @Override
    public OpenFile open(String rel, Process p) {
        String text = files.get(rel);
        if (text == null) {
            throw Errno.of(isDir(rel) ? Errno.EISDIR : Errno.ENOENT);
        }
        return new ProcFile(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public List<String> list(String rel, Process p) {
        if (!isDir(rel)) {
            throw Errno.of(files.containsKey(rel) ? Errno.ENOTDIR : Errno.ENOENT);
        }
        return ImpliedDirs.children(paths(), rel);
    }
}
