package dev.phoenix.libos.mm;

import dev.phoenix.emu.Cpu;
import dev.phoenix.emu.IoReader;
import dev.phoenix.emu.Prot;
import dev.phoenix.emu.host.HostOs;
import java.lang.foreign.MemorySegment;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.cap.FrameAllocator;
import dev.phoenix.libos.cap.Frames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A process's guest virtual memory: a page-granular map of {@link Mapping}s, each binding frame
 * capabilities at guest addresses ({@code exo_bind_page} in the roadmap). Every change is made
 * to the CPU's map too, so the engine and the LibOS always agree on what is mapped.
 */
public final class AddressSpace {
    public static final long PAGE = FrameAllocator.PAGE_SIZE;
    /** Linux's default vm.mmap_min_addr: nothing is mapped below it, so NULL and its neighbours fault. */
    public static final long MMAP_MIN_ADDR = 65536;

    private final Cpu cpu;
    private final FrameAllocator allocator;
    private final TreeMap<Long, Mapping> mappings = new TreeMap<>();
    private final GuestMemory memory;
    private final long mmapTop;
    private final long mmapBottom;

    /**
     * An empty address space on {@code cpu}; {@link #findFree} places mappings top-down in
     * {@code [mmapBottom, mmapTop)}.
     */
    public AddressSpace(Cpu cpu, FrameAllocator allocator, long mmapBottom, long mmapTop) {
        this.cpu = cpu;
        this.allocator = allocator;
        this.mmapBottom = mmapBottom;
        this.mmapTop = mmapTop;
        this.memory = new GuestMemory(this);
    }

    /** The capability-checked view through which the LibOS reads and writes guest memory. */
    public GuestMemory memory() {
        return memory;
    }

    /** Rounds up to a page boundary. */
    public static long pageUp(long v) {
        return (v + PAGE - 1) & -PAGE;
    }

    /** The allocator this address space's frames come from (a System V segment's too). */
    public FrameAllocator allocator() {
        return allocator;
    }

    /** Rounds down to a page boundary. */
    public static long pageDown(long v) {
        return v & -PAGE;
    }

    /**
     * Maps fresh zeroed pages at {@code [start, start+length)}, replacing whatever was there
     * (MAP_FIXED semantics). Throws ENOMEM when the frame allocator refuses.
     */
    public void mapAnonymous(long start, long length, int prot, String name) {
        long len = pageUp(length);
        Frames frames = allocator.allocate(len);
        if (frames == null) {
            throw Errno.of(Errno.ENOMEM);
        }
        unmap(start, len);
        Mapping m = new Mapping(start, start + len, prot, frames, 0, name);
        cpu.map(start, m.segment(), prot);
        mappings.put(start, m);
    }

    /**
     * Attaches a System V shared memory segment (shmat(2)): {@code frames}, which the mapping
     * holds once more, at {@code [start, start+length)}, replacing whatever was there. Shared
     * like MAP_SHARED anonymous memory (fork keeps the frames), shown in /proc/PID/maps as
     * Linux shows a segment's shmem file: device 00:01, the segment's id as inode, {@code name}.
     */
    public void mapSysv(long start, long length, int prot, Frames frames, Object segment, String name, int id) {
        long len = pageUp(length);
        unmap(start, len);
        Mapping m = new Mapping(start, start + len, prot, frames.retain(), 0, name);
        m.sharedAnonymous = true;
        m.sysv = segment;
        m.device = 1;
        m.inode = id;
        cpu.map(start, m.segment(), prot);
        mappings.put(start, m);
    }

    /**
     * Maps a device's frames (mmap(2) of /dev/vgpu0 at a buffer's offset) at {@code [start,
     * start+length)}, replacing whatever was there: {@code frames}, held once more by the
     * mapping, shared as MAP_SHARED memory is (fork keeps them in the child), named {@code name}
     * with the device file's {@code device} and {@code inode} and the map {@code offset} in
     * /proc/PID/maps.
     */
    public void mapDevice(long start, long length, int prot, Frames frames, String name, long offset, long device,
            long inode) {
        long len = pageUp(length);
        unmap(start, len);
        Mapping m = new Mapping(start, start + len, prot, frames.retain(), 0, name);
        m.sharedAnonymous = true;
        m.fileOffset = offset;
        m.device = device;
        m.inode = inode;
        cpu.map(start, m.segment(), prot);
        mappings.put(start, m);
    }

    /** The System V segment attached from its first byte at {@code start} (shmdt(2)), or null. */
    public Object sysvAt(long start) {
        Mapping m = mappings.get(start);
        return m != null && m.sysv != null && m.frameOffset == 0 ? m.sysv : null;
    }

    /** The System V segments attached here, once each (exit and execve detach them all). */
    public List<Object> sysvAttached() {
        List<Object> out = new ArrayList<>();
        for (Mapping m : mappings.values()) {
            if (m.sysv != null && !out.contains(m.sysv)) {
                out.add(m.sysv);
            }
        }
        return out;
    }

    /** Detaches {@code segment} from {@code [start, end)}: unmaps the mappings there that attach it. */
    public void unmapSysv(long start, long end, Object segment) {
        for (Mapping m : overlapping(start, end)) {
            if (m.sysv == segment) {
                unmap(m.start, m.end - m.start);
            }
        }
    }

    /**
     * Maps {@code [start, start+length)} privately to the host file open as {@code fd}, of
     * {@code fileSize} bytes, from byte {@code offset} (MAP_PRIVATE, replacing whatever was
     * there): the pages within the file are the host's page cache, shared with every other
     * process that maps the file until one writes a page and the host gives it a copy (a shared
     * library's text is in memory once, however many processes run it); the pages past the end
     * of the file are zero (Linux raises SIGBUS there; ELF segments never reach them). The
     * mapping is named {@code name} with the file's offset, device and inode in /proc/PID/maps;
     * {@code hostPath} is how {@link #filesShrunk} finds the file's size again. ENOMEM when the
     * host refuses.
     */
    public void mapPrivateFile(long start, long length, int prot, int fd, long fileSize, long offset, String name,
            java.nio.file.Path hostPath, long dev, long ino) {
        long len = pageUp(length);
        long covered = Math.clamp(pageUp(fileSize - offset), 0, len);
        Frames frames = null;
        if (covered > 0) {
            frames = allocator.mapFilePrivate(fd, offset, Math.min(covered, fileSize - offset));
            if (frames == null) {
                throw Errno.of(Errno.ENOMEM);
            }
        }
        if (covered < len) {
            try {
                mapAnonymous(start + covered, len - covered, prot, name);
            } catch (Errno e) {
                if (frames != null) {
                    frames.release();
                }
                throw e;
            }
            setFileIdentity(start + covered, offset + covered, dev, ino);
        }
        if (frames != null) {
            unmap(start, covered);
            Mapping m = new Mapping(start, start + covered, prot, frames, 0, name);
            m.fileOffset = offset;
            m.device = dev;
            m.inode = ino;
            m.privateFile = hostPath;
            cpu.map(start, m.segment(), prot);
            mappings.put(start, m);
        }
    }

    /**
     * Maps {@code [start, start+length)} to the file {@code file} from byte {@code offset}
     * (MAP_SHARED, replacing whatever was there): the pages are the host's page cache, so the
     * guest's stores reach the file and write(2)s to it show. Pages past the end of the file
     * are a hole that raises SIGBUS until the file grows to cover them ({@link #faultInFile}).
     */
    public void mapShared(long start, long length, int prot, MappedFile file, long offset) {
        long len = pageUp(length);
        unmap(start, len);
        bindShared(start, start + len, prot, file, offset);
    }

    /** Binds {@code [start, end)} of a shared file mapping: frames up to the end of file, a hole after. */
    private void bindShared(long start, long end, int prot, MappedFile file, long offset) {
        long covered = Math.clamp(pageUp(file.size() - offset), 0, end - start);
        if (covered > 0) {
            Frames frames = file.map(allocator, offset, Math.min(covered, file.size() - offset));
            Mapping m = fileMapping(new Mapping(start, start + covered, prot, frames, 0, file.name), file, offset);
            cpu.map(start, m.segment(), prot);
            mappings.put(start, m);
        }
        if (start + covered < end) {
            mappings.put(start + covered,
                    fileMapping(new Mapping(start + covered, end, prot, null, 0, file.name), file, offset + covered));
        }
    }

    private static Mapping fileMapping(Mapping m, MappedFile file, long offset) {
        m.shared = file;
        m.fileOffset = offset;
        m.device = file.dev;
        m.inode = file.ino;
        file.retain();
        return m;
    }

    /** Names the file behind the private file mapping at {@code start} in /proc/PID/maps: offset, device, inode. */
    public void setFileIdentity(long start, long offset, long dev, long ino) {
        Mapping m = find(start);
        if (m != null) {
            m.fileOffset = offset;
            m.device = dev;
            m.inode = ino;
        }
    }

    /**
     * A fault at {@code address} in the hole of a shared file mapping: when the file has since
     * grown over it, binds the now-covered pages and returns true (the access is retried).
     */
    public boolean faultInFile(long address) {
        Mapping m = find(address);
        if (m == null || !m.isHole() || m.fileOffset + (pageDown(address) - m.start) >= m.shared.size()) {
            return false;
        }
        Mapping hole = carve(m, m.start, m.end);
        bindShared(hole.start, hole.end, hole.prot, hole.shared, hole.fileOffset);
        hole.drop();
        return true;
    }

    /** True when {@code address} lies in a shared file mapping past the end of its file (SIGBUS, BUS_ADRERR). */
    public boolean isBeyondEndOfFile(long address) {
        Mapping m = find(address);
        return m != null && m.isHole();
    }

    /**
     * After a file was truncated: pages of shared file mappings that now lie wholly past the end
     * of their file become holes, as they raise SIGBUS in Linux.
     */
    public void filesShrunk() {
        for (Mapping m : List.copyOf(mappings.values())) {
            if (m.privateFile != null && m.frames != null && !m.frames.anonymous()) {
                privateFileShrunk(m);
                continue;
            }
            if (m.shared == null || m.isHole()) {
                continue;
            }
            long keep = m.start + Math.max(0, pageUp(m.shared.size() - m.fileOffset));
            if (keep < m.end) {
                Mapping gone = carve(m, keep, m.end);
                cpu.unmap(gone.start, gone.end - gone.start);
                mappings.put(gone.start, fileMapping(new Mapping(gone.start, gone.end, gone.prot, null, 0, gone.name),
                        gone.shared, gone.fileOffset));
                gone.drop();
            }
        }
    }

    /**
     * A private file mapping whose file may have shrunk: its pages now wholly past the end of
     * the file would fault on the host (the page cache has nothing there), so they become
     * anonymous zero pages (Linux raises SIGBUS on them; a page the guest had written keeps
     * nothing here).
     */
    private void privateFileShrunk(Mapping m) {
        long size;
        try {
            size = java.nio.file.Files.size(m.privateFile);
        } catch (java.io.IOException | RuntimeException e) {
            return; // gone from its path: whoever truncates it now cannot be a guest of ours by name
        }
        long keep = m.start + Math.max(0, pageUp(size - m.fileOffset));
        if (keep < m.end) {
            Mapping gone = carve(m, keep, m.end);
            cpu.unmap(gone.start, gone.end - gone.start);
            gone.drop();
            try {
                mapAnonymous(gone.start, gone.end - gone.start, gone.prot, gone.name);
                setFileIdentity(gone.start, gone.fileOffset, gone.device, gone.inode);
            } catch (Errno e) {
                // no frames for the zero pages: the range stays unmapped, and faults as it would on Linux
            }
        }
    }

    /**
     * True when a mapping here holds pages of the file with device {@code dev} and inode
     * {@code ino} from the host's page cache (MAP_SHARED, or private and not yet written) at file
     * offsets from {@code size} rounded up to a page: pages the host would fault on, inside the
     * JVM, once the file is truncated to {@code size}.
     */
    public boolean mapsFilePagesFrom(long dev, long ino, long size) {
        long from = pageUp(size);
        for (Mapping m : mappings.values()) {
            boolean fileFrames = m.frames != null && !m.frames.anonymous() && (m.shared != null || m.privateFile != null);
            if (fileFrames && m.device == dev && m.inode == ino && m.fileOffset + (m.end - m.start) > from) {
                return true;
            }
        }
        return false;
    }

    /** msync(2) MS_SYNC: the shared file mappings in {@code [start, end)} reach the disk. */
    public void sync(long start, long end) {
        for (Mapping m : overlapping(start, end)) {
            if (m.shared != null) {
                m.shared.sync();
            }
        }
    }

    /**
     * Maps an I/O range at {@code [start, start+length)} whose loads {@code reader} answers (the
     * vvar page), replacing whatever was there; it is listed read-only under {@code name}, and
     * the LibOS cannot copy to or from it.
     */
    public void mapIo(long start, long length, IoReader reader, String name) {
        long len = pageUp(length);
        unmap(start, len);
        cpu.mapIo(start, len, reader);
        Mapping m = new Mapping(start, start + len, Prot.READ, null, 0, name);
        m.io = reader;
        mappings.put(start, m);
    }

    /**
     * A copy of this address space on {@code child}'s engine, as fork(2) makes it (Linux's
     * dup_mmap): shared memory (MAP_SHARED files, shared anonymous memory) is the same frames in
     * both, so a store in one shows in the other; private memory is copied now, eagerly, so each
     * side's stores stay its own; I/O ranges (the vvar page) are answered by the same reader.
     * Throws ENOMEM, with nothing left allocated, when the frames for the copy are refused.
     */
    public AddressSpace forkTo(Cpu child) {
        AddressSpace copy = new AddressSpace(child, allocator, mmapBottom, mmapTop);
        try (PagemapReader pagemap = new PagemapReader()) {
            for (Mapping m : mappings.values()) {
                Mapping c;
                if (m.isIo() || m.shared != null || m.sharedAnonymous) {
                    c = m.slice(m.start, m.end);
                    c.hold();
                } else if ((m.prot & Prot.WRITE) == 0 || m.end - m.start >= COPY_ON_WRITE_FROM || !m.writtenByBothAfterFork()) {
                    // Both sides keep the same frames, written by neither: the first write (a
                    // fault, a syscall's store, mprotect adding PROT_WRITE) gives the writer a
                    // copy (see breakCopyOnWrite). Program text and read-only data are never
                    // copied unless made writable.
                    m.copyOnWrite = true;
                    c = m.slice(m.start, m.end);
                    c.hold();
                    if ((m.prot & Prot.WRITE) != 0) {
                        cpu.protect(m.start, m.end - m.start, m.prot & ~Prot.WRITE);
                    }
                } else {
                    Frames frames = allocator.allocate(m.end - m.start);
                    if (frames == null) {
                        throw Errno.of(Errno.ENOMEM);
                    }
                    c = m.privateCopyOn(frames);
                    pagemap.copy(m, c.segment());
                }
                try {
                    if (c.isHole()) {
                        // past the end of its file: not in the engine's map, as in the parent's
                    } else if (c.isIo()) {
                        child.mapIo(c.start, c.end - c.start, c.io);
                    } else {
                        child.mapForkOf(c.start, c.segment(), c.copyOnWrite ? c.prot & ~Prot.WRITE : c.prot, cpu);
                    }
                } catch (RuntimeException | Error e) {
                    c.drop();
                    throw e;
                }
                copy.mappings.put(c.start, c);
            }
        } catch (RuntimeException | Error e) {
            copy.destroy();
            throw e;
        }
        return copy;
    }

    /**
     * Writable private mappings at least this large are shared copy-on-write by fork; smaller
     * ones are copied at once (their populated pages), which costs less than the write fault
     * that would follow (the stack, a small data segment).
     */
    static final long COPY_ON_WRITE_FROM = Long.getLong("phoenix.cowFrom", 1L << 20);

    /**
     * A write reached copy-on-write mapping {@code m} (which is in the mappings): when this
     * address space holds every hold on its frames (the other side has exited, exec'd or
     * written its own copy), it simply becomes writable again; otherwise it gets frames of its
     * own with the same bytes. Returns the mapping that now covers {@code m}'s range.
     */
    Mapping breakCopyOnWrite(Mapping m) {
        int mine = 0;
        for (Mapping o : mappings.values()) {
            mine += o.frames == m.frames ? 1 : 0;
        }
        if (mine == m.frames.holders()) {
            for (Mapping o : mappings.values()) {
                if (o.frames == m.frames) {
                    o.copyOnWrite = false;
                    cpu.protect(o.start, o.end - o.start, o.prot);
                }
            }
            return m;
        }
        return privatize(m);
    }

    /**
     * A write fault at {@code address} (the engine refused a store): true when it hit a
     * copy-on-write page the guest may write, which is now its own, so the store can run again.
     */
    public boolean resolveWriteFault(long address) {
        Mapping m = find(address);
        if (m == null || !m.copyOnWrite || (m.prot & Prot.WRITE) == 0) {
            return false;
        }
        breakCopyOnWrite(m);
        return true;
    }

    /**
     * Gives {@code m} (in the mappings, a copy-on-write one) frames of its own with the same
     * bytes, before it is written; returns the mapping that replaces it.
     */
    private Mapping privatize(Mapping m) {
        Frames frames = allocator.allocate(m.end - m.start);
        if (frames == null) {
            throw Errno.of(Errno.ENOMEM);
        }
        Mapping own = m.privateCopyOn(frames);
        try (PagemapReader pagemap = new PagemapReader()) {
            pagemap.copy(m, own.segment());
        }
        cpu.unmap(m.start, m.end - m.start);
        cpu.map(own.start, own.segment(), own.prot);
        mappings.put(own.start, own);
        m.drop();
        return own;
    }

    /** Pages of /proc/self/pagemap read at a time while copying (8 bytes per page). */
    private static final int PAGEMAP_CHUNK = 4096;

    /**
     * Copies private memory for fork, skipping the pages the host has never populated: they
     * read as zero, and so do the copy's untouched pages, which then cost no host memory. The
     * host's /proc/self/pagemap says which are present or swapped out (bits 63 and 62); where
     * it cannot be read everything is copied. A fork of a 256 MiB process that touched 1 MiB
     * copies 1 MiB.
     */
    private static final class PagemapReader implements AutoCloseable {
        private java.nio.channels.FileChannel pagemap;
        private final java.nio.ByteBuffer entries = java.nio.ByteBuffer.allocate(PAGEMAP_CHUNK * 8)
                .order(java.nio.ByteOrder.nativeOrder());

        PagemapReader() {
            try {
                pagemap = java.nio.channels.FileChannel.open(java.nio.file.Path.of("/proc/self/pagemap"),
                        java.nio.file.StandardOpenOption.READ);
            } catch (java.io.IOException | RuntimeException e) {
                pagemap = null;
            }
        }

        /**
         * Of the pages of {@code seg}: how many the host has present, and how many of those are
         * dirty: all of them for anonymous memory, for a file's pages those no longer the page
         * cache's (copied on write: pagemap's bit 61, file page or shared, is clear). Zeros
         * when the pagemap cannot be read.
         */
        long[] count(MemorySegment seg, boolean anonymous) {
            long present = 0, dirty = 0;
            if (pagemap == null) {
                return new long[] {0, 0};
            }
            long pages = seg.byteSize() / PAGE;
            try {
                for (long first = 0; first < pages; first += PAGEMAP_CHUNK) {
                    int n = readEntries(seg, first, pages);
                    for (int i = 0; i < n; i++) {
                        long e = entries.getLong(i * 8);
                        if ((e & (1L << 63)) != 0) {
                            present += PAGE;
                            dirty += anonymous || (e & (1L << 61)) == 0 ? PAGE : 0;
                        }
                    }
                }
            } catch (java.io.IOException e) {
                return new long[] {0, 0};
            }
            return new long[] {present, dirty};
        }

        /**
         * Copies the bytes of {@code m} into {@code to} (fresh zero frames of its size): the
         * populated pages of anonymous memory, every page of a file's (which read as the file
         * whether the host has them in this process or not).
         */
        void copy(Mapping m, MemorySegment to) {
            if (m.frames.anonymous()) {
                copyPopulated(m.segment(), to);
            } else {
                MemorySegment.copy(m.segment(), 0, to, 0, to.byteSize());
            }
        }

        /** Copies {@code from} into {@code to} (fresh zero frames of the same size). */
        void copyPopulated(MemorySegment from, MemorySegment to) {
            if (pagemap == null) {
                MemorySegment.copy(from, 0, to, 0, from.byteSize());
                return;
            }
            long pages = from.byteSize() / PAGE;
            try {
                for (long first = 0; first < pages; first += PAGEMAP_CHUNK) {
                    int n = readEntries(from, first, pages);
                    int run = -1;
                    for (int i = 0; i <= n; i++) {
                        boolean populated = i < n && (entries.getLong(i * 8) & (3L << 62)) != 0;
                        if (populated && run < 0) {
                            run = i;
                        } else if (!populated && run >= 0) {
                            long off = (first + run) * PAGE;
                            MemorySegment.copy(from, off, to, off, (i - run) * PAGE);
                            run = -1;
                        }
                    }
                }
            } catch (java.io.IOException | RuntimeException e) {
                MemorySegment.copy(from, 0, to, 0, from.byteSize());
            }
        }

        /**
         * Reads into {@code entries} the pagemap words of the pages of {@code seg} from page
         * {@code first}, at most a chunk of them and none past page {@code pages}; returns how many.
         */
        private int readEntries(MemorySegment seg, long first, long pages) throws java.io.IOException {
            int n = (int) Math.min(PAGEMAP_CHUNK, pages - first);
            entries.clear().limit(n * 8);
            long at = (seg.address() / PAGE + first) * 8;
            while (entries.hasRemaining()) {
                if (pagemap.read(entries, at + entries.position()) < 0) {
                    throw new java.io.IOException("short pagemap read");
                }
            }
            return n;
        }

        @Override
        public void close() {
            try {
                if (pagemap != null) {
                    pagemap.close();
                }
            } catch (java.io.IOException e) {
                // read-only: nothing was lost
            }
        }
    }

    /**
     * The host bytes behind {@code [start, start+length)}, which must lie in one ordinary mapping,
     * whatever its protections: for kernel-owned pages the guest may only read (the vvar data).
     */
    public MemorySegment kernelView(long start, long length) {
        Mapping m = find(start);
        if (m == null || m.isIo() || start + length > m.end) {
            throw new IllegalArgumentException("no single mapping at 0x" + Long.toHexString(start));
        }
        return m.segment().asSlice(start - m.start, length);
    }

    /**
     * What a shared futex at {@code address} is keyed by, as Linux's get_futex_key keys it: in a
     * MAP_SHARED file mapping the file (device and inode) and the offset in it, in shared
     * anonymous memory its frames and the offset in them, so every mapping of the same page
     * meets there; null for private memory (keyed by address space and address).
     */
    public MemoryKey sharedKey(long address) {
        Mapping m = find(address);
        if (m == null || m.isIo()) {
            return null;
        }
        if (m.shared != null) {
            return new MemoryKey(java.util.List.of(m.device, m.inode), m.fileOffset + (address - m.start));
        }
        if (m.sharedAnonymous && m.frames != null) {
            return new MemoryKey(m.frames, m.frameOffset + (address - m.start));
        }
        return null;
    }

    /** A place in memory that several address spaces may map: an object and an offset in it. */
    public record MemoryKey(Object object, long offset) {}

    /** Marks the mapping at {@code start} MAP_GROWSDOWN. */
    public void setGrowsDown(long start) {
        Mapping m = find(start);
        if (m != null) {
            m.growsDown = true;
        }
    }

    /**
     * Grows the MAP_GROWSDOWN mapping just above {@code address} down to cover it, as Linux's
     * expand_stack does on a fault: only while the mapping stays within {@code limit} bytes
     * (RLIMIT_STACK) of its top and keeps {@code guardGap} bytes free above the next mapping
     * below. Returns false (a SIGSEGV) otherwise.
     */
    public boolean growDown(long address, long limit, long guardGap) {
        Map.Entry<Long, Mapping> above = mappings.higherEntry(address);
        if (above == null || !above.getValue().growsDown || find(address) != null) {
            return false;
        }
        Mapping stack = above.getValue();
        long top = stack.end;
        for (Mapping next = mappings.get(top); next != null && next.growsDown; next = mappings.get(top)) {
            top = next.end;
        }
        long newStart = pageDown(address);
        if (top - newStart > limit) {
            return false;
        }
        Map.Entry<Long, Mapping> below = mappings.lowerEntry(newStart);
        if (below != null && below.getValue().end > newStart - guardGap) {
            return false;
        }
        mapAnonymous(newStart, stack.start - newStart, stack.prot, stack.name);
        mappings.get(newStart).growsDown = true;
        return true;
    }

    /** Unmaps every page in {@code [start, start+length)}; pages not mapped are ignored. */
    public void unmap(long start, long length) {
        long end = start + pageUp(length);
        for (Mapping m : overlapping(start, end)) {
            Mapping inside = carve(m, start, end);
            if (!inside.isHole()) {
                cpu.unmap(inside.start, inside.end - inside.start);
            }
            inside.drop();
        }
    }

    /** Changes protections of {@code [start, start+length)}; ENOMEM if any page there is unmapped. */
    public void protect(long start, long length, int prot) {
        long end = start + pageUp(length);
        if (!isFullyMapped(start, end)) {
            throw Errno.of(Errno.ENOMEM);
        }
        for (Mapping m : overlapping(start, end)) {
            if ((m.isIo() && !m.isHole()) || (m.shared != null && !m.shared.writable() && (prot & Prot.WRITE) != 0)) {
                throw Errno.of(Errno.EACCES); // as Linux without VM_MAYWRITE: the vvar page, a read-only shared file
            }
        }
        for (Mapping m : overlapping(start, end)) {
            Mapping inside = carve(m, start, end);
            if (inside.copyOnWrite && (prot & Prot.WRITE) != 0) {
                mappings.put(inside.start, inside);
                inside = breakCopyOnWrite(inside);
                mappings.remove(inside.start);
            }
            inside.prot = prot;
            mappings.put(inside.start, inside); // keeps the hold m had on the frames
            if (!inside.isHole()) {
                cpu.protect(inside.start, inside.end - inside.start, inside.copyOnWrite ? prot & ~Prot.WRITE : prot);
            }
        }
    }

    /**
     * Removes {@code m}, puts back its parts outside {@code [from, to)} (each a new holder of the
     * frames) and returns its part inside, which the caller either drops or re-inserts.
     */
    private Mapping carve(Mapping m, long from, long to) {
        mappings.remove(m.start);
        if (m.start < from) {
            mappings.put(m.start, m.slice(m.start, from));
            m.hold();
        }
        if (m.end > to) {
            mappings.put(to, m.slice(to, m.end));
            m.hold();
        }
        return m.slice(Math.max(m.start, from), Math.min(m.end, to));
    }

    /** Protections of the page at {@code address}; ENOMEM when unmapped. */
    public int protectionAt(long address) {
        Mapping m = find(address);
        if (m == null) {
            throw Errno.of(Errno.ENOMEM);
        }
        return m.prot;
    }

    /** The name of the mapping at {@code address} (for /proc/PID/maps), or null. */
    public String nameAt(long address) {
        Mapping m = find(address);
        return m == null ? null : m.name;
    }

    /**
     * MADV_DONTNEED on the private pages of {@code [start, start+length)}, whatever their
     * protections: anonymous ones read zero again, those of a private file mapping the file (the
     * host drops the copies it made), unless another address space still shares them (then zero).
     */
    public void zero(long start, long length) {
        for (Mapping m : overlapping(start, start + length)) {
            if (m.isIo() || m.shared != null) {
                continue; // a shared file page dropped by MADV_DONTNEED reads back from the file
            }
            long from = Math.max(m.start, start);
            long to = Math.min(m.end, start + length);
            if (!m.copyOnWrite && !m.frames.anonymous()
                    && HostOs.dropPages(m.segment().asSlice(from - m.start, to - from))) {
                continue; // a private file mapping's pages read the file again, as Linux's do
            }
            if (m.copyOnWrite) {
                m = breakCopyOnWrite(m);
            }
            m.segment().asSlice(from - m.start, to - from).fill((byte) 0);
        }
    }

    /** Pages populated between two calls of {@link #populate}'s checkpoint: 1 MiB. */
    private static final long POPULATE_CHUNK = 256 * PAGE;

    /**
     * Gives the pages of {@code [start, end)} their frames now (Linux's populate_vma_page_range,
     * behind MAP_POPULATE, mlock and MADV_POPULATE_READ/WRITE): a private writable page as a
     * write fault would ({@code write}, or always for MAP_POPULATE's writable private memory),
     * any other as a read fault. Mappings without access (PROT_NONE), I/O pages and the holes of
     * shared file mappings are skipped, as populate skips them; a page shared copy-on-write
     * after fork is only read. After every chunk of at most {@link #POPULATE_CHUNK} bytes
     * {@code checkpoint} runs (the memory controller's charge); populating stops when it returns
     * false (the process is being killed, as populate stops at a fatal signal).
     * Returns false when it stopped so or the host refused.
     */
    public boolean populate(long start, long end, boolean write, java.util.function.BooleanSupplier checkpoint) {
        for (Mapping m : overlapping(start, end)) {
            if (m.isIo() || m.prot == dev.phoenix.emu.Prot.NONE) {
                continue;
            }
            boolean w = write && (m.prot & dev.phoenix.emu.Prot.WRITE) != 0 && !m.copyOnWrite && m.shared == null;
            long from = Math.max(m.start, start), to = Math.min(m.end, end);
            for (long a = from; a < to; a += POPULATE_CHUNK) {
                long n = Math.min(POPULATE_CHUNK, to - a);
                if (!HostOs.populatePages(m.segment().asSlice(a - m.start, n), w) || !checkpoint.getAsBoolean()) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * mremap: moves the pages of {@code [from, from+oldLength)} to {@code to}, resized to
     * {@code newLength} (new pages zero), keeping protections and name; the old range is unmapped.
     */
    public void move(long from, long oldLength, long to, long newLength) {
        int prot = protectionAt(from);
        String name = nameAt(from);
        Mapping first = find(from);
        if (first.shared != null) { // the file is mapped again at the new place
            MappedFile file = first.shared;
            long offset = first.fileOffset + (from - first.start);
            file.retain(); // across the unmap, which may drop the last mapping of it
            unmap(from, oldLength);
            mapShared(to, newLength, prot, file, offset);
            file.release();
            return;
        }
        mapAnonymous(to, newLength, Prot.READ | Prot.WRITE, name);
        long copy = Math.min(oldLength, newLength);
        for (Mapping m : overlapping(from, from + copy)) {
            long a = Math.max(m.start, from);
            long b = Math.min(m.end, from + copy);
            Mapping dst = find(to + (a - from));
            MemorySegment.copy(m.segment(), a - m.start, dst.segment(), to + (a - from) - dst.start, b - a);
        }
        unmap(from, oldLength);
        protect(to, newLength, prot);
    }

    /**
     * mremap growing in place: extends the mapping ending at {@code end} (free above) by
     * {@code length} bytes: more of the file for a shared file mapping, zero pages otherwise.
     */
    public void extend(long end, long length) {
        Mapping last = find(end - 1);
        if (last.shared != null) {
            bindShared(end, end + pageUp(length), last.prot, last.shared, last.fileOffset + (end - last.start));
        } else {
            mapAnonymous(end, length, last.prot, last.name);
        }
    }

    /** True when every page of {@code [start, end)} is mapped. */
    public boolean isFullyMapped(long start, long end) {
        long at = start;
        for (Mapping m : overlapping(start, end)) {
            if (m.start > at) {
                return false;
            }
            at = m.end;
        }
        return at >= end;
    }

    /** True when no page of {@code [start, end)} is mapped. */
    public boolean isFree(long start, long end) {
        return overlapping(start, end).isEmpty();
    }

    /**
     * The unmapped runs of {@code [start, end)}, lowest first, each as {from, to}: found from the
     * mappings there, so the cost does not grow with the length of the range.
     */
    public List<long[]> freeRuns(long start, long end) {
        List<long[]> out = new ArrayList<>();
        long at = start;
        for (Mapping m : overlapping(start, end)) {
            if (m.start > at) {
                out.add(new long[] {at, m.start});
            }
            at = Math.max(at, m.end);
        }
        if (at < end) {
            out.add(new long[] {at, end});
        }
        return out;
    }

    /** The most memory this address space's frame allocator hands out, in bytes. */
    public long memoryLimit() {
        return allocator.limitPages() * PAGE;
    }

    /** The highest free gap of {@code length} bytes in the mmap area, or -1. */
    public long findFree(long length) {
        long len = pageUp(length);
        long top = mmapTop;
        for (Mapping m : mappings.headMap(mmapTop, false).descendingMap().values()) {
            if (m.end <= top && top - m.end >= len) {
                break;
            }
            top = Math.min(top, m.start);
        }
        return top - len >= mmapBottom ? top - len : -1;
    }

    /** The mapping containing {@code address}, or null. */
    Mapping find(long address) {
        Map.Entry<Long, Mapping> e = mappings.floorEntry(address);
        return e != null && address < e.getValue().end ? e.getValue() : null;
    }

    private List<Mapping> overlapping(long start, long end) {
        List<Mapping> out = new ArrayList<>();
        if (start >= end) {
            return out; // empty, or wrapped past the end: the caller's range check failed
        }
        Map.Entry<Long, Mapping> first = mappings.floorEntry(start);
        if (first != null && first.getValue().end > start) {
            out.add(first.getValue());
        }
        for (Mapping m : mappings.subMap(start, false, end, false).values()) {
            out.add(m);
        }
        return out;
    }

    /** Lines in /proc/PID/maps format, for diagnostics. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        for (Mapping m : mappings.values()) {
            out.add(String.format("%08x-%08x %s%c %s", m.start, m.end, Prot.toString(m.prot), m.shared != null ? 's' : 'p',
                    m.name == null ? "" : m.name).strip());
        }
        return out;
    }

    /**
     * /proc/PID/maps: one line per VMA in Linux's format (fs/proc/task_mmu.c), with the file
     * offset, device and inode of file mappings (the ELF image's included).
     */
    public String maps() {
        StringBuilder sb = new StringBuilder();
        Mapping vma = null; // the VMA being listed, extended to `end` by the mappings that continue it
        long end = 0;
        for (Mapping m : mappings.values()) {
            if (vma != null && m.start == end && continues(vma, end, m)) {
                end = m.end;
                continue;
            }
            if (vma != null) {
                mapsLine(sb, vma, end);
            }
            vma = m;
            end = m.end;
        }
        if (vma != null) {
            mapsLine(sb, vma, end);
        }
        return sb.toString();
    }

    /**
     * /proc/PID/smaps: each VMA of {@link #maps} followed by its memory as Linux counts it
     * (fs/proc/task_mmu.c): Rss is the pages the host has present (its /proc/self/pagemap),
     * shared when another address space holds the same frames (fork), Pss divided among them,
     * dirty for anonymous memory and for the copied pages of a private file mapping (the host's
     * page cache pages stay clean); no huge pages, swap or locks.
     */
    public String smaps() {
        StringBuilder sb = new StringBuilder();
        List<Mapping> parts = new ArrayList<>();
        try (PagemapReader pagemap = new PagemapReader()) {
            Mapping vma = null;
            long end = 0;
            for (Mapping m : mappings.values()) {
                if (vma != null && m.start == end && continues(vma, end, m)) {
                    end = m.end;
                    parts.add(m);
                    continue;
                }
                if (vma != null) {
                    smapsEntry(sb, vma, end, parts, pagemap);
                }
                vma = m;
                end = m.end;
                parts = new ArrayList<>(List.of(m));
            }
            if (vma != null) {
                smapsEntry(sb, vma, end, parts, pagemap);
            }
        }
        return sb.toString();
    }

    /** What smaps counts for a run of mappings, in bytes. */
    private static final class Usage {
        long rss, pss, pssDirty, pssAnon, pssFile, sharedClean, sharedDirty, privateClean, privateDirty, anon;

        void add(List<Mapping> parts, PagemapReader pagemap) {
            for (Mapping m : parts) {
                if (m.frames == null) {
                    continue;
                }
                long[] pages = pagemap.count(m.segment(), m.frames.anonymous());
                long present = pages[0], dirty = pages[1];
                int holders = Math.max(1, m.frames.holders());
                boolean anonymous = m.shared == null && !m.sharedAnonymous;
                rss += present;
                pss += present / holders;
                pssDirty += dirty / holders;
                pssAnon += anonymous ? dirty / holders : 0;
                pssFile += (anonymous ? present - dirty : present) / holders;
                if (holders > 1) {
                    sharedClean += present - dirty;
                    sharedDirty += dirty;
                } else {
                    privateClean += present - dirty;
                    privateDirty += dirty;
                }
                anon += anonymous ? dirty : 0;
            }
        }

        /** The fields from Rss on, as {name, kB}; with the rollup's Pss_Anon, Pss_File and Pss_Shmem when {@code rollup}. */
        List<String[]> fields(boolean rollup) {
            List<String[]> out = new ArrayList<>(List.of(new String[] {"Rss", kb(rss)}, new String[] {"Pss", kb(pss)},
                    new String[] {"Pss_Dirty", kb(pssDirty)}));
            if (rollup) {
                out.addAll(List.of(new String[] {"Pss_Anon", kb(pssAnon)}, new String[] {"Pss_File", kb(pssFile)},
                        new String[] {"Pss_Shmem", "0"}));
            }
            for (String[] f : new String[][] {{"Shared_Clean", kb(sharedClean)}, {"Shared_Dirty", kb(sharedDirty)},
                {"Private_Clean", kb(privateClean)}, {"Private_Dirty", kb(privateDirty)}, {"Referenced", kb(rss)},
                {"Anonymous", kb(anon)}, {"KSM", "0"}, {"LazyFree", "0"}, {"AnonHugePages", "0"},
                {"ShmemPmdMapped", "0"}, {"FilePmdMapped", "0"}, {"Shared_Hugetlb", "0"}, {"Private_Hugetlb", "0"},
                {"Swap", "0"}, {"SwapPss", "0"}, {"Locked", "0"}}) {
                out.add(f);
            }
            return out;
        }
    }

    private static void appendFields(StringBuilder sb, List<String[]> fields) {
        for (String[] f : fields) {
            sb.append(String.format("%-16s%8s kB%n", f[0] + ":", f[1]));
        }
    }

    private static void smapsEntry(StringBuilder sb, Mapping vma, long end, List<Mapping> parts, PagemapReader pagemap) {
        mapsLine(sb, vma, end);
        Usage u = new Usage();
        u.add(parts, pagemap);
        List<String[]> fields = new ArrayList<>();
        fields.add(new String[] {"Size", kb(end - vma.start)});
        fields.add(new String[] {"KernelPageSize", "4"});
        fields.add(new String[] {"MMUPageSize", "4"});
        fields.addAll(u.fields(false));
        appendFields(sb, fields);
        sb.append("THPeligible:    0\n");
        boolean shared = vma.shared != null || vma.sharedAnonymous;
        StringBuilder flags = new StringBuilder("VmFlags:");
        for (String[] f : new String[][] {{"rd", "" + ((vma.prot & Prot.READ) != 0)},
            {"wr", "" + ((vma.prot & Prot.WRITE) != 0)}, {"ex", "" + ((vma.prot & Prot.EXEC) != 0)},
            {"sh", "" + shared}, {"mr", "true"}, {"mw", "" + (!shared || (vma.prot & Prot.WRITE) != 0)},
            {"me", "true"}, {"ms", "" + shared}, {"gd", "" + vma.growsDown},
            {"ac", "" + (!shared && (vma.prot & Prot.WRITE) != 0)}}) {
            if (f[1].equals("true")) {
                flags.append(' ').append(f[0]);
            }
        }
        sb.append(flags).append(" \n");
    }

    /**
     * /proc/PID/smaps_rollup: the counts of {@link #smaps} summed over every mapping, under one
     * header from the lowest mapping's start to the highest one's end, as Linux sums them.
     */
    public String smapsRollup() {
        if (mappings.isEmpty()) {
            return "";
        }
        Usage u = new Usage();
        try (PagemapReader pagemap = new PagemapReader()) {
            u.add(List.copyOf(mappings.values()), pagemap);
        }
        StringBuilder sb = new StringBuilder();
        String line = String.format("%08x-%08x ---p 00000000 00:00 0", mappings.firstKey(), mappings.lastEntry().getValue().end);
        sb.append(line).append(" ".repeat(Math.max(1, 73 - line.length()))).append("[rollup]\n");
        appendFields(sb, u.fields(true));
        return sb.toString();
    }

    /** The bytes of its mappings the host has present now (smaps' Rss summed; getrusage's ru_maxrss samples it). */
    public long residentBytes() {
        Usage u = new Usage();
        try (PagemapReader pagemap = new PagemapReader()) {
            u.add(List.copyOf(mappings.values()), pagemap);
        }
        return u.rss;
    }

    /**
     * What a memory cgroup charges for this address space: {anon, file} bytes, smaps' Pss_Anon
     * and Pss_File summed (the host's present pages; anonymous ones and a private file
     * mapping's written copies are anon, the page cache's are file; frames another address space
     * holds too, after fork, are divided among the holders, as one page is charged once).
     */
    public long[] chargedBytes() {
        Usage u = new Usage();
        try (PagemapReader pagemap = new PagemapReader()) {
            u.add(List.copyOf(mappings.values()), pagemap);
        }
        return new long[] {u.pssAnon, u.pssFile};
    }

    private static String kb(long bytes) {
        return Long.toString(bytes >> 10);
    }

    /**
     * True when {@code m} is the same VMA to Linux as {@code vma} (listed up to {@code end}):
     * adjacent anonymous memory with equal protections and name ([heap] grown by brk), or the
     * next pages of the same shared file mapping (the part past end of file included).
     */
    private static boolean continues(Mapping vma, long end, Mapping m) {
        if (m.prot != vma.prot || !java.util.Objects.equals(m.name, vma.name)) {
            return false;
        }
        if (vma.shared != null) {
            return m.shared == vma.shared && m.fileOffset == vma.fileOffset + (end - vma.start);
        }
        return m.shared == null && m.inode == 0 && vma.inode == 0 && (m.name == null || m.name.startsWith("["));
    }

    private static void mapsLine(StringBuilder sb, Mapping m, long end) {
        long major = ((m.device >>> 8) & 0xfff) | ((m.device >>> 32) & ~0xfffL);
        long minor = (m.device & 0xff) | ((m.device >>> 12) & ~0xffL);
        String line = String.format("%08x-%08x %s%c %08x %02x:%02x %d", m.start, end, Prot.toString(m.prot),
                m.shared != null || m.sysv != null ? 's' : 'p', m.inode != 0 ? m.fileOffset : 0, major, minor, m.inode);
        sb.append(line);
        if (m.name != null) {
            sb.append(" ".repeat(Math.max(1, 73 - line.length()))).append(m.name);
        } else {
            sb.append(' '); // Linux ends the header with a space, name or not
        }
        sb.append('\n');
    }

    /** Marks the mapping at {@code start} part of an ELF image (its bss): fork copies it when small. */
    public void setImage(long start) {
        Mapping m = find(start);
        if (m != null) {
            m.image = true;
        }
    }

    /** Marks the anonymous mapping at {@code start} MAP_SHARED: not data (RLIMIT_DATA), not private. */
    public void setSharedAnonymous(long start) {
        Mapping m = find(start);
        if (m != null) {
            m.sharedAnonymous = true;
        }
    }

    /** Bytes of data mappings ({@link Mapping#isData}): Linux's data_vm, VmData. */
    public long dataBytes() {
        long total = 0;
        for (Mapping m : mappings.values()) {
            total += m.isData() ? m.end - m.start : 0;
        }
        return total;
    }

    /** True when the mapping at {@code address} counts as data. */
    public boolean isDataAt(long address) {
        Mapping m = find(address);
        return m != null && m.isData();
    }

    /** Bytes mapped within {@code [start, end)}. */
    public long mappedBytesIn(long start, long end) {
        long total = 0;
        for (Mapping m : overlapping(start, end)) {
            total += Math.min(end, m.end) - Math.max(start, m.start);
        }
        return total;
    }

    /** Bytes mapped in total (VmSize). */
    public long mappedBytes() {
        long total = 0;
        for (Mapping m : mappings.values()) {
            total += m.end - m.start;
        }
        return total;
    }

    /** Unmaps everything and returns the frames (process exit). */
    public void destroy() {
        for (Mapping m : List.copyOf(mappings.values())) {
            if (!m.isHole()) {
                cpu.unmap(m.start, m.end - m.start);
            }
            m.drop();
        }
        mappings.clear();
    }

    /**
     * Lets go of every mapping's frames without unmapping them from the engine, which the
     * caller has closed (a process's exit, or exec leaving its old image): unmapping first cost
     * what the exit cost, tens of milliseconds for a 256 MiB mapping on aarch64, only for the
     * engine to be freed after.
     */
    public void releaseAfterEngineClosed() {
        for (Mapping m : List.copyOf(mappings.values())) {
            m.drop();
        }
        mappings.clear();
    }
}
