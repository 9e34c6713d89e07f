package dev.phoenix.abi;

import dev.phoenix.abi.syscall.Dispatcher;
import dev.phoenix.emu.Cpu;
import dev.phoenix.libos.proc.Task;

/**
 * One emulated CPU and what serves it: the engine, the ABI of its arch and the dispatcher its
 * syscalls trap into. There is one per address space (Linux's mm): the threads of a process take
 * turns on it, and so does a vfork child until it execs (CLONE_VM without CLONE_THREAD), so
 * {@link #users} counts the processes whose address space it holds; the last to leave closes it.
 */
public final class Vcpu {
    final Cpu cpu;
    final ArchAbi abi;
    final Dispatcher dispatcher;
    /** The task whose registers the engine holds now (the thread of the runner using it only). */
    Task onEngine;
    /** On a virtual clock: runs are counted from the first time two tasks share the runner. */
    boolean counting;
    /** Processes using the address space (guarded by the kernel's process table). */
    int users = 1;

    Vcpu(Cpu cpu, ArchAbi abi, Dispatcher dispatcher) {
        this.cpu = cpu;
        this.abi = abi;
        this.dispatcher = dispatcher;
    }

    /** The engine. */
    public Cpu cpu() {
        return cpu;
    }

    /** The ABI of the engine's arch. */
    public ArchAbi abi() {
        return abi;
    }
}
