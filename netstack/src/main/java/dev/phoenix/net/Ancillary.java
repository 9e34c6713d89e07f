package dev.phoenix.net;

import dev.phoenix.libos.fs.FdTable;
import dev.phoenix.libos.fs.OpenFile;
import java.util.List;

/**
 * Descriptors in flight (SCM_RIGHTS): the open file descriptions a message carries, each held
 * by a reference of its own from the moment sendmsg takes it until the receiver installs it or
 * the message is dropped, so that the sender closing its fds does not release them.
 */
public final class Ancillary {
    /** Linux's SCM_MAX_FD: the most descriptors one message may carry. */
    public static final int MAX_FILES = 253;

    private final FdTable pins;
    private List<OpenFile> files;

    /** Pins {@code files} through {@code pins} (the sender's table, whose references every guest table shares). */
    public Ancillary(FdTable pins, List<OpenFile> files) {
        this.pins = pins;
        this.files = List.copyOf(files);
        for (OpenFile f : this.files) {
            pins.pin(f);
        }
    }

    /** The descriptions carried, in the order they were sent. */
    public synchronized List<OpenFile> files() {
        return files;
    }

    /** Drops the in-flight references (after the receiver installed the files, or with the message); idempotent. */
    public void release() {
        List<OpenFile> held;
        synchronized (this) {
            held = files;
            files = List.of();
        }
        for (OpenFile f : held) {
            pins.unpin(f);
        }
    }
}
