package dev.phoenix.emu;

/**
 * How one {@link Cpu#run} call ended.
 *
 * @param trap why the guest stopped
 * @param pc guest program counter at the stop (the faulting instruction for faults)
 * @param address the faulting data address for memory faults, else 0
 * @param detail engine-specific detail (an exception number), for error messages
 * @param pcExact false when {@code pc} is only the start of the translated block that faulted
 *     (Unicorn's aarch64 and riscv64 memory faults), not the faulting instruction itself
 */
public record CpuExit(Trap trap, long pc, long address, long detail, boolean pcExact) {
    @Override
    public String toString() {
        return trap + " at pc 0x" + Long.toHexString(pc)
                + (trap.isMemoryFault() ? " address 0x" + Long.toHexString(address) : "");
    }
}
