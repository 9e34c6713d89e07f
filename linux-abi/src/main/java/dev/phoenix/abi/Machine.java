package dev.phoenix.abi;

import dev.phoenix.libos.Clock;
import dev.phoenix.libos.VirtualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * The machine a guest sees: its clock, its randomness, its CPUs, memory and load. Either the
 * host ({@link #host()}), or, for a deterministic run ({@link #deterministic(long)}), a fixed
 * small machine with a virtual clock and seeded randomness, so that the same program and input
 * give the same output every time.
 */
public abstract class Machine {
    /** Memory figures in bytes, as sysinfo(2) and /proc/meminfo give them. */
    public record Memory(long total, long free, long available, long shared, long buffers, long cached,
            long swapTotal, long swapFree) {}

    private final Clock clock;
    private final RandomGenerator random;

    private Machine(Clock clock, RandomGenerator random) {
        this.clock = clock;
        this.random = random;
    }

    public Clock clock() {
        return clock;
    }

    /** getrandom(2), AT_RANDOM and /dev/[u]random. */
    public RandomGenerator random() {
        return random;
    }

    /** True for a deterministic run. */
    public boolean deterministic() {
        return clock.isVirtual();
    }

    /** Online CPUs (sysfs, /proc/cpuinfo, sched_getaffinity, sysinfo). */
    public abstract int cpus();

    public abstract Memory memory();

    /** The 1, 5 and 15 minute load averages. */
    public abstract double[] loadAverage();

    /** The text of /proc/meminfo. */
    public abstract String meminfo();

    /** The text of /proc/uptime: seconds since boot, and idle seconds summed over CPUs. */
    public abstract String uptime();

    /** The text of /proc/stat: CPU time per CPU in clock ticks, boot time, process counts. */
    public abstract String stat();

    /** The host machine: its CPUs, memory and load as they are now, its clocks, a secure random source. */
    public static Machine host() {
        return new Host(Runtime.getRuntime().availableProcessors());
    }

    /** The host machine with {@code cpus} CPUs ({@code --cpus N}): the guest sees and runs on that many. */
    public static Machine host(int cpus) {
        return new Host(cpus);
    }

    /**
     * A fixed machine: 2 CPUs, 2 GiB of memory, no load, booted at 2000-01-01 00:00:00 UTC on a
     * {@link VirtualClock}, with randomness from {@code seed}.
     */
    public static Machine deterministic(long seed) {
        return new Deterministic(seed);
    }

    /**
     * The host kernel's CSPRNG, read from /dev/urandom (as getrandom(2) would give it): what
     * SecureRandom's NativePRNG does, without the ~18 ms its provider framework adds to start-up.
     */
    private static final class Urandom implements RandomGenerator {
        private java.io.InputStream in;

        @Override
        public long nextLong() {
            byte[] b = new byte[8];
            nextBytes(b);
            return java.nio.ByteBuffer.wrap(b).getLong();
        }

        @Override
        public synchronized void nextBytes(byte[] bytes) {
            try {
                if (in == null) {
                    in = new java.io.FileInputStream("/dev/urandom");
                }
                if (in.readNBytes(bytes, 0, bytes.length) != bytes.length) {
                    throw new java.io.EOFException("/dev/urandom ended");
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot read the host's /dev/urandom", e);
            }
        }
    }

    private static final class Host extends Machine {
        private final int cpus;

        Host(int cpus) {
            super(Clock.HOST, new Urandom());
            this.cpus = cpus;
        }

        @Override
        public int cpus() {
            return cpus;
        }

        @Override
        public Memory memory() {
            long total = 0, free = 0, available = 0, shared = 0, buffers = 0, cached = 0, swapTotal = 0, swapFree = 0;
            for (String line : lines("/proc/meminfo")) {
                String[] f = line.split("\\s+");
                if (f.length < 2) {
                    continue;
                }
                long bytes = Long.parseLong(f[1]) * 1024;
                switch (f[0]) {
                    case "MemTotal:" -> total = bytes;
                    case "MemFree:" -> free = bytes;
                    case "MemAvailable:" -> available = bytes;
                    case "Shmem:" -> shared = bytes;
                    case "Buffers:" -> buffers = bytes;
                    case "Cached:" -> cached = bytes;
                    case "SwapTotal:" -> swapTotal = bytes;
                    case "SwapFree:" -> swapFree = bytes;
                    default -> { }
                }
            }
            return new Memory(total, free, available, shared, buffers, cached, swapTotal, swapFree);
        }

        @Override
        public double[] loadAverage() {
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

        @Override
        public String meminfo() {
            return String.join("\n", lines("/proc/meminfo")) + "\n";
        }

        @Override
        public String uptime() {
            List<String> l = lines("/proc/uptime");
            return l.isEmpty() ? "0.00 0.00\n" : l.get(0) + "\n";
        }

        @Override
        public String stat() {
            return String.join("\n", lines("/proc/stat")) + "\n";
        }

        private static List<String> lines(String file) {
            try {
                return Files.readAllLines(Path.of(file));
            } catch (IOException | RuntimeException e) {
                return List.of(); // not a Linux host: these figures are informational
            }
        }
    }

    private static final class Deterministic extends Machine {
        private static final long BOOT = 946_684_800L * 1_000_000_000L; // 2000-01-01T00:00:00Z
        private static final long KIB = 1024;
        private static final Memory MEMORY = new Memory(2L << 30, 1536L << 20, 1792L << 20, 0, 0, 256L << 20, 0, 0);

        Deterministic(long seed) {
            super(new VirtualClock(BOOT), RandomGeneratorFactory.of("L64X128MixRandom").create(seed));
        }

        @Override
        public int cpus() {
            return 2;
        }

        @Override
        public Memory memory() {
            return MEMORY;
        }

        @Override
        public double[] loadAverage() {
            return new double[3];
        }

        @Override
        public String meminfo() {
            Memory m = MEMORY;
            return String.format("MemTotal:       %8d kB%nMemFree:        %8d kB%nMemAvailable:   %8d kB%n"
                    + "Buffers:        %8d kB%nCached:         %8d kB%nSwapCached:            0 kB%n"
                    + "Shmem:          %8d kB%nSReclaimable:          0 kB%nSwapTotal:      %8d kB%n"
                    + "SwapFree:       %8d kB%n", m.total() / KIB, m.free() / KIB, m.available() / KIB,
                    m.buffers() / KIB, m.cached() / KIB, m.shared() / KIB, m.swapTotal() / KIB, m.swapFree() / KIB);
        }

        @Override
        public String uptime() {
            long centis = clock().uptimeNanos() / 10_000_000;
            return String.format("%d.%02d 0.00%n", centis / 100, centis % 100);
        }

        /** The one guest thread has used CPU 0 since boot (user time); CPU 1 has been idle. */
        @Override
        public String stat() {
            long ticks = clock().uptimeNanos() / 10_000_000; // USER_HZ 100
            return String.format("cpu  %d 0 0 %d 0 0 0 0 0 0%ncpu0 %d 0 0 0 0 0 0 0 0 0%ncpu1 0 0 0 %d 0 0 0 0 0 0%n"
                    + "intr 0%nctxt 0%nbtime %d%nprocesses 1%nprocs_running 1%nprocs_blocked 0%nsoftirq 0%n",
                    ticks, ticks, ticks, ticks, BOOT / 1_000_000_000L);
        }
    }
}
