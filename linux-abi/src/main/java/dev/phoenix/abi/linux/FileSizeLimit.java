package dev.phoenix.abi.linux;

import dev.phoenix.abi.Signals;
import dev.phoenix.abi.signal.SigInfo;
import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.HostFile;
import dev.phoenix.libos.fs.OpenFile;
import dev.phoenix.libos.proc.Process;

/**
 * RLIMIT_FSIZE (getrlimit(2)): the largest file a process may make. A write to a regular file
 * is cut short at the limit, and one that starts at or past it sends SIGXFSZ and fails with
 * EFBIG (Linux's generic_write_check_limits, once per call); truncate and fallocate growing a
 * file past it do the same (inode_newsize_ok). Pipes, terminals and devices have no size.
 */
final class FileSizeLimit {
    private FileSizeLimit() {}

    private static long limit(SyscallContext c) {
        return c.process().rlimitCurOrMax(Process.RLIMIT_FSIZE);
    }

    /**
     * How many of {@code count} bytes a write into {@code f} at {@code position} may write
     * (position -1: the file's own offset, or its end with O_APPEND).
     */
    static long allowed(SyscallContext c, OpenFile f, long position, long count) {
        long limit = limit(c);
        if (limit == Long.MAX_VALUE || count <= 0 || !(f instanceof HostFile h)) {
            return count;
        }
        long pos = position >= 0 ? position : h.writePosition();
        if (pos >= limit) {
            exceeded(c);
        }
        return Math.min(count, limit - pos);
    }

    /** A regular file growing from {@code size} to {@code newSize}: past the limit, SIGXFSZ and EFBIG. */
    static void checkGrowth(SyscallContext c, long size, long newSize) {
        if (newSize > size && newSize > limit(c)) {
            exceeded(c);
        }
    }

    private static void exceeded(SyscallContext c) {
        SignalSyscalls.sendToSelf(c, Signals.SIGXFSZ, SigInfo.SI_USER);
        throw Errno.of(Errno.EFBIG);
    }
}
