package dev.phoenix.abi.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Figures about the host that sysinfo(2) and getgroups(2) report, read from the host's /proc.
 * Missing files (a non-Linux host) give zeros rather than errors: these are informational.
 */
final class HostInfo {
    private HostInfo() {}

    /** Memory figures in bytes. */
    record Memory(long total, long free, long shared, long buffers, long swapTotal, long swapFree) {}

    static Memory memory() {
        long total = 0, free = 0, shared = 0, buffers = 0, swapTotal = 0, swapFree = 0;
        for (String line : lines("/proc/meminfo")) {
            String[] f = line.split("\\s+");
            if (f.length < 2) {
                continue;
            }
            long bytes = Long.parseLong(f[1]) * 1024;
            switch (f[0]) {
                case "MemTotal:" -> total = bytes;
                case "MemFree:" -> free = bytes;
                case "Shmem:" -> shared = bytes;
                case "Buffers:" -> buffers = bytes;
                case "SwapTotal:" -> swapTotal = bytes;
                case "SwapFree:" -> swapFree = bytes;
                default -> { }
            }
        }
        return new Memory(total, free, shared, buffers, swapTotal, swapFree);
    }

    static long uptimeSeconds() {
        List<String> l = lines("/proc/uptime");
        return l.isEmpty() ? 0 : (long) Double.parseDouble(l.get(0).split("\\s+")[0]);
    }

    static double[] loadAverage() {
        List<String> l = lines("/proc/loadavg");
        double[] out = new double[3];
        if (!l.isEmpty()) {
            String[] f = l.get(0).split("\\s+");
            for (int i = 0; i < 3; i++) {
                out[i] = Double.parseDouble(f[i]);
            }
        }
        return out;
    }

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
