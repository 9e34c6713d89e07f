package dev.phoenix.libos.cap;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A capability to a run of contiguous, page-aligned host memory frames, handed out by
 * {@link FrameAllocator}. Holders bind it into address spaces; it is freed when its last
 * holder releases it. After that, {@link #segment()} refuses: a revoked capability grants nothing.
 */
public final class Frames {
    private final FrameAllocator owner;
    private final MemorySegment segment;
    private final Arena fileMapping;
    /** Anonymous memory the allocator counts, not a file's pages. */
    private final boolean counted;
    /** Holders: mappings of one or several address spaces (fork shares frames), on any host thread. */
    private final java.util.concurrent.atomic.AtomicInteger holders = new java.util.concurrent.atomic.AtomicInteger(1);

    /** The memfd of shared frames ({@link FrameAllocator#shared}), else -1; and their id there. */
    private final int hostFd;
    private final long sharedId;

    Frames(FrameAllocator owner, MemorySegment segment, Arena fileMapping, boolean counted, int hostFd, long sharedId) {
        this.owner = owner;
        this.segment = segment;
        this.fileMapping = fileMapping;
        this.counted = counted;
        this.hostFd = hostFd;
        this.sharedId = sharedId;
    }

    /** The host memfd of shared frames, -1 for others. */
    int hostFd() {
        return hostFd;
    }

    long sharedId() {
        return sharedId;
    }

    /** The frames' bytes; throws if the capability was revoked. */
    public MemorySegment segment() {
        if (holders.get() <= 0) {
            throw new IllegalStateException("use of revoked frame capability");
        }
        return segment;
    }

    /** Holders now (mappings in every address space that binds these frames). */
    public int holders() {
        return holders.get();
    }

    /**
     * True for anonymous memory, whose pages the host has never touched read as zero; false for
     * a file's pages (shared or private), which read as the file whether touched or not.
     */
    public boolean anonymous() {
        return counted;
    }

    /** Number of 4 KiB pages. */
    public long pages() {
        return segment.byteSize() / FrameAllocator.PAGE_SIZE;
    }

    /** Adds a holder (a mapping split in two holds the frames twice). */
    public Frames retain() {
        if (holders.getAndIncrement() <= 0) {
            throw new IllegalStateException("use of revoked frame capability");
        }
        return this;
    }

    /** Drops a holder; the last one returns the frames to the allocator. */
    public void release() {
        int left = holders.decrementAndGet();
        if (left < 0) {
            throw new IllegalStateException("frame capability released twice");
        }
        if (left == 0) {
            owner.free(segment, fileMapping, counted, hostFd, sharedId);
        }
    }
}
