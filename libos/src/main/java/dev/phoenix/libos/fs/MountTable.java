package dev.phoenix.libos.fs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The mounts of one mount namespace, an immutable snapshot: a change (mount, umount, remount,
 * pivot_root) makes a new table that the namespace installs whole, so a path walk reads one
 * volatile field and takes no lock. Mounts are kept in the order they were made (the order of
 * /proc/PID/mountinfo) and indexed by mount point; several may share a point (a stack, the last
 * one on top) and a mount is seen only through its parent, so a mount stacked on a directory
 * hides the mounts below that directory, as on Linux.
 */
public final class MountTable {
    private final List<Mount> mounts;
    private final Map<String, List<Mount>> byPoint;
    /** Bit d set when some mount point other than "/" has d components (d < 64; bit 63 for deeper). */
    private final long depths;
    private final Mount root;

    /** A table of {@code mounts}, the first of which is the root. */
    public MountTable(List<Mount> mounts) {
        this.mounts = List.copyOf(mounts);
        this.root = mounts.isEmpty() ? null : mounts.get(0);
        Map<String, List<Mount>> index = new HashMap<>();
        long d = 0;
        for (Mount m : this.mounts) {
            if (m == root) {
                continue;
            }
            index.computeIfAbsent(m.point(), k -> new ArrayList<>(1)).add(m);
            d |= 1L << Math.min(m.depth(), 63);
        }
        this.byPoint = index;
        this.depths = d;
    }

    /** The table of one mount, the root. */
    public static MountTable of(Mount root) {
        return new MountTable(List.of(root));
    }

    /** Every mount, the root first, in the order they were made. */
    public List<Mount> mounts() {
        return mounts;
    }

    /** The namespace's root mount (the one all others descend from). */
    public Mount root() {
        return root;
    }

    /** Whether some mount point has {@code depth} components: a walk looks for mounts only then. */
    public boolean hasPointsAt(int depth) {
        return (depths & (1L << Math.min(depth, 63))) != 0;
    }

    /**
     * The mount seen at {@code point} when the walk arrives there through {@code under}: the
     * top of the stack of mounts attached at that point to {@code under}, or {@code under} when
     * none is.
     */
    public Mount over(Mount under, String point) {
        List<Mount> here = byPoint.get(point);
        if (here == null) {
            return under;
        }
        Mount cur = under;
        for (boolean moved = true; moved;) {
            moved = false;
            for (int i = here.size() - 1; i >= 0; i--) {
                Mount m = here.get(i);
                if (m.parentId() == cur.id() && m != cur) {
                    cur = m;
                    moved = true;
                    break;
                }
            }
        }
        return cur;
    }

    /** The mount holding absolute guest path {@code path} (already free of links, "." and ".."). */
    public Mount lookup(String path) {
        Mount m = over(root, "/");
        int depth = 0;
        for (int i = 1; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/') {
                if (i > 1 && path.charAt(i - 1) != '/') {
                    depth++;
                    if (hasPointsAt(depth)) {
                        m = over(m, path.substring(0, i));
                    }
                }
            }
        }
        return m;
    }

    /** The mount with {@code id}, or null. */
    public Mount byId(int id) {
        for (Mount m : mounts) {
            if (m.id() == id) {
                return m;
            }
        }
        return null;
    }

    /** The mounts attached to {@code m} (not {@code m} itself, though a root is its own parent). */
    public List<Mount> children(Mount m) {
        List<Mount> out = new ArrayList<>();
        for (Mount c : mounts) {
            if (c.parentId() == m.id() && c != m) {
                out.add(c);
            }
        }
        return out;
    }

    /** {@code m} and every mount below it, parents before children. */
    public List<Mount> subtree(Mount m) {
        List<Mount> out = new ArrayList<>();
        out.add(m);
        for (int i = 0; i < out.size(); i++) {
            out.addAll(children(out.get(i)));
        }
        return out;
    }

    /** This table with {@code m} added on top. */
    public MountTable with(Mount m) {
        List<Mount> l = new ArrayList<>(mounts);
        l.add(m);
        return new MountTable(l);
    }

    /** This table without the mounts in {@code gone}. */
    public MountTable without(List<Mount> gone) {
        List<Mount> l = new ArrayList<>(mounts);
        l.removeIf(m -> gone.stream().anyMatch(g -> g.id() == m.id()));
        return new MountTable(l);
    }

    /** This table with each mount replaced by {@code change}'s answer for it (same order). */
    public MountTable map(UnaryOperator<Mount> change) {
        List<Mount> l = new ArrayList<>(mounts.size());
        for (Mount m : mounts) {
            l.add(change.apply(m));
        }
        return new MountTable(l);
    }

    /**
     * A copy for a new mount namespace (copy_mnt_ns): every mount again under a new id, the
     * propagation private (Phoenix keeps no peer groups across namespaces), tmpfs contents
     * shared with the originals until both are unmounted.
     */
    public MountTable copy() {
        Map<Integer, Integer> ids = new HashMap<>();
        for (Mount m : mounts) {
            ids.put(m.id(), Mount.newId());
        }
        List<Mount> l = new ArrayList<>(mounts.size());
        for (Mount m : mounts) {
            if (m.tmpfs() != null) {
                m.tmpfs().retain();
            }
            int id = ids.get(m.id());
            l.add(m.attached(id, ids.getOrDefault(m.parentId(), id), m.point()).withPropagation(0, 0, m.unbindable()));
        }
        return new MountTable(l);
    }
}
