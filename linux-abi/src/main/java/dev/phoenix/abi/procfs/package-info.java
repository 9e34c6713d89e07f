/** procfs and sysfs: /proc and /sys made up from the LibOS's own state, for the calling process and the machine. */
package dev.phoenix.abi.procfs;
