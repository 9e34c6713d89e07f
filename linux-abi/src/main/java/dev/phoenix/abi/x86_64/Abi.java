package dev.phoenix.abi.x86_64;

import dev.phoenix.abi.AbiBase;
import dev.phoenix.abi.GenericStat;
import dev.phoenix.abi.syscall.Numbering;
import dev.phoenix.emu.Arch;
import dev.phoenix.libos.fs.FileStatus;
import dev.phoenix.libos.mm.GuestMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The Linux ABI of x86_64: numbering from arch/x86/entry/syscalls/syscall_64.tbl (x86_64.txt) and the
 * x86_64 {@code struct stat} (arch/x86/include/uapi/asm/stat.h: st_mode at offset 24).
 */
public final class Abi extends AbiBase {
    public static final Abi INSTANCE = new Abi();
    private static final int STAT_SIZE = 144;
    // CPUID.1:EDX of the CPU Unicorn emulates (its qemu64 model: fpu ... sse2, no HTT), as Linux
    // gives AT_HWCAP; checked by a guest's cpuid under Phoenix. Leaf 1 ECX adds SSE3 and CX16 only,
    // and leaf 7 nothing, so glibc's IFUNCs pick their SSE2 variants, which the engine implements.
    private static final long HWCAP = 0x078bfbfdL;

    private Abi() {
        super(Arch.X86_64, Numbering.load("x86_64.txt"), new Layout(0x7ffffffff000L, 0x555555554000L, 0x10000000L, 0x7ffff7ff0000L, 0x7ffffffff000L),
                HWCAP, "x86_64");
    }

    @Override
    public CloneOrder cloneOrder() {
        return CloneOrder.DEFAULT;
    }

    @Override
    public SemidLayout semidLayout() {
        return SemidLayout.X86_64;
    }

    @Override
    public int statSize() {
        return STAT_SIZE;
    }

    @Override
    public void writeStat(GuestMemory memory, long address, FileStatus st) {
        ByteBuffer b = ByteBuffer.allocate(STAT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, st.dev()).putLong(8, st.ino()).putLong(16, st.nlink()).putInt(24, st.mode())
                .putInt(28, st.uid()).putInt(32, st.gid()).putLong(40, st.rdev()).putLong(48, st.size())
                .putLong(56, st.blksize()).putLong(64, st.blocks());
        GenericStat.putTime(b, 72, st.atimeNs());
        GenericStat.putTime(b, 88, st.mtimeNs());
        GenericStat.putTime(b, 104, st.ctimeNs());
        memory.write(address, b.array());
    }
}
