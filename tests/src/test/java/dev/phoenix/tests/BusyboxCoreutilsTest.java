package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.tests.Guests.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Debian's busybox applets on real files: each command runs natively (x86_64 busybox) in one
 * copy of a small tree and under Phoenix (with --rootfs) in another, once with the x86_64
 * busybox and once with Debian's arm64 build of the same version; output, exit status and the
 * resulting tree must be identical.
 */
class BusyboxCoreutilsTest {
    private static final String BUSYBOX = "/bin/busybox";

    @TempDir
    Path tmp;

    /**
     * The tree every command works on, with {@code busybox} as /bin/busybox: a Phoenix run finds
     * its program in its rootfs, and native trees hold one too so that both trees look alike
     * ({@link #describe} leaves it out).
     */
    private static void makeTree(Path root, String busybox) throws IOException {
        Path program = Files.createDirectories(root.resolve(PROGRAM_DIR)).resolve("busybox");
        try {
            Files.createLink(program, Path.of(busybox)); // a link is free; 2 MB copied per tree add up
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(Path.of(busybox), program); // another file system, or links to others' files refused
        }
        Files.createDirectories(root.resolve("etc"));
        Files.copy(Path.of("/etc/passwd"), root.resolve("etc/passwd"));
        Files.copy(Path.of("/etc/group"), root.resolve("etc/group"));
        Files.createDirectories(root.resolve("src/deep/er"));
        Files.writeString(root.resolve("words.txt"), "pear\napple\nfig\napple\nbanana\nfig\nfig\n");
        Files.writeString(root.resolve("table.csv"), "name,qty,price\napple,3,0.5\npear,10,0.25\nfig,7,1.5\n");
        Files.writeString(root.resolve("src/a.c"), "int main(void) { return 42; }\n");
        Files.writeString(root.resolve("src/deep/notes.md"), "# Notes\nneedle in a haystack\n");
        Files.writeString(root.resolve("src/deep/er/b.txt"), "another needle\n");
        Files.write(root.resolve("bin.dat"), new byte[] {0, 1, 2, 3, (byte) 0xff, 10, 'A', 'B'});
        // One fixed time for every file, so trees made a second apart archive (tar) alike.
        java.nio.file.attribute.FileTime fixed = java.nio.file.attribute.FileTime.fromMillis(1_600_000_000_000L);
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!p.equals(program)) { // a link's time is the busybox's own
                    Files.setLastModifiedTime(p, fixed);
                }
            }
        }
    }

    /** Where the busybox under test lies in a Phoenix run's rootfs. */
    private static final String PROGRAM_DIR = "bin";

    /** Every file below {@code root} but the busybox under test: relative path, type, size, permissions and content. */
    private static String describe(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted().toList()) {
                String rel = root.relativize(p).toString();
                if (rel.equals(PROGRAM_DIR) || rel.startsWith(PROGRAM_DIR + "/")) {
                    continue;
                }
                if (Files.isSymbolicLink(p)) {
                    out.add(rel + " -> " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(rel + "/ " + Files.getAttribute(p, "unix:mode"));
                } else {
                    out.add(rel + " " + Files.getAttribute(p, "unix:mode") + " "
                            + java.util.HexFormat.of().formatHex(Files.readAllBytes(p)));
                }
            }
        }
        return String.join("\n", out);
    }

    private Result phoenix(Path rootfs, String... args) {
        return phoenixWith(new byte[0], rootfs, args);
    }

    /** Runs the busybox {@link #makeTree} put in {@code rootfs} as /bin/busybox, where PROGRAM is looked up. */
    private Result phoenixWith(byte[] stdin, Path rootfs, String... args) {
        assertTrue(Files.isRegularFile(rootfs.resolve(PROGRAM_DIR + "/busybox")), "no busybox in " + rootfs);
        List<String> argv = new ArrayList<>(List.of("run", "-i", "-E", "TZ=UTC", "--rootfs", rootfs.toString(),
                "/" + PROGRAM_DIR + "/busybox"));
        argv.addAll(List.of(args));
        return Guests.phoenixWithInput(stdin, argv.toArray(String[]::new));
    }

    private static final String WORDS = "pear\napple\nfig\napple\nbanana\nfig\nfig\n";

    /** The two busyboxes Phoenix runs: Debian's x86_64 one and its arm64 build of the same version. */
    private static List<String> busyboxes() {
        return List.of(BUSYBOX, Guests.binary(Guests.Target.AARCH64, "busybox").toString());
    }

    /**
     * Commands reading a pipe on stdin (words.txt's text), and sequences of commands (split at
     * " ; ") run one after another on one tree, so a later command reads what an earlier one made.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "< tr a-z A-Z",
        "< tr -d aeiou",
        "< head -n 2",
        "< tail -n 2",
        "< tail -c 6",
        "< sort -r",
        "< wc -l",
        "< md5sum",
        "tar cf a.tar src ; rm -r src ; tar xf a.tar ; find src",
        "tar cf a.tar src ; tar tvf a.tar",
        "gzip words.txt ; gunzip words.txt.gz ; cat words.txt",
        "gzip table.csv ; gunzip -c table.csv.gz",
        "ls -la src",
        "ls -la src/deep",
        "env",
        "df /proc /sys"})
    void sequencesAndPipesSameAsNative(String spec) throws Exception {
        boolean piped = spec.startsWith("< ");
        byte[] stdin = piped ? WORDS.getBytes(java.nio.charset.StandardCharsets.UTF_8) : new byte[0];
        List<List<String>> commands = new ArrayList<>();
        for (String command : (piped ? spec.substring(2) : spec).split(" ; ")) {
            commands.add(List.of(command.split(" ")));
        }
        Path nativeRoot = Files.createDirectories(tmp.resolve("native"));
        makeTree(nativeRoot, BUSYBOX);
        StringBuilder nativeOut = new StringBuilder();
        for (List<String> command : commands) {
            List<String> full = new ArrayList<>(List.of(BUSYBOX));
            full.addAll(command);
            Result r = Guests.host(full, List.of("TZ=UTC"), nativeRoot, stdin);
            assertTrue(r.exit() == 0, command + " failed natively: " + r);
            nativeOut.append(r.out()).append(r.err());
        }
        for (String busybox : busyboxes()) {
            Path root = Files.createDirectories(tmp.resolve("phoenix-" + busybox.hashCode()));
            makeTree(root, busybox);
            StringBuilder out = new StringBuilder();
            for (List<String> command : commands) {
                Result r = phoenixWith(stdin, root, command.toArray(String[]::new));
                assertEquals(0, r.exit(), command + " with " + busybox + ": " + r);
                out.append(r.out()).append(r.err());
            }
            assertEquals(nativeOut.toString(), out.toString(), spec + " with " + busybox);
            assertEquals(describe(nativeRoot), describe(root), "tree after " + spec + " with " + busybox);
        }
    }

    /**
     * df of the root names the host's device and size as native df does; the used and free
     * columns are left out, as the disk changes between the two runs.
     */
    @Test
    void dfNamesTheHostDeviceAndSize() throws Exception {
        Result nativeRun = Guests.host(List.of(BUSYBOX, "df", "-k", "/"), List.of(), null);
        for (String busybox : busyboxes()) {
            Result r = Guests.phoenix("run", "-i", busybox, "df", "-k", "/");
            assertEquals(0, r.exit(), r.toString());
            assertEquals(stableDfColumns(nativeRun.out()), stableDfColumns(r.out()), "df with " + busybox);
        }
    }

    /** Filesystem, 1K-blocks and Mounted on of each df line. */
    private static List<String> stableDfColumns(String df) {
        List<String> out = new ArrayList<>();
        for (String line : df.split("\n")) {
            String[] f = line.trim().split("\\s+");
            out.add(f[0] + " " + f[1] + " " + f[f.length - 1]);
        }
        return out;
    }

    @Test
    void touchSetsTheTimeStatReads() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("touch"));
        makeTree(root, BUSYBOX);
        assertEquals(new Result(0, "", ""), phoenix(root, "touch", "-d", "2020-02-03 04:05:06", "words.txt"));
        assertEquals(new Result(0, "1580702706\n", ""), phoenix(root, "stat", "-c", "%Y", "words.txt"));
        assertEquals(1580702706L, Files.getLastModifiedTime(root.resolve("words.txt")).toMillis() / 1000);
    }

    @Test
    void readlinkResolvesInsideTheRootfs() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("readlink"));
        makeTree(root, BUSYBOX);
        Files.createSymbolicLink(root.resolve("src/deep/up"), Path.of("../.."));
        assertEquals(new Result(0, "/src/a.c\n", ""), phoenix(root, "readlink", "-f", "src/deep/../a.c"));
        assertEquals(new Result(0, "/words.txt\n", ""), phoenix(root, "readlink", "-f", "src/deep/up/words.txt"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "cat words.txt table.csv",
        "sort words.txt",
        "sort -u -r words.txt",
        "uniq -c words.txt",
        "wc words.txt table.csv",
        "head -n 3 words.txt",
        "tail -n 2 table.csv",
        "cut -d , -f 1,3 table.csv",
        "od -c bin.dat",
        "md5sum words.txt table.csv",
        "sha256sum words.txt",
        "mkdir -p x/y/z",
        "ln -s words.txt link",
        "cp -r src copy",
        "mv src moved",
        "rm -r src",
        "sed -i s/apple/APPLE/g words.txt",
        "awk -F , NR>1{s+=$2*$3}END{print\\ssum=s} table.csv",
        "grep -r needle src",
        "find src",
        "find . -name *.txt",
        "stat -c %n:%s:%a:%F src/a.c src",

        "tar cf archive.tar src",
        "gzip -k words.txt",
        "du -s src",

        "ls -1a src",
        "id",
        "date -u -d @86400",
        "env -i A=1 B=2"})
    void sameAsNative(String command) throws Exception {
        List<String> args = new ArrayList<>();
        for (String a : command.split(" ")) {
            args.add(a.replace("\\s", " "));
        }
        Path nativeRoot = Files.createDirectories(tmp.resolve("native"));
        makeTree(nativeRoot, BUSYBOX);
        List<String> nativeCmd = new ArrayList<>(List.of(BUSYBOX));
        nativeCmd.addAll(args);
        Result nativeRun = Guests.host(nativeCmd, List.of("TZ=UTC"), nativeRoot);
        assertTrue(nativeRun.exit() == 0, command + " failed natively: " + nativeRun);
        String arm64 = Guests.binary(Guests.Target.AARCH64, "busybox").toString();
        for (String busybox : List.of(BUSYBOX, arm64)) {
            Path phoenixRoot = Files.createDirectories(tmp.resolve("phoenix-" + (busybox.equals(BUSYBOX) ? "x86_64" : "arm64")));
            makeTree(phoenixRoot, busybox);
            Result r = phoenix(phoenixRoot, args.toArray(String[]::new));
            assertEquals(nativeRun, r, command + " with " + busybox);
            assertEquals(describe(nativeRoot), describe(phoenixRoot), "tree after " + command + " with " + busybox);
        }
    }
}
