package dev.phoenix.abi.linux;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.emu.host.HostOs;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.mm.AddressSpace;
import dev.phoenix.libos.proc.Process;
import java.nio.file.Path;

/**
 * Refuses to shrink a file that another guest process maps from the host's page cache past the
 * new end. Linux lets the truncation happen, and that process gets SIGBUS when it next touches
 * one of the pages; in Phoenix its engine reads the host's mapping directly, so the host's SIGBUS
 * would end the JVM, every guest with it. The caller's own mappings are no danger: it fixes them
 * after the truncation ({@link AddressSpace#filesShrunk}), on the thread that runs its engine;
 * another process's engine runs on a thread of its own, where nothing may change them.
 */
final class TruncateGuard {
    private TruncateGuard() {}

    /** Attempts at reading another process's mappings while they change under the read. */
    private static final int ATTEMPTS = 100;

    /**
     * ETXTBSY when a process other than the caller's maps pages of host file {@code host} at
     * offsets from {@code newSize} on; nothing when the file cannot be stat'ed (it is not there
     * to truncate, and the truncation will say so).
     */
    static void check(SyscallContext c, Path host, long newSize) {
        HostOs.Stat st;
        try {
            st = HostOs.stat(host.toString(), true);
        } catch (HostOs.HostError e) {
            return;
        }
        if (newSize >= st.size()) {
            return; // growing or keeping its size takes no page away
        }
        AddressSpace own = c.process().addressSpace();
        for (Process p : c.kernel().processes()) {
            AddressSpace as = p.addressSpace();
            if (p.zombie || as == null || as == own) {
                continue;
            }
            if (maps(as, st, newSize)) {
                throw Errno.of(Errno.ETXTBSY);
            }
        }
    }

    /** Whether {@code as} maps the pages, read again while it changes; when it never holds still, assumed so. */
    private static boolean maps(AddressSpace as, HostOs.Stat st, long newSize) {
        for (int i = 0; i < ATTEMPTS; i++) {
            try {
                return as.mapsFilePagesFrom(st.dev(), st.ino(), newSize);
            } catch (RuntimeException e) {
                Thread.onSpinWait(); // changed under the read: try again
            }
        }
        return true;
    }
}
