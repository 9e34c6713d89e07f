package dev.phoenix.libos.fs;

/**
 * poll(2)'s event bits, as {@link OpenFile#pollEvents()} reports them (asm-generic/poll.h: the
 * same values on x86_64, arm64 and riscv64).
 */
public final class PollEvents {
    private PollEvents() {}

    public static final int POLLIN = 0x1, POLLPRI = 0x2, POLLOUT = 0x4, POLLERR = 0x8, POLLHUP = 0x10,
            POLLNVAL = 0x20, POLLRDNORM = 0x40, POLLRDBAND = 0x80, POLLWRNORM = 0x100, POLLWRBAND = 0x200;

    /** What a file that never blocks reports: readable and writable (DEFAULT_POLLMASK in linux/poll.h). */
    public static final int DEFAULT = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
}
