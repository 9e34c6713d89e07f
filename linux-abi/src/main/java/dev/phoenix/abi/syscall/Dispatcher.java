package dev.phoenix.abi.syscall;

import dev.phoenix.emu.Cpu;
import dev.phoenix.emu.Reg;
import dev.phoenix.emu.TrapHandler;
import dev.phoenix.libos.Errno;
import dev.phoenix.abi.signal.SignalDelivery;
import dev.phoenix.abi.strace.Strace;
import java.io.PrintStream;
import java.util.BitSet;

/**
 * The one syscall dispatcher: looks the number up in the arch's table, runs the handler, turns
 * an {@link Errno} into -errno, and reports anything else as an {@link EmulatorBug}. Unknown
 * numbers return -ENOSYS with one warning per number.
 */
public final class Dispatcher implements TrapHandler {
    private final SyscallTable table;
    private final SyscallContext context;
    private final PrintStream warnings;
    private final Strace strace;
    private final BitSet warned = new BitSet();

    /** {@code strace} may be null (no tracing). */
    public Dispatcher(SyscallTable table, SyscallContext context, PrintStream warnings, Strace strace) {
        this.table = table;
        this.context = context;
        this.warnings = warnings;
        this.strace = strace;
    }

    /** Runs the syscall, then delivers any signal it made deliverable, as the kernel does on its way out. */
    @Override
    public long syscall(Cpu cpu, long nr, long a0, long a1, long a2, long a3, long a4, long a5) {
        return SignalDelivery.atSyscallExit(context, dispatch(cpu, nr, a0, a1, a2, a3, a4, a5), nr, a0);
    }

    private long dispatch(Cpu cpu, long nr, long a0, long a1, long a2, long a3, long a4, long a5) {
        SyscallDef def = table.get(nr);
        if (def == null) {
            return unknown(nr, a0, a1, a2, a3, a4, a5);
        }
        if (strace != null && def.result() == Arg.NORETURN) {
            strace.noReturn(context, def, a0, a1, a2, a3, a4, a5);
        }
        long r;
        try {
            r = def.handler().handle(context, a0, a1, a2, a3, a4, a5);
        } catch (Errno e) {
            r = -e.errno();
        } catch (RuntimeException | Error e) {
            throw new EmulatorBug("in syscall " + def.name(), cpu.get(Reg.PC), e);
        }
        if (strace != null && def.result() != Arg.NORETURN) {
            strace.call(context, def, r, a0, a1, a2, a3, a4, a5);
        }
        return r;
    }

    private long unknown(long nr, long a0, long a1, long a2, long a3, long a4, long a5) {
        if (nr >= 0 && nr < Integer.MAX_VALUE && !warned.get((int) nr)) {
            warned.set((int) nr);
            warnings.println("phoenix: warning: unimplemented " + table.arch().unameMachine() + " syscall " + nr
                    + " returns ENOSYS");
        }
        if (strace != null) {
            strace.unknown(nr, a0, a1, a2, a3, a4, a5);
        }
        return -Errno.ENOSYS;
    }
}
