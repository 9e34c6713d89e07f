package dev.phoenix.cli;

import dev.phoenix.abi.syscall.Support;
import dev.phoenix.abi.syscall.SyscallDef;
import dev.phoenix.abi.syscall.SyscallTable;
import dev.phoenix.emu.Arch;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code phoenix syscalls}: the compatibility table, generated from the syscall tables the
 * dispatcher runs on, so it cannot drift from what Phoenix does.
 */
@Command(name = "syscalls", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print the syscall compatibility table.",
            "Every Linux syscall number of an arch, with SUPPORTED, PARTIAL (the note says what is missing) or "
                + "UNSUPPORTED (the errno it returns and why)."},
        footer = {"", "Examples:", "  phoenix syscalls", "  phoenix syscalls --arch aarch64 --format csv",
            "  phoenix syscalls --format json > x86_64.json"})
final class SyscallsCommand implements Callable<Integer> {
    /** Output formats. */
    enum Format { md, csv, json }

    @ParentCommand
    Main parent;

    @Option(names = "--arch", paramLabel = "ARCH",
            description = "x86_64, aarch64 or riscv64 (default: all three; csv and json need one).")
    String arch;

    @Option(names = "--format", paramLabel = "FORMAT", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format = Format.md;

    @Override
    public Integer call() {
        PrintStream out = new PrintStream(parent.stdio().out(), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(parent.stdio().err(), true, StandardCharsets.UTF_8);
        List<Arch> arches = new ArrayList<>();
        if (arch == null) {
            if (format != Format.md) {
                return Main.usageError(err, "phoenix syscalls",
                        "--format " + format + " needs --arch (x86_64, aarch64 or riscv64)");
            }
            arches.addAll(List.of(Arch.values()));
        } else {
            Arch a = parseArch(arch);
            if (a == null) {
                return Main.usageError(err, "phoenix syscalls",
                        "unknown --arch '" + arch + "': use x86_64, aarch64 or riscv64");
            }
            arches.add(a);
        }
        for (Arch a : arches) {
            SyscallTable t = SyscallTable.of(a);
            switch (format) {
                case md -> markdown(out, t);
                case csv -> csv(out, t);
                case json -> json(out, t);
            }
        }
        return 0;
    }

    private static Arch parseArch(String name) {
        for (Arch a : Arch.values()) {
            if (a.unameMachine().equals(name) || a.name().equalsIgnoreCase(name)) {
                return a;
            }
        }
        return name.equals("arm64") ? Arch.AARCH64 : null;
    }

    /** SUPPORTED/PARTIAL/UNSUPPORTED counts, and how many of the unsupported Phoenix lacks outright. */
    static String summary(SyscallTable t) {
        Map<Support, Integer> counts = new EnumMap<>(Support.class);
        int missing = 0, total = 0;
        for (int nr = 0; nr < t.size(); nr++) {
            SyscallDef d = t.get(nr);
            if (d != null) {
                total++;
                counts.merge(d.support(), 1, Integer::sum);
                missing += d.isMissing() ? 1 : 0;
            }
        }
        return String.format(Locale.ROOT, "%d syscalls (0-%d): %d supported, %d partial, %d unsupported "
                + "(%d of them not implemented, %d refused on purpose)", total, t.size() - 1,
                counts.getOrDefault(Support.SUPPORTED, 0), counts.getOrDefault(Support.PARTIAL, 0),
                counts.getOrDefault(Support.UNSUPPORTED, 0), missing, counts.getOrDefault(Support.UNSUPPORTED, 0) - missing);
    }

    private static String note(SyscallDef d) {
        if (d.support() != Support.UNSUPPORTED) {
            return d.note();
        }
        return dev.phoenix.libos.Errno.name(d.errno()) + ": " + d.note();
    }

    private static void markdown(PrintStream out, SyscallTable t) {
        out.println("## " + t.arch().unameMachine());
        out.println();
        out.println(summary(t) + ".");
        out.println();
        out.println("| # | syscall | status | note |");
        out.println("|---:|---|---|---|");
        for (int nr = 0; nr < t.size(); nr++) {
            SyscallDef d = t.get(nr);
            if (d != null) {
                out.println("| " + nr + " | " + d.name() + " | " + d.support() + " | " + note(d).replace("|", "\\|")
                        + " |");
            }
        }
        out.println();
    }

    private static void csv(PrintStream out, SyscallTable t) {
        out.println("number,name,status,note");
        for (int nr = 0; nr < t.size(); nr++) {
            SyscallDef d = t.get(nr);
            if (d != null) {
                out.println(nr + "," + d.name() + "," + d.support() + ",\"" + note(d).replace("\"", "\"\"") + "\"");
            }
        }
    }

    private static void json(PrintStream out, SyscallTable t) {
        StringBuilder sb = new StringBuilder("{\"arch\": \"").append(t.arch().unameMachine()).append("\", \"syscalls\": [");
        boolean first = true;
        for (int nr = 0; nr < t.size(); nr++) {
            SyscallDef d = t.get(nr);
            if (d != null) {
                sb.append(first ? "\n" : ",\n").append("  {\"number\": ").append(nr).append(", \"name\": \"")
                        .append(d.name()).append("\", \"status\": \"").append(d.support()).append("\", \"note\": \"");
                jsonEscape(sb, note(d));
                sb.append("\"}");
                first = false;
            }
        }
        out.println(sb.append("\n]}"));
    }

    private static void jsonEscape(StringBuilder sb, String s) {
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
    }
}
