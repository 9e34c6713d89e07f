package dev.phoenix.abi.syscall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.phoenix.abi.AbiBase;
import dev.phoenix.emu.Arch;
import dev.phoenix.emu.Cpu;
import dev.phoenix.emu.Cpus;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.cap.FrameAllocator;
import dev.phoenix.libos.mm.AddressSpace;
import dev.phoenix.libos.proc.Process;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dispatcher's outcomes besides success: errno, a syscall Phoenix lacks, an unknown number, an emulator bug. */
class DispatcherTest {
    private static final class TestAbi extends AbiBase {
        TestAbi() {
            super(Arch.X86_64, List.of(new Numbering.Entry(0, "fails", new Arg[0]),
                    new Numbering.Entry(1, "breaks", new Arg[0]), new Numbering.Entry(2, "absent", new Arg[0])),
                    new Layout(0x100000, 0, 0x1000, 0x80000, 0x100000), 0, "test");
        }
    }

    @Test
    void errnoBecomesNegativeMissingAndUnknownWarnOnceAndAreCountedAndBugsCarryThePc() {
        List<SyscallDef> defs = List.of(
                SyscallDef.supported("fails", (c, a0, a1, a2, a3, a4, a5) -> {
                    throw Errno.of(Errno.EACCES);
                }, Arg.DEC),
                SyscallDef.supported("breaks", (c, a0, a1, a2, a3, a4, a5) -> {
                    throw new IllegalStateException("deliberate");
                }, Arg.DEC));
        SyscallTable table = SyscallTable.build(new TestAbi(), defs);
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        EnosysLog log = new EnosysLog();
        try (Cpu cpu = Cpus.open(Cpus.Engine.UNICORN, Arch.X86_64)) {
            AddressSpace as = new AddressSpace(cpu, new FrameAllocator(16), 0x1000, 0x80000);
            Process p = new Process(1, 0, cpu, as, "/test");
            Dispatcher d = new Dispatcher(table, new SyscallContext(null, new TestAbi(), p.mainTask()),
                    new PrintStream(warnings, true, StandardCharsets.UTF_8), null, log);
            assertEquals(-Errno.EACCES, d.syscall(cpu, 0, 0, 0, 0, 0, 0, 0));
            assertEquals(-Errno.ENOSYS, d.syscall(cpu, 77, 0, 0, 0, 0, 0, 0));
            assertEquals(-Errno.ENOSYS, d.syscall(cpu, 77, 0, 0, 0, 0, 0, 0));
            assertEquals(-Errno.ENOSYS, d.syscall(cpu, 2, 0, 0, 0, 0, 0, 0));
            assertEquals("phoenix: warning: unimplemented x86_64 syscall 77 returns ENOSYS\n"
                    + "phoenix: warning: unimplemented x86_64 syscall 2 (absent) returns ENOSYS\n",
                    warnings.toString(StandardCharsets.UTF_8));
            List<EnosysLog.Line> lines = log.lines();
            assertEquals(2, lines.size());
            assertEquals("syscall 77", lines.get(0).label());
            assertEquals(2, lines.get(0).count());
            assertEquals("absent (2)", lines.get(1).label());
            assertEquals("not implemented", lines.get(1).reason());
            cpu.set(dev.phoenix.emu.Reg.PC, 0x401234);
            EmulatorBug bug = assertThrows(EmulatorBug.class, () -> d.syscall(cpu, 1, 0, 0, 0, 0, 0, 0));
            assertEquals("internal error in syscall breaks at guest pc 0x401234: java.lang.IllegalStateException: deliberate",
                    bug.getMessage());
        }
    }
}
