package dev.phoenix.libos.fs;

import dev.phoenix.libos.Errno;
import dev.phoenix.libos.proc.Process;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * /dev: the memory devices (null, zero, full, random, urandom), the controlling terminal
 * (tty), and the process's own descriptors (stdin, stdout, stderr, fd/N), per mem(4), null(4),
 * random(4), tty(4) and fd(4).
 */
public final class DevFs implements SyntheticFs {
    /** st_dev of devtmpfs files. */
    private static final long DEV = 5;
    private static final int CHR = FileStatus.S_IFCHR | 0666;

    private enum Device {
        NULL(1, 3), ZERO(1, 5), FULL(1, 7), RANDOM(1, 8), URANDOM(1, 9);

        final long rdev;

        Device(int major, int minor) {
            this.rdev = makedev(major, minor);
        }
    }

    private static final Map<String, Device> DEVICES = Map.of("null", Device.NULL, "zero", Device.ZERO, "full",
            Device.FULL, "random", Device.RANDOM, "urandom", Device.URANDOM);
    private static final List<String> ROOT = List.of("fd", "full", "null", "random", "stderr", "stdin", "stdout", "tty",
            "urandom", "zero");

    private final RandomGenerator random;

    public DevFs(RandomGenerator random) {
        this.random = random;
    }

    /** glibc's makedev(3) encoding of a device number. */
    static long makedev(long major, long minor) {
        return ((major & 0xfff) << 8) | (minor & 0xff) | ((minor & ~0xffL) << 12) | ((major & ~0xfffL) << 32);
    }

    private static FileStatus dir(long ino) {
        return new FileStatus(DEV, ino, FileStatus.S_IFDIR | 0755, 2, 0, 0, 0, 0, 4096, 0, 0, 0, 0);
    }

    private static FileStatus chr(long ino, long rdev, int mode) {
        return new FileStatus(DEV, ino, mode, 1, 0, 0, rdev, 0, 4096, 0, 0, 0, 0);
    }

    @Override
    public long magic() {
        return 0x01021994L; // TMPFS_MAGIC: devtmpfs
    }

    @Override
    public FileStatus stat(String rel, Process p) {
        if (rel.isEmpty()) {
            return dir(1);
        }
        if (rel.equals("fd")) {
            return dir(2);
        }
        Device d = DEVICES.get(rel);
        if (d != null) {
            return chr(10 + d.ordinal(), d.rdev, CHR);
        }
        if (rel.equals("tty")) {
            return chr(20, makedev(5, 0), CHR);
        }
        int fd = fdOf(rel);
        if (fd >= 0 && p.fds().isOpen(fd)) {
            return p.fds().get(fd).status();
        }
        return null;
    }

    @Override
    public OpenFile open(String rel, Process p) {
        Device d = DEVICES.get(rel);
        if (d != null) {
            return new MemoryDevice(d, random, chr(10 + d.ordinal(), d.rdev, CHR));
        }
        if (rel.equals("tty")) {
            for (int fd = 0; fd <= 2; fd++) {
                if (p.fds().isOpen(fd) && p.fds().get(fd).terminalFd() >= 0) {
                    return p.fds().get(fd);
                }
            }
            throw Errno.of(Errno.ENXIO); // no controlling terminal
        }
        int fd = fdOf(rel);
        if (fd >= 0) {
            return p.fds().get(fd); // opening /dev/fd/N is dup(N) for pipes and terminals (fd(4))
        }
        throw Errno.of(rel.isEmpty() || rel.equals("fd") ? Errno.EISDIR : Errno.ENOENT);
    }

    @Override
    public List<String> list(String rel, Process p) {
        if (rel.isEmpty()) {
            return ROOT;
        }
        if (rel.equals("fd")) {
            return p.fds().openFdNames();
        }
        throw Errno.of(stat(rel, p) == null ? Errno.ENOENT : Errno.ENOTDIR);
    }

    /** The fd named by "stdin", "stdout", "stderr" or "fd/N", else -1. */
    private static int fdOf(String rel) {
        switch (rel) {
            case "stdin" -> {
                return 0;
            }
            case "stdout" -> {
                return 1;
            }
            case "stderr" -> {
                return 2;
            }
            default -> {
                if (rel.startsWith("fd/") && rel.length() > 3 && rel.length() < 8
                        && rel.substring(3).chars().allMatch(Character::isDigit)) {
                    return Integer.parseInt(rel.substring(3));
                }
                return -1;
            }
        }
    }

    /** null, zero, full, random and urandom. */
    private record MemoryDevice(Device device, RandomGenerator random, FileStatus status) implements OpenFile {
        @Override
        public int read(byte[] buf, int offset, int length) {
            switch (device) {
                case NULL -> {
                    return 0;
                }
                case ZERO, FULL -> java.util.Arrays.fill(buf, offset, offset + length, (byte) 0);
                case RANDOM, URANDOM -> {
                    byte[] r = new byte[length];
                    random.nextBytes(r);
                    System.arraycopy(r, 0, buf, offset, length);
                }
            }
            return length;
        }

        @Override
        public int write(byte[] buf, int offset, int length) {
            if (device == Device.FULL) {
                throw Errno.of(Errno.ENOSPC);
            }
            return length;
        }

        @Override
        public long seek(long offset, int whence) {
            return 0; // lseek on memory devices succeeds and means nothing
        }

        @Override
        public int terminalFd() {
            return -1;
        }

        @Override
        public String guestPath() {
            return "/dev/" + device.name().toLowerCase();
        }

        @Override
        public boolean mapsAsAnonymous() {
            return device == Device.ZERO;
        }
    }
}
