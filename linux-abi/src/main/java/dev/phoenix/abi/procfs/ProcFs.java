package dev.phoenix.abi.procfs;

import dev.phoenix.abi.ArchAbi;
import dev.phoenix.abi.Machine;
import dev.phoenix.libos.Clock;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.FileStatus;
import dev.phoenix.libos.fs.OpenFile;
import dev.phoenix.libos.fs.SyntheticFs;
import dev.phoenix.libos.proc.Process;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * /proc (proc(5)): self and the process's PID directory (maps, exe, cwd, root, cmdline,
 * environ, auxv, status, stat, comm, mounts, fd/), and the machine files cpuinfo, meminfo,
 * uptime, version, mounts, loadavg. Each file's text is made when it is opened, as Linux
 * generates it on read.
 */
public final class ProcFs implements SyntheticFs {
    /** st_dev of procfs files. */
    private static final long DEV = 22;
    private static final List<String> PID_FILES = List.of("auxv", "cmdline", "comm", "cwd", "environ", "exe", "fd",
            "limits", "loginuid", "maps", "mounts", "root", "sessionid", "stat", "status");
    /** The audit login uid and session of a process no login set them for: (uid_t) -1, without a newline. */
    private static final String UNSET_AUDIT_ID = "4294967295";
    private static final List<String> LINKS = List.of("cwd", "exe", "root");

    private final ArchAbi abi;
    private final Machine machine;
    private final String rootMount;
    private final Clock clock;
    private final String release;
    private final String version;

    /** Procfs of a kernel whose root is the host directory {@code rootfs}. */
    public ProcFs(ArchAbi abi, Machine machine, Path rootfs, String release, String version) {
        this.rootMount = ProcText.rootMount(rootfs);
        this.abi = abi;
        this.machine = machine;
        this.clock = machine.clock();
        this.release = release;
        this.version = version;
    }

    /** Splits "PID/rest" for the calling process; null when {@code rel} is not inside its PID directory. */
    private static String[] inPid(String rel, Process p) {
        String pid = Integer.toString(p.pid());
        if (rel.equals(pid)) {
            return new String[] {pid, ""};
        }
        if (rel.startsWith(pid + "/")) {
            return new String[] {pid, rel.substring(pid.length() + 1)};
        }
        return null;
    }

    private static FileStatus dir(long ino) {
        return new FileStatus(DEV, ino, FileStatus.S_IFDIR | 0555, 2, 0, 0, 0, 0, 1024, 0, 0, 0, 0);
    }

    private static FileStatus file(long ino) {
        return new FileStatus(DEV, ino, FileStatus.S_IFREG | 0444, 1, 0, 0, 0, 0, 1024, 0, 0, 0, 0);
    }

    private static FileStatus link(long ino) {
        return new FileStatus(DEV, ino, 0120000 | 0777, 1, 0, 0, 0, 0, 1024, 0, 0, 0, 0);
    }

    @Override
    public long magic() {
        return 0x9fa0L; // PROC_SUPER_MAGIC
    }

    @Override
    public FileStatus stat(String rel, Process p) {
        if (rel.isEmpty()) {
            return dir(1);
        }
        if (rel.equals("self")) {
            return link(2);
        }
        if (machineFile(rel, p) != null) {
            return file(100 + rel.hashCode() & 0xffff);
        }
        String[] at = inPid(rel, p);
        if (at == null) {
            return null;
        }
        String f = at[1];
        if (f.isEmpty() || f.equals("fd")) {
            return dir(1000 + f.length());
        }
        if (LINKS.contains(f)) {
            return link(2000 + f.hashCode() & 0xffff);
        }
        if (PID_FILES.contains(f)) {
            return file(3000 + f.hashCode() & 0xffff);
        }
        if (f.startsWith("fd/") && fdOf(f) >= 0 && p.fds().isOpen(fdOf(f))) {
            return link(5000 + fdOf(f));
        }
        return null;
    }

    @Override
    public String readlink(String rel, Process p) {
        if (rel.equals("self")) {
            return Integer.toString(p.pid());
        }
        String[] at = inPid(rel, p);
        if (at == null) {
            return null;
        }
        return switch (at[1]) {
            case "exe" -> p.executable();
            case "cwd" -> p.cwd;
            case "root" -> "/";
            default -> {
                int fd = fdOf(at[1]);
                if (fd < 0 || !p.fds().isOpen(fd)) {
                    yield null;
                }
                String path = p.fds().get(fd).guestPath();
                yield path != null ? path : "pipe:[" + p.fds().get(fd).status().ino() + "]";
            }
        };
    }

    private static int fdOf(String f) {
        if (f.startsWith("fd/") && f.length() > 3 && f.length() < 8 && f.substring(3).chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(f.substring(3));
        }
        return -1;
    }

    @Override
    public OpenFile open(String rel, Process p) {
        String text = machineFile(rel, p);
        String[] at = inPid(rel, p);
        if (text == null && at != null) {
            text = switch (at[1]) {
                case "maps" -> p.addressSpace().maps();
                case "cmdline" -> nulJoined(p.argv);
                case "environ" -> nulJoined(p.envp);
                case "comm" -> p.mainTask().comm + "\n";
                case "status" -> ProcText.status(p);
                case "stat" -> ProcText.stat(p, clock);
                case "mounts" -> ProcText.mounts(rootMount);
                case "limits" -> ProcText.limits(p);
                case "loginuid", "sessionid" -> UNSET_AUDIT_ID;
                default -> null;
            };
            if (at[1].equals("auxv")) {
                return new ProcFile(p.auxv);
            }
        }
        if (text == null) {
            throw Errno.of(stat(rel, p) == null ? Errno.ENOENT : Errno.EISDIR);
        }
        return new ProcFile(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String nulJoined(List<String> strings) {
        StringBuilder sb = new StringBuilder();
        for (String s : strings) {
            sb.append(s).append('\0');
        }
        return sb.toString();
    }

    /** The text of a machine-wide file, or null when {@code rel} is not one. */
    private String machineFile(String rel, Process p) {
        Function<Process, String> f = switch (rel) {
            case "cpuinfo" -> x -> ProcText.cpuinfo(abi, machine.cpus());
            case "meminfo" -> x -> machine.meminfo();
            case "uptime" -> x -> machine.uptime();
            case "loadavg" -> x -> ProcText.loadavg(machine.loadAverage(), x.pid());
            case "stat" -> x -> machine.stat();
            case "version" -> x -> "Linux version " + release + " (phoenix@phoenix) (Phoenix user-mode emulator) "
                    + version + "\n";
            case "mounts" -> x -> ProcText.mounts(rootMount);
            default -> null;
        };
        return f == null ? null : f.apply(p);
    }

    @Override
    public List<String> list(String rel, Process p) {
        if (rel.isEmpty()) {
            return List.of(Integer.toString(p.pid()), "cpuinfo", "loadavg", "meminfo", "mounts", "self", "stat", "uptime",
                    "version");
        }
        String[] at = inPid(rel, p);
        if (at != null && at[1].isEmpty()) {
            return PID_FILES;
        }
        if (at != null && at[1].equals("fd")) {
            return p.fds().openFdNames();
        }
        throw Errno.of(stat(rel, p) == null ? Errno.ENOENT : Errno.ENOTDIR);
    }
}
