package dev.phoenix.abi.linux;

import static dev.phoenix.abi.linux.SysvIpc.IPC_INFO;
import static dev.phoenix.abi.linux.SysvIpc.IPC_RMID;
import static dev.phoenix.abi.linux.SysvIpc.IPC_SET;
import static dev.phoenix.abi.linux.SysvIpc.IPC_STAT;
import static dev.phoenix.abi.linux.SysvIpc.READ;
import static dev.phoenix.abi.linux.SysvIpc.WRITE;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.emu.Prot;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.cap.Frames;
import dev.phoenix.libos.ipc.IpcIds;
import dev.phoenix.libos.ipc.IpcPerm;
import dev.phoenix.libos.ipc.IpcSpace;
import dev.phoenix.libos.ipc.ShmSegment;
import dev.phoenix.libos.mm.AddressSpace;
import dev.phoenix.libos.proc.Credentials;

/**
 * System V shared memory (shmget(2), shmat(2), shmdt(2), shmctl(2)), following Linux's
 * ipc/shm.c. A segment's frames are mapped into each attacher's address space as MAP_SHARED
 * anonymous memory is, so fork shares the attachments and exit and execve drop them.
 */
final class SysvShmSyscalls {
    private SysvShmSyscalls() {}

    private static final int SHM_RDONLY = 010000, SHM_RND = 020000, SHM_REMAP = 040000, SHM_EXEC = 0100000;
    private static final int SHM_LOCK = 11, SHM_UNLOCK = 12, SHM_STAT = 13, SHM_INFO = 14, SHM_STAT_ANY = 15;
    /** SHMLBA: the page size on all three arches (arm64's 16 KiB is for compat tasks only). */
    private static final long SHMLBA = AddressSpace.PAGE;
    /** CAP_IPC_LOCK (capabilities(7)), which SHM_LOCK needs unless the caller owns the segment. */
    private static final int CAP_IPC_LOCK = 14;

    /** Implements Linux shmget(2): sizes from SHMMIN to shmmax; an existing segment smaller than asked is EINVAL. */
    static long shmget(SyscallContext c, long key, long size, long flags, long a3, long a4, long a5) {
        IpcSpace space = SysvIpc.space(c);
        space.reapShm();
        Credentials cr = c.process().credentials();
        long now = SysvIpc.now(c);
        int pid = SysvIpc.pid(c);
        return space.shm.get((int) key, (int) flags, cr, IpcSpace.SHMMNI, () -> {
            if (size < IpcSpace.SHMMIN || Long.compareUnsigned(size, IpcSpace.SHMMAX) > 0
                    || Long.compareUnsigned(size, c.process().addressSpace().allocator().limitPages()
                            * AddressSpace.PAGE) > 0) {
                throw Errno.of(size < IpcSpace.SHMMIN || Long.compareUnsigned(size, IpcSpace.SHMMAX) > 0
                        ? Errno.EINVAL : Errno.ENOMEM);
            }
            Frames frames = c.process().addressSpace().allocator().allocate(AddressSpace.pageUp(size));
            if (frames == null) {
                throw Errno.of(Errno.ENOMEM);
            }
            return new ShmSegment(new IpcPerm((int) key, (int) flags, cr), now, size, frames, pid);
        }, s -> Long.compareUnsigned(s.size, size) < 0 ? Errno.EINVAL : 0);
    }

    /**
     * Implements Linux shmat(2): at {@code shmaddr} (rounded down to SHMLBA with SHM_RND, else
     * EINVAL when unaligned; EINVAL when it overlaps a mapping, unless SHM_REMAP), or where mmap
     * would put it; read-only with SHM_RDONLY, executable with SHM_EXEC.
     */
    static long shmat(SyscallContext c, long shmid, long shmaddr, long flags, long a3, long a4, long a5) {
        IpcSpace space = SysvIpc.space(c);
        space.reapShm();
        long addr = shmaddr;
        if ((addr & (SHMLBA - 1)) != 0) {
            if ((flags & SHM_RND) == 0) {
                return -Errno.EINVAL;
            }
            addr &= -SHMLBA;
            if (addr == 0 && (flags & SHM_REMAP) != 0) {
                return -Errno.EINVAL;
            }
        }
        boolean rdonly = (flags & SHM_RDONLY) != 0;
        int prot = Prot.READ | (rdonly ? 0 : Prot.WRITE) | ((flags & SHM_EXEC) != 0 ? Prot.EXEC : 0);
        int access = READ | (rdonly ? 0 : WRITE) | ((flags & SHM_EXEC) != 0 ? 0111 : 0);
        AddressSpace as = c.process().addressSpace();
        synchronized (space.shm) { // no reap between the lookup and the new hold on the frames
            ShmSegment s = space.shm.find((int) shmid);
            if (s == null) {
                return -Errno.EINVAL;
            }
            if (!s.perm.permits(c.process().credentials(), access)) {
                return -Errno.EACCES;
            }
            long len = AddressSpace.pageUp(s.size);
            if (addr != 0) {
                if (addr + len < addr || Long.compareUnsigned(addr + len, c.abi().taskSize()) > 0) {
                    return -Errno.EINVAL;
                }
                if ((flags & SHM_REMAP) == 0 && !as.isFree(addr, addr + len)) {
                    return -Errno.EINVAL;
                }
            } else {
                addr = as.findFree(len);
                if (addr < 0) {
                    return -Errno.ENOMEM;
                }
            }
            as.mapSysv(addr, len, prot, s.frames, s, s.mapsName(), s.perm.id());
            synchronized (s) {
                s.atime = SysvIpc.now(c);
                s.lpid = SysvIpc.pid(c);
            }
            return addr;
        }
    }

    /** Implements Linux shmdt(2): detaches the segment attached at {@code shmaddr} (EINVAL when none is). */
    static long shmdt(SyscallContext c, long shmaddr, long a1, long a2, long a3, long a4, long a5) {
        if ((shmaddr & (AddressSpace.PAGE - 1)) != 0) {
            return -Errno.EINVAL;
        }
        AddressSpace as = c.process().addressSpace();
        if (!(as.sysvAt(shmaddr) instanceof ShmSegment s)) {
            return -Errno.EINVAL;
        }
        as.unmapSysv(shmaddr, shmaddr + AddressSpace.pageUp(s.size), s);
        synchronized (s) {
            s.dtime = SysvIpc.now(c);
            s.lpid = SysvIpc.pid(c);
        }
        SysvIpc.space(c).reapShm();
        return 0;
    }

    /** Implements Linux shmctl(2): IPC_STAT, SHM_STAT, SHM_STAT_ANY, IPC_SET, IPC_RMID, IPC_INFO, SHM_INFO, SHM_LOCK, SHM_UNLOCK. */
    static long shmctl(SyscallContext c, long shmid, long cmd, long buf, long a3, long a4, long a5) {
        int command = SysvIpc.command(cmd);
        if ((int) shmid < 0) {
            return -Errno.EINVAL;
        }
        IpcSpace space = SysvIpc.space(c);
        space.reapShm();
        IpcIds<ShmSegment> ids = space.shm;
        Credentials cr = c.process().credentials();
        switch (command) {
            case IPC_INFO -> {
                byte[] b = new byte[72];
                SysvIpc.putLong(b, 0, IpcSpace.SHMMAX);
                SysvIpc.putLong(b, 8, IpcSpace.SHMMIN);
                SysvIpc.putLong(b, 16, IpcSpace.SHMMNI);
                SysvIpc.putLong(b, 24, IpcSpace.SHMMNI); // SHMSEG
                SysvIpc.putLong(b, 32, IpcSpace.SHMALL);
                c.memory().write(buf, b);
                return Math.max(ids.maxIndex(), 0);
            }
            case SHM_INFO -> {
                long pages = 0;
                java.util.List<ShmSegment> all = ids.all();
                for (ShmSegment s : all) {
                    pages += AddressSpace.pageUp(s.size) / AddressSpace.PAGE;
                }
                byte[] b = new byte[48];
                SysvIpc.putInt(b, 0, all.size());
                SysvIpc.putLong(b, 8, pages); // shm_tot
                SysvIpc.putLong(b, 16, pages); // shm_rss: Phoenix does not know which pages the host made resident
                c.memory().write(buf, b);
                return Math.max(ids.maxIndex(), 0);
            }
            case IPC_STAT, SHM_STAT, SHM_STAT_ANY -> {
                ShmSegment s = command == IPC_STAT ? ids.find((int) shmid) : ids.atIndex((int) shmid);
                if (s == null) {
                    return -Errno.EINVAL;
                }
                if (command != SHM_STAT_ANY && !s.perm.permits(cr, READ)) {
                    return -Errno.EACCES;
                }
                writeStat(c, buf, s);
                return command == IPC_STAT ? 0 : s.perm.id();
            }
            case IPC_SET -> {
                int[] set = SysvIpc.readPermForSet(c, buf);
                ShmSegment s = owned(c, ids, (int) shmid);
                synchronized (s) {
                    SysvIpc.applySet(s.perm, set);
                    s.ctime = SysvIpc.now(c);
                }
                return 0;
            }
            case IPC_RMID -> {
                space.remove(owned(c, ids, (int) shmid));
                return 0;
            }
            case SHM_LOCK, SHM_UNLOCK -> {
                ShmSegment s = lookup(ids, (int) shmid);
                if (!cr.capable(CAP_IPC_LOCK)) {
                    if (cr.euid != s.perm.uid && cr.euid != s.perm.cuid) {
                        return -Errno.EPERM;
                    }
                    if (command == SHM_LOCK && c.process().rlimitCurOrMax(8) == 0) { // RLIMIT_MEMLOCK
                        return -Errno.EPERM;
                    }
                }
                synchronized (s) {
                    s.perm.mode = command == SHM_LOCK ? s.perm.mode | ShmSegment.SHM_LOCKED
                            : s.perm.mode & ~ShmSegment.SHM_LOCKED;
                }
                return 0;
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
    }

    private static ShmSegment lookup(IpcIds<ShmSegment> ids, int id) {
        ShmSegment s = ids.find(id);
        if (s == null) {
            throw Errno.of(Errno.EINVAL);
        }
        return s;
    }

    private static ShmSegment owned(SyscallContext c, IpcIds<ShmSegment> ids, int id) {
        ShmSegment s = lookup(ids, id);
        if (!s.perm.ownedBy(c.process().credentials())) {
            throw Errno.of(Errno.EPERM);
        }
        return s;
    }

    /** Writes struct shmid64_ds (one layout on all three arches). */
    private static void writeStat(SyscallContext c, long a, ShmSegment s) {
        byte[] b = new byte[112];
        synchronized (s) {
            SysvIpc.writePerm(c, a, s.perm);
            SysvIpc.putLong(b, 48, s.size);
            SysvIpc.putLong(b, 56, s.atime);
            SysvIpc.putLong(b, 64, s.dtime);
            SysvIpc.putLong(b, 72, s.ctime);
            SysvIpc.putInt(b, 80, SysvIpc.pidSeen(c, s.cpid));
            SysvIpc.putInt(b, 84, SysvIpc.pidSeen(c, s.lpid));
            SysvIpc.putLong(b, 88, s.nattch());
        }
        c.memory().write(a + SysvIpc.PERM_SIZE, b, SysvIpc.PERM_SIZE, b.length - SysvIpc.PERM_SIZE);
    }
}
