package dev.phoenix.emu.unicorn;

import dev.phoenix.emu.NativeWords;
import dev.phoenix.emu.Unchecked;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.TreeMap;

/**
 * SSE exception flags as an x86_64 guest reads them. Unicorn 2.1.1's x86 is QEMU 5.0's: SSE
 * arithmetic records its exceptions (invalid, divide-by-zero, overflow, underflow, inexact,
 * denormal) in the softfloat status {@code env->sse_status}, but nothing copies them into
 * MXCSR, which {@code stmxcsr} reads as a plain load (QEMU 5.1 added update_mxcsr_from_sse_status
 * for this). So fetestexcept(FE_DIVBYZERO) after 1.0/0.0 saw nothing. Each {@code stmxcsr} and
 * {@code ldmxcsr} in executable guest memory gets a code hook bounded to its address (found by
 * scanning code as it becomes executable): before a {@code stmxcsr} the recorded flags are
 * merged into MXCSR, and before an {@code ldmxcsr}, which replaces MXCSR, they are cleared, as
 * QEMU 5.1 does. Only those instructions pay (a hook costs nothing where it is not); the
 * status is read from the engine's saved context, whose layout is this build's (checked at
 * start: a different build leaves the flags unreported, as before).
 */
final class MxcsrFlags {
    /** uc_context_size of Debian 13's libunicorn2t64 2.1.1 for x86_64, where the offset below holds. */
    private static final long CONTEXT_SIZE = 5552;
    /** Offset in the saved context of {@code env->sse_status.float_exception_flags} (measured). */
    private static final long FLAGS_OFFSET = 798;
    private static final long STORE = 1, LOAD = 2;

    private final long uc;
    private final MemorySegment hookStub;
    private final MemorySegment word;
    private long context;
    /** The hooks by guest address: an address holding stmxcsr or ldmxcsr (or a prefix of one). */
    private final TreeMap<Long, Long> hooks = new TreeMap<>();
    /** What each hooked address holds: STORE or LOAD. */
    private final TreeMap<Long, Long> kinds = new TreeMap<>();
    private final boolean usable;

    /** For engine {@code uc}; {@code hookStub} is the upcall of {@link UnicornCpu}'s onMxcsr. */
    MxcsrFlags(long uc, MemorySegment hookStub, Arena arena) {
        this.uc = uc;
        this.hookStub = hookStub;
        this.word = arena.allocate(ValueLayout.JAVA_LONG);
        long size;
        try {
            size = NativeWords.call(Unicorn.CONTEXT_SIZE, uc);
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
        this.usable = size == CONTEXT_SIZE;
    }

    /** Hooks the instructions {@link #scan} found in code now executable at {@code address}. */
    void executable(long address, long[] found) {
        if (!usable) {
            return;
        }
        for (long f : found) {
            hook(address + (f >>> 2), f & 3);
        }
    }

    /** Scans already made, by content: every exec of the same program maps the same text. */
    private static final java.util.List<Object[]> SCANS = new java.util.LinkedList<>();
    private static final int SCANS_KEPT = 8;

    /**
     * The ldmxcsr and stmxcsr (and VEX forms) with a memory operand in {@code code}, each as its
     * offset shifted left by 2 with STORE or LOAD in the low bits; remembered by content, so the
     * same text exec'd again (a shell's every command) is compared, not scanned (a scan of
     * glibc's static text took 1.3 ms of each exec).
     */
    static long[] scan(byte[] code) {
        synchronized (SCANS) {
            for (java.util.Iterator<Object[]> it = SCANS.iterator(); it.hasNext();) {
                Object[] e = it.next();
                if (java.util.Arrays.equals((byte[]) e[0], code)) {
                    it.remove();
                    SCANS.addFirst(e);
                    return (long[]) e[1];
                }
            }
        }
        long[] found = scanBytes(code);
        synchronized (SCANS) {
            SCANS.addFirst(new Object[] {code, found});
            if (SCANS.size() > SCANS_KEPT) {
                SCANS.removeLast();
            }
        }
        return found;
    }

    private static long[] scanBytes(byte[] code) {
        java.util.List<Long> found = new java.util.ArrayList<>();
        for (int i = 0; i + 2 < code.length; i++) {
            int modrm = -1;
            int at = i;
            if ((code[i] & 0xff) == 0x0f && (code[i + 1] & 0xff) == 0xae) {
                modrm = code[i + 2] & 0xff; // 0F AE /2 ldmxcsr, /3 stmxcsr
                // A REX or address-size prefix just before starts the instruction there.
                int p = i > 0 ? code[i - 1] & 0xff : 0;
                at = (p >= 0x40 && p <= 0x4f) || p == 0x67 ? i - 1 : i;
            } else if (i + 3 < code.length && (code[i] & 0xff) == 0xc5 && (code[i + 2] & 0xff) == 0xae
                    && ((code[i + 1] & 0xff) & 0x7f) == 0x78) {
                modrm = code[i + 3] & 0xff; // VEX.128 (two bytes) vldmxcsr / vstmxcsr
            }
            int reg = (modrm >> 3) & 7;
            if (modrm >= 0 && (modrm >> 6) != 3 && (reg == 2 || reg == 3)) { // a memory operand
                found.add(((long) at << 2) | (reg == 3 ? STORE : LOAD));
            }
        }
        long[] out = new long[found.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = found.get(k);
        }
        return out;
    }

    /** Drops the hooks in {@code [start, end)}: the code there is gone. */
    void gone(long start, long end) {
        if (!usable) {
            return;
        }
        Map<Long, Long> range = hooks.subMap(start, end);
        for (long handle : range.values()) {
            try {
                Unicorn.check(NativeWords.call(Unicorn.HOOK_DEL, uc, handle), "uc_hook_del");
            } catch (Throwable t) {
                throw Unchecked.of(t);
            }
        }
        range.clear();
        kinds.subMap(start, end).clear();
    }

    private void hook(long address, long kind) {
        if (hooks.containsKey(address)) {
            return;
        }
        try {
            // uc, &handle, UC_HOOK_CODE, callback, user_data (the kind), begin = end = the address
            Unicorn.check((long) Unicorn.HOOK_ADD.invokeExact(uc, word.address(), (long) Unicorn.HOOK_CODE,
                    hookStub.address(), kind, address, address, 0L), "uc_hook_add(code)");
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
        hooks.put(address, word.get(ValueLayout.JAVA_LONG, 0));
        kinds.put(address, kind);
    }

    /**
     * Hooks in {@code [start, end)} what {@code from} hooks there: the same code, mapped by fork
     * into this engine, so it need not be scanned again.
     */
    void copyFrom(MxcsrFlags from, long start, long end) {
        if (!usable) {
            return;
        }
        for (Map.Entry<Long, Long> e : from.kinds.subMap(start, end).entrySet()) {
            hook(e.getKey(), e.getValue());
        }
    }

    /**
     * The hook: before a store of MXCSR, merges the recorded exceptions into it; before a load,
     * clears them (the loaded value says which are raised from now on).
     */
    void before(long kind, UnicornCpu cpu) {
        try {
            if (context == 0) {
                Unicorn.check(NativeWords.call(Unicorn.CONTEXT_ALLOC, uc, word.address()), "uc_context_alloc");
                context = word.get(ValueLayout.JAVA_LONG, 0);
            }
            Unicorn.check(NativeWords.call(Unicorn.CONTEXT_SAVE, uc, context), "uc_context_save");
            MemorySegment flags = MemorySegment.ofAddress(context + FLAGS_OFFSET).reinterpret(1);
            int softfloat = flags.get(ValueLayout.JAVA_BYTE, 0) & 0xff;
            if (softfloat == 0) {
                return;
            }
            if (kind == STORE) {
                cpu.mergeMxcsr(mxcsrBits(softfloat));
            } else {
                flags.set(ValueLayout.JAVA_BYTE, 0, (byte) 0);
                Unicorn.check(NativeWords.call(Unicorn.CONTEXT_RESTORE, uc, context), "uc_context_restore");
            }
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    /** QEMU's float_flag_* bits as MXCSR's exception flags (IE, DE, ZE, OE, UE, PE), as update_mxcsr_from_sse_status maps them. */
    static int mxcsrBits(int softfloat) {
        return ((softfloat & 1) != 0 ? 0x01 : 0) // invalid
                | ((softfloat & 64) != 0 ? 0x02 : 0) // input denormal
                | ((softfloat & 4) != 0 ? 0x04 : 0) // divide by zero
                | ((softfloat & 8) != 0 ? 0x08 : 0) // overflow
                | ((softfloat & 16) != 0 ? 0x10 : 0) // underflow
                | ((softfloat & 32) != 0 ? 0x20 : 0); // inexact
    }

    /** Frees the saved context; the engine closes after. */
    void close() {
        if (context != 0) {
            try {
                long ignored = NativeWords.call(Unicorn.CONTEXT_FREE, context);
            } catch (Throwable t) {
                throw Unchecked.of(t);
            }
            context = 0;
        }
    }
}
