package dev.phoenix.abi.procfs;

import java.util.Collection;
import java.util.List;

/**
 * Directories of a synthetic tree that holds only files: a directory exists because some file
 * path lies below it. Used by /sys and by /proc/sys.
 */
final class ImpliedDirs {
    private ImpliedDirs() {}

    /** True when some file of {@code files} lies below {@code rel} ("" is the root and always one). */
    static boolean isDir(Collection<String> files, String rel) {
        if (rel.isEmpty()) {
            return true;
        }
        String prefix = rel + "/";
        for (String f : files) {
            if (f.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The names directly inside directory {@code rel}, files and directories, in the order of {@code files}. */
    static List<String> children(Collection<String> files, String rel) {
        String prefix = rel.isEmpty() ? "" : rel + "/";
        return files.stream().filter(f -> f.startsWith(prefix)).map(f -> f.substring(prefix.length()).split("/")[0])
                .distinct().toList();
    }
}
