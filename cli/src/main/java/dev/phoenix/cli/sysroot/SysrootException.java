package dev.phoenix.cli.sysroot;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * Why a sysroot could not be made, as a line for the user (a line per package that does not
 * exist); {@link #kind()} picks the exit status. Nothing here is an emulator bug, so there is no stack trace to show.
 */
public final class SysrootException extends Exception {
    /** What went wrong, one exit status each. */
    public enum Kind {
        /** A package named on the command line does not exist for the arch and suite. */
        NO_PACKAGE,
        /** apt-get, the mirror or the network failed, or the dependencies cannot be resolved. */
        FETCH,
        /** A .deb could not be unpacked into the sysroot (dpkg-deb or tar failed, disk full). */
        UNPACK
    }

    private final Kind kind;

    /** A failure of {@code kind}, described by {@code message} (lines without a "phoenix sysroot:" prefix). */
    public SysrootException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    /** What went wrong. */
    public Kind kind() {
        return kind;
    }

    /** A host I/O error as a user reads it: the file and what is wrong with it, as strerror(3) says it. */
    public static String describe(IOException e) {
        return switch (e) {
            case AccessDeniedException a -> a.getFile() + ": Permission denied";
            case NoSuchFileException n -> n.getFile() + ": No such file or directory";
            case FileSystemException f when f.getReason() != null -> f.getFile() + ": " + f.getReason();
            default -> e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        };
    }
}
