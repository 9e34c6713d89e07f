package dev.phoenix.emu;

/**
 * How one {@link Cpu#run} call ended.
 *
 * @param trap why the guest stopped
 * @param pc guest program counter at the stop (the faulting instruction for faults)
 * @param address the faulting data address for memory faults, else 0
 * @param detail engine-specific detail (an exception number), for error messages
 */
public record CpuExit(Trap trap, long pc, long address, long detail) {
    @Override
    public String toString() {
        return trap + " at pc 0x" + Long.toHexString(pc)
                + (trap.isMemoryFault() ? " address 0x" + Long.toHexString(address) : "");
    }
}
