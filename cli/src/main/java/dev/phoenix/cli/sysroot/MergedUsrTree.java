package dev.phoenix.cli.sysroot;

import dev.phoenix.cli.sysroot.SysrootException.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The sysroot's files: a merged-/usr tree, as Debian has installed since bookworm, into which
 * .deb files are unpacked. bookworm's packages still put ld.so and many libraries under
 * {@code /lib}, {@code /lib64} and {@code /bin}, trixie's under {@code /usr}; with those
 * top-level directories made links to their {@code usr} ones before anything is unpacked,
 * both spellings reach the same file, as on an installed system. dpkg-deb's own
 * {@code -x} would replace such a link by a directory (tar's default), so the package's
 * tar stream goes to tar with {@code --keep-directory-symlink}.
 */
public final class MergedUsrTree {
    /** The top-level links of a merged-/usr system. */
    private static final List<String> MERGED = List.of("bin", "sbin", "lib", "lib64");

    private final Path root;
    private final Path record;
    private final Set<String> unpacked = new HashSet<>();
    private Path dpkgDeb;
    private Path tar;

    /**
     * The tree at {@code root}; {@code record} lists the .deb files unpacked into it so far,
     * one file name a line.
     */
    public MergedUsrTree(Path root, Path record) throws IOException {
        this.root = root;
        this.record = record;
        if (Files.isRegularFile(record)) {
            unpacked.addAll(Files.readAllLines(record, StandardCharsets.UTF_8));
        }
    }

    /**
     * The problem with making {@code root}'s top-level links (a {@code lib} that is a directory
     * of its own or a link elsewhere), or null when they are there or can be made.
     */
    public static String conflict(Path root) {
        for (String name : MERGED) {
            Path p = root.resolve(name);
            if (Files.isSymbolicLink(p)) {
                try {
                    if (!Files.readSymbolicLink(p).toString().equals("usr/" + name)) {
                        return p + " links to " + Files.readSymbolicLink(p) + ", not usr/" + name;
                    }
                } catch (IOException e) {
                    return "cannot read the link " + SysrootException.describe(e);
                }
            } else if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                return p + " is not a link to usr/" + name + " (a sysroot is a merged-/usr tree: use a new DIR)";
            }
        }
        return null;
    }

    /** Makes {@code usr/bin}, {@code usr/lib} ... and the top-level links to them. */
    public void mergeUsr() throws IOException {
        for (String name : MERGED) {
            Files.createDirectories(root.resolve("usr").resolve(name));
            Path link = root.resolve(name);
            if (!Files.isSymbolicLink(link)) {
                Files.createSymbolicLink(link, Path.of("usr", name));
            }
        }
    }

    /** True when an earlier run unpacked the .deb named {@code fileName}. */
    public boolean unpacked(String fileName) {
        return unpacked.contains(fileName);
    }

    /** Unpacks the files of {@code deb} (not its maintainer scripts, which never run) and records it. */
    public void unpack(Path deb) throws SysrootException, InterruptedException {
        findTools();
        String name = deb.getFileName().toString();
        List<ProcessBuilder> pipeline = List.of(
                new ProcessBuilder(dpkgDeb.toString(), "--fsys-tarfile", deb.toString()),
                new ProcessBuilder(tar.toString(), "-x", "-f", "-", "-C", root.toString(), "--keep-directory-symlink",
                        "--no-same-owner", "--warning=no-timestamp"));
        Path log = record.resolveSibling("unpack.log");
        try {
            Files.deleteIfExists(log);
            for (ProcessBuilder pb : pipeline) {
                pb.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
            }
            pipeline.get(0).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            pipeline.get(1).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            List<Process> processes = ProcessBuilder.startPipeline(pipeline);
            for (Process p : processes) {
                if (p.waitFor() != 0) {
                    throw new SysrootException(Kind.UNPACK, "cannot unpack " + deb + ": "
                            + HostCommand.firstError(Files.readString(log, StandardCharsets.UTF_8)));
                }
            }
            Files.writeString(record, name + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            unpacked.add(name);
        } catch (IOException e) {
            throw new SysrootException(Kind.UNPACK, "cannot unpack " + deb + ": " + SysrootException.describe(e));
        }
    }

    private void findTools() throws SysrootException {
        if (dpkgDeb == null) {
            dpkgDeb = HostCommand.find("dpkg-deb");
            tar = HostCommand.find("tar");
            if (dpkgDeb == null || tar == null) {
                throw new SysrootException(Kind.UNPACK, (dpkgDeb == null ? "dpkg-deb" : "tar")
                        + " not found: unpacking .deb files needs dpkg-deb and GNU tar (apt-get install dpkg tar)");
            }
        }
    }
}
