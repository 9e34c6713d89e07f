package dev.phoenix.libos.fs;

import dev.phoenix.emu.host.HostOs;
import dev.phoenix.libos.Errno;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * One of the guest's standard streams, backed by a Java stream. When {@code hostFd} is one of
 * Phoenix's own stdio fds, fstat and terminal ioctls describe that host fd, so a guest libc
 * picks the same buffering it would natively (line-buffered on a terminal, full on a pipe).
 */
public final class StdioFile implements OpenFile {
    private final InputStream in;
    private final OutputStream out;
    private final int hostFd;
    private final boolean terminal;

    /** A stream file; {@code hostFd} is the host fd it stands for, or -1 (for example in tests). */
    public StdioFile(InputStream in, OutputStream out, int hostFd) {
        this.in = in;
        this.out = out;
        this.hostFd = hostFd;
        this.terminal = hostFd >= 0 && HostOs.isatty(hostFd);
    }

    @Override
    public int read(byte[] buf, int offset, int length) {
        if (in == null) {
            throw Errno.of(Errno.EBADF);
        }
        try {
            int n = in.read(buf, offset, length);
            return Math.max(n, 0);
        } catch (IOException e) {
            throw Errno.of(Errno.EIO);
        }
    }

    @Override
    public int write(byte[] buf, int offset, int length) {
        if (out == null) {
            throw Errno.of(Errno.EBADF);
        }
        try {
            out.write(buf, offset, length);
            out.flush();
            return length;
        } catch (IOException e) {
            // A closed reader on the other end of a pipe is what EPIPE means.
            throw Errno.of(Errno.EPIPE);
        }
    }

    @Override
    public boolean openedByPath() {
        return false;
    }

    @Override
    public int statusFlags() {
        return in != null && out != null ? 2 : out != null ? 1 : 0;
    }

    @Override
    public int terminalFd() {
        return terminal ? hostFd : -1;
    }

    @Override
    public String procLink() {
        if (hostFd < 0) {
            return null;
        }
        return HostFiles.fdLink(hostFd);
    }

    @Override
    public FileStatus status() {
        if (hostFd >= 0) {
            try {
                return HostFiles.status(Path.of("/proc/self/fd/" + hostFd), true);
            } catch (Errno e) {
                // Fall through to the pipe description: the host fd is not stat-able by path.
            }
        }
        return new FileStatus(0xc, hostFd + 1L, FileStatus.S_IFIFO | 0600, 1, 0, 0, 0, 0, 4096, 0, 0, 0, 0);
    }
}
