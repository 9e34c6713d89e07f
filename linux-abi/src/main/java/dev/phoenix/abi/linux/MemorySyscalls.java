package dev.phoenix.abi.linux;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.emu.Prot;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.mm.AddressSpace;

/** brk(2), mmap(2), munmap(2) and mprotect(2) over the process's {@link AddressSpace}. */
final class MemorySyscalls {
    private MemorySyscalls() {}

    private static final int MAP_SHARED = 0x01, MAP_PRIVATE = 0x02, MAP_SHARED_VALIDATE = 0x03, MAP_TYPE = 0x0f,
            MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20, MAP_FIXED_NOREPLACE = 0x100000;
    private static final long PAGE = AddressSpace.PAGE;

    /** Implements Linux brk(2): returns the new break, or the old one when the request fails. */
    static long brk(SyscallContext c, long newBrk, long a1, long a2, long a3, long a4, long a5) {
        var p = c.process();
        AddressSpace as = p.addressSpace();
        if (newBrk < p.brkStart) {
            return p.brk;
        }
        long oldTop = AddressSpace.pageUp(p.brk);
        long newTop = AddressSpace.pageUp(newBrk);
        if (newTop > oldTop) {
            if (!as.isFree(oldTop, newTop) || newTop - p.brkStart > p.rlimitCurOrMax(2)) {
                return p.brk;
            }
            try {
                as.mapAnonymous(oldTop, newTop - oldTop, Prot.READ | Prot.WRITE, "[heap]");
            } catch (Errno e) {
                return p.brk;
            }
        } else if (newTop < oldTop) {
            as.unmap(newTop, oldTop - newTop);
        }
        p.brk = newBrk;
        return newBrk;
    }

    /** Implements Linux mmap(2) for anonymous mappings. */
    static long mmap(SyscallContext c, long addr, long length, long prot, long flags, long fd, long offset) {
        int type = (int) (flags & MAP_TYPE);
        if (length == 0 || (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE)
                || (prot & ~(long) Prot.ALL & ~0x03000000L) != 0 || (offset & (PAGE - 1)) != 0) {
            return -Errno.EINVAL;
        }
        long len = AddressSpace.pageUp(length);
        if (len <= 0) {
            return -Errno.ENOMEM;
        }
        if ((flags & MAP_ANONYMOUS) == 0) {
            // File mappings need the VFS (the ABI core issue); say so rather than pretend.
            return -Errno.ENODEV;
        }
        AddressSpace as = c.process().addressSpace();
        boolean fixed = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0;
        long at;
        if (fixed) {
            if ((addr & (PAGE - 1)) != 0) {
                return -Errno.EINVAL;
            }
            if ((flags & MAP_FIXED) == 0 && !as.isFree(addr, addr + len)) {
                return -Errno.EEXIST;
            }
            at = addr;
        } else {
            long hint = AddressSpace.pageDown(addr);
            at = hint != 0 && hint >= c.abi().mmapBottom() && as.isFree(hint, hint + len) ? hint : as.findFree(len);
            if (at < 0) {
                return -Errno.ENOMEM;
            }
        }
        as.mapAnonymous(at, len, (int) (prot & Prot.ALL), null);
        return at;
    }

    /** Implements Linux munmap(2). */
    static long munmap(SyscallContext c, long addr, long length, long a2, long a3, long a4, long a5) {
        if ((addr & (PAGE - 1)) != 0 || length == 0 || AddressSpace.pageUp(length) <= 0) {
            return -Errno.EINVAL;
        }
        c.process().addressSpace().unmap(addr, length);
        return 0;
    }

    /** Implements Linux mprotect(2). */
    static long mprotect(SyscallContext c, long addr, long length, long prot, long a3, long a4, long a5) {
        if ((addr & (PAGE - 1)) != 0 || (prot & ~(long) Prot.ALL & ~0x03000000L) != 0) {
            return -Errno.EINVAL;
        }
        if (length == 0) {
            return 0;
        }
        c.process().addressSpace().protect(addr, length, (int) (prot & Prot.ALL));
        return 0;
    }
}
