package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Container tools and flags: busybox unshare (with --mount-proc), nsenter, hostname and ps inside
 * namespaces compared with the same commands run natively as root; {@code phoenix run --isolate}
 * compared with util-linux unshare(1) giving the same namespaces natively; and the docker-style
 * limits (--memory, --pids-limit, --cpus), whose effects are Linux's documented ones (the host
 * has cgroup v1, so they have no native run to compare with).
 */
class ContainersTest {
    private static final String BUSYBOX = "/bin/busybox";

    private static Result phoenix(String... args) {
        List<String> a = new ArrayList<>(List.of("run", "-i"));
        a.addAll(List.of(args));
        return Guests.phoenix(a.toArray(String[]::new));
    }

    private static Result nativeRun(String... command) throws Exception {
        return Guests.host(List.of(command), List.of());
    }

    @Test
    void busyboxUnshareWithMountProcShowsOnlyTheNewPidNamespace() throws Exception {
        String[] cmd = {BUSYBOX, "unshare", "-f", "-p", "--mount-proc", BUSYBOX, "sh", "-c", "ps -o pid,comm; echo $$"};
        Result r = phoenix(cmd);
        assertEquals(new Result(0, "PID   COMMAND\n    1 busybox\n    2 ps\n1\n", ""), r);
        assertEquals(nativeRun(cmd), r);
    }

    @Test
    void busyboxUnshareAndNsenterShareAUtsNamespace() throws Exception {
        String[] own = {BUSYBOX, "sh", "-c", "busybox unshare -u busybox sh -c 'hostname inner.box; hostname'; "
                + "busybox unshare -u busybox sh -c 'hostname inner; sleep 1' & sleep 0.3; "
                + "busybox nsenter -t $! -u busybox hostname; wait"};
        Result r = phoenix(own);
        assertEquals(new Result(0, "inner.box\ninner\n", ""), r);
        assertEquals(nativeRun(own), r);
    }

    @Test
    void busyboxMountUmountAndChrootInAMountNamespace(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("root"), mnt = dir.resolve("mnt");
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(mnt);
        Files.copy(Path.of(BUSYBOX), root.resolve("bin/busybox"));
        String script = "busybox mount -t tmpfs -o size=1m none @M && echo hi > @M/f && busybox cat @M/f"
                + " && busybox grep @M /proc/mounts && busybox mount -o remount,ro @M && (echo x > @M/g) 2>&1;"
                + " busybox umount @M && busybox ls @M; busybox chroot @R /bin/busybox sh -c 'echo inside; busybox ls /';"
                + " busybox mount --bind @R @M && busybox ls @M/bin";
        script = script.replace("@M", mnt.toString()).replace("@R", root.toString());
        String[] cmd = {BUSYBOX, "unshare", "-m", BUSYBOX, "sh", "-c", script};
        Result r = phoenix(cmd);
        assertEquals(new Result(0, "hi\nnone " + mnt + " tmpfs rw,relatime,size=1024k 0 0\nsh: can't create " + mnt
                + "/g: Read-only file system\ninside\nbin\nbusybox\n", ""), r);
        assertEquals(nativeRun(cmd), r);
    }

    @Test
    void busyboxIfconfigSeesAFreshNetworkNamespace() throws Exception {
        String[] cmd = {BUSYBOX, "unshare", "-n", BUSYBOX, "sh", "-c",
            "busybox ifconfig -a; cat /proc/net/dev; busybox ifconfig lo up; busybox ifconfig; cat /proc/net/if_inet6"};
        Result r = phoenix(cmd);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("inet addr:127.0.0.1  Mask:255.0.0.0"), r.out());
        assertEquals(nativeRun(cmd), r);
    }

    @Test
    void rootOfANewUserNamespaceConfiguresItsOwnNetwork() throws Exception {
        String[] cmd = {BUSYBOX, "unshare", "-U", "-r", "-n", BUSYBOX, "sh", "-c",
            "busybox ip link set lo up && busybox ip -4 addr; id -u; cat /proc/self/uid_map"};
        Result r = phoenix(cmd);
        assertTrue(r.out().contains("inet 127.0.0.1/8 scope host lo"), r.out());
        assertEquals(nativeRun(cmd), r);
    }

    @Test
    void anArm64BusyboxUnsharesToo() throws Exception {
        String bb = Guests.binary(Target.AARCH64, "busybox").toString();
        Result r = phoenix(bb, "unshare", "-f", "-p", "-u", "--mount-proc", bb, "sh", "-c",
                "hostname arm.box; hostname; echo $$; uname -m");
        assertEquals(new Result(0, "arm.box\n1\naarch64\n", ""), r);
    }

    @Test
    void isolateGivesTheShellItsOwnPidUtsAndCgroupView() throws Exception {
        String script = "echo $$ $PPID; ps -o pid,ppid,comm; id -u; cat /proc/self/uid_map; grep '^0::' /proc/self/cgroup;"
                + " hostname box; hostname";
        Result r = phoenix("--isolate", BUSYBOX, "sh", "-c", script);
        assertEquals(new Result(0, "1 0\nPID   PPID  COMMAND\n    1     0 busybox\n    2     1 ps\n0\n"
                + "         0          0          1\n0::/\nbox\n", ""), r);
        assertEquals(nativeRun("unshare", "--user", "--map-root-user", "--fork", "--pid", "--mount-proc", "--mount",
                "--uts", "--ipc", "--cgroup", BUSYBOX, "sh", "-c", script), r);
    }

    @Test
    void theFirstProcessIsPidOneWithPid() {
        Result r = phoenix("--pid", BUSYBOX, "sh", "-c", "busybox sleep 0.2 & ps -o pid,ppid; echo ppid $PPID");
        assertEquals(new Result(0, "PID   PPID\n    1     0\n    2     1\n    3     1\nppid 0\n", ""), r);
    }

    @Test
    void memoryLimitKillsTheHogAndCountsIt() {
        String hog = Guests.binary(Target.X86_64_MUSL, "memhog").toString();
        Result r = phoenix("--memory", "16m", BUSYBOX, "sh", "-c", hog + " 8; echo status $?; " + hog
                + " 64 2>/dev/null; echo status $?; grep oom /sys/fs/cgroup/phoenix/memory.events; cat /proc/self/cgroup");
        assertEquals(0, r.exit(), r.err());
        assertEquals("touched 8 MiB\nstatus 0\nstatus 137\noom 1\noom_kill 1\noom_group_kill 0\n0::/phoenix\n", r.out());
    }

    @Test
    void pidsLimitMakesForkFailWithEagain() {
        Result r = phoenix("--pids-limit", "3", BUSYBOX, "sh", "-c",
                "sleep 0.3 & sleep 0.3 & echo two; sleep 0.3 & echo three; wait");
        assertEquals(2, r.exit());
        assertEquals("two\n", r.out());
        assertTrue(r.err().contains("can't fork: Resource temporarily unavailable"), r.err());
        Result events = phoenix("--pids-limit", "100", BUSYBOX, "cat", "/sys/fs/cgroup/phoenix/pids.max");
        assertEquals(new Result(0, "100\n", ""), events);
    }

    @Test
    void fractionalCpusAreAQuotaOnTheVirtualCpusTheyRoundUpTo() {
        assertEquals(new Result(0, "50000 100000\n0\n", ""), phoenix("--cpus", "0.5", BUSYBOX, "cat",
                "/sys/fs/cgroup/phoenix/cpu.max", "/sys/devices/system/cpu/online"));
        assertEquals(new Result(0, "150000 100000\n0-1\n", ""), phoenix("--cpus", "1.5", BUSYBOX, "cat",
                "/sys/fs/cgroup/phoenix/cpu.max", "/sys/devices/system/cpu/online"));
        assertEquals(new Result(0, "0-1\n", ""), phoenix("--cpus", "2", BUSYBOX, "cat", "/sys/devices/system/cpu/online"));
    }

    @Test
    void badLimitsAreOneLineAndExitTwo() {
        for (String[] bad : new String[][] {{"--cpus", "0"}, {"--cpus", "65"}, {"--cpus", "x"}, {"--memory", "12x"},
                {"--memory", "1k"}, {"--pids-limit", "0"}}) {
            Result r = phoenix(bad[0], bad[1], BUSYBOX, "true");
            assertEquals(2, r.exit(), String.join(" ", bad));
            assertTrue(r.err().startsWith("phoenix: " + bad[0] + " " + bad[1] + ": "), r.err());
        }
    }
}
