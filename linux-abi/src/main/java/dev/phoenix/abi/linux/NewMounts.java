package dev.phoenix.abi.linux;

import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.Mount;
import dev.phoenix.libos.fs.SyntheticFs;
import dev.phoenix.libos.fs.Tmpfs;
import dev.phoenix.libos.fs.Vfs;
import dev.phoenix.libos.ipc.MqueueFs;
import dev.phoenix.libos.ipc.PosixMqs;
import dev.phoenix.libos.ns.IpcNamespace;

/**
 * The file systems mount(2) can make (do_new_mount's get_fs_type and each type's option
 * parser): tmpfs in memory with size=, mode=, uid= and gid= (mm/shmem.c), and the kernel's own
 * proc, sysfs, devtmpfs, devpts (a view of /dev/pts), cgroup2 (the kernel's one hierarchy) and
 * mqueue. Unknown types are ENODEV.
 */
final class NewMounts {
    private NewMounts() {}

    static final long TMPFS_MAGIC = 0x01021994L, PROC_SUPER_MAGIC = 0x9fa0L, SYSFS_MAGIC = 0x62656572L,
            DEVPTS_SUPER_MAGIC = 0x1cd1L, MQUEUE_MAGIC = 0x19800202L, CGROUP2_SUPER_MAGIC = 0x63677270L;

    /**
     * A new mount of {@code fstype} from {@code source} with {@code options} (mount's data
     * string, or null), attached as {@code id} at {@code point} to {@code parent}, with per-mount
     * {@code flags}; {@code boot} holds the kernel's synthetic file systems to share, {@code ipc}
     * is the mounter's IPC namespace (whose queues an mqueue mount shows).
     */
    static Mount make(String fstype, String source, String options, int id, Mount parent, String point, int flags,
            Vfs boot, IpcNamespace ipc) {
        String src = source == null ? "none" : source;
        int peer = parent.peerGroup() != 0 ? Mount.newGroup() : 0;
        return switch (fstype) {
            case "tmpfs" -> tmpfs(src, options, id, parent, point, flags, peer);
            case "proc" -> synthetic(boot, "proc", "", src, id, parent, point, flags, peer, "rw", PROC_SUPER_MAGIC);
            case "sysfs" -> synthetic(boot, "sysfs", "", src, id, parent, point, flags, peer, "rw", SYSFS_MAGIC);
            case "devtmpfs" -> synthetic(boot, "devtmpfs", "", src, id, parent, point, flags, peer, "rw,mode=755",
                    TMPFS_MAGIC);
            case "devpts" -> synthetic(boot, "devtmpfs", "pts", src, id, parent, point, flags, peer,
                    "rw,gid=5,mode=620,ptmxmode=000", DEVPTS_SUPER_MAGIC);
            case "mqueue" -> { // the queues of the mounter's IPC namespace (mqueue_init_fs_context)
                PosixMqs queues = ipc.objects.mqueues;
                yield new Mount(id, parent.id(), point, null, new MqueueFs(queues), "", "/", flags, "mqueue", src,
                        "rw", peer, 0, false, null, MQUEUE_MAGIC, queues.dev);
            }
            case "cgroup2" -> synthetic(boot, "cgroup2", "", src, id, parent, point, flags, peer,
                    "rw,nsdelegate,memory_recursiveprot", CGROUP2_SUPER_MAGIC);
            default -> throw Errno.of(Errno.ENODEV);
        };
    }

    /** A mount of the kernel's own file system of {@code type} (the one its boot mounts show), at {@code root}. */
    private static Mount synthetic(Vfs boot, String type, String root, String src, int id, Mount parent,
            String point, int flags, int peer, String superOptions, long magic) {
        SyntheticFs fs = boot.bootFs(type);
        if (fs == null) {
            throw Errno.of(Errno.ENODEV);
        }
        String fstype = root.equals("pts") ? "devpts" : type;
        return new Mount(id, parent.id(), point, null, fs, root, "/", flags, fstype, src, superOptions, peer, 0, false,
                null, magic, Mount.anonDev());
    }

    /**
     * A new tmpfs (shmem_parse_one): size= in bytes with a k, m, g, t suffix or a percentage of
     * memory, rounded up to pages, 0 for no limit; mode= in octal (default 1777); uid= and gid=;
     * nr_inodes=, huge=, mpol=, inode32, inode64 and noswap accepted and not kept. EINVAL for
     * any other option or a bad value. Its super options are shown as shmem_show_options does.
     */
    private static Mount tmpfs(String src, String options, int id, Mount parent, String point, int flags, int peer) {
        long size = 0;
        int mode = 01777;
        int uid = 0;
        int gid = 0;
        if (options != null) {
            for (String o : options.split(",")) {
                if (o.isEmpty()) {
                    continue;
                }
                int eq = o.indexOf('=');
                String key = eq < 0 ? o : o.substring(0, eq);
                String value = eq < 0 ? null : o.substring(eq + 1);
                switch (key) {
                    case "size" -> size = size(value);
                    case "mode" -> mode = (int) number(value, 8) & 07777;
                    case "uid" -> uid = (int) number(value, 10);
                    case "gid" -> gid = (int) number(value, 10);
                    case "nr_inodes", "huge", "mpol" -> {
                        if (value == null) {
                            throw Errno.of(Errno.EINVAL);
                        }
                    }
                    case "inode32", "inode64", "noswap", "rw", "ro" -> {
                        if (value != null) {
                            throw Errno.of(Errno.EINVAL);
                        }
                        if (key.equals("ro")) {
                            flags |= Mount.MS_RDONLY;
                        }
                    }
                    default -> throw Errno.of(Errno.EINVAL);
                }
            }
        }
        Tmpfs fs = Tmpfs.create(size, mode, uid, gid);
        StringBuilder sb = new StringBuilder((flags & Mount.MS_RDONLY) != 0 ? "ro" : "rw");
        if (size != 0) {
            sb.append(",size=").append(size / 1024).append('k');
        }
        if (mode != 01777) {
            sb.append(",mode=").append(String.format("%03o", mode));
        }
        if (uid != 0) {
            sb.append(",uid=").append(uid);
        }
        if (gid != 0) {
            sb.append(",gid=").append(gid);
        }
        return new Mount(id, parent.id(), point, fs.dir(), null, "", "/", flags, "tmpfs", src, sb.toString(), peer, 0,
                false, fs, TMPFS_MAGIC, Mount.anonDev());
    }

    /** size=: memparse's suffixes, or a percentage of memory; rounded up to whole pages. */
    private static long size(String v) {
        if (v == null || v.isEmpty()) {
            throw Errno.of(Errno.EINVAL);
        }
        long bytes;
        if (v.endsWith("%")) {
            long pct = number(v.substring(0, v.length() - 1), 10);
            long total = Runtime.getRuntime().maxMemory();
            bytes = total / 100 * pct;
        } else {
            int end = v.length();
            long mult = switch (Character.toLowerCase(v.charAt(end - 1))) {
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                case 'g' -> 1L << 30;
                case 't' -> 1L << 40;
                default -> 1;
            };
            bytes = number(mult == 1 ? v : v.substring(0, end - 1), 0) * mult;
        }
        return (bytes + 4095) / 4096 * 4096;
    }

    /** An unsigned number in {@code radix} (0: C's prefixes, 0x and 0); EINVAL when it is not one. */
    private static long number(String v, int radix) {
        if (v == null || v.isEmpty()) {
            throw Errno.of(Errno.EINVAL);
        }
        try {
            if (radix == 0) {
                if (v.startsWith("0x") || v.startsWith("0X")) {
                    return Long.parseUnsignedLong(v.substring(2), 16);
                }
                return v.length() > 1 && v.startsWith("0") ? Long.parseUnsignedLong(v.substring(1), 8)
                        : Long.parseUnsignedLong(v, 10);
            }
            return Long.parseUnsignedLong(v, radix);
        } catch (NumberFormatException e) {
            throw Errno.of(Errno.EINVAL);
        }
    }
}
