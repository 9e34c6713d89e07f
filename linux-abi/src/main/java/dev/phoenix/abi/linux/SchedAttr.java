package dev.phoenix.abi.linux;

import dev.phoenix.emu.Prot;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.mm.GuestMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * struct sched_attr (include/uapi/linux/sched/types.h), the argument of sched_setattr(2) and
 * sched_getattr(2), with the size protocol that lets the struct grow: the caller says in
 * {@code size} how much it knows, and the kernel takes or gives what both know. Phoenix knows
 * Linux's 56 bytes (SCHED_ATTR_SIZE_VER1: the utilization clamps); the clamps are always 0 here.
 *
 * @param policy sched_policy
 * @param flags sched_flags (SCHED_FLAG_*)
 * @param nice sched_nice, for the fair policies
 * @param priority sched_priority, for the real-time policies (unsigned in the struct)
 * @param runtime sched_runtime, for SCHED_DEADLINE (nanoseconds)
 * @param deadline sched_deadline, for SCHED_DEADLINE
 * @param period sched_period, for SCHED_DEADLINE (0: the deadline)
 */
record SchedAttr(int policy, long flags, int nice, int priority, long runtime, long deadline, long period) {
    /** The first published size, without the utilization clamps. */
    static final int SIZE_VER0 = 48;
    /** The size Phoenix knows, with the clamps: Linux's sizeof(struct sched_attr). */
    static final int SIZE = 56;
    /** The largest size either call accepts. */
    static final int PAGE_SIZE = 4096;

    /** sched_dl_period_min and _max: 100 µs and 2^22 µs (about 4 s), Linux's defaults. */
    private static final long DL_PERIOD_MIN = 100_000L, DL_PERIOD_MAX = (1L << 22) * 1_000L;
    /** Linux keeps deadline runtimes at a resolution of 2^DL_SCALE ns. */
    private static final int DL_SCALE = 10;

    SchedAttr withPolicy(int p) {
        return new SchedAttr(p, flags, nice, priority, runtime, deadline, period);
    }

    SchedAttr withPriority(int p) {
        return new SchedAttr(policy, flags, nice, p, runtime, deadline, period);
    }

    SchedAttr withNice(int n) {
        return new SchedAttr(policy, flags, n, priority, runtime, deadline, period);
    }

    /**
     * Reads the struct at {@code uattr} as Linux's sched_copy_attr does: {@code size} 0 means
     * the first version's 48 bytes; a size below that or above a page, or one that goes past
     * Phoenix's 56 bytes with anything but zeros there, is E2BIG, and Phoenix's size is written
     * back to {@code size} so the caller can retry; a shorter struct reads as zeros past its
     * end; the clamp flags need the clamps' fields (EINVAL); the nice value is clamped to -20..19.
     */
    static SchedAttr read(GuestMemory m, long uattr) {
        long size = Integer.toUnsignedLong(m.readInt(uattr));
        if (size == 0) {
            size = SIZE_VER0;
        }
        if (size < SIZE_VER0 || size > PAGE_SIZE) {
            throw tooBig(m, uattr);
        }
        if (size > SIZE) {
            for (byte b : m.read(uattr + SIZE, (int) (size - SIZE))) {
                if (b != 0) {
                    throw tooBig(m, uattr); // copy_struct_from_user: a field Phoenix does not know is set
                }
            }
        }
        byte[] raw = new byte[SIZE];
        m.read(uattr, raw, 0, (int) Math.min(size, SIZE));
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        long flags = b.getLong(8);
        if ((flags & SchedSyscalls.SCHED_FLAG_UTIL_CLAMP) != 0 && size < SIZE) {
            throw Errno.of(Errno.EINVAL);
        }
        int nice = Math.max(SchedRules.MIN_NICE, Math.min(SchedRules.MAX_NICE, b.getInt(16)));
        return new SchedAttr(b.getInt(4), flags, nice, b.getInt(20), b.getLong(24), b.getLong(32), b.getLong(40));
    }

    /** E2BIG, with Phoenix's size written to the struct's size field if the guest lets it (put_user's failure is not reported). */
    private static Errno tooBig(GuestMemory m, long uattr) {
        try {
            m.writeInt(uattr, SIZE);
        } catch (Errno e) {
            // Linux ignores put_user's result here too
        }
        return Errno.of(Errno.E2BIG);
    }

    /**
     * Writes the struct to {@code uattr} for a caller that knows {@code usize} bytes, as Linux's
     * sched_attr_copy_to_user does: what both know, with {@code size} saying how much that is,
     * and zeros over the rest of the caller's bytes; EFAULT when they are not all writable.
     */
    void write(GuestMemory m, long uattr, long usize) {
        ByteBuffer b = ByteBuffer.allocate(Math.max(SIZE, (int) usize)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, (int) Math.min(usize, SIZE)).putInt(4, policy).putLong(8, flags).putInt(16, nice)
                .putInt(20, priority).putLong(24, runtime).putLong(32, deadline).putLong(40, period);
        if (m.accessible(uattr, usize, Prot.WRITE) < usize) {
            throw Errno.of(Errno.EFAULT);
        }
        m.write(uattr, b.array(), 0, (int) usize);
    }

    /**
     * Linux's __checkparam_dl: a deadline, a runtime of at least 2^DL_SCALE ns, neither deadline
     * nor period using the top bit, runtime <= deadline <= period (0: the deadline), and the
     * period within sched_dl_period_min and _max.
     */
    boolean validDeadline() {
        if ((flags & SchedSyscalls.SCHED_FLAG_SUGOV) != 0) {
            return true;
        }
        if (deadline == 0 || Long.compareUnsigned(runtime, 1L << DL_SCALE) < 0 || deadline < 0 || period < 0) {
            return false;
        }
        long p = period == 0 ? deadline : period;
        if (p < deadline || Long.compareUnsigned(deadline, runtime) < 0) {
            return false;
        }
        return p >= DL_PERIOD_MIN && p <= DL_PERIOD_MAX;
    }
}
