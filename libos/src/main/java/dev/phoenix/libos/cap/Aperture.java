package dev.phoenix.libos.cap;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A device's address space, a GART: a window {@code [base, base+size)} of 4 KiB pages in which
 * {@link Frames} are bound at device addresses ({@code exo_bind_block} in the roadmap), and the
 * translation of a device address back to the bytes, as a GPU's MMU does it. A bound block holds
 * its frames (a capability hold, like a mapping's) until it is unbound; a job that uses a block
 * takes a {@link Hold} of its own, so unbinding while the job runs leaves the job its memory.
 *
 * <p>Placement is first fit from the bottom of the window, with at least one unbound guard page
 * after every block, so an access one past a block's last page never lands in its neighbour.
 */
/*
 * Thread-safe: the ioctls of a device's contexts and its worker threads run on different host
 * threads. Lock order: the aperture's lock, then a frame capability's count (atomic); frames are
 * released with no lock held, as their last release takes the allocator's lock.
 */
public final class Aperture {
    private static final long PAGE = FrameAllocator.PAGE_SIZE;

    private final long base;
    private final long size;
    private final Object lock = new Object();
    /** The bound blocks by device address. @GuardedBy("lock") */
    private final TreeMap<Long, Block> blocks = new TreeMap<>();
    /** @GuardedBy("lock") */
    private long boundPages;

    /** A bound block: {@code length} bytes of {@code frames} at device address {@code address}. */
    private record Block(long address, long length, Frames frames) {
        long pages() {
            return pagesOf(length);
        }

        /** The first address past the block's last page. */
        long end() {
            return address + pages() * PAGE;
        }
    }

    /**
     * A job's hold on {@code [address, address+length)} of a bound block: the bytes stay valid
     * until {@link #release()}, whether or not the block is unbound meanwhile.
     */
    public static final class Hold {
        private final Frames frames;
        private final MemorySegment segment;
        private boolean released;

        private Hold(Frames frames, MemorySegment segment) {
            this.frames = frames;
            this.segment = segment;
        }

        /** The held bytes. */
        public MemorySegment segment() {
            synchronized (this) {
                if (released) {
                    throw new IllegalStateException("use of a released aperture hold");
                }
            }
            return segment;
        }

        /** Lets go of the frames; a second release is a bug and throws. */
        public void release() {
            synchronized (this) {
                if (released) {
                    throw new IllegalStateException("aperture hold released twice");
                }
                released = true;
            }
            frames.release();
        }
    }

    /**
     * A window of {@code size} bytes from device address {@code base}, both page-aligned,
     * {@code base} above 0 (so 0 is never a device address) and the window below 2^62 (so no sum
     * of an address in it and a length of it overflows).
     */
    public Aperture(long base, long size) {
        if (base <= 0 || size <= 0 || base % PAGE != 0 || size % PAGE != 0 || base > (1L << 62) - size) {
            throw new IllegalArgumentException("bad aperture window " + base + "+" + size);
        }
        this.base = base;
        this.size = size;
    }

    private static long pagesOf(long length) {
        return (length + PAGE - 1) / PAGE;
    }

    public long base() {
        return base;
    }

    public long size() {
        return size;
    }

    /**
     * exo_bind_block: binds the first {@code length} bytes of {@code frames} (at least 1, at most
     * the frames' own) at the lowest free page-aligned device address with a guard page after
     * each neighbour, holding the frames ({@link Frames#retain}) until {@link #unbind}. Returns
     * the address, or -1 when no gap in the window is big enough (nothing is held then).
     */
    public long bind(Frames frames, long length) {
        if (length <= 0 || length > frames.pages() * PAGE) {
            throw new IllegalArgumentException("bind of " + length + " bytes of " + frames.pages() + " pages");
        }
        long need = pagesOf(length) * PAGE;
        synchronized (lock) {
            long at = base;
            for (Block b : blocks.values()) {
                if (need <= b.address - PAGE - at) {
                    break; // fits before b, a guard page between
                }
                at = b.end() + PAGE;
            }
            if (need > base + size - at) {
                return -1;
            }
            blocks.put(at, new Block(at, length, frames.retain()));
            boundPages += need / PAGE;
            return at;
        }
    }

    /** Unbinds the block bound at {@code address} and drops its hold; false when no block starts there. */
    public boolean unbind(long address) {
        Block b;
        synchronized (lock) {
            b = blocks.remove(address);
            if (b == null) {
                return false;
            }
            boundPages -= b.pages();
        }
        b.frames.release();
        return true;
    }

    /** Unbinds every block (the device's context is gone); returns how many there were. */
    public int unbindAll() {
        List<Block> all;
        synchronized (lock) {
            all = new ArrayList<>(blocks.values());
            blocks.clear();
            boundPages = 0;
        }
        all.forEach(b -> b.frames.release());
        return all.size();
    }

    /** The block {@code [address, address+length)} lies in, or null. @GuardedBy("lock") */
    private Block find(long address, long length) {
        if (length < 0) {
            return null;
        }
        Map.Entry<Long, Block> e = blocks.floorEntry(address);
        if (e == null) {
            return null;
        }
        Block b = e.getValue();
        long offset = address - b.address; // >= 0: floorEntry; b.address > 0, so no overflow
        return offset <= b.length && length <= b.length - offset ? b : null;
    }

    /**
     * The translation: the bytes of {@code [address, address+length)} when that range lies within
     * one bound block's length (an empty range may sit at its end), else null, for any values.
     * The bytes are valid only while the block stays bound; a user across time takes a {@link #hold}.
     */
    public MemorySegment resolve(long address, long length) {
        synchronized (lock) {
            Block b = find(address, length);
            return b == null ? null : b.frames.segment().asSlice(address - b.address, length);
        }
    }

    /**
     * Resolves {@code [address, address+length)} as {@link #resolve} does and holds the block's
     * frames until the {@link Hold} is released; null when the range is not bound.
     */
    public Hold hold(long address, long length) {
        synchronized (lock) {
            Block b = find(address, length);
            if (b == null) {
                return null;
            }
            MemorySegment bytes = b.frames.segment().asSlice(address - b.address, length);
            return new Hold(b.frames.retain(), bytes);
        }
    }

    /** Blocks bound now. */
    public int boundBlocks() {
        synchronized (lock) {
            return blocks.size();
        }
    }

    /** Pages the bound blocks cover now (not counting guard pages). */
    public long boundPages() {
        synchronized (lock) {
            return boundPages;
        }
    }
}
