package dev.phoenix.abi.linux;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.ipc.IpcPerm;
import dev.phoenix.libos.ipc.IpcSpace;
import dev.phoenix.libos.mm.GuestMemory;

/**
 * What the System V IPC calls share: the caller's namespace's objects, the time and pid they
 * record, the control commands' numbers, and {@code struct ipc64_perm}, which has one layout on
 * all three arches (asm-generic/ipcbuf.h: key, uid, gid, cuid, cgid, mode, seq; 48 bytes).
 */
final class SysvIpc {
    private SysvIpc() {}

    /** Control commands (ipc.h, msg.h, sem.h, shm.h). */
    static final int IPC_RMID = 0, IPC_SET = 1, IPC_STAT = 2, IPC_INFO = 3;
    /** Linux's IPC_64 flag, which the 64-bit arches' msgctl, semctl and shmctl do not take (EINVAL). */
    static final int IPC_64 = 0x100;
    /** S_IRUGO and S_IWUGO: the access a read or a write of an object asks for. */
    static final int READ = 0444, WRITE = 0222;
    static final int PERM_SIZE = 48;

    /** The caller's IPC namespace's objects. */
    static IpcSpace space(SyscallContext c) {
        return c.process().namespaces.ipc().objects;
    }

    /** Seconds since the epoch, by the kernel's clock (the times the structs record). */
    static long now(SyscallContext c) {
        return Math.floorDiv(c.kernel().clock().realtimeNanos(), 1_000_000_000L);
    }

    /** The caller's pid, as the objects record it. */
    static int pid(SyscallContext c) {
        return c.process().pid();
    }

    /**
     * Writes {@code p} as struct ipc64_perm at {@code a}, its ids as the caller's user namespace
     * maps them (ipc_update_perm's from_kuid_munged). @GuardedBy the object's monitor
     */
    static void writePerm(SyscallContext c, long a, IpcPerm p) {
        byte[] b = new byte[PERM_SIZE];
        putInt(b, 0, p.key);
        putInt(b, 4, UserIds.uid(c, p.uid));
        putInt(b, 8, UserIds.gid(c, p.gid));
        putInt(b, 12, UserIds.uid(c, p.cuid));
        putInt(b, 16, UserIds.gid(c, p.cgid));
        putInt(b, 20, p.mode);
        b[24] = (byte) p.seq();
        b[25] = (byte) (p.seq() >>> 8);
        c.memory().write(a, b);
    }

    /**
     * IPC_SET's common part: reads uid, gid and mode from the struct ipc64_perm at {@code a}
     * (EFAULT first, as copy_from_user comes before the lookup) as {kuid, kgid, mode}; -1 for an
     * id the caller's user namespace does not map, which {@link #applySet} refuses (EINVAL).
     */
    static int[] readPermForSet(SyscallContext c, long a) {
        GuestMemory m = c.memory();
        int uid = m.readInt(a + 4), gid = m.readInt(a + 8), mode = m.readInt(a + 20);
        // make_kuid in the caller's user namespace: an id it does not map is the invalid -1
        return new int[] {UserIds.kuidOrInvalid(c, uid & 0xffffffffL), UserIds.kgidOrInvalid(c, gid & 0xffffffffL), mode};
    }

    /** A pid an object recorded (its kernel-wide id) as the caller's PID namespace numbers it. */
    static int pidSeen(SyscallContext c, int global) {
        return Pids.nr(c, global);
    }

    /** Applies IPC_SET's owner and mode, after checking them (EINVAL for id -1). */
    static void applySet(IpcPerm p, int[] set) {
        if (set[0] == -1 || set[1] == -1) {
            throw Errno.of(Errno.EINVAL);
        }
        p.update(set[0], set[1], set[2]);
    }

    /** The command of a control call, with Linux's EINVAL for IPC_64 (the 64-bit arches never parse it) and negatives. */
    static int command(long cmd) {
        int c = (int) cmd;
        if (c < 0 || (c & IPC_64) != 0) {
            throw Errno.of(Errno.EINVAL);
        }
        return c;
    }

    static void putInt(byte[] b, int off, int v) {
        for (int i = 0; i < 4; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    static void putLong(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }
}
