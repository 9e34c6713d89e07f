package dev.phoenix.emu;

import java.lang.foreign.MemorySegment;

/**
 * One emulated guest CPU with its physical memory map. Implementations wrap an engine (Unicorn
 * today, a pure-Java x86-64 engine later); nothing above {@code emulator-core} sees the engine.
 *
 * <p>A Cpu is confined to the thread that created it, except {@link #requestStop}, which any
 * thread may call (a watchdog preempting the guest).
 */
public interface Cpu extends AutoCloseable {
    /** The guest architecture. */
    Arch arch();

    /** Reads a register by role. */
    long get(Reg reg);

    /** Writes a register by role. */
    void set(Reg reg, long value);

    /**
     * Maps host memory {@code frames} at guest address {@code address} with protections
     * {@code prot} ({@link Prot}). Address and length are page aligned; the segment must stay
     * alive while mapped. Guest and host then share the bytes: no copies.
     */
    void map(long address, MemorySegment frames, int prot);

    /**
     * As {@link #map}, for fork: {@code frames} hold at {@code address} the same bytes that
     * engine {@code parent} has there, so what an engine derives from the code it maps may be
     * copied from {@code parent} instead of computed again.
     */
    default void mapForkOf(long address, MemorySegment frames, int prot, Cpu parent) {
        map(address, frames, prot);
    }

    /**
     * Maps an I/O page range at {@code address}: guest loads there are answered by
     * {@code reader}, stores are ignored. Address and size are page aligned.
     */
    void mapIo(long address, long size, IoReader reader);

    /** Reads every user-visible register (see {@link CpuContext} for the order). */
    CpuContext saveContext();

    /** Writes every register from {@code context}, as {@link #saveContext} produced it. */
    void restoreContext(CpuContext context);

    /**
     * A save area in the engine's own format for the whole CPU state of one guest thread, for
     * switching threads on this one engine (about 0.1 µs a switch); free it with
     * {@link #freeThreadContext}.
     */
    long newThreadContext();

    /** Saves the CPU state into {@code context} (from {@link #newThreadContext}). */
    void saveThreadContext(long context);

    /** Loads the CPU state saved in {@code context}. */
    void restoreThreadContext(long context);

    /** Frees a save area. */
    void freeThreadContext(long context);

    /** Unmaps {@code [address, address+length)}; may split earlier mappings. */
    void unmap(long address, long length);

    /** Changes the protections of {@code [address, address+length)}; may split earlier mappings. */
    void protect(long address, long length, int prot);

    /**
     * Reads guest memory through the engine's own map, for diagnostics (disassembly of a
     * faulting instruction). Returns the number of bytes read: fewer than asked when the range
     * leaves mapped memory.
     */
    int readForDiagnostics(long address, byte[] into);

    /** Sets the handler for guest system calls; must be set before {@link #run}. */
    void setTrapHandler(TrapHandler handler);

    /** Sets who may map memory on an access to an unmapped page before it faults, or null. */
    void setFaultResolver(FaultResolver resolver);

    /**
     * Sets {@code observer}, run on the engine's thread after every {@code every} TLB fills for
     * a store (a page the guest writes for the first time always takes one), so a memory cgroup
     * can measure what the guest has touched before it touches much more; null for none.
     */
    default void setWriteFillObserver(Runnable observer, int every) {
    }

    /** Sets a tracer called before every instruction, or null for none. */
    void setTracer(InstructionTracer tracer);

    /**
     * Runs the guest from its current PC until the handler requests a stop or the guest traps.
     * System calls are handled inside this call by the {@link TrapHandler}.
     */
    default CpuExit run() {
        return run(0);
    }

    /**
     * As {@link #run()}, but stops (as a requested stop) after at most {@code maxInstructions}
     * instructions when it is positive: a deterministic run measures time in instructions.
     */
    CpuExit run(long maxInstructions);

    /** Asks a running guest to stop at the next opportunity; safe from any thread. */
    void requestStop();

    /**
     * Makes {@link #requestStop} from other threads stop the guest only between basic blocks,
     * at some cost per block (a process with several threads needs it to preempt them safely).
     * Code translated before the call keeps running without the check: a guest that stays in
     * it is stopped only by {@link #stopNow}. Call between runs.
     */
    void enablePreemption();

    /**
     * Stops a running guest at once, from any thread, even inside code that
     * {@link #enablePreemption} does not cover: between two instructions, with the PC of the
     * next, unless the engine's runs are counted ({@link #countedRuns}), where it may run again
     * part of the block it left. The last resort of a caller whose {@link #requestStop} went
     * unanswered.
     */
    void stopNow();

    /**
     * Tells a new engine, before its first run, that its runs will be counted ({@link #run(long)}:
     * a deterministic run): it keeps what stops a counted run exactly at its budget, and
     * {@link #stopNow} becomes inexact.
     */
    void countedRuns();

    /** Releases the engine. Memory handed to {@link #map} is the caller's to free. */
    @Override
    void close();
}
