package dev.phoenix.abi.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The supplementary groups getgroups(2) reports, read from the host's /proc.
 * Missing files (a non-Linux host) give zeros rather than errors: these are informational.
 */
final class HostInfo {
    private HostInfo() {}

    static List<Integer> groups() {
        List<Integer> out = new ArrayList<>();
        for (String line : lines("/proc/self/status")) {
            if (line.startsWith("Groups:")) {
                for (String g : line.substring(7).trim().split("\\s+")) {
                    if (!g.isEmpty()) {
                        out.add(Integer.parseInt(g));
                    }
                }
            }
        }
        return out;
    }

    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
