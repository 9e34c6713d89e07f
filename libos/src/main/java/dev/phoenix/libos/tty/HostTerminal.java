package dev.phoenix.libos.tty;

import dev.phoenix.emu.host.HostOs;
import dev.phoenix.libos.fs.OpenFile;

/**
 * The host terminal Phoenix was started on, as the controlling terminal of the guest's first
 * session. Its settings (termios, window size) stay the host's: the guest's ioctls reach the
 * host terminal. Its foreground process group is Phoenix's own: the host's stays Phoenix's
 * group, so the terminal's signals (^C, ^Z, ^\, a resize) keep coming to Phoenix, which gives
 * them to the guest group this records.
 */
public final class HostTerminal extends Terminal {
    private static final long TCGETS = 0x5401, TIOCGPGRP = 0x540F;

    private final int fd;
    private final OpenFile file;
    private final long rdev;
    private final int hostPgid;

    /**
     * Host terminal {@code rdev}, open as host fd {@code fd} (the guest's {@code file}); Phoenix
     * runs in host process group {@code hostPgid}.
     */
    public HostTerminal(int fd, OpenFile file, long rdev, int hostPgid) {
        this.fd = fd;
        this.file = file;
        this.rdev = rdev;
        this.hostPgid = hostPgid;
    }

    /**
     * The guest's foreground group while Phoenix is in the host's foreground; otherwise the
     * host's, which is no guest group, so a guest shell started in the background waits, as on
     * a terminal of its own, until the host shell brings Phoenix to the foreground.
     */
    @Override
    public int reportedPgrp() {
        byte[] b = new byte[4];
        if (HostOs.ioctl(fd, TIOCGPGRP, b) < 0) {
            return pgrp();
        }
        int host = (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
        return host == hostPgid ? pgrp() : host;
    }

    @Override
    public boolean tostop() {
        byte[] t = new byte[Termios.SIZE];
        if (HostOs.ioctl(fd, TCGETS, t) < 0) {
            return false;
        }
        return (t[13] & (Termios.TOSTOP >>> 8)) != 0; // c_lflag's second byte
    }

    @Override
    public long rdev() {
        return rdev;
    }

    /** The host terminal's descriptor the guest already has, shared as dup(2) shares it. */
    @Override
    public OpenFile reopen() {
        return file;
    }
}
