package dev.phoenix.libos.cap;

import dev.phoenix.emu.host.HostOs;
import java.lang.foreign.MemorySegment;

/**
 * The exokernel's page allocator ({@code exo_alloc_page} in the roadmap): hands out
 * {@link Frames} capabilities backed by host anonymous memory, and accounts for them so that a
 * limit (a cgroup, later) can refuse an allocation.
 */
public final class FrameAllocator {
    public static final long PAGE_SIZE = 4096;

    private final long limitPages;
    private long allocatedPages;
    private long peakPages;

    /** An allocator that refuses to hold more than {@code limitPages} pages at once. */
    public FrameAllocator(long limitPages) {
        this.limitPages = limitPages;
    }

    /** Allocates zeroed frames for {@code length} bytes (rounded up to pages), or null when over the limit. */
    public Frames allocate(long length) {
        long pages = (length + PAGE_SIZE - 1) / PAGE_SIZE;
        if (pages <= 0 || allocatedPages + pages > limitPages) {
            return null;
        }
        MemorySegment seg = HostOs.allocatePages(pages * PAGE_SIZE);
        allocatedPages += pages;
        peakPages = Math.max(peakPages, allocatedPages);
        return new Frames(this, seg);
    }

    void free(Frames frames, MemorySegment segment) {
        allocatedPages -= segment.byteSize() / PAGE_SIZE;
        HostOs.freePages(segment);
    }

    /** Pages currently handed out. */
    public long allocatedPages() {
        return allocatedPages;
    }

    /** Most pages ever handed out at once. */
    public long peakPages() {
        return peakPages;
    }
}
