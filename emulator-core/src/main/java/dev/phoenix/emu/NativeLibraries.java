package dev.phoenix.emu;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the native libraries Phoenix binds with FFM: Unicorn 2.1.1 ({@code libunicorn.so.2}) and
 * Capstone 5 ({@code libcapstone.so.5}), fetched from Debian 13 by {@code scripts/fetch-native.sh}.
 *
 * <p>Search order: system property {@code phoenix.native.dir}, environment {@code PHOENIX_NATIVE_DIR},
 * {@code $XDG_CACHE_HOME/phoenix/native}, {@code ~/.cache/phoenix/native}. A system copy is not
 * used: Debian 12's Unicorn 2.0.1 is 28x slower on guest stores. Libraries are loaded by absolute
 * path into the global arena and stay loaded for the life of the JVM.
 */
public final class NativeLibraries {
    private NativeLibraries() {}

    /** Thrown when a native library cannot be found or loaded; the message says how to fix it. */
    public static final class MissingLibraryException extends RuntimeException {
        public MissingLibraryException(String message) {
            super(message);
        }
    }

    /** Directories searched, in order. */
    public static List<Path> searchPath() {
        List<Path> dirs = new ArrayList<>();
        String prop = System.getProperty("phoenix.native.dir");
        if (prop != null && !prop.isBlank()) {
            dirs.add(Path.of(prop));
        }
        String env = System.getenv("PHOENIX_NATIVE_DIR");
        if (env != null && !env.isBlank()) {
            dirs.add(Path.of(env));
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            dirs.add(Path.of(xdg, "phoenix", "native"));
        }
        dirs.add(Path.of(System.getProperty("user.home"), ".cache", "phoenix", "native"));
        return dirs;
    }

    /** Loads {@code fileName} (for example {@code libunicorn.so.2}) from the first directory that has it. */
    public static SymbolLookup load(String fileName) {
        for (Path dir : searchPath()) {
            Path lib = dir.resolve(fileName);
            if (Files.isRegularFile(lib)) {
                try {
                    return SymbolLookup.libraryLookup(lib.toAbsolutePath(), Arena.global());
                } catch (IllegalArgumentException e) {
                    throw new MissingLibraryException("cannot load " + lib + ": " + e.getMessage());
                }
            }
        }
        throw new MissingLibraryException(fileName + " not found in " + searchPath()
                + "; run scripts/fetch-native.sh (it fetches Unicorn 2.1.1 and Capstone 5 from Debian 13)");
    }
}
