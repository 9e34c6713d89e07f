/**
 * Syscall declarations, the dense per-arch tables built from them, and the one dispatcher.
 */
package dev.phoenix.abi.syscall;
