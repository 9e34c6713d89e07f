package dev.phoenix.abi;

import dev.phoenix.emu.Arch;
import dev.phoenix.libos.fs.FileStatus;
import dev.phoenix.libos.mm.GuestMemory;
import dev.phoenix.abi.syscall.Numbering;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The data every arch's {@link ArchAbi} carries, so each arch's {@code Abi} states only its
 * values. Struct layouts default to asm-generic (aarch64, riscv64); x86_64 overrides them.
 */
public abstract class AbiBase implements ArchAbi {
    /**
     * The memory layout of a process: stack top, static-pie base, the mmap area, and TASK_SIZE,
     * the end of the user address space (the arch's virtual address width as Linux sets it up).
     */
    public record Layout(long stackTop, long pieBase, long mmapBottom, long mmapTop, long taskSize) {}

    private final Arch arch;
    private final List<Numbering.Entry> syscalls;
    private final Map<String, Integer> numbers;
    private final Layout layout;
    private final long hwcap;
    private final String platform;

    protected AbiBase(Arch arch, List<Numbering.Entry> syscalls, Layout layout, long hwcap, String platform) {
        this.arch = arch;
        this.syscalls = syscalls;
        this.numbers = syscalls.stream().collect(Collectors.toUnmodifiableMap(Numbering.Entry::name,
                Numbering.Entry::number));
        this.layout = layout;
        this.hwcap = hwcap;
        this.platform = platform;
    }

    @Override
    public Arch arch() {
        return arch;
    }

    @Override
    public List<Numbering.Entry> syscalls() {
        return syscalls;
    }

    @Override
    public Map<String, Integer> syscallNumbers() {
        return numbers;
    }

    @Override
    public long stackTop() {
        return layout.stackTop();
    }

    @Override
    public long taskSize() {
        return layout.taskSize();
    }

    @Override
    public long pieBase() {
        return layout.pieBase();
    }

    @Override
    public long mmapTop() {
        return layout.mmapTop();
    }

    @Override
    public long mmapBottom() {
        return layout.mmapBottom();
    }

    @Override
    public long hwcap() {
        return hwcap;
    }

    @Override
    public long hwcap2() {
        return 0;
    }

    @Override
    public String platform() {
        return platform;
    }

    @Override
    public int statSize() {
        return GenericStat.SIZE;
    }

    @Override
    public void writeStat(GuestMemory memory, long address, FileStatus st) {
        GenericStat.write(memory, address, st);
    }
}
