package dev.phoenix.emu.unicorn;

import dev.phoenix.emu.Arch;
import dev.phoenix.emu.Cpu;
import dev.phoenix.emu.CpuContext;
import dev.phoenix.emu.CpuExit;
import dev.phoenix.emu.FaultResolver;
import dev.phoenix.emu.IoReader;
import dev.phoenix.emu.InstructionTracer;
import dev.phoenix.emu.NativeWords;
import dev.phoenix.emu.Prot;
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
import java.util.Arrays;

/**
 * A {@link Cpu} backed by Unicorn 2.1.1 through FFM. System calls arrive as upcalls from inside
 * {@code uc_emu_start} (about 0.1 µs each) and are handled there, so a syscall never costs a
 * return from the engine; the guest's registers for a syscall are read with one
 * {@code uc_reg_read_batch} call. Exceptions thrown by Java code inside an upcall would crash the
 * JVM, so every upcall catches them, stops the engine and rethrows from {@link #run}. Memory
 * faults stop at the faulting instruction and name the exact address ({@link MemoryFaults}).
 */
public final class UnicornCpu implements Cpu {
    private static final long RUN_FOREVER = -1L;
    private static final int X86_SYSCALL_LENGTH = 2;

    private final ArchRegisters regs;
    private final Arena arena = Arena.ofShared();
    /** The engine handle ({@code uc_engine *}). */
    private final long uc;
    private final MemoryFaults faults;
    private final MemorySegment scratch;
    private final long scratchAddress;
    private final MemorySegment batchIds;
    private final MemorySegment batchPtrs;
    private final MemorySegment batchVals;
    private final int batchCount;
    private TrapHandler handler;
    private FaultResolver faultResolver;
    private InstructionTracer tracer;
    private boolean tracerHooked;

    private volatile boolean stopRequested;
    /** The thread in {@link #run}: only it may stop the engine directly, from inside a syscall. */
    private volatile Thread runThread;
    private boolean inSyscall;
    private Trap pendingTrap;
    private long pendingDetail;
    private Throwable pendingThrowable;
    /** The instruction budget of the last {@code uc_emu_start}: whether Unicorn's count hook is in. */
    private long lastCount;
    /** The host's page size, which Unicorn records as qemu_real_host_page_size (getpagesize(3)). */
    private static final long HOST_PAGE = 4096;
    /** Every run of this engine is counted ({@link #countedRuns}). */
    private boolean countedRuns;
    /** What makes a stop from another thread exact (see {@link ExactStops}); made at the first run. */
    private volatile ExactStops exactStops;

    /** Opens a Unicorn engine for {@code arch}. */
    public UnicornCpu(Arch arch) {
        this.regs = ArchRegisters.of(arch);
        try {
            MemorySegment ucp = arena.allocate(ValueLayout.ADDRESS);
            Unicorn.check(NativeWords.call(Unicorn.OPEN, regs.ucArch(), regs.ucMode(), ucp.address()),
                    "uc_open(" + arch + ")");
            uc = ucp.get(ValueLayout.JAVA_LONG, 0);
            if (arch == Arch.AARCH64) {
                // The "max" model has the ARMv8.x extensions (LSE atomics, ...) that current
                // toolchains emit behind HWCAP checks.
                Unicorn.check(Unicorn.ctl(uc, Unicorn.CTL_CPU_MODEL_WRITE, Unicorn.CPU_ARM64_MAX), "uc_ctl(cpu model)");
            }
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
        faults = new MemoryFaults(uc, arena);
        scratch = arena.allocate(64, 16);
        scratchAddress = scratch.address();
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
        if (arch == Arch.X86_64) {
            // CR4.OSFXSR and OSXMMEXCPT, which Linux sets at boot: without OSFXSR, Unicorn's
            // fxsave and fxrstor skip MXCSR and the XMM registers, so glibc's lazy binding
            // (_dl_runtime_resolve_fxsave) lost a dynamically linked program's floating-point
            // arguments: printf("%g", 1.5) printed 0.
            setRaw(ArchRegisters.X86_CR4, rawGet(ArchRegisters.X86_CR4) | ArchRegisters.X86_CR4_OSFXSR_OSXMMEXCPT);
        }
        installHooks();
        mxcsr = arch == Arch.X86_64 ? new MxcsrFlags(uc, callback("onMxcsr", 4), arena) : null;
    }

    /** x86_64: the SSE exception flags a guest's stmxcsr must see (see {@link MxcsrFlags}); null elsewhere. */
    private final MxcsrFlags mxcsr;

    /** ORs exception flags into MXCSR (for {@link MxcsrFlags}). */
    void mergeMxcsr(int bits) {
        setRaw(ArchRegisters.X86_MXCSR, rawGet(ArchRegisters.X86_MXCSR) | bits);
    }

    /** Code ranges larger than this are not scanned for {@link MxcsrFlags} (a JIT's huge arena). */
    private static final long MXCSR_SCAN_LIMIT = 64L << 20;

    /** Tells {@link MxcsrFlags} what code is executable now in {@code [address, address+length)}. */
    private void codeChanged(long address, long length, int prot, MemorySegment bytes) {
        if (mxcsr == null) {
            return;
        }
        beforeHookChange();
        mxcsr.gone(address, address + length);
        if ((prot & dev.phoenix.emu.Prot.EXEC) == 0 || length > MXCSR_SCAN_LIMIT) {
            return;
        }
        byte[] code = new byte[(int) length];
        if (bytes != null) {
            MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, 0, code, 0, code.length);
        } else if (readForDiagnostics(address, code) != code.length) {
            return; // not all mapped: the caller's own call failed
        }
        mxcsr.executable(address, MxcsrFlags.scan(code));
    }

    private void installHooks() {
        if (regs.arch() == Arch.X86_64) {
            addHook(Unicorn.HOOK_INSN, callback("onX86Syscall", 2), Unicorn.X86_INS_SYSCALL);
        }
        addHook(Unicorn.HOOK_INTR, callback("onInterrupt", 3), 0);
        addHook(Unicorn.HOOK_TLB_FILL, callback("onTlbFill", 5), 0);
        addHook(Unicorn.HOOK_MEM_INVALID, callback("onInvalidMemory", 6), 0);
        addHook(Unicorn.HOOK_INSN_INVALID, callback("onInvalidInstruction", 2), 0);
    }

    /**
     * A native stub for callback method {@code name} of this engine, which takes {@code words}
     * longs (Unicorn's arguments, in order) and returns a long (see {@link NativeWords#upcall}).
     */
    private MemorySegment callback(String name, int words) {
        Class<?>[] params = new Class<?>[words];
        Arrays.fill(params, long.class);
        try {
            MethodHandle m = MethodHandles.lookup().findVirtual(UnicornCpu.class, name,
                    MethodType.methodType(long.class, params));
            return NativeWords.upcall(m.bindTo(this), arena);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds a hook over all addresses; {@code extra} is the variadic argument (the instruction of UC_HOOK_INSN). */
    private void addHook(int type, MemorySegment stub, int extra) {
        addHook(type, stub.address(), 1, 0, extra);
    }

    /** Adds a hook calling native {@code callback} over [begin, end] (begin > end: every address); returns its handle. */
    private long addHook(int type, long callback, long begin, long end, int extra) {
        MemorySegment hh = arena.allocate(ValueLayout.JAVA_LONG);
        try {
            // uc, &handle, type, callback, user_data, begin, end, the variadic extra
            Unicorn.check((long) Unicorn.HOOK_ADD.invokeExact(uc, hh.address(), (long) type, callback, 0L, begin, end,
                    (long) extra), "uc_hook_add(" + type + ")");
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
        return hh.get(ValueLayout.JAVA_LONG, 0);
    }

    /**
     * The preemption switch: the callback word of a block hook over every address, which is a
     * no-op until another thread asks for a stop and then {@link #onPreemptBlock}. A block hook
     * runs before the block's first instruction, so the engine stops between blocks.
     * uc_emu_stop called from another thread stops at the next check of the exit flag, which
     * Unicorn also makes after memory accesses inside a block, and then restarts the whole
     * block: a load-add-store ran twice (a 4-thread atomic counter gained 9 to 350 per 12
     * million); {@link ExactStops} now makes that stop exact, but on x86_64 by hiding the MXCSR
     * hooks for a moment, which a stop every 10 ms slice would do too often, so threads keep
     * the switch. And while any code hook exists (MxcsrFlags' on x86_64), Unicorn does not put
     * the PC back to the block it left, so the hook records the block's address and
     * {@link #run} sets the PC to it (before, glibc's memcpy resumed at a stale PC and faulted).
     * A second hook over an empty range keeps Unicorn from inlining the first one's callback
     * into translated code (it inlines a lone hook of a type), so the switch is read on every
     * block. Null until {@link #enablePreemption}.
     */
    private MemorySegment preemptSwitch;
    /** The upcall the switch points at while a stop is requested. */
    private long preemptStub;
    /** The block the preemption hook stopped before, or -1. */
    private long preemptedAt = -1;

    /** The armed preemption hook: stop before the block at {@code address}. */
    private long onPreemptBlock(long ucHandle, long address, long size, long userData) {
        preemptedAt = address;
        stopFromHook();
        return 0;
    }

    @Override
    public void countedRuns() {
        countedRuns = true;
    }

    @Override
    public void enablePreemption() {
        if (preemptSwitch != null) {
            return;
        }
        preemptStub = callback("onPreemptBlock", 4).address();
        beforeHookChange();
        long handle = addHook(Unicorn.HOOK_BLOCK, Unicorn.NO_OP_ADDRESS, 1, 0, 0);
        addHook(Unicorn.HOOK_BLOCK, Unicorn.NO_OP_ADDRESS, 0, 0, 0); // page 0: never runs
        preemptSwitch = MemorySegment.ofAddress(handle + Unicorn.HOOK_CALLBACK_OFFSET).reinterpret(8);
        // Unicorn compiles a block hook's call into blocks as it translates them: blocks
        // translated before now never look at the switch (see stopNow). Flushing them costs
        // the hook on all the hot code: thread create+join took 410-2600 µs instead of 285.
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
            Unicorn.check(NativeWords.call(Unicorn.REG_READ, uc, id, scratchAddress), "uc_reg_read");
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
        return scratch.get(ValueLayout.JAVA_LONG, 0);
    }

    private void setRaw(int id, long value) {
        scratch.set(ValueLayout.JAVA_LONG, 0, value);
        try {
            Unicorn.check(NativeWords.call(Unicorn.REG_WRITE, uc, id, scratchAddress), "uc_reg_write");
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    @Override
    public void map(long address, MemorySegment frames, int prot) {
        mapFrames(address, frames, prot);
        codeChanged(address, frames.byteSize(), prot, frames);
    }

    @Override
    public void mapForkOf(long address, MemorySegment frames, int prot, dev.phoenix.emu.Cpu parent) {
        if (!(parent instanceof UnicornCpu p) || mxcsr == null || p.mxcsr == null) {
            map(address, frames, prot);
            return;
        }
        mapFrames(address, frames, prot);
        beforeHookChange();
        mxcsr.copyFrom(p.mxcsr, address, address + frames.byteSize());
    }

    private void mapFrames(long address, MemorySegment frames, int prot) {
        faults.beginMapChange();
        try {
            Unicorn.check(NativeWords.call(Unicorn.MEM_MAP_PTR, uc, address, frames.byteSize(), prot, frames.address()),
                    "uc_mem_map_ptr(0x" + Long.toHexString(address) + ", " + frames.byteSize() + ")");
        } catch (Throwable t) {
            throw Unchecked.of(t);
        } finally {
            faults.endMapChange();
        }
        faults.changed(address, address + frames.byteSize(), prot);
    }

    @Override
    public void mapIo(long address, long size, IoReader reader) {
        faults.beginMapChange();
        try {
            MethodHandle read = MethodHandles.lookup().findVirtual(UnicornCpu.class, "onIoRead", MethodType.methodType(
                    long.class, IoReader.class, long.class, long.class, long.class, long.class))
                    .bindTo(this).bindTo(reader);
            MemorySegment readStub = NativeWords.upcall(read, arena);
            // No write callback: Unicorn then holds the range read-only, as the protections say,
            // and a store faults, as on Linux's read-only vvar page.
            Unicorn.check(NativeWords.call(Unicorn.MMIO_MAP, uc, address, size, readStub.address(), 0L, 0L, 0L),
                    "uc_mmio_map(0x" + Long.toHexString(address) + ")");
        } catch (Throwable t) {
            throw Unchecked.of(t);
        } finally {
            faults.endMapChange();
        }
        faults.changed(address, address + size, Prot.READ);
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

    @Override
    public long newThreadContext() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ValueLayout.ADDRESS);
            Unicorn.check(NativeWords.call(Unicorn.CONTEXT_ALLOC, uc, p.address()), "uc_context_alloc");
            return p.get(ValueLayout.JAVA_LONG, 0);
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    @Override
    public void saveThreadContext(long context) {
        contextCall(Unicorn.CONTEXT_SAVE, uc, context, "uc_context_save");
    }

    @Override
    public void restoreThreadContext(long context) {
        contextCall(Unicorn.CONTEXT_RESTORE, uc, context, "uc_context_restore");
    }

    @Override
    public void freeThreadContext(long context) {
        contextCall(Unicorn.CONTEXT_FREE, context, 0, "uc_context_free");
    }

    /** Calls a uc_context_* function with two words and checks its uc_err. */
    private static void contextCall(java.lang.invoke.MethodHandle f, long a, long b, String name) {
        try {
            Unicorn.check(NativeWords.call(f, a, b), name);
        } catch (Throwable t) {
            throw Unchecked.of(t);
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
            Unicorn.check(NativeWords.call(Unicorn.REG_READ, uc, id, scratchAddress), "uc_reg_read");
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
        return scratch;
    }

    private void setBytes(int id, MemorySegment value) {
        scratch.fill((byte) 0);
        MemorySegment.copy(value, 0, scratch, 0, value.byteSize());
        try {
            Unicorn.check(NativeWords.call(Unicorn.REG_WRITE, uc, id, scratchAddress), "uc_reg_write");
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
        faults.beginMapChange();
        try {
            Unicorn.check(NativeWords.call(Unicorn.MEM_UNMAP, uc, address, length),
                    "uc_mem_unmap(0x" + Long.toHexString(address) + ", " + length + ")");
        } catch (Throwable t) {
            throw Unchecked.of(t);
        } finally {
            faults.endMapChange();
        }
        faults.changed(address, address + length, PageProtections.UNMAPPED);
        codeChanged(address, length, 0, null);
    }

    @Override
    public void protect(long address, long length, int prot) {
        faults.beginMapChange();
        try {
            Unicorn.check(NativeWords.call(Unicorn.MEM_PROTECT, uc, address, length, prot),
                    "uc_mem_protect(0x" + Long.toHexString(address) + ", " + length + ")");
        } catch (Throwable t) {
            throw Unchecked.of(t);
        } finally {
            faults.endMapChange();
        }
        faults.changed(address, address + length, prot);
        codeChanged(address, length, prot, null);
    }

    @Override
    public int readForDiagnostics(long address, byte[] into) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(into.length);
            // Shrink until the read fits in mapped memory: a fault near the end of a mapping.
            for (int n = into.length; n > 0; n--) {
                int err = (int) NativeWords.call(Unicorn.MEM_READ, uc, address, buf.address(), n);
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
    public void setWriteFillObserver(Runnable observer, int every) {
        faults.observeWriteFills(observer, every);
    }

    @Override
    public void setTracer(InstructionTracer tracer) {
        this.tracer = tracer;
        if (tracer != null && !tracerHooked) {
            beforeHookChange();
            addHook(Unicorn.HOOK_CODE, callback("onCode", 4), 0);
            tracerHooked = true;
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
        faults.clearRefusal();
        lastCount = Math.max(0, maxInstructions);
        if (exactStops == null) {
            exactStops = new ExactStops(uc, faults.pageSize(), HOST_PAGE, countedRuns);
        }
        exactStops.beforeRun(lastCount);
        runThread = Thread.currentThread();
        int err;
        try {
            err = emuStart(get(Reg.PC), lastCount);
        } finally {
            if (exactStops.afterRun()) {
                dropTranslationAt(rawGet(regs.id(Reg.PC)));
            }
        }
        if (preemptSwitch != null) {
            // Taken: the caller looks at why it was asked to stop; a later request arms it again.
            preemptSwitch.set(ValueLayout.JAVA_LONG, 0, Unicorn.NO_OP_ADDRESS);
            if (preemptedAt != -1) {
                setRaw(regs.id(Reg.PC), preemptedAt);
                preemptedAt = -1;
            }
        }
        if (pendingThrowable != null) {
            Throwable t = pendingThrowable;
            pendingThrowable = null;
            throw Unchecked.of(t);
        }
        long pc = get(Reg.PC);
        if (pendingTrap != null) {
            return new CpuExit(pendingTrap, pc, 0, pendingDetail);
        }
        Trap refused = faults.refused();
        if (err == Unicorn.ERR_EXCEPTION && refused != null) {
            // Once more from the faulting instruction, with the budget of the run, so that
            // Unicorn keeps its count hook in or out as it is and drops nothing it translated.
            long address = faults.locate(pc, begin -> emuStart(begin, lastCount > 0 ? 1 : 0));
            return new CpuExit(refused, pc, address, 0);
        }
        if (err == Unicorn.ERR_OK) {
            return new CpuExit(Trap.STOP_REQUESTED, pc, 0, 0);
        }
        return new CpuExit(trapForError(err), pc, 0, err);
    }

    private int emuStart(long begin, long count) {
        try {
            return (int) NativeWords.call(Unicorn.EMU_START, uc, begin, RUN_FOREVER, 0L, count);
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
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
        MemorySegment sw = preemptSwitch;
        if (sw != null) {
            sw.set(ValueLayout.JAVA_LONG, 0, preemptStub); // the next block stops the engine
            if (!(inSyscall && Thread.currentThread() == runThread)) {
                return;
            }
        }
        // Inside a syscall upcall the block ends at the syscall: a stop here is exact. From another
        // thread without the switch it is the asynchronous stop, which ExactStops makes exact; a
        // process with one thread and no timer has no switch.
        stopNow();
    }

    @Override
    public void stopNow() {
        stopRequested = true;
        ExactStops e = exactStops;
        if (e != null && Thread.currentThread() != runThread) {
            e.stopFromOtherThread(this::emuStop);
        } else {
            emuStop();
        }
    }

    private void emuStop() {
        try {
            long ignored = NativeWords.call(Unicorn.EMU_STOP, uc);
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    /**
     * Drops the translated code at {@code pc} (uc_ctl's UC_CTL_TB_REMOVE_CACHE), which Unicorn
     * finds by an instruction fetch through the TLB: a map change for {@link MemoryFaults}.
     */
    private void dropTranslationAt(long pc) {
        faults.beginMapChange();
        try {
            Unicorn.check(Unicorn.ctl(uc, Unicorn.CTL_TB_REMOVE_CACHE_WRITE, pc, pc + 1), "uc_ctl(tb remove cache)");
        } catch (Throwable t) {
            throw Unchecked.of(t);
        } finally {
            faults.endMapChange();
        }
    }

    /** Before this thread adds or deletes a hook: hooks a stop from another thread hid come back first. */
    private void beforeHookChange() {
        ExactStops e = exactStops;
        if (e != null) {
            e.beforeHookChange();
        }
    }

    @Override
    public void close() {
        try {
            faults.close();
            if (mxcsr != null) {
                mxcsr.close();
            }
            long ignored = NativeWords.call(Unicorn.CLOSE, uc);
        } catch (Throwable t) {
            throw Unchecked.of(t);
        } finally {
            arena.close();
        }
    }

    // ---- upcalls from Unicorn: never let a Throwable escape ----
    // Each takes its C arguments as 64-bit words and returns a word (NativeWords.upcall): an int
    // argument is narrowed here, and the result is 0 where C expects void.

    private long onX86Syscall(long ucHandle, long userData) {
        if (faults.replaying()) {
            stopFromHook(); // not the access being located: end the re-run
            return 0;
        }
        dispatchSyscall();
        return 0;
    }

    private long onInterrupt(long ucHandle, long intnoWord, long userData) {
        int intno = (int) intnoWord;
        if (faults.replaying()) {
            stopFromHook(); // not the access being located: end the re-run
            return 0;
        }
        if (intno == regs.syscallIntno()) {
            dispatchSyscall();
            return 0;
        }
        if (regs.arch() == Arch.RISCV64) {
            // Unicorn adds 4 to a riscv64 PC before this hook, for ecall; every other exception
            // is at the instruction itself (an illegal one may be 2 bytes long).
            setRaw(regs.id(Reg.PC), rawGet(regs.id(Reg.PC)) - 4);
        }
        pendingTrap = regs.trapForInterrupt(intno);
        pendingDetail = intno;
        stopFromHook();
        return 0;
    }

    /** UC_HOOK_TLB_FILL: see {@link MemoryFaults#fill}. Returns 1 (C true) with the entry filled, else 0. */
    private long onTlbFill(long ucHandle, long page, long type, long entry, long userData) {
        try {
            return faults.fill(page, (int) type, entry, pendingThrowable == null ? faultResolver : null);
        } catch (Throwable t) {
            pendingThrowable = t;
            return 0;
        }
    }

    /** Unicorn's own check of an access failed: see {@link MemoryFaults#invalidAccess}. Returns 0, not handled. */
    private long onInvalidMemory(long ucHandle, long type, long address, long size, long value, long userData) {
        if (!faults.invalidAccess(address) && pendingThrowable == null) {
            pendingThrowable = new IllegalStateException("Unicorn refused an access to 0x" + Long.toHexString(address)
                    + " that the page protections allow (uc_mem_type " + type + ")");
        }
        return 0;
    }

    private long onIoRead(IoReader reader, long ucHandle, long offset, long size, long userData) {
        if (pendingThrowable != null) {
            return 0;
        }
        try {
            return reader.read(offset, (int) size);
        } catch (Throwable t) {
            pendingThrowable = t;
            stopFromHook();
            return 0;
        }
    }

    private long onInvalidInstruction(long ucHandle, long userData) {
        if (faults.replaying()) {
            return 0;
        }
        // Unicorn 2.1.1 ends a riscv64 ebreak here too (riscv_stop_interrupt), so look at it.
        byte[] insn = new byte[4];
        int n = readForDiagnostics(rawGet(regs.id(Reg.PC)), insn);
        int word = 0;
        for (int i = n - 1; i >= 0; i--) {
            word = word << 8 | (insn[i] & 0xff);
        }
        pendingTrap = regs.trapForInvalidInstruction(word);
        return 0;
    }

    private long onMxcsr(long ucHandle, long address, long size, long kind) {
        if (pendingThrowable != null || faults.replaying()) {
            return 0;
        }
        try {
            mxcsr.before(kind, this);
        } catch (Throwable t) {
            pendingThrowable = t;
            stopFromHook();
        }
        return 0;
    }

    private long onCode(long ucHandle, long address, long size, long userData) {
        InstructionTracer t = tracer;
        if (t == null || pendingThrowable != null || faults.replaying()) {
            return 0;
        }
        try {
            t.instruction(this, address, (int) size);
        } catch (Throwable e) {
            pendingThrowable = e;
            stopFromHook();
        }
        return 0;
    }

    private void dispatchSyscall() {
        if (pendingThrowable != null) {
            return;
        }
        inSyscall = true;
        try {
            Unicorn.check(NativeWords.call(Unicorn.REG_READ_BATCH, uc, batchIds.address(), batchPtrs.address(),
                    batchCount), "uc_reg_read_batch");
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
            long ignored = NativeWords.call(Unicorn.EMU_STOP, uc);
        } catch (Throwable t) {
            pendingThrowable = t;
        }
    }
}
