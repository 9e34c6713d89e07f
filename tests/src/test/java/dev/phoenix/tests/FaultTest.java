package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.emu.Arch;
import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A guest that faults dies of the signal, with one line naming the fault and the instruction that
 * raised it: the one objdump shows at the label tests/guest/fault.c puts there, also when earlier
 * instructions of its translated block changed registers and memory. A SIGSEGV handler that
 * returns runs the faulting instruction again, and only it.
 */
class FaultTest {
    private static final String SEGV = "phoenix: guest killed by SIGSEGV (Segmentation fault): ";
    /** The report line: what happened, the pc, and the instruction there as Capstone reads it. */
    private static final Pattern REPORT = Pattern.compile("(.*) at pc 0x([0-9a-f]+): (.+)\n");

    private static Matcher report(Result r) {
        Matcher m = REPORT.matcher(r.err());
        assertTrue(m.matches(), "not one report line: " + r.err());
        return m;
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void nullReadIsSigsegv(Target t) {
        Result r = Guests.phoenix("run", Guests.binary(t, "fault").toString(), "read");
        assertEquals(139, r.exit());
        assertEquals("", r.out());
        Matcher m = report(r);
        assertEquals(SEGV + "read from unmapped address 0x0", m.group(1));
        if (t.arch == Arch.X86_64) {
            assertEquals("mov eax, dword ptr [0]", m.group(3));
        }
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void writeToCodeIsSigsegvAtTheAddressWritten(Target t) throws Exception {
        Path bin = Guests.binary(t, "fault");
        Result r = Guests.phoenix("run", bin.toString(), "write");
        assertEquals(139, r.exit());
        long main = Objdump.at(t, bin, "main").address();
        assertEquals(SEGV + "write to read-only address 0x" + Long.toHexString(main), report(r).group(1));
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void storeInTheMiddleOfABlockIsNamed(Target t) throws Exception {
        Path bin = Guests.binary(t, "fault");
        Result r = Guests.phoenix("run", bin.toString(), "store");
        assertEquals(139, r.exit());
        assertEquals("", r.out());
        assertNames(t, bin, "fault_store", SEGV + "write to unmapped address 0x18", r, true);
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void illegalInstructionIsNamed(Target t) throws Exception {
        Path bin = Guests.binary(t, "fault");
        Result r = Guests.phoenix("run", bin.toString(), "ill");
        assertEquals(132, r.exit());
        // objdump shows riscv64's all-zero word as .word: no text to compare.
        assertNames(t, bin, "fault_ill", "phoenix: guest killed by SIGILL (Illegal instruction): illegal instruction", r,
                t.arch != Arch.RISCV64);
    }

    @ParameterizedTest
    @EnumSource(value = Target.class, names = {"X86_64_MUSL", "X86_64_GLIBC"})
    void divideByZeroIsNamed(Target t) throws Exception {
        Path bin = Guests.binary(t, "fault");
        Result r = Guests.phoenix("run", bin.toString(), "div");
        assertEquals(136, r.exit());
        assertNames(t, bin, "fault_div", "phoenix: guest killed by SIGFPE (Floating point exception): integer divide error",
                r, true);
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void breakpointIsSigtrap(Target t) throws Exception {
        Path bin = Guests.binary(t, "fault");
        Result r = Guests.phoenix("run", bin.toString(), "trap");
        assertEquals(133, r.exit());
        // int3 is a trap (Intel SDM Vol. 3A, 6.5): Linux reports the instruction after it; brk
        // and ebreak stop at themselves. objdump writes brk's operand as #0x0, Capstone as #0.
        String label = t.arch == Arch.X86_64 ? "fault_trap_end" : "fault_trap";
        assertNames(t, bin, label, "phoenix: guest killed by SIGTRAP (Trace/breakpoint trap): breakpoint", r,
                t.arch != Arch.AARCH64);
    }

    /**
     * Asserts that the report says {@code what} at the address objdump gives for {@code label},
     * and, when {@code sameText}, names the instruction objdump shows there.
     */
    private static void assertNames(Target t, Path bin, String label, String what, Result r, boolean sameText)
            throws Exception {
        Objdump.Instruction at = Objdump.at(t, bin, label);
        Matcher m = report(r);
        assertEquals(what, m.group(1));
        assertEquals(Long.toHexString(at.address()), m.group(2), r.err());
        if (sameText) {
            assertEquals(Objdump.normalized(at.text()), Objdump.normalized(m.group(3)), r.err());
        }
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void handlerThatReturnsRunsOnlyTheFaultingInstructionAgain(Target t) throws Exception {
        Path bin = Guests.binary(t, "fault");
        Result r = Guests.phoenix("run", bin.toString(), "retry");
        assertEquals(new Result(0, """
                store to a PROT_NONE page: handler ran 1 time(s), SEGV_ACCERR, si_addr exact 1, counter 1, acc 1, \
                stored 8, read back 8
                store to an unmapped page: handler ran 1 time(s), SEGV_MAPERR, si_addr exact 1, counter 1, acc 1, \
                stored 8, read back 8
                illegal instruction: handler ran 1 time(s), si_addr at it 1, counter 1, acc 1
                """, ""), r);
        Guests.assertSameAsNative(t, bin, r, List.of(), "retry");
    }
}
