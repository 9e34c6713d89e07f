package dev.phoenix.libos.cap;

import dev.phoenix.emu.host.HostOs;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;

/**
 * The exokernel's page allocator ({@code exo_alloc_page} in the roadmap): hands out
 * {@link Frames} capabilities backed by host anonymous memory, and accounts for them so that a
 * limit (a cgroup, later) can refuse an allocation.
 */
/*
 * Thread-safe: a forked child's address space allocates from its parent's allocator, and the two
 * run on their own host threads.
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
    public synchronized Frames allocate(long length) {
        long pages = (length + PAGE_SIZE - 1) / PAGE_SIZE;
        if (pages <= 0 || allocatedPages + pages > limitPages) {
            return null;
        }
        MemorySegment seg = HostOs.allocatePages(pages * PAGE_SIZE);
        allocatedPages += pages;
        peakPages = Math.max(peakPages, allocatedPages);
        return new Frames(this, seg, null, true);
    }

    /**
     * Frames that are the host's page cache for {@code [offset, offset+length)} of a file
     * ({@code mmap(MAP_SHARED)} on the host), so writes through them reach the file and the
     * file's changes show in them. {@code length} must not reach past the end of the file (the
     * host would extend a writable file, and faults on pages past it); the frames cover it
     * rounded up to whole pages. They are the file's, not anonymous memory: not counted.
     */
    public Frames mapFile(FileChannel channel, long offset, long length, boolean writable) throws IOException {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment file = channel.map(writable ? FileChannel.MapMode.READ_WRITE : FileChannel.MapMode.READ_ONLY,
                    offset, length, arena);
            long pages = (length + PAGE_SIZE - 1) / PAGE_SIZE;
            return new Frames(this, MemorySegment.ofAddress(file.address()).reinterpret(pages * PAGE_SIZE), arena, false);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Frames that are a private copy-on-write mapping of {@code [offset, offset+length)} of host
     * file descriptor {@code fd} ({@code mmap(MAP_PRIVATE)} on the host): until written, the
     * host's page cache, shared by every process that maps the file (shared libraries, program
     * text); a written page becomes the writer's own copy, made by the host. {@code length} must
     * not reach past the end of the file. Not counted: they are the file's pages. Null when the
     * host refuses.
     */
    public Frames mapFilePrivate(int fd, long offset, long length) {
        MemorySegment seg = HostOs.mapPrivate(fd, offset, length);
        return seg == null ? null : new Frames(this, seg, null, false);
    }

    synchronized void free(MemorySegment segment, Arena fileMapping, boolean counted) {
        if (fileMapping != null) {
            fileMapping.close(); // munmap
            return;
        }
        if (counted) {
            allocatedPages -= segment.byteSize() / PAGE_SIZE;
        }
        HostOs.freePages(segment);
    }

    /** The most pages held at once. */
    public long limitPages() {
        return limitPages;
    }

    /** Pages currently handed out. */
    public synchronized long allocatedPages() {
        return allocatedPages;
    }

    /** Most pages ever handed out at once. */
    public synchronized long peakPages() {
        return peakPages;
    }
}
