package dev.phoenix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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
        "run --pid --mount --uts --ipc --user --net none --memory 64m --pids-limit 100 --cpus 0.5 prog",
        "run --isolate --net=host --cpus=2 --memory=1g --pids-limit=-1 prog",
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
        "run --argv0 a -0 b prog", "run --net bogus prog", "run --pids-limit x prog", "run --pid --pid prog",
    })
    void leavesHelpMistakesAndUnusualFormsToPicocli(String line) {
        assertNull(RunArgs.parse(line.split(" ")), line);
    }

    /**
     * A mistake on the command line, whichever parser reads it (the fast one hands mistakes to
     * picocli; RunCommand checks values both accept), is one line saying what is wrong and one
     * saying where help is, for the command used; exit 2, nothing on stdout.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "run --bogus prog           | phoenix run      | unknown option: '--bogus'",
        "run -Z prog                | phoenix run      | unknown option: '-Z'",
        "run -i --bogus=1 prog      | phoenix run      | unknown option: '--bogus=1'",
        "run -E                     | phoenix run      | missing required parameter for option '--env' (NAME=VALUE)",
        "run -o                     | phoenix run      | missing required parameter for option '--strace-output' (FILE)",
        "run --rootfs               | phoenix run      | missing required parameter for option '--rootfs' (DIR)",
        "run --seed                 | phoenix run      | missing required parameter for option '--seed' (N)",
        "run --seed abc prog        | phoenix run      | invalid value for option '--seed': 'abc' is not a long",
        "run --seed=1x prog         | phoenix run      | invalid value for option '--seed': '1x' is not a long",
        "run --engine bad prog      | phoenix run      | invalid value for option '--engine': expected one of [UNICORN] (case-sensitive) but was 'bad'",
        "run                        | phoenix run      | missing required parameter: 'PROGRAM'",
        "run -i --strace            | phoenix run      | missing required parameter: 'PROGRAM'",
        "run --bogus                | phoenix run      | unknown option: '--bogus'",
        "run --strace --strace prog | phoenix run      | option '--strace' should be specified only once",
        "run -E NOEQUALS prog       | phoenix run      | --env takes NAME=VALUE, got 'NOEQUALS'",
        "run --seed 1 prog          | phoenix run      | --seed needs --deterministic",
        "run --rootfs /no/such prog | phoenix run      | --rootfs /no/such is not a directory",
        "frob                       | phoenix          | unknown command 'frob'",
        "--bogus                    | phoenix          | unknown option: '--bogus'",
        "(nothing)                  | phoenix          | missing command: run, compat, syscalls or sysroot",
        "syscalls --arch sparc      | phoenix syscalls | unknown --arch 'sparc': use x86_64, aarch64 or riscv64",
        "syscalls --bogus           | phoenix syscalls | unknown option: '--bogus'",
        "compat --bogus x.ini       | phoenix compat   | unknown option: '--bogus'",
        "sysroot --arch sparc d x   | phoenix sysroot  | unknown --arch 'sparc': use x86_64, aarch64 or riscv64",
        "sysroot --arch arm64 d     | phoenix sysroot  | missing required parameter: 'PACKAGE'",
        "sysroot d libc6            | phoenix sysroot  | missing required option: '--arch=ARCH'",
        "sysroot --arch arm64 d Foo | phoenix sysroot  | not a Debian package name: 'Foo'",
        "sysroot --arch arm64 d a/b | phoenix sysroot  | not a Debian package name: 'a/b'",
    })
    void aMistakeIsOneLineAndWhereHelpIs(String line, String command, String message) {
        String[] argv = line.equals("(nothing)") ? new String[0] : line.split(" ");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.execute(argv, new ByteArrayInputStream(new byte[0]), out, err);
        assertEquals(List.of(2, "", "phoenix: " + message + "\nTry '" + command + " --help'.\n"),
                List.of(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)), line);
    }
}
