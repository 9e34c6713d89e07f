package dev.phoenix.abi.elf;

/** A program that cannot be loaded; the message is one line meant for users. */
public final class ElfException extends Exception {
    private final ElfError error;

    public ElfException(ElfError error, String file, String detail) {
        super(file + ": " + error.text() + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"), null, false, false);
        this.error = error;
    }

    public ElfError error() {
        return error;
    }
}
