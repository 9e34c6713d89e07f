package dev.phoenix.emu.unicorn;

import dev.phoenix.emu.Arch;
import dev.phoenix.emu.Cpu;
import dev.phoenix.emu.CpuContext;
import dev.phoenix.emu.CpuExit;
import dev.phoenix.emu.FaultResolver;
import dev.phoenix.emu.IoReader;
import dev.phoenix.emu.InstructionTracer;
import dev.phoenix.emu.Reg;
import dev.phoenix.emu.Trap;
import dev.phoenix.emu.TrapHandler;
import dev.phoenix.emu.Unchecked;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * A {@link Cpu} backed by Unicorn 2.1.1 through FFM. System calls arrive as upcalls from inside
 * {@code uc_emu_start} (about 0.1 µs each) and are handled there, so a syscall never costs a
 * return from the engine; the guest's registers for a syscall are read with one
 * {@code uc_reg_read_batch} call. Exceptions thrown by Java code inside an upcall would crash the
 * JVM, so every upcall catches them, stops the engine and rethrows from {@link #run}.
 */
public final class UnicornCpu implements Cpu {
    private static final long RUN_FOREVER = -1L;
    private static final int X86_SYSCALL_LENGTH = 2;

    private final ArchRegisters regs;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment uc;
    private final MemorySegment scratch;
    private final MemorySegment batchIds;
    private final MemorySegment batchPtrs;
    private final MemorySegment batchVals;
    private final int batchCount;
    private TrapHandler handler;
    private FaultResolver faultResolver;
    private InstructionTracer tracer;
    private boolean tracerHooked;

    private volatile boolean stopRequested;
    private boolean inSyscall;
    private Trap pendingTrap;
    private long pendingAddress;
    private long pendingDetail;
    private Throwable pendingThrowable;

    /** Opens a Unicorn engine for {@code arch}. */
    public UnicornCpu(Arch arch) {
        this.regs = ArchRegisters.of(arch);
        try {
            MemorySegment ucp = arena.allocate(ValueLayout.ADDRESS);
            Unicorn.check((int) Unicorn.OPEN.invokeExact(regs.ucArch(), regs.ucMode(), ucp), "uc_open(" + arch + ")");
            uc = ucp.get(ValueLayout.ADDRESS, 0);
            if (arch == Arch.AARCH64) {
                // The "max" model has the ARMv8.x extensions (LSE atomics, ...) that current
                // toolchains emit behind HWCAP checks.
                Unicorn.check((int) Unicorn.CtlInt.H.invokeExact(uc, Unicorn.CTL_CPU_MODEL_WRITE, Unicorn.CPU_ARM64_MAX),
                        "uc_ctl(cpu model)");
            }
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
        scratch = arena.allocate(64, 16);
        int[] ids = regs.syscallReadSet();
        batchCount = ids.length;
        batchIds = arena.allocate(ValueLayout.JAVA_INT, batchCount);
        batchPtrs = arena.allocate(ValueLayout.ADDRESS, batchCount);
        batchVals = arena.allocate(ValueLayout.JAVA_LONG, batchCount);
        for (int i = 0; i < batchCount; i++) {
            batchIds.setAtIndex(ValueLayout.JAVA_INT, i, ids[i]);
            batchPtrs.setAtIndex(ValueLayout.ADDRESS, i, batchVals.asSlice(8L * i, 8));
        }
        if (arch == Arch.RISCV64) {
            setRaw(ArchRegisters.RV_MSTATUS, rawGet(ArchRegisters.RV_MSTATUS) | ArchRegisters.RV_MSTATUS_FS);
        }
        installHooks();
    }

    private void installHooks() {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        try {
            if (regs.arch() == Arch.X86_64) {
                MethodHandle m = lookup.findVirtual(UnicornCpu.class, "onX86Syscall",
                        MethodType.methodType(void.class, MemorySegment.class, MemorySegment.class)).bindTo(this);
                addHook(Unicorn.HOOK_INSN, m, Unicorn.CB_SYSCALL, 1, 0, Unicorn.X86_INS_SYSCALL);
            }
            MethodHandle intr = lookup.findVirtual(UnicornCpu.class, "onInterrupt",
                    MethodType.methodType(void.class, MemorySegment.class, int.class, MemorySegment.class)).bindTo(this);
            addHook(Unicorn.HOOK_INTR, intr, Unicorn.CB_INTR, 1, 0, 0);
            MethodHandle mem = lookup.findVirtual(UnicornCpu.class, "onInvalidMemory", MethodType.methodType(boolean.class,
                    MemorySegment.class, int.class, long.class, int.class, long.class, MemorySegment.class)).bindTo(this);
            addHook(Unicorn.HOOK_MEM_INVALID, mem, Unicorn.CB_MEM_INVALID, 1, 0, 0);
            MethodHandle insn = lookup.findVirtual(UnicornCpu.class, "onInvalidInstruction",
                    MethodType.methodType(boolean.class, MemorySegment.class, MemorySegment.class)).bindTo(this);
            addHook(Unicorn.HOOK_INSN_INVALID, insn, Unicorn.CB_INSN_INVALID, 1, 0, 0);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private void addHook(int type, MethodHandle target, java.lang.foreign.FunctionDescriptor fd, long begin, long end,
            int extra) {
        MemorySegment stub = Unicorn.linker().upcallStub(target, fd, arena);
        MemorySegment hh = arena.allocate(ValueLayout.JAVA_LONG);
        try {
            Unicorn.check((int) Unicorn.HOOK_ADD.invokeExact(uc, hh, type, stub, MemorySegment.NULL, begin, end, extra),
                    "uc_hook_add(" + type + ")");
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    @Override
    public Arch arch() {
        return regs.arch();
    }

    @Override
    public long get(Reg reg) {
        long v = rawGet(regs.id(reg));
        // Inside an x86 syscall RIP still points at the syscall instruction; present the
        // address after it, as aarch64 and riscv64 do.
        return reg == Reg.PC ? pcForGuest(v) : v;
    }

    @Override
    public void set(Reg reg, long value) {
        // Unicorn adds the syscall length to RIP after the hook returns.
        setRaw(regs.id(reg), reg == Reg.PC ? pcForEngine(value) : value);
    }

    private long rawGet(int id) {
        try {
            Unicorn.check((int) Unicorn.REG_READ.invokeExact(uc, id, scratch), "uc_reg_read");
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
        return scratch.get(ValueLayout.JAVA_LONG, 0);
    }

    private void setRaw(int id, long value) {
        scratch.set(ValueLayout.JAVA_LONG, 0, value);
        try {
            Unicorn.check((int) Unicorn.REG_WRITE.invokeExact(uc, id, scratch), "uc_reg_write");
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    @Override
    public void map(long address, MemorySegment frames, int prot) {
        try {
            Unicorn.check((int) Unicorn.MEM_MAP_PTR.invokeExact(uc, address, frames.byteSize(), prot, frames),
                    "uc_mem_map_ptr(0x" + Long.toHexString(address) + ", " + frames.byteSize() + ")");
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    @Override
    public void mapIo(long address, long size, IoReader reader) {
        try {
            MethodHandle read = MethodHandles.lookup().findVirtual(UnicornCpu.class, "onIoRead", MethodType.methodType(
                    long.class, IoReader.class, MemorySegment.class, long.class, int.class, MemorySegment.class))
                    .bindTo(this).bindTo(reader);
            MethodHandle write = MethodHandles.lookup().findStatic(UnicornCpu.class, "onIoWrite", MethodType.methodType(
                    void.class, MemorySegment.class, long.class, int.class, long.class, MemorySegment.class));
            MemorySegment readStub = Unicorn.linker().upcallStub(read, Unicorn.CB_MMIO_READ, arena);
            MemorySegment writeStub = Unicorn.linker().upcallStub(write, Unicorn.CB_MMIO_WRITE, arena);
            Unicorn.check((int) Unicorn.MmioMap.H.invokeExact(uc, address, size, readStub, MemorySegment.NULL, writeStub,
                    MemorySegment.NULL), "uc_mmio_map(0x" + Long.toHexString(address) + ")");
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    @Override
    public CpuContext saveContext() {
        int[] ids = regs.contextIds();
        long[] gprs = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            gprs[i] = rawGet(ids[i]);
        }
        int pcIndex = CpuContext.pcIndex(regs.arch());
        gprs[pcIndex] = pcForGuest(gprs[pcIndex]);
        byte[] fp = new byte[CpuContext.fpSize(regs.arch())];
        MemorySegment f = MemorySegment.ofArray(fp);
        switch (regs.arch()) {
            case X86_64 -> saveX87(f);
            case AARCH64 -> {
                for (int i = 0; i < 32; i++) {
                    MemorySegment.copy(rawBytes(ArchRegisters.A64_Q0 + i), 0, f, 16L * i, 16);
                }
                f.set(LE_INT, 512, (int) rawGet(ArchRegisters.A64_FPSR));
                f.set(LE_INT, 516, (int) rawGet(ArchRegisters.A64_FPCR));
            }
            case RISCV64 -> {
                for (int i = 0; i < 32; i++) {
                    f.set(LE_LONG, 8L * i, rawGet(ArchRegisters.RV_F0 + i));
                }
                f.set(LE_INT, 256, (int) rawGet(ArchRegisters.RV_FCSR));
            }
        }
        return new CpuContext(gprs, fp);
    }

    @Override
    public void restoreContext(CpuContext context) {
        int[] ids = regs.contextIds();
        long[] gprs = context.gprs();
        int pcIndex = CpuContext.pcIndex(regs.arch());
        for (int i = 0; i < ids.length; i++) {
            setRaw(ids[i], i == pcIndex ? pcForEngine(gprs[i]) : gprs[i]);
        }
        MemorySegment f = MemorySegment.ofArray(context.fp());
        switch (regs.arch()) {
            case X86_64 -> restoreX87(f);
            case AARCH64 -> {
                for (int i = 0; i < 32; i++) {
                    setBytes(ArchRegisters.A64_Q0 + i, f.asSlice(16L * i, 16));
                }
                setRaw(ArchRegisters.A64_FPSR, f.get(LE_INT, 512) & 0xffffffffL);
                setRaw(ArchRegisters.A64_FPCR, f.get(LE_INT, 516) & 0xffffffffL);
            }
            case RISCV64 -> {
                for (int i = 0; i < 32; i++) {
                    setRaw(ArchRegisters.RV_F0 + i, f.get(LE_LONG, 8L * i));
                }
                setRaw(ArchRegisters.RV_FCSR, f.get(LE_INT, 256) & 0xffffffffL);
            }
        }
    }

    /** FXSAVE layout: FCW 0, FSW 2, abridged FTW 4, MXCSR 24, MXCSR_MASK 28, ST0-7 at 32, XMM0-15 at 160. */
    private void saveX87(MemorySegment f) {
        int fsw = (int) rawGet(ArchRegisters.X86_FPSW) & 0xffff;
        int tags = (int) rawGet(ArchRegisters.X86_FPTAG) & 0xffff;
        int top = (fsw >> 11) & 7;
        int abridged = 0;
        for (int r = 0; r < 8; r++) {
            if (((tags >> (2 * r)) & 3) != 3) {
                abridged |= 1 << r;
            }
        }
        f.set(LE_SHORT, 0, (short) rawGet(ArchRegisters.X86_FPCW));
        f.set(LE_SHORT, 2, (short) fsw);
        f.set(ValueLayout.JAVA_BYTE, 4, (byte) abridged);
        f.set(LE_INT, 24, (int) rawGet(ArchRegisters.X86_MXCSR));
        f.set(LE_INT, 28, MXCSR_MASK);
        for (int i = 0; i < 8; i++) {
            // FXSAVE stores the stack order ST(i); the engine's FP0-7 are the physical R0-R7.
            MemorySegment.copy(rawBytes(ArchRegisters.X86_FP0 + ((top + i) & 7)), 0, f, 32 + 16L * i, 10);
        }
        for (int i = 0; i < 16; i++) {
            MemorySegment.copy(rawBytes(ArchRegisters.X86_XMM0 + i), 0, f, 160 + 16L * i, 16);
        }
    }

    private void restoreX87(MemorySegment f) {
        int fsw = f.get(LE_SHORT, 2) & 0xffff;
        int top = (fsw >> 11) & 7;
        int abridged = f.get(ValueLayout.JAVA_BYTE, 4) & 0xff;
        int tags = 0;
        for (int r = 0; r < 8; r++) {
            tags |= ((abridged >> r) & 1) != 0 ? 0 : 3 << (2 * r);
        }
        setRaw(ArchRegisters.X86_FPCW, f.get(LE_SHORT, 0) & 0xffff);
        setRaw(ArchRegisters.X86_FPSW, fsw);
        setRaw(ArchRegisters.X86_FPTAG, tags);
        setRaw(ArchRegisters.X86_MXCSR, f.get(LE_INT, 24) & MXCSR_MASK);
        for (int i = 0; i < 8; i++) {
            setBytes(ArchRegisters.X86_FP0 + ((top + i) & 7), f.asSlice(32 + 16L * i, 10));
        }
        for (int i = 0; i < 16; i++) {
            setBytes(ArchRegisters.X86_XMM0 + i, f.asSlice(160 + 16L * i, 16));
        }
    }

    /** MXCSR bits a guest may set (no DAZ-less CPUs here): the value Linux reports as mxcsr_mask. */
    private static final int MXCSR_MASK = 0xffff;
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;

    /** Reads a wide register (up to 64 bytes) into the scratch buffer. */
    private MemorySegment rawBytes(int id) {
        scratch.fill((byte) 0);
        try {
            Unicorn.check((int) Unicorn.REG_READ.invokeExact(uc, id, scratch), "uc_reg_read");
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
        return scratch;
    }

    private void setBytes(int id, MemorySegment value) {
        scratch.fill((byte) 0);
        MemorySegment.copy(value, 0, scratch, 0, value.byteSize());
        try {
            Unicorn.check((int) Unicorn.REG_WRITE.invokeExact(uc, id, scratch), "uc_reg_write");
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    private long pcForGuest(long raw) {
        return inSyscall && regs.arch() == Arch.X86_64 ? raw + X86_SYSCALL_LENGTH : raw;
    }

    private long pcForEngine(long value) {
        return inSyscall && regs.arch() == Arch.X86_64 ? value - X86_SYSCALL_LENGTH : value;
    }

    @Override
    public void unmap(long address, long length) {
        try {
            Unicorn.check((int) Unicorn.MemUnmap.H.invokeExact(uc, address, length),
                    "uc_mem_unmap(0x" + Long.toHexString(address) + ", " + length + ")");
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    @Override
    public void protect(long address, long length, int prot) {
        try {
            Unicorn.check((int) Unicorn.MemProtect.H.invokeExact(uc, address, length, prot),
                    "uc_mem_protect(0x" + Long.toHexString(address) + ", " + length + ")");
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    @Override
    public int readForDiagnostics(long address, byte[] into) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(into.length);
            // Shrink until the read fits in mapped memory: a fault near the end of a mapping.
            for (int n = into.length; n > 0; n--) {
                int err = (int) Unicorn.MEM_READ.invokeExact(uc, address, buf, (long) n);
                if (err == Unicorn.ERR_OK) {
                    MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, into, 0, n);
                    return n;
                }
            }
            return 0;
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    @Override
    public void setTrapHandler(TrapHandler handler) {
        this.handler = handler;
    }

    @Override
    public void setFaultResolver(FaultResolver resolver) {
        this.faultResolver = resolver;
    }

    @Override
    public void setTracer(InstructionTracer tracer) {
        this.tracer = tracer;
        if (tracer != null && !tracerHooked) {
            try {
                MethodHandle m = MethodHandles.lookup().findVirtual(UnicornCpu.class, "onCode",
                        MethodType.methodType(void.class, MemorySegment.class, long.class, int.class, MemorySegment.class))
                        .bindTo(this);
                addHook(Unicorn.HOOK_CODE, m, Unicorn.CB_CODE, 1, 0, 0);
                tracerHooked = true;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public CpuExit run(long maxInstructions) {
        if (handler == null) {
            throw new IllegalStateException("no trap handler set");
        }
        stopRequested = false;
        pendingTrap = null;
        pendingThrowable = null;
        int err;
        try {
            err = (int) Unicorn.EMU_START.invokeExact(uc, get(Reg.PC), RUN_FOREVER, 0L, Math.max(0, maxInstructions));
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
        if (pendingThrowable != null) {
            Throwable t = pendingThrowable;
            pendingThrowable = null;
            throw Unchecked.of(t);
        }
        long pc = get(Reg.PC);
        if (pendingTrap != null) {
            // Unicorn 2.1 leaves PC at the start of the faulting translated block for memory
            // faults on aarch64 and riscv64 (x86_64 keeps RIP exact), measured with
            // tests/guest/fault.c; say so rather than name the wrong instruction.
            boolean exact = !pendingTrap.isMemoryFault() || regs.arch() == Arch.X86_64;
            return new CpuExit(pendingTrap, pc, pendingAddress, pendingDetail, exact);
        }
        if (err == Unicorn.ERR_OK) {
            return new CpuExit(Trap.STOP_REQUESTED, pc, 0, 0, true);
        }
        return new CpuExit(trapForError(err), pc, 0, err, regs.arch() == Arch.X86_64);
    }

    private static Trap trapForError(int err) {
        return switch (err) {
            case 6 -> Trap.READ_UNMAPPED;
            case 7 -> Trap.WRITE_UNMAPPED;
            case 8 -> Trap.FETCH_UNMAPPED;
            case 10 -> Trap.ILLEGAL_INSTRUCTION;
            case 12 -> Trap.WRITE_PROT;
            case 13 -> Trap.READ_PROT;
            case 14 -> Trap.FETCH_PROT;
            case 16, 17, 18 -> Trap.MISALIGNED;
            default -> Trap.OTHER;
        };
    }

    @Override
    public void requestStop() {
        stopRequested = true;
        try {
            int ignored = (int) Unicorn.EmuStop.H.invokeExact(uc);
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    @Override
    public void close() {
        try {
            int ignored = (int) Unicorn.CLOSE.invokeExact(uc);
        } catch (Throwable t) {
            throw Unchecked.of(t);
        } finally {
            arena.close();
        }
    }

    // ---- upcalls from Unicorn: never let a Throwable escape ----

    private void onX86Syscall(MemorySegment ucHandle, MemorySegment userData) {
        dispatchSyscall();
    }

    private void onInterrupt(MemorySegment ucHandle, int intno, MemorySegment userData) {
        if (intno == regs.syscallIntno()) {
            dispatchSyscall();
            return;
        }
        pendingTrap = regs.trapForInterrupt(intno);
        pendingDetail = intno;
        stopFromHook();
    }

    private boolean onInvalidMemory(MemorySegment ucHandle, int type, long address, int size, long value,
            MemorySegment userData) {
        boolean unmapped = type == Unicorn.MEM_READ_UNMAPPED || type == Unicorn.MEM_WRITE_UNMAPPED
                || type == Unicorn.MEM_FETCH_UNMAPPED;
        if (unmapped && faultResolver != null && pendingThrowable == null) {
            try {
                if (faultResolver.resolve(address)) {
                    return true; // mapped now: the engine retries the access
                }
            } catch (Throwable t) {
                pendingThrowable = t;
                return false;
            }
        }
        pendingTrap = switch (type) {
            case Unicorn.MEM_READ_UNMAPPED -> Trap.READ_UNMAPPED;
            case Unicorn.MEM_WRITE_UNMAPPED -> Trap.WRITE_UNMAPPED;
            case Unicorn.MEM_FETCH_UNMAPPED -> Trap.FETCH_UNMAPPED;
            case Unicorn.MEM_READ_PROT -> Trap.READ_PROT;
            case Unicorn.MEM_WRITE_PROT -> Trap.WRITE_PROT;
            case Unicorn.MEM_FETCH_PROT -> Trap.FETCH_PROT;
            default -> Trap.OTHER;
        };
        pendingAddress = address;
        pendingDetail = type;
        return false;
    }

    private long onIoRead(IoReader reader, MemorySegment ucHandle, long offset, int size, MemorySegment userData) {
        if (pendingThrowable != null) {
            return 0;
        }
        try {
            return reader.read(offset, size);
        } catch (Throwable t) {
            pendingThrowable = t;
            stopFromHook();
            return 0;
        }
    }

    private static void onIoWrite(MemorySegment ucHandle, long offset, int size, long value, MemorySegment userData) {
        // Read-only I/O pages: stores are dropped.
    }

    private boolean onInvalidInstruction(MemorySegment ucHandle, MemorySegment userData) {
        pendingTrap = Trap.ILLEGAL_INSTRUCTION;
        return false;
    }

    private void onCode(MemorySegment ucHandle, long address, int size, MemorySegment userData) {
        InstructionTracer t = tracer;
        if (t == null || pendingThrowable != null) {
            return;
        }
        try {
            t.instruction(this, address, size);
        } catch (Throwable e) {
            pendingThrowable = e;
            stopFromHook();
        }
    }

    private void dispatchSyscall() {
        if (pendingThrowable != null) {
            return;
        }
        inSyscall = true;
        try {
            int err = (int) Unicorn.REG_READ_BATCH.invokeExact(uc, batchIds, batchPtrs, batchCount);
            Unicorn.check(err, "uc_reg_read_batch");
            MemorySegment v = batchVals;
            long result = handler.syscall(this, v.get(ValueLayout.JAVA_LONG, 0), v.get(ValueLayout.JAVA_LONG, 8),
                    v.get(ValueLayout.JAVA_LONG, 16), v.get(ValueLayout.JAVA_LONG, 24), v.get(ValueLayout.JAVA_LONG, 32),
                    v.get(ValueLayout.JAVA_LONG, 40), v.get(ValueLayout.JAVA_LONG, 48));
            setRaw(regs.id(Reg.RET), result);
        } catch (Throwable t) {
            pendingThrowable = t;
            stopFromHook();
        } finally {
            inSyscall = false;
        }
    }

    private void stopFromHook() {
        try {
            int ignored = (int) Unicorn.EmuStop.H.invokeExact(uc);
        } catch (Throwable t) {
            pendingThrowable = t;
        }
    }
}
