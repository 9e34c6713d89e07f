package dev.phoenix.abi.syscall;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every syscall that returned ENOSYS in a run, with a count: what {@code --trace-unimplemented}
 * prints at exit, so a user sees at once which missing syscalls their program needed.
 */
public final class EnosysLog {
    /** One syscall's ENOSYS returns; {@code def} is null for a number Linux does not assign. */
    public record Line(long number, SyscallDef def, long count) {
        /** "clone (56)", or "syscall 1000" for an unassigned number. */
        public String label() {
            return def != null ? def.name() + " (" + number + ")" : "syscall " + number;
        }

        /** Why it returned ENOSYS. */
        public String reason() {
            if (def == null) {
                return "no such syscall in Linux";
            }
            return def.isMissing() ? "not implemented" : "refused: " + def.note();
        }
    }

    /** One syscall's declaration (null for an unassigned number) and how often it returned ENOSYS. */
    private static final class Count {
        final SyscallDef def;
        long n;

        Count(SyscallDef def) {
            this.def = def;
        }
    }

    private final Map<Long, Count> counts = new LinkedHashMap<>();

    /** Counts one ENOSYS return of syscall {@code number}. */
    public synchronized void record(long number, SyscallDef def) {
        counts.computeIfAbsent(number, n -> new Count(def)).n++;
    }

    /** The syscalls in order of their first ENOSYS. */
    public synchronized List<Line> lines() {
        List<Line> out = new ArrayList<>();
        counts.forEach((nr, c) -> out.add(new Line(nr, c.def, c.n)));
        return out;
    }
}
