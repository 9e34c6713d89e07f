package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.tests.Guests.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** /proc as busybox reads it: the process's own files, ps, and the machine files, on x86_64 and arm64. */
class ProcfsTest {
    private static final long PID = ProcessHandle.current().pid();

    private static Result busybox(String busybox, String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of("run", "-i", busybox));
        argv.addAll(List.of(args));
        return Guests.phoenix(argv.toArray(String[]::new));
    }

    private static String arm64() {
        return Guests.binary(Guests.Target.AARCH64, "busybox").toString();
    }

    @Test
    void cmdlineExeAndCwdOfSelf() throws Exception {
        assertEquals(new Result(0, "/bin/busybox\0cat\0/proc/self/cmdline\0", ""),
                busybox("/bin/busybox", "cat", "/proc/self/cmdline"));
        // Linux resolves the symlinks of the path the program ran by: /bin is a link to usr/bin here.
        String real = Path.of("/bin/busybox").toRealPath().toString();
        assertEquals(new Result(0, real + "\n", ""), busybox("/bin/busybox", "readlink", "/proc/self/exe"));
        assertEquals(Guests.host(List.of("/bin/busybox", "readlink", "/proc/self/exe"), List.of()),
                busybox("/bin/busybox", "readlink", "/proc/self/exe"));
        assertEquals(new Result(0, PID + "\n", ""), busybox("/bin/busybox", "readlink", "/proc/self"));
        assertEquals(new Result(0, "/\n", ""), busybox("/bin/busybox", "readlink", "/proc/" + PID + "/root"));
    }

    @Test
    void mapsListsTheImageHeapAndStack() throws Exception {
        Result r = busybox(arm64(), "cat", "/proc/self/maps");
        assertEquals(0, r.exit());
        Pattern line = Pattern.compile("[0-9a-f]{8,}-[0-9a-f]{8,} [r-][w-][x-]p [0-9a-f]{8} [0-9a-f]{2}:[0-9a-f]{2} \\d+ ( +.*)?");
        for (String l : r.out().lines().toList()) {
            assertTrue(line.matcher(l).matches(), "not a maps line: " + l);
        }
        String image = Path.of(arm64()).toRealPath().toString();
        assertTrue(r.out().lines().anyMatch(l -> l.contains(" r-xp ") && l.endsWith(image)), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.endsWith("[stack]")), r.out());
        // brk grew the heap twice during start-up; like Linux, maps shows one merged VMA.
        assertEquals(1, r.out().lines().filter(l -> l.endsWith("[heap]")).count(), r.out());
    }

    @Test
    void mapsNamesTheImageAsLinuxDoes() throws Exception {
        // Each segment's file pages with their file offset, device and inode, then the bss as
        // anonymous memory: the same lines as a native run of the same (static, non-PIE) binary.
        // Run by /bin/busybox; Linux names the file by its path without symlinks (/bin is one here).
        String busybox = Path.of("/bin/busybox").toRealPath().toString();
        Result r = busybox("/bin/busybox", "cat", "/proc/self/maps");
        Result host = Guests.host(List.of("/bin/busybox", "cat", "/proc/self/maps"), List.of());
        assertEquals(0, r.exit(), r.err());
        List<String> image = imageLines(r.out(), busybox);
        assertTrue(image.size() >= 3 && image.get(0).matches("00400000-\\S+ r--p 00000000 [0-9a-f]{2}:[0-9a-f]{2} [1-9]\\d* .*"),
                r.out());
        assertEquals(imageLines(host.out(), busybox), image);
    }

    /** The lines of the image's own mappings: those naming it, and the nameless bss right after them. */
    private static List<String> imageLines(String maps, String image) {
        List<String> lines = maps.lines().toList();
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).endsWith(" " + image)) {
                out.add(lines.get(i));
                if (i + 1 < lines.size() && lines.get(i + 1).endsWith(" 0 ")) {
                    out.add(lines.get(i + 1));
                }
            }
        }
        return out;
    }

    @Test
    void limitsLoginuidAndCpuDirectoriesReadAsOnLinux() throws Exception {
        Result limits = busybox("/bin/busybox", "cat", "/proc/self/limits");
        Result hostLimits = Guests.host(List.of("/bin/busybox", "cat", "/proc/self/limits"), List.of());
        assertEquals(0, limits.exit(), limits.err());
        // The guest starts with the limits of the process that runs Phoenix: byte for byte the same.
        assertEquals(hostLimits.out(), limits.out());
        for (String[] c : List.of(new String[] {"cat", "/proc/self/loginuid"}, new String[] {"cat", "/proc/self/sessionid"},
                new String[] {"logname"}, new String[] {"nproc", "--all"})) {
            List<String> cmd = new java.util.ArrayList<>(List.of("/bin/busybox"));
            cmd.addAll(List.of(c));
            assertEquals(Guests.host(cmd, List.of()), busybox("/bin/busybox", c), String.join(" ", c));
        }
    }

    @Test
    void fdLinksOfTheHostsStreamsNameWhatTheHostHasThere() throws Exception {
        // Through the launcher, so that the guest's stdin and stdout are the host's fds 0 and 1.
        Path out = Files.createTempFile("phoenix-fd", ".txt");
        try {
            for (String fd : List.of("0", "1")) {
                List<String> command = List.of(Guests.repoRoot().resolve("phoenix").toString(), "run", "/bin/busybox",
                        "readlink", "/proc/self/fd/" + fd);
                Process p = new ProcessBuilder(command)
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
                assertEquals(0, p.exitValue(), "readlink /proc/self/fd/" + fd);
            }
            assertEquals("/dev/null\n" + out.toRealPath() + "\n", Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    @Test
    void procSysAnswersSysctl() throws Exception {
        String keys = "kernel.ostype kernel.pid_max";
        Result r = busybox("/bin/busybox", ("sysctl " + keys).split(" "));
        assertEquals(0, r.exit(), r.err());
        assertEquals(Guests.host(List.of(("/bin/busybox sysctl " + keys).split(" ")), List.of()).out(), r.out());
        assertEquals(new Result(0, "vm.max_map_count = 65530\nvm.mmap_min_addr = 65536\nfs.nr_open = 1048576\n"
                + "kernel.ngroups_max = 65536\n", ""),
                busybox("/bin/busybox", "sysctl", "vm.max_map_count", "vm.mmap_min_addr", "fs.nr_open", "kernel.ngroups_max"));
        Result ids = busybox("/bin/busybox", "cat", "/proc/sys/kernel/random/boot_id", "/proc/sys/kernel/random/boot_id",
                "/proc/sys/kernel/random/uuid", "/proc/sys/kernel/random/uuid");
        List<String> lines = ids.out().lines().toList();
        assertEquals(4, lines.size(), ids.out());
        for (String l : lines) {
            assertTrue(l.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), l);
        }
        assertEquals(lines.get(0), lines.get(1), "boot_id is fixed for the run");
        assertTrue(!lines.get(2).equals(lines.get(3)), "uuid is new on every read");
        assertEquals(new Result(0, "fs\nkernel\nvm\n", ""), busybox("/bin/busybox", "ls", "/proc/sys"));
    }

    @Test
    void psSeesTheGuestItself() {
        assertEquals(new Result(0, "PID   USER     COMMAND\n" + String.format("%5d", PID) + " root     /bin/busybox ps\n", ""),
                busybox("/bin/busybox", "ps"));
    }

    @Test
    void fdDirectoryListsOpenDescriptors() {
        // ls itself holds fd 3 open on the directory while it reads it.
        assertEquals(new Result(0, "0\n1\n2\n3\n", ""), busybox("/bin/busybox", "ls", "/proc/self/fd"));
    }

    @Test
    void machineFiles() {
        Result version = busybox("/bin/busybox", "cat", "/proc/version");
        assertTrue(version.out().startsWith("Linux version 6.1.0-phoenix "), version.out());
        Result cpu = busybox(arm64(), "grep", "-c", "^Features", "/proc/cpuinfo");
        assertEquals(new Result(0, Runtime.getRuntime().availableProcessors() + "\n", ""), cpu);
        Result mem = busybox("/bin/busybox", "grep", "-c", "^MemTotal:", "/proc/meminfo");
        assertEquals(new Result(0, "1\n", ""), mem);
        Result status = busybox("/bin/busybox", "grep", "^Pid:", "/proc/self/status");
        assertEquals(new Result(0, "Pid:\t" + PID + "\n", ""), status);
    }

    @Test
    void missingEntriesAreEnoent() {
        Result r = busybox("/bin/busybox", "cat", "/proc/self/nope");
        assertEquals(1, r.exit());
        assertEquals("cat: can't open '/proc/self/nope': No such file or directory\n", r.err());
    }

    @Test
    void sysfsCpuListsMatchTheHost() throws Exception {
        int cpus = Runtime.getRuntime().availableProcessors();
        String list = cpus == 1 ? "0\n" : "0-" + (cpus - 1) + "\n";
        assertEquals(new Result(0, list, ""), busybox(arm64(), "cat", "/sys/devices/system/cpu/online"));
        assertEquals(new Result(0, cpus + "\n", ""), busybox("/bin/busybox", "nproc"));
        assertEquals(Guests.host(List.of("/bin/busybox", "nproc"), List.of()), busybox("/bin/busybox", "nproc"));
        Result find = busybox("/bin/busybox", "find", "/sys/devices", "-maxdepth", "3");
        StringBuilder expected = new StringBuilder("/sys/devices\n/sys/devices/system\n/sys/devices/system/cpu\n");
        for (int cpu = 0; cpu < cpus; cpu++) {
            expected.append("/sys/devices/system/cpu/cpu").append(cpu).append('\n');
        }
        expected.append("/sys/devices/system/cpu/online\n/sys/devices/system/cpu/possible\n/sys/devices/system/cpu/present\n");
        for (String node : List.of("", "/has_cpu", "/has_memory", "/has_normal_memory", "/node0", "/online", "/possible")) {
            expected.append("/sys/devices/system/node").append(node).append('\n'); // one NUMA node, for libnuma
        }
        assertEquals(expected.toString(), find.out());
        assertEquals(Guests.host(List.of("/bin/cat", "/sys/devices/system/node/node0/cpumap",
                "/sys/devices/system/node/node0/cpulist", "/sys/devices/system/node/online"), List.of()),
                busybox("/bin/busybox", "cat", "/sys/devices/system/node/node0/cpumap",
                        "/sys/devices/system/node/node0/cpulist", "/sys/devices/system/node/online"));
        assertEquals(new Result(0, (cpus - 1) + "\n", ""), busybox("/bin/busybox", "cat", "/sys/devices/system/cpu/cpu"
                + (cpus - 1) + "/topology/core_id"));
    }

    /** The field names of the first entry of an smaps-style file: the header's address range, then "Name:" per line. */
    private static List<String> smapsFields(String text) {
        List<String> names = new java.util.ArrayList<>();
        for (String line : text.lines().toList()) {
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                if (!names.isEmpty()) {
                    break;
                }
                names.add(line.endsWith("[rollup]") ? "[rollup]" : "header");
                continue;
            }
            names.add(line.substring(0, line.indexOf(':') + 1));
        }
        return names;
    }

    /**
     * /proc/self/smaps and smaps_rollup read by the host's cat (dynamically linked) list the same
     * fields in the same order as Linux's, and the counts are of pages the process holds.
     */
    @Test
    void smapsAndItsRollupHaveLinuxsFields() throws Exception {
        for (String file : List.of("/proc/self/smaps", "/proc/self/smaps_rollup")) {
            Result nativeRun = Guests.host(List.of("/bin/cat", file), List.of());
            Result underPhoenix = Guests.phoenix("run", "/bin/cat", file);
            assertEquals(0, underPhoenix.exit(), underPhoenix.toString());
            assertEquals(smapsFields(nativeRun.out()), smapsFields(underPhoenix.out()), underPhoenix.out());
        }
        Result rollup = Guests.phoenix("run", "/bin/cat", "/proc/self/smaps_rollup");
        java.util.regex.Matcher rss = Pattern.compile("(?m)^Rss: +(\\d+) kB$").matcher(rollup.out());
        assertTrue(rss.find() && Long.parseLong(rss.group(1)) > 0, rollup.out());
    }

    /**
     * /proc/self/sched read by the host's cat (dynamically linked): Linux's header (the thread's
     * name, its pid and the thread count) and rule, then the fields Phoenix knows, each one a
     * field of Linux's own file on this host, in Linux's order, and laid out as wide; a new
     * process is SCHED_OTHER at nice 0 (prio 120, weight 1024 scaled by 2^10).
     */
    @Test
    void schedHasLinuxsFieldsInLinuxsOrderAndLayout() throws Exception {
        List<String> linux = Guests.host(List.of("/bin/cat", "/proc/self/sched"), List.of()).out().lines().toList();
        Result underPhoenix = Guests.phoenix("run", "/bin/cat", "/proc/self/sched");
        assertEquals(0, underPhoenix.exit(), underPhoenix.toString());
        List<String> ours = underPhoenix.out().lines().toList();
        assertTrue(linux.get(0).matches("cat \\(\\d+, #threads: 1\\)"), linux.get(0));
        assertEquals("cat (" + PID + ", #threads: 1)", ours.get(0));
        assertEquals(linux.get(1), ours.get(1));
        java.util.Map<String, String> linuxFields = schedFields(linux);
        java.util.Map<String, String> ourFields = schedFields(ours);
        List<String> names = List.copyOf(ourFields.keySet());
        assertEquals(List.of("se.sum_exec_runtime", "nr_switches", "nr_voluntary_switches", "nr_involuntary_switches",
                "se.load.weight", "policy", "prio", "se.slice", "clock-delta"), names);
        assertEquals(names, linuxFields.keySet().stream().filter(names::contains).toList(), "Linux's fields, in its order");
        for (String name : names) {
            assertEquals(linuxFields.get(name).length(), ourFields.get(name).length(), ourFields.get(name));
        }
        assertTrue(ourFields.get("policy").endsWith(" 0") && ourFields.get("prio").endsWith(" 120")
                && ourFields.get("se.load.weight").endsWith(" 1048576"), underPhoenix.out());
    }

    /** The "name  : value" lines of a sched file after its header and rule, by name, in order. */
    private static java.util.Map<String, String> schedFields(List<String> lines) {
        java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
        for (String line : lines.subList(2, lines.size())) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon).trim(), line);
            }
        }
        return fields;
    }
}
