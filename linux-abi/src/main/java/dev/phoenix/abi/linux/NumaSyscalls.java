package dev.phoenix.abi.linux;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.emu.Prot;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.mm.AddressSpace;
import dev.phoenix.libos.mm.GuestMemory;
import dev.phoenix.libos.proc.Task;

/**
 * NUMA memory policy on a machine of one node (node 0), as Linux answers on such a machine
 * (mm/mempolicy.c): set_mempolicy records the thread's policy and get_mempolicy reads it back;
 * every page is on node 0; mbind checks its range and policy and changes nothing, since there is
 * nowhere else to put the pages. libnuma's numa_available() asks get_mempolicy, so programs
 * linked with it (cyclictest) see a NUMA machine of one node rather than ENOSYS.
 */
final class NumaSyscalls {
    private static final int MPOL_DEFAULT = 0, MPOL_PREFERRED = 1, MPOL_BIND = 2, MPOL_INTERLEAVE = 3,
            MPOL_LOCAL = 4, MPOL_PREFERRED_MANY = 5, MPOL_WEIGHTED_INTERLEAVE = 6;
    private static final int MPOL_MODE_FLAGS = 1 << 15 | 1 << 14 | 1 << 13; // STATIC, RELATIVE, NUMA_BALANCING
    private static final int MPOL_F_NODE = 1, MPOL_F_ADDR = 2, MPOL_F_MEMS_ALLOWED = 4;
    private static final int MPOL_MF_STRICT = 1, MPOL_MF_MOVE = 2, MPOL_MF_MOVE_ALL = 4;
    /** Bits a node mask may have: Linux refuses masks of more than a page of bits. */
    private static final long MAX_NODE_BITS = 8L * AddressSpace.PAGE;

    private NumaSyscalls() {
    }

    /** Reads a node mask of {@code maxnode} bits (Linux reads maxnode - 1 of them); -1 when a bit past node 0 is set. */
    private static long readNodes(SyscallContext c, long nodemask, long maxnode) {
        if (nodemask == 0 || maxnode <= 1) {
            return 0;
        }
        if (Long.compareUnsigned(maxnode, MAX_NODE_BITS + 1) > 0) {
            throw Errno.of(Errno.EINVAL);
        }
        long bits = maxnode - 1;
        long words = (bits + 63) / 64;
        GuestMemory mem = c.memory();
        if (mem.accessible(nodemask, words * 8, Prot.READ) < words * 8) {
            throw Errno.of(Errno.EFAULT);
        }
        long mask = 0;
        for (long w = 0; w < words; w++) {
            long word = mem.readLong(nodemask + 8 * w);
            long valid = w == words - 1 && bits % 64 != 0 ? (1L << (bits % 64)) - 1 : -1L;
            word &= valid;
            if (w == 0) {
                mask = word & 1;
                word &= ~1L;
            }
            if (word != 0) {
                return -1; // a node this machine does not have
            }
        }
        return mask;
    }

    /** Checks a policy mode and its nodes as mpol_new does: returns the mode without its flags. */
    private static int checkMode(long mode, long nodes) {
        if ((mode & ~(0xffffL | MPOL_MODE_FLAGS)) != 0) {
            throw Errno.of(Errno.EINVAL);
        }
        int m = (int) (mode & 0xffff);
        if (nodes < 0) {
            throw Errno.of(Errno.EINVAL);
        }
        switch (m) {
            case MPOL_DEFAULT, MPOL_LOCAL -> {
                if (nodes != 0) {
                    throw Errno.of(Errno.EINVAL);
                }
            }
            case MPOL_PREFERRED -> { }
            case MPOL_BIND, MPOL_INTERLEAVE, MPOL_PREFERRED_MANY, MPOL_WEIGHTED_INTERLEAVE -> {
                if (nodes == 0) {
                    throw Errno.of(Errno.EINVAL);
                }
            }
            default -> throw Errno.of(Errno.EINVAL);
        }
        return m;
    }

    /** Implements Linux set_mempolicy(2) on one node: the thread's policy, read back by get_mempolicy. */
    static long setMempolicy(SyscallContext c, long mode, long nodemask, long maxnode, long a3, long a4, long a5) {
        long nodes = readNodes(c, nodemask, maxnode);
        int m = checkMode(mode, nodes);
        Task t = c.task();
        t.memPolicy = m == MPOL_LOCAL || m == MPOL_DEFAULT ? m : (int) mode;
        t.memPolicyNodes = nodes;
        return 0;
    }

    /** Implements Linux get_mempolicy(2) on one node: the thread's policy, node 0 for every address. */
    static long getMempolicy(SyscallContext c, long modePtr, long nodemask, long maxnode, long addr, long flags,
            long a5) {
        if ((flags & ~(long) (MPOL_F_NODE | MPOL_F_ADDR | MPOL_F_MEMS_ALLOWED)) != 0
                || (flags & MPOL_F_MEMS_ALLOWED) != 0 && (flags & (MPOL_F_NODE | MPOL_F_ADDR)) != 0) {
            return -Errno.EINVAL;
        }
        if (nodemask != 0 && (maxnode < 1 || Long.compareUnsigned(maxnode, MAX_NODE_BITS + 1) > 0)) {
            return -Errno.EINVAL; // fewer bits than the machine has node ids, or more than a page
        }
        if ((flags & MPOL_F_ADDR) == 0 && addr != 0) {
            return -Errno.EINVAL;
        }
        Task t = c.task();
        int mode = t.memPolicy;
        long nodes = t.memPolicyNodes;
        if ((flags & MPOL_F_MEMS_ALLOWED) != 0) {
            mode = MPOL_DEFAULT;
            nodes = 1;
        } else if ((flags & MPOL_F_ADDR) != 0) {
            if (!c.process().addressSpace().isFullyMapped(addr & -AddressSpace.PAGE,
                    (addr & -AddressSpace.PAGE) + AddressSpace.PAGE)) {
                return -Errno.EFAULT;
            }
            if ((flags & MPOL_F_NODE) != 0) {
                mode = 0; // the node the page is on
                nodes = 0;
            }
        } else if ((flags & MPOL_F_NODE) != 0) {
            if ((mode & 0xffff) != MPOL_INTERLEAVE && (mode & 0xffff) != MPOL_WEIGHTED_INTERLEAVE) {
                return -Errno.EINVAL;
            }
            mode = 0; // the next node interleaving gives: the only one
            nodes = 0;
        } else if ((mode & 0xffff) == MPOL_DEFAULT || (mode & 0xffff) == MPOL_LOCAL) {
            nodes = 0;
        }
        GuestMemory mem = c.memory();
        if (modePtr != 0) {
            if (mem.accessible(modePtr, 4, Prot.WRITE) < 4) {
                return -Errno.EFAULT;
            }
            mem.writeInt(modePtr, mode);
        }
        if (nodemask != 0) {
            long words = (maxnode + 63) / 64;
            if (mem.accessible(nodemask, words * 8, Prot.WRITE) < words * 8) {
                return -Errno.EFAULT;
            }
            for (long w = 0; w < words; w++) {
                mem.writeLong(nodemask + 8 * w, w == 0 ? nodes : 0);
            }
        }
        return 0;
    }

    /** Implements Linux mbind(2) on one node: the range and policy are checked; pages stay where they are, on node 0. */
    static long mbind(SyscallContext c, long addr, long len, long mode, long nodemask, long maxnode, long flags) {
        if ((flags & ~(long) (MPOL_MF_STRICT | MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)) != 0 || (addr & (AddressSpace.PAGE - 1)) != 0) {
            return -Errno.EINVAL;
        }
        long nodes = readNodes(c, nodemask, maxnode);
        int m = checkMode(mode, nodes);
        long l = (len + AddressSpace.PAGE - 1) & -AddressSpace.PAGE;
        long end = addr + l;
        if (Long.compareUnsigned(end, addr) < 0) {
            return -Errno.EINVAL;
        }
        AddressSpace as = c.process().addressSpace();
        if (end == addr) {
            return 0;
        }
        // Linux 6.x: a range with no mapping at all is EFAULT; holes are fine for MPOL_DEFAULT only
        if (as.isFree(addr, end) || m != MPOL_DEFAULT && !as.isFullyMapped(addr, end)) {
            return -Errno.EFAULT;
        }
        return 0;
    }
}
