package dev.phoenix.abi.syscall;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One arch's Linux syscall numbering: every number Linux assigns, with the name and how strace
 * shows each argument. Read from the data files under {@code dev/phoenix/abi/syscalls/}, which
 * {@code scripts/syscall-data.py} generates from the kernel's UAPI headers and prototypes.
 */
public final class Numbering {
    /** One Linux syscall: its number, name and argument kinds. */
    public record Entry(int number, String name, Arg[] args) {}

    private Numbering() {}

    /** The entries of the data files {@code files} (e.g. generic.txt then aarch64.txt), in file order. */
    public static List<Entry> load(String... files) {
        List<Entry> entries = new ArrayList<>();
        for (String file : files) {
            String resource = "/dev/phoenix/abi/syscalls/" + file;
            try (InputStream in = Numbering.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("syscall numbering " + resource + " is missing from the jar");
                }
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (!line.isBlank() && !line.startsWith("#")) {
                        entries.add(parse(line));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return List.copyOf(entries);
    }

    private static Entry parse(String line) {
        String[] f = line.split(" ");
        Arg[] args = f[2].equals("-") ? new Arg[0]
                : Arrays.stream(f[2].split(",")).map(Arg::valueOf).toArray(Arg[]::new);
        return new Entry(Integer.parseInt(f[0]), f[1], args);
    }
}
