package dev.phoenix.emu.unicorn;

import dev.phoenix.emu.Unchecked;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Makes a stop asked for from another thread (uc_emu_stop: a signal for a process that spins
 * without syscalls) take effect between two instructions, with the PC of the next one. Two
 * things in Unicorn 2.1.1 stand in the way.
 *
 * <p><b>Exit checks inside blocks.</b> Translated code looks at the exit request after every
 * guest load and store ({@code check_exit_request}, tcg-op.c), besides QEMU's own look at the
 * start of each block. A stop taken after a store leaves the block mid-way with its first part
 * done, yet resumes at the block's start, so that part runs twice: a busybox sh spinning in
 * {@code while :; do :; done} while another process sent it caught signals crashed 1 run in 2.
 * Unicorn has a switch that leaves these checks out of the code it translates,
 * {@code uc->no_exit_request} (for ARM's IT blocks); with it set, a stop is taken only at a
 * block's start, before the block has done anything. The checks stay in for a counted run
 * (uc_emu_start with a count: a deterministic slice, or one instruction run again to locate a
 * fault), whose count hook stops before the instruction past the budget through the check that
 * follows it. Translated code keeps the setting it was translated with, so the checks go out
 * when the engine is made, before it has translated anything, and only an engine whose runs are
 * counted from the start (a deterministic run, {@link dev.phoenix.emu.Cpu#countedRuns}) keeps
 * them; an engine that runs counted after all drops its translated code, which costs a memset
 * of Unicorn's whole code buffer (1 GiB: it becomes resident).
 *
 * <p><b>The PC of a block's start.</b> A stop taken at a block's start puts the PC back to that
 * block's address, unless a code hook exists ({@code cpu_tb_exec}: Unicorn then assumes the
 * hooks keep the PC), and on x86_64 one does wherever the code holds stmxcsr or ldmxcsr
 * ({@link MxcsrFlags}: most glibc programs). The PC is then where the last hooked instruction or
 * taken branch left it, a stale one. So a stop from another thread hides the code hooks (the
 * head of their list reads empty) until the run has returned; a hooked instruction in that
 * window runs without its hook. Code translated meanwhile would lack its hooks for good; a
 * stop is taken before the next block runs, so that is at most the block stopped before, whose
 * translation is dropped (uc_ctl's UC_CTL_TB_REMOVE_CACHE at the PC). Stops from another thread
 * are rare: a process without the preemption switch that made no syscall for 50 ms.
 *
 * <p>Both are fields of {@code struct uc_struct} (uc_priv.h), which Unicorn does not export:
 * they are found from a run of fields of known values (the target's page size and mask, then
 * the host's page size twice), checked against more ({@code use_exits}, which
 * {@link MemoryFaults} set, {@code init_done}, the lists of the hook kinds the engine has and
 * has not). A library whose layout differs keeps Unicorn's behaviour, as before.
 */
final class ExactStops {
    /** How far into the engine's struct the fields are looked for (they sit about 2 KiB in). */
    private static final int SCAN_LIMIT = 8192;
    /**
     * Offsets from target_page_size: no_exit_request after the host page sizes, the icache line
     * size, context_content, cpu_context_size, next_pc, hook_insert and first_tb; init_done
     * next; use_exits before the exits array (64 words) and the fields between; the hook lists
     * (struct list: head, tail, delete_fn) before hooks_to_del, hooks_count[], count_hook,
     * emu_counter, emu_count and the fields up to use_exits.
     */
    private static final int NO_EXIT_REQUEST = 50, INIT_DONE = 51, USE_EXITS = -556, HOOK_LISTS = -1152, LIST = 24;
    /** uc_hook_idx values (uc_priv.h). */
    private static final int INTR = 0, CODE = 2, EDGE_GENERATED = 15, TCG_OPCODE = 16, TLB_FILL = 17;

    private final long uc;
    /** The no_exit_request switch and the head of the code hooks' list, or null when not found. */
    private final MemorySegment noExitRequest, codeHooks;
    /** Whether code translated from now on checks for exits inside blocks. */
    private boolean checking;
    /** @GuardedBy("this") The engine is inside uc_emu_start. */
    private boolean running;
    /** @GuardedBy("this") The code hooks' list head while it is hidden, else 0. */
    private long hiddenHead;

    /**
     * For engine {@code uc} with target page size {@code pageSize} and host page size
     * {@code hostPage}, whose runs are all counted when {@code counted}; make it once Unicorn has
     * initialised the engine (after its first map) and before it has translated any code.
     */
    ExactStops(long uc, long pageSize, long hostPage, boolean counted) {
        this.uc = uc;
        MemorySegment s = MemorySegment.ofAddress(uc).reinterpret(SCAN_LIMIT + 64);
        int at = locate(s, pageSize, hostPage);
        this.noExitRequest = at < 0 ? null : s.asSlice(at + NO_EXIT_REQUEST, 1);
        this.checking = counted || noExitRequest == null;
        if (!checking) {
            noExitRequest.set(ValueLayout.JAVA_BYTE, 0, (byte) 1); // nothing is translated yet
        }
        boolean lists = at >= 0 && head(s, at, INTR) != 0 && head(s, at, TLB_FILL) != 0
                && head(s, at, EDGE_GENERATED) == 0 && head(s, at, TCG_OPCODE) == 0;
        this.codeHooks = lists ? s.asSlice(at + HOOK_LISTS + CODE * LIST, 8) : null;
    }

    /** The offset of target_page_size in the struct, or -1. */
    private static int locate(MemorySegment s, long pageSize, long hostPage) {
        long host = Math.max(hostPage, pageSize); // qemu_host_page_size is at least the target's
        // target_page_size follows a pointer, so it is 8-aligned; the hook lists lie before it
        for (int o = -HOOK_LISTS; o + 64 <= SCAN_LIMIT; o += 8) {
            if (s.get(ValueLayout.JAVA_INT, o) == (int) pageSize
                    && s.get(ValueLayout.JAVA_INT, o + 4) == (int) pageSize - 1
                    && s.get(ValueLayout.JAVA_LONG, o + 8) == host
                    && s.get(ValueLayout.JAVA_LONG, o + 16) == hostPage
                    && s.get(ValueLayout.JAVA_INT, o + USE_EXITS) == 1
                    && s.get(ValueLayout.JAVA_BYTE, o + INIT_DONE) == 1
                    && s.get(ValueLayout.JAVA_BYTE, o + NO_EXIT_REQUEST) == 0) {
                return o;
            }
        }
        return -1;
    }

    private static long head(MemorySegment s, int at, int kind) {
        return s.get(ValueLayout.JAVA_LONG, at + HOOK_LISTS + (long) kind * LIST);
    }

    /**
     * Before a run with instruction budget {@code count} (0: none): the checks go out for an
     * uncounted run and back in for a counted one, and the translated code goes when they change.
     */
    void beforeRun(long count) {
        boolean want = count > 0;
        if (noExitRequest != null && want != checking) {
            checking = want;
            noExitRequest.set(ValueLayout.JAVA_BYTE, 0, (byte) (want ? 0 : 1));
            flushTranslations();
        }
        synchronized (this) {
            restoreHooks();
            running = true;
        }
    }

    /**
     * After a run: the code hooks come back if a stop hid them. True when they did: then the
     * caller drops the translation of the block the run stopped before (at the PC), which may
     * have been made without them.
     */
    synchronized boolean afterRun() {
        running = false;
        return restoreHooks();
    }

    /** Before the engine's thread adds or deletes a hook: the list must be whole. */
    synchronized void beforeHookChange() {
        restoreHooks();
    }

    /**
     * Another thread stops the running engine with {@code emuStop} (uc_emu_stop): in an
     * uncounted run the code hooks are hidden first, so the block the stop is taken before
     * gets its PC back.
     */
    synchronized void stopFromOtherThread(Runnable emuStop) {
        if (running && !checking && codeHooks != null && hiddenHead == 0) {
            hiddenHead = codeHooks.get(ValueLayout.JAVA_LONG, 0);
            codeHooks.set(ValueLayout.JAVA_LONG, 0, 0L);
        }
        emuStop.run();
    }

    /** @GuardedBy("this") Puts back the code hooks a stop hid; true when it did. */
    private boolean restoreHooks() {
        if (hiddenHead == 0) {
            return false;
        }
        codeHooks.set(ValueLayout.JAVA_LONG, 0, hiddenHead);
        hiddenHead = 0;
        return true;
    }

    private void flushTranslations() {
        try {
            Unicorn.check(Unicorn.ctl(uc, Unicorn.CTL_TB_FLUSH_WRITE, 0), "uc_ctl(tb flush)");
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }
}
