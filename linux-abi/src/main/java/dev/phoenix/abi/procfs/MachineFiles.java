package dev.phoenix.abi.procfs;

import dev.phoenix.abi.ArchAbi;
import dev.phoenix.abi.Machine;
import dev.phoenix.libos.proc.Process;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * /proc's machine-wide files (proc(5)): cpuinfo, meminfo, uptime, loadavg, stat, version and
 * mounts, and /proc/sys, read-only, whose values sysctl(8) and programs read.
 */
final class MachineFiles {
    /** The files at /proc's top besides sys/. */
    private static final List<String> NAMES = List.of("cpuinfo", "meminfo", "uptime", "loadavg", "stat", "version",
            "mounts", "devices");

    /**
     * /proc/devices (proc(5)): the character majors of the devices /dev has, as Linux's
     * chrdev_show lists them, and no block devices.
     */
    private static final String DEVICES = "Character devices:\n  1 mem\n  4 /dev/vc/0\n  5 /dev/tty\n"
            + "  5 /dev/console\n  5 /dev/ptmx\n 10 misc\n136 pts\n"
            + dev.phoenix.vgpu.device.VgpuDevice.MAJOR + " " + dev.phoenix.vgpu.device.VgpuDevice.DRIVER + "\n"
            + "\nBlock devices:\n";

    private final ArchAbi abi;
    private final Machine machine;
    private final String rootMount;
    private final String release;
    private final String version;
    /** The processes /proc lists to a caller (loadavg counts their threads). */
    private final Function<Process, List<Process>> processes;
    /** /proc/sys, by path under "sys/". */
    private final Map<String, Supplier<String>> sysctl;
    /** Made on first read: drawing it at start would shift a deterministic run's random stream. */
    private String bootId;
    /** The host's pid_max, read on first use (no I/O at start-up for a file few programs read). */
    private String pidMax;

    MachineFiles(ArchAbi abi, Machine machine, String rootMount, String release, String version,
            Function<Process, List<Process>> processes) {
        this.abi = abi;
        this.machine = machine;
        this.rootMount = rootMount;
        this.release = release;
        this.version = version;
        this.processes = processes;
        this.sysctl = sysctl();
    }

    /** The /proc/sys files; each value is made when read, so building the table costs no I/O. */
    private Map<String, Supplier<String>> sysctl() {
        Map<String, Supplier<String>> m = new java.util.TreeMap<>();
        m.put("sys/kernel/ostype", () -> "Linux");
        m.put("sys/kernel/osrelease", () -> release);
        m.put("sys/kernel/version", () -> version);
        m.put("sys/kernel/domainname", () -> "(none)");
        m.put("sys/kernel/pid_max", this::pidMax);
        m.put("sys/kernel/threads-max", () -> Long.toString(machine.memory().total() / (8 * 16384))); // max_threads
        m.put("sys/kernel/ngroups_max", () -> "65536");
        m.put("sys/kernel/cap_last_cap", () -> "40"); // CAP_CHECKPOINT_RESTORE in Linux 6.1
        m.put("sys/kernel/overflowuid", () -> "65534"); // what an id no user namespace map names shows as
        m.put("sys/kernel/overflowgid", () -> "65534");
        m.put("sys/kernel/random/boot_id", this::bootId);
        m.put("sys/kernel/random/uuid", this::uuid);
        m.put("sys/kernel/random/entropy_avail", () -> "256");
        m.put("sys/kernel/random/poolsize", () -> "256");
        m.put("sys/vm/overcommit_memory", () -> "0");
        m.put("sys/vm/max_map_count", () -> "65530");
        m.put("sys/vm/mmap_min_addr", () -> "65536"); // mmap below it is EPERM (see MemorySyscalls)
        m.put("sys/fs/nr_open", () -> "1048576");
        m.put("sys/fs/file-max", // files_maxfiles_init
                () -> Long.toString(Math.max(8192, machine.memory().total() / 1024 / 10)));
        return m;
    }

    /**
     * A host sysctl, read in one read(2): Linux's integer sysctls answer only a read at offset 0,
     * and Files.readString, seeing size 0, reads one byte first ("3" of 32768) and then gets EOF.
     */
    private static String hostSysctl(String name, String fallback) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(Path.of("/proc/sys", name))) {
            return new String(in.readNBytes(4096), StandardCharsets.US_ASCII).strip();
        } catch (java.io.IOException e) {
            return fallback;
        }
    }

    /** Guest pids are host pids (fixed ones when deterministic): the host's limit holds them. */
    private synchronized String pidMax() {
        if (pidMax == null) {
            pidMax = machine.deterministic() ? "32768" : hostSysctl("kernel/pid_max", "4194304");
        }
        return pidMax;
    }

    private synchronized String bootId() {
        if (bootId == null) {
            bootId = uuid();
        }
        return bootId;
    }

    /** A random (version 4) UUID from the machine's randomness, as /proc/sys/kernel/random/uuid gives one per read. */
    private String uuid() {
        java.util.random.RandomGenerator r = machine.random();
        long hi = (r.nextLong() & ~0xf000L) | 0x4000L;
        long lo = (r.nextLong() & ~(3L << 62)) | (2L << 62);
        return new java.util.UUID(hi, lo).toString();
    }

    /** True when {@code rel} is one of these files (told without making its text: a uuid draws randomness). */
    boolean isFile(String rel) {
        return sysctl.containsKey(rel) || NAMES.contains(rel) || SysvIpcFiles.NAMES.contains(rel)
                || NetFiles.NAMES.contains(rel);
    }

    /** The directories /proc/sys's files imply ("sys", "sys/kernel", ...). */
    boolean isDir(String rel) {
        return !rel.isEmpty() && (ImpliedDirs.isDir(sysctl.keySet(), rel) || ImpliedDirs.isDir(SysvIpcFiles.NAMES, rel)
                || ImpliedDirs.isDir(NetFiles.NAMES, rel));
    }

    /** The names in directory {@code rel} of /proc/sys. */
    List<String> list(String rel) {
        java.util.TreeSet<String> names = new java.util.TreeSet<>(ImpliedDirs.children(sysctl.keySet(), rel));
        names.addAll(ImpliedDirs.children(SysvIpcFiles.NAMES, rel)); // the IPC namespace's files
        names.addAll(ImpliedDirs.children(NetFiles.NAMES, rel)); // the network namespace's
        return List.copyOf(names);
    }

    /** The text of a machine-wide file, as {@code p} reads it, or null when {@code rel} is not one. */
    String text(String rel, Process p) {
        String ns = SysvIpcFiles.text(rel, p);
        if (ns == null) {
            ns = NetFiles.text(rel, p);
        }
        if (ns != null) {
            return ns;
        }
        Supplier<String> sys = sysctl.get(rel);
        if (sys != null) {
            return sys.get() + "\n";
        }
        return switch (rel) {
            case "cpuinfo" -> ProcText.cpuinfo(abi, machine.cpus());
            case "meminfo" -> machine.meminfo();
            case "uptime" -> machine.uptime();
            case "loadavg" -> ProcText.loadavg(machine.loadAverage(), processes.apply(p));
            case "stat" -> machine.stat();
            case "version" -> "Linux version " + release + " (phoenix@phoenix) (Phoenix user-mode emulator) " + version
                    + "\n";
            case "mounts" -> ProcText.mounts(rootMount);
            case "devices" -> DEVICES;
            default -> null;
        };
    }
}
