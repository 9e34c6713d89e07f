package dev.phoenix.abi.elf;

import dev.phoenix.abi.ArchAbi;
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
 * Loads a static ELF executable into a fresh process as Linux's binfmt_elf does: PT_LOAD
 * segments with their protections, the heap start, an 8 MiB stack (executable only if
 * PT_GNU_STACK asks), and the initial stack of argc, argv, envp and auxv (System V AMD64 psABI
 * 3.4.1; the same layout on aarch64 and riscv64). PT_TLS is left to the guest's libc.
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
        AddressSpace as = process.addressSpace();
        long bias = elf.type() == ElfFile.ET_DYN ? abi.pieBase() : 0;
        checkLayout(elf, as, abi, bias);
        HostOs.Stat identity = fileIdentity(elf);
        long imageEnd = 0;
        boolean execStack = false;
        List<long[]> protRanges = new ArrayList<>();
        for (ElfFile.Segment s : elf.segments()) {
            if (s.type() == ElfFile.PT_GNU_STACK) {
                execStack = (s.flags() & ElfFile.PF_X) != 0;
            }
            if (s.type() != ElfFile.PT_LOAD || s.memSize() == 0) {
                continue;
            }
            long start = AddressSpace.pageDown(s.vaddr() + bias);
            long end = AddressSpace.pageUp(s.vaddr() + bias + s.memSize());
            // As Linux maps a segment: its pages holding file bytes are a private mapping of the
            // file (named, with offset, device and inode in /proc/PID/maps), the bss pages after
            // them anonymous memory.
            long fileEnd = Math.min(end, AddressSpace.pageUp(s.vaddr() + bias + s.fileSize()));
            try {
                mapFreeRuns(as, start, fileEnd, process.executable(), identity, AddressSpace.pageDown(s.offset()));
                mapFreeRuns(as, fileEnd, end, null, null, 0);
            } catch (Errno e) {
                if (e.errno() != Errno.ENOMEM) {
                    throw e;
                }
                throw tooBig(elf, s, as);
            }
            if (s.fileSize() > 0) {
                as.memory().write(s.vaddr() + bias, elf.bytes(s.offset(), (int) s.fileSize()));
            }
            protRanges.add(new long[] {start, end, protOf(s.flags())});
            // binfmt_elf's start_data and end_data, which brk(2) counts against RLIMIT_DATA.
            process.startData = Math.max(process.startData, s.vaddr() + bias);
            process.endData = Math.max(process.endData, s.vaddr() + bias + s.fileSize());
            imageEnd = Math.max(imageEnd, end);
        }
        applyProtections(as, protRanges);
        process.brkStart = imageEnd;
        process.brk = imageEnd;

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
        long entry = elf.entry() + bias;
        long sp = buildStack(process, stackTop, elf, abi, bias, entry, argv, envp, execfn, random);
        process.argv = List.copyOf(argv);
        process.envp = List.copyOf(envp);

        startImage(process.mainTask().cpu(), entry, sp);
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

    /**
     * Maps the runs of pages in [start, end) still free (segments may share a boundary page), each
     * as one mapping (one engine region, not one per page); with {@code file}, a run names the
     * file's bytes from {@code offset} (the file offset of {@code start}).
     */
    private static void mapFreeRuns(AddressSpace as, long start, long end, String name, HostOs.Stat file,
            long offset) {
        for (long[] run : as.freeRuns(start, end)) {
            as.mapAnonymous(run[0], run[1] - run[0], Prot.READ | Prot.WRITE, name);
            if (file != null) {
                as.setFileIdentity(run[0], offset + (run[0] - start), file.dev(), file.ino());
            }
        }
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
            List<String> argv, List<String> envp, String execfn, RandomGenerator random) {
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
            {AT_PAGESZ, PAGE}, {AT_BASE, 0}, {AT_FLAGS, 0}, {AT_ENTRY, entry},
            {AT_UID, Integer.toUnsignedLong(creds.uid)}, {AT_EUID, Integer.toUnsignedLong(creds.euid)},
            {AT_GID, Integer.toUnsignedLong(creds.gid)}, {AT_EGID, Integer.toUnsignedLong(creds.egid)},
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
