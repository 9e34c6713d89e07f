/**
 * strace(1)-format output of syscalls.
 */
package dev.phoenix.abi.strace;
