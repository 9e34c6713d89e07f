package dev.phoenix.libos.fs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a path walk stands: the guest path's components so far, free of links, "." and "..",
 * and beside each prefix the mount seen there, so that ".." leaves a mount for its parent
 * (follow_dotdot crossing to the mount point's side) by dropping the last of each. A walk
 * looks in the {@link MountTable} only at depths where some mount point lies.
 */
final class MountWalk {
    private final MountTable table;
    private final ArrayList<String> at = new ArrayList<>();
    /** mounts.get(i): the mount holding the path of the first i components. */
    private final ArrayList<Mount> mounts = new ArrayList<>();

    MountWalk(MountTable table) {
        this.table = table;
        mounts.add(table.over(table.root(), "/"));
    }

    /** Starts again at the path of {@code components} (no links among them). */
    void reset(List<String> components) {
        at.clear();
        while (mounts.size() > 1) {
            mounts.remove(mounts.size() - 1);
        }
        for (String c : components) {
            push(c);
        }
    }

    /** Steps into {@code name}, onto the mount stacked there if any. */
    void push(String name) {
        at.add(name);
        Mount m = mounts.get(mounts.size() - 1);
        if (table.hasPointsAt(at.size())) {
            m = table.over(m, guest());
        }
        mounts.add(m);
    }

    /** Steps back to the parent ("..", or a link's own name replaced by its target). */
    void pop() {
        if (!at.isEmpty()) {
            at.remove(at.size() - 1);
            mounts.remove(mounts.size() - 1);
        }
    }

    int size() {
        return at.size();
    }

    List<String> components() {
        return at;
    }

    /** The mount holding the walk's current path. */
    Mount mount() {
        return mounts.get(mounts.size() - 1);
    }

    /** Whether the walk stands at the root of its mount. */
    boolean atMountRoot() {
        return at.size() == mount().depth();
    }

    /** The guest path ("/a/b"). */
    String guest() {
        return at.isEmpty() ? "/" : "/" + String.join("/", at);
    }

    /** The host path, for a host mount; null inside a synthetic one. */
    Path host() {
        Mount m = mount();
        if (m.host() == null) {
            return null;
        }
        Path p = m.host();
        for (int i = m.depth(); i < at.size(); i++) {
            p = p.resolve(at.get(i));
        }
        return p;
    }

    /** The path inside a synthetic mount's file system ("" for its root). */
    String relative() {
        Mount m = mount();
        StringBuilder sb = new StringBuilder(m.synRoot());
        for (int i = m.depth(); i < at.size(); i++) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(at.get(i));
        }
        return sb.toString();
    }
}
