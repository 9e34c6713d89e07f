package dev.phoenix.abi.signal;

import dev.phoenix.emu.Arch;
import dev.phoenix.emu.CpuContext;
import dev.phoenix.libos.mm.GuestMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The rt_sigframe each arch's kernel pushes for a handler and pops in rt_sigreturn, byte for byte:
 * x86_64 arch/x86/kernel/signal.c (pretcode, ucontext, siginfo, then the FXSAVE area, with a 128-byte
 * red zone skipped); aarch64 arch/arm64/kernel/signal.c (siginfo, ucontext whose __reserved holds an
 * fpsimd_context and the end marker, then a frame record); riscv64 arch/riscv/kernel/signal.c
 * (siginfo, ucontext with the D-extension state).
 */
final class SignalFrames {
    private SignalFrames() {}

    /** Where the frame went and what the handler's registers must be. */
    record Pushed(long frame, long info, long ucontext) {}

    private static final long X86_REDZONE = 128;
    private static final int X86_UC = 8, X86_MCONTEXT = X86_UC + 40, X86_SIGMASK = X86_UC + 296, X86_INFO = X86_UC + 304,
            X86_FRAME = X86_INFO + SigInfo.SIZE;
    private static final int UC_SIGCONTEXT_SS = 2, UC_STRICT_RESTORE_SS = 4;
    private static final int A64_UC = SigInfo.SIZE, A64_MCONTEXT = A64_UC + 176, A64_RESERVED = A64_MCONTEXT + 288,
            A64_FRAME = A64_RESERVED + 4096;
    private static final int FPSIMD_MAGIC = 0x46508001, FPSIMD_SIZE = 528;
    private static final int RV_UC = SigInfo.SIZE, RV_MCONTEXT = RV_UC + 176, RV_FP = RV_MCONTEXT + 256,
            RV_FRAME = RV_FP + 528;

    /**
     * Writes the frame for a handler below {@code sp} (already switched to the alternate stack
     * when one applies) and returns where it went. {@code stack} is (ss_sp, ss_flags, ss_size) for
     * uc_stack; {@code faultAddress} goes to x86's cr2 and arm64's fault_address.
     */
    static Pushed push(Arch arch, GuestMemory mem, CpuContext ctx, long sp, boolean onAltStack, SigInfo info,
            long mask, long[] stack, long restorer, long faultAddress) {
        return switch (arch) {
            case X86_64 -> pushX86(mem, ctx, sp, onAltStack, info, mask, stack, restorer, faultAddress);
            case AARCH64 -> pushA64(mem, ctx, sp, info, mask, stack, faultAddress);
            case RISCV64 -> pushRv(mem, ctx, sp, info, mask, stack);
        };
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The general registers, in {@link CpuContext} order, as consecutive words from {@code at}. */
    private static void putGprs(ByteBuffer b, int at, long[] g) {
        for (int i = 0; i < g.length; i++) {
            b.putLong(at + 8 * i, g[i]);
        }
    }

    private static long[] getGprs(ByteBuffer b, int at, Arch arch) {
        long[] g = new long[CpuContext.gprCount(arch)];
        for (int i = 0; i < g.length; i++) {
            g[i] = b.getLong(at + 8 * i);
        }
        return g;
    }

    private static void putStack(ByteBuffer b, int uc, long[] stack) {
        b.putLong(uc + 16, stack[0]).putInt(uc + 24, (int) stack[1]).putLong(uc + 32, stack[2]);
    }

    private static Pushed pushX86(GuestMemory mem, CpuContext ctx, long sp, boolean onAltStack, SigInfo info,
            long mask, long[] stack, long restorer, long faultAddress) {
        if (!onAltStack) {
            sp -= X86_REDZONE;
        }
        long fpstate = (sp - ctx.fp().length) & -64L;
        long frame = ((fpstate - X86_FRAME) & -16L) - 8;
        ByteBuffer b = buffer(X86_FRAME);
        b.putLong(0, restorer);
        b.putLong(X86_UC, UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS);
        putStack(b, X86_UC, stack);
        putGprs(b, X86_MCONTEXT, ctx.gprs());
        int tail = X86_MCONTEXT + 144;
        b.putShort(tail, (short) 0x33).putShort(tail + 6, (short) 0x2b); // cs, gs, fs, ss
        b.putLong(tail + 8, 0).putLong(tail + 16, faultAddress != 0 ? 14 : 0); // err, trapno
        b.putLong(tail + 24, mask).putLong(tail + 32, faultAddress).putLong(tail + 40, fpstate);
        b.putLong(X86_SIGMASK, mask);
        b.put(X86_INFO, info.bytes());
        mem.write(fpstate, ctx.fp());
        mem.write(frame, b.array());
        return new Pushed(frame, frame + X86_INFO, frame + X86_UC);
    }

    private static Pushed pushA64(GuestMemory mem, CpuContext ctx, long sp, SigInfo info, long mask, long[] stack,
            long faultAddress) {
        long record = (sp - 16) & -16L;
        long frame = record - A64_FRAME;
        ByteBuffer b = buffer(A64_FRAME);
        b.put(0, info.bytes());
        putStack(b, A64_UC, stack);
        b.putLong(A64_UC + 40, mask);
        b.putLong(A64_MCONTEXT, faultAddress);
        long[] g = ctx.gprs();
        putGprs(b, A64_MCONTEXT + 8, g); // x0-x30, sp, pc, pstate
        b.putInt(A64_RESERVED, FPSIMD_MAGIC).putInt(A64_RESERVED + 4, FPSIMD_SIZE);
        byte[] fp = ctx.fp(); // v0-v31, fpsr, fpcr
        b.putInt(A64_RESERVED + 8, ByteBuffer.wrap(fp, 512, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
        b.putInt(A64_RESERVED + 12, ByteBuffer.wrap(fp, 516, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
        b.put(A64_RESERVED + 16, fp, 0, 512);
        // The terminator after fpsimd_context is the zero the buffer already holds.
        ByteBuffer rec = buffer(16).putLong(0, g[29]).putLong(8, g[30]);
        mem.write(frame, b.array());
        mem.write(record, rec.array());
        return new Pushed(frame, frame, frame + A64_UC);
    }

    private static Pushed pushRv(GuestMemory mem, CpuContext ctx, long sp, SigInfo info, long mask, long[] stack) {
        long frame = (sp - RV_FRAME) & -16L;
        ByteBuffer b = buffer(RV_FRAME);
        b.put(0, info.bytes());
        putStack(b, RV_UC, stack);
        b.putLong(RV_UC + 40, mask);
        putGprs(b, RV_MCONTEXT, ctx.gprs()); // pc, x1-x31
        b.put(RV_FP, ctx.fp()); // f0-f31, fcsr
        mem.write(frame, b.array());
        return new Pushed(frame, frame, frame + RV_UC);
    }

    /** What rt_sigreturn restores: the registers and the signal mask. */
    record Popped(CpuContext context, long mask) {}

    /**
     * Reads the frame rt_sigreturn finds at {@code sp} (x86_64: after the handler's ret popped
     * pretcode). Registers the guest may not choose are sanitised as Linux does: x86 keeps only
     * the user-changeable RFLAGS bits, aarch64 only NZCV.
     */
    static Popped pop(Arch arch, GuestMemory mem, long sp, CpuContext current) {
        return switch (arch) {
            case X86_64 -> {
                long frame = sp - 8;
                ByteBuffer b = ByteBuffer.wrap(mem.read(frame, X86_FRAME)).order(ByteOrder.LITTLE_ENDIAN);
                long[] g = getGprs(b, X86_MCONTEXT, arch);
                long flagsMask = 0x50dd5; // CF PF AF ZF SF TF DF OF RF AC: FIX_EFLAGS in the kernel
                g[17] = (current.gprs()[17] & ~flagsMask) | (g[17] & flagsMask);
                long fpstate = b.getLong(X86_MCONTEXT + 144 + 40);
                byte[] fp = fpstate != 0 ? mem.read(fpstate, current.fp().length) : current.fp();
                yield new Popped(new CpuContext(g, fp), b.getLong(X86_SIGMASK));
            }
            case AARCH64 -> {
                ByteBuffer b = ByteBuffer.wrap(mem.read(sp, A64_FRAME)).order(ByteOrder.LITTLE_ENDIAN);
                long[] g = getGprs(b, A64_MCONTEXT + 8, arch);
                g[33] &= 0xf0000000L;
                byte[] fp = current.fp().clone();
                if (b.getInt(A64_RESERVED) == FPSIMD_MAGIC) {
                    b.get(A64_RESERVED + 16, fp, 0, 512);
                    ByteBuffer f = ByteBuffer.wrap(fp).order(ByteOrder.LITTLE_ENDIAN);
                    f.putInt(512, b.getInt(A64_RESERVED + 8)).putInt(516, b.getInt(A64_RESERVED + 12));
                }
                yield new Popped(new CpuContext(g, fp), b.getLong(A64_UC + 40));
            }
            case RISCV64 -> {
                ByteBuffer b = ByteBuffer.wrap(mem.read(sp, RV_FRAME)).order(ByteOrder.LITTLE_ENDIAN);
                long[] g = getGprs(b, RV_MCONTEXT, arch);
                byte[] fp = new byte[current.fp().length];
                b.get(RV_FP, fp);
                yield new Popped(new CpuContext(g, fp), b.getLong(RV_UC + 40));
            }
        };
    }
}
