package dev.phoenix.emu;

/**
 * Given the chance to repair an access to unmapped memory before it becomes a fault: the kernel
 * maps the page (a growing stack) and the engine retries the access.
 */
@FunctionalInterface
public interface FaultResolver {
    /** Returns true when {@code address} is now mapped and the access should be retried. */
    boolean resolve(long address);
}
