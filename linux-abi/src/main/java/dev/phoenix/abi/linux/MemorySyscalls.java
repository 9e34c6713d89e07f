package dev.phoenix.abi.linux;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.emu.Prot;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.FileStatus;
import dev.phoenix.libos.fs.HostFile;
import dev.phoenix.libos.fs.OpenFile;
import dev.phoenix.libos.mm.AddressSpace;
import dev.phoenix.libos.proc.Process;

/** brk(2), mmap(2), munmap(2) and mprotect(2) over the process's {@link AddressSpace}. */
final class MemorySyscalls {
    private MemorySyscalls() {}

    private static final int MAP_SHARED = 0x01, MAP_PRIVATE = 0x02, MAP_SHARED_VALIDATE = 0x03, MAP_TYPE = 0x0f,
            MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20, MAP_GROWSDOWN = 0x100, MAP_LOCKED = 0x2000, MAP_NONBLOCK = 0x10000,
            MAP_POPULATE = 0x8000, MAP_FIXED_NOREPLACE = 0x100000;
    private static final long PAGE = AddressSpace.PAGE;

    /** Implements Linux brk(2): returns the new break, or the old one when the request fails. */
    static long brk(SyscallContext c, long newBrk, long a1, long a2, long a3, long a4, long a5) {
        var p = c.process();
        AddressSpace as = p.addressSpace();
        if (newBrk < p.brkStart) {
            return p.brk;
        }
        // check_data_rlimit: the heap and the image's data together within RLIMIT_DATA.
        if ((newBrk - p.brkStart) + (p.endData - p.startData) > p.rlimitCurOrMax(Process.RLIMIT_DATA)) {
            return p.brk;
        }
        long oldTop = AddressSpace.pageUp(p.brk);
        long newTop = AddressSpace.pageUp(newBrk);
        if (newTop > oldTop) {
            if (!as.isFree(oldTop, newTop) || !mayExpand(p, newTop - oldTop, true)) {
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

    /**
     * Linux's may_expand_vm: {@code bytes} more of address space stay within RLIMIT_AS and, for
     * data ({@link AddressSpace#dataBytes}), within RLIMIT_DATA, counted in whole pages; a data
     * limit of 0 lets data grow up to the hard limit.
     */
    private static boolean mayExpand(Process p, long bytes, boolean data) {
        long as = p.rlimitCurOrMax(Process.RLIMIT_AS);
        long dataLimit = p.rlimitCurOrMax(Process.RLIMIT_DATA);
        if (as == Long.MAX_VALUE && (dataLimit == Long.MAX_VALUE || !data)) {
            return true;
        }
        long pages = bytes / PAGE;
        if (p.addressSpace().mappedBytes() / PAGE + pages > as / PAGE) {
            return false;
        }
        if (data) {
            long dataPages = p.addressSpace().dataBytes() / PAGE + pages;
            if (dataPages > dataLimit / PAGE) {
                long hard = p.rlimitMax[Process.RLIMIT_DATA];
                return dataLimit == 0 && (hard < 0 || dataPages <= hard / PAGE);
            }
        }
        return true;
    }

    /** Linux's default vm.mmap_min_addr. */
    private static final long MMAP_MIN_ADDR = AddressSpace.MMAP_MIN_ADDR;

    /** TASK_SIZE: the end of the guest's part of the address space. */
    private static long taskSize(SyscallContext c) {
        return c.abi().taskSize();
    }

    /** True when {@code [addr, addr+len)} lies inside the address space, without wrapping (unsigned). */
    private static boolean inTask(long addr, long len, long task) {
        return Long.compareUnsigned(len, task) <= 0 && Long.compareUnsigned(addr, task - len) <= 0;
    }

    /**
     * {@code length} rounded up to pages, or 0 when it would pass the end of the address space
     * (PAGE_ALIGN, whose overflow the callers check as Linux does).
     */
    private static long pageAlign(long length) {
        long len = AddressSpace.pageUp(length);
        return Long.compareUnsigned(len, length) < 0 ? 0 : len;
    }

    /**
     * Implements Linux mmap(2): anonymous, private file (the host's page cache, copy-on-write) and shared
     * file (the page cache) mappings. MAP_POPULATE (without MAP_NONBLOCK) and MAP_LOCKED give the
     * pages their frames before returning, as do_mmap's caller runs mm_populate; a failure to
     * populate does not fail the call (Linux ignores it too).
     */
    static long mmap(SyscallContext c, long addr, long length, long prot, long flags, long fd, long offset) {
        long at = mapOnly(c, addr, length, prot, flags, fd, offset);
        if (at >= 0 && ((flags & MAP_LOCKED) != 0 || (flags & (MAP_POPULATE | MAP_NONBLOCK)) == MAP_POPULATE)) {
            populate(c, at, at + pageAlign(length), (flags & MAP_TYPE) == MAP_PRIVATE);
        }
        return at;
    }

    /**
     * Gives {@code [start, end)} of the caller's memory its frames (Linux's populate_vma_page_range:
     * writable private pages as by a write fault when {@code write}), charging them to its memory
     * cgroup a chunk at a time, so that a populate past memory.max meets the OOM killer as Linux's
     * faults do; false when it stopped early (a fatal signal, or the host refused).
     */
    static boolean populate(SyscallContext c, long start, long end, boolean write) {
        var p = c.process();
        return p.addressSpace().populate(start, end, write, () -> c.kernel().memoryChargedAfterPopulate(p));
    }

    /** mmap(2) without its populate: makes the mapping and returns its address or -errno. */
    private static long mapOnly(SyscallContext c, long addr, long length, long prot, long flags, long fd, long offset) {
        int type = (int) (flags & MAP_TYPE);
        if (length == 0 || (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE)
                || (prot & ~(long) Prot.ALL & ~0x03000000L) != 0 || (offset & (PAGE - 1)) != 0) {
            return -Errno.EINVAL;
        }
        long len = pageAlign(length);
        if (len == 0 || Long.compareUnsigned(len, taskSize(c)) > 0) {
            return -Errno.ENOMEM;
        }
        OpenFile file = (flags & MAP_ANONYMOUS) == 0 ? c.fds().get(fd) : null;
        if (file != null && file.mapsAsAnonymous()) {
            file = null; // /dev/zero
        }
        FileStatus st = file != null ? file.status() : null;
        // A device's own memory (a /dev/vgpu0 buffer): shared only, as DRM's mmap requires.
        dev.phoenix.libos.cap.Frames deviceFrames = file != null ? file.deviceFrames(offset, len) : null;
        try {
            return mmapResolved(c, addr, len, prot, flags, type, offset, file, st, deviceFrames);
        } finally {
            if (deviceFrames != null) {
                deviceFrames.release(); // the lookup's hold; the mapping holds them itself
            }
        }
    }

    /** mmap(2) once the file and a device's frames are known. */
    private static long mmapResolved(SyscallContext c, long addr, long len, long prot, long flags, int type, long offset,
            OpenFile file, FileStatus st, dev.phoenix.libos.cap.Frames deviceFrames) {
        if (deviceFrames != null && type == MAP_PRIVATE) {
            return -Errno.EINVAL;
        }
        if (file != null && deviceFrames == null) {
            if (file.guestPath() == null || (st.mode() & FileStatus.S_IFMT) != FileStatus.S_IFREG) {
                return -Errno.ENODEV; // pipes, terminals, directories and devices cannot be mapped
            }
            int acc = file.statusFlags() & 3;
            if (acc == 1 || (type != MAP_PRIVATE && (prot & Prot.WRITE) != 0 && acc != 2)) {
                return -Errno.EACCES;
            }
            if (type != MAP_PRIVATE && !(file instanceof HostFile)) {
                return -Errno.ENODEV; // a synthetic file has no pages to share
            }
        }
        AddressSpace as = c.process().addressSpace();
        boolean fixed = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0;
        long at;
        if (fixed) {
            if ((addr & (PAGE - 1)) != 0) {
                return -Errno.EINVAL;
            }
            if (!inTask(addr, len, taskSize(c))) {
                return -Errno.ENOMEM;
            }
            if (addr < MMAP_MIN_ADDR) {
                return -Errno.EPERM; // vm.mmap_min_addr keeps page 0 (NULL) unmappable
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
        // What a MAP_FIXED mapping replaces is not new address space.
        boolean data = (prot & Prot.WRITE) != 0 && type == MAP_PRIVATE && (flags & MAP_GROWSDOWN) == 0;
        if (!mayExpand(c.process(), len - (fixed ? as.mappedBytesIn(at, at + len) : 0), data)) {
            return -Errno.ENOMEM;
        }
        if (deviceFrames != null) {
            as.mapDevice(at, len, (int) (prot & Prot.ALL), deviceFrames, file.guestPath(), offset, st.dev(), st.ino());
            return at;
        }
        if (file == null) {
            as.mapAnonymous(at, len, (int) (prot & Prot.ALL), null);
            if ((flags & MAP_GROWSDOWN) != 0) {
                as.setGrowsDown(at);
            }
            if (type != MAP_PRIVATE) {
                as.setSharedAnonymous(at);
            }
            return at;
        }
        if (type != MAP_PRIVATE) {
            as.mapShared(at, len, (int) (prot & Prot.ALL), ((HostFile) file).mapShared(), offset);
            return at;
        }
        if (file instanceof HostFile hf) {
            int hostFd = hf.reopenForReading();
            if (hostFd >= 0) {
                try {
                    as.mapPrivateFile(at, len, (int) (prot & Prot.ALL), hostFd, st.size(), offset, file.guestPath(),
                            hf.hostPath(), st.dev(), st.ino());
                } finally {
                    dev.phoenix.emu.host.HostOs.close(hostFd);
                }
                return at;
            }
        }
        // A synthetic file's private mapping is a copy of its bytes: fill fresh pages from the
        // file, then give them their protections. Past the end of file: zeros.
        as.mapAnonymous(at, len, Prot.READ | Prot.WRITE, file.guestPath());
        as.setFileIdentity(at, offset, st.dev(), st.ino());
        byte[] buf = new byte[(int) Math.min(len, 1 << 20)];
        for (long done = 0; done < len; ) {
            int n = file.pread(buf, 0, (int) Math.min(buf.length, len - done), offset + done);
            if (n <= 0) {
                break;
            }
            as.memory().write(at + done, buf, 0, n);
            done += n;
        }
        as.protect(at, len, (int) (prot & Prot.ALL));
        return at;
    }

    private static final int MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2;
    private static final int MADV_DONTNEED = 4, MADV_POPULATE_READ = 22, MADV_POPULATE_WRITE = 23;

    /** Implements Linux mremap(2): shrinking in place, growing in place when free, or moving with MREMAP_MAYMOVE. */
    static long mremap(SyscallContext c, long oldAddr, long oldSize, long newSize, long flags, long newAddr, long a5) {
        if ((flags & ~(long) (MREMAP_MAYMOVE | MREMAP_FIXED)) != 0
                || ((flags & MREMAP_FIXED) != 0 && (flags & MREMAP_MAYMOVE) == 0) || (oldAddr & (PAGE - 1)) != 0) {
            return -Errno.EINVAL;
        }
        long oldLen = pageAlign(oldSize);
        long newLen = pageAlign(newSize);
        long task = taskSize(c);
        if (newLen == 0 || Long.compareUnsigned(newLen, task) > 0) {
            return -Errno.EINVAL; // a new length no address space holds
        }
        boolean fixed = (flags & MREMAP_FIXED) != 0;
        if (fixed && ((newAddr & (PAGE - 1)) != 0 || !inTask(newAddr, newLen, task)
                || (oldAddr + oldLen > newAddr && newAddr + newLen > oldAddr))) {
            return -Errno.EINVAL; // mremap_to: the new range inside the address space, apart from the old
        }
        AddressSpace as = c.process().addressSpace();
        boolean oldInRange = inTask(oldAddr, oldLen, task);
        if (!fixed && Long.compareUnsigned(oldLen, newLen) >= 0) {
            if (oldLen != newLen) {
                if (!oldInRange) {
                    return -Errno.EINVAL; // as munmap of the tail would say
                }
                as.unmap(oldAddr + newLen, oldLen - newLen);
            }
            return oldAddr; // a shrinking remap only unmaps the tail
        }
        if (!oldInRange || !as.isFullyMapped(oldAddr, oldAddr + Math.max(oldLen, PAGE))) {
            return -Errno.EFAULT;
        }
        if (newLen > oldLen && !mayExpand(c.process(), newLen - oldLen, as.isDataAt(oldAddr))) {
            return -Errno.ENOMEM;
        }
        if (!fixed) {
            if (inTask(oldAddr, newLen, task) && as.isFree(oldAddr + oldLen, oldAddr + newLen)) {
                as.extend(oldAddr + oldLen, newLen - oldLen);
                return oldAddr;
            }
            if ((flags & MREMAP_MAYMOVE) == 0) {
                return -Errno.ENOMEM;
            }
        }
        long to = fixed ? newAddr : as.findFree(newLen);
        if (to < 0) {
            return -Errno.ENOMEM;
        }
        as.move(oldAddr, oldLen, to, newLen);
        return to;
    }

    /** The advice values Linux 6.1 knows (madvise_behavior_valid): others are EINVAL. */
    private static boolean validAdvice(long advice) {
        return (advice >= 0 && advice <= 4) || (advice >= 8 && advice <= 25) || advice == 100 || advice == 101;
    }

    /**
     * Implements Linux madvise(2): MADV_DONTNEED zeroes private pages, MADV_POPULATE_* fault pages
     * in; other advice is accepted and ignored.
     */
    static long madvise(SyscallContext c, long addr, long len, long advice, long a3, long a4, long a5) {
        if (!validAdvice(advice) || (addr & (PAGE - 1)) != 0) {
            return -Errno.EINVAL;
        }
        long l = pageAlign(len);
        long end = addr + l;
        if ((len != 0 && l == 0) || Long.compareUnsigned(end, addr) < 0) {
            return -Errno.EINVAL;
        }
        if (end == addr) {
            return 0;
        }
        AddressSpace as = c.process().addressSpace();
        if (Long.compareUnsigned(end, taskSize(c)) > 0 || !as.isFullyMapped(addr, end)) {
            return -Errno.ENOMEM;
        }
        if (advice == MADV_DONTNEED) {
            as.zero(addr, l);
        } else if (advice == MADV_POPULATE_READ || advice == MADV_POPULATE_WRITE) {
            return populateAdvice(c, addr, end, advice == MADV_POPULATE_WRITE);
        }
        return 0;
    }

    /**
     * MADV_POPULATE_READ/WRITE (madvise_populate): EINVAL when a mapping of the range cannot be
     * populated so (no access, no write permission for WRITE, I/O pages), EFAULT when a page
     * would raise SIGBUS (a shared file mapping past its end); EINTR when a fatal signal (the
     * OOM killer's) stopped it, which the process will not see.
     */
    private static long populateAdvice(SyscallContext c, long addr, long end, boolean write) {
        AddressSpace as = c.process().addressSpace();
        for (long a = addr; a < end; a += PAGE) {
            int prot = as.protectionAt(a);
            if (prot == Prot.NONE || (write && (prot & Prot.WRITE) == 0)) {
                return -Errno.EINVAL;
            }
            if (as.isBeyondEndOfFile(a)) {
                return -Errno.EFAULT;
            }
        }
        return populate(c, addr, end, write) ? 0 : -Errno.EINTR;
    }

    /**
     * Implements Linux msync(2): shared file mappings are the host's page cache, so the file
     * already sees every store; MS_SYNC also makes it reach the disk.
     */
    static long msync(SyscallContext c, long addr, long len, long flags, long a3, long a4, long a5) {
        // MS_ASYNC 1, MS_INVALIDATE 2, MS_SYNC 4; ASYNC and SYNC together are invalid.
        if ((flags & ~7L) != 0 || (addr & (PAGE - 1)) != 0 || (flags & 5L) == 5L) {
            return -Errno.EINVAL;
        }
        long end = addr + pageAlign(len);
        if (Long.compareUnsigned(end, addr) < 0) {
            return -Errno.ENOMEM;
        }
        if (end == addr) {
            return 0;
        }
        AddressSpace as = c.process().addressSpace();
        if (Long.compareUnsigned(end, taskSize(c)) > 0 || !as.isFullyMapped(addr, end)) {
            return -Errno.ENOMEM;
        }
        if ((flags & 4) != 0) {
            as.sync(addr, end);
        }
        return 0;
    }

    /** Implements Linux mincore(2): guest pages are host memory and count as resident. */
    static long mincore(SyscallContext c, long addr, long len, long vec, long a3, long a4, long a5) {
        if ((addr & (PAGE - 1)) != 0) {
            return -Errno.EINVAL;
        }
        long task = taskSize(c);
        if (!inTask(addr, len, task)) {
            return -Errno.ENOMEM; // access_ok
        }
        long l = AddressSpace.pageUp(len);
        if (!c.process().addressSpace().isFullyMapped(addr, addr + l)) {
            return -Errno.ENOMEM;
        }
        byte[] ones = new byte[(int) Math.min(l / PAGE, 1 << 16)];
        java.util.Arrays.fill(ones, (byte) 1);
        for (long done = 0; done < l / PAGE; done += ones.length) {
            c.memory().write(vec + done, ones, 0, (int) Math.min(ones.length, l / PAGE - done));
        }
        return 0;
    }

    /** Implements Linux munmap(2). */
    static long munmap(SyscallContext c, long addr, long length, long a2, long a3, long a4, long a5) {
        long task = taskSize(c);
        if ((addr & (PAGE - 1)) != 0 || !inTask(addr, length, task) || pageAlign(length) == 0) {
            return -Errno.EINVAL;
        }
        AddressSpace as = c.process().addressSpace();
        long len = pageAlign(length);
        dev.phoenix.libos.proc.Task t = c.task();
        long done = t.progress(); // unmapped before a preemption point gave way
        long started = done;
        while (done < len) { // a large munmap gives way to a better task between steps
            if (done > started && t.preemptionWanted()) {
                throw t.preemptInSyscall(done);
            }
            long step = Math.min(UNMAP_STEP, len - done);
            as.unmap(addr + done, step);
            done += step;
        }
        return 0;
    }

    /**
     * How much of a munmap goes between two preemption points: 256 MiB, about 20 ms of freeing
     * touched pages. Each step costs the engine about 6 ms of its own (Unicorn splits the region
     * and drops translated code on every unmap: 16 steps of 64 MiB took 225 ms where one call of
     * 1 GiB took 86-150 ms), so steps are few and large.
     */
    private static final long UNMAP_STEP = 256L << 20;

    /** Implements Linux mprotect(2). */
    static long mprotect(SyscallContext c, long addr, long length, long prot, long a3, long a4, long a5) {
        if ((addr & (PAGE - 1)) != 0) {
            return -Errno.EINVAL;
        }
        if (length == 0) {
            return 0; // before prot is looked at, as in do_mprotect_pkey
        }
        long end = addr + pageAlign(length);
        if (Long.compareUnsigned(end, addr) <= 0) {
            return -Errno.ENOMEM;
        }
        if ((prot & ~(long) Prot.ALL & ~0x03000000L) != 0) {
            return -Errno.EINVAL;
        }
        AddressSpace as = c.process().addressSpace();
        if (Long.compareUnsigned(end, taskSize(c)) > 0 || !as.isFullyMapped(addr, end)) {
            return -Errno.ENOMEM;
        }
        as.protect(addr, end - addr, (int) (prot & Prot.ALL));
        return 0;
    }
}
