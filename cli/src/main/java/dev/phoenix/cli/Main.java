package dev.phoenix.cli;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code phoenix} command: subcommands and the process's streams. */
@Command(name = "phoenix", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Phoenix runs unmodified Linux ELF binaries for x86_64, aarch64 and riscv64, static or dynamically linked, on an "
                + "emulated CPU, with every system call served by a Java exokernel.",
        footer = {"", "Exit status: the guest's own, or 128+N when signal N killed it; see 'phoenix run --help' "
                + "for the codes Phoenix itself uses."})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Where the guest's standard streams go; the host's own fds unless a test supplies others. */
    record Stdio(InputStream in, OutputStream out, OutputStream err, boolean hostFds) {}

    private final Stdio stdio;

    Main(Stdio stdio) {
        this.stdio = stdio;
    }

    Stdio stdio() {
        return stdio;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: run, compat, syscalls or sysroot");
    }

    public static void main(String[] args) {
        Stdio host = new Stdio(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out),
                new FileOutputStream(FileDescriptor.err), true);
        System.exit(execute(args, host));
    }

    /** Runs the command with guest streams {@code in}, {@code out} and {@code err} (for tests). */
    public static int execute(String[] args, InputStream in, OutputStream out, OutputStream err) {
        return execute(args, new Stdio(in, out, err, false));
    }

    static int execute(String[] args, Stdio stdio) {
        if (args.length > 0 && args[0].equals("run")) {
            RunCommand fast = RunArgs.parse(args); // start-up: picocli only when the command line needs it
            if (fast != null) {
                fast.parent = new Main(stdio);
                return fast.call();
            }
        }
        PrintStream errStream = new PrintStream(stdio.err(), true, StandardCharsets.UTF_8);
        PrintStream outStream = new PrintStream(stdio.out(), true, StandardCharsets.UTF_8);
        CommandLine cl = new CommandLine(new Main(stdio));
        addSubcommands(cl, args.length > 0 ? args[0] : "");
        cl.setOut(new java.io.PrintWriter(outStream, true));
        cl.setErr(new java.io.PrintWriter(errStream, true));
        // Everything after PROGRAM belongs to the guest, options included.
        if (cl.getSubcommands().containsKey("run")) {
            cl.getSubcommands().get("run").setStopAtPositional(true);
        }
        cl.setParameterExceptionHandler((ex, ignored) ->
                usageError(errStream, ex.getCommandLine().getCommandSpec().qualifiedName(), mistake(ex)));
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            errStream.println("phoenix: internal error: " + ex);
            return ExitCodes.INTERNAL;
        });
        return cl.execute(args);
    }

    /**
     * Reports a mistake on the command line as GNU tools do: one line saying what is wrong, one
     * saying where help is ({@code command} is "phoenix" or "phoenix run" ...), not the whole usage.
     */
    static int usageError(PrintStream err, String command, String message) {
        err.println("phoenix: " + message);
        err.println("Try '" + command + " --help'.");
        return ExitCodes.USAGE;
    }

    /** picocli's description of a parse error, as one line in Phoenix's voice. */
    private static String mistake(CommandLine.ParameterException ex) {
        if (ex instanceof CommandLine.UnmatchedArgumentException u && u.getCommandLine().getParent() == null
                && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
            return "unknown command '" + u.getUnmatched().get(0) + "'";
        }
        // picocli checks required parameters before it reports what it could not match: an
        // unknown option without a PROGRAM after it is the mistake to name, not the missing PROGRAM.
        if (ex instanceof CommandLine.MissingParameterException) {
            for (String arg : ex.getCommandLine().getUnmatchedArguments()) {
                if (arg.startsWith("-")) {
                    return "unknown option: '" + arg + "'";
                }
            }
        }
        String m = String.valueOf(ex.getMessage()).lines().findFirst().orElse("bad command line");
        return m.isEmpty() ? m : Character.toLowerCase(m.charAt(0)) + m.substring(1);
    }

    /**
     * Adds the subcommands: only the one named when it is run, the whole set otherwise (help,
     * mistakes). picocli builds each command's model by reflection, from Java 5 class files
     * that class data sharing cannot archive, so every model built costs start-up time.
     */
    private static void addSubcommands(CommandLine cl, String first) {
        Map<String, Supplier<Object>> all = new LinkedHashMap<>();
        all.put("run", RunCommand::new);
        all.put("compat", CompatCommand::new);
        all.put("syscalls", SyscallsCommand::new);
        all.put("sysroot", SysrootCommand::new);
        all.put("disasm", DisasmCommand::new);
        all.put("help", CommandLine.HelpCommand::new);
        if (all.containsKey(first) && !first.equals("help")) {
            cl.addSubcommand(first, all.get(first).get());
            return;
        }
        all.forEach((name, command) -> cl.addSubcommand(name, command.get()));
    }

    /** Prints the version and the Java runtime. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"phoenix " + (v == null ? "0.1.0-SNAPSHOT" : v),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")"};
        }
    }
}
