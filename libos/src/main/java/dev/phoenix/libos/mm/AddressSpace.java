package dev.phoenix.libos.mm;

import dev.phoenix.emu.Cpu;
import dev.phoenix.emu.IoReader;
import dev.phoenix.emu.Prot;
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
     * Maps an I/O range at {@code [start, start+length)} whose loads {@code reader} answers (the
     * vvar page), replacing whatever was there; it is listed read-only under {@code name}, and
     * the LibOS cannot copy to or from it.
     */
    public void mapIo(long start, long length, IoReader reader, String name) {
        long len = pageUp(length);
        unmap(start, len);
        cpu.mapIo(start, len, reader);
        mappings.put(start, new Mapping(start, start + len, Prot.READ, null, 0, name));
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
            cpu.unmap(inside.start, inside.end - inside.start);
            m.drop();
        }
    }

    /** Changes protections of {@code [start, start+length)}; ENOMEM if any page there is unmapped. */
    public void protect(long start, long length, int prot) {
        long end = start + pageUp(length);
        if (!isFullyMapped(start, end)) {
            throw Errno.of(Errno.ENOMEM);
        }
        for (Mapping m : overlapping(start, end)) {
            if (m.isIo()) {
                throw Errno.of(Errno.EACCES); // as Linux for the vvar page: no VM_MAYWRITE/VM_MAYEXEC
            }
        }
        for (Mapping m : overlapping(start, end)) {
            Mapping inside = carve(m, start, end);
            inside.prot = prot;
            mappings.put(inside.start, inside); // keeps the hold m had on the frames
        }
        cpu.protect(start, end - start, prot);
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

    /** Zeroes {@code [start, start+length)} (MADV_DONTNEED on private pages), whatever their protections. */
    public void zero(long start, long length) {
        for (Mapping m : overlapping(start, start + length)) {
            if (m.isIo()) {
                continue;
            }
            long from = Math.max(m.start, start);
            long to = Math.min(m.end, start + length);
            m.segment().asSlice(from - m.start, to - from).fill((byte) 0);
        }
    }

    /**
     * mremap: moves the pages of {@code [from, from+oldLength)} to {@code to}, resized to
     * {@code newLength} (new pages zero), keeping protections and name; the old range is unmapped.
     */
    public void move(long from, long oldLength, long to, long newLength) {
        int prot = protectionAt(from);
        String name = nameAt(from);
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
            out.add(String.format("%08x-%08x %sp %s", m.start, m.end, dev.phoenix.emu.Prot.toString(m.prot),
                    m.name == null ? "" : m.name).strip());
        }
        return out;
    }

    /**
     * /proc/PID/maps: one line per VMA in Linux's format (fs/proc/task_mmu.c); file offsets,
     * devices and inodes are 0 until file mappings exist.
     */
    public String maps() {
        StringBuilder sb = new StringBuilder();
        long start = -1;
        long end = -1;
        int prot = 0;
        String name = null;
        for (Mapping m : mappings.values()) {
            // Linux merges adjacent anonymous VMAs with equal protections ([heap] grown by brk).
            boolean anonymous = m.name == null || m.name.startsWith("[");
            if (start >= 0 && m.start == end && m.prot == prot && anonymous && java.util.Objects.equals(m.name, name)) {
                end = m.end;
                continue;
            }
            if (start >= 0) {
                mapsLine(sb, start, end, prot, name);
            }
            start = m.start;
            end = m.end;
            prot = m.prot;
            name = m.name;
        }
        if (start >= 0) {
            mapsLine(sb, start, end, prot, name);
        }
        return sb.toString();
    }

    private static void mapsLine(StringBuilder sb, long start, long end, int prot, String name) {
        String line = String.format("%08x-%08x %sp %08x 00:00 0", start, end, dev.phoenix.emu.Prot.toString(prot), 0);
        sb.append(line);
        if (name != null) {
            sb.append(" ".repeat(Math.max(1, 73 - line.length()))).append(name);
        }
        sb.append('\n');
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
            cpu.unmap(m.start, m.end - m.start);
            m.drop();
        }
        mappings.clear();
    }
}
