package dev.phoenix.cli;

import dev.phoenix.abi.InstructionTrace;
import dev.phoenix.abi.LinuxKernel;
import dev.phoenix.abi.Program;
import dev.phoenix.abi.elf.ElfException;
import dev.phoenix.abi.strace.Strace;
import dev.phoenix.abi.syscall.EnosysLog;
import dev.phoenix.abi.syscall.EmulatorBug;
import dev.phoenix.emu.Cpus;
import dev.phoenix.emu.NativeLibraries;
import dev.phoenix.abi.Machine;
import dev.phoenix.libos.fs.HostFd;
import dev.phoenix.libos.fs.OpenFile;
import dev.phoenix.libos.fs.StdioFile;
import dev.phoenix.libos.ns.NsKind;
import dev.phoenix.libos.proc.ExitStatus;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code phoenix run}: loads an ELF program (and its dynamic loader) and runs it to completion. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a Linux ELF program on an emulated CPU.",
            "The arch (x86_64, aarch64 or riscv64) is read from the ELF header; a dynamically linked program "
                + "starts in its interpreter (the dynamic loader it names), looked up like PROGRAM. The guest shares "
                + "Phoenix's stdin, stdout and stderr, and Phoenix exits with the guest's exit status, or 128+N if signal N killed it."},
        footer = {"", "Exit codes of Phoenix itself:",
            "  2   bad command line            66  program not found",
            "  67  program is a directory      68  program not readable",
            "  69  not an ELF file             70  internal emulator error",
            "  71  32-bit ELF                  72  big-endian ELF",
            "  73  unsupported machine         74  truncated or malformed ELF headers",
            "  75  PT_LOAD beyond end of file  76  interpreter (dynamic loader) not found",
            "  77  not an executable ELF type  78  a PT_LOAD cannot be mapped",
            "  79  Unicorn/Capstone missing (run scripts/fetch-native.sh)",
            "  80  interpreter for another machine",
            "  126 no execute permission (as a shell reports it)",
            "", "Examples:", "  phoenix run /bin/busybox echo hello", "  phoenix run --strace ./hello-aarch64",
            "  phoenix run --strace -o trace.txt --trace-unimplemented ./prog",
            "  phoenix run -E LANG=C -U TERM ./prog arg1 arg2",
            "  phoenix run -L /srv/arm64-root /srv/arm64-root/usr/bin/ls /"},
        sortOptions = false)
final class RunCommand implements Callable<Integer> {
    @ParentCommand
    Main parent;

    @Option(names = "--strace", description = "Print each system call and its result to stderr, as strace(1) does: "
            + "flags by name, strings, structs and errno names.")
    boolean strace;

    @Option(names = {"-o", "--strace-output"}, paramLabel = "FILE",
            description = "Write the --strace output to FILE instead of stderr (implies --strace), as strace -o does.")
    Path straceOutput;

    @Option(names = {"-f", "--strace-follow"}, description = "Trace every thread and process the guest creates, "
            + "each line prefixed [pid N] while there is more than one, or with -o every line prefixed with the pid "
            + "(implies --strace), as strace -f does.")
    boolean straceFollow;

    @Option(names = "--trace-unimplemented", description = "At exit, list on stderr every system call that returned "
            + "ENOSYS (Phoenix lacks it or refuses it), with a count.")
    boolean traceUnimplemented;

    @Option(names = "--trace", description = "Print every guest instruction, disassembled, to stderr (slow).")
    boolean trace;

    @Option(names = {"-i", "--ignore-environment"},
            description = "Start the guest with an empty environment (then add variables with -E), as env -i does.")
    boolean ignoreEnvironment;

    @Option(names = {"-E", "--env"}, paramLabel = "NAME=VALUE",
            description = "Set an environment variable for the guest (repeatable).")
    List<String> setEnv = new ArrayList<>();

    @Option(names = {"-U", "--unset-env"}, paramLabel = "NAME",
            description = "Remove an environment variable from the guest's environment (repeatable).")
    List<String> unsetEnv = new ArrayList<>();

    @Option(names = {"-0", "--argv0"}, paramLabel = "NAME", description = "Pass NAME as argv[0] instead of PROGRAM.")
    String argv0;

    @Option(names = "--hostname", paramLabel = "NAME",
            description = "Host name the guest sees in uname(2) (default: this machine's; \"phoenix\" with "
                    + "--deterministic).")
    String hostname;

    @Option(names = "--deterministic", description = "Same input, same output: a virtual clock from "
            + "2000-01-01 00:00:00 UTC that moves only as the guest reads it (sleeps take no time), seeded "
            + "randomness, and a fixed machine (2 CPUs, 2 GiB, no load).")
    boolean deterministic;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of --deterministic's randomness "
            + "(getrandom, AT_RANDOM, /dev/urandom; default: 0).")
    Long seed;

    @Option(names = "--cpus", paramLabel = "N", description = "Give the guest N CPUs, 0.01 to 64, as docker run does: "
            + "ceil(N) virtual CPUs (at most that many of its tasks run at once, real-time tasks first) and, for a "
            + "fraction, a cgroup cpu.max quota of N*100000 us per 100000 (default: the host's CPU count; "
            + "--deterministic runs one task at a time).")
    String cpus;

    @Option(names = "--memory", paramLabel = "SIZE", description = "Limit the guest's memory to SIZE bytes (suffix "
            + "k, m or g, as docker run's --memory): its cgroup's memory.max; past it the largest process is killed "
            + "with SIGKILL, as the OOM killer does.")
    String memory;

    @Option(names = "--pids-limit", paramLabel = "N", description = "Allow the guest at most N tasks (its cgroup's "
            + "pids.max): fork and clone fail with EAGAIN past it, as docker run's --pids-limit.")
    Long pidsLimit;

    @Option(names = "--pid", description = "Run the guest in a PID namespace of its own, as its pid 1.")
    boolean pidNamespace;

    @Option(names = "--mount", description = "Run the guest in a mount namespace of its own (mounts it makes are "
            + "its alone).")
    boolean mountNamespace;

    @Option(names = "--uts", description = "Run the guest in a UTS namespace of its own (its sethostname is its own).")
    boolean utsNamespace;

    @Option(names = "--ipc", description = "Run the guest in an IPC namespace of its own (System V IPC and POSIX "
            + "message queues).")
    boolean ipcNamespace;

    @Option(names = "--user", description = "Run the guest in a user namespace of its own, where the caller is root.")
    boolean userNamespace;

    @Option(names = "--isolate", description = "All of --pid, --mount, --uts, --ipc, --user, a cgroup namespace "
            + "and --net none (unless --net host is given), as a container gets them.")
    boolean isolate;

    @Option(names = "--rootfs", paramLabel = "DIR",
            description = "Host directory the guest sees as / (default: /). Paths, '..' and symlinks resolve inside it, "
                    + "PROGRAM too, as chroot(8) does: /bin/sh is DIR/bin/sh, and a relative PROGRAM starts from the "
                    + "guest's working directory (Phoenix's own when it lies inside DIR, else /).")
    Path rootfs = Path.of("/");

    @Option(names = {"-L", "--sysroot"}, paramLabel = "DIR",
            description = "Look up every absolute path the guest names (its dynamic loader and libraries first of all) "
                    + "in host directory DIR first, then in the rootfs, as qemu-user's -L does: how programs of "
                    + "another arch find their libraries ('phoenix sysroot' makes such a directory).")
    Path sysroot;

    @Option(names = "--engine", paramLabel = "ENGINE", description = "CPU engine: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Cpus.Engine engine = Cpus.Engine.UNICORN;

    /** Where the guest's AF_INET and AF_INET6 sockets live. */
    enum Net { host, none }

    @Option(names = "--net", paramLabel = "MODE", description = "The guest's network: host (its sockets are "
            + "the host's, default) or none (a loopback of its own, 127.0.0.0/8 and ::1; nothing else is reachable).")
    Net net;

    /** What runs /dev/vgpu0's shaders. */
    enum Vgpu { phoenix, vulkan }

    @Option(names = "--vgpu", paramLabel = "EXECUTOR", description = "What runs /dev/vgpu0's compute shaders: "
            + "phoenix (SPIR-V compiled to JVM bytecode, default) or vulkan (the host's Vulkan device).")
    Vgpu vgpu = Vgpu.phoenix;

    @Option(names = "--debug", description = "Print Java stack traces of internal errors.")
    boolean debug;

    @Parameters(index = "0", paramLabel = "PROGRAM", description = "The ELF program to run.")
    String program;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "Arguments passed to the program.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        Main.Stdio io = parent.stdio();
        PrintStream err = new PrintStream(io.err(), true, StandardCharsets.UTF_8);
        try {
            // The command line first: a mistake in it is reported whatever PROGRAM is.
            if (!java.nio.file.Files.isDirectory(rootfs)) {
                throw new UsageError("--rootfs " + rootfs + " is not a directory", true);
            }
            if (sysroot != null && !java.nio.file.Files.isDirectory(sysroot)) {
                throw new UsageError("-L " + sysroot + " is not a directory", true);
            }
            if (seed != null && !deterministic) {
                throw new UsageError("--seed needs --deterministic", true);
            }
            Limits limits = Limits.of(cpus, memory, pidsLimit);
            if (cpus != null && deterministic) {
                throw new UsageError("--cpus cannot go with --deterministic, which runs one task at a time", true);
            }
            List<String> env = environment();
            Program found = Program.find(rootfs, sysroot, program);
            List<String> argv = new ArrayList<>();
            argv.add(argv0 != null ? argv0 : program);
            argv.addAll(args);
            Machine machine = deterministic ? Machine.deterministic(seed != null ? seed : 0)
                    : cpus != null ? Machine.host(limits.virtualCpus()) : Machine.host();
            String name = hostname != null ? hostname : deterministic ? "phoenix" : hostHostname();
            PrintStream straceOut = straceStream(err);
            Strace tracer = straceOut == null ? null : new Strace(straceOut, straceFollow, straceOutput != null);
            LinuxKernel kernel = new LinuxKernel(new LinuxKernel.Options(name, rootfs, machine, err, tracer,
                    trace ? new InstructionTrace(err) : null, engine, io.hostFds() ? HostProcess.ignoredSignals() : 0,
                    net == Net.none || (isolate && net == null), sysroot));
            kernel.isolateFirstProcess(namespaceFlags());
            kernel.setVgpuExecutor(vgpu.name());
            if (limits.any()) {
                kernel.limitFirstProcess(limits.memoryMax(), limits.cpuQuotaUs(), Limits.CPU_PERIOD_US, limits.pidsMax());
            }
            // Run from a shell, the guest gets Phoenix's own fds (not those closed when it started);
            // in-process (tests), Java streams.
            OpenFile[] stdio;
            if (io.hostFds()) {
                stdio = new OpenFile[3];
                for (int fd = 0; fd < 3; fd++) {
                    stdio[fd] = HostProcess.wasClosed(fd) ? null : new HostFd(fd, fd == 0 ? 0 : 1);
                }
            } else {
                stdio = new OpenFile[] {new StdioFile(io.in(), null, -1), new StdioFile(null, io.out(), -1),
                    new StdioFile(null, io.err(), -1)};
            }
            ExitStatus status;
            try {
                status = kernel.run(found, argv, env, stdio);
            } finally {
                if (straceOut != null && straceOut != err) {
                    straceOut.close();
                }
            }
            if (traceUnimplemented) {
                printUnimplemented(err, kernel.enosys());
            }
            return status.shellStatus();
        } catch (UsageError e) {
            if (e.optionMistake) {
                return Main.usageError(err, "phoenix run", e.getMessage());
            }
            err.println("phoenix: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (ElfException e) {
            err.println("phoenix: " + e.getMessage());
            return e.error().exitCode();
        } catch (NativeLibraries.MissingLibraryException e) {
            err.println("phoenix: " + e.getMessage());
            return ExitCodes.NATIVE_LIBRARY;
        } catch (EmulatorBug e) {
            err.println("phoenix: " + e.getMessage());
            if (debug) {
                e.printStackTrace(err);
            }
            return ExitCodes.INTERNAL;
        } catch (RuntimeException | Error e) {
            err.println("phoenix: internal error: " + e + (debug ? "" : " (run with --debug for the stack trace)"));
            if (debug) {
                e.printStackTrace(err);
            }
            return ExitCodes.INTERNAL;
        }
    }

    /** The CLONE_NEW* flags of the namespaces --pid, --mount, --uts, --ipc, --user and --isolate ask for. */
    private long namespaceFlags() {
        long f = 0;
        f |= pidNamespace || isolate ? NsKind.PID.cloneFlag : 0;
        f |= mountNamespace || isolate ? NsKind.MNT.cloneFlag : 0;
        f |= utsNamespace || isolate ? NsKind.UTS.cloneFlag : 0;
        f |= ipcNamespace || isolate ? NsKind.IPC.cloneFlag : 0;
        f |= userNamespace || isolate ? NsKind.USER.cloneFlag : 0;
        f |= isolate ? NsKind.CGROUP.cloneFlag : 0;
        return f;
    }

    /** Where --strace writes: null when not tracing, stderr, or the -o file. */
    private PrintStream straceStream(PrintStream err) {
        if (straceOutput == null) {
            return strace || straceFollow ? err : null;
        }
        try {
            return new PrintStream(new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(straceOutput)),
                    false, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UsageError("cannot write --strace-output " + straceOutput + ": no such directory");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new UsageError("cannot write --strace-output " + straceOutput + ": permission denied");
        } catch (java.nio.file.FileSystemException e) {
            throw new UsageError("cannot write --strace-output " + straceOutput + ": "
                    + (e.getReason() != null ? e.getReason().toLowerCase(java.util.Locale.ROOT) : e.toString()));
        } catch (java.io.IOException | SecurityException e) {
            throw new UsageError("cannot write --strace-output " + straceOutput + ": " + e);
        }
    }

    /** The --trace-unimplemented summary: one line per syscall that returned ENOSYS. */
    private static void printUnimplemented(PrintStream err, EnosysLog log) {
        List<EnosysLog.Line> lines = log.lines();
        if (lines.isEmpty()) {
            err.println("phoenix: --trace-unimplemented: no system call returned ENOSYS");
            return;
        }
        err.println("phoenix: --trace-unimplemented: " + lines.size() + " system call" + (lines.size() == 1 ? "" : "s")
                + " returned ENOSYS:");
        for (EnosysLog.Line l : lines) {
            err.printf("  %6d  %-28s %s%n", l.count(), l.label(), l.reason());
        }
    }

    private List<String> environment() {
        Map<String, String> env = new LinkedHashMap<>(ignoreEnvironment ? Map.of() : HostProcess.environment());
        for (String name : unsetEnv) {
            env.remove(name);
        }
        for (String kv : setEnv) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new UsageError("--env takes NAME=VALUE, got '" + kv + "'", true);
            }
            env.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        List<String> out = new ArrayList<>();
        env.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    /**
     * A bad option value found after parsing: a mistake in the command line ({@code optionMistake},
     * reported with where help is) or a file the options name that cannot be used.
     */
    static final class UsageError extends RuntimeException {
        final boolean optionMistake;

        UsageError(String message) {
            this(message, false);
        }

        UsageError(String message, boolean optionMistake) {
            super(message, null, false, false);
            this.optionMistake = optionMistake;
        }
    }

    /** The host's uname nodename, as a native program sees it (no name-service lookup: it costs ~35 ms). */
    private static String hostHostname() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (java.io.IOException | RuntimeException e) {
            return "localhost";
        }
    }
}
