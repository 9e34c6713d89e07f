package dev.phoenix.cli.compat;

/**
 * A bad suite (manifest syntax, missing file, bad sidecar): the command prints its message on
 * one line and exits with the usage code, before any test runs.
 */
public final class SuiteError extends Exception {
    /** {@code where} is "FILE:LINE" or "FILE", as the user should look for it. */
    public SuiteError(String where, String message) {
        super(where + ": " + message, null, false, false);
    }
}
