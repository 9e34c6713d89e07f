package dev.phoenix.vgpu;

/** A dispatch stopped before its end because its cancellation came true (the job's timeout). */
public final class DispatchCancelledException extends Exception {
    public DispatchCancelledException() {
        super("dispatch cancelled", null, false, false);
    }
}
