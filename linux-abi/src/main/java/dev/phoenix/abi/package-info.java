/**
 * The Linux personality: per-arch ABI facts ({@code x86_64}, {@code aarch64}, {@code riscv64} packages,
 * each with a class {@code Abi}), the kernel that runs a program, and signals raised by faults.
 */
package dev.phoenix.abi;
