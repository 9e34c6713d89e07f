package dev.phoenix.cli;

import dev.phoenix.libos.cgroup.Cgroup;
import java.math.BigDecimal;

/**
 * The resource limits of {@code phoenix run --cpus, --memory, --pids-limit}, spelled as docker
 * run spells them, read into what the kernel's first cgroup takes: {@code --cpus 1.5} is two
 * virtual CPUs and a quota of 150000 us per 100000 us period; {@code --memory 64m} is
 * memory.max 67108864; {@code --pids-limit 100} is pids.max 100. A value out of range is a
 * {@link RunCommand.UsageError} naming it.
 */
record Limits(int virtualCpus, long cpuQuotaUs, long memoryMax, long pidsMax) {
    /** cpu.max's period Phoenix uses for --cpus, docker's 100 ms. */
    static final long CPU_PERIOD_US = 100_000;
    private static final BigDecimal MAX_CPUS = BigDecimal.valueOf(64), MIN_CPUS = new BigDecimal("0.01");

    /** Whether any limit was asked for (a cgroup of the guest's own is made then). */
    boolean any() {
        return cpuQuotaUs != Cgroup.MAX || memoryMax != Cgroup.MAX || pidsMax != Cgroup.MAX;
    }

    /** The limits of the options' values (each null when not given). */
    static Limits of(String cpus, String memory, Long pidsLimit) {
        int vcpus = 0;
        long quota = Cgroup.MAX;
        if (cpus != null) {
            BigDecimal n;
            try {
                n = new BigDecimal(cpus);
            } catch (NumberFormatException e) {
                throw new RunCommand.UsageError("--cpus " + cpus + ": give a number of CPUs, 0.01 to 64", true);
            }
            if (n.compareTo(MIN_CPUS) < 0 || n.compareTo(MAX_CPUS) > 0) {
                throw new RunCommand.UsageError("--cpus " + cpus + ": give a number of CPUs, 0.01 to 64", true);
            }
            vcpus = n.setScale(0, java.math.RoundingMode.CEILING).intValueExact();
            if (n.stripTrailingZeros().scale() > 0) { // a fraction: the quota says how much of the last one
                quota = n.multiply(BigDecimal.valueOf(CPU_PERIOD_US)).setScale(0, java.math.RoundingMode.HALF_UP)
                        .longValueExact();
            }
        }
        long mem = memory == null ? Cgroup.MAX : bytes(memory);
        if (pidsLimit != null && pidsLimit < 1) {
            throw new RunCommand.UsageError("--pids-limit " + pidsLimit + ": give at least 1", true);
        }
        return new Limits(vcpus, quota, mem, pidsLimit == null ? Cgroup.MAX : pidsLimit);
    }

    /** "64m", "1g", "4096", "512k" (case ignored, an optional trailing "b") in bytes; at least one page. */
    private static long bytes(String v) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,18})([kKmMgG]?)[bB]?").matcher(v);
        if (!m.matches()) {
            throw new RunCommand.UsageError("--memory " + v + ": give bytes, or a number with k, m or g", true);
        }
        long n = Long.parseLong(m.group(1));
        int shift = switch (m.group(2).toLowerCase(java.util.Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        if (n > (Long.MAX_VALUE >> shift) - 1 || (n << shift) < 4096) {
            throw new RunCommand.UsageError("--memory " + v + ": give 4k or more", true);
        }
        return n << shift;
    }
}
