package dev.phoenix.abi.linux;

import dev.phoenix.libos.fs.FileStatus;
import dev.phoenix.libos.proc.Process;
import dev.phoenix.libos.proc.WaitQueue;

/**
 * A pidfd (pidfd_open(2)): a descriptor naming a process, which waitid(P_PIDFD) waits for and
 * poll reports readable (POLLIN) once the process has exited. It cannot be read or written.
 */
final class PidFd implements dev.phoenix.libos.fs.AnonymousFile {
    private static final int POLLIN = 1;
    private final Process process;
    private boolean nonBlocking;

    PidFd(Process process, boolean nonBlocking) {
        this.process = process;
        this.nonBlocking = nonBlocking;
    }

    /** The process it names. */
    Process process() {
        return process;
    }

    @Override
    public int pollEvents() {
        return process.zombie || process.exitStatus() != null ? POLLIN : 0;
    }

    @Override
    public WaitQueue readiness() {
        return process.exitWaiters;
    }

    @Override
    public int statusFlags() {
        return 2 | (nonBlocking ? 04000 : 0); // O_RDWR, as anon_inode_getfile opens it
    }

    @Override
    public void setStatusFlags(int flags) {
        nonBlocking = (flags & 04000) != 0;
    }

    @Override
    public FileStatus status() {
        return new FileStatus(0xd, process.pid(), 0600, 1, 0, 0, 0, 0, 4096, 0, 0, 0, 0); // anon_inode:[pidfd]
    }

    @Override
    public String procLink() {
        return "anon_inode:[pidfd]";
    }
}
