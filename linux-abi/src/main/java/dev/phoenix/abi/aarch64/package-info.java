/**
 * The aarch64 Linux ABI: asm-generic numbering and struct layouts.
 */
package dev.phoenix.abi.aarch64;
