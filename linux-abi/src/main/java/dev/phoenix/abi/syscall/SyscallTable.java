package dev.phoenix.abi.syscall;

import dev.phoenix.abi.ArchAbi;
import dev.phoenix.emu.Arch;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The dense, per-arch syscall table: the arch's numbering joined with the arch-neutral
 * declarations of {@link dev.phoenix.abi.linux.LinuxSyscalls}. Built once per arch.
 */
public final class SyscallTable {
    private static final Map<Arch, SyscallTable> TABLES = new EnumMap<>(Arch.class);

    private final Arch arch;
    private final SyscallDef[] byNumber;

    private SyscallTable(Arch arch, SyscallDef[] byNumber) {
        this.arch = arch;
        this.byNumber = byNumber;
    }

    /** The table for {@code arch}. */
    public static synchronized SyscallTable of(Arch arch) {
        return TABLES.computeIfAbsent(arch, a -> build(ArchAbi.of(a), dev.phoenix.abi.linux.LinuxSyscalls.definitions()));
    }

    /** Joins numbering and declarations; every declaration must have a number on every arch that names it. */
    static SyscallTable build(ArchAbi abi, List<SyscallDef> defs) {
        Map<String, Integer> numbers = abi.syscallNumbers();
        int max = numbers.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        SyscallDef[] table = new SyscallDef[max + 1];
        for (SyscallDef d : defs) {
            Integer nr = numbers.get(d.name());
            if (nr == null) {
                continue; // not a syscall of this arch (arch_prctl on aarch64, for example)
            }
            if (table[nr] != null) {
                throw new IllegalStateException("two declarations for " + d.name() + " on " + abi.arch());
            }
            table[nr] = d;
        }
        for (Map.Entry<String, Integer> e : numbers.entrySet()) {
            if (table[e.getValue()] == null) {
                throw new IllegalStateException(abi.arch() + " numbers " + e.getKey() + " but nothing declares it");
            }
        }
        return new SyscallTable(abi.arch(), table);
    }

    public Arch arch() {
        return arch;
    }

    /** The declaration for syscall {@code nr}, or null when Phoenix does not know it. */
    public SyscallDef get(long nr) {
        return nr >= 0 && nr < byNumber.length ? byNumber[(int) nr] : null;
    }

    /** One past the highest number in the table. */
    public int size() {
        return byNumber.length;
    }
}
