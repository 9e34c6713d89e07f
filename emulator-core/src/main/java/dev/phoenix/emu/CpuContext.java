package dev.phoenix.emu;

/**
 * A guest thread's user-visible register state, as a signal frame saves it. The order of
 * {@code gprs} and the layout of {@code fp} follow each architecture's own register file, which
 * is also the order Linux's user register structs use:
 * <ul>
 *   <li>x86_64: r8-r15, rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, rflags (struct sigcontext);
 *       {@code fp} is the 512-byte FXSAVE image (Intel SDM Vol. 1, 10.5.1).
 *   <li>aarch64: x0-x30, sp, pc, pstate; {@code fp} is v0-v31 (16 bytes each), then fpsr and
 *       fpcr (4 bytes each).
 *   <li>riscv64: pc, x1-x31 (struct user_regs_struct); {@code fp} is f0-f31 (8 bytes each), then
 *       fcsr (4 bytes).
 * </ul>
 * Values are little-endian. Inside a syscall the PC is the address after the syscall instruction.
 */
public record CpuContext(long[] gprs, byte[] fp) {
    /** Number of general registers in {@link #gprs} for {@code arch}. */
    public static int gprCount(Arch arch) {
        return switch (arch) {
            case X86_64 -> 18;
            case AARCH64 -> 34;
            case RISCV64 -> 32;
        };
    }

    /** Index of the program counter in {@link #gprs} for {@code arch}. */
    public static int pcIndex(Arch arch) {
        return switch (arch) {
            case X86_64 -> 16;
            case AARCH64 -> 32;
            case RISCV64 -> 0;
        };
    }

    /** Index of the stack pointer in {@link #gprs} for {@code arch}. */
    public static int spIndex(Arch arch) {
        return switch (arch) {
            case X86_64 -> 15;
            case AARCH64 -> 31;
            case RISCV64 -> 2;
        };
    }

    /**
     * The registers a new image starts with, as Linux's start_thread and the psABIs give them:
     * every general register zero (the loader then sets the stack pointer and the entry), x86_64
     * RFLAGS with only IF (and the always-set bit 1), the x87 control word 0x37F (64-bit
     * precision, round to nearest, every exception masked) and MXCSR 0x1F80 (x86-64 psABI 3.4.1,
     * fpu__init_cpu); arm64's FPCR and RISC-V's fcsr 0 (round to nearest, no traps, no flags).
     */
    public static CpuContext initial(Arch arch) {
        long[] gprs = new long[gprCount(arch)];
        byte[] fp = new byte[fpSize(arch)];
        if (arch == Arch.X86_64) {
            gprs[17] = 0x202; // RFLAGS: IF | reserved bit 1
            fp[0] = 0x7f; // FCW 0x037f, little-endian
            fp[1] = 0x03;
            fp[24] = (byte) 0x80; // MXCSR 0x1f80
            fp[25] = 0x1f;
        }
        return new CpuContext(gprs, fp);
    }

    /** Size of {@link #fp} for {@code arch}. */
    public static int fpSize(Arch arch) {
        return switch (arch) {
            case X86_64 -> 512;
            case AARCH64 -> 32 * 16 + 8;
            case RISCV64 -> 32 * 8 + 4;
        };
    }
}
