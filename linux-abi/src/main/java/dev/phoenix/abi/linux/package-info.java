/**
 * Syscall handlers, one class per family, arch-neutral; {@link dev.phoenix.abi.linux.LinuxSyscalls} declares them all.
 */
package dev.phoenix.abi.linux;
