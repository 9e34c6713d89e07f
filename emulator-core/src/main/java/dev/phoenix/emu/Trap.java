package dev.phoenix.emu;

/** Why a guest stopped running: an arch-neutral account of the engine's exceptions. */
public enum Trap {
    /** The trap handler asked the CPU to stop (exit, a pending signal, a scheduling point). */
    STOP_REQUESTED,
    /** A load from an address with no mapping. */
    READ_UNMAPPED,
    /** A store to an address with no mapping. */
    WRITE_UNMAPPED,
    /** An instruction fetch from an address with no mapping. */
    FETCH_UNMAPPED,
    /** A load from a mapping without PROT_READ. */
    READ_PROT,
    /** A store to a mapping without PROT_WRITE. */
    WRITE_PROT,
    /** An instruction fetch from a mapping without PROT_EXEC. */
    FETCH_PROT,
    /** An undefined or privileged instruction. */
    ILLEGAL_INSTRUCTION,
    /** A breakpoint instruction (int3, brk, ebreak). */
    BREAKPOINT,
    /** Integer division by zero or overflow (x86 #DE). */
    DIVIDE_ERROR,
    /** A misaligned access the arch refuses. */
    MISALIGNED,
    /** x86 general protection fault (for example a non-canonical address). */
    GENERAL_PROTECTION,
    /** Any other engine exception; {@link CpuExit#detail()} has the engine's number. */
    OTHER;

    /** True when this trap is a memory access fault with a meaningful address. */
    public boolean isMemoryFault() {
        return ordinal() >= READ_UNMAPPED.ordinal() && ordinal() <= FETCH_PROT.ordinal();
    }
}
