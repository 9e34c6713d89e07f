package dev.phoenix.abi.syscall;

/**
 * One syscall's implementation: returns the result or -errno, or throws
 * {@link dev.phoenix.libos.Errno}. Arch-neutral: arguments arrive already taken from the arch's
 * registers.
 */
@FunctionalInterface
public interface SyscallHandler {
    long handle(SyscallContext c, long a0, long a1, long a2, long a3, long a4, long a5);
}
