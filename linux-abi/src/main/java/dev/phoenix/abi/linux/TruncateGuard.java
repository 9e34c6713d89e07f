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
            // A read that never holds still counts as a mapping (the refusal is the safe side),
            // unless the process is gone meanwhile, with its mappings.
            if (!p.isGone() && p.addressSpace() != own
                    && p.readAddressSpace(as -> as.mapsFilePagesFrom(st.dev(), st.ino(), newSize), true)
                    && !p.isGone()) {
                throw Errno.of(Errno.ETXTBSY);
            }
        }
    }
}
