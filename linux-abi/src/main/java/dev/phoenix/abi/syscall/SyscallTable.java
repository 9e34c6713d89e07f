package dev.phoenix.abi.syscall;

import dev.phoenix.abi.ArchAbi;
import dev.phoenix.emu.Arch;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dense, per-arch syscall table: the arch's numbering joined with the arch-neutral
 * declarations of {@link dev.phoenix.abi.linux.LinuxSyscalls}. Built once per arch; a null
 * slot is a number Linux never assigned.
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

    /**
     * Joins the arch's numbering with the declarations: a number nothing declares becomes a
     * {@link SyscallDef#missing} row, so the table lists every syscall Linux has.
     */
    static SyscallTable build(ArchAbi abi, List<SyscallDef> defs) {
        Map<String, SyscallDef> byName = new HashMap<>();
        for (SyscallDef d : defs) {
            if (byName.put(d.name(), d) != null) {
                throw new IllegalStateException("two declarations for " + d.name());
            }
        }
        List<Numbering.Entry> numbering = abi.syscalls();
        int max = numbering.stream().mapToInt(Numbering.Entry::number).max().orElse(0);
        SyscallDef[] table = new SyscallDef[max + 1];
        for (Numbering.Entry e : numbering) {
            if (table[e.number()] != null) {
                throw new IllegalStateException(abi.arch() + " numbers " + e.number() + " twice");
            }
            SyscallDef d = byName.get(e.name());
            table[e.number()] = d != null ? d : SyscallDef.missing(e.name(), e.args());
        }
        return new SyscallTable(abi.arch(), table);
    }

    public Arch arch() {
        return arch;
    }

    /** The declaration for syscall {@code nr}, or null when Linux has no such number. */
    public SyscallDef get(long nr) {
        return nr >= 0 && nr < byNumber.length ? byNumber[(int) nr] : null;
    }

    /** One past the highest number in the table. */
    public int size() {
        return byNumber.length;
    }
}
