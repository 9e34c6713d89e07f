package dev.phoenix.abi.procfs;

import dev.phoenix.abi.ArchAbi;
import dev.phoenix.abi.Machine;
import dev.phoenix.libos.Clock;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.FileStatus;
import dev.phoenix.libos.fs.OpenFile;
import dev.phoenix.libos.fs.SyntheticFs;
import dev.phoenix.libos.proc.Process;
import dev.phoenix.libos.proc.Task;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * /proc (proc(5)): self, thread-self and the process's PID directory (maps, exe, cwd, root,
 * cmdline, environ, auxv, status, stat, comm, mounts, fd/, and task/ with a directory of the same
 * files for each thread), and the machine files cpuinfo, meminfo, uptime, version, mounts,
 * loadavg. Each file's text is made when it is opened, as Linux generates it on read.
 */
public final class ProcFs implements SyntheticFs {
    /** st_dev of procfs files. */
    private static final long DEV = 22;
    /** The files of /proc/PID/task/TID; /proc/PID has them and task/ (Linux's tid_base_stuff and tgid_base_stuff). */
    private static final List<String> TASK_FILES = List.of("auxv", "cmdline", "comm", "cwd", "environ", "exe", "fd",
            "limits", "loginuid", "maps", "mounts", "root", "sessionid", "stat", "status");
    private static final List<String> PID_FILES = List.of("auxv", "cmdline", "comm", "cwd", "environ", "exe", "fd",
            "limits", "loginuid", "maps", "mounts", "root", "sessionid", "stat", "status", "task");
    /** The audit login uid and session of a process no login set them for: (uid_t) -1, without a newline. */
    private static final String UNSET_AUDIT_ID = "4294967295";
    private static final List<String> LINKS = List.of("cwd", "exe", "root");

    private final ArchAbi abi;
    private final Machine machine;
    private final String rootMount;
    private final Clock clock;
    private final String release;
    private final String version;
    /** /proc/sys, by path under "sys/": what sysctl(8) and programs read; read-only. */
    private final java.util.Map<String, java.util.function.Supplier<String>> sysctl;
    /** Made on first read: drawing it at start would shift a deterministic run's random stream. */
    private String bootId;
    /** The host's pid_max, read on first use (no I/O at start-up for a file few programs read). */
    private String pidMax;

    /** Procfs of a kernel whose root is the host directory {@code rootfs}. */
    public ProcFs(ArchAbi abi, Machine machine, Path rootfs, String release, String version) {
        this.rootMount = ProcText.rootMount(rootfs);
        this.abi = abi;
        this.machine = machine;
        this.clock = machine.clock();
        this.release = release;
        this.version = version;
        this.sysctl = sysctl();
    }

    /**
     * A path inside a PID directory: the thread whose files these are, whether it was reached
     * through task/TID (a thread's directory, which has no task/ of its own), and the path left
     * ("" for the directory itself).
     */
    private record At(Task task, boolean inTask, String file) {
        /**
         * The inode of {@code f} (of {@code kind}: 1 directories, 2 links, 3 files, 5 fds), apart
         * from every other thread's and view's, so that a walk of /proc sees no loops.
         */
        long ino(int kind, String f) {
            Task leader = task.process().mainTask();
            long view = inTask ? (1L << 19) + ((long) task.tid() << 20) : task == leader ? 0 : (long) task.tid() << 20;
            return view + ((long) kind << 16) + (f.hashCode() & 0xffff);
        }
    }

    /**
     * Resolves "ID[/rest]" for the calling process, where ID is its pid or the tid of one of its
     * threads (Linux answers /proc/TID though it lists only the leaders' directories), and
     * "ID/task/TID[/rest]"; null when {@code rel} is not inside such a directory.
     */
    private static At at(String rel, Process p) {
        int slash = rel.indexOf('/');
        Task t = thread(p, slash < 0 ? rel : rel.substring(0, slash));
        if (t == null) {
            return null;
        }
        String rest = slash < 0 ? "" : rel.substring(slash + 1);
        if (!rest.startsWith("task/")) {
            return new At(t, false, rest);
        }
        String inTask = rest.substring(5);
        slash = inTask.indexOf('/');
        Task th = thread(p, slash < 0 ? inTask : inTask.substring(0, slash));
        return th == null ? null : new At(th, true, slash < 0 ? "" : inTask.substring(slash + 1));
    }

    /**
     * The thread of {@code p} named {@code id}: the leader by the pid (a zombie leader too, as
     * /proc keeps it), another by its tid while it lives. Names are decimal without leading
     * zeros, as Linux's name_to_int reads them.
     */
    private static Task thread(Process p, String id) {
        if (id.isEmpty() || id.length() > 10 || (id.charAt(0) == '0' && id.length() > 1)
                || !id.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            return null;
        }
        long n = Long.parseLong(id);
        if (n == p.pid()) {
            return p.mainTask();
        }
        return n <= Integer.MAX_VALUE ? p.task((int) n) : null;
    }

    /** The calling thread's tid (/proc/thread-self), or the leader's when no thread of {@code p} is calling. */
    private static int callerTid(Process p) {
        Task t = Task.current();
        return t != null && t.process() == p ? t.tid() : p.pid();
    }

    private static FileStatus dir(long ino) {
        return new FileStatus(DEV, ino, FileStatus.S_IFDIR | 0555, 2, 0, 0, 0, 0, 1024, 0, 0, 0, 0);
    }

    private static FileStatus file(long ino) {
        return new FileStatus(DEV, ino, FileStatus.S_IFREG | 0444, 1, 0, 0, 0, 0, 1024, 0, 0, 0, 0);
    }

    /** comm: a thread's name, which its process may write (proc(5)). */
    private static FileStatus writableFile(long ino) {
        return new FileStatus(DEV, ino, FileStatus.S_IFREG | 0644, 1, 0, 0, 0, 0, 1024, 0, 0, 0, 0);
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
        if (rel.equals("thread-self")) {
            return link(3);
        }
        if (sysctl.containsKey(rel) || machineFile(rel, p) != null) { // a sysctl is not read (uuid draws randomness)
            return file(100 + rel.hashCode() & 0xffff);
        }
        if (isSysctlDir(rel)) {
            return dir(6000 + (rel.hashCode() & 0xfff));
        }
        At at = at(rel, p);
        if (at == null) {
            return null;
        }
        String f = at.file();
        if (f.isEmpty() || f.equals("fd") || (!at.inTask() && f.equals("task"))) {
            return dir(at.ino(1, f));
        }
        if (LINKS.contains(f)) {
            return link(at.ino(2, f));
        }
        if (f.equals("comm")) {
            return writableFile(at.ino(3, f));
        }
        if (TASK_FILES.contains(f)) {
            return file(at.ino(3, f));
        }
        if (f.startsWith("fd/") && fdOf(f) >= 0 && at.task().fds().isOpen(fdOf(f))) {
            return link(at.ino(5, f));
        }
        return null;
    }

    @Override
    public String readlink(String rel, Process p) {
        if (rel.equals("self")) {
            return Integer.toString(p.pid());
        }
        if (rel.equals("thread-self")) {
            return p.pid() + "/task/" + callerTid(p);
        }
        At at = at(rel, p);
        if (at == null) {
            return null;
        }
        return switch (at.file()) {
            case "exe" -> p.executable();
            case "cwd" -> at.task().fs().cwd;
            case "root" -> "/";
            default -> {
                int fd = fdOf(at.file());
                if (fd < 0 || !at.task().fds().isOpen(fd)) {
                    yield null;
                }
                OpenFile f = at.task().fds().get(fd);
                String path = f.guestPath() != null ? f.guestPath() : f.procLink();
                yield path != null ? path : "pipe:[" + f.status().ino() + "]";
            }
        };
    }

    /** /proc/PID/fd/N stands for the open file itself (proc(5): opening it reopens that file). */
    @Override
    public OpenFile magicLink(String rel, Process p) {
        At at = at(rel, p);
        int fd = at == null ? -1 : fdOf(at.file());
        return fd >= 0 && at.task().fds().isOpen(fd) ? at.task().fds().get(fd) : null;
    }

    private static int fdOf(String f) {
        if (f.startsWith("fd/") && f.length() > 3 && f.length() < 8 && f.substring(3).chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(f.substring(3));
        }
        return -1;
    }

    @Override
    public OpenFile open(String rel, Process p) {
        return open(rel, p, 0);
    }

    @Override
    public OpenFile open(String rel, Process p, int accessMode) {
        String text = machineFile(rel, p);
        At at = at(rel, p);
        if (text == null && at != null) {
            Task t = at.task();
            text = switch (at.file()) {
                case "maps" -> p.addressSpace().maps();
                case "cmdline" -> nulJoined(p.argv);
                case "environ" -> nulJoined(p.envp);
                case "comm" -> t.comm + "\n";
                case "status" -> ProcText.status(t);
                case "stat" -> ProcText.stat(t, clock);
                case "mounts" -> ProcText.mounts(rootMount);
                case "limits" -> ProcText.limits(p);
                case "loginuid", "sessionid" -> UNSET_AUDIT_ID;
                default -> null;
            };
            if (at.file().equals("auxv")) {
                return new ProcFile(p.auxv, accessMode, null);
            }
            if (at.file().equals("comm")) {
                return new ProcFile(text.getBytes(StandardCharsets.UTF_8), accessMode, bytes -> rename(t, bytes));
            }
        }
        if (text == null) {
            throw Errno.of(stat(rel, p) == null ? Errno.ENOENT : Errno.EISDIR);
        }
        return new ProcFile(text.getBytes(StandardCharsets.UTF_8), accessMode, null);
    }

    /**
     * A write to a thread's comm (fs/proc/base.c comm_write): each write(2) names the thread with
     * its first 15 bytes, up to a NUL, whatever the file offset; a newline written stays in the
     * name, as on Linux. The files reachable here are all the calling process's own threads.
     */
    private static void rename(Task t, byte[] bytes) {
        int n = 0;
        while (n < Math.min(bytes.length, 15) && bytes[n] != 0) {
            n++;
        }
        t.comm = new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    private static String nulJoined(List<String> strings) {
        StringBuilder sb = new StringBuilder();
        for (String s : strings) {
            sb.append(s).append('\0');
        }
        return sb.toString();
    }

    /** The /proc/sys files; each value is made when read, so building the table costs no I/O. */
    private java.util.Map<String, java.util.function.Supplier<String>> sysctl() {
        java.util.Map<String, java.util.function.Supplier<String>> m = new java.util.TreeMap<>();
        m.put("sys/kernel/ostype", () -> "Linux");
        m.put("sys/kernel/osrelease", () -> release);
        m.put("sys/kernel/version", () -> version);
        m.put("sys/kernel/domainname", () -> "(none)");
        m.put("sys/kernel/pid_max", this::pidMax);
        m.put("sys/kernel/threads-max", () -> Long.toString(machine.memory().total() / (8 * 16384))); // max_threads
        m.put("sys/kernel/ngroups_max", () -> "65536");
        m.put("sys/kernel/cap_last_cap", () -> "40"); // CAP_CHECKPOINT_RESTORE in Linux 6.1
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

    /** The directories /proc/sys's files imply ("sys", "sys/kernel", ...). */
    private boolean isSysctlDir(String rel) {
        return !rel.isEmpty() && ImpliedDirs.isDir(sysctl.keySet(), rel);
    }

    /** The text of a machine-wide file, or null when {@code rel} is not one. */
    private String machineFile(String rel, Process p) {
        java.util.function.Supplier<String> sys = sysctl.get(rel);
        if (sys != null) {
            return sys.get() + "\n";
        }
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
            return List.of(Integer.toString(p.pid()), "cpuinfo", "loadavg", "meminfo", "mounts", "self", "stat", "sys",
                    "thread-self", "uptime", "version");
        }
        if (isSysctlDir(rel)) {
            return ImpliedDirs.children(sysctl.keySet(), rel);
        }
        At at = at(rel, p);
        if (at != null && at.file().isEmpty()) {
            return at.inTask() ? TASK_FILES : PID_FILES;
        }
        if (at != null && at.file().equals("fd")) {
            return at.task().fds().openFdNames();
        }
        if (at != null && !at.inTask() && at.file().equals("task")) {
            List<String> tids = new java.util.ArrayList<>();
            for (Task t : ProcText.threads(p)) {
                tids.add(Integer.toString(t.tid()));
            }
            return tids;
        }
        throw Errno.of(stat(rel, p) == null ? Errno.ENOENT : Errno.ENOTDIR);
    }
}
