package dev.phoenix.libos.mm;

import dev.phoenix.emu.Prot;
import dev.phoenix.libos.Errno;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The capability-checked view of an {@link AddressSpace} through which LibOS code reads and
 * writes guest memory: every access must fall in mappings that grant it (PROT_READ to read,
 * PROT_WRITE to write), else EFAULT, as the kernel's copy_from_user/copy_to_user do. Guest
 * memory is host memory, so an access is a bounds check and a copy, with no native call.
 */
public final class GuestMemory {
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final AddressSpace space;
    private Mapping last;

    GuestMemory(AddressSpace space) {
        this.space = space;
    }

    /** The host segment for {@code [address, address+length)} if it lies in one mapping granting {@code prot}. */
    private MemorySegment span(long address, long length, int prot) {
        Mapping m = last;
        if (m == null || address < m.start || address >= m.end || space.find(address) != m) {
            m = space.find(address);
            if (m == null) {
                throw Errno.of(Errno.EFAULT);
            }
            last = m;
        }
        if ((m.prot & prot) != prot || length < 0 || m.isIo()) {
            throw Errno.of(Errno.EFAULT);
        }
        if ((prot & Prot.WRITE) != 0 && m.copyOnWrite) {
            m = space.breakCopyOnWrite(m); // a syscall's store: the first write of a page fork shares
            last = m;
        }
        if (Long.compareUnsigned(address + length, m.end) > 0) {
            return null;
        }
        return m.segment().asSlice(address - m.start, length);
    }

    /** Copies {@code length} guest bytes at {@code address} into {@code dst[offset..]}. */
    public void read(long address, byte[] dst, int offset, int length) {
        while (length > 0) {
            MemorySegment s = span(address, length, Prot.READ);
            int n = s != null ? length : (int) (last.end - address);
            MemorySegment.copy(s != null ? s : span(address, n, Prot.READ), ValueLayout.JAVA_BYTE, 0, dst, offset, n);
            address += n;
            offset += n;
            length -= n;
        }
    }

    /** Copies {@code src[offset..offset+length)} to guest memory at {@code address}. */
    public void write(long address, byte[] src, int offset, int length) {
        while (length > 0) {
            MemorySegment s = span(address, length, Prot.WRITE);
            int n = s != null ? length : (int) (last.end - address);
            MemorySegment.copy(src, offset, s != null ? s : span(address, n, Prot.WRITE), ValueLayout.JAVA_BYTE, 0, n);
            address += n;
            offset += n;
            length -= n;
        }
    }

    /**
     * How many bytes from {@code address} (up to {@code length}) the guest could have the
     * kernel copy with protection {@code prot} ({@link Prot#READ} or {@link Prot#WRITE}), so a
     * syscall can do a short transfer, or fail with EFAULT before any side effect, as Linux's
     * copy_to_user/copy_from_user loops do.
     */
    public long accessible(long address, long length, int prot) {
        long done = 0;
        while (done < length) {
            Mapping m = space.find(address + done);
            if (m == null || m.isIo() || (m.prot & prot) != prot) {
                break;
            }
            done = Math.min(length, m.end - address);
        }
        return done;
    }

    /** Reads {@code length} bytes into a new array. */
    public byte[] read(long address, int length) {
        byte[] b = new byte[length];
        read(address, b, 0, length);
        return b;
    }

    /** Writes all of {@code src}. */
    public void write(long address, byte[] src) {
        write(address, src, 0, src.length);
    }

    /** Reads a little-endian 64-bit value. */
    public long readLong(long address) {
        MemorySegment s = span(address, 8, Prot.READ);
        return s != null ? s.get(LONG, 0) : MemorySegment.ofArray(read(address, 8)).get(LONG, 0);
    }

    /** Writes a little-endian 64-bit value. */
    public void writeLong(long address, long value) {
        MemorySegment s = span(address, 8, Prot.WRITE);
        if (s != null) {
            s.set(LONG, 0, value);
        } else {
            byte[] b = new byte[8];
            MemorySegment.ofArray(b).set(LONG, 0, value);
            write(address, b);
        }
    }

    /** Reads a little-endian 32-bit value. */
    public int readInt(long address) {
        MemorySegment s = span(address, 4, Prot.READ);
        return s != null ? s.get(INT, 0) : MemorySegment.ofArray(read(address, 4)).get(INT, 0);
    }

    /** Writes a little-endian 32-bit value. */
    public void writeInt(long address, int value) {
        byte[] b = new byte[4];
        MemorySegment.ofArray(b).set(INT, 0, value);
        write(address, b);
    }

    /**
     * Reads a NUL-terminated string of at most {@code max} bytes (UTF-8). ENAMETOOLONG when no NUL
     * comes within {@code max} bytes, as the kernel's strncpy_from_user does for paths.
     */
    public String readCString(long address, int max) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        long at = address;
        while (out.size() < max) {
            // Scan the rest of the current mapping (or up to max) without copying byte by byte.
            span(at, 0, Prot.READ);
            Mapping m = last;
            int n = (int) Math.min(max - out.size(), m.end - at);
            MemorySegment s = m.segment().asSlice(at - m.start, n);
            for (int i = 0; i < n; i++) {
                byte b = s.get(ValueLayout.JAVA_BYTE, i);
                if (b == 0) {
                    return out.toString(StandardCharsets.UTF_8);
                }
                out.write(b);
            }
            at += n;
        }
        throw Errno.of(Errno.ENAMETOOLONG);
    }
}
