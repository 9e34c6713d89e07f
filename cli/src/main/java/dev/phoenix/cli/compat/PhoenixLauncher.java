package dev.phoenix.cli.compat;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How a test's Phoenix run is started: a fresh {@code phoenix run} process per test, so a guest
 * that crashes the emulator or never ends costs one test. By default the child is this very JVM
 * again (same java, same options, same class path), so the suite tests the Phoenix that runs it.
 */
public final class PhoenixLauncher {
    /** JVM options that must not be repeated in every child: they write files, attach agents or wait for debuggers. */
    private static final List<String> DROPPED_PREFIXES = List.of("-XX:ArchiveClassesAtExit", "-XX:+AutoCreateSharedArchive",
            "-XX:AOTCacheOutput", "-XX:AOTMode", "-XX:AOTConfiguration",
            "-agentlib", "-agentpath", "-javaagent", "-Xrunjdwp", "-Xdebug", "-XX:+HeapDumpOnOutOfMemoryError",
            "-XX:HeapDumpPath", "-XX:StartFlightRecording", "-XX:FlightRecorderOptions", "-Xloggc", "-Djava.class.path");
    private static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    private final List<String> prefix;

    private PhoenixLauncher(List<String> prefix) {
        this.prefix = List.copyOf(prefix);
    }

    /** Children run {@code java [this JVM's options] -cp [this class path] dev.phoenix.cli.Main run ...}. */
    public static PhoenixLauncher sameJvm() {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (DROPPED_PREFIXES.stream().noneMatch(option::startsWith)) {
                cmd.add(option);
            }
        }
        if (!cmd.contains(NATIVE_ACCESS)) {
            cmd.add(NATIVE_ACCESS);
        }
        // No /tmp/hsperfdata file: HotSpot warns on stdout, where the guest's output goes, when a
        // reused pid's file is still locked by another JVM (seen once in CompatTest).
        cmd.add("-XX:-UsePerfData");
        cmd.add("-cp");
        cmd.add(absoluteClassPath(System.getProperty("java.class.path", "")));
        cmd.add("dev.phoenix.cli.Main");
        cmd.add("run");
        return new PhoenixLauncher(cmd);
    }

    /** Children run {@code launcher run ...} (for example {@code ./phoenix}); a relative path is made absolute. */
    public static PhoenixLauncher command(String launcher) {
        String cmd = launcher.contains("/") ? Path.of(launcher).toAbsolutePath().normalize().toString() : launcher;
        return new PhoenixLauncher(List.of(cmd, "run"));
    }

    /** The full command of {@code c}'s Phoenix run: exactly {@code c.env()}, then its options, program and arguments. */
    List<String> command(CompatCase c) {
        return command(c, List.of());
    }

    /** As {@link #command(CompatCase)}, with {@code options} for phoenix run before the test's own. */
    List<String> command(CompatCase c, List<String> options) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add("-i");
        cmd.addAll(options);
        for (String kv : c.env()) {
            cmd.add("-E");
            cmd.add(kv);
        }
        cmd.addAll(c.phoenixArgs());
        cmd.add(c.program());
        cmd.addAll(c.args());
        return cmd;
    }

    /** The native run of {@code c}: env(1) gives exactly {@code c.env()}, in order (a ProcessBuilder map would not). */
    static List<String> nativeCommand(CompatCase c) {
        return nativeCommand(c, List.of());
    }

    /** As {@link #nativeCommand(CompatCase)}, with the program run by {@code wrapper} (strace -o FILE). */
    static List<String> nativeCommand(CompatCase c, List<String> wrapper) {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/env", "-i"));
        cmd.addAll(c.env());
        cmd.addAll(wrapper);
        cmd.add(c.program());
        cmd.addAll(c.args());
        return cmd;
    }

    /** Children start in the test's directory, so every class path entry must be absolute. */
    private static String absoluteClassPath(String classPath) {
        List<String> entries = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator, -1)) {
            entries.add(Path.of(entry).toAbsolutePath().normalize().toString());
        }
        return String.join(File.pathSeparator, entries);
    }
}
