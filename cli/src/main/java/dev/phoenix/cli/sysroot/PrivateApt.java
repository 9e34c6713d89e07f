package dev.phoenix.cli.sysroot;

import dev.phoenix.cli.sysroot.SysrootException.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * apt-get with a state of its own, under a sysroot's {@code .phoenix-sysroot}: its own lists,
 * sources and cache, an empty dpkg status (so that {@code install --print-uris} names the
 * whole dependency closure, nothing being installed) and no lock. apt reads its configuration
 * from {@code apt.conf} here through {@code APT_CONFIG}, which also points it away from the
 * host's {@code /etc/apt/apt.conf.d}: the hooks there (a docker image's cache cleaning, an
 * AppStream refresh) must not run for a private update, and the host's pinning must not
 * change what is resolved.
 */
public final class PrivateApt {
    /** The key the Debian archive is signed with (package debian-archive-keyring). */
    static final Path KEYRING = Path.of("/usr/share/keyrings/debian-archive-keyring.gpg");
    /** Lists younger than this are used as they are: a second run must not wait for the mirror. */
    private static final Duration FRESH = Duration.ofDays(1);
    /** A Debian mirror in a one-line ({@code deb URL ...}) or deb822 ({@code URIs: URL}) source. */
    private static final Pattern MIRROR =
            Pattern.compile("^\\s*(?:deb|URIs:)\\s+(?:\\[[^]]*]\\s+)?(https?://\\S+/debian)/?(?:\\s|$)");
    private static final String DEFAULT_MIRROR = "http://deb.debian.org/debian";

    private final Path state;
    private final DebianArch arch;
    private final String suite;
    private final String mirror;
    private final Path aptGet;

    /**
     * apt for {@code arch} and {@code suite} from {@code mirror}, its state in {@code state}.
     *
     * @throws SysrootException (FETCH) when apt-get or the Debian keyring is missing
     */
    public PrivateApt(Path state, DebianArch arch, String suite, String mirror) throws SysrootException {
        this.state = state;
        this.arch = arch;
        this.suite = suite;
        this.mirror = mirror;
        this.aptGet = HostCommand.find("apt-get");
        if (aptGet == null) {
            throw new SysrootException(Kind.FETCH, "apt-get not found: making a sysroot needs a Debian or Ubuntu host");
        }
        if (!Files.isReadable(KEYRING)) {
            throw new SysrootException(Kind.FETCH, KEYRING + " missing: apt-get install debian-archive-keyring");
        }
    }

    /** The first Debian mirror the host's apt sources name, else deb.debian.org. */
    public static String systemMirror() {
        List<Path> files = new ArrayList<>(List.of(Path.of("/etc/apt/sources.list")));
        try (DirectoryStream<Path> d = Files.newDirectoryStream(Path.of("/etc/apt/sources.list.d"), "*.{list,sources}")) {
            Set<Path> sorted = new TreeSet<>();
            d.forEach(sorted::add);
            files.addAll(sorted);
        } catch (IOException e) {
            // no sources.list.d: only sources.list
        }
        for (Path f : files) {
            try {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    Matcher m = MIRROR.matcher(line);
                    if (m.find()) {
                        return m.group(1);
                    }
                }
            } catch (IOException e) {
                // unreadable or missing: the next one
            }
        }
        return DEFAULT_MIRROR;
    }

    /** The mirror packages come from. */
    public String mirror() {
        return mirror;
    }

    /**
     * Writes apt's configuration and sources and makes the directories it needs; says whether
     * the lists from an earlier run can be used (younger than a day, same sources).
     */
    public boolean prepare() throws IOException {
        for (String dir : List.of("empty", "lists/partial", "cache/archives/partial")) {
            Files.createDirectories(state.resolve(dir));
        }
        Path sources = state.resolve("sources.list");
        String source = "deb [arch=" + arch.debian() + " signed-by=" + KEYRING + "] " + mirror + " " + suite + " main\n";
        boolean sameSources = Files.isRegularFile(sources) && Files.readString(sources).equals(source);
        Files.writeString(sources, source);
        Files.writeString(state.resolve("apt.conf"), configuration());
        Path status = state.resolve("status");
        if (!Files.exists(status)) {
            Files.createFile(status);
        }
        Path updated = state.resolve("lists.updated");
        return sameSources && Files.isRegularFile(updated)
                && Files.getLastModifiedTime(updated).toInstant().isAfter(Instant.now().minus(FRESH));
    }

    private String configuration() {
        String s = state.toAbsolutePath().toString();
        return String.join("\n",
                "// Written by phoenix sysroot: apt-get with a state of its own; the host's apt configuration is not read.",
                "Dir::Etc::Main \"/dev/null\";",
                "Dir::Etc::Parts \"" + s + "/empty\";",
                "Dir::Etc::Preferences \"/dev/null\";",
                "Dir::Etc::PreferencesParts \"" + s + "/empty\";",
                "Dir::Etc::TrustedParts \"" + s + "/empty\";",
                "Dir::Etc::SourceList \"" + s + "/sources.list\";",
                "Dir::Etc::SourceParts \"" + s + "/empty\";",
                "Dir::State \"" + s + "\";",
                "Dir::State::Lists \"" + s + "/lists\";",
                "Dir::State::status \"" + s + "/status\";",
                "Dir::Cache \"" + s + "/cache\";",
                "Dir::Cache::pkgcache \"\";",
                "Dir::Cache::srcpkgcache \"\";",
                "Debug::NoLocking \"true\";",
                "APT::Architecture \"" + arch.debian() + "\";",
                "APT::Architectures { \"" + arch.debian() + "\"; };",
                "APT::Install-Recommends \"false\";",
                "APT::Install-Suggests \"false\";",
                "APT::Sandbox::User \"" + System.getProperty("user.name") + "\";",
                "Acquire::Languages \"none\";",
                "Acquire::GzipIndexes \"true\";",
                "Acquire::ForceHash \"SHA256\";",
                "");
    }

    /** Downloads the package lists ({@code apt-get update}); any index that fails is an error. */
    public void update() throws SysrootException, InterruptedException {
        Path updated = state.resolve("lists.updated");
        try {
            Files.deleteIfExists(updated); // lists half updated are not fresh
        } catch (IOException e) {
            throw new SysrootException(Kind.FETCH, "cannot write " + SysrootException.describe(e));
        }
        HostCommand.Result r = aptGet("-q", "--error-on=any", "update");
        if (r.exit() != 0) {
            throw new SysrootException(Kind.FETCH, "apt-get update failed for " + arch.debian() + " " + suite
                    + " from " + mirror + ": " + HostCommand.firstError(r.err() + r.out()));
        }
        try {
            Files.writeString(updated, "");
            Files.setLastModifiedTime(updated, FileTime.from(Instant.now()));
        } catch (IOException e) {
            throw new SysrootException(Kind.FETCH, "cannot write " + SysrootException.describe(e));
        }
    }

    /**
     * The .deb files of {@code packages} and everything they depend on (Depends and
     * Pre-Depends, recursively; not Recommends), in apt's order.
     *
     * @throws SysrootException NO_PACKAGE with a line for every package that does not exist
     *     (or is only virtual), FETCH when apt cannot resolve the dependencies
     */
    public List<DebFile> resolve(List<String> packages) throws SysrootException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("-qq", "--print-uris", "install"));
        // ?exact-name: a name apt does not know is never read as a regular expression
        // ("libc." would otherwise match every libc package).
        packages.forEach(p -> args.add("?exact-name(" + p + ")"));
        HostCommand.Result r = aptGet(args.toArray(String[]::new));
        Set<String> virtuals = new LinkedHashSet<>();
        Matcher m = Pattern.compile("^E: Package '([^']+)' has no installation candidate", Pattern.MULTILINE)
                .matcher(r.err());
        while (m.find()) {
            virtuals.add(m.group(1));
        }
        if (r.exit() != 0 && virtuals.isEmpty()) {
            throw new SysrootException(Kind.FETCH, "apt-get cannot resolve " + String.join(" ", packages)
                    + " for " + arch.debian() + " in " + suite + ": " + HostCommand.firstError(r.err()));
        }
        List<DebFile> debs = new ArrayList<>();
        r.out().lines().map(DebFile::parse).filter(d -> d != null).forEach(debs::add);
        Set<String> resolved = new TreeSet<>();
        debs.forEach(d -> resolved.add(d.name()));
        List<String> missing = new ArrayList<>();
        for (String p : virtuals) {
            missing.add(noPackage(p) + " (only a virtual one: name a package that provides it)");
        }
        List<String> others = packages.stream().filter(p -> !virtuals.contains(p)).toList();
        if (!virtuals.isEmpty() && !others.isEmpty()) {
            // apt stopped at the virtual package and resolved nothing: ask again about the others.
            try {
                resolve(others);
            } catch (SysrootException e) {
                if (e.kind() != Kind.NO_PACKAGE) {
                    throw e;
                }
                missing.addAll(e.getMessage().lines().toList());
            }
        } else if (virtuals.isEmpty()) {
            new LinkedHashSet<>(packages).stream().filter(p -> !resolved.contains(p)).map(this::noPackage)
                    .forEach(missing::add);
        }
        if (!missing.isEmpty()) {
            throw new SysrootException(Kind.NO_PACKAGE, String.join("\n", missing));
        }
        return debs;
    }

    private String noPackage(String name) {
        return "no package '" + name + "' for " + arch.debian() + " in " + suite;
    }

    private HostCommand.Result aptGet(String... args) throws SysrootException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(aptGet.toString()));
        command.addAll(List.of(args));
        try {
            return HostCommand.run(command, Map.of("APT_CONFIG", state.resolve("apt.conf").toAbsolutePath().toString()));
        } catch (IOException e) {
            throw new SysrootException(Kind.FETCH, "cannot run apt-get: " + SysrootException.describe(e));
        }
    }
}
