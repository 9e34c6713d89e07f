package dev.phoenix.libos.fs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One mount of a mount namespace (Linux's {@code struct mount}): where it is attached (its
 * parent's id and its mount point, an absolute guest path of the namespace), what it shows
 * (a host directory, or a directory of a synthetic file system) and its per-mount flags and
 * propagation. Immutable: remount, propagation changes and moves make a copy with the same id,
 * and the namespace installs a new {@link MountTable}.
 *
 * @param id         the mount id of /proc/PID/mountinfo (unique in the kernel, as mnt_id)
 * @param parentId   the id of the mount this one is attached to; its own id for a namespace's root
 * @param point      the mount point: "/" for the root
 * @param host       the host directory (or file) shown, or null for a synthetic file system
 * @param synthetic  the synthetic file system shown, or null
 * @param synRoot    the directory of {@code synthetic} shown ("" for its root, "pts" for devpts)
 * @param fsRoot     mountinfo's root field: the directory of the file system at the mount's root
 * @param flags      per-mount MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_NOATIME, MS_NODIRATIME,
 *                   MS_RELATIME, MS_NOSYMFOLLOW
 * @param fstype     the file system type ("tmpfs", "proc", "ext4" ...)
 * @param source     the mount source ("tmpfs", "/dev/sda1", "none")
 * @param superOptions the file system's own options (mountinfo's last field)
 * @param peerGroup  0 for a private mount, else its shared peer group (mountinfo "shared:N")
 * @param masterGroup 0 unless a slave, else the peer group it receives from ("master:N")
 * @param unbindable MS_UNBINDABLE
 * @param tmpfs      the in-memory file system behind a tmpfs mount, else null
 * @param magic      statfs(2)'s f_type, or 0 for the host's
 * @param dev        st_dev of the file system as major:minor text
 */
public record Mount(int id, int parentId, String point, Path host, SyntheticFs synthetic, String synRoot,
        String fsRoot, int flags, String fstype, String source, String superOptions, int peerGroup, int masterGroup,
        boolean unbindable, Tmpfs tmpfs, long magic, String dev) {

    /** mount(2) flags (linux/mount.h). */
    public static final int MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_SYNCHRONOUS = 16,
            MS_REMOUNT = 32, MS_MANDLOCK = 64, MS_DIRSYNC = 128, MS_NOSYMFOLLOW = 256, MS_NOATIME = 1024,
            MS_NODIRATIME = 2048, MS_BIND = 4096, MS_MOVE = 8192, MS_REC = 16384, MS_SILENT = 32768,
            MS_UNBINDABLE = 1 << 17, MS_PRIVATE = 1 << 18, MS_SLAVE = 1 << 19, MS_SHARED = 1 << 20,
            MS_RELATIME = 1 << 21, MS_STRICTATIME = 1 << 24, MS_LAZYTIME = 1 << 25;
    /** The flags a mount keeps for itself (Linux's MNT_* per-mount flags). */
    public static final int PER_MOUNT = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME
            | MS_RELATIME | MS_NOSYMFOLLOW;

    private static final AtomicInteger NEXT_ID = new AtomicInteger(21);
    private static final AtomicInteger NEXT_GROUP = new AtomicInteger(1);
    private static final AtomicInteger NEXT_ANON_DEV = new AtomicInteger(40);

    /** A fresh mount id (Linux's mnt_alloc_id). */
    public static int newId() {
        return NEXT_ID.getAndIncrement();
    }

    /** A fresh peer group id (mnt_alloc_group_id). */
    public static int newGroup() {
        return NEXT_GROUP.getAndIncrement();
    }

    /** The st_dev text of a new anonymous superblock ("0:N", as get_anon_bdev gives tmpfs and proc). */
    public static String anonDev() {
        return "0:" + NEXT_ANON_DEV.getAndIncrement();
    }

    /** The st_dev text of host file {@code p} ("major:minor"), "0:0" when the host does not say. */
    public static String hostDev(Path p) {
        try {
            long d = ((Number) Files.getAttribute(p, "unix:dev")).longValue();
            long major = ((d >>> 8) & 0xfff) | ((d >>> 32) & ~0xfffL);
            long minor = (d & 0xff) | ((d >>> 12) & ~0xffL);
            return major + ":" + minor;
        } catch (Exception e) {
            return "0:0";
        }
    }

    /** {@link #dev} as st_dev (new_encode_dev: minor's low byte, major, then minor's high bits). */
    public long devNumber() {
        int colon = dev.indexOf(':');
        long major = Long.parseLong(dev.substring(0, colon));
        long minor = Long.parseLong(dev.substring(colon + 1));
        return (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xffL) << 12) | ((major & ~0xfffL) << 32);
    }

    /** The number of components of the mount point ("/" has none). */
    public int depth() {
        int n = 0;
        for (int i = 0; i < point.length(); i++) {
            if (point.charAt(i) == '/' && i + 1 < point.length()) {
                n++;
            }
        }
        return n;
    }

    /** Whether writes through this mount are refused (MS_RDONLY: EROFS). */
    public boolean readOnly() {
        return (flags & MS_RDONLY) != 0;
    }

    /** This mount with per-mount {@code newFlags} (remount). */
    public Mount withFlags(int newFlags) {
        return new Mount(id, parentId, point, host, synthetic, synRoot, fsRoot, newFlags, fstype, source, superOptions,
                peerGroup, masterGroup, unbindable, tmpfs, magic, dev);
    }

    /** This mount attached elsewhere (MS_MOVE, pivot_root, a namespace copy). */
    public Mount attached(int newId, int newParent, String newPoint) {
        return new Mount(newId, newParent, newPoint, host, synthetic, synRoot, fsRoot, flags, fstype, source,
                superOptions, peerGroup, masterGroup, unbindable, tmpfs, magic, dev);
    }

    /** This mount with a new propagation (mount --make-shared, --make-private ...). */
    public Mount withPropagation(int newPeer, int newMaster, boolean newUnbindable) {
        return new Mount(id, parentId, point, host, synthetic, synRoot, fsRoot, flags, fstype, source, superOptions,
                newPeer, newMaster, newUnbindable, tmpfs, magic, dev);
    }

    /**
     * mountinfo's per-mount options (show_mnt_opts): rw or ro, then nosuid, nodev, noexec,
     * noatime, nodiratime, relatime, nosymfollow as set.
     */
    public String options() {
        StringBuilder sb = new StringBuilder(readOnly() ? "ro" : "rw");
        if ((flags & MS_NOSUID) != 0) {
            sb.append(",nosuid");
        }
        if ((flags & MS_NODEV) != 0) {
            sb.append(",nodev");
        }
        if ((flags & MS_NOEXEC) != 0) {
            sb.append(",noexec");
        }
        if ((flags & MS_NOATIME) != 0) {
            sb.append(",noatime");
        }
        if ((flags & MS_NODIRATIME) != 0) {
            sb.append(",nodiratime");
        }
        if ((flags & MS_RELATIME) != 0) {
            sb.append(",relatime");
        }
        if ((flags & MS_NOSYMFOLLOW) != 0) {
            sb.append(",nosymfollow");
        }
        return sb.toString();
    }
}
