package dev.phoenix.abi.linux;

import dev.phoenix.abi.ArchAbi;
import dev.phoenix.abi.LinuxKernel;
import dev.phoenix.abi.elf.ElfError;
import dev.phoenix.abi.elf.ElfException;
import dev.phoenix.abi.elf.ElfFile;
import dev.phoenix.abi.elf.ElfLoader;
import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.emu.Cpu;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.Vfs;
import dev.phoenix.libos.mm.AddressSpace;
import dev.phoenix.libos.proc.Process;
import dev.phoenix.libos.proc.SigAction;
import dev.phoenix.libos.proc.Task;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * execve(2) and execveat(2): a new image in a new address space on a new engine (of the arch
 * the ELF header names, so a guest may run a program of another of the three arches, which
 * Linux itself would need binfmt_misc for), `#!` scripts, and what exec resets: close-on-exec
 * descriptors, caught signals, the other threads. The engine the old image ran on is let go by
 * the runner once its run has returned (see Runner#execed).
 */
final class ExecSyscalls {
    private ExecSyscalls() {}

    private static final int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_EMPTY_PATH = 0x1000;
    /** Linux's MAX_ARG_STRLEN (32 pages): the longest argument or environment string. */
    private static final int MAX_ARG_STRLEN = 32 * 4096;
    /** Linux's MAX_ARG_STRINGS. */
    private static final long MAX_ARG_STRINGS = 0x7fffffffL;
    /** Linux's ARG_MAX floor and _STK_LIM (8 MiB) for bprm_stack_limits. */
    private static final long ARG_MAX = 131072, STK_LIM = 8L << 20;
    /** BINPRM_BUF_SIZE: the bytes of a file the kernel looks at for `#!`. */
    private static final int BINPRM_BUF_SIZE = 256;
    /** exec_binprm's depth limit: at most 5 `#!` scripts, each the interpreter of the one before, then ELOOP. */
    private static final int MAX_RECURSION = 5;

    /** Implements Linux execve(2). */
    static long execve(SyscallContext c, long path, long argv, long envp, long a3, long a4, long a5) {
        return exec(c, AT_FDCWD, path, argv, envp, 0);
    }

    /** Implements Linux execveat(2): AT_EMPTY_PATH runs the file open as {@code dirfd}, AT_SYMLINK_NOFOLLOW refuses a link (ELOOP). */
    static long execveat(SyscallContext c, long dirfd, long path, long argv, long envp, long flags, long a5) {
        if ((flags & ~(long) (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0) {
            return -Errno.EINVAL;
        }
        return exec(c, dirfd, path, argv, envp, (int) flags);
    }

    private static long exec(SyscallContext c, long dirfd, long pathAddr, long argvAddr, long envpAddr, int flags) {
        String path = FileSyscalls.path(c, pathAddr);
        String name = path;
        // What a script's interpreter is given as the script's path: the path, or for a
        // descriptor /dev/fd/N (/dev/fd/N/PATH for a relative path), as bprm->filename is.
        String scriptPath = path;
        boolean closedAtExec = false;
        if (path.isEmpty()) {
            if ((flags & AT_EMPTY_PATH) == 0) {
                return -Errno.ENOENT;
            }
            name = c.fds().get((int) dirfd).guestPath(); // EBADF when not open
            if (name == null) {
                return -Errno.EACCES; // a pipe or socket cannot be executed
            }
            scriptPath = "/dev/fd/" + (int) dirfd;
            closedAtExec = c.fds().isCloseOnExec((int) dirfd);
            dirfd = AT_FDCWD;
        } else if (!path.startsWith("/") && (int) dirfd != AT_FDCWD) {
            scriptPath = "/dev/fd/" + (int) dirfd + "/" + path;
            closedAtExec = c.fds().isCloseOnExec((int) dirfd);
        }
        boolean follow = (flags & AT_SYMLINK_NOFOLLOW) == 0;
        Vfs.Resolved file = FileSyscalls.resolve(c, dirfd, name, follow);
        if (!follow && file.synthetic() == null && Files.isSymbolicLink(file.hostPath())) {
            return -Errno.ELOOP; // execveat(2): AT_SYMLINK_NOFOLLOW and a symbolic link
        }
        checkExecutable(file);
        List<String> argv = strings(c, argvAddr);
        List<String> envp = strings(c, envpAddr);
        if (argv.isEmpty()) {
            argv.add(""); // Linux gives a program run with an empty argv an argv[0] of "" (since 5.18)
        }
        checkSize(c.process(), argv, envp);
        List<String> args = new ArrayList<>(argv);
        // `#!` scripts: the interpreter runs with its optional argument and the script's path
        // before the script's own arguments (argv[0] is dropped), as binfmt_script does.
        for (int depth = 0;; depth++) {
            byte[] head = head(file.hostPath());
            if (head.length < 2 || head[0] != '#' || head[1] != '!') {
                break;
            }
            if (depth >= MAX_RECURSION) {
                return -Errno.ELOOP;
            }
            String[] interp = shebang(head);
            if (interp == null) {
                return -Errno.ENOEXEC;
            }
            if (closedAtExec) {
                return -Errno.ENOENT; // the interpreter could not open /dev/fd/N: exec closes it
            }
            List<String> next = new ArrayList<>();
            next.add(interp[0]);
            if (interp[1] != null) {
                next.add(interp[1]);
            }
            next.add(scriptPath);
            next.addAll(args.subList(Math.min(1, args.size()), args.size()));
            args = next;
            name = interp[0];
            scriptPath = name;
            file = FileSyscalls.resolve(c, AT_FDCWD, name, true);
            checkExecutable(file);
        }
        checkSize(c.process(), args, envp);
        ElfFile elf;
        try {
            elf = ElfFile.open(file.hostPath(), name);
        } catch (ElfException e) {
            return -errnoOf(c, e, name);
        }
        ElfFile interp = null;
        String interpPath = null;
        if (elf.interpreter() != null) {
            // binfmt_elf opens the interpreter as the program's own path: ENOENT when missing
            // (a shell then says "not found" of the program), ELIBBAD when it is no loader of
            // this machine.
            Vfs.Resolved found = FileSyscalls.resolve(c, AT_FDCWD, elf.interpreter(), true);
            checkExecutable(found);
            try {
                interp = ElfFile.open(found.hostPath(), elf.interpreter());
            } catch (ElfException e) {
                return -(e.error() == ElfError.NOT_FOUND ? Errno.ENOENT
                        : e.error() == ElfError.NO_EXEC_PERMISSION || e.error() == ElfError.UNREADABLE ? Errno.EACCES
                        : Errno.ELIBBAD);
            }
            if (interp.arch() != elf.arch()) {
                return -Errno.ELIBBAD;
            }
            interpPath = found.guestPath();
        }
        return load(c, elf, interp, interpPath, file.guestPath(), path.isEmpty() ? name : path, args, envp,
                Vfs.fileKey(file.hostPath()));
    }

    /** The errno execve returns for a file Phoenix cannot load. */
    private static int errnoOf(SyscallContext c, ElfException e, String name) {
        return switch (e.error()) {
            case NOT_FOUND -> Errno.ENOENT;
            case NOT_A_FILE, NO_EXEC_PERMISSION, UNREADABLE -> Errno.EACCES;
            case BAD_LAYOUT -> Errno.ENOMEM;
            default -> Errno.ENOEXEC;
        };
    }

    /** A regular file with an execute bit: ENOENT when there is none, else EACCES (directories, devices, /proc files). */
    private static void checkExecutable(Vfs.Resolved file) {
        if (file.synthetic() != null) {
            throw Errno.of(Errno.EACCES);
        }
        Path p = file.hostPath();
        if (!Files.exists(p)) {
            throw Errno.of(Errno.ENOENT); // the last component is missing (a path that open(O_CREAT) could create)
        }
        if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
            throw Errno.of(Errno.EACCES);
        }
        if (file.mount() != null && (file.mount().flags() & dev.phoenix.libos.fs.Mount.MS_NOEXEC) != 0) {
            throw Errno.of(Errno.EACCES); // path_noexec: a file of a noexec mount does not run
        }
    }

    /** The first BINPRM_BUF_SIZE bytes of the file. */
    private static byte[] head(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            return in.readNBytes(BINPRM_BUF_SIZE);
        } catch (IOException e) {
            throw Errno.of(Errno.EACCES);
        }
    }

    /**
     * The interpreter and optional argument of a `#!` line (binfmt_script): after `#!`, blanks,
     * the interpreter up to a blank, then the rest of the line without its surrounding blanks as
     * one argument, or null. Null when there is no interpreter, or its name does not end within
     * the first BINPRM_BUF_SIZE bytes.
     */
    static String[] shebang(byte[] head) {
        int end = 2;
        while (end < head.length && head[end] != '\n') {
            end++;
        }
        boolean truncated = end == head.length && head.length == BINPRM_BUF_SIZE;
        int i = 2;
        while (i < end && blank(head[i])) {
            i++;
        }
        int nameStart = i;
        while (i < end && !blank(head[i])) {
            i++;
        }
        if (i == nameStart || (truncated && i == end)) {
            return null; // no interpreter, or its name runs past the buffer: ENOEXEC
        }
        String interp = new String(head, nameStart, i - nameStart, StandardCharsets.UTF_8);
        while (i < end && blank(head[i])) {
            i++;
        }
        int argEnd = end;
        while (argEnd > i && blank(head[argEnd - 1])) {
            argEnd--;
        }
        String arg = argEnd > i ? new String(head, i, argEnd - i, StandardCharsets.UTF_8) : null;
        return new String[] {interp, arg};
    }

    /** binfmt_script's blanks: a space or a tab (a CR belongs to the name, as Linux reads it). */
    private static boolean blank(byte b) {
        return b == ' ' || b == '\t';
    }

    /** An argv or envp array: the strings up to the NULL pointer (none for a NULL array). */
    private static List<String> strings(SyscallContext c, long array) {
        List<String> out = new ArrayList<>();
        if (array == 0) {
            return out;
        }
        for (long at = array;; at += 8) {
            long p = c.memory().readLong(at);
            if (p == 0) {
                return out;
            }
            if (out.size() >= MAX_ARG_STRINGS) {
                throw Errno.of(Errno.E2BIG);
            }
            try {
                out.add(c.memory().readCString(p, MAX_ARG_STRLEN));
            } catch (Errno e) {
                throw e.errno() == Errno.ENAMETOOLONG ? Errno.of(Errno.E2BIG) : e;
            }
        }
    }

    /**
     * Linux's bprm_stack_limits: the strings and their pointers may take a quarter of
     * RLIMIT_STACK, at most three quarters of 8 MiB and at least ARG_MAX; E2BIG beyond.
     */
    private static void checkSize(Process p, List<String> argv, List<String> envp) {
        long limit = Math.max(Math.min(STK_LIM / 4 * 3, p.rlimitCurOrMax(Process.RLIMIT_STACK) / 4), ARG_MAX);
        long pointers = (Math.max(argv.size(), 1) + envp.size()) * 8L;
        if (limit <= pointers) {
            throw Errno.of(Errno.E2BIG);
        }
        long bytes = 0;
        for (String s : argv) {
            bytes += s.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        for (String s : envp) {
            bytes += s.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        if (bytes > limit - pointers) {
            throw Errno.of(Errno.E2BIG);
        }
    }

    /**
     * Loads {@code elf} as the process's new image on a new engine; on failure the old image is
     * left as it was and the error returned. Then what exec resets.
     */
    private static long load(SyscallContext c, ElfFile elf, ElfFile interp, String interpPath, String guestPath,
            String execfn, List<String> argv, List<String> envp, Object imageKey) {
        LinuxKernel kernel = c.kernel();
        Process p = c.process();
        Task t = c.task();
        if (t.runQueue() == null) {
            return -Errno.EAGAIN; // a task a test drives without a runner has no runner to move it to its new engine
        }
        kernel.vfs().denyWriteAccess(imageKey); // ETXTBSY when the file is open for writing
        Cpu oldCpu = p.cpu();
        AddressSpace oldSpace = p.addressSpace();
        String oldExe = p.executable();
        long[] oldImage = {p.startData, p.endData, p.brkStart, p.brk, p.vdsoBase};
        List<String> oldArgv = p.argv, oldEnvp = p.envp;
        byte[] oldAuxv = p.auxv;
        ArchAbi abi = ArchAbi.of(elf.arch());
        Cpu cpu = kernel.openCpu(elf.arch());
        AddressSpace space = null;
        try {
            space = kernel.newAddressSpace(cpu, abi, p);
            p.replaceImage(cpu, space, guestPath);
            p.startData = 0;
            p.endData = 0;
            p.vdsoBase = dev.phoenix.abi.linux.Vdso.map(space, elf.arch(), kernel.clock());
            ElfLoader.load(elf, interp, interpPath, p, abi, argv, envp, execfn, kernel.random());
        } catch (ElfException | RuntimeException | Error e) {
            p.replaceImage(oldCpu, oldSpace, oldExe);
            p.startData = oldImage[0];
            p.endData = oldImage[1];
            p.brkStart = oldImage[2];
            p.brk = oldImage[3];
            p.vdsoBase = oldImage[4];
            p.argv = oldArgv;
            p.envp = oldEnvp;
            p.auxv = oldAuxv;
            kernel.vfs().allowWriteAccess(imageKey);
            if (space != null) {
                space.destroy();
            }
            cpu.close();
            if (e instanceof ElfException ee) {
                return -errnoOf(c, ee, execfn);
            }
            if (e instanceof Errno errno) {
                return -errno.errno();
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw (Error) e;
        }
        if (kernel.soleUser(oldCpu)) { // execve detaches (shm_close), unless a vfork parent still uses the mm
            dev.phoenix.libos.ipc.ShmSegment.detachingAll(oldSpace, p.pid(), SysvIpc.now(c));
        }
        kernel.attachCpu(cpu, p);
        t.execOldCpu = oldCpu;
        t.execOldSpace = oldSpace;
        t.execed = true;
        p.didExec = true;
        // cap_bprm_creds_from_file: root is whoever is uid 0 in the process's user namespace
        p.setCredentials(p.credentials().afterExec(p.namespaces.user().kuid(0)));
        p.makeLeader(t);
        kernel.vfs().allowWriteAccess(p.imageKey);
        p.imageKey = imageKey;
        kernel.releaseVforkParent(p);
        t.unshareFiles();
        t.fds().closeOnExec();
        // POSIX timers do not survive exec, nor do their pending signals (Linux's exit_itimers and
        // flush_itimer_signals); the interval timers, the id counter and the CPU times stay.
        p.timers.deletePosix();
        p.discardTimerSignals();
        for (int sig = 1; sig < p.sigactions.length; sig++) {
            long h = p.sigactions[sig].handler();
            if (h != SigAction.SIG_DFL && h != SigAction.SIG_IGN) {
                p.sigactions[sig] = SigAction.DEFAULT; // caught signals go back to their default; ignored stay ignored
            }
        }
        t.altStackBase = 0;
        t.altStackSize = 0;
        t.altStackFlags = 2; // SS_DISABLE
        t.clearChildTid = 0;
        PiFutexSyscalls.execed(kernel, t); // futex_exec_release: its PI futexes go to their waiters
        t.robustListHead = 0;
        t.robustListLength = 0;
        t.startRegisters = null;
        p.membarrierRegistered = 0;
        String base = execfn.substring(execfn.lastIndexOf('/') + 1);
        t.comm = base.length() > 15 ? base.substring(0, 15) : base;
        return 0;
    }
}
