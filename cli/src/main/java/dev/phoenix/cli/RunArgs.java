package dev.phoenix.cli;

import dev.phoenix.emu.Cpus;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The start-up fast path of {@code phoenix run}: reads the command line picocli would read for
 * {@link RunCommand}, in its plain forms only ({@code --opt VALUE}, {@code --opt=VALUE},
 * {@code -o VALUE}, flags), without building picocli's model. picocli's classes are Java 5
 * class files that class data sharing cannot archive, so building the model cost about 100 ms
 * of every run. Anything else (help, clustered or unknown options, a value picocli would
 * reject) returns null and picocli parses it, with its own messages. {@code RunArgsTest}
 * checks that both parsers agree.
 */
final class RunArgs {
    private RunArgs() {}

    /** A flag's setter. */
    private interface Flag {
        void set(RunCommand r);
    }

    /** A value option's setter; returns false when picocli would refuse the value. */
    private interface Value {
        boolean set(RunCommand r, String v);
    }

    private static final Map<String, Flag> FLAGS = Map.ofEntries(
            Map.entry("--strace", r -> r.strace = true),
            Map.entry("-f", r -> r.straceFollow = true), Map.entry("--strace-follow", r -> r.straceFollow = true),
            Map.entry("--trace-unimplemented", r -> r.traceUnimplemented = true),
            Map.entry("--trace", r -> r.trace = true),
            Map.entry("-i", r -> r.ignoreEnvironment = true), Map.entry("--ignore-environment", r -> r.ignoreEnvironment = true),
            Map.entry("--deterministic", r -> r.deterministic = true),
            Map.entry("--pid", r -> r.pidNamespace = true), Map.entry("--mount", r -> r.mountNamespace = true),
            Map.entry("--uts", r -> r.utsNamespace = true), Map.entry("--ipc", r -> r.ipcNamespace = true),
            Map.entry("--user", r -> r.userNamespace = true), Map.entry("--isolate", r -> r.isolate = true),
            Map.entry("--debug", r -> r.debug = true));

    private static final Map<String, Value> VALUES = Map.ofEntries(
            Map.entry("-o", (r, v) -> path(v, p -> r.straceOutput = p)),
            Map.entry("--strace-output", (r, v) -> path(v, p -> r.straceOutput = p)),
            Map.entry("-E", (r, v) -> r.setEnv.add(v)), Map.entry("--env", (r, v) -> r.setEnv.add(v)),
            Map.entry("-U", (r, v) -> r.unsetEnv.add(v)), Map.entry("--unset-env", (r, v) -> r.unsetEnv.add(v)),
            Map.entry("-0", (r, v) -> set(() -> r.argv0 = v)), Map.entry("--argv0", (r, v) -> set(() -> r.argv0 = v)),
            Map.entry("--hostname", (r, v) -> set(() -> r.hostname = v)),
            Map.entry("--seed", RunArgs::seed),
            Map.entry("--cpus", (r, v) -> set(() -> r.cpus = v)),
            Map.entry("--memory", (r, v) -> set(() -> r.memory = v)),
            Map.entry("--pids-limit", RunArgs::pidsLimit),
            Map.entry("--net", RunArgs::net),
            Map.entry("--rootfs", (r, v) -> path(v, p -> r.rootfs = p)),
            Map.entry("-L", (r, v) -> path(v, p -> r.sysroot = p)),
            Map.entry("--sysroot", (r, v) -> path(v, p -> r.sysroot = p)),
            Map.entry("--engine", RunArgs::engine),
            Map.entry("--vgpu", RunArgs::vgpu));

    /** Options that collect every value given. */
    private static final java.util.Set<String> REPEATABLE = java.util.Set.of("-E", "--env", "-U", "--unset-env");

    /** The long name of an option, so that -o and --strace-output count as the same. */
    private static String canonical(String name) {
        return switch (name) {
            case "-o" -> "--strace-output";
            case "-f" -> "--strace-follow";
            case "-i" -> "--ignore-environment";
            case "-0" -> "--argv0";
            case "-L" -> "--sysroot";
            default -> name;
        };
    }

    /** A {@link RunCommand} set up from {@code args} (args[0] is "run"), or null when picocli must parse them. */
    static RunCommand parse(String[] args) {
        RunCommand r = new RunCommand();
        java.util.Set<String> seen = new java.util.HashSet<>();
        int i = 1;
        for (; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                i++;
                break;
            }
            if (!a.startsWith("-") || a.equals("-")) {
                break;
            }
            int eq = a.startsWith("--") ? a.indexOf('=') : -1;
            String name = eq > 0 ? a.substring(0, eq) : a;
            Flag flag = FLAGS.get(name);
            Value value = VALUES.get(name);
            if ((flag != null || value != null) && !REPEATABLE.contains(name) && !seen.add(canonical(name))) {
                return null; // picocli refuses a single-valued option given twice
            }
            if (flag != null && eq < 0) {
                flag.set(r);
            } else if (value != null) {
                String v = eq > 0 ? a.substring(eq + 1) : ++i < args.length ? args[i] : null;
                if (v == null || (eq < 0 && v.startsWith("-")) || !value.set(r, v)) {
                    return null;
                }
            } else {
                return null; // --help, --version, clustered or unknown options: picocli's to read and report
            }
        }
        if (i >= args.length || args[i].startsWith("-") && !args[i - 1].equals("--")) {
            return null; // no PROGRAM: picocli says so
        }
        r.program = args[i];
        for (int k = i + 1; k < args.length; k++) {
            r.args.add(args[k]);
        }
        return r;
    }

    private static boolean set(Runnable setter) {
        setter.run();
        return true;
    }

    private static boolean path(String v, java.util.function.Consumer<Path> setter) {
        try {
            setter.accept(Path.of(v));
            return true;
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static boolean seed(RunCommand r, String v) {
        if (!v.matches("-?(0|[1-9][0-9]{0,18})")) {
            return false; // hex, octal and the like: picocli's converter decides
        }
        try {
            r.seed = Long.valueOf(v);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean pidsLimit(RunCommand r, String v) {
        if (!v.matches("-?(0|[1-9][0-9]{0,17})")) {
            return false; // picocli's converter decides (and reports) anything else
        }
        r.pidsLimit = Long.valueOf(v);
        return true;
    }

    private static boolean net(RunCommand r, String v) {
        for (RunCommand.Net n : RunCommand.Net.values()) {
            if (n.name().equals(v)) {
                r.net = n;
                return true;
            }
        }
        return false;
    }

    private static boolean vgpu(RunCommand r, String v) {
        for (RunCommand.Vgpu e : RunCommand.Vgpu.values()) {
            if (e.name().equals(v)) {
                r.vgpu = e;
                return true;
            }
        }
        return false;
    }

    private static boolean engine(RunCommand r, String v) {
        for (Cpus.Engine e : Cpus.Engine.values()) {
            if (e.name().equals(v)) {
                r.engine = e;
                return true;
            }
        }
        return false;
    }
}
