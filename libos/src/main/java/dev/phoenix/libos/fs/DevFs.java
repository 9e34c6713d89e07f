package dev.phoenix.libos.fs;

import dev.phoenix.libos.Errno;
import dev.phoenix.libos.proc.Process;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * /dev as devtmpfs and udev lay it out: the memory devices (null, zero, full, random, urandom;
 * mem(4), null(4), random(4)), the controlling terminal (tty(4)), the links to the process's own
 * descriptors (stdin, stdout and stderr to /proc/self/fd/0, 1 and 2, fd to /proc/self/fd; fd(4))
 * and the pseudo-terminal devices (pts(4)): ptmx and the pts directory. A host terminal that a
 * guest fd is appears under the name its /proc/self/fd link gives (pts/3), as the host's own
 * device, so that ttyname(3), which compares stat(2) of that name with fstat(2) of the fd, finds
 * it. Phoenix makes no new pseudo-terminals: opening ptmx is ENODEV, as Linux answers when no
 * devpts instance is behind it.
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
    /** The symlinks udev makes, and their inode numbers. */
    private static final Map<String, String> LINKS = Map.of("fd", "/proc/self/fd", "stdin", "/proc/self/fd/0",
            "stdout", "/proc/self/fd/1", "stderr", "/proc/self/fd/2");
    private static final Map<String, Integer> LINK_INODES = Map.of("fd", 3, "stdin", 4, "stdout", 5, "stderr", 6);
    private static final List<String> ROOT = List.of("fd", "full", "null", "ptmx", "pts", "random", "stderr", "stdin",
            "stdout", "tty", "urandom", "zero");
    /** The multiplexer's device number, 5:2, for /dev/ptmx and /dev/pts/ptmx. */
    private static final long PTMX = makedev(5, 2);

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

    private static FileStatus link(long ino, String target) {
        return new FileStatus(DEV, ino, FileStatus.S_IFLNK | 0777, 1, 0, 0, 0, target.length(), 4096, 0, 0, 0, 0);
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
        if (rel.equals("pts")) {
            return dir(2);
        }
        String target = LINKS.get(rel);
        if (target != null) {
            return link(LINK_INODES.get(rel), target);
        }
        Device d = DEVICES.get(rel);
        if (d != null) {
            return chr(10 + d.ordinal(), d.rdev, CHR);
        }
        switch (rel) {
            case "tty" -> {
                return chr(20, makedev(5, 0), CHR);
            }
            case "ptmx" -> {
                return chr(21, PTMX, CHR);
            }
            case "pts/ptmx" -> {
                return chr(22, PTMX, FileStatus.S_IFCHR); // devpts's ptmxmode=000
            }
            default -> {
                OpenFile terminal = terminals(p).get(rel);
                return terminal == null ? null : terminal.status();
            }
        }
    }

    @Override
    public String readlink(String rel, Process p) {
        return LINKS.get(rel);
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
        if (rel.equals("ptmx") || rel.equals("pts/ptmx")) {
            throw Errno.of(Errno.ENODEV);
        }
        OpenFile terminal = terminals(p).get(rel);
        if (terminal != null) {
            return terminal; // the host terminal the guest already has, shared as dup(2) shares it
        }
        throw Errno.of(rel.isEmpty() || rel.equals("pts") ? Errno.EISDIR : Errno.ENOENT);
    }

    @Override
    public List<String> list(String rel, Process p) {
        if (rel.isEmpty() || rel.equals("pts")) {
            List<String> names = new ArrayList<>(rel.isEmpty() ? ROOT : List.of("ptmx"));
            String prefix = rel.isEmpty() ? "" : "pts/";
            for (String name : terminals(p).keySet()) {
                String inside = name.startsWith(prefix) ? name.substring(prefix.length()) : "";
                if (!inside.isEmpty() && !inside.contains("/") && !names.contains(inside)) {
                    names.add(inside);
                }
            }
            return names;
        }
        throw Errno.of(stat(rel, p) == null ? Errno.ENOENT : Errno.ENOTDIR);
    }

    /**
     * The host terminals the guest has open, by the name under /dev that the host gives them
     * ("pts/3", from the host's /proc/self/fd link of the terminal).
     */
    private static Map<String, OpenFile> terminals(Process p) {
        Map<String, OpenFile> out = new TreeMap<>();
        for (String fd : p.fds().openFdNames()) {
            OpenFile f = p.fds().get(Integer.parseInt(fd));
            String name = f.terminalFd() >= 0 ? f.procLink() : null;
            if (name != null && name.startsWith("/dev/") && name.length() > 5) {
                out.putIfAbsent(name.substring(5), f);
            }
        }
        return out;
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
