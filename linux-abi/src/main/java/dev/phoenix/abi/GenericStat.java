package dev.phoenix.abi;

import dev.phoenix.libos.fs.FileStatus;
import dev.phoenix.libos.mm.GuestMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The asm-generic {@code struct stat} (include/uapi/asm-generic/stat.h), 128 bytes, used by
 * aarch64 and riscv64: st_mode at offset 16, 32-bit st_nlink and st_blksize.
 */
public final class GenericStat {
    private GenericStat() {}

    public static final int SIZE = 128;

    /** Writes {@code st} at {@code address}. */
    public static void write(GuestMemory memory, long address, FileStatus st) {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, st.dev()).putLong(8, st.ino()).putInt(16, st.mode()).putInt(20, (int) st.nlink())
                .putInt(24, st.uid()).putInt(28, st.gid()).putLong(32, st.rdev()).putLong(48, st.size())
                .putInt(56, st.blksize()).putLong(64, st.blocks());
        putTime(b, 72, st.atimeNs());
        putTime(b, 88, st.mtimeNs());
        putTime(b, 104, st.ctimeNs());
        memory.write(address, b.array());
    }

    /** Stores nanoseconds since the epoch as a {@code (tv_sec, tv_nsec)} pair at {@code offset}. */
    public static void putTime(ByteBuffer b, int offset, long ns) {
        b.putLong(offset, Math.floorDiv(ns, 1_000_000_000L)).putLong(offset + 8, Math.floorMod(ns, 1_000_000_000L));
    }
}
