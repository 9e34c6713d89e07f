package dev.phoenix.abi.procfs;

import dev.phoenix.abi.ArchAbi;
import dev.phoenix.abi.LinuxKernel;
import dev.phoenix.abi.Machine;
import dev.phoenix.libos.Clock;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.FileStatus;
import dev.phoenix.libos.fs.OpenFile;
import dev.phoenix.libos.fs.SyntheticFs;
import dev.phoenix.libos.mm.AddressSpace;
import dev.phoenix.libos.proc.CpuTimes;
import dev.phoenix.libos.proc.Process;
import dev.phoenix.libos.proc.Task;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * /proc (proc(5)): a directory for every process of the kernel, zombies included, each with its
 * maps, exe, cwd, root, cmdline, environ, auxv, status, stat, sched, comm, limits, mounts, fd/, and
 * task/ with a directory of the same files for each thread; self and thread-self; and the
 * machine files cpuinfo, meminfo, uptime, version, mounts, loadavg, stat and sys/. Each file's
 * text is made when it is opened, as Linux generates it on read. Another process's files are
 * guarded as Linux guards them ({@link ProcAccess}).
 */
public final class ProcFs implements SyntheticFs {
    /** st_dev of procfs files. */
    private static final long DEV = 22;
    /** The files of /proc/PID/task/TID; /proc/PID has them and task/ (Linux's tid_base_stuff and tgid_base_stuff). */
    private static final List<String> TASK_FILES = List.of("auxv", "cgroup", "cmdline", "comm", "cwd", "environ", "exe",
            "fd", "gid_map", "limits", "loginuid", "maps", "mountinfo", "mounts", "ns", "root", "sched", "schedstat",
            "sessionid", "setgroups", "smaps", "smaps_rollup", "stat", "status", "uid_map");
    private static final List<String> PID_FILES = List.of("auxv", "cgroup", "cmdline", "comm", "cwd", "environ", "exe",
            "fd", "gid_map", "limits", "loginuid", "maps", "mountinfo", "mounts", "ns", "root", "sched", "schedstat",
            "sessionid", "setgroups", "smaps", "smaps_rollup", "stat", "status", "task", "uid_map");
    /** The names /proc lists before the processes' directories. */
    private static final List<String> MACHINE_NAMES = List.of("cpuinfo", "devices", "loadavg", "meminfo", "mounts", "net", "self",
            "stat", "sys", "sysvipc", "thread-self", "uptime", "version");
    /** The audit login uid and session of a process no login set them for: (uid_t) -1, without a newline. */
    private static final String UNSET_AUDIT_ID = "4294967295";
    private static final List<String> LINKS = List.of("cwd", "exe", "root");
    /** The links of ns/ (namespaces(7)), in Linux's order of listing. */
    private static final List<String> NS_LINKS = List.of("cgroup", "ipc", "mnt", "net", "pid", "pid_for_children",
            "user", "uts");

    private final LinuxKernel kernel;
    private final Machine machine;
    private final String rootMount;
    private final Clock clock;
    /** cpuinfo, meminfo, ..., and sys/. */
    private final MachineFiles machineFiles;

    /** Procfs of {@code kernel}, whose root is the host directory {@code rootfs}, for programs of {@code abi}'s arch. */
    public ProcFs(LinuxKernel kernel, ArchAbi abi, Path rootfs) {
        this.kernel = kernel;
        this.rootMount = ProcText.rootMount(rootfs);
        this.machine = kernel.machine();
        this.clock = machine.clock();
        this.machineFiles = new MachineFiles(abi, machine, rootMount, kernel.release(), kernel.version(), this::processes);
    }

    /**
     * A path inside a PID directory: the thread whose files these are, whether it was reached
     * through task/TID (a thread's directory, which has no task/ of its own), and the path left
     * ("" for the directory itself).
     */
    private record At(Task task, boolean inTask, String file) {
        Process process() {
            return task.process();
        }

        /**
         * The inode of {@code f} (of {@code kind}: 1 directories, 2 links, 3 files, 5 fds), apart
         * from every other process's, thread's and view's, so that a walk of /proc sees no loops:
         * a mix of them all, above the machine files' small numbers.
         */
        long ino(int kind, String f) {
            Task leader = task.process().mainTask();
            long view = inTask ? 2L * task.tid() + 1 : task == leader ? 0 : 2L * task.tid() + 2;
            long h = task.process().pid() * 0x9E3779B97F4A7C15L;
            h = (h ^ (h >>> 29) ^ view) * 0xBF58476D1CE4E5B9L;
            h = (h ^ (h >>> 32) ^ (kind * 0x10001L + f.hashCode())) * 0x94D049BB133111EBL;
            return (1L << 40) | ((h ^ (h >>> 31)) & ((1L << 40) - 1));
        }
    }

    /**
     * Resolves "ID[/rest]", where ID is a process's pid or the tid of any thread (Linux answers
     * /proc/TID though it lists only the processes' directories), and "ID/task/TID[/rest]";
     * null when {@code rel} is not inside such a directory.
     */
    private At at(String rel, Process caller) {
        int slash = rel.indexOf('/');
        Task t = named(slash < 0 ? rel : rel.substring(0, slash), caller);
        if (t == null) {
            return null;
        }
        String rest = slash < 0 ? "" : rel.substring(slash + 1);
        if (!rest.startsWith("task/")) {
            return new At(t, false, rest);
        }
        String inTask = rest.substring(5);
        slash = inTask.indexOf('/');
        Task th = thread(t.process(), slash < 0 ? inTask : inTask.substring(0, slash), caller);
        return th == null ? null : new At(th, true, slash < 0 ? "" : inTask.substring(slash + 1));
    }

    /**
     * The task /proc/ID names: the leader of process ID (a zombie's too, until it is reaped),
     * else the live thread ID of any process; null for none.
     */
    private Task named(String id, Process caller) {
        long n = caller.namespaces.pid().global((int) number(id));
        if (n <= 0) {
            return null;
        }
        Process p = n == caller.pid() ? caller : kernel.process((int) n);
        if (p != null) {
            return p.mainTask();
        }
        Task t = caller.task((int) n);
        if (t != null) {
            return t;
        }
        for (Process q : kernel.processes()) {
            t = q.task((int) n);
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    /**
     * The thread of {@code p} named {@code id} in its task/: the leader by the pid (a zombie
     * leader too, as /proc keeps it), another by its tid while it lives.
     */
    private static Task thread(Process p, String id, Process caller) {
        long n = caller.namespaces.pid().global((int) number(id));
        if (n == p.pid()) {
            return p.mainTask();
        }
        return n > 0 ? p.task((int) n) : null;
    }

    /**
     * The number a /proc name stands for, or -1: decimal without leading zeros, as Linux's
     * name_to_int reads them, and within a pid's range.
     */
    private static long number(String id) {
        if (id.isEmpty() || id.length() > 10 || (id.charAt(0) == '0' && id.length() > 1)
                || !id.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            return -1;
        }
        long n = Long.parseLong(id);
        return n <= Integer.MAX_VALUE ? n : -1;
    }

    /** Every process /proc lists, in pid order: the kernel's, and the caller, whether or not it is in the table yet. */
    private List<Process> processes(Process caller) {
        List<Process> all = new java.util.ArrayList<>(kernel.processes());
        if (!all.contains(caller)) {
            all.add(caller);
            all.sort(java.util.Comparator.comparingInt(Process::pid));
        }
        return all;
    }

    /** The calling thread's tid (/proc/thread-self), or the leader's when no thread of {@code p} is calling. */
    private static int callerTid(Process p) {
        Task t = Task.current();
        return t != null && t.process() == p ? t.tid() : p.pid();
    }

    private static FileStatus status(long ino, int mode, int[] owner) {
        boolean dir = (mode & FileStatus.S_IFMT) == FileStatus.S_IFDIR;
        return new FileStatus(DEV, ino, mode, dir ? 2 : 1, owner[0], owner[1], 0, 0, 1024, 0, 0, 0, 0);
    }

    private static final int[] ROOT = {0, 0};

    private static FileStatus dir(long ino) {
        return status(ino, FileStatus.S_IFDIR | 0555, ROOT);
    }

    private static FileStatus file(long ino) {
        return status(ino, FileStatus.S_IFREG | 0444, ROOT);
    }

    private static FileStatus link(long ino) {
        return status(ino, FileStatus.S_IFLNK | 0777, ROOT);
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
        if (machineFiles.isFile(rel)) {
            return file(100 + rel.hashCode() & 0xffff);
        }
        if (machineFiles.isDir(rel)) {
            return dir(6000 + (rel.hashCode() & 0xfff));
        }
        At at = at(rel, p);
        return at == null ? null : stat(at, p);
    }

    /**
     * The status of a file of a PID directory, with proc(5)'s modes (tgid_base_stuff: environ
     * and auxv 0400, fd/ 0500, comm, loginuid and sched 0644) and owner ({@link ProcAccess#owner}).
     * A name inside fd/ needs the right to search fd/ (EACCES).
     */
    private FileStatus stat(At at, Process caller) {
        Process q = at.process();
        String f = at.file();
        if (f.isEmpty() || (!at.inTask() && f.equals("task"))) {
            return status(at.ino(1, f), FileStatus.S_IFDIR | 0555, ProcAccess.owner(q, true));
        }
        int[] owner = ProcAccess.owner(q, false);
        if (f.equals("fd")) {
            return status(at.ino(1, f), FileStatus.S_IFDIR | 0500, owner);
        }
        if (f.equals("ns")) {
            return status(at.ino(1, f), FileStatus.S_IFDIR | 0511, owner);
        }
        if (nsLink(f) != null) {
            return status(at.ino(2, f), FileStatus.S_IFLNK | 0777, owner);
        }
        if (LINKS.contains(f)) {
            return status(at.ino(2, f), FileStatus.S_IFLNK | 0777, owner);
        }
        if (TASK_FILES.contains(f)) {
            int mode = switch (f) {
                case "environ", "auxv" -> 0400;
                case "comm", "loginuid", "sched", "uid_map", "gid_map", "setgroups" -> 0644;
                default -> 0444;
            };
            return status(at.ino(3, f), FileStatus.S_IFREG | mode, owner);
        }
        int fd = fdOf(f);
        if (fd < 0) {
            return null;
        }
        requireFdAccess(at, caller, ProcAccess.MAY_EXEC);
        OpenFile file = openFile(at, fd);
        if (file == null) {
            return null;
        }
        // proc_fd_instantiate: r-x for a descriptor open for reading, -wx for writing.
        int acc = file.statusFlags() & 3;
        int mode = (acc == 0 || acc == 2 ? 0500 : 0) | (acc == 1 || acc == 2 ? 0300 : 0);
        return status(at.ino(5, f), FileStatus.S_IFLNK | mode, owner);
    }

    /** The open file {@code fd} of the thread's table, or null (closed, or the process has gone). */
    private static OpenFile openFile(At at, int fd) {
        if (at.process().isGone()) {
            return null;
        }
        try {
            return at.task().fds().isOpen(fd) ? at.task().fds().get(fd) : null;
        } catch (Errno e) {
            return null; // closed meanwhile by its own process
        }
    }

    /**
     * fd/ may be listed and searched by its owner, by the process itself whatever its ids
     * (proc_fd_permission), and with the capabilities that override file modes; else EACCES.
     */
    private void requireFdAccess(At at, Process caller, int want) {
        At dir = new At(at.task(), at.inTask(), "fd");
        if (caller != at.process() && !ProcAccess.permits(caller, stat(dir, caller), want)) {
            throw Errno.of(Errno.EACCES);
        }
    }

    /** The process's memory and links are for those that may ptrace-read it (EACCES). */
    private static void requireMayRead(Process caller, Process target) {
        if (!ProcAccess.mayRead(caller, target)) {
            throw Errno.of(Errno.EACCES);
        }
    }

    @Override
    public String readlink(String rel, Process p) {
        dev.phoenix.libos.ns.PidNamespace view = p.namespaces.pid();
        if (rel.equals("self")) {
            return Integer.toString(view.nr(p.pid()));
        }
        if (rel.equals("thread-self")) {
            return view.nr(p.pid()) + "/task/" + view.nr(callerTid(p));
        }
        At at = at(rel, p);
        if (at == null) {
            return null;
        }
        Process q = at.process();
        String f = at.file();
        int fd = fdOf(f);
        String ns = nsLink(f);
        if (ns != null) {
            requireMayRead(p, q);
            return namespace(q, ns).toString();
        }
        if (!LINKS.contains(f) && fd < 0) {
            return null;
        }
        if (fd >= 0) {
            requireFdAccess(at, p, ProcAccess.MAY_EXEC);
        }
        // proc_pid_get_link and proc_pid_readlink: EACCES without the right to look, ENOENT once it has gone.
        requireMayRead(p, q);
        if (q.isGone()) {
            throw Errno.of(Errno.ENOENT);
        }
        return switch (f) {
            case "exe" -> q.executable();
            case "cwd" -> seenBy(p, at.task().fs().cwd);
            case "root" -> seenBy(p, at.task().fs().root);
            default -> {
                OpenFile file = openFile(at, fd);
                if (file == null) {
                    yield null;
                }
                String path = file.guestPath() != null ? file.guestPath() : file.procLink();
                yield path != null ? path : "pipe:[" + file.status().ino() + "]";
            }
        };
    }

    /**
     * Guest path {@code path} as {@code reader} names it, from its root (d_path): unchanged for
     * a reader at the namespace's root; "/" for the root itself; outside it, the path as it is
     * (Linux would show the part below the common mount, which Phoenix does not track).
     */
    private static String seenBy(Process reader, String path) {
        String root = reader.mainTask().fs().root;
        String seen = MountInfo.seen(path, root);
        return seen != null ? seen : path;
    }

    /** /proc/PID/fd/N stands for the open file itself (proc(5): opening it reopens that file). */
    @Override
    public OpenFile magicLink(String rel, Process p) {
        At at = at(rel, p);
        String ns = at == null ? null : nsLink(at.file());
        if (ns != null) {
            requireMayRead(p, at.process());
            if (at.process().isGone()) {
                throw Errno.of(Errno.ENOENT);
            }
            return new dev.phoenix.libos.ns.NsFile(namespace(at.process(), ns), 0);
        }
        int fd = at == null ? -1 : fdOf(at.file());
        if (fd < 0) {
            return null;
        }
        requireFdAccess(at, p, ProcAccess.MAY_EXEC);
        requireMayRead(p, at.process());
        return openFile(at, fd);
    }

    /** The namespace kind an "ns/NAME" path names ("pid_for_children" too), or null. */
    private static String nsLink(String f) {
        return f.startsWith("ns/") && NS_LINKS.contains(f.substring(3)) ? f.substring(3) : null;
    }

    /** The namespace /proc/PID/ns/{@code name} of {@code q} stands for. */
    private static dev.phoenix.libos.ns.Namespace namespace(Process q, String name) {
        dev.phoenix.libos.ns.Namespaces ns = q.namespaces;
        if (name.equals("pid_for_children")) {
            // pidns_for_children_get: a new namespace shows only once its init exists
            if (!ns.pidForChildren().isInitial() && ns.pidForChildren().initGlobal() == 0) {
                throw Errno.of(Errno.ENOENT);
            }
            return ns.pidForChildren();
        }
        for (dev.phoenix.libos.ns.NsKind k : dev.phoenix.libos.ns.NsKind.values()) {
            if (k.procName.equals(name)) {
                return ns.get(k);
            }
        }
        throw Errno.of(Errno.ENOENT);
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

    /** Directories are listed by those their mode lets read them (fd/ of another uid's process: EACCES). */
    @Override
    public OpenFile openDirectory(String rel, String guestPath, Process p) {
        At at = at(rel, p);
        if (at != null && at.file().equals("fd")) {
            requireFdAccess(at, p, ProcAccess.MAY_READ);
        }
        return SyntheticFs.super.openDirectory(rel, guestPath, p);
    }

    @Override
    public OpenFile open(String rel, Process p, int accessMode) {
        FileStatus st = stat(rel, p);
        if (st == null) {
            throw Errno.of(Errno.ENOENT);
        }
        int want = accessMode == 0 ? ProcAccess.MAY_READ : accessMode == 1 ? ProcAccess.MAY_WRITE
                : ProcAccess.MAY_READ | ProcAccess.MAY_WRITE;
        if (!ProcAccess.permits(p, st, want)) {
            throw Errno.of(Errno.EACCES);
        }
        String text = rel.equals("mounts") ? mountsText(p.mainTask(), "mounts") : machineFiles.text(rel, p);
        if (text != null) {
            return new ProcFile(text.getBytes(StandardCharsets.UTF_8), accessMode, null);
        }
        At at = at(rel, p);
        if (at == null) {
            throw Errno.of(Errno.EISDIR);
        }
        Task t = at.task();
        Process q = at.process();
        boolean dead = q.isGone();
        switch (at.file()) {
            case "maps", "smaps", "smaps_rollup", "environ", "auxv" -> requireMayRead(p, q); // mm_access
            case "mounts", "mountinfo" -> {
                if (dead) {
                    throw Errno.of(Errno.EINVAL); // mounts_open_common: no namespace left
                }
            }
            default -> { }
        }
        text = switch (at.file()) {
            case "maps" -> q.readAddressSpace(AddressSpace::maps, "");
            case "smaps" -> q.readAddressSpace(AddressSpace::smaps, "");
            case "smaps_rollup" -> q.readAddressSpace(AddressSpace::smapsRollup, "");
            case "cmdline" -> dead ? "" : nulJoined(q.argv);
            case "environ" -> dead ? "" : nulJoined(q.envp);
            case "comm" -> t.comm + "\n";
            case "status" -> ProcText.status(t, p.namespaces.pid(), p);
            case "uid_map", "gid_map", "setgroups" -> UserNsFiles.text(at.file(), q, p);
            case "stat" -> ProcText.stat(t, cpuTimes(at), terminal(q), p.namespaces.pid());
            case "sched" -> ProcSched.text(t, ProcText.threads(q).size(), clock, machine.deterministic());
            case "schedstat" -> ProcText.schedstat(t, clock);
            case "mounts", "mountinfo" -> mountsText(t, at.file());
            case "limits" -> ProcText.limits(q);
            case "loginuid", "sessionid" -> UNSET_AUDIT_ID;
            case "cgroup" -> cgroupLine(q, p);
            default -> null;
        };
        if (at.file().equals("auxv")) {
            return new ProcFile(dead ? new byte[0] : q.auxv, accessMode, null);
        }
        if (at.file().equals("comm")) {
            return new ProcFile(text.getBytes(StandardCharsets.UTF_8), accessMode, bytes -> rename(t, p, bytes));
        }
        if (text == null) {
            throw Errno.of(Errno.EISDIR);
        }
        if (UserNsFiles.NAMES.contains(at.file())) {
            return new ProcFile(text.getBytes(StandardCharsets.UTF_8), accessMode,
                    UserNsFiles.writer(at.file(), q, p, accessMode != 0));
        }
        if (at.file().equals("sched")) {
            // Linux's write resets the schedstats, which Phoenix does not keep: accepted, no effect.
            return new ProcFile(text.getBytes(StandardCharsets.UTF_8), accessMode, bytes -> { });
        }
        return new ProcFile(text.getBytes(StandardCharsets.UTF_8), accessMode, null);
    }

    /** /proc/PID/mounts or mountinfo of thread {@code t}: its namespace's mounts seen from its root. */
    private String mountsText(Task t, String file) {
        dev.phoenix.libos.fs.MountTable table = kernel.vfs().tableFor(t.process());
        String root = t.fs().root;
        return file.equals("mounts") ? MountInfo.mounts(table, root) : MountInfo.mountinfo(table, root);
    }

    /**
     * /proc/PID/cgroup: "0::PATH", the cgroup v2 line (proc_cgroup_show), the path relative to
     * the reader's cgroup namespace root; a process that has exited is in no group any more and
     * shows the root's path, as Linux's init_css_set.
     */
    private String cgroupLine(Process q, Process reader) {
        dev.phoenix.libos.cgroup.Cgroup g = q.cgroup;
        dev.phoenix.libos.cgroup.Cgroup root = reader.namespaces.cgroup().root();
        if (g == null) {
            return "0::/\n";
        }
        return "0::" + g.pathFrom(root != null ? root : kernel.cgroups().root()) + "\n";
    }

    /**
     * The CPU time /proc/PID/stat gives: the whole process's in its PID directory, a thread's
     * in its task directory (Linux's do_task_stat, whole or not).
     */
    private CpuTimes.Sample cpuTimes(At at) {
        return at.inTask() ? at.task().times.sample(clock) : at.process().cpuTimes(clock);
    }

    /**
     * The controlling terminal of {@code q}: the host's, for a process still in the session
     * Phoenix was started in (tty_nr and the foreground group of Phoenix's own /proc/self/stat);
     * none for one that made a session of its own (setsid(2) leaves the terminal behind) and
     * in a deterministic run.
     */
    private ProcText.Terminal terminal(Process q) {
        if (machine.deterministic()) {
            return ProcText.Terminal.NONE;
        }
        try {
            String s = java.nio.file.Files.readString(Path.of("/proc/self/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            // after the name: [0] state, [1] ppid, [2] pgrp, [3] session, [4] tty_nr, [5] tpgid
            if (Integer.parseInt(f[3]) == q.sid) {
                return new ProcText.Terminal(Integer.parseInt(f[4]), Integer.parseInt(f[5]));
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not a Linux host: no terminal to name
        }
        return ProcText.Terminal.NONE;
    }

    /**
     * A write to a thread's comm (fs/proc/base.c comm_write): each write(2) names the thread with
     * its first 15 bytes, up to a NUL, whatever the file offset; a newline written stays in the
     * name, as on Linux. Only the thread's own process may rename it: for any other, EINVAL.
     */
    private static void rename(Task t, Process opener, byte[] bytes) {
        Task current = Task.current();
        Process writer = current != null ? current.process() : opener;
        if (writer != t.process()) {
            throw Errno.of(Errno.EINVAL);
        }
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

    @Override
    public List<String> list(String rel, Process p) {
        if (rel.isEmpty()) {
            List<String> names = new java.util.ArrayList<>(MACHINE_NAMES);
            dev.phoenix.libos.ns.PidNamespace view = p.namespaces.pid();
            for (Process q : processes(p)) {
                int nr = view.nr(q.pid());
                if (nr > 0) {
                    names.add(Integer.toString(nr));
                }
            }
            return names;
        }
        if (machineFiles.isDir(rel)) {
            return machineFiles.list(rel);
        }
        At at = at(rel, p);
        if (at != null && at.file().isEmpty()) {
            return at.inTask() ? TASK_FILES : PID_FILES;
        }
        if (at != null && at.file().equals("fd")) {
            requireFdAccess(at, p, ProcAccess.MAY_READ);
            return at.process().isGone() ? List.of() : at.task().fds().openFdNames();
        }
        if (at != null && at.file().equals("ns")) {
            return NS_LINKS;
        }
        if (at != null && !at.inTask() && at.file().equals("task")) {
            List<String> tids = new java.util.ArrayList<>();
            for (Task t : ProcText.threads(at.process())) {
                tids.add(Integer.toString(p.namespaces.pid().nr(t.tid())));
            }
            return tids;
        }
        throw Errno.of(stat(rel, p) == null ? Errno.ENOENT : Errno.ENOTDIR);
    }
}
