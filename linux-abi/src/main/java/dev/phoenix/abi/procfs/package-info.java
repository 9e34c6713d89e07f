/**
 * procfs and sysfs: /proc and /sys made up from the LibOS's own state, for every process of the
 * kernel and the machine. Locks: none of its own; it takes snapshots of the kernel's process
 * table ({@code LinuxKernel.processes}, {@code process}), whose lock it never holds while it
 * reads a process, and reads each process's state as its own synchronized objects allow.
 */
package dev.phoenix.abi.procfs;
