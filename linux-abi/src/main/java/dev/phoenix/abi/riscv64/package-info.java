/**
 * The riscv64 Linux ABI: asm-generic numbering plus riscv deltas, and struct layouts.
 */
package dev.phoenix.abi.riscv64;
