package dev.phoenix.libos.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the host says of the file system holding a directory: the deepest of its own mounts
 * above it in /proc/self/mountinfo, so the guest's root mount carries the host's device,
 * type, source and options (df(1) and findmnt then name what the host does).
 */
final class HostMounts {
    private HostMounts() {}

    /** The root mount of a guest whose "/" is host directory {@code rootfs}. */
    static Mount rootMount(Path rootfs) {
        int id = Mount.newId();
        String[] best = null;
        int bestDepth = -1;
        Path real = rootfs;
        try {
            real = rootfs.toRealPath();
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                // id parent major:minor root point options [optional...] - type source superoptions
                String[] f = line.split(" ");
                int dash = java.util.Arrays.asList(f).indexOf("-");
                if (dash < 6) {
                    continue;
                }
                Path point = Path.of(unescape(f[4]));
                if (real.startsWith(point) && point.getNameCount() >= bestDepth) {
                    String rel = point.relativize(real).toString();
                    String root = f[3].equals("/") ? "/" + rel : rel.isEmpty() ? f[3] : f[3] + "/" + rel;
                    best = new String[] {f[2], root.length() > 1 && root.endsWith("/") ? root.substring(0, root.length() - 1)
                            : root, f[5], f[dash + 1], dash + 2 < f.length ? f[dash + 2] : "none",
                            dash + 3 < f.length ? f[dash + 3] : "rw"};
                    bestDepth = point.getNameCount();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not a Linux host: the default below
        }
        if (best == null) {
            return new Mount(id, id, "/", rootfs, null, "", "/", Mount.MS_RELATIME, "ext4", "/dev/root", "rw", 0, 0,
                    false, null, 0, Mount.hostDev(rootfs));
        }
        return new Mount(id, id, "/", rootfs, null, "", best[1], flagsOf(best[2]), best[3], best[4], best[5], 0, 0,
                false, null, 0, best[0]);
    }

    /** Per-mount flags of mountinfo's options field ("rw,nosuid,relatime"). */
    static int flagsOf(String options) {
        int flags = 0;
        for (String o : options.split(",")) {
            flags |= switch (o) {
                case "ro" -> Mount.MS_RDONLY;
                case "nosuid" -> Mount.MS_NOSUID;
                case "nodev" -> Mount.MS_NODEV;
                case "noexec" -> Mount.MS_NOEXEC;
                case "noatime" -> Mount.MS_NOATIME;
                case "nodiratime" -> Mount.MS_NODIRATIME;
                case "relatime" -> Mount.MS_RELATIME;
                case "nosymfollow" -> Mount.MS_NOSYMFOLLOW;
                default -> 0;
            };
        }
        return flags;
    }

    /** mountinfo's octal escapes (\040 for a space) undone. */
    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\\' && i + 3 < s.length()) {
                try {
                    sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                    i += 3;
                    continue;
                } catch (NumberFormatException e) {
                    // not an escape
                }
            }
            sb.append(ch);
        }
        return sb.toString();
    }
}
