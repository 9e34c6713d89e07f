/**
 * The Unicorn 2.1.1 engine, bound with FFM: downcall handles, constants, and upcall hooks for syscalls
 * and faults, with the TLB fill hook that makes memory faults precise ({@link dev.phoenix.emu.unicorn.MemoryFaults}).
 * No JNA; nothing here is visible outside emulator-core but {@link dev.phoenix.emu.unicorn.UnicornCpu}.
 */
package dev.phoenix.emu.unicorn;
