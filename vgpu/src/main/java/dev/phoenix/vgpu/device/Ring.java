package dev.phoenix.vgpu.device;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A command ring: the slots the guest writes {@code vgpu_cmd} records into (a buffer object it
 * maps), the count of records taken so far (the last doorbell's tail), and the ring's fences:
 * the sequence of the last job submitted and of the last completed (jobs of a ring complete in
 * order), with the status of the recent failed ones. Guarded by the context's lock.
 */
final class Ring {
    /** How many failed fences a ring remembers; an older failure reads as success. */
    private static final int FAILURES_KEPT = 256;

    final int handle;
    final int slots;
    final BufferObject storage;
    /** The tail of the last doorbell: records [0, head) have been taken. */
    int head;
    long submitted;
    long completed;
    private final Map<Long, Integer> failures = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Integer> eldest) {
            return size() > FAILURES_KEPT;
        }
    };

    Ring(int handle, int slots, BufferObject storage) {
        this.handle = handle;
        this.slots = slots;
        this.storage = storage;
    }

    /** Job {@code seq} ended with {@code status} (0 or -errno); jobs end in order. */
    void complete(long seq, int status) {
        completed = seq;
        if (status != 0) {
            failures.put(seq, status);
        }
    }

    /** The status of completed job {@code seq}: 0 or its -errno. */
    int status(long seq) {
        return failures.getOrDefault(seq, 0);
    }
}
