package dev.phoenix.libos.cap;

import dev.phoenix.emu.host.HostOs;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

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
    /** Whether {@link #allocate} gives memory a helper process can map (see {@link #shared}). */
    private final boolean shared;
    private long allocatedPages;
    private long peakPages;
    /** Shared frames alive, by host address (see {@link #hostFile}). */
    private final ConcurrentSkipListMap<Long, Frames> sharedFrames = new ConcurrentSkipListMap<>();
    private final AtomicLong nextSharedId = new AtomicLong();
    /** Told the id of each shared run of frames as it is freed. */
    private volatile LongConsumer sharedFreed = id -> { };

    /** An allocator that refuses to hold more than {@code limitPages} pages at once. */
    public FrameAllocator(long limitPages) {
        this(limitPages, false);
    }

    private FrameAllocator(long limitPages, boolean shared) {
        this.limitPages = limitPages;
        this.shared = shared;
    }

    /**
     * An allocator whose frames are host shared memory (a memfd each), which a helper process of
     * Phoenix's, such as the vGPU's render server, maps by {@link #hostFile}: a device's
     * memory, seen by the guest and by the device without copies.
     */
    public static FrameAllocator shared(long limitPages) {
        return new FrameAllocator(limitPages, true);
    }

    /** Allocates zeroed frames for {@code length} bytes (rounded up to pages), or null when over the limit. */
    public synchronized Frames allocate(long length) {
        long pages = (length + PAGE_SIZE - 1) / PAGE_SIZE;
        if (pages <= 0 || allocatedPages + pages > limitPages) {
            return null;
        }
        Frames f;
        if (shared) {
            HostOs.SharedPages sp = HostOs.allocateSharedPages("phoenix-frames", pages * PAGE_SIZE);
            if (sp == null) {
                return null;
            }
            f = new Frames(this, sp.pages(), null, true, sp.fd(), nextSharedId.incrementAndGet());
            sharedFrames.put(sp.pages().address(), f);
        } else {
            f = new Frames(this, HostOs.allocatePages(pages * PAGE_SIZE), null, true, -1, 0);
        }
        allocatedPages += pages;
        peakPages = Math.max(peakPages, allocatedPages);
        return f;
    }

    /**
     * Where host memory {@code bytes} lies in shared frames of this allocator: the memfd, an id
     * unique to those frames for the allocator's life, and the offset of {@code bytes} in them;
     * null when {@code bytes} is not wholly inside one live run of shared frames.
     */
    public HostFile hostFile(MemorySegment bytes) {
        var e = sharedFrames.floorEntry(bytes.address());
        if (e == null) {
            return null;
        }
        Frames f = e.getValue();
        long offset = bytes.address() - e.getKey();
        if (offset + bytes.byteSize() > f.pages() * PAGE_SIZE) {
            return null;
        }
        return new HostFile(f.hostFd(), f.sharedId(), offset, f.pages() * PAGE_SIZE);
    }

    /** A place in shared frames: {@code fd} holds {@code size} bytes, the place starts at {@code offset}. */
    public record HostFile(int fd, long id, long offset, long size) { }

    /** Sets what is told the id of shared frames as they are freed (a helper process unmaps them). */
    public void onSharedFreed(LongConsumer listener) {
        sharedFreed = listener;
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
            return new Frames(this, MemorySegment.ofAddress(file.address()).reinterpret(pages * PAGE_SIZE), arena, false, -1, 0);
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
        return seg == null ? null : new Frames(this, seg, null, false, -1, 0);
    }

    synchronized void free(MemorySegment segment, Arena fileMapping, boolean counted, int hostFd, long sharedId) {
        if (hostFd >= 0) {
            sharedFrames.remove(segment.address());
            sharedFreed.accept(sharedId);
        }
        if (fileMapping != null) {
            fileMapping.close(); // munmap
            return;
        }
        if (counted) {
            allocatedPages -= segment.byteSize() / PAGE_SIZE;
        }
        HostOs.freePages(segment);
        if (hostFd >= 0) {
            HostOs.close(hostFd);
        }
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
