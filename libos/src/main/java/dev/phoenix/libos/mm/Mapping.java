package dev.phoenix.libos.mm;

import dev.phoenix.libos.cap.Frames;
import java.lang.foreign.MemorySegment;

/**
 * One VMA: guest pages {@code [start, end)} bound to {@code frames} from byte
 * {@code frameOffset}, with protections and a name for /proc/PID/maps ("[heap]", "[stack]").
 */
final class Mapping {
    final long start;
    final long end;
    int prot;
    final Frames frames;
    final long frameOffset;
    final String name;

    Mapping(long start, long end, int prot, Frames frames, long frameOffset, String name) {
        this.start = start;
        this.end = end;
        this.prot = prot;
        this.frames = frames;
        this.frameOffset = frameOffset;
        this.name = name;
    }

    /** The host bytes behind this mapping. */
    MemorySegment segment() {
        return frames.segment().asSlice(frameOffset, end - start);
    }

    /** The part of this mapping in {@code [from, to)}, sharing its frames (the caller retains them). */
    Mapping slice(long from, long to) {
        return new Mapping(from, to, prot, frames, frameOffset + (from - start), name);
    }
}
