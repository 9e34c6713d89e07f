package dev.phoenix.emu;

/**
 * Receives the guest's system calls. Called on the thread that runs {@link Cpu#run}, from inside
 * the engine: it may read and write registers and memory and call {@link Cpu#requestStop}.
 */
@FunctionalInterface
public interface TrapHandler {
    /**
     * Handles one system call and returns the value for the return register: the result, or
     * -errno. The arguments are the arch's six syscall argument registers.
     */
    long syscall(Cpu cpu, long nr, long a0, long a1, long a2, long a3, long a4, long a5);
}
