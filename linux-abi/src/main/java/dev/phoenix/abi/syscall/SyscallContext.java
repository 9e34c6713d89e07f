package dev.phoenix.abi.syscall;

import dev.phoenix.abi.ArchAbi;
import dev.phoenix.abi.LinuxKernel;
import dev.phoenix.emu.Cpu;
import dev.phoenix.libos.mm.GuestMemory;
import dev.phoenix.libos.proc.Process;
import dev.phoenix.libos.proc.Task;

/** What a syscall handler works on: the calling task, its process and memory, and the kernel. */
public final class SyscallContext {
    private final LinuxKernel kernel;
    private final ArchAbi abi;
    private final Task task;

    public SyscallContext(LinuxKernel kernel, ArchAbi abi, Task task) {
        this.kernel = kernel;
        this.abi = abi;
        this.task = task;
    }

    public LinuxKernel kernel() {
        return kernel;
    }

    public ArchAbi abi() {
        return abi;
    }

    public Task task() {
        return task;
    }

    public Process process() {
        return task.process();
    }

    public Cpu cpu() {
        return task.cpu();
    }

    /** The calling task's fd table. */
    public dev.phoenix.libos.fs.FdTable fds() {
        return task.fds();
    }

    /** The calling process's guest memory. */
    public GuestMemory memory() {
        return task.process().addressSpace().memory();
    }
}
