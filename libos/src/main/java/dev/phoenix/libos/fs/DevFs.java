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
 * it. Opening ptmx makes a new pseudo-terminal pair ({@link dev.phoenix.libos.tty.Pty}) whose
 * slave is pts/N, N the lowest number free both among the guest's pairs and the host's
 * /dev/pts (so a host terminal the guest has open keeps its name); tty is the calling process's
 * controlling terminal (ENXIO without one).
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
    private static final List<String> ROOT = List.of("cpu_dma_latency", "fd", "full", "null", "ptmx", "pts", "random", "shm", "stderr", "stdin",
            "stdout", "tty", "urandom", "zero");
    /** /dev/cpu_dma_latency: the misc device 10:61 of the CPU latency QoS. */
    private static final long CPU_DMA_LATENCY = makedev(10, 61);
    /** The CPU latency requests of the open /dev/cpu_dma_latency files, in microseconds. */
    private final java.util.Set<LatencyRequest> latencyRequests = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** PM_QOS_CPU_LATENCY_DEFAULT_VALUE: no constraint, 2000 s in microseconds. */
    private static final int NO_LATENCY_CONSTRAINT = 2_000_000_000;

    /** The multiplexer's device number, 5:2, for /dev/ptmx and /dev/pts/ptmx. */
    private static final long PTMX = makedev(5, 2);

    /** st_dev of the devpts files (/dev/pts/N): an anonymous device of its own, as a devpts mount has. */
    private static final long DEVPTS = makedev(0, 0x1a);
    /** The tty group devpts gives its slaves (mount option gid=5 on Debian and most systems). */
    private static final int TTY_GID = 5;

    /**
     * Character devices a kernel adds (/dev/vgpu0): name to device number and to what opens them,
     * given the status the device file shows.
     */
    private final Map<String, CharDevice> added = new java.util.concurrent.ConcurrentHashMap<>();

    /** A device added with {@link #addCharDevice}. */
    private record CharDevice(long ino, long rdev, java.util.function.Function<FileStatus, OpenFile> opener) {}

    /**
     * Adds character device {@code name} with number {@code major:minor} (mode 0666, as udev gives
     * render nodes), opened by {@code opener}, which gets the status fstat(2) shows.
     */
    public void addCharDevice(String name, int major, int minor, java.util.function.Function<FileStatus, OpenFile> opener) {
        added.put(name, new CharDevice(40 + added.size(), makedev(major, minor), opener));
    }

    private final RandomGenerator random;
    private final dev.phoenix.libos.Clock clock;
    private final dev.phoenix.libos.tty.Pty.Listener ptyListener;
    /** The live pseudo-terminals by number: from ptmx's open until the master is closed. @GuardedBy("ptys") */
    private final Map<Integer, dev.phoenix.libos.tty.Pty> ptys = new TreeMap<>();

    /**
     * /dev with {@code random} behind random and urandom; the pseudo-terminals it makes time their
     * reads by {@code clock} and raise their signals and hangups through {@code ptyListener}.
     */
    public DevFs(RandomGenerator random, dev.phoenix.libos.Clock clock, dev.phoenix.libos.tty.Pty.Listener ptyListener) {
        this.random = random;
        this.clock = clock;
        this.ptyListener = ptyListener;
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
        if (rel.equals("shm")) {
            return dir(7); // resolved in the rootfs (Vfs): this is only its entry in /dev's listing
        }
        if (rel.equals("cpu_dma_latency")) {
            return chr(23, CPU_DMA_LATENCY, FileStatus.S_IFCHR | 0600);
        }
        CharDevice cd = added.get(rel);
        if (cd != null) {
            return chr(cd.ino(), cd.rdev(), CHR);
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
                dev.phoenix.libos.tty.Pty pty = pty(rel);
                if (pty != null) {
                    return pty.slaveStatus();
                }
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
        return open(rel, p, 2, 0);
    }

    /**
     * Opens {@code rel} with open(2)'s {@code flags}, of which the pseudo-terminals take
     * O_NONBLOCK (04000, the same on every arch); making a slave the controlling terminal
     * (without O_NOCTTY) is the caller's to decide.
     */
    @Override
    public OpenFile open(String rel, Process p, int accessMode, int flags) {
        if (rel.equals("ptmx") || rel.equals("pts/ptmx")) {
            return newPty(p, (flags & 04000) != 0);
        }
        dev.phoenix.libos.tty.Pty pty = pty(rel);
        if (pty != null) {
            return pty.openSlave((flags & 04000) != 0);
        }
        Device d = DEVICES.get(rel);
        if (d != null) {
            return new MemoryDevice(d, random, chr(10 + d.ordinal(), d.rdev, CHR));
        }
        CharDevice cd = added.get(rel);
        if (cd != null) {
            return cd.opener().apply(chr(cd.ino(), cd.rdev(), CHR));
        }
        if (rel.equals("cpu_dma_latency")) {
            return new LatencyRequest(chr(23, CPU_DMA_LATENCY, FileStatus.S_IFCHR | 0600));
        }
        if (rel.equals("tty")) {
            dev.phoenix.libos.tty.Terminal ctty = p.ctty;
            if (ctty == null) {
                throw Errno.of(Errno.ENXIO); // no controlling terminal
            }
            return ctty.reopen();
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
            if (rel.isEmpty()) {
                names.addAll(new java.util.TreeSet<>(added.keySet()));
            }
            String prefix = rel.isEmpty() ? "" : "pts/";
            if (!rel.isEmpty()) {
                synchronized (ptys) {
                    for (int n : ptys.keySet()) {
                        names.add(Integer.toString(n));
                    }
                }
            }
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

    /** The live pseudo-terminal whose slave is {@code rel} ("pts/N"), or null. */
    private dev.phoenix.libos.tty.Pty pty(String rel) {
        if (!rel.startsWith("pts/") || rel.length() > 13 || !rel.substring(4).matches("0|[1-9][0-9]*")) {
            return null;
        }
        synchronized (ptys) {
            return ptys.get(Integer.parseInt(rel.substring(4)));
        }
    }

    /**
     * A new pseudo-terminal for opener {@code p}: the lowest free number, its slave owned by the
     * opener's fsuid in the tty group with mode 0620 (devpts's usual mount), its master the
     * ptmx device.
     */
    private OpenFile newPty(Process p, boolean nonBlocking) {
        synchronized (ptys) {
            int n = 0;
            while (ptys.containsKey(n) || java.nio.file.Files.exists(java.nio.file.Path.of("/dev/pts/" + n),
                    java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                n++;
            }
            int index = n;
            FileStatus slave = new FileStatus(DEVPTS, index + 3, FileStatus.S_IFCHR | 0620, 1,
                    p.credentials().fsuid, TTY_GID, makedev(136, index), 0, 1024, 0, 0, 0, 0);
            dev.phoenix.libos.tty.Pty pty = new dev.phoenix.libos.tty.Pty(index, chr(21, PTMX, CHR), slave, clock,
                    ptyListener, () -> {
                        synchronized (ptys) {
                            ptys.remove(index);
                        }
                    });
            ptys.put(index, pty);
            OpenFile master = pty.master();
            master.setStatusFlags(nonBlocking ? 04000 : 0);
            return master;
        }
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

    /**
     * An open /dev/cpu_dma_latency (Documentation/power/pm_qos_interface.rst): while it is open it
     * holds a CPU latency request, set by writing a 32-bit value or a hex string; reading gives the
     * strictest request in force. Phoenix has no idle states to keep the CPU out of, so the
     * request changes nothing but what is read back (cyclictest sets it to 0).
     */
    private final class LatencyRequest implements OpenFile {
        private final FileStatus status;
        volatile int value = NO_LATENCY_CONSTRAINT;

        LatencyRequest(FileStatus status) {
            this.status = status;
            latencyRequests.add(this);
        }

        @Override
        public int read(byte[] buf, int offset, int length) {
            if (length < 4) {
                throw Errno.of(Errno.EINVAL);
            }
            int v = NO_LATENCY_CONSTRAINT;
            for (LatencyRequest r : latencyRequests) {
                v = Math.min(v, r.value);
            }
            java.nio.ByteBuffer.wrap(buf, offset, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(v);
            return 4;
        }

        @Override
        public int write(byte[] buf, int offset, int length) {
            int v;
            if (length == 4) {
                v = java.nio.ByteBuffer.wrap(buf, offset, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
            } else {
                String s = new String(buf, offset, length, java.nio.charset.StandardCharsets.US_ASCII).trim();
                if (s.startsWith("0x") || s.startsWith("0X")) {
                    s = s.substring(2);
                }
                try {
                    v = Integer.parseInt(s, 16);
                } catch (NumberFormatException e) {
                    throw Errno.of(Errno.EINVAL);
                }
            }
            if (v < 0) {
                throw Errno.of(Errno.EINVAL);
            }
            value = v;
            return length;
        }

        @Override
        public void release() {
            latencyRequests.remove(this);
        }

        @Override
        public FileStatus status() {
            return status;
        }

        @Override
        public String guestPath() {
            return "/dev/cpu_dma_latency";
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
        public String guestPath() {
            return "/dev/" + device.name().toLowerCase();
        }

        @Override
        public boolean mapsAsAnonymous() {
            return device == Device.ZERO;
        }
    }
}
