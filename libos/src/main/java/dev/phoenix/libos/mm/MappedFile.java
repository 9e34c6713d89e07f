package dev.phoenix.libos.mm;

import dev.phoenix.libos.Errno;
import dev.phoenix.libos.cap.FrameAllocator;
import dev.phoenix.libos.cap.Frames;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * The file behind one MAP_SHARED mmap(2): its channel, kept open while any part of the mapping
 * remains (the guest may close its fd right after mmap), whether the mapping may ever be
 * writable (the fd was opened O_RDWR), and its identity for /proc/PID/maps.
 */
public final class MappedFile {
    private final FileChannel channel;
    private final boolean writable;
    private final Runnable lastRelease;
    final String name;
    final long dev;
    final long ino;
    /** Mappings of it, in every address space (fork shares them): retained and released from any host thread. */
    private final java.util.concurrent.atomic.AtomicInteger holders = new java.util.concurrent.atomic.AtomicInteger();

    /** {@code lastRelease} runs when the last mapping of this file is gone. */
    public MappedFile(FileChannel channel, boolean writable, String name, long dev, long ino, Runnable lastRelease) {
        this.channel = channel;
        this.writable = writable;
        this.name = name;
        this.dev = dev;
        this.ino = ino;
        this.lastRelease = lastRelease;
    }

    /** True when the mapping may be made writable (mprotect), as VM_MAYWRITE in Linux. */
    public boolean writable() {
        return writable;
    }

    /** The file's current size; 0 if the host cannot say. */
    long size() {
        try {
            return channel.size();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Host page-cache frames for {@code [offset, offset+length)}, which lies inside the file. */
    Frames map(FrameAllocator allocator, long offset, long length) {
        try {
            return allocator.mapFile(channel, offset, length, writable);
        } catch (IOException e) {
            throw Errno.of(Errno.ENOMEM);
        }
    }

    /** msync(2) with MS_SYNC: the file's data reaches the disk. */
    void sync() {
        try {
            channel.force(false);
        } catch (IOException e) {
            throw Errno.of(Errno.EIO);
        }
    }

    void retain() {
        holders.incrementAndGet();
    }

    void release() {
        if (holders.decrementAndGet() == 0) {
            lastRelease.run();
        }
    }
}
