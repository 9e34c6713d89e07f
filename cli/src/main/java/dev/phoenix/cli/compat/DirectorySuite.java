package dev.phoenix.cli.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * A suite with no manifest: every ELF file under a directory is a test, so a CI job can point
 * Phoenix at its build output. Optional sidecar files next to a program ({@code NAME.args},
 * {@code .stdin}, {@code .stdout}, {@code .stderr}, {@code .exit}) say what to pass and expect.
 */
public final class DirectorySuite {
    private DirectorySuite() {}

    /** Finds the tests under {@code dir}, in path order; {@code shown} is the name the user gave. */
    public static List<CompatCase> scan(Path dir, String shown) throws SuiteError {
        Path root = dir.toAbsolutePath().normalize();
        List<Path> programs;
        try (Stream<Path> walk = Files.walk(root)) {
            programs = walk.filter(Files::isRegularFile).filter(ElfMachine::isElf)
                    .sorted((a, b) -> relative(root, a).compareTo(relative(root, b))).toList();
        } catch (IOException | UncheckedIOException e) {
            throw new SuiteError(shown, "cannot read the directory: " + e.getMessage());
        }
        if (programs.isEmpty()) {
            throw new SuiteError(shown, "no ELF programs in this directory");
        }
        List<CompatCase> cases = new ArrayList<>();
        for (Path program : programs) {
            cases.add(toCase(root, program, shown));
        }
        return cases;
    }

    private static CompatCase toCase(Path root, Path program, String shown) throws SuiteError {
        String name = relative(root, program);
        Path argsFile = sidecar(program, "args");
        List<String> args = argsFile == null ? List.of() : lines(argsFile, shown, root);
        Integer exit = null;
        Path exitFile = sidecar(program, "exit");
        if (exitFile != null) {
            String text = String.join("\n", lines(exitFile, shown, root));
            exit = Manifest.exitStatus(text);
            if (exit == null) {
                throw new SuiteError(where(shown, root, exitFile), "not an exit status from 0 to 255: '" + text.strip() + "'");
            }
        }
        return new CompatCase(name, root, CompatCase.programArgument(name), program, args, List.of(),
                sidecar(program, "stdin"), exit, expected(root, program, "stdout"), expected(root, program, "stderr"), null,
                List.of());
    }

    private static CompatCase.ExpectedFile expected(Path root, Path program, String suffix) {
        Path file = sidecar(program, suffix);
        return file == null ? null : new CompatCase.ExpectedFile(file, relative(root, file));
    }

    /** {@code PROGRAM.suffix} when it is a regular file, else null. */
    private static Path sidecar(Path program, String suffix) {
        Path p = program.resolveSibling(program.getFileName() + "." + suffix);
        return Files.isRegularFile(p) ? p : null;
    }

    /** One argument per line; the newline after the last one ends it and adds no empty argument. */
    private static List<String> lines(Path file, String shown, Path root) throws SuiteError {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            if (text.endsWith("\n")) {
                text = text.substring(0, text.length() - 1);
            }
            return text.isEmpty() ? List.of() : Arrays.asList(text.split("\r?\n", -1));
        } catch (IOException e) {
            throw new SuiteError(where(shown, root, file), "cannot read as UTF-8 text: " + e.getMessage());
        }
    }

    private static String where(String shown, Path root, Path file) {
        return shown.replaceAll("/+$", "") + "/" + relative(root, file);
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }
}
