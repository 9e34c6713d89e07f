package dev.phoenix.emu.unicorn;

import dev.phoenix.emu.Arch;
import dev.phoenix.emu.Reg;
import dev.phoenix.emu.Trap;

/**
 * Per-arch facts Unicorn needs: register ids for each {@link Reg} role, the engine's open
 * arguments, and how its exception numbers map to {@link Trap}s. Ids are from Unicorn 2.1.1's
 * {@code x86.h}, {@code arm64.h} and {@code riscv.h}; they are not contiguous on aarch64
 * (X29, X30 and SP are not X0+n).
 */
record ArchRegisters(Arch arch, int ucArch, int ucMode, int[] roleIds, int syscallIntno) {
    private static final int X86_RAX = 35, X86_RDX = 40, X86_RDI = 39, X86_RSI = 43, X86_RSP = 44,
            X86_RIP = 41, X86_R8 = 106, X86_R9 = 107, X86_R10 = 108, X86_FS_BASE = 250;
    private static final int A64_X0 = 199, A64_X8 = 207, A64_SP = 4, A64_PC = 260, A64_TPIDR_EL0 = 262;
    private static final int RV_X0 = 1, RV_PC = 190;

    /** Ids of {@link dev.phoenix.emu.CpuContext#gprs()} in order, per arch. */
    int[] contextIds() {
        return switch (arch) {
            case X86_64 -> new int[] {X86_R8, X86_R9, X86_R10, X86_R8 + 3, X86_R8 + 4, X86_R8 + 5, X86_R8 + 6, X86_R8 + 7,
                X86_RDI, X86_RSI, X86_RBP, X86_RBX, X86_RDX, X86_RAX, X86_RCX, X86_RSP, X86_RIP, X86_RFLAGS};
            case AARCH64 -> {
                int[] ids = new int[34];
                for (int i = 0; i < 29; i++) {
                    ids[i] = A64_X0 + i;
                }
                ids[29] = A64_X29;
                ids[30] = A64_X30;
                ids[31] = A64_SP;
                ids[32] = A64_PC;
                ids[33] = A64_NZCV; // EL0's view of PSTATE: the flags (the engine runs at EL1)
                yield ids;
            }
            case RISCV64 -> {
                int[] ids = new int[32];
                ids[0] = RV_PC;
                for (int i = 1; i < 32; i++) {
                    ids[i] = RV_X0 + i;
                }
                yield ids;
            }
        };
    }

    static final int X86_RBX = 37, X86_RCX = 38, X86_RBP = 36, X86_RFLAGS = 253, X86_FP0 = 82, X86_FPCW = 246,
            X86_FPSW = 31, X86_FPTAG = 247, X86_MXCSR = 249, X86_XMM0 = 122, X86_CR4 = 54;
    /** CR4 bits 9 and 10: the OS saves SSE state with fxsave and handles SIMD exceptions. */
    static final long X86_CR4_OSFXSR_OSXMMEXCPT = (1L << 9) | (1L << 10);
    static final int A64_X29 = 1, A64_X30 = 2, A64_NZCV = 3, A64_Q0 = 104, A64_FPCR = 291, A64_FPSR = 292;
    static final int RV_F0 = 158, RV_FCSR = 43;

    /** riscv64 mstatus register id, and the FS=dirty bits glibc's startup needs before FP code. */
    static final int RV_MSTATUS = 116;
    static final long RV_MSTATUS_FS = 0x6000;

    static ArchRegisters of(Arch arch) {
        return switch (arch) {
            case X86_64 -> new ArchRegisters(arch, Unicorn.ARCH_X86, Unicorn.MODE_64, ids(
                    X86_RIP, X86_RSP, X86_RAX, X86_RAX, X86_RDI, X86_RSI, X86_RDX, X86_R10, X86_R8, X86_R9,
                    X86_FS_BASE, X86_RDX), -1);
            case AARCH64 -> new ArchRegisters(arch, Unicorn.ARCH_ARM64, Unicorn.MODE_ARM, ids(
                    A64_PC, A64_SP, A64_X8, A64_X0, A64_X0, A64_X0 + 1, A64_X0 + 2, A64_X0 + 3, A64_X0 + 4,
                    A64_X0 + 5, A64_TPIDR_EL0, A64_X0), 2 /* EXCP_SWI */);
            case RISCV64 -> new ArchRegisters(arch, Unicorn.ARCH_RISCV, Unicorn.MODE_RISCV64, ids(
                    RV_PC, RV_X0 + 2, RV_X0 + 17, RV_X0 + 10, RV_X0 + 10, RV_X0 + 11, RV_X0 + 12, RV_X0 + 13,
                    RV_X0 + 14, RV_X0 + 15, RV_X0 + 4, RV_X0 + 10), 8 /* RISCV_EXCP_U_ECALL */);
        };
    }

    private static int[] ids(int... inRoleOrder) {
        if (inRoleOrder.length != Reg.values().length) {
            throw new IllegalStateException("register table does not cover every role");
        }
        return inRoleOrder;
    }

    int id(Reg reg) {
        return roleIds[reg.ordinal()];
    }

    /** The registers read for a syscall, in order: number, then arguments 0-5. */
    int[] syscallReadSet() {
        return new int[] {id(Reg.SYSCALL_NR), id(Reg.ARG0), id(Reg.ARG1), id(Reg.ARG2), id(Reg.ARG3),
            id(Reg.ARG4), id(Reg.ARG5)};
    }

    /**
     * The trap for an instruction Unicorn stopped on as invalid, given its first (up to) four
     * bytes, little-endian: riscv64's ebreak (and the compressed c.ebreak) arrives this way.
     */
    Trap trapForInvalidInstruction(int word) {
        boolean ebreak = word == 0x00100073 || (word & 0xffff) == 0x9002;
        return arch == Arch.RISCV64 && ebreak ? Trap.BREAKPOINT : Trap.ILLEGAL_INSTRUCTION;
    }

    /** Maps an exception number delivered to UC_HOOK_INTR (other than a syscall) to a trap. */
    Trap trapForInterrupt(int intno) {
        return switch (arch) {
            // Intel SDM Vol. 3A, 6.3.1: #DE 0, #BP 3, #UD 6, #GP 13, #AC 17.
            case X86_64 -> switch (intno) {
                case 0 -> Trap.DIVIDE_ERROR;
                case 3 -> Trap.BREAKPOINT;
                case 6 -> Trap.ILLEGAL_INSTRUCTION;
                case 13 -> Trap.GENERAL_PROTECTION;
                case 17 -> Trap.MISALIGNED;
                default -> Trap.OTHER;
            };
            // QEMU target/arm: EXCP_UDEF 1, EXCP_BKPT 7.
            case AARCH64 -> switch (intno) {
                case 1 -> Trap.ILLEGAL_INSTRUCTION;
                case 7 -> Trap.BREAKPOINT;
                default -> Trap.OTHER;
            };
            // RISC-V privileged spec, mcause: 0 and 4 and 6 misaligned, 2 illegal, 3 breakpoint.
            case RISCV64 -> switch (intno) {
                case 0, 4, 6 -> Trap.MISALIGNED;
                case 2 -> Trap.ILLEGAL_INSTRUCTION;
                case 3 -> Trap.BREAKPOINT;
                case 1 -> Trap.FETCH_PROT;
                case 5 -> Trap.READ_PROT;
                case 7 -> Trap.WRITE_PROT;
                default -> Trap.OTHER;
            };
        };
    }
}
