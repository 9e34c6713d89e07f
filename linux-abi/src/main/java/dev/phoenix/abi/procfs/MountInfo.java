package dev.phoenix.abi.procfs;

import dev.phoenix.libos.fs.Mount;
import dev.phoenix.libos.fs.MountTable;

/**
 * /proc/PID/mounts and /proc/PID/mountinfo (proc(5), fs/proc_namespace.c show_vfsmnt and
 * show_mountinfo): the mounts of the process's namespace in the order they were made, their
 * points seen from the process's root, those outside it left out.
 */
final class MountInfo {
    private MountInfo() {}

    /** /proc/PID/mounts: "source point type options 0 0", the per-mount and file-system options joined. */
    static String mounts(MountTable table, String root) {
        StringBuilder sb = new StringBuilder();
        for (Mount m : table.mounts()) {
            String point = seen(m.point(), root);
            if (point == null) {
                continue;
            }
            String sup = m.superOptions();
            int comma = sup.indexOf(',');
            sb.append(escape(m.source())).append(' ').append(escape(point)).append(' ').append(m.fstype()).append(' ')
                    .append(m.options()).append(comma < 0 ? "" : sup.substring(comma)).append(" 0 0\n");
        }
        return sb.toString();
    }

    /**
     * /proc/PID/mountinfo: "id parent major:minor root point options [shared:N] [master:N]
     * [unbindable] - type source super-options".
     */
    static String mountinfo(MountTable table, String root) {
        StringBuilder sb = new StringBuilder();
        for (Mount m : table.mounts()) {
            String point = seen(m.point(), root);
            if (point == null) {
                continue;
            }
            sb.append(m.id()).append(' ').append(m.parentId()).append(' ').append(m.dev()).append(' ')
                    .append(escape(m.fsRoot())).append(' ').append(escape(point)).append(' ').append(m.options());
            if (m.peerGroup() != 0) {
                sb.append(" shared:").append(m.peerGroup());
            }
            if (m.masterGroup() != 0) {
                sb.append(" master:").append(m.masterGroup());
            }
            if (m.unbindable()) {
                sb.append(" unbindable");
            }
            sb.append(" - ").append(m.fstype()).append(' ').append(escape(m.source())).append(' ')
                    .append(m.superOptions()).append('\n');
        }
        return sb.toString();
    }

    /** Mount point {@code point} as a process with root {@code root} names it; null when outside its root. */
    static String seen(String point, String root) {
        if (root.equals("/")) {
            return point;
        }
        if (point.equals(root)) {
            return "/";
        }
        return point.startsWith(root + "/") ? point.substring(root.length()) : null;
    }

    /** mangle(): space, tab, newline and backslash as octal escapes. */
    private static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\\') {
                sb.append('\\').append(String.format("%03o", (int) ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }
}
