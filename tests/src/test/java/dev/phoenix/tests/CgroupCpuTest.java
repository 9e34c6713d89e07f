package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The cgroup cpu controller in the scheduler (cgcpu.c): cpu.max throttles a CPU-bound child
 * and cpu.stat counts the periods and the throttling; cpu.weight.nice goes through the nice
 * table. As {@link CgroupTest}, the expected text follows the kernel documentation
 * (Documentation/scheduler/sched-bwc.rst, cgroup-v2.rst) rather than a native run: this host has
 * no cgroup v2 cpu controller. The weights' shares are checked by sched-rt's FairnessTest on the
 * deterministic harness, not here, where they would depend on the host's load.
 */
class CgroupCpuTest {
    private static final String CPU = """
            mkdir: ok
            enable cpu: ok
            cpu.max: ok
            /sys/fs/cgroup/c/cpu.max: 10000 100000
            child exited 0
            usage_usec >= 50000: yes
            nr_periods > 1: yes
            nr_throttled > 0: yes
            throttled_usec > 0: yes
            cpu.weight.nice -5: ok
            /sys/fs/cgroup/c/cpu.weight: 305
            /sys/fs/cgroup/c/cpu.weight.nice: -5
            cpu.weight.nice 20: ERANGE
            rmdir: ok
            disable cpu: ok
            """;

    @ParameterizedTest
    @EnumSource(Target.class)
    void cpuMaxThrottlesACpuBoundChildAndCpuStatCountsIt(Target t) {
        assertEquals(new Result(0, CPU, ""), Guests.phoenix(Guests.runArgs(Guests.binary(t, "cgcpu"), List.of())));
    }
}
