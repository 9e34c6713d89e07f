package dev.phoenix.libos.proc;

/**
 * The kernel's state of a contended PI futex (Linux's struct futex_pi_state, kernel/futex/pi.c):
 * which task owns it, and the tasks blocked in FUTEX_LOCK_PI or requeued to it by
 * FUTEX_CMP_REQUEUE_PI, by priority. It exists while someone waits; its futex word then holds
 * the owner's TID with FUTEX_WAITERS, so the owner's unlock comes to the kernel, which hands the
 * lock to the top waiter. Guarded by {@link PiChains#LOCK}.
 */
public final class FutexPiState extends PiLock {
    private final Object space;
    private final long address;

    /** The state of the futex keyed ({@code space}, {@code address}) in the {@link FutexTable}. */
    public FutexPiState(Object space, long address) {
        super(true);
        this.space = space;
        this.address = address;
    }

    public Object space() {
        return space;
    }

    public long address() {
        return address;
    }

    /** The owner, or null. */
    public Task owner() {
        return owners.isEmpty() ? null : owners.get(0);
    }
}
