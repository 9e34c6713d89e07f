package dev.phoenix.abi;

import dev.phoenix.abi.elf.ElfException;
import dev.phoenix.abi.elf.ElfFile;
import dev.phoenix.abi.elf.ElfLoader;
import dev.phoenix.abi.linux.HostInfo;
import dev.phoenix.abi.linux.SignalSyscalls;
import dev.phoenix.abi.linux.Vdso;
import dev.phoenix.abi.signal.HostSignals;
import dev.phoenix.abi.procfs.ProcFs;
import dev.phoenix.abi.procfs.SysFs;
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
    public record Options(String hostname, Path rootfs, Machine machine, PrintStream warnings, Strace strace,
            InstructionTrace tracer, Cpus.Engine engine, long ignoredSignals) {
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
        if (jobControl && (sig == Signals.SIGSTOP || !hostGroupOrphaned())) {
            HostOs.kill(HostOs.getpid(), Signals.SIGSTOP);
        }
    }

    /**
     * True when Phoenix's host process group is orphaned (POSIX; Linux's will_become_orphaned_pgrp):
     * no member has a parent in another group of the same session. Read from /proc.
     */
    private static boolean hostGroupOrphaned() {
        java.util.Map<Long, long[]> procs = new java.util.HashMap<>(); // pid -> {ppid, pgrp, session}
        try (var dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path d : dirs) {
                try {
                    String[] f = statFields(d.resolve("stat"));
                    procs.put(Long.parseLong(d.getFileName().toString()),
                            new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])});
                } catch (java.io.IOException | RuntimeException e) {
                    // the process has gone: it is no longer a member
                }
            }
        } catch (java.io.IOException e) {
            return false;
        }
        long[] self = procs.get(HostOs.getpid());
        if (self == null) {
            return false;
        }
        for (long[] member : procs.values()) {
            long[] parent = member[1] == self[1] ? procs.get(member[0]) : null;
            if (member[1] == self[1] && parent != null && parent[1] != self[1] && parent[2] == self[2]) {
                return false;
            }
        }
        return true;
    }

    /** The futex wait queues. */
    public dev.phoenix.libos.proc.FutexTable futexes() {
        return futexes;
    }

    /** A fresh thread id: the ones after the first process's pid, in order. */
    public int allocateTid() {
        return nextTid.incrementAndGet();
    }

    /** The --strace printer, or null when not tracing. */
    public Strace strace() {
        return options.strace();
    }

    /** The syscalls that returned ENOSYS so far, with counts (--trace-unimplemented). */
    public EnosysLog enosys() {
        return enosys;
    }

    public LinuxKernel(Options options) {
        this.options = options;
        this.vfs = new Vfs(options.rootfs());
        vfs.mount("/dev", new DevFs(options.machine().random()));
        vfs.mount("/sys", new SysFs(options.machine().cpus()));
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

    public Clock clock() {
        return options.machine().clock();
    }

    /** The machine the guest sees: its figures, clock and randomness. */
    public Machine machine() {
        return options.machine();
    }

    public RandomGenerator random() {
        return options.machine().random();
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
        vfs.mount("/proc", new ProcFs(abi, options.machine(), options.rootfs(), release(), version()));
        FrameAllocator frames = new FrameAllocator(FRAME_LIMIT_PAGES);
        Cpu cpu = Cpus.open(options.engine(), elf.arch());
        AddressSpace as = null;
        try {
            long[][] limits = initialLimits();
            as = new AddressSpace(cpu, frames, abi.mmapBottom(), mmapTop(abi, limits[0][Process.RLIMIT_STACK]));
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
            process.setLimits(limits);
            for (int sig = 1; sig <= Signals.NSIG; sig++) {
                if ((options.ignoredSignals() & Task.bit(sig)) != 0 && sig != Signals.SIGKILL && sig != Signals.SIGSTOP) {
                    process.sigactions[sig] = new SigAction(SigAction.SIG_IGN, 0, 0, 0);
                }
            }
            process.mainTask().fs().cwd = initialCwd(vfs);
            process.setCredentials(HostInfo.credentials());
            process.startNanos = clock().monotonicNanos();
            process.vdsoBase = Vdso.map(as, elf.arch(), clock());
            ElfLoader.load(elf, process, abi, argv, envp, program.path(), random());
            SyscallContext ctx = new SyscallContext(this, abi, process.mainTask());
            // A fault just below the stack grows it, within RLIMIT_STACK and Linux's guard gap.
            AddressSpace space = as;
            cpu.setFaultResolver(address -> space.growDown(address, process.rlimitCurOrMax(Process.RLIMIT_STACK),
                    STACK_GUARD_GAP) || space.faultInFile(address));
            Dispatcher dispatcher = new Dispatcher(SyscallTable.of(elf.arch()), ctx, options.warnings(), options.strace(),
                    enosys);
            cpu.setTrapHandler(dispatcher);
            if (options.tracer() != null) {
                cpu.setTracer(options.tracer().forArch(elf.arch()));
            }
            dev.phoenix.libos.proc.Reactor reactor = new dev.phoenix.libos.proc.Reactor();
            dev.phoenix.libos.proc.RunQueue queue = new dev.phoenix.libos.proc.RunQueue(
                    new dev.phoenix.libos.sched.RoundRobin(SLICE_NANOS), clock(), reactor);
            process.mainTask().setFallbackClock(clock());
            return new Session(cpu, ctx, dispatcher, queue, reactor, abi);
        } catch (RuntimeException | Error | ElfException e) {
            if (as != null) {
                as.destroy();
            }
            cpu.close();
            throw e;
        }
    }

    /** A loaded guest process, its engine and its dispatcher ({@link #load}); closing it frees them. */
    public final class Session implements AutoCloseable {
        private final Cpu cpu;
        private final SyscallContext ctx;
        private final Dispatcher dispatcher;
        private final dev.phoenix.libos.proc.RunQueue queue;
        private final dev.phoenix.libos.proc.Reactor reactor;
        private final ArchAbi abi;

        private Session(Cpu cpu, SyscallContext ctx, Dispatcher dispatcher, dev.phoenix.libos.proc.RunQueue queue,
                dev.phoenix.libos.proc.Reactor reactor, ArchAbi abi) {
            this.cpu = cpu;
            this.ctx = ctx;
            this.dispatcher = dispatcher;
            this.queue = queue;
            this.reactor = reactor;
            this.abi = abi;
        }

        public Process process() {
            return ctx.process();
        }

        public Cpu cpu() {
            return cpu;
        }

        /** The dispatcher the guest's syscalls go through. */
        public Dispatcher dispatcher() {
            return dispatcher;
        }

        /**
         * Runs the guest until its process ends, turning faults into signals and taking signals
         * sent to Phoenix from the host meanwhile; returns how it ended.
         */
        public ExitStatus run() {
            Process process = ctx.process();
            HostSignals.Receiver hostSignals = (sig, from, uid) -> SignalSyscalls.fromHost(clock(), process, sig, from, uid);
            jobControl = HostSignals.forwardTo(hostSignals);
            try {
                queue.start(process.mainTask());
                ExitStatus status = new Runner(LinuxKernel.this, abi, process, queue, dispatcher, options.warnings()).run();
                if (options.strace() != null) {
                    options.strace().exited(process.mainTask().tid(), status);
                }
                return status;
            } finally {
                HostSignals.stop(hostSignals);
                jobControl = false;
            }
        }

        @Override
        public void close() {
            try {
                ctx.process().stopTimers();
                reactor.close();
                ctx.process().addressSpace().destroy();
            } finally {
                cpu.close();
            }
        }
    }
}
