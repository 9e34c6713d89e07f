package dev.phoenix.cli.compat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads a compat manifest: INI-like {@code [name]} sections of {@code key = value} lines, paths
 * relative to the manifest's directory. Every mistake is reported with its line before any test
 * runs, since a CI job that silently skips a misspelt expectation passes for the wrong reason.
 */
public final class Manifest {
    private Manifest() {}

    /** The keys a section may hold, in the order the help text lists them. */
    static final List<String> KEYS = List.of("run", "stdin", "exit", "stdout", "stderr", "timeout", "phoenix-args", "env");

    private record Value(String text, int line) {}

    private record Section(String name, int line, Map<String, Value> values) {}

    /** Parses {@code file}; {@code shown} is the name the user gave it, used in messages. */
    public static List<CompatCase> parse(Path file, String shown) throws SuiteError {
        String text = readUtf8(file, shown);
        Path dir = file.toAbsolutePath().normalize().getParent();
        Map<String, Section> sections = new LinkedHashMap<>();
        Section current = null;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String s = Words.stripComment(lines[i]).strip();
            if (s.isEmpty()) {
                continue;
            }
            String where = shown + ":" + lineNo;
            if (s.startsWith("[")) {
                if (!s.endsWith("]")) {
                    throw new SuiteError(where, "a test name ends with ']'");
                }
                String name = s.substring(1, s.length() - 1).strip();
                if (name.isEmpty()) {
                    throw new SuiteError(where, "empty test name");
                }
                Section first = sections.get(name);
                if (first != null) {
                    throw new SuiteError(where, "duplicate test name '" + name + "' (first at line " + first.line() + ")");
                }
                current = new Section(name, lineNo, new LinkedHashMap<>());
                sections.put(name, current);
                continue;
            }
            int eq = s.indexOf('=');
            if (eq < 0) {
                throw new SuiteError(where, "expected 'key = value' or '[test name]', got '" + s + "'");
            }
            String key = s.substring(0, eq).strip();
            if (current == null) {
                throw new SuiteError(where, "'" + key + "' comes before the first [test name]");
            }
            if (!KEYS.contains(key)) {
                throw new SuiteError(where, "unknown key '" + key + "' (known: " + String.join(", ", KEYS) + ")");
            }
            if (current.values().containsKey(key)) {
                throw new SuiteError(where, "'" + key + "' given twice in [" + current.name() + "]");
            }
            current.values().put(key, new Value(s.substring(eq + 1).strip(), lineNo));
        }
        if (sections.isEmpty()) {
            throw new SuiteError(shown, "no tests (a test starts with a [name] line)");
        }
        List<CompatCase> cases = new ArrayList<>();
        for (Section section : sections.values()) {
            cases.add(toCase(section, dir, shown));
        }
        return cases;
    }

    private static CompatCase toCase(Section s, Path dir, String shown) throws SuiteError {
        Value run = s.values().get("run");
        if (run == null) {
            throw new SuiteError(shown + ":" + s.line(), "test '" + s.name() + "' has no 'run = PROGRAM ARGS...'");
        }
        List<String> command = words(run, shown);
        if (command.isEmpty()) {
            throw new SuiteError(shown + ":" + run.line(), "'run' names no program");
        }
        String program = command.getFirst();
        Path programFile = existing(dir, program, shown + ":" + run.line(), "program");
        List<String> env = s.values().containsKey("env") ? words(s.values().get("env"), shown) : List.of();
        for (String kv : env) {
            if (kv.indexOf('=') <= 0) {
                throw new SuiteError(shown + ":" + s.values().get("env").line(), "env takes NAME=VALUE words, got '" + kv + "'");
            }
        }
        Integer exit = parsed(s, "exit", Manifest::exitStatus, "a status from 0 to 255", shown);
        Double timeout = parsed(s, "timeout", Manifest::seconds, "a positive number of seconds", shown);
        Path stdin = s.values().containsKey("stdin") ? file(s.values().get("stdin"), "stdin", dir, shown).file() : null;
        return new CompatCase(s.name(), dir, CompatCase.programArgument(program), programFile,
                command.subList(1, command.size()), env, stdin, exit, file(s.values().get("stdout"), "stdout", dir, shown),
                file(s.values().get("stderr"), "stderr", dir, shown), timeout,
                s.values().containsKey("phoenix-args") ? words(s.values().get("phoenix-args"), shown) : List.of());
    }

    /** The value of {@code key} as {@code parse} reads it (null from it: malformed), or null when the key is absent. */
    private static <T> T parsed(Section s, String key, Function<String, T> parse, String takes, String shown)
            throws SuiteError {
        Value v = s.values().get(key);
        if (v == null) {
            return null;
        }
        T value = parse.apply(v.text());
        if (value == null) {
            throw new SuiteError(shown + ":" + v.line(), key + " takes " + takes + ", got '" + v.text() + "'");
        }
        return value;
    }

    /** An exit status from its text (0-255), or null. */
    static Integer exitStatus(String text) {
        try {
            int v = Integer.parseInt(text.strip());
            return v >= 0 && v <= 255 ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A positive, finite number of seconds from its text, or null. */
    static Double seconds(String text) {
        String t = text.strip();
        if (!t.matches("\\d+(\\.\\d*)?|\\.\\d+")) {
            return null; // parseDouble would also take "NaN", "1e3" and "30d"
        }
        double v = Double.parseDouble(t);
        return v > 0 && Double.isFinite(v) ? v : null;
    }

    private static CompatCase.ExpectedFile file(Value v, String key, Path dir, String shown) throws SuiteError {
        if (v == null) {
            return null;
        }
        List<String> w = words(v, shown);
        if (w.size() != 1) {
            throw new SuiteError(shown + ":" + v.line(), key + " takes one path (quote a path with spaces)");
        }
        return new CompatCase.ExpectedFile(existing(dir, w.getFirst(), shown + ":" + v.line(), key + " file"), w.getFirst());
    }

    private static Path existing(Path dir, String path, String where, String what) throws SuiteError {
        Path p = dir.resolve(path).normalize();
        if (!Files.exists(p)) {
            throw new SuiteError(where, what + " '" + path + "' not found (paths are relative to the manifest's directory)");
        }
        if (!Files.isRegularFile(p)) {
            throw new SuiteError(where, what + " '" + path + "' is not a regular file");
        }
        return p;
    }

    private static List<String> words(Value v, String shown) throws SuiteError {
        try {
            return Words.split(v.text());
        } catch (IllegalArgumentException e) {
            throw new SuiteError(shown + ":" + v.line(), e.getMessage());
        }
    }

    private static String readUtf8(Path file, String shown) throws SuiteError {
        try {
            byte[] bytes = Files.readAllBytes(file);
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new SuiteError(shown, "not UTF-8 text");
        } catch (IOException e) {
            throw new SuiteError(shown, "cannot read: " + e.getMessage());
        }
    }
}
