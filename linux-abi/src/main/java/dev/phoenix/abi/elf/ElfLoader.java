package dev.phoenix.abi.elf;

import dev.phoenix.abi.ArchAbi;
import dev.phoenix.abi.linux.UserIds;
import dev.phoenix.emu.Cpu;
import dev.phoenix.emu.CpuContext;
import dev.phoenix.emu.Prot;
import dev.phoenix.emu.Reg;
import dev.phoenix.emu.host.HostOs;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.mm.AddressSpace;
import dev.phoenix.libos.mm.GuestMemory;
import dev.phoenix.libos.proc.Credentials;
import dev.phoenix.libos.proc.Process;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Loads an ELF executable, and the interpreter a dynamically linked one names, into a fresh
 * process as Linux's binfmt_elf does: PT_LOAD segments with their protections, the heap start,
 * an 8 MiB stack (executable only if PT_GNU_STACK asks), and the initial stack of argc, argv,
 * envp and auxv (System V AMD64 psABI 3.4.1; the same layout on aarch64 and riscv64). PT_TLS and
 * relocations are left to the guest's libc and dynamic loader.
 */
public final class ElfLoader {
    private ElfLoader() {}

    /** Stack mapped beyond the arguments at start (Linux's stack_expand). */
    private static final long INITIAL_STACK = 128L << 10;
    private static final int AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7,
            AT_FLAGS = 8, AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14, AT_PLATFORM = 15,
            AT_HWCAP = 16, AT_CLKTCK = 17, AT_SECURE = 23, AT_RANDOM = 25, AT_HWCAP2 = 26, AT_EXECFN = 31,
            AT_SYSINFO_EHDR = 33;
    private static final long PAGE = AddressSpace.PAGE;

    /**
     * Maps {@code elf} into {@code process}, builds its stack, and points the CPU at the entry.
     * {@code execfn} is the path as the user gave it (AT_EXECFN). Throws {@link ElfException}
     * (BAD_LAYOUT) before mapping any of the image when a segment does not fit: outside the
     * address space, over a mapping already there (the vDSO), or beyond the memory a process may hold.
     */
    public static void load(ElfFile elf, Process process, ArchAbi abi, List<String> argv, List<String> envp,
            String execfn, RandomGenerator random) throws ElfException {
        load(elf, null, null, process, abi, argv, envp, execfn, random);
    }

    /** Pages of randomness in a dynamically linked PIE program's base (Linux's arm64 and riscv64 default, 18 bits). */
    private static final int PIE_RANDOM_BITS = 18;

    /**
     * As {@link #load(ElfFile, Process, ArchAbi, List, List, String, RandomGenerator)}, with the
     * program's interpreter {@code interp} (its dynamic loader, found at guest path
     * {@code interpPath}), as binfmt_elf loads a dynamically linked program: a PIE program at
     * ELF_ET_DYN_BASE plus a random number of pages ({@code random}, so fixed under
     * --deterministic), the interpreter in the mmap area below what is mapped there, the CPU at
     * the interpreter's entry, and auxv telling it where the program is (AT_PHDR, AT_ENTRY) and
     * where it is itself (AT_BASE). The heap starts after the program.
     */
    public static void load(ElfFile elf, ElfFile interp, String interpPath, Process process, ArchAbi abi,
            List<String> argv, List<String> envp, String execfn, RandomGenerator random) throws ElfException {
        AddressSpace as = process.addressSpace();
        long bias = 0;
        if (elf.type() == ElfFile.ET_DYN) {
            bias = abi.pieBase() + (interp != null ? (random.nextLong() >>> (64 - PIE_RANDOM_BITS)) * PAGE : 0);
        }
        checkLayout(elf, as, abi, bias);
        boolean execStack = false;
        for (ElfFile.Segment s : elf.segments()) {
            if (s.type() == ElfFile.PT_GNU_STACK) {
                execStack = (s.flags() & ElfFile.PF_X) != 0;
            }
        }
        long imageEnd = mapImage(elf, process, bias, process.executable(), true);
        process.brkStart = imageEnd;
        process.brk = imageEnd;
        long entry = elf.entry() + bias;
        long interpBias = 0;
        if (interp != null) {
            interpBias = interpreterBias(interp, as, abi);
            checkLayout(interp, as, abi, interpBias);
            mapImage(interp, process, interpBias, interpPath, false);
        }

        // Like Linux's setup_arg_pages: the arguments plus 128 KiB, growing down on faults up to
        // RLIMIT_STACK (see LinuxKernel's fault resolver).
        long stackTop = abi.stackTop();
        long argBytes = 4096;
        for (String a : argv) {
            argBytes += a.length() * 3L + 9;
        }
        for (String e : envp) {
            argBytes += e.length() * 3L + 9;
        }
        long initial = AddressSpace.pageUp(INITIAL_STACK + argBytes + execfn.length() * 3L);
        as.mapAnonymous(stackTop - initial, initial, Prot.READ | Prot.WRITE | (execStack ? Prot.EXEC : 0), "[stack]");
        as.setGrowsDown(stackTop - initial);
        long sp = buildStack(process, stackTop, elf, abi, bias, entry, interpBias, argv, envp, execfn, random);
        process.argv = List.copyOf(argv);
        process.envp = List.copyOf(envp);

        startImage(process.mainTask().cpu(), interp != null ? interp.entry() + interpBias : entry, sp);
    }

    /**
     * Where the interpreter goes, as binfmt_elf's load_elf_interp maps it (one mmap of its whole
     * span, without a hint): the highest free gap of the mmap area that holds it; BAD_LAYOUT when
     * none does. An ET_EXEC interpreter stays at its own addresses.
     */
    private static long interpreterBias(ElfFile interp, AddressSpace as, ArchAbi abi) throws ElfException {
        if (interp.type() != ElfFile.ET_DYN) {
            return 0;
        }
        long low = -1, high = 0;
        for (ElfFile.Segment s : interp.segments()) {
            if (s.type() == ElfFile.PT_LOAD && s.memSize() != 0) {
                low = Long.compareUnsigned(low, AddressSpace.pageDown(s.vaddr())) < 0 ? low
                        : AddressSpace.pageDown(s.vaddr());
                high = Math.max(high, AddressSpace.pageUp(s.vaddr() + s.memSize()));
            }
        }
        long base = high - low > 0 && high - low < abi.mmapTop() ? as.findFree(high - low) : -1;
        if (base < 0) {
            throw new ElfException(ElfError.BAD_LAYOUT, interp.name(), String.format(
                    "its 0x%x bytes fit in no free part of the mmap area", high - low));
        }
        return base - low;
    }

    /**
     * Maps the PT_LOAD segments of {@code elf} at {@code bias} (checked by {@link #checkLayout}),
     * named {@code name}, with their protections, and returns the end of the highest. As Linux
     * maps a segment: its pages holding file bytes are a private mapping of the file (the host's
     * page cache until written, so every process running the same program or library shares
     * them), the bytes after p_filesz in its last file page are zeroed when p_memsz goes on, and
     * its bss pages after that are anonymous memory. {@code data}: whether the segments count as
     * the process's data (binfmt_elf's start_data and end_data, which brk(2) counts against
     * RLIMIT_DATA), true for the program, false for its interpreter.
     */
    private static long mapImage(ElfFile elf, Process process, long bias, String name, boolean data)
            throws ElfException {
        AddressSpace as = process.addressSpace();
        HostOs.Stat identity = fileIdentity(elf);
        int fd = elf.path() == null ? -1 : HostOs.openReadOnly(elf.path().toString());
        long imageEnd = 0;
        List<long[]> protRanges = new ArrayList<>();
        try {
            long fileSize = elf.fileSize();
            for (ElfFile.Segment s : elf.segments()) {
                if (s.type() != ElfFile.PT_LOAD || s.memSize() == 0) {
                    continue;
                }
                long at = s.vaddr() + bias;
                long start = AddressSpace.pageDown(at);
                long end = AddressSpace.pageUp(at + s.memSize());
                long fileEnd = Math.min(end, AddressSpace.pageUp(at + s.fileSize()));
                List<long[]> fresh = as.freeRuns(start, fileEnd);
                try {
                    for (long[] run : fresh) {
                        long offset = AddressSpace.pageDown(s.offset()) + (run[0] - start);
                        if (fd >= 0) {
                            as.mapPrivateFile(run[0], run[1] - run[0], Prot.READ | Prot.WRITE, fd, fileSize, offset,
                                    name, elf.path(), identity == null ? 0 : identity.dev(),
                                    identity == null ? 0 : identity.ino());
                        } else {
                            as.mapAnonymous(run[0], run[1] - run[0], Prot.READ | Prot.WRITE, name);
                            if (identity != null) {
                                as.setFileIdentity(run[0], offset, identity.dev(), identity.ino());
                            }
                        }
                    }
                    for (long[] run : as.freeRuns(fileEnd, end)) {
                        as.mapAnonymous(run[0], run[1] - run[0], Prot.READ | Prot.WRITE, null);
                        as.setImage(run[0]);
                    }
                } catch (Errno e) {
                    if (e.errno() != Errno.ENOMEM) {
                        throw e;
                    }
                    throw tooBig(elf, s, as);
                }
                // The file's bytes where the pages were not mapped from the file just now: all
                // of them without a host descriptor, else those on a page an earlier segment holds.
                long copied = at;
                for (long[] run : fd >= 0 ? fresh : List.<long[]>of()) {
                    copyFileBytes(as, elf, s, at, copied, run[0]);
                    copied = Math.max(copied, run[1]);
                }
                copyFileBytes(as, elf, s, at, copied, at + s.fileSize());
                if (s.memSize() > s.fileSize()) {
                    // binfmt_elf's padzero: the rest of the last file page, which early malloc in
                    // ld.so takes as zeroed memory past _end.
                    long zeroFrom = at + s.fileSize();
                    as.memory().write(zeroFrom, new byte[(int) (AddressSpace.pageUp(zeroFrom) - zeroFrom)]);
                }
                protRanges.add(new long[] {start, end, protOf(s.flags())});
                if (data) {
                    process.startData = Math.max(process.startData, at);
                    process.endData = Math.max(process.endData, at + s.fileSize());
                }
                imageEnd = Math.max(imageEnd, end);
            }
        } finally {
            if (fd >= 0) {
                HostOs.close(fd);
            }
        }
        applyProtections(as, protRanges);
        return imageEnd;
    }

    /** Writes the file bytes of segment {@code s} (loaded at {@code at}) that belong in guest {@code [from, to)}. */
    private static void copyFileBytes(AddressSpace as, ElfFile elf, ElfFile.Segment s, long at, long from, long to) {
        from = Math.max(from, at);
        to = Math.min(to, at + s.fileSize());
        if (from < to) {
            as.memory().write(from, elf.bytes(s.offset() + (from - at), (int) (to - from)));
        }
    }

    /**
     * Puts the CPU in the state a new image starts in: Linux's initial registers and FP
     * controls ({@link CpuContext#initial}), no thread pointer, the stack and the entry point.
     */
    private static void startImage(Cpu cpu, long entry, long sp) {
        cpu.restoreContext(CpuContext.initial(cpu.arch()));
        cpu.set(Reg.TLS, 0);
        cpu.set(Reg.SP, sp);
        cpu.set(Reg.ENTRY_FINI, 0);
        cpu.set(Reg.PC, entry);
    }

    /**
     * Where the image may lie, checked for every PT_LOAD before any is mapped (binfmt_elf refuses
     * a segment past TASK_SIZE with EINVAL, one below vm.mmap_min_addr with EPERM, and one the
     * memory cannot hold with ENOMEM): from {@link AddressSpace#MMAP_MIN_ADDR} up to the top of
     * the mmap area (above it lie the stack gap and the stack), clear of what is mapped already
     * (the vDSO), and all of it within the memory a process may hold. ElfFile has checked that
     * no p_vaddr + p_memsz wraps.
     */
    private static void checkLayout(ElfFile elf, AddressSpace as, ArchAbi abi, long bias) throws ElfException {
        long high = abi.mmapTop() - bias; // the window in the file's own addresses ends here; bias < mmapTop
        long total = 0;
        for (ElfFile.Segment s : elf.segments()) {
            if (s.type() != ElfFile.PT_LOAD || s.memSize() == 0) {
                continue;
            }
            if (Long.compareUnsigned(s.vaddr(), high) > 0 || s.vaddr() + bias < AddressSpace.MMAP_MIN_ADDR
                    || Long.compareUnsigned(s.memSize(), high - s.vaddr()) > 0) {
                throw new ElfException(ElfError.BAD_LAYOUT, elf.name(), String.format(
                        "vaddr 0x%x memsz 0x%x%s: outside 0x%x-0x%x", s.vaddr(), s.memSize(), biasText(bias),
                        AddressSpace.MMAP_MIN_ADDR, abi.mmapTop()));
            }
            long start = AddressSpace.pageDown(s.vaddr() + bias);
            long end = AddressSpace.pageUp(s.vaddr() + bias + s.memSize());
            if (!as.isFree(start, end)) {
                throw new ElfException(ElfError.BAD_LAYOUT, elf.name(), String.format("vaddr 0x%x memsz 0x%x%s: over %s",
                        s.vaddr(), s.memSize(), biasText(bias), as.nameAt(firstTaken(as, start, end))));
            }
            total += end - start;
            if (total > as.memoryLimit()) {
                throw tooBig(elf, s, as);
            }
        }
    }

    /** The first mapped page of {@code [start, end)}, which is not all free. */
    private static long firstTaken(AddressSpace as, long start, long end) {
        List<long[]> free = as.freeRuns(start, end);
        return free.isEmpty() || free.get(0)[0] > start ? start : free.get(0)[1];
    }

    private static String biasText(long bias) {
        return bias == 0 ? "" : String.format(" loaded at +0x%x", bias);
    }

    private static ElfException tooBig(ElfFile elf, ElfFile.Segment s, AddressSpace as) {
        return new ElfException(ElfError.BAD_LAYOUT, elf.name(), String.format(
                "vaddr 0x%x memsz 0x%x: more memory than the %d GiB a process may hold", s.vaddr(), s.memSize(),
                as.memoryLimit() >> 30));
    }

    /** The host file's device and inode for /proc/PID/maps, or null when it cannot be read (0s, as before). */
    private static HostOs.Stat fileIdentity(ElfFile elf) {
        try {
            return elf.path() == null ? null : HostOs.stat(elf.path().toString(), true);
        } catch (HostOs.HostError e) {
            return null;
        }
    }

    private static int protOf(int flags) {
        return ((flags & ElfFile.PF_R) != 0 ? Prot.READ : 0) | ((flags & ElfFile.PF_W) != 0 ? Prot.WRITE : 0)
                | ((flags & ElfFile.PF_X) != 0 ? Prot.EXEC : 0);
    }

    /** Applies each segment's protection; a page shared by two segments gets both. */
    private static void applyProtections(AddressSpace as, List<long[]> ranges) {
        for (long[] r : ranges) {
            as.protect(r[0], r[1] - r[0], (int) r[2]);
        }
        for (int i = 0; i < ranges.size(); i++) {
            for (int j = 0; j < ranges.size(); j++) {
                long[] a = ranges.get(i);
                long[] b = ranges.get(j);
                if (i != j && a[1] > b[0] && a[0] < b[1]) {
                    long from = Math.max(a[0], b[0]);
                    long to = Math.min(a[1], b[1]);
                    as.protect(from, to - from, (int) (a[2] | b[2]));
                }
            }
        }
    }

    private static long phdrAddress(ElfFile elf, long bias) {
        for (ElfFile.Segment s : elf.segments()) {
            if (s.type() == ElfFile.PT_PHDR) {
                return s.vaddr() + bias;
            }
        }
        long phoff = elf.programHeaderOffset();
        for (ElfFile.Segment s : elf.segments()) {
            if (s.type() == ElfFile.PT_LOAD && phoff >= s.offset() && phoff < s.offset() + s.fileSize()) {
                return s.vaddr() + (phoff - s.offset()) + bias;
            }
        }
        return 0;
    }

    private static long buildStack(Process process, long top, ElfFile elf, ArchAbi abi, long bias, long entry,
            long interpBase, List<String> argv, List<String> envp, String execfn, RandomGenerator random) {
        GuestMemory mem = process.addressSpace().memory();
        long p = top - 8; // Linux leaves a NULL word at the very top.
        p = putString(mem, p, execfn);
        long execfnAddr = p;
        long[] envAddrs = new long[envp.size()];
        for (int i = envp.size() - 1; i >= 0; i--) {
            p = putString(mem, p, envp.get(i));
            envAddrs[i] = p;
        }
        long[] argAddrs = new long[argv.size()];
        for (int i = argv.size() - 1; i >= 0; i--) {
            p = putString(mem, p, argv.get(i));
            argAddrs[i] = p;
        }
        p = putString(mem, p, abi.platform());
        long platformAddr = p;
        byte[] rnd = new byte[16];
        random.nextBytes(rnd);
        p = (p - rnd.length) & -16L;
        mem.write(p, rnd);
        long randomAddr = p;

        Credentials creds = process.credentials();
        long[][] auxv = {
            {AT_SYSINFO_EHDR, process.vdsoBase}, {AT_PHDR, phdrAddress(elf, bias)}, {AT_PHENT, 56},
            {AT_PHNUM, elf.programHeaderCount()},
            {AT_PAGESZ, PAGE}, {AT_BASE, interpBase}, {AT_FLAGS, 0}, {AT_ENTRY, entry},
            // create_elf_tables: the ids as the process's own user namespace names them
            {AT_UID, Integer.toUnsignedLong(UserIds.uid(process, creds.uid))},
            {AT_EUID, Integer.toUnsignedLong(UserIds.uid(process, creds.euid))},
            {AT_GID, Integer.toUnsignedLong(UserIds.gid(process, creds.gid))},
            {AT_EGID, Integer.toUnsignedLong(UserIds.gid(process, creds.egid))},
            {AT_SECURE, 0}, {AT_RANDOM, randomAddr}, {AT_HWCAP, abi.hwcap()}, {AT_HWCAP2, abi.hwcap2()},
            {AT_CLKTCK, 100}, {AT_PLATFORM, platformAddr}, {AT_EXECFN, execfnAddr}, {AT_NULL, 0}};
        process.auxv = auxvBytes(auxv);
        int words = 1 + argv.size() + 1 + envp.size() + 1 + 2 * auxv.length;
        long sp = (p - 8L * words) & -16L;
        ByteBuffer b = ByteBuffer.allocate(8 * words).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(argv.size());
        for (long a : argAddrs) {
            b.putLong(a);
        }
        b.putLong(0);
        for (long e : envAddrs) {
            b.putLong(e);
        }
        b.putLong(0);
        for (long[] kv : auxv) {
            b.putLong(kv[0]).putLong(kv[1]);
        }
        mem.write(sp, b.array());
        return sp;
    }

    /** The auxiliary vector's bytes, for /proc/PID/auxv. */
    private static byte[] auxvBytes(long[][] auxv) {
        ByteBuffer b = ByteBuffer.allocate(16 * auxv.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long[] kv : auxv) {
            b.putLong(kv[0]).putLong(kv[1]);
        }
        return b.array();
    }

    private static long putString(GuestMemory mem, long below, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        long at = below - bytes.length - 1;
        mem.write(at, bytes);
        mem.write(at + bytes.length, new byte[1]);
        return at;
    }
}
