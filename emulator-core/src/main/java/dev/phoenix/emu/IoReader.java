package dev.phoenix.emu;

/**
 * Serves guest loads from an I/O page mapped with {@link Cpu#mapIo}: the kernel's answer to a
 * read, computed when the guest reads (a vvar page whose words are the current time).
 */
@FunctionalInterface
public interface IoReader {
    /** The value of the {@code size}-byte load at {@code offset} from the start of the page. */
    long read(long offset, int size);
}
