package dev.phoenix.cli;

import dev.phoenix.cli.sysroot.DebFetcher;
import dev.phoenix.cli.sysroot.DebFile;
import dev.phoenix.cli.sysroot.DebianArch;
import dev.phoenix.cli.sysroot.MergedUsrTree;
import dev.phoenix.cli.sysroot.PrivateApt;
import dev.phoenix.cli.sysroot.SysrootException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code phoenix sysroot}: fetches Debian packages with all they depend on for a guest arch and
 * unpacks them into a directory that {@code phoenix run -L} (and qemu-user's {@code -L}) takes
 * as the guest's root for its dynamic loader and libraries. apt-get resolves the dependencies
 * against a private state under {@code DIR/.phoenix-sysroot}, so neither root nor the host's
 * apt and dpkg are involved; what an earlier run fetched and unpacked is not done again.
 */
@Command(name = "sysroot", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fetch Debian packages and their dependencies into a sysroot.",
            "Resolves the Depends and Pre-Depends of each PACKAGE, recursively (not",
            "Recommends), with apt-get; downloads the .deb files from the host's Debian",
            "mirror (or http://deb.debian.org/debian), checks each against the SHA256 of",
            "the signed index and unpacks it into DIR. DIR is a merged-/usr tree (lib,",
            "lib64, bin and sbin link to usr/...), ready for 'phoenix run -L DIR' or",
            "'--rootfs DIR'. Maintainer scripts do not run.",
            "Root is not needed: apt's lists and sources and the .deb files are kept in",
            "DIR/.phoenix-sysroot; the host's apt and dpkg state is never touched."},
        footer = {"", "Suites: bookworm (Debian 12) for x86_64 and aarch64; trixie (Debian 13)",
            "for riscv64, which bookworm does not have.",
            "A second run reuses the package lists for a day (--update fetches them anew)",
            "and the .deb files already in DIR: it fetches and unpacks only what is",
            "missing. To start afresh, delete DIR.",
            "Progress goes to stderr: a line per package fetched, then a summary.",
            "", "Exit status:",
            "  0   DIR holds the packages and their dependencies",
            "  2   usage: bad option, ARCH or package name; DIR a file, not writable,",
            "      or made for another arch or suite",
            "  81  a PACKAGE does not exist for ARCH in the suite (a line names each)",
            "  82  apt-get, the mirror or the network failed, or the dependencies",
            "      cannot be resolved",
            "  83  a .deb could not be unpacked into DIR",
            "", "Examples:",
            "  phoenix sysroot --arch aarch64 /tmp/arm64-root coreutils",
            "  phoenix run -L /tmp/arm64-root /tmp/arm64-root/usr/bin/ls /",
            "  phoenix sysroot --arch riscv64 /tmp/rv-root jq python3"})
final class SysrootCommand implements Callable<Integer> {
    /** Debian policy's package names (lowercase letters, digits, + - .), as apt-get takes them literally. */
    private static final Pattern PACKAGE_NAME = Pattern.compile("[a-z0-9][a-z0-9+.-]+");
    private static final Pattern SUITE_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]*");
    /** Where the private apt state, the .deb files and the record of what was unpacked live. */
    private static final String STATE = ".phoenix-sysroot";

    @ParentCommand
    Main parent;

    @Option(names = "--arch", required = true, paramLabel = "ARCH",
            description = "x86_64, aarch64 or riscv64 (Debian's amd64 and arm64 too).")
    String arch;

    @Option(names = "--suite", paramLabel = "SUITE",
            description = "The Debian suite to take packages from (default: bookworm; trixie for riscv64).")
    String suite;

    @Option(names = "--update", description = "Fetch the package lists anew even if they are less than a day old.")
    boolean update;

    @Parameters(index = "0", paramLabel = "DIR", description = "The sysroot; made if missing.")
    Path dir;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "PACKAGE", description = "Debian binary package names.")
    List<String> packages;

    private PrintStream err;

    @Override
    public Integer call() {
        err = new PrintStream(parent.stdio().err(), true, StandardCharsets.UTF_8);
        DebianArch target = DebianArch.parse(arch);
        if (target == null) {
            return usage("unknown --arch '" + arch + "': use x86_64, aarch64 or riscv64");
        }
        String suiteName = suite != null ? suite : target.defaultSuite();
        if (!SUITE_NAME.matcher(suiteName).matches()) {
            return usage("not a Debian suite: '" + suiteName + "'");
        }
        for (String p : packages) {
            if (!PACKAGE_NAME.matcher(p).matches()) {
                return usage("not a Debian package name: '" + p + "'");
            }
        }
        String problem = checkDir(target, suiteName);
        if (problem != null) {
            return usage(problem);
        }
        Path state = dir.resolve(STATE);
        try (FileChannel lockFile = FileChannel.open(state.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            // Held until the channel closes: two runs on one DIR would race in apt's lists and in tar.
            if (lockFile.tryLock() == null) {
                say("waiting for another phoenix sysroot working on " + dir);
                lockFile.lock();
            }
            return make(target, suiteName, state);
        } catch (IOException e) {
            return usage("cannot write " + SysrootException.describe(e));
        } catch (SysrootException e) {
            e.getMessage().lines().forEach(this::say);
            return switch (e.kind()) {
                case NO_PACKAGE -> ExitCodes.NO_PACKAGE;
                case FETCH -> ExitCodes.FETCH_FAILED;
                case UNPACK -> ExitCodes.UNPACK_FAILED;
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            say("interrupted");
            return 130;
        }
    }

    /**
     * Makes DIR and its state directory if need be; the problem with DIR as one line, or null.
     * A DIR made for another arch or suite is refused: its libraries would be a mix.
     */
    private String checkDir(DebianArch target, String suiteName) {
        if (dir.toString().contains("\"") || dir.toString().contains("\n")) {
            return "DIR must not contain a double quote or a newline (apt cannot read such a path): " + dir;
        }
        dir = dir.toAbsolutePath().normalize();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            return dir + " is not a directory";
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            return "cannot make " + SysrootException.describe(e);
        }
        if (!Files.isWritable(dir)) {
            return dir + " is not writable";
        }
        String conflict = MergedUsrTree.conflict(dir);
        if (conflict != null) {
            return conflict;
        }
        Path state = dir.resolve(STATE);
        Path made = state.resolve("target");
        String want = target.debian() + " " + suiteName + "\n";
        try {
            Files.createDirectories(state);
            if (Files.isRegularFile(made) && !Files.readString(made).equals(want)) {
                return dir + " is a sysroot for " + Files.readString(made).strip() + ", not " + want.strip()
                        + ": use another DIR";
            }
            Files.writeString(made, want);
        } catch (IOException e) {
            return "cannot write " + SysrootException.describe(e);
        }
        return null;
    }

    /** Resolves, fetches and unpacks; returns 0 when DIR holds the packages and their dependencies. */
    private int make(DebianArch target, String suiteName, Path state)
            throws SysrootException, IOException, InterruptedException {
        long start = System.nanoTime();
        PrivateApt apt = new PrivateApt(state, target, suiteName, PrivateApt.systemMirror());
        boolean fresh = apt.prepare();
        if (update || !fresh) {
            say("updating the package lists of " + suiteName + " for " + target.debian() + " from " + apt.mirror());
            apt.update();
        }
        List<DebFile> debs = apt.resolve(packages);
        MergedUsrTree tree = new MergedUsrTree(dir, state.resolve("unpacked"));
        tree.mergeUsr();
        List<DebFile> missing = new ArrayList<>();
        try (DebFetcher fetcher = new DebFetcher(state.resolve("debs"))) {
            for (DebFile d : debs) {
                if (!fetcher.present(d)) {
                    missing.add(d);
                }
            }
            long bytes = 0;
            for (int i = 0; i < missing.size(); i++) {
                DebFile d = missing.get(i);
                say("[" + (i + 1) + "/" + missing.size() + "] " + d.name() + " " + d.version() + " (" + size(d.size()) + ")");
                fetcher.fetch(d);
                bytes += d.size();
                tree.unpack(fetcher.path(d));
            }
            for (DebFile d : debs) {
                if (!tree.unpacked(d.fileName())) {
                    tree.unpack(fetcher.path(d)); // fetched by a run that stopped before unpacking it
                }
            }
            String seconds = String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - start) / 1e9);
            if (missing.isEmpty()) {
                say("nothing to fetch: all " + debs.size() + " packages already present in " + dir + " (" + seconds + ")");
            } else {
                say(debs.size() + " packages in " + dir + ": " + missing.size() + " fetched (" + size(bytes) + "), "
                        + (debs.size() - missing.size()) + " already present (" + seconds + ")");
            }
        }
        return 0;
    }

    /** A size as people read them: 37.6 kB, 2.9 MB. */
    static String size(long bytes) {
        if (bytes < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f kB", bytes / 1e3);
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    private void say(String line) {
        err.println("phoenix sysroot: " + line);
    }

    private int usage(String message) {
        return Main.usageError(err, "phoenix sysroot", message);
    }
}
