package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.tests.Guests.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
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
    void commandSubstitutionAndPipelinesForkAsNatively() throws Exception {
        List<String> cmd = List.of(BASH, "-c", "echo before; echo $(echo inner); printf 'b\\na\\n' | { read x; read y; echo \"$y$x\"; };"
                + " (exit 7); echo rc=$?; echo after");
        Result r = Guests.phoenix(Stream.concat(Stream.of("run", "-i"), cmd.stream()).toArray(String[]::new));
        assertEquals(new Result(0, "before\ninner\nab\nrc=7\nafter\n", ""), r);
        assertEquals(Guests.host(cmd, List.of()), r);
    }
}
