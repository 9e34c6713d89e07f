package dev.phoenix.emu;

/**
 * Guest registers by role, so that code above {@code emulator-core} never names an engine's
 * register ids. Each engine maps a role to its own register for the guest's arch.
 */
public enum Reg {
    /** Program counter (RIP, PC, pc). */
    PC,
    /** Stack pointer (RSP, SP, x2/sp). */
    SP,
    /** Syscall number register (RAX, X8, a7). */
    SYSCALL_NR,
    /** Syscall return value register (RAX, X0, a0). */
    RET,
    /** Syscall arguments 0-5 (RDI RSI RDX R10 R8 R9 / X0-X5 / a0-a5). */
    ARG0, ARG1, ARG2, ARG3, ARG4, ARG5,
    /** Thread pointer (FS base, TPIDR_EL0, tp). */
    TLS,
    /**
     * The register the ELF entry point reads as the atexit function pointer (RDX on x86_64,
     * X0 on aarch64, a0 on riscv64); the loader sets it to 0.
     */
    ENTRY_FINI
}
