/**
 * The exokernel and its LibOS core: capabilities over host resources ({@code cap}), guest address
 * spaces ({@code mm}), processes and tasks ({@code proc}) and open files ({@code fs}). Everything
 * here is arch-neutral; the Linux ABI (numbers, struct layouts) lives in {@code linux-abi}.
 *
 * <p>Threading: one process runs on one thread today; classes are not thread-safe unless they
 * say so.
 */
package dev.phoenix.libos;
