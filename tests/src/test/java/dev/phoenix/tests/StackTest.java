package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The growing stack ({@code tests/guest/stack.c}): it starts small, grows on demand, stops at
 * RLIMIT_STACK with a SIGSEGV a handler on the alternate stack catches, and MAP_GROWSDOWN
 * mappings grow the same way; on x86_64 compared with native runs.
 */
class StackTest {
    @ParameterizedTest
    @EnumSource(Target.class)
    void growsOnDemandAndOverflowsIntoSigsegv(Target t) throws Exception {
        Path program = Guests.binary(t, "stack");
        Result r = Guests.phoenix(Guests.runArgs(program, List.of()));
        String expected = "setrlimit(STACK, 8 MiB) = 0\ninitial [stack] under 1 MiB: 1\n2 MiB of recursion: 528\n"
                + "[stack] grew past 2 MiB: 1\noverflow: SIGSEGV caught on the alternate stack: 1\n"
                + "[stack] stopped at RLIMIT_STACK: 1\nmmap MAP_GROWSDOWN at 0x200000000: 1\n"
                + "MAP_GROWSDOWN grew to 4 pages, values 7 9\n";
        assertEquals(new Result(0, expected, ""), r);
        Guests.assertSameAsNative(t, program, r, List.of());
    }
}
