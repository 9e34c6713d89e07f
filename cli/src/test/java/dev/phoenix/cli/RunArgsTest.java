package dev.phoenix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The fast {@code run} parser reads what picocli reads, and leaves everything else to picocli. */
class RunArgsTest {
    /** Every field picocli sets on a RunCommand, as one comparable list. */
    private static List<Object> fields(RunCommand r) {
        return Arrays.asList(r.strace, r.straceOutput, r.straceFollow, r.traceUnimplemented, r.trace,
                r.ignoreEnvironment, r.setEnv, r.unsetEnv, r.argv0, r.hostname, r.deterministic, r.seed, r.rootfs,
                r.engine, r.debug, r.program, r.args);
    }

    private static RunCommand picocli(String[] argv) {
        RunCommand r = new RunCommand();
        new CommandLine(r).setStopAtPositional(true).parseArgs(Arrays.copyOfRange(argv, 1, argv.length));
        return r;
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "run prog",
        "run --strace -o t.txt -f --trace-unimplemented prog a -b --strace",
        "run -i -E A=1 --env=B=2 -U C --unset-env D -E E=3 prog",
        "run --argv0=x --hostname h --deterministic --seed 42 --rootfs /tmp --engine UNICORN --debug --trace prog",
        "run --seed=-7 --deterministic --strace-output=out.txt --strace-follow --ignore-environment prog x y",
        "run -- -prog-with-dash arg",
        "run prog -- --not-an-option",
        "run -0 name prog",
    })
    void agreesWithPicocliOnEveryPlainCommandLine(String line) {
        String[] argv = line.split(" ");
        RunCommand fast = RunArgs.parse(argv);
        assertNotNull(fast, line);
        assertEquals(fields(picocli(argv)), fields(fast), line);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "run --help", "run -h", "run -V", "run", "run --strace", "run -iE A=1 prog", "run --bogus prog",
        "run --seed abc prog", "run --seed 0x10 prog", "run --strace --strace prog", "run -o a -o b prog",
        "run -o a --strace-output b prog", "run --engine unicorn prog", "run -o", "run -E -i prog",
        "run --argv0 a -0 b prog",
    })
    void leavesHelpMistakesAndUnusualFormsToPicocli(String line) {
        assertNull(RunArgs.parse(line.split(" ")), line);
    }
}
