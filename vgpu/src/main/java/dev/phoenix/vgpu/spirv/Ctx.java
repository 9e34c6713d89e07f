package dev.phoenix.vgpu.spirv;

import dev.phoenix.vgpu.Watchdog;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * What the compiled code of one host thread reads while it runs workgroups: the bound buffers,
 * the push constants and the workgroup's shared memory as memory segments, the workgroup's id and
 * the grid size, and the per-invocation spill arrays that carry locals across a barrier. The
 * generated class reads these public fields directly.
 */
public final class Ctx {
    public final MemorySegment[] bufs;
    public final MemorySegment push;
    public final MemorySegment shared;
    public int wx, wy, wz;
    public final int nx, ny, nz;
    /** Per local invocation: the resume point (0 at start, -1 when finished) and saved locals. */
    public final int[] state;
    public final long[][] spill;
    private final Watchdog cancelled;
    private final Stop stop;
    private int ticks;

    /** Set by the first thread that sees the cancellation, so the others stop at their next check. */
    static final class Stop {
        volatile boolean stopped;
    }

    /** Thrown through the generated code when the dispatch is cancelled. */
    static final class Cancelled extends RuntimeException {
        Cancelled() {
            super(null, null, false, false);
        }
    }

    Ctx(MemorySegment[] bufs, MemorySegment push, long sharedBytes, int nx, int ny, int nz, int invocations,
            int spillSlots, Watchdog cancelled, Stop stop) {
        this.bufs = bufs;
        this.push = push;
        // Native like the buffers, so the accessors in Rt only ever see one kind of segment and the
        // JIT compiles them for it alone (a heap segment here made every access a two-way dispatch).
        this.shared = Arena.ofAuto().allocate((sharedBytes + 7) & ~7L, 8);
        this.nx = nx;
        this.ny = ny;
        this.nz = nz;
        this.state = new int[invocations];
        this.spill = spillSlots > 0 ? new long[invocations][spillSlots] : null;
        this.cancelled = cancelled;
        this.stop = stop;
    }

    /** Called at every loop header: every 4096 iterations, asks whether the dispatch was cancelled. */
    public void tick() {
        if ((++ticks & 4095) == 0) check();
    }

    /** Throws {@link Cancelled} when the dispatch was cancelled (by this thread's view or another's). */
    void check() {
        if (stop.stopped) throw new Cancelled();
        if (cancelled != null && cancelled.expired()) {
            stop.stopped = true;
            throw new Cancelled();
        }
    }

    /** Clears the state of the local invocations and shared memory for a new workgroup. */
    void reset() {
        java.util.Arrays.fill(state, 0);
        if (spill != null) {
            for (long[] s : spill) java.util.Arrays.fill(s, 0);
        }
        shared.fill((byte) 0);
    }
}
