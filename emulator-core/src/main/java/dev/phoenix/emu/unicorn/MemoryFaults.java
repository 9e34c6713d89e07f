package dev.phoenix.emu.unicorn;

import dev.phoenix.emu.FaultResolver;
import dev.phoenix.emu.NativeWords;
import dev.phoenix.emu.Prot;
import dev.phoenix.emu.Trap;
import dev.phoenix.emu.Unchecked;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.LongConsumer;

/**
 * Makes an engine's memory faults precise: the guest's PC and registers at the faulting
 * instruction, and the exact address it touched.
 *
 * <p>Why not Unicorn's own checks: its invalid-memory hooks run after the translated block has
 * lost track of which instruction it is in, and the engine then longjmps out without restoring
 * the state (cputlb.c calls {@code cpu_loop_exit}, not {@code cpu_loop_exit_restore}). PC keeps
 * whatever the code last stored there, often the start of an earlier block chained to this one,
 * and x86's lazily computed flags are not settled; a signal handler that returned would run the
 * block's earlier instructions again. So the engine runs with {@code UC_TLB_VIRTUAL}, and the
 * TLB fill hook ({@link #fill}) answers from {@link PageProtections}: a page it refuses becomes a
 * page fault that QEMU raises with {@code cpu_loop_exit_restore}, which puts PC and every
 * register back at the faulting instruction. The hook runs only when the software TLB misses,
 * not on every access. It is told only the page, so {@link #locate} finds the address.
 */
final class MemoryFaults {
    /** Fills between the flushes that let QEMU grow its TLB; see {@link #fill}. */
    private static final int FILLS_BEFORE_FLUSH = 8192;
    private static final long NO_REPLAY = -1;
    /** All of memory, for writing the TLB entry Unicorn hands the fill hook. */
    private static final MemorySegment NATIVE = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private final long uc;
    /** The engine's page size: TLB fills come a page at a time (aarch64's is 1 KiB). */
    private final long pageSize;
    private final PageProtections protections = new PageProtections();
    private final MemorySegment word;

    /** True inside a Unicorn call that changes the memory map; set when a TLB fill came meanwhile. */
    private boolean changingMap;
    private boolean filledWhileChanging;
    private int fillsSinceFlush;
    /** The kind and page of the last access {@link #fill} refused: the page fault it raised. */
    private Trap refused;
    private long refusedPage;
    /** While {@link #locate} runs a faulting access again: its page, the hole it goes to, what it found. */
    private long replayPage = NO_REPLAY;
    private long replayHole;
    private long replayAddress;
    private long replayContext;

    /** Switches engine {@code uc} to the virtual TLB; {@code arena} holds a scratch word. */
    MemoryFaults(long uc, Arena arena) {
        this.uc = uc;
        this.word = arena.allocate(ValueLayout.JAVA_LONG);
        ctl(Unicorn.CTL_TLB_TYPE_WRITE, Unicorn.TLB_VIRTUAL, "uc_ctl(tlb type)");
        // Exits instead of uc_emu_start's until, and none: at the end of every run Unicorn would
        // otherwise look up the code at until - 1 through the TLB, a fetch from the top page that
        // the fill hook refuses, which leaves the engine's error set.
        ctl(Unicorn.CTL_USE_EXITS_WRITE, 1, "uc_ctl(use exits)");
        word.set(ValueLayout.JAVA_LONG, 0, 0);
        ctl(Unicorn.CTL_PAGE_SIZE_READ, word.address(), "uc_ctl(page size)");
        this.pageSize = word.get(ValueLayout.JAVA_INT, 0) & 0xffffffffL;
    }

    private void ctl(int control, long arg, String what) {
        try {
            Unicorn.check(Unicorn.ctl(uc, control, arg), what);
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    /** Drops every TLB entry, so the fill hook is asked again. */
    private void flushTlb() {
        ctl(Unicorn.CTL_TLB_FLUSH_WRITE, 0, "uc_ctl(tlb flush)");
    }

    /**
     * Called before a Unicorn call that changes the memory map. Unicorn finds the translated code
     * of a range it unmaps by looking the range up as an instruction fetch through the TLB
     * ({@code uc_invalidate_tb}), which asks the fill hook. A refusal there would leave the
     * engine's error set (and 2.1.1 then fails every later {@code uc_mem_map_ptr} of the run:
     * {@code qemu_ram_alloc_from_ptr} clears {@code invalid_addr} where it means
     * {@code invalid_error}) and a stop requested, so while the map changes the hook lets every
     * lookup through, and {@link #endMapChange} flushes what it let in.
     */
    void beginMapChange() {
        changingMap = true;
    }

    void endMapChange() {
        changingMap = false;
        if (filledWhileChanging) {
            filledWhileChanging = false;
            flushTlb();
        }
    }

    /** Run every {@link #writeFillsPerObservation} fills for a store; null for none. */
    private Runnable writeFillObserver;
    private int writeFillsPerObservation = Integer.MAX_VALUE;
    private int writeFills;

    /** See {@link dev.phoenix.emu.Cpu#setWriteFillObserver}. */
    void observeWriteFills(Runnable observer, int every) {
        writeFillObserver = observer;
        writeFillsPerObservation = Math.max(1, every);
        writeFills = 0;
    }

    /** Records that the engine now holds {@code [start, end)} with {@code prot} (or {@link PageProtections#UNMAPPED}). */
    void changed(long start, long end, int prot) {
        protections.set(start, end, prot);
    }

    /**
     * UC_HOOK_TLB_FILL: Unicorn asks for the translation of {@code page} for an access of
     * {@code type} (a uc_mem_type). Returns 1 (C true) with {@code entry} filled (identity, with
     * the page's protections), or 0 to raise the guest's page fault at the exact instruction. An
     * unmapped page is first offered to {@code resolver} (a growing stack), whose exceptions
     * propagate.
     */
    long fill(long page, int type, long entry, FaultResolver resolver) {
        if (changingMap) {
            filledWhileChanging = true;
            return fillEntry(entry, page, Prot.ALL);
        }
        int need = type == Unicorn.MEM_TYPE_WRITE ? Prot.WRITE : type == Unicorn.MEM_TYPE_FETCH ? Prot.EXEC : Prot.READ;
        int prot = protections.get(page);
        if (replayPage != NO_REPLAY) {
            if (page == replayPage && type != Unicorn.MEM_TYPE_FETCH) {
                // Data only: the instruction itself may sit on this page, and its fetch, which
                // misses on an entry without EXEC, is answered with the page itself.
                return fillEntry(entry, replayHole, Prot.READ | Prot.WRITE);
            }
            prot = prot == PageProtections.UNMAPPED ? prot : prot & ~Prot.WRITE;
            return prot != PageProtections.UNMAPPED && (prot & need) != 0 ? fillEntry(entry, page, prot) : 0;
        }
        if (++fillsSinceFlush >= FILLS_BEFORE_FLUSH) {
            // QEMU sizes its direct-mapped TLB only when it is flushed, doubling it when more
            // than 70% of it was in use. Nothing flushes it while a guest runs without changing
            // its memory map, so a working set that does not fit would miss, and come here, on
            // and on; a flush now and then lets it grow. QEMU allows a fill to resize the TLB.
            fillsSinceFlush = 0;
            flushTlb();
        }
        if (prot == PageProtections.UNMAPPED && resolver != null && resolver.resolve(page)) {
            prot = protections.get(page);
        }
        if (prot != PageProtections.UNMAPPED && (prot & need) != 0) {
            if (need == Prot.WRITE && writeFillObserver != null && ++writeFills >= writeFillsPerObservation) {
                writeFills = 0;
                writeFillObserver.run(); // may post a signal and ask for a stop: the store still runs
            }
            return fillEntry(entry, page, prot);
        }
        boolean mapped = prot != PageProtections.UNMAPPED;
        refused = switch (type) {
            case Unicorn.MEM_TYPE_WRITE -> mapped ? Trap.WRITE_PROT : Trap.WRITE_UNMAPPED;
            case Unicorn.MEM_TYPE_FETCH -> mapped ? Trap.FETCH_PROT : Trap.FETCH_UNMAPPED;
            default -> mapped ? Trap.READ_PROT : Trap.READ_UNMAPPED;
        };
        refusedPage = page;
        return 0;
    }

    private static long fillEntry(long entry, long physical, int prot) {
        NATIVE.set(ValueLayout.JAVA_LONG, entry + Unicorn.TLB_ENTRY_PADDR, physical);
        NATIVE.set(ValueLayout.JAVA_INT, entry + Unicorn.TLB_ENTRY_PERMS, prot); // Prot bits are uc_prot's
        return 1;
    }

    /** The engine's page size (uc_ctl's UC_CTL_UC_PAGE_SIZE: 1 KiB on aarch64, 4 KiB elsewhere). */
    long pageSize() {
        return pageSize;
    }

    /** Forgets the last refusal; call before each run. */
    void clearRefusal() {
        refused = null;
    }

    /** The fault the fill hook raised in the run that just ended, or null. */
    Trap refused() {
        return refused;
    }

    /** True while {@link #locate} runs an access again: the other hooks must stay out of it. */
    boolean replaying() {
        return replayPage != NO_REPLAY;
    }

    /**
     * Unicorn's own check found nothing at {@code address}. The fill hook refuses such accesses
     * first, so this happens only while {@link #locate} sends an access to its hole: returns
     * true when it did (the address is noted), false for an access the protections allow and
     * the engine refused, which would be an emulator bug.
     */
    boolean invalidAccess(long address) {
        if (replayPage == NO_REPLAY) {
            return false;
        }
        long offset = address - replayHole;
        // The first access to the hole is the one located: without Unicorn's exit checks inside
        // blocks (ExactStops) a refused store does not end the block, and a later access of the
        // same block may reach the hole too.
        if (offset >= 0 && offset < pageSize && replayAddress == -1) {
            replayAddress = replayPage + offset;
        }
        return true;
    }

    /**
     * The exact address of the refused access of the instruction at {@code pc}, which the fill
     * hook knew only by its page. A fetch faults at PC, unless the instruction there runs on
     * into the refused page. A data access: the instruction runs once more ({@code rerun} starts
     * the engine at a PC), from the state the fault left, with the page sent to a hole (a page
     * nothing is mapped at), where Unicorn's invalid-memory hook sees the address, offset and
     * all ({@link #invalidAccess}), and refuses it. Nothing else changes: every other page is
     * read-only meanwhile, so an access that crosses into the page writes nothing before it; the
     * registers are saved and restored; the TLB is flushed before and after. When the re-run
     * does not reach the page (a store to another page came first), the access began at the
     * page's first byte.
     */
    long locate(long pc, LongConsumer rerun) {
        long page = refusedPage;
        if (refused == Trap.FETCH_UNMAPPED || refused == Trap.FETCH_PROT) {
            return (pc & -pageSize) == page ? pc : page;
        }
        long hole = protections.lowestUnmapped();
        if (hole == -1) {
            return page;
        }
        try {
            if (replayContext == 0) {
                Unicorn.check(NativeWords.call(Unicorn.CONTEXT_ALLOC, uc, word.address()), "uc_context_alloc");
                replayContext = word.get(ValueLayout.JAVA_LONG, 0);
            }
            Unicorn.check(NativeWords.call(Unicorn.CONTEXT_SAVE, uc, replayContext), "uc_context_save");
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
        flushTlb();
        replayPage = page;
        replayHole = hole;
        replayAddress = -1;
        try {
            rerun.accept(pc);
        } finally {
            replayPage = NO_REPLAY;
            try {
                Unicorn.check(NativeWords.call(Unicorn.CONTEXT_RESTORE, uc, replayContext), "uc_context_restore");
            } catch (Throwable t) {
                throw Unchecked.of(t);
            }
            flushTlb();
        }
        return replayAddress != -1 ? replayAddress : page;
    }

    /** Frees the saved context; the engine closes after. */
    void close() {
        if (replayContext != 0) {
            try {
                long ignored = NativeWords.call(Unicorn.CONTEXT_FREE, replayContext);
            } catch (Throwable t) {
                throw Unchecked.of(t);
            }
            replayContext = 0;
        }
    }
}
