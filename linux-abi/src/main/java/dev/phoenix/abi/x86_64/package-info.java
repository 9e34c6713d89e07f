/**
 * The x86_64 Linux ABI: syscall numbers and struct layouts.
 */
package dev.phoenix.abi.x86_64;
