package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A guest that faults dies of SIGSEGV: exit status 139, and one line naming the fault. */
class FaultTest {
    @ParameterizedTest
    @EnumSource(Target.class)
    void nullReadIsSigsegv(Target t) {
        Result r = Guests.phoenix("run", Guests.binary(t, "fault").toString(), "read");
        assertEquals(139, r.exit());
        assertEquals("", r.out());
        String head = "phoenix: guest killed by SIGSEGV (Segmentation fault): read from unmapped address 0x0 at pc 0x";
        assertEquals(true, r.err().startsWith(head) && r.err().lines().count() == 1, r.err());
        if (t.arch == dev.phoenix.emu.Arch.X86_64) {
            // x86_64 faults name the exact instruction, disassembled by Capstone.
            assertEquals(true, r.err().endsWith(": mov eax, dword ptr [0]\n"), r.err());
        }
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void writeToCodeIsSigsegv(Target t) {
        Result r = Guests.phoenix("run", Guests.binary(t, "fault").toString(), "write");
        assertEquals(139, r.exit());
        String head = "phoenix: guest killed by SIGSEGV (Segmentation fault): write to read-only address 0x";
        assertEquals(true, r.err().startsWith(head), r.err());
        if (t.arch == dev.phoenix.emu.Arch.X86_64) {
            assertEquals(true, r.err().matches("(?s).*: mov dword ptr \\[rip - 0x[0-9a-f]+\\], 1\n"), r.err());
        }
    }
}
