package dev.phoenix.libos.mm;

import dev.phoenix.libos.cap.Frames;
import java.lang.foreign.MemorySegment;

/**
 * One VMA: guest pages {@code [start, end)} bound to {@code frames} from byte
 * {@code frameOffset} (or, for an I/O mapping, to no frames), with protections and a name for
 * /proc/PID/maps ("[heap]", "[stack]").
 */
final class Mapping {
    final long start;
    final long end;
    int prot;
    final Frames frames;
    final long frameOffset;
    final String name;
    /** MAP_GROWSDOWN (the stack): a fault just below extends the mapping down. */
    boolean growsDown;

    Mapping(long start, long end, int prot, Frames frames, long frameOffset, String name) {
        this.start = start;
        this.end = end;
        this.prot = prot;
        this.frames = frames;
        this.frameOffset = frameOffset;
        this.name = name;
    }

    /** The host bytes behind this mapping; EFAULT for an I/O mapping, which has none. */
    MemorySegment segment() {
        if (frames == null) {
            throw dev.phoenix.libos.Errno.of(dev.phoenix.libos.Errno.EFAULT);
        }
        return frames.segment().asSlice(frameOffset, end - start);
    }

    /** True for a page range the kernel answers (vvar), with no frames behind it. */
    boolean isIo() {
        return frames == null;
    }

    /** Takes one more hold on the frames, for a new holder made by a split. */
    void hold() {
        if (frames != null) {
            frames.retain();
        }
    }

    /** Gives up this holder's hold on the frames. */
    void drop() {
        if (frames != null) {
            frames.release();
        }
    }

    /** The part of this mapping in {@code [from, to)}, sharing its frames (the caller retains them). */
    Mapping slice(long from, long to) {
        Mapping m = new Mapping(from, to, prot, frames, frameOffset + (from - start), name);
        m.growsDown = growsDown;
        return m;
    }
}
