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
 * an {@link Errno} into -errno, and reports anything else as an {@link EmulatorBug}. Numbers
 * Linux does not assign and syscalls Phoenix does not implement return -ENOSYS with one warning
 * per number; every ENOSYS is counted in the {@link EnosysLog}.
 */
public final class Dispatcher implements TrapHandler {
    private final SyscallTable table;
    private final SyscallContext context;
    private final PrintStream warnings;
    private final Strace strace;
    private final EnosysLog enosys;
    private final BitSet warned = new BitSet();

    /** {@code strace} may be null (no tracing). */
    public Dispatcher(SyscallTable table, SyscallContext context, PrintStream warnings, Strace strace,
            EnosysLog enosys) {
        this.table = table;
        this.context = context;
        this.warnings = warnings;
        this.strace = strace;
        this.enosys = enosys;
    }

    /** Runs the syscall, then delivers any signal it made deliverable, as the kernel does on its way out. */
    @Override
    public long syscall(Cpu cpu, long nr, long a0, long a1, long a2, long a3, long a4, long a5) {
        return SignalDelivery.atSyscallExit(context, dispatch(cpu, nr, a0, a1, a2, a3, a4, a5), nr, a0);
    }

    private long dispatch(Cpu cpu, long nr, long a0, long a1, long a2, long a3, long a4, long a5) {
        SyscallDef def = table.get(nr);
        if (def == null) {
            warnOnce(nr, "");
            enosys.record(nr, null);
            if (strace != null) {
                strace.unknown(context, nr, a0, a1, a2, a3, a4, a5);
            }
            return -Errno.ENOSYS;
        }
        if (def.isMissing()) {
            warnOnce(nr, " (" + def.name() + ")");
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
        if (r == -Errno.ENOSYS) {
            enosys.record(nr, def);
        }
        return r;
    }

    private void warnOnce(long nr, String name) {
        if (nr >= 0 && nr < Integer.MAX_VALUE && !warned.get((int) nr)) {
            warned.set((int) nr);
            warnings.println("phoenix: warning: unimplemented " + table.arch().unameMachine() + " syscall " + nr + name
                    + " returns ENOSYS");
        }
    }
}
