package dev.phoenix.emu;

/**
 * FFM method handles declare {@code throws Throwable}; native calls here throw nothing checked,
 * so this turns whatever arrives into an unchecked exception without wrapping errors twice.
 */
public final class Unchecked {
    private Unchecked() {}

    /** Returns {@code t} as a RuntimeException to throw; rethrows Errors as they are. */
    public static RuntimeException of(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
