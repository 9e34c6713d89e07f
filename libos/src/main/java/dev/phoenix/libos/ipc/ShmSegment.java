package dev.phoenix.libos.ipc;

/** placeholder */
public final class ShmSegment extends IpcObject {
    public ShmSegment(IpcPerm perm, long now) {
        super(perm, now);
    }
}
