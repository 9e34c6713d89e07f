/**
 * Guest address spaces: VMAs bound to frame capabilities, kept in step with the CPU's map, and the
 * capability-checked {@link dev.phoenix.libos.mm.GuestMemory} view through which the LibOS touches guest memory.
 */
package dev.phoenix.libos.mm;
