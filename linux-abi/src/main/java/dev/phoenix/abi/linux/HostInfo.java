package dev.phoenix.abi.linux;

import dev.phoenix.libos.proc.Credentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The credentials Phoenix itself runs with, read from the host's /proc/self/status, which a
 * guest process starts with: it is the process the user started. Where the file cannot be read
 * (a non-Linux host) the JVM's uid and gid stand, with root's capabilities only for root.
 */
public final class HostInfo {
    private HostInfo() {}

    /** The host process's ids, groups, capability sets and securebits-free state. */
    public static Credentials credentials() {
        Map<String, String> f = new HashMap<>();
        for (String line : lines("/proc/self/status")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                f.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        int[] uids = ids(f.get("Uid"));
        int[] gids = ids(f.get("Gid"));
        if (uids.length != 4 || gids.length != 4) {
            int uid = attribute("unix:uid");
            int gid = attribute("unix:gid");
            return Credentials.of(uid, gid, new int[0]);
        }
        return new Credentials(uids[0], uids[1], uids[2], uids[3], gids[0], gids[1], gids[2], gids[3],
                ids(f.get("Groups")), caps(f.get("CapInh")), caps(f.get("CapPrm")), caps(f.get("CapEff")),
                f.containsKey("CapBnd") ? caps(f.get("CapBnd")) : Credentials.CAP_VALID, caps(f.get("CapAmb")), 0);
    }

    private static int[] ids(String field) {
        if (field == null || field.isBlank()) {
            return new int[0];
        }
        return Arrays.stream(field.trim().split("\\s+")).mapToInt(Integer::parseUnsignedInt).toArray();
    }

    private static long caps(String field) {
        return field == null || field.isEmpty() ? 0 : Long.parseUnsignedLong(field, 16) & Credentials.CAP_VALID;
    }

    private static int attribute(String name) {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), name);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
