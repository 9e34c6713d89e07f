package dev.phoenix.abi.procfs;

import dev.phoenix.abi.ArchAbi;
import dev.phoenix.libos.Clock;
import dev.phoenix.libos.proc.Process;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The text of /proc files, in the formats proc(5) documents. */
final class ProcText {
    private ProcText() {}

    /** USER_HZ ticks per second, as /proc/PID/stat counts. */
    private static final long HZ = 100;

    static String status(Process p) {
        long vmKb = p.addressSpace().mappedBytes() / 1024;
        int uid = p.uid();
        int gid = p.gid();
        return "Name:\t" + p.mainTask().comm + "\n"
                + "Umask:\t" + String.format("%04o", p.umask) + "\n"
                + "State:\tR (running)\n"
                + "Tgid:\t" + p.pid() + "\nNgid:\t0\nPid:\t" + p.pid() + "\nPPid:\t" + p.ppid() + "\nTracerPid:\t0\n"
                + "Uid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid + "\n"
                + "Gid:\t" + gid + "\t" + gid + "\t" + gid + "\t" + gid + "\n"
                + "FDSize:\t" + Math.max(64, Integer.highestOneBit(Math.max(1, p.fds().limit())) * 2) + "\n"
                + "Groups:\t\n"
                + "VmPeak:\t" + String.format("%8d", vmKb) + " kB\nVmSize:\t" + String.format("%8d", vmKb) + " kB\n"
                + "Threads:\t1\n"
                + "SigQ:\t0/0\nSigPnd:\t0000000000000000\nShdPnd:\t0000000000000000\n";
    }

    /** /proc/PID/stat: 52 fields (proc(5)); what Phoenix does not track is 0. */
    static String stat(Process p, Clock clock) {
        long start = p.startNanos / (1_000_000_000L / HZ);
        long vsize = p.addressSpace().mappedBytes();
        StringBuilder sb = new StringBuilder();
        sb.append(p.pid()).append(" (").append(p.mainTask().comm).append(") R ").append(p.ppid()).append(' ')
                .append(p.pid()).append(' ').append(p.pid()).append(" 0 -1 4194304 0 0 0 0 ")
                .append(clock.cpuTimeNanos() / (1_000_000_000L / HZ)).append(" 0 0 0 20 0 1 0 ").append(start)
                .append(' ').append(vsize).append(' ').append(vsize / 4096);
        for (int i = 25; i <= 52; i++) {
            sb.append(" 0");
        }
        return sb.append('\n').toString();
    }

    static String mounts() {
        return "/dev/root / ext4 rw,relatime 0 0\n"
                + "devtmpfs /dev devtmpfs rw,nosuid 0 0\n"
                + "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n";
    }

    static String cpuinfo(ArchAbi abi) {
        int cpus = Runtime.getRuntime().availableProcessors();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cpus; i++) {
            switch (abi.arch()) {
                case X86_64 -> sb.append("processor\t: ").append(i).append("\nvendor_id\t: AuthenticAMD\n")
                        .append("cpu family\t: 15\nmodel\t\t: 107\nmodel name\t: QEMU Virtual CPU (Phoenix, Unicorn)\n")
                        .append("flags\t\t: fpu de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush ")
                        .append("mmx fxsr sse sse2 syscall nx lm pni\nbogomips\t: 2000.00\n\n");
                case AARCH64 -> sb.append("processor\t: ").append(i).append("\nBogoMIPS\t: 100.00\n")
                        .append("Features\t: fp asimd aes pmull sha1 sha2 crc32 atomics\nCPU implementer\t: 0x00\n")
                        .append("CPU architecture: 8\nCPU variant\t: 0x0\nCPU part\t: 0x051\nCPU revision\t: 0\n\n");
                case RISCV64 -> sb.append("processor\t: ").append(i).append("\nhart\t\t: ").append(i)
                        .append("\nisa\t\t: rv64imafdc\nmmu\t\t: sv39\n\n");
            }
        }
        return sb.toString();
    }

    /** The host's memory figures: guests see the machine they run on. */
    static String meminfo() {
        return host("/proc/meminfo", "MemTotal:       0 kB\nMemFree:        0 kB\nMemAvailable:   0 kB\n");
    }

    static String uptime() {
        return host("/proc/uptime", "0.00 0.00\n");
    }

    static String loadavg() {
        return host("/proc/loadavg", "0.00 0.00 0.00 1/1 1\n");
    }

    private static String host(String file, String fallback) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException | RuntimeException e) {
            return fallback;
        }
    }
}
