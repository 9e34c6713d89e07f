package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * /proc for every process: a guest's view of its child through /proc/PID as it sleeps, stops,
 * becomes a zombie and is reaped, and of a vfork parent; what another uid may read; and the
 * guest's processes as busybox ps and top list them (x86_64 and arm64 busybox), against a
 * native run where the host's answer is deterministic.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard only
class ProcessProcfsTest {
    private static final String EXPECTED = """
            child ready = 1
            child state = S
            stat: pid is the child = 1, comm = blocker, state = S
            stat: ppid is the parent = 1, pgrp = 1, session = 1, tty_nr is the parent's = 1
            stat: num_threads = 1, started no earlier than the parent = 1, vsize > 0 = 1
            own stat: ppid is getppid() = 1
            status: Name = blocker, State = S (sleeping), Umask = 0027, Threads = 1
            status: Tgid and Pid are the child = 1, PPid is the parent = 1, Uid and Gid are the parent's = 1
            status: SigBlk has SIGUSR1 = 1, SigIgn has SIGUSR2 = 1, SigCgt has SIGHUP = 1, not SIGUSR2 = 1
            status: VmSize present = 1
            comm = blocker
            cmdline is the parent's = 1, environ is the parent's = 1, limits are the parent's = 1
            cwd = /, root = /
            exe is the parent's = 1
            fd/ = 0 1 2 3 6
            fd 3 names the parent's pipe = 1, a pipe = 1
            task/ is the child alone = 1
            task/CHILD/stat state = S
            maps names the program = 1
            /proc lists the parent = 1, the child = 1
            /proc/CHILD owned by its euid and egid = 1
            after kill(SIGUSR1): ShdPnd has it = 1, SigPnd has it = 0
            waitpid WUNTRACED = 1, stopped = 1
            stopped: stat state = T, status State = T (stopped)
            waitpid WCONTINUED = 1, continued = 1
            continued: state = S
            echo after the stop = 1
            waitid WNOWAIT = 1
            zombie: stat state = Z, comm = blocker, ppid is the parent = 1, num_threads = 1, vsize = 0
            zombie: status State = Z (zombie), Umask = (none), Threads = 1
            zombie: status VmSize = (none), FDSize = 0, PPid is the parent = 1
            zombie: cmdline opens = 1, length = 0
            zombie: environ reads nothing = 1
            zombie: maps opens = 1, length = 0
            zombie: mounts opens = 0 EINVAL
            zombie: comm = blocker
            zombie: cwd = -1 ENOENT, exe = -1 ENOENT, root = -1 ENOENT
            zombie: fd/ = [], task/ is the child = 1
            zombie: /proc lists it = 1
            waitpid reaps = 1, exit 7 = 1
            reaped: getdents of its directory opened before = -1 ENOENT
            reaped: fstat of it = 1
            reaped: stat opens = 0 ENOENT
            reaped: /proc lists it = 0, opendir = -1 ENOENT
            /proc/0/stat = ENOENT, /proc/x1/stat = ENOENT
            vfork parent: state = D, status State = D (disk sleep)
            vfork parent exits 0 = 1
            """;

    @ParameterizedTest
    @EnumSource(Target.class)
    void aChildIsSeenThroughItsProcDirectory(Target t) throws Exception {
        Path program = Guests.binary(t, "procpids");
        Result r = Guests.phoenix(Guests.runArgs(program, List.of()));
        assertEquals(new Result(0, EXPECTED, ""), r);
        Guests.assertSameAsNative(t, program, r, List.of());
    }

    /** A deterministic run (every process on one host thread, virtual time) sees the same. */
    @ParameterizedTest
    @EnumSource(Target.class)
    void aDeterministicRunSeesTheSame(Target t) {
        Path program = Guests.binary(t, "procpids");
        assertEquals(new Result(0, EXPECTED, ""), Guests.phoenix("run", "-i", "--deterministic", program.toString()));
    }

    /**
     * What a process that became nobody may read of root's: the same on every arch, so each
     * target is compared with the host kernel's answer, the x86_64 glibc build run natively
     * (as root it reads its status but not its environ, maps, links or fd/; as anyone else it
     * says it cannot try).
     */
    @ParameterizedTest
    @EnumSource(Target.class)
    void anotherUidReadsWhatLinuxLetsIt(Target t) throws Exception {
        Result r = Guests.phoenix(Guests.runArgs(Guests.binary(t, "procpids"), List.of(), "perm"));
        Path reference = Guests.binary(Target.X86_64_GLIBC, "procpids");
        assertEquals(Guests.host(List.of(reference.toString(), "perm"), List.of()), r);
        assertTrue(r.out().contains("nobody opens root's environ = EACCES") || r.out().startsWith("not root"), r.out());
    }

    private static String arm64Busybox() {
        return Guests.binary(Target.AARCH64, "busybox").toString();
    }

    /**
     * A shell script ($0 is busybox) that starts a background sleep, waits until it sleeps,
     * prints its own pid and the job's, and runs {@code command} once it waits for it: a helper
     * shell waits until its parent sleeps in wait4 and then execs the command, so that every
     * state it shows has settled, natively too.
     */
    private static String script(String command) {
        return "\"$0\" sleep 1 & until read -r p c s r < /proc/$!/stat && [ \"$s\" = S ]; do :; done; echo $$ $!; "
                + "\"$0\" sh -c 'until read -r p c s r < /proc/$PPID/stat && [ \"$s\" = S ]; do :; done; exec \"$0\" "
                + command + "' \"$0\"; wait";
    }

    /**
     * The same without the waits, for a deterministic run: there every process takes turns on
     * one host thread in a fixed order, so the states are settled by then, and a shell that
     * spins waiting would keep the others from running for a whole budget of instructions.
     */
    private static String deterministicScript(String command) {
        return "\"$0\" sleep 1 & echo $$ $!; \"$0\" " + command + "; wait";
    }

    private static final String PS_COMMAND = "ps -o pid,ppid,pgid,sid,stat,tty,comm,args";
    private static final String PS = script(PS_COMMAND);
    private static final String TOP = script("top -b -n 1");

    /**
     * busybox ps lists the shell, its background job and itself with their parents, group,
     * session, states and commands; pids become names (the shell's parent is Phoenix's own
     * for the first guest process, the JVM for a native run), and x86_64's output is the
     * native run's.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/bin/busybox", "arm64"})
    void psListsTheShellItsJobAndItself(String which) throws Exception {
        String busybox = which.equals("arm64") ? arm64Busybox() : which;
        Result r = Guests.phoenix("run", "-i", busybox, "sh", "-c", PS, busybox);
        assertEquals(0, r.exit(), r.err());
        String ps = normalizePs(r.out());
        assertEquals("SH SLEEP\n"
                + "PID PPID PGID SID STAT TT COMMAND COMMAND\n"
                + "SH PARENT G S S TT busybox " + busybox + " sh -c " + PS + " " + busybox + "\n"
                + "SLEEP SH G S S TT busybox " + busybox + " sleep 1\n"
                + "PS SH G S R TT busybox " + busybox + " " + PS_COMMAND + "\n", ps);
        if (!which.equals("arm64")) {
            String host = Guests.host(List.of(busybox, "sh", "-c", PS, busybox), List.of()).out();
            assertEquals(normalizePs(host), ps);
            // the session's terminal, as the host names it: the same column in both
            assertEquals(psColumn(host, 5), psColumn(r.out(), 5));
        }
    }

    /** A deterministic run's pids are fixed, and so is every line ps prints. */
    @ParameterizedTest
    @ValueSource(strings = {"/bin/busybox", "arm64"})
    void psInADeterministicRun(String which) {
        String busybox = which.equals("arm64") ? arm64Busybox() : which;
        String script = deterministicScript(PS_COMMAND);
        Result r = Guests.phoenix("run", "-i", "--deterministic", busybox, "sh", "-c", script, busybox);
        assertEquals(new Result(0, "1000 1001\n"
                + "PID   PPID  PGID  SID   STAT TT     COMMAND          COMMAND\n"
                + " 1000   999  1000  1000 S    ?      busybox          " + busybox + " sh -c " + script + " " + busybox + "\n"
                + " 1001  1000  1000  1000 S    ?      busybox          " + busybox + " sleep 1\n"
                + " 1002  1000  1000  1000 R    ?      busybox          " + busybox + " " + PS_COMMAND + "\n", ""), r);
    }

    /**
     * busybox top -b -n 1: its summary lines, and a row for each of the guest's processes with
     * its parent, user, state and command (sizes and CPU shares masked; rows in pid order, as
     * top orders them by CPU), on x86_64 as natively.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/bin/busybox", "arm64"})
    void topListsTheGuestsProcesses(String which) throws Exception {
        String busybox = which.equals("arm64") ? arm64Busybox() : which;
        for (boolean deterministic : new boolean[] {false, true}) {
            List<String> args = new ArrayList<>(List.of("run", "-i"));
            if (deterministic) {
                args.add("--deterministic");
            }
            String script = deterministic ? deterministicScript("top -b -n 1") : TOP;
            args.addAll(List.of(busybox, "sh", "-c", script, busybox));
            Result r = Guests.phoenix(args.toArray(String[]::new));
            assertEquals(0, r.exit(), r.err());
            String user = deterministic ? "root" : System.getProperty("user.name");
            String top = normalizeTop(r.out());
            assertEquals("SH SLEEP\n"
                    + "Mem:\nCPU:\nLoad average:\n"
                    + "PID PPID USER STAT VSZ %VSZ %CPU COMMAND\n"
                    + "SH PARENT " + user + " S VSZ %VSZ %CPU " + busybox + " sh -c " + script + " " + busybox + "\n"
                    + "SLEEP SH " + user + " S VSZ %VSZ %CPU " + busybox + " sleep 1\n"
                    + "TOP SH " + user + " R VSZ %VSZ %CPU " + busybox + " top -b -n 1\n", top, r.out());
            if (!deterministic && !which.equals("arm64")) {
                assertEquals(normalizeTop(Guests.host(List.of(busybox, "sh", "-c", TOP, busybox), List.of()).out()), top);
            }
        }
    }

    /** busybox pidof finds the guest's processes by name, in the order it reads /proc: the newest first. */
    @Test
    void pidofFindsEveryProcess() {
        Result r = Guests.phoenix("run", "-i", "--deterministic", "/bin/busybox", "sh", "-c",
                "busybox sleep 1 & busybox pidof busybox; wait");
        assertEquals(new Result(0, "1002 1001 1000\n", ""), r);
    }

    /** Column {@code n} (0-based) of ps's row for the shell, whose pid the first line names. */
    private static String psColumn(String out, int n) {
        String sh = out.lines().findFirst().orElseThrow().split(" ")[0];
        return out.lines().skip(2).map(String::trim).filter(l -> l.startsWith(sh + " ")).findFirst().orElseThrow()
                .split("\\s+")[n];
    }

    /**
     * ps's output with the shell, its job and ps itself named (SH, SLEEP, PS; the shell's
     * parent PARENT), other processes left out, their group, session and terminal named G, S
     * and TT once they are all the shell's, and columns joined by one space.
     */
    private static String normalizePs(String out) {
        List<String> lines = out.lines().toList();
        String[] first = lines.get(0).split(" ");
        String sh = first[0], sleep = first[1];
        List<String[]> rows = new ArrayList<>();
        for (String l : lines.subList(2, lines.size())) {
            String[] f = l.trim().split("\\s+", 8);
            if (f[0].equals(sh) || f[0].equals(sleep) || f[1].equals(sh)) {
                rows.add(f);
            }
        }
        String[] shRow = rows.stream().filter(f -> f[0].equals(sh)).findFirst().orElseThrow().clone();
        Map<String, String> names = new HashMap<>(Map.of(sh, "SH", sleep, "SLEEP", shRow[1], "PARENT"));
        StringBuilder sb = new StringBuilder("SH SLEEP\n").append(String.join(" ", lines.get(1).trim().split("\\s+")))
                .append('\n');
        for (String[] f : rows) {
            f[0] = names.getOrDefault(f[0], "PS");
            f[1] = names.getOrDefault(f[1], f[1]);
            f[2] = f[2].equals(shRow[2]) ? "G" : f[2];
            f[3] = f[3].equals(shRow[3]) ? "S" : f[3];
            f[5] = f[5].equals(shRow[5]) ? "TT" : f[5];
            sb.append(String.join(" ", f)).append('\n');
        }
        return sb.toString();
    }

    /**
     * top's output reduced as {@link #normalizePs} does: the summary lines' titles, the header,
     * and the three processes' rows in pid order with VSZ, %VSZ and %CPU masked.
     */
    private static String normalizeTop(String out) {
        List<String> lines = out.lines().toList();
        String[] first = lines.get(0).split(" ");
        String sh = first[0], sleep = first[1];
        StringBuilder sb = new StringBuilder("SH SLEEP\n");
        for (String title : List.of("Mem:", "CPU:", "Load average:")) {
            if (lines.stream().anyMatch(l -> l.startsWith(title + " "))) {
                sb.append(title).append('\n');
            }
        }
        int header = 0;
        while (header < lines.size() && !lines.get(header).trim().startsWith("PID ")) {
            header++;
        }
        sb.append(String.join(" ", lines.get(header).trim().split("\\s+"))).append('\n');
        java.util.TreeMap<Integer, String[]> rows = new java.util.TreeMap<>();
        String parent = null;
        for (String l : lines.subList(header + 1, lines.size())) {
            String[] f = l.trim().split("\\s+", 8);
            if (f.length == 8 && (f[0].equals(sh) || f[0].equals(sleep) || f[1].equals(sh))) {
                rows.put(Integer.parseInt(f[0]), f);
                parent = f[0].equals(sh) ? f[1] : parent;
            }
        }
        Map<String, String> names = new HashMap<>(Map.of(sh, "SH", sleep, "SLEEP"));
        if (parent != null) {
            names.put(parent, "PARENT");
        }
        for (String[] f : rows.values()) {
            f[0] = names.getOrDefault(f[0], "TOP");
            f[1] = names.getOrDefault(f[1], f[1]);
            f[4] = "VSZ";
            f[5] = "%VSZ";
            f[6] = "%CPU";
            sb.append(String.join(" ", f)).append('\n');
        }
        return sb.toString();
    }
}
