package dev.phoenix.abi;

import dev.phoenix.sched.VirtualCpus;

import dev.phoenix.abi.elf.ElfException;
import dev.phoenix.abi.elf.ElfFile;
import dev.phoenix.abi.elf.ElfLoader;
import dev.phoenix.abi.linux.HostInfo;
import dev.phoenix.abi.linux.JobControl;
import dev.phoenix.abi.linux.SignalSyscalls;
import dev.phoenix.abi.linux.Vdso;
import dev.phoenix.abi.signal.HostSignals;
import dev.phoenix.abi.procfs.ProcFs;
import dev.phoenix.abi.procfs.SysFs;
import dev.phoenix.abi.signal.SigInfo;
import dev.phoenix.abi.signal.SignalDelivery;
import dev.phoenix.abi.strace.Strace;
import dev.phoenix.abi.syscall.Dispatcher;
import dev.phoenix.abi.syscall.EnosysLog;
import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.abi.syscall.SyscallTable;
import dev.phoenix.emu.Cpu;
import dev.phoenix.emu.CpuExit;
import dev.phoenix.emu.Cpus;
import dev.phoenix.emu.Trap;
import dev.phoenix.emu.host.HostOs;
import dev.phoenix.libos.Clock;
import dev.phoenix.libos.VirtualClock;
import dev.phoenix.libos.cap.FrameAllocator;
import dev.phoenix.libos.fs.DevFs;
import dev.phoenix.libos.fs.OpenFile;
import dev.phoenix.libos.fs.Vfs;
import dev.phoenix.libos.mm.AddressSpace;
import dev.phoenix.libos.proc.ExitStatus;
import dev.phoenix.libos.proc.Process;
import dev.phoenix.libos.proc.SigAction;
import dev.phoenix.libos.proc.Task;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The Linux personality of the exokernel: creates a process for an ELF program, runs it on an
 * engine until it exits, and turns guest faults into fatal signals. One instance serves one
 * program run.
 */
public final class LinuxKernel {
    /** Frames one process may hold: 16 GiB of address space (the host backs only touched pages). */
    private static final long FRAME_LIMIT_PAGES = (16L << 30) / FrameAllocator.PAGE_SIZE;

    /**
     * Settings of a run. {@code strace} and {@code tracer} may be null. {@code ignoredSignals}
     * (bit n-1 for signal n) start ignored in the guest, as exec keeps the ignored signals of the
     * process that runs it (nohup, a background job of a shell).
     */
    /**
     * What a kernel is made with; {@code isolatedNetwork} gives the guest a loopback of its own
     * instead of the host's network ({@code --net none}); {@code sysroot} (-L, or null) is looked
     * in first for every absolute path.
     */
    public record Options(String hostname, Path rootfs, Machine machine, PrintStream warnings, Strace strace,
            InstructionTrace tracer, Cpus.Engine engine, long ignoredSignals, boolean isolatedNetwork, Path sysroot) {
        public Options(String hostname, Path rootfs, Machine machine, PrintStream warnings, Strace strace,
                InstructionTrace tracer, Cpus.Engine engine, long ignoredSignals, boolean isolatedNetwork) {
            this(hostname, rootfs, machine, warnings, strace, tracer, engine, ignoredSignals, isolatedNetwork, null);
        }

        public Options(String hostname, Path rootfs, Machine machine, PrintStream warnings, Strace strace,
                InstructionTrace tracer, Cpus.Engine engine, long ignoredSignals) {
            this(hostname, rootfs, machine, warnings, strace, tracer, engine, ignoredSignals, false);
        }

        public Options(String hostname, Path rootfs, Machine machine, PrintStream warnings, Strace strace,
                InstructionTrace tracer, Cpus.Engine engine) {
            this(hostname, rootfs, machine, warnings, strace, tracer, engine, 0);
        }
    }

    /** The guest's pid in a deterministic run. */
    private static final long DETERMINISTIC_PID = 1000;

    /**
     * The scheduler's slice; the system property phoenix.sliceNanos shortens it, so a test can make
     * threads switch at many more points than the default 10 ms gives.
     */
    private static final long SLICE_NANOS = Long.getLong("phoenix.sliceNanos", dev.phoenix.libos.sched.RoundRobin.SLICE_NANOS);

    /** Linux's stack_guard_gap: 256 pages kept free below a growing stack. */
    private static final long STACK_GUARD_GAP = 256 * FrameAllocator.PAGE_SIZE;

    private final Options options;
    private final Vfs vfs;
    /** Futex wait queues of every process of this kernel. */
    private final dev.phoenix.libos.proc.FutexTable futexes = new dev.phoenix.libos.proc.FutexTable();
    /** The next thread id to hand out (clone); pids and tids share one space, as in Linux. */
    private final dev.phoenix.libos.ns.Namespaces initialNamespaces;
    private final java.util.concurrent.atomic.AtomicInteger nextTid = new java.util.concurrent.atomic.AtomicInteger();
    private final EnosysLog enosys = new EnosysLog();
    /** True while signals sent to Phoenix reach the guest, so that a stop signal may stop Phoenix's own process. */
    private volatile boolean jobControl;

    /**
     * The default action of stop signal {@code sig}: Phoenix's own host process stops, as the
     * guest would, so the shell sees its job stop; this returns when the host continues it
     * (SIGCONT). As in Linux, SIGTSTP, SIGTTIN and SIGTTOU are discarded in an orphaned process
     * group (no shell is left to continue it). Without host signals (Phoenix run in-process)
     * there is no process of the guest's own to stop, and the signal is ignored.
     */
    public void stopHost(int sig) {
        if (jobControl && (sig == Signals.SIGSTOP || !JobControl.hostGroupOrphaned())) {
            HostOs.kill(HostOs.getpid(), Signals.SIGSTOP);
        }
    }

    /**
     * fcntl(2)'s F_SETOWN and F_SETSIG per open file description ({owner type, pid, signal}),
     * forgotten with the description.
     */
    private final java.util.Map<Object, int[]> fileOwners = java.util.Collections.synchronizedMap(
            new java.util.WeakHashMap<>());

    /** The owners of open file descriptions (fcntl F_SETOWN, F_SETOWN_EX, F_SETSIG). */
    public java.util.Map<Object, int[]> fileOwners() {
        return fileOwners;
    }

    /** The futex wait queues. */
    public dev.phoenix.libos.proc.FutexTable futexes() {
        return futexes;
    }

    /** A fresh thread id: the ones after the first process's pid, in order. */
    public int allocateTid() {
        return nextTid.incrementAndGet();
    }

    private final java.util.Set<String> warned = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Prints {@code line} on the warnings stream the first time it is asked for. */
    public void warnOnce(String line) {
        if (warned.add(line)) {
            options.warnings().println(line);
        }
    }

    /** The --strace printer, or null when not tracing. */
    public Strace strace() {
        return options.strace();
    }

    /** The syscalls that returned ENOSYS so far, with counts (--trace-unimplemented). */
    public EnosysLog enosys() {
        return enosys;
    }

    /**
     * Stores to new pages between two measurements of a process's memory for its cgroup: at most
     * this many pages (256 KiB) past memory.max before the OOM killer acts.
     */
    private static final int MEMORY_CHECK_WRITE_FILLS = 64;

    public LinuxKernel(Options options) {
        this.options = options;
        this.initialNamespaces = dev.phoenix.libos.ns.Namespaces.initial(options.hostname(),
                !options.isolatedNetwork());
        this.virtualCpus = options.machine().clock() instanceof dev.phoenix.libos.VirtualClock ? null
                : new VirtualCpus(Math.min(64, options.machine().cpus()));
        this.vfs = new Vfs(options.rootfs(), options.sysroot(), initialNamespaces.mnt());
        DevFs devFs = new DevFs(options.machine().random(), options.machine().clock(), JobControl.ptyListener(this));
        devFs.addCharDevice("vgpu0", dev.phoenix.vgpu.device.VgpuDevice.MAJOR, dev.phoenix.vgpu.device.VgpuDevice.MINOR,
                status -> vgpu().open(status));
        vfs.mount("/dev", devFs);
        vfs.mount("/sys", new SysFs(options.machine().cpus()));
        this.cgroups = new dev.phoenix.libos.cgroup.CgroupHierarchy(options.machine().clock(), this::oomKill);
        this.firstCgroup = cgroups.root();
        vfs.mount("/sys/fs/cgroup", new dev.phoenix.abi.procfs.CgroupFs(this));
    }

    /** The executor /dev/vgpu0 runs shaders on ("phoenix" or "vulkan"; phoenix run --vgpu). */
    private volatile String vgpuExecutor = "phoenix";
    /** /dev/vgpu0, made at its first open. @GuardedBy("this") */
    private dev.phoenix.vgpu.device.VgpuDevice vgpu;

    /** Chooses the executor of /dev/vgpu0 (phoenix run --vgpu); call before the guest first opens it. */
    public void setVgpuExecutor(String name) {
        vgpuExecutor = name;
    }

    /** Lets go of the virtual GPU's executor (its threads, its render server): every process has ended. */
    private synchronized void closeVgpu() {
        if (vgpu != null) {
            vgpu.close();
        }
    }

    /** The virtual GPU, made with the chosen executor at the first open of /dev/vgpu0. */
    public synchronized dev.phoenix.vgpu.device.VgpuDevice vgpu() {
        if (vgpu == null) {
            vgpu = dev.phoenix.vgpu.device.VgpuDevice.named(vgpuExecutor, options.machine().clock());
        }
        return vgpu;
    }

    /** The cgroup v2 hierarchy (/sys/fs/cgroup). */
    private final dev.phoenix.libos.cgroup.CgroupHierarchy cgroups;
    /** The group the first process starts in: the root, or the one {@link #limitFirstProcess} made. */
    private volatile dev.phoenix.libos.cgroup.Cgroup firstCgroup;

    /** The cgroup v2 hierarchy every process of this kernel is in. */
    public dev.phoenix.libos.cgroup.CgroupHierarchy cgroups() {
        return cgroups;
    }

    /**
     * Run-level limits (phoenix run --memory, --cpus, --pids-limit, docker run's): the first
     * process starts in group "/phoenix" with the cpu, memory and pids controllers enabled for
     * it and these limits, as docker puts a container in a child group of its own (Linux's root
     * group has no limit files). {@code memoryMax} in bytes, {@code cpuQuotaUs} per
     * {@code cpuPeriodUs} (docker's --cpus 0.5: 50000 per 100000), {@code pidsMax}; each
     * {@link dev.phoenix.libos.cgroup.Cgroup#MAX} for no limit. Call before {@link #load}.
     */
    public void limitFirstProcess(long memoryMax, long cpuQuotaUs, long cpuPeriodUs, long pidsMax) {
        firstCgroup = cgroups.limitedGroup("phoenix", memoryMax, cpuQuotaUs, cpuPeriodUs, pidsMax);
    }

    /** The CLONE_NEW* flags of the namespaces the first process gets of its own ({@link #isolateFirstProcess}). */
    private long firstNamespaces;

    /**
     * Isolation (phoenix run --pid, --mount, --uts, --ipc, --user, --isolate, as unshare(1) and
     * container runtimes give it): the first process starts in new namespaces of the kinds whose
     * CLONE_NEW* flags are in {@code cloneFlags}, made from the initial ones as unshare(2) would
     * make them; with CLONE_NEWPID it is the new namespace's init, pid 1. Call before {@link #load}.
     */
    public void isolateFirstProcess(long cloneFlags) {
        if ((cloneFlags & ~dev.phoenix.libos.ns.NsKind.ALL_FLAGS) != 0) {
            throw new IllegalArgumentException("not namespace flags: 0x" + Long.toHexString(cloneFlags));
        }
        firstNamespaces = cloneFlags;
    }

    /** The namespaces the first process starts in: the initial ones, or new ones it alone is in (pid {@code pid}). */
    private void enterFirstNamespaces(Process process, int pid) {
        if (firstNamespaces == 0) {
            process.namespaces = initialNamespaces;
            return;
        }
        dev.phoenix.libos.proc.Credentials cred = process.credentials();
        dev.phoenix.libos.ns.Namespaces ns = initialNamespaces.copy(firstNamespaces, cred.euid, cred.egid,
                process.cgroup).forChild();
        ns.pid().attach(pid);
        if (ns.user() != initialNamespaces.user()) {
            ns.user().mapRootTo(cred.euid, cred.egid); // the caller is root inside (unshare -r)
            process.setCredentials(cred.inNewUserNamespace());
        }
        process.namespaces = ns;
    }

    /** SIGKILL from the memory controller's OOM killer to {@code victim}, from any thread, its own included. */
    private void oomKill(Process victim) {
        dev.phoenix.abi.linux.SignalSyscalls.postFromProcess(this, victim, Signals.SIGKILL, SigInfo.SI_KERNEL, 0, 0);
        Task current = Task.current();
        if (current != null && current.process() == victim) {
            victim.cpu().requestStop(); // in a TLB fill of its own: stop at the next block
        }
    }

    /**
     * The memory controller's check for {@code p}, on its engine's thread every so many first
     * stores to pages: what it holds now is charged to its group, and the OOM killer acts where
     * that passes a memory.max. Nothing to do before some group has a limit.
     */
    private void memoryCheck(Process p) {
        if (!cgroups.memoryLimited() || p.cgroup == null || p.exitStatus() != null) {
            return;
        }
        AddressSpace space = p.addressSpace();
        if (space != null) {
            long[] use = space.chargedBytes();
            cgroups.charged(p, use[0], use[1]);
        }
    }

    /**
     * The memory controller's check after a system call gave {@code p} (the caller) frames at
     * once (MAP_POPULATE, mlock, MADV_POPULATE_*: Linux charges each page as populate faults it
     * in): returns false when {@code p} is to stop populating, because it has a SIGKILL pending
     * (the OOM killer's, or another's), as populate stops at a fatal signal.
     */
    public boolean memoryChargedAfterPopulate(Process p) {
        memoryCheck(p);
        return (p.sharedPending().bits() & Task.bit(Signals.SIGKILL)) == 0 && p.exitStatus() == null;
    }

    /** The namespaces the first process starts in. */
    public dev.phoenix.libos.ns.Namespaces initialNamespaces() {
        return initialNamespaces;
    }

    public String hostname() {
        return options.hostname();
    }

    /** uname release: a Linux version glibc accepts, marked so a guest can tell it runs under Phoenix. */
    public String release() {
        return "6.1.0-phoenix";
    }

    public String version() {
        return "#1 SMP PREEMPT_DYNAMIC Phoenix";
    }

    /** The guest's file system, rooted at the rootfs. */
    public Vfs vfs() {
        return vfs;
    }

    /**
     * The guest's CPUs: at most this many runners run guest code at once (null in a deterministic
     * run, where one runner runs every task).
     */
    VirtualCpus virtualCpus() {
        return virtualCpus;
    }

    private final VirtualCpus virtualCpus;

    public Clock clock() {
        return options.machine().clock();
    }

    private final java.util.concurrent.atomic.AtomicReference<dev.phoenix.net.unix.UnixDomain> unixDomain =
            new java.util.concurrent.atomic.AtomicReference<>();

    private final java.util.concurrent.atomic.AtomicReference<dev.phoenix.net.Network> network =
            new java.util.concurrent.atomic.AtomicReference<>();

    /**
     * The network guest AF_INET and AF_INET6 sockets belong to, made at the first socket: the
     * host's (host mode), or with {@code isolatedNetwork} a loopback of this kernel's own.
     */
    public dev.phoenix.net.Network network() {
        dev.phoenix.net.Network n = network.get();
        if (n == null) {
            network.compareAndSet(null, options.isolatedNetwork()
                    ? new dev.phoenix.net.loopback.LoopbackNetwork(clock(), initialNamespaces.net())
                    : new dev.phoenix.net.host.HostNetwork(clock()));
            n = network.get();
        }
        return n;
    }

    /**
     * The network of network namespace {@code ns}'s AF_INET and AF_INET6 sockets: the initial
     * namespace's is {@link #network()}; any other has a loopback of its own, reachable only from
     * its sockets.
     */
    public dev.phoenix.net.Network network(dev.phoenix.libos.ns.NetNamespace ns) {
        if (ns == initialNamespaces.net()) {
            return network();
        }
        return ns.attachment(dev.phoenix.net.loopback.LoopbackNetwork.class,
                () -> new dev.phoenix.net.loopback.LoopbackNetwork(clock(), ns));
    }

    /** The AF_UNIX sockets' names and lock, made at the first socket. */
    public dev.phoenix.net.unix.UnixDomain unixDomain() {
        dev.phoenix.net.unix.UnixDomain d = unixDomain.get();
        if (d == null) {
            unixDomain.compareAndSet(null, new dev.phoenix.net.unix.UnixDomain(clock()));
            d = unixDomain.get();
        }
        return d;
    }

    /** The machine the guest sees: its figures, clock and randomness. */
    public Machine machine() {
        return options.machine();
    }

    public RandomGenerator random() {
        return options.machine().random();
    }

    /**
     * The number of CPUs the guest's tasks may run on: what sched_getaffinity(2) and getcpu(2)
     * answer from. The machine's count for now (the host's, or the fixed machine's of a
     * deterministic run); the real-time issue's {@code --cpus N} sets it.
     */
    public int cpuCount() {
        return options.machine().cpus();
    }

    /**
     * The fields of a /proc/PID/stat file after the parenthesised name, which may itself hold
     * spaces or parentheses: [0] is the state, [1] the ppid, [2] the process group, [3] the session.
     */
    private static String[] statFields(Path stat) throws java.io.IOException {
        String s = Files.readString(stat);
        return s.substring(s.lastIndexOf(')') + 2).split(" ");
    }

    /**
     * This JVM's process group and session from /proc/self/stat (fields 5 and 6, after the
     * parenthesised name, which may itself hold spaces or parentheses); {@code pid} for both when
     * it cannot be read.
     */
    private static int[] hostGroupAndSession(int pid) {
        try {
            String[] f = statFields(Path.of("/proc/self/stat"));
            return new int[] {Integer.parseInt(f[2]), Integer.parseInt(f[3])};
        } catch (java.io.IOException | RuntimeException e) {
            return new int[] {pid, pid};
        }
    }

    /**
     * The resource limits the guest starts with: those of the process that runs Phoenix, as a
     * program the user started natively would have them (the launcher keeps the JVM from raising
     * RLIMIT_NOFILE to its hard limit); Linux's defaults for the fixed machine of a deterministic
     * run, or where the host refuses a resource.
     */
    private long[][] initialLimits() {
        long[][] limits = Process.defaultLimits(machine().memory().total());
        if (!machine().deterministic()) {
            for (int r = 0; r < limits[0].length; r++) {
                long[] host = HostOs.getrlimit(r);
                if (host != null) {
                    limits[0][r] = host[0];
                    limits[1][r] = host[1];
                }
            }
        }
        return limits;
    }

    /**
     * The top of the mmap area: below the stack's room to grow, as Linux's mmap_base reserves
     * it from RLIMIT_STACK at exec (the limit plus the guard gap, at least 128 MiB and at most
     * five sixths of the address space), and never above the arch's usual layout.
     */
    private static long mmapTop(ArchAbi abi, long stackLimit) {
        long gap = stackLimit < 0 ? Long.MAX_VALUE : stackLimit + STACK_GUARD_GAP;
        gap = Math.clamp(gap, 128L << 20, abi.stackTop() / 6 * 5);
        return Math.min(abi.mmapTop(), AddressSpace.pageDown(abi.stackTop() - gap));
    }

    /**
     * The guest's first working directory: Phoenix's own when it lies inside the rootfs of
     * {@code vfs} (as a guest path), as qemu-user starts; else "/".
     */
    public static String initialCwd(Vfs vfs) {
        String cwd = vfs.guestPathOf(Path.of("").toAbsolutePath().normalize());
        return cwd == null ? "/" : cwd;
    }

    /**
     * Runs {@code program} (found by {@link Program#find} in this kernel's rootfs) to completion
     * with {@code stdio} as fds 0-2 (a null entry stays closed) and returns how it ended; argv[0]
     * is {@code argv.get(0)}.
     */
    public ExitStatus run(Program program, List<String> argv, List<String> envp, OpenFile[] stdio)
            throws ElfException {
        try (Session session = load(program, argv, envp, stdio)) {
            return session.run();
        }
    }

    /**
     * Makes the process of {@code program}, loaded and ready to run but not running: what
     * {@link #run} runs, and what a test that calls the dispatcher itself works on. The caller
     * closes it.
     */
    public Session load(Program program, List<String> argv, List<String> envp, OpenFile[] stdio)
            throws ElfException {
        ElfFile elf = program.elf();
        ArchAbi abi = ArchAbi.of(elf.arch());
        vfs.mount("/proc", new ProcFs(this, abi, options.rootfs()));
        Cpu cpu = Cpus.open(options.engine(), elf.arch());
        AddressSpace as = null;
        try {
            long[][] limits = initialLimits();
            as = new AddressSpace(cpu, frameAllocator(), abi.mmapBottom(), mmapTop(abi, limits[0][Process.RLIMIT_STACK]));
            // The host's ids, so the guest is the process the user sees; fixed ones when deterministic.
            long pid = machine().deterministic() ? DETERMINISTIC_PID : ProcessHandle.current().pid();
            long ppid = machine().deterministic() ? DETERMINISTIC_PID - 1
                    : ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(1L);
            Process process = new Process((int) pid, (int) ppid, cpu, as, program.guestPath(), program.path());
            nextTid.compareAndSet(0, (int) pid);
            for (int fd = 0; fd < stdio.length; fd++) {
                if (stdio[fd] != null) { // null: closed when Phoenix started, and closed in the guest
                    process.fds().installAt(stdio[fd], fd, false, Integer.MAX_VALUE);
                }
            }
            int[] group = machine().deterministic() ? new int[] {(int) pid, (int) pid} : hostGroupAndSession((int) pid);
            process.pgid = group[0];
            process.sid = group[1];
            hostTerminal = JobControl.attachHostTerminal(stdio, process);
            process.setLimits(limits);
            for (int sig = 1; sig <= Signals.NSIG; sig++) {
                if ((options.ignoredSignals() & Task.bit(sig)) != 0 && sig != Signals.SIGKILL && sig != Signals.SIGSTOP) {
                    process.sigactions[sig] = new SigAction(SigAction.SIG_IGN, 0, 0, 0);
                }
            }
            process.mainTask().fs().cwd = initialCwd(vfs);
            process.setCredentials(HostInfo.credentials());
            cgroups.attachFirst(process, firstCgroup);
            enterFirstNamespaces(process, (int) pid);
            process.startNanos = clock().monotonicNanos();
            process.vdsoBase = Vdso.map(as, elf.arch(), clock());
            ElfLoader.load(elf, program.interpreter(), program.interpreterPath(), process, abi, argv, envp, program.path(),
                    random());
            try {
                Object key = Vfs.fileKey(elf.path());
                vfs.denyWriteAccess(key);
                process.imageKey = key;
            } catch (dev.phoenix.libos.Errno e) {
                // open for writing by another guest of this kernel: none exists yet
            }
            Vcpu vcpu = attach(cpu, abi, process);
            process.mainTask().setFallbackClock(clock());
            return new Session(vcpu, process);
        } catch (RuntimeException | Error | ElfException e) {
            if (as != null) {
                as.destroy();
            }
            cpu.close();
            throw e;
        }
    }

    /** Frames one process may hold: each gets its own allocator, so its limit is its own. */
    private FrameAllocator frameAllocator() {
        return new FrameAllocator(FRAME_LIMIT_PAGES);
    }

    /**
     * Makes {@code cpu} a Vcpu serving {@code owner}'s address space: its dispatcher (the arch's
     * table, the owner's leader as the first context), the fault resolver that grows the stack
     * (within the owner's RLIMIT_STACK) and fills shared-file holes, and the instruction tracer.
     */
    Vcpu attach(Cpu cpu, ArchAbi abi, Process owner) {
        SyscallContext ctx = new SyscallContext(this, abi, owner.mainTask());
        AddressSpace space = owner.addressSpace();
        cpu.setFaultResolver(address -> space.growDown(address, owner.rlimitCurOrMax(Process.RLIMIT_STACK),
                STACK_GUARD_GAP) || space.faultInFile(address));
        cpu.setWriteFillObserver(() -> memoryCheck(owner), MEMORY_CHECK_WRITE_FILLS);
        Dispatcher dispatcher = new Dispatcher(SyscallTable.of(cpu.arch()), ctx, options.warnings(), options.strace(),
                enosys);
        cpu.setTrapHandler(dispatcher);
        if (machine().deterministic()) {
            cpu.countedRuns(); // a deterministic run counts instructions once it has two tasks
        }
        if (options.tracer() != null) {
            cpu.setTracer(options.tracer().forArch(cpu.arch()));
        }
        Vcpu v = new Vcpu(cpu, abi, dispatcher);
        vcpus.put(cpu, v);
        return v;
    }

    /** A new engine for {@code arch} (fork's child, execve's new image), not yet serving anything. */
    public Cpu openCpu(dev.phoenix.emu.Arch arch) {
        return Cpus.open(options.engine(), arch);
    }

    /** A new, empty address space on {@code cpu} for a new image of {@code abi}'s arch within {@code p}'s limits (execve). */
    public AddressSpace newAddressSpace(Cpu cpu, ArchAbi abi, Process p) {
        return new AddressSpace(cpu, frameAllocator(), abi.mmapBottom(), mmapTop(abi, p.rlimitCur[Process.RLIMIT_STACK]));
    }

    /** Makes {@code cpu}, holding {@code owner}'s address space, a Vcpu (fork's child, execve). */
    public void attachCpu(Cpu cpu, Process owner) {
        attach(cpu, ArchAbi.of(cpu.arch()), owner);
    }

    /** The Vcpu of engine {@code cpu}. */
    Vcpu vcpu(Cpu cpu) {
        return vcpus.get(cpu);
    }

    /** Engines in use, by their Cpu. */
    private final java.util.Map<Cpu, Vcpu> vcpus = new java.util.concurrent.ConcurrentHashMap<>();

    // ---- processes ----

    /** Guards the process tree: the table, every process's children, parents and zombie state. */
    private final Object tree = new Object();
    /** Live and zombie processes by pid. @GuardedBy("tree") */
    private final java.util.Map<Integer, Process> processes = new java.util.HashMap<>();
    /** Processes that have not exited yet. @GuardedBy("tree") */
    private int running;
    /** The first guest process, whose parent is on the host. */
    private volatile Process initial;
    /** The one run queue of a deterministic run: every task of every process takes turns on one host thread. */
    private dev.phoenix.libos.proc.RunQueue sharedQueue;
    private final dev.phoenix.libos.proc.Reactor reactor = new dev.phoenix.libos.proc.Reactor();

    /** The process {@code pid}, live or zombie, or null. */
    public Process process(int pid) {
        synchronized (tree) {
            return processes.get(pid);
        }
    }

    /**
     * The task {@code tid} names, as Linux's find_task_by_vpid finds it: the leader of process
     * {@code tid} (a zombie's too, until it is reaped), else the live thread {@code tid} of any
     * process; null for none.
     */
    public Task task(int tid) {
        if (tid <= 0) {
            return null;
        }
        Process p = process(tid);
        if (p != null) {
            return p.mainTask();
        }
        for (Process q : processes()) {
            Task t = q.task(tid);
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    /** A snapshot of every process, live or zombie, in pid order. */
    public List<Process> processes() {
        synchronized (tree) {
            List<Process> all = new java.util.ArrayList<>(processes.values());
            all.sort(java.util.Comparator.comparingInt(Process::pid));
            return all;
        }
    }

    /** The lock guarding the process tree, for handlers that walk it (wait4, kill, setpgid). */
    public Object tree() {
        return tree;
    }

    /** The first guest process. */
    public Process initialProcess() {
        return initial;
    }

    /**
     * Enters {@code child}, made by {@code parent}'s fork, into the process table, and its task
     * into a run queue: with {@code sameQueue} (CLONE_VM: it runs on the parent's engine) the
     * parent's; otherwise a run queue and host thread of its own, so processes run in parallel
     * (in a deterministic run, the one queue every task shares).
     */
    public void startProcess(Process parent, Process child, boolean sameQueue) {
        synchronized (tree) {
            processes.put(child.pid(), child);
            parent.children.add(child);
            running++;
        }
        Task t = child.mainTask();
        t.setFallbackClock(clock());
        if (sameQueue || sharedQueue != null) {
            (sameQueue ? parent.mainTask().runQueue() : sharedQueue).start(t);
        } else {
            startRunner(t, newQueue());
        }
    }

    private dev.phoenix.libos.proc.RunQueue newQueue() {
        return new dev.phoenix.libos.proc.RunQueue(new dev.phoenix.sched.ClassScheduler(SLICE_NANOS), clock(), reactor);
    }

    /** Starts {@code t} on {@code queue} with a runner of its own on a new host thread. */
    void startRunner(Task t, dev.phoenix.libos.proc.RunQueue queue) {
        queue.start(t);
        Runner r = new Runner(this, queue, options.warnings());
        Thread.ofPlatform().name("phoenix-" + t.tid()).start(r::run);
    }

    /** A new run queue for a task leaving a shared one (a vfork child that exec'd), with its own runner. */
    void moveToNewRunner(Task t) {
        startRunner(t, newQueue());
    }

    /** True when every task of every process shares one run queue (a deterministic run). */
    boolean oneQueue() {
        return sharedQueue != null;
    }

    /**
     * Process {@code p}'s last thread is gone (its runner has taken every task off): it lets go of
     * its address space, its children go to the nearest subreaper or to init, and it becomes a
     * zombie its parent is told of (its exit signal, the wait queue), unless the parent reaps
     * it automatically (SIGCHLD ignored, SA_NOCLDWAIT) or is init (Phoenix reaps at once).
     */
    void processExited(Process p) {
        p.timesAtExit = p.cpuTimes(clock()); // every thread's, folded in as it exited
        p.switchesAtExit = p.contextSwitches();
        dev.phoenix.libos.mm.AddressSpace space = p.addressSpace();
        if (space != null) { // not let go yet: its resident set counts for ru_maxrss (Linux's __exit_signal)
            p.maxRssKib = Math.max(p.maxRssKib, space.residentBytes() >> 10);
        }
        p.stopTimers();
        dev.phoenix.libos.ipc.SemUndoList undo = p.semUndo;
        if (undo != null) { // Linux's exit_sem
            undo.exit(p.pid());
        }
        if (soleUser(p.cpu())) { // a CLONE_VM child's exit leaves the shared mm attached
            dev.phoenix.libos.ipc.ShmSegment.detachingAll(p.addressSpace(), p.pid(), clock().realtimeNanos() / 1_000_000_000L);
        }
        cgroups.exited(p);
        releaseAddressSpace(p);
        p.namespaces.ipc().objects.reapShm(); // a removed segment goes with its last attachment
        vfs.allowWriteAccess(p.imageKey);
        p.imageKey = null;
        ExitStatus status = p.exitStatus();
        if (options.strace() != null && p != initial) {
            options.strace().exited(p.pid(), status);
        }
        synchronized (tree) {
            p.zombie = true;
            releaseVforkParent(p);
            dev.phoenix.libos.ns.PidNamespace pidNs = p.namespaces.pid();
            boolean nsInit = !pidNs.isInitial() && pidNs.initGlobal() == p.pid();
            if (nsInit) {
                zapNamespace(pidNs, p);
            }
            List<Process> orphans = List.copyOf(p.children);
            for (Process child : orphans) {
                reparent(child, p);
            }
            p.children.clear();
            JobControl.exited(this, p, orphans); // a leader's terminal hangs up; newly orphaned groups with stopped jobs get SIGHUP, SIGCONT
            if (nsInit && anyAliveIn(pidNs)) {
                p.exitDeferred = true; // its parent hears of it when the last process of its namespace is gone
            } else {
                announceExit(p);
            }
            for (dev.phoenix.libos.ns.PidNamespace ns = pidNs; !ns.isInitial(); ns = ns.parent()) {
                Process init = processes.get(ns.initGlobal());
                if (init != null && init.exitDeferred && !anyAliveIn(ns)) {
                    init.exitDeferred = false;
                    announceExit(init);
                }
            }
            running--;
            tree.notifyAll();
        }
        p.exitWaiters.wakeAll();
    }

    /** Makes zombie {@code p} known to its parent, or reaps it when it has none on the guest's side. @GuardedBy("tree") */
    private void announceExit(Process p) {
        ExitStatus status = p.exitStatus();
        Process parent = p.parent();
        if (parent == null) {
            if (p != initial) {
                forget(p); // init reaps its children at once
            }
        } else {
            notifyParent(p, parent, status.signal() != 0 ? SigInfo.CLD_KILLED : SigInfo.CLD_EXITED,
                    status.signal() != 0 ? status.signal() : status.code(), p.exitSignal);
        }
    }

    /** Takes {@code p} out of the process table and its PID namespaces. @GuardedBy("tree") */
    private void forget(Process p) {
        processes.remove(p.pid());
        p.namespaces.pid().detach(p.pid());
    }

    /**
     * The init of {@code ns} has died (zap_pid_ns_processes): the namespace takes no new process,
     * and every other process in it or below it is killed. @GuardedBy("tree")
     */
    private void zapNamespace(dev.phoenix.libos.ns.PidNamespace ns, Process init) {
        ns.kill();
        for (Process q : processes.values()) {
            if (q != init && !q.zombie && q.namespaces.pid().isWithin(ns)) {
                SignalSyscalls.postFromProcess(this, q, Signals.SIGKILL, SigInfo.SI_KERNEL, 0, 0);
            }
        }
    }

    /** Whether a process of {@code ns} (or below it) has not exited yet, other than its init. @GuardedBy("tree") */
    private boolean anyAliveIn(dev.phoenix.libos.ns.PidNamespace ns) {
        for (Process q : processes.values()) {
            if (!q.zombie && q.pid() != ns.initGlobal() && q.namespaces.pid().isWithin(ns)) {
                return true;
            }
        }
        return false;
    }

    /** A vfork child has exec'd or exited: its parent, waiting since the vfork, goes on. */
    public void releaseVforkParent(Process child) {
        if (child.vforkPending) {
            child.vforkPending = false;
            child.vforkDone.wakeAll();
        }
    }

    /**
     * Tells {@code parent} that {@code child} exited, was killed, stopped or continued
     * ({@code code}, a CLD_* si_code, with {@code status}): its exit signal with that siginfo
     * (SIGCHLD unless clone asked for another; none for a stop or continue when the parent set
     * SA_NOCLDSTOP), and every waiter woken. An exited child whose parent ignores SIGCHLD or
     * set SA_NOCLDWAIT is reaped at once. The caller holds the tree's lock.
     */
    private void notifyParent(Process child, Process parent, int code, int status, int signal) {
        SigAction chld = parent.sigactions[Signals.SIGCHLD];
        boolean exit = code == SigInfo.CLD_EXITED || code == SigInfo.CLD_KILLED || code == SigInfo.CLD_DUMPED;
        boolean noStopSignal = !exit && (chld.flags() & SigAction.SA_NOCLDSTOP) != 0;
        // do_notify_parent: a parent that ignores SIGCHLD reaps its exited child and gets no signal
        boolean ignoredExit = exit && signal == Signals.SIGCHLD && chld.handler() == SigAction.SIG_IGN;
        if (signal != 0 && !noStopSignal && !ignoredExit) {
            long sender = (child.pid() & 0xffffffffL) | ((long) child.credentials().uid << 32);
            SignalSyscalls.postFromProcess(this, parent, signal, code, sender, status & 0xffffffffL);
        }
        if (exit && signal == Signals.SIGCHLD
                && (chld.handler() == SigAction.SIG_IGN || (chld.flags() & SigAction.SA_NOCLDWAIT) != 0)) {
            parent.children.remove(child);
            forget(child);
        }
        parent.childEvents.wakeAll();
    }

    /**
     * The default action of stop signal {@code sig} for {@code p}, on its runner's thread: the
     * first process, whose parent is the host's shell, stops Phoenix itself ({@link #stopHost});
     * any other stops with all its threads until SIGCONT (or SIGKILL), and its parent is told.
     */
    public void stopProcess(Process p, int sig) {
        if (p == initial || initial == null) {
            stopHost(sig);
            return;
        }
        if (sig != Signals.SIGSTOP && JobControl.orphanedGroup(this, p.pgid)) {
            return; // Linux's get_signal discards SIGTSTP, SIGTTIN and SIGTTOU in an orphaned group
        }
        p.stoppedBy = sig;
        p.stopUnreported = true;
        p.continueUnreported = false;
        p.cpu().requestStop(); // the runner parks its threads
        stoppedOrContinued(p, sig);
    }

    /** {@code child} stopped ({@code sig}) or continued ({@code sig} 0): its parent is told (WUNTRACED, WCONTINUED). */
    public void stoppedOrContinued(Process child, int sig) {
        synchronized (tree) {
            Process parent = child.parent();
            if (parent != null) {
                notifyParent(child, parent, sig != 0 ? SigInfo.CLD_STOPPED : SigInfo.CLD_CONTINUED,
                        sig != 0 ? sig : Signals.SIGCONT, Signals.SIGCHLD);
            }
        }
    }

    /**
     * Re-parents {@code child} of dying {@code dead} (Linux's find_new_reaper): to the nearest
     * living ancestor that is a child subreaper, else to init, which Phoenix plays (pid 1: it
     * reaps at once). The new parent of a zombie is told of it again, as reparent_leader does.
     */
    private void reparent(Process child, Process dead) {
        Process reaper = reaper(dead);
        if (child.parentDeathSignal != 0) {
            SignalSyscalls.postFromProcess(this, child, child.parentDeathSignal, SigInfo.SI_USER,
                    (dead.pid() & 0xffffffffL) | ((long) dead.credentials().uid << 32), 0);
        }
        if (reaper == null) {
            child.setParent(null, 1);
            if (child.zombie) {
                forget(child);
            }
            return;
        }
        child.setParent(reaper, reaper.pid());
        child.exitSignal = Signals.SIGCHLD;
        reaper.children.add(child);
        if (child.zombie) {
            ExitStatus st = child.exitStatus();
            notifyParent(child, reaper, st.signal() != 0 ? SigInfo.CLD_KILLED : SigInfo.CLD_EXITED,
                    st.signal() != 0 ? st.signal() : st.code(), Signals.SIGCHLD);
        }
    }

    /**
     * Who adopts the children of {@code dead} (find_new_reaper): the nearest living ancestor in
     * its PID namespace that is a child subreaper, else the init of that namespace; the orphans of
     * a namespace's init go up to its parent namespace. Null for Phoenix itself (the initial
     * namespace's init, or a namespace's init that has died).
     */
    private Process reaper(Process dead) {
        dev.phoenix.libos.ns.PidNamespace ns = dead.namespaces.pid();
        if (!ns.isInitial() && ns.initGlobal() == dead.pid()) {
            ns = ns.parent();
        }
        Process nsInit = ns.isInitial() ? null : processes.get(ns.initGlobal());
        Process r = dead.parent();
        while (r != null && r != nsInit && r.namespaces.pid() == ns && (!r.childSubreaper || r.zombie)) {
            r = r.parent();
        }
        if (r == null || r.namespaces.pid() != ns) {
            r = nsInit;
        }
        return r == null || r.zombie ? null : r;
    }

    /** Takes zombie {@code child} out of the table and its parent's children (wait4 reaped it). */
    public void reap(Process child) {
        synchronized (tree) {
            Process parent = child.parent();
            if (parent != null) {
                parent.children.remove(child);
                // Linux's wait_task_zombie: the child's times and those of the children it reaped.
                parent.childrenUserNanos += child.timesAtExit.user() + child.childrenUserNanos;
                parent.childrenSystemNanos += child.timesAtExit.system() + child.childrenSystemNanos;
                parent.childrenVoluntarySwitches += child.switchesAtExit[0] + child.childrenVoluntarySwitches;
                parent.childrenInvoluntarySwitches += child.switchesAtExit[1] + child.childrenInvoluntarySwitches;
                parent.childrenMaxRssKib = Math.max(parent.childrenMaxRssKib,
                        Math.max(child.maxRssKib, child.childrenMaxRssKib));
            }
            forget(child);
        }
    }

    /**
     * {@code p} no longer uses its address space (exit, or execve replaced it): the last process
     * to leave it frees its frames and closes its engine. Called from the runner that ran it,
     * after the engine's last run returned.
     */
    void releaseAddressSpace(Process p) {
        releaseCpu(p.cpu(), p.addressSpace());
    }

    /** True when nothing but one process uses engine {@code cpu} and its address space (no CLONE_VM sharer). */
    public boolean soleUser(Cpu cpu) {
        synchronized (tree) {
            Vcpu v = vcpus.get(cpu);
            return v == null || v.users <= 1;
        }
    }

    /** One user of engine {@code cpu} and address space {@code as} has left; the last closes them. */
    void releaseCpu(Cpu cpu, AddressSpace as) {
        Vcpu v = vcpus.get(cpu);
        synchronized (tree) {
            if (v == null || --v.users > 0) {
                return;
            }
            vcpus.remove(cpu);
        }
        try {
            cpu.close(); // first: the engine must not touch the frames once they are freed
        } finally {
            as.releaseAfterEngineClosed();
        }
    }

    /** {@code p} now shares the address space of engine {@code cpu} (CLONE_VM). */
    public void shareCpu(Cpu cpu) {
        synchronized (tree) {
            vcpus.get(cpu).users++;
        }
    }

    /**
     * A signal sent to Phoenix from the host. One the host kernel sent (si_code SI_KERNEL: the
     * terminal's ^C, ^Z, ^\ or resize) goes to the guest's foreground process group of that
     * terminal, the group a guest shell put there with TIOCSPGRP, as the terminal would send it
     * ({@link #hostTerminal}); a hangup's SIGHUP and SIGCONT for Phoenix as its session's leader
     * go to the guest's first process, the leader it plays. One a host process sent (kill from a
     * shell, its fg's SIGCONT) goes to the first process and every process still in its group.
     */
    private void fromHost(int sig, int code, int from, int uid) {
        Process first = initial;
        int group = first.pgid;
        boolean kernel = code == SigInfo.SI_KERNEL;
        dev.phoenix.libos.tty.Terminal tty = hostTerminal;
        boolean leaderHangup = (sig == Signals.SIGHUP || sig == Signals.SIGCONT) && first.pid() == first.sid;
        if (kernel && tty != null && tty.pgrp() != 0 && !leaderHangup) {
            group = tty.pgrp();
        }
        int siCode = kernel ? SigInfo.SI_KERNEL : SigInfo.SI_USER;
        long sender = kernel ? 0 : (from & 0xffffffffL) | ((long) uid << 32);
        if (first.pgid == group && !first.zombie) {
            SignalSyscalls.fromHost(clock(), first, sig, siCode, sender);
        }
        for (Process p : processes()) {
            if (p != first && p.pgid == group && !p.zombie) {
                SignalSyscalls.postFromProcess(this, p, sig, siCode, sender, 0);
            }
        }
    }

    /** The host terminal Phoenix was given, as the first session's controlling terminal, or null. */
    private volatile dev.phoenix.libos.tty.Terminal hostTerminal;

    /** Waits until every guest process has exited. */
    private void awaitAllExited() throws InterruptedException {
        synchronized (tree) {
            while (running > 0) {
                tree.wait();
            }
        }
    }

    /** A loaded guest process, its engine and its dispatcher ({@link #load}); closing it frees them. */
    public final class Session implements AutoCloseable {
        private final Vcpu vcpu;
        private final Process process;
        private boolean ran;

        private Session(Vcpu vcpu, Process process) {
            this.vcpu = vcpu;
            this.process = process;
        }

        public Process process() {
            return process;
        }

        public Cpu cpu() {
            return vcpu.cpu;
        }

        /** The dispatcher the guest's syscalls go through. */
        public Dispatcher dispatcher() {
            return vcpu.dispatcher;
        }

        /**
         * Runs the guest until its process ends, turning faults into signals and taking signals
         * sent to Phoenix from the host meanwhile, then waits for the processes it left behind
         * (Phoenix is their kernel: they cannot outlive it); returns how the first one ended.
         */
        public ExitStatus run() {
            ran = true;
            HostSignals.Receiver hostSignals = (sig, code, from, uid) -> fromHost(sig, code, from, uid);
            jobControl = HostSignals.forwardTo(hostSignals);
            try {
                initial = process;
                synchronized (tree) {
                    processes.put(process.pid(), process);
                    running++;
                }
                dev.phoenix.libos.proc.RunQueue queue = newQueue();
                if (machine().deterministic()) {
                    sharedQueue = queue;
                }
                queue.start(process.mainTask());
                new Runner(LinuxKernel.this, queue, options.warnings()).run();
                awaitAllExited();
                ExitStatus status = process.exitStatus();
                if (options.strace() != null) {
                    options.strace().exited(process.mainTask().tid(), status);
                }
                return status;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ExitStatus.killed(Signals.SIGKILL);
            } finally {
                HostSignals.stop(hostSignals);
                jobControl = false;
                closeVgpu();
            }
        }

        @Override
        public void close() {
            try {
                process.stopTimers();
                reactor.close();
                dev.phoenix.net.Network n = network.get();
                if (n != null) {
                    n.close();
                }
            } finally {
                if (!ran) { // a runner frees what a run used; a session never run frees its own
                    releaseAddressSpace(process);
                }
            }
        }
    }
}
