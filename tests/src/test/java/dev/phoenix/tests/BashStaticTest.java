package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.tests.Guests.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Debian's static GNU bash (package bash-static, installed by setup.sh) runs a script of
 * builtins, expansions, arrays, functions, regex matches, here-strings, traps and loops exactly
 * as it does natively. bash uses futex(2) (glibc's once and locks), getpgrp(2) and getpeername(2)
 * on its stdin even in a script that never forks.
 */
class BashStaticTest {
    private static final String BASH = "/bin/bash-static";

    @Test
    void aScriptOfBuiltinsRunsAsNatively() throws Exception {
        assertTrue(Files.isExecutable(Path.of(BASH)), BASH + " is missing: ./setup.sh installs bash-static");
        Path script = Path.of(BashStaticTest.class.getResource("/bash/builtins.sh").toURI());
        Result r = Guests.phoenix("run", "-i", BASH, script.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("match phoenix 2026\n") && r.out().endsWith("done\ntrap EXIT\n"), r.out());
        assertEquals(Guests.host(List.of(BASH, script.toString()), List.of()), r);
    }

    @Test
    void aCommandThatNeedsForkFailsWithAClearErrorNotACrash() {
        // bash gives up on the command line when it cannot fork for $(...), as it would natively.
        Result r = Guests.phoenix("run", "-i", BASH, "-c", "echo before; echo $(echo inner); echo after");
        assertEquals("before\n", r.out());
        assertTrue(r.err().endsWith("/bin/bash-static: fork: Function not implemented\n"), r.err());
        assertTrue(r.exit() != 0, "exit " + r.exit());
    }
}
