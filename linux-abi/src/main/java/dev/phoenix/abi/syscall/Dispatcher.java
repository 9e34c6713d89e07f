package dev.phoenix.abi.syscall;

import dev.phoenix.emu.Cpu;
import dev.phoenix.emu.Reg;
import dev.phoenix.emu.TrapHandler;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.proc.Park;
import dev.phoenix.libos.proc.Task;
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
    /** The context of the task on the engine now; the runner switches it with the task. */
    private SyscallContext context;
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

    /** Makes {@code context} (a task's) the one syscalls run in: the runner switched tasks. */
    public void setContext(SyscallContext context) {
        this.context = context;
    }

    /** The context syscalls run in now. */
    public SyscallContext context() {
        return context;
    }

    /**
     * Runs the syscall, then delivers any signal it made deliverable, as the kernel does on its
     * way out. A syscall that parked its task leaves the PC on the syscall instruction and the
     * registers as they were, and stops the engine: it runs again when the task is woken. The
     * time from here to the return to guest code is the task's system time.
     */
    @Override
    public long syscall(Cpu cpu, long nr, long a0, long a1, long a2, long a3, long a4, long a5) {
        SyscallContext c = context;
        Task task = c.task();
        task.enterKernel(); // system time until the guest runs again (CpuTimes)
        try {
            return run(c, cpu, nr, a0, a1, a2, a3, a4, a5);
        } finally {
            task.exitKernel();
        }
    }

    /** {@link #syscall} without the accounting: the handler, a park's rewind, and the signals on the way out. */
    private long run(SyscallContext c, Cpu cpu, long nr, long a0, long a1, long a2, long a3, long a4, long a5) {
        long r = dispatch(c, cpu, nr, a0, a1, a2, a3, a4, a5);
        if (c.task().parked) {
            boolean x86 = table.arch() == dev.phoenix.emu.Arch.X86_64;
            cpu.set(Reg.PC, cpu.get(Reg.PC) - (x86 ? 2 : 4));
            cpu.requestStop();
            return x86 ? nr : a0; // rax held the number; x0/a0 the first argument
        }
        if (c.task().execed) { // a new image on another engine: this one has nothing more to run
            cpu.requestStop();
            return r;
        }
        dev.phoenix.libos.proc.RunQueue q = c.task().runQueue();
        if (q != null && q.preemptAtSyscall) { // the turn is over: stop after this call, exactly
            q.preemptAtSyscall = false;
            cpu.requestStop();
        }
        return SignalDelivery.atSyscallExit(c, r, nr, a0);
    }

    private long dispatch(SyscallContext context, Cpu cpu, long nr, long a0, long a1, long a2, long a3, long a4,
            long a5) {
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
        if (strace != null) { // strace prints a call's entry arguments before it runs, as they are then
            if (def.result() == Arg.NORETURN) {
                strace.noReturn(context, def, a0, a1, a2, a3, a4, a5);
            } else {
                strace.enter(context, def, a0, a1, a2, a3, a4, a5);
            }
        }
        long r;
        try {
            r = def.handler().handle(context, a0, a1, a2, a3, a4, a5);
        } catch (Park p) {
            context.task().parked = true;
            return 0;
        } catch (Errno e) {
            r = -e.errno();
        } catch (RuntimeException | Error e) {
            throw new EmulatorBug("in syscall " + def.name(), cpu.get(Reg.PC), e);
        }
        context.task().syscallDone();
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
