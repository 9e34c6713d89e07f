package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * cgroup v2 (Documentation/admin-guide/cgroup-v2.rst) at /sys/fs/cgroup: the files and their
 * rules (cgfiles.c), the pids controller (cgpids.c) and the memory controller's OOM kill
 * (cgmem.c, cgpopulate.c, cgtmpfs.c). The expected texts follow the kernel documentation and kernel/cgroup/*.c, not a
 * native run: this host mounts cgroup v1 controllers (its /sys/fs/cgroup is a tmpfs of v1
 * hierarchies; cgroup2 at /sys/fs/cgroup/unified has no controller), so the programs run under
 * Phoenix only. Phoenix has the cpu, memory and pids controllers, so the root's
 * cgroup.controllers is "cpu memory pids" where a distribution kernel lists more.
 */
class CgroupTest {
    /** Runs guest {@code name} under Phoenix and compares with {@code expected}. */
    private static void runsUnderPhoenix(Target t, String name, Result expected) {
        assertEquals(expected, Guests.phoenix(Guests.runArgs(Guests.binary(t, name), List.of())));
    }

    private static final String FILES = """
            statfs: CGROUP2_SUPER_MAGIC
            /proc/self/cgroup: 0::/
            /sys/fs/cgroup/cgroup.controllers: cpu memory pids
            mkdir /sys/fs/cgroup/t1: ok
            mkdir /sys/fs/cgroup/t1: EEXIST
            /sys/fs/cgroup/t1: cgroup.controllers cgroup.events cgroup.kill cgroup.max.depth cgroup.max.descendants cgroup.procs cgroup.stat cgroup.subtree_control cgroup.threads cgroup.type cpu.stat
            /sys/fs/cgroup/t1/cgroup.controllers:\s
            /sys/fs/cgroup/t1/cgroup.type: domain
            /sys/fs/cgroup/t1/cgroup.events: populated 0
            frozen 0
            write /sys/fs/cgroup/cgroup.subtree_control '+bogus': EINVAL
            write /sys/fs/cgroup/cgroup.subtree_control '+pids +memory +cpu': ok
            /sys/fs/cgroup/cgroup.subtree_control: cpu memory pids
            /sys/fs/cgroup/t1/cgroup.controllers: cpu memory pids
            /sys/fs/cgroup/t1: cgroup.controllers cgroup.events cgroup.kill cgroup.max.depth cgroup.max.descendants cgroup.procs cgroup.stat cgroup.subtree_control cgroup.threads cgroup.type cpu.max cpu.stat cpu.weight cpu.weight.nice memory.current memory.events memory.max memory.peak memory.stat pids.current pids.events pids.max pids.peak
            mkdir /sys/fs/cgroup/t1/sub: ok
            write /sys/fs/cgroup/t1/cgroup.subtree_control '+pids': ok
            write /sys/fs/cgroup/t1/sub/cgroup.subtree_control '+memory': ENOENT
            /sys/fs/cgroup/t1/sub/cgroup.controllers: pids
            write /sys/fs/cgroup/t1/cgroup.procs PID: EBUSY
            write /sys/fs/cgroup/t1/sub/cgroup.procs PID: ok
            /proc/self/cgroup: 0::/t1/sub
            sub's cgroup.procs is the caller: yes
            /sys/fs/cgroup/t1/cgroup.events: populated 1
            frozen 0
            /sys/fs/cgroup/t1/sub/pids.current: 1
            /sys/fs/cgroup/t1/cgroup.stat: nr_descendants 1
            nr_dying_descendants 0
            rmdir /sys/fs/cgroup/t1: EBUSY
            rmdir /sys/fs/cgroup/t1/sub: EBUSY
            write /sys/fs/cgroup/cgroup.subtree_control '-pids': EBUSY
            /proc/self/cgroup: 0::/t1/sub
            child exited 0
            /sys/fs/cgroup/t1/sub/pids.current: 1
            write /sys/fs/cgroup/t1/sub/cgroup.threads PID: ok
            write /sys/fs/cgroup/t1/cgroup.threads PID: EOPNOTSUPP
            write /sys/fs/cgroup/t1/cgroup.max.depth '0': ok
            mkdir /sys/fs/cgroup/t1/deep: EAGAIN
            write /sys/fs/cgroup/t1/cgroup.max.depth 'max': ok
            write /sys/fs/cgroup/t1/cpu.weight '0': ERANGE
            write /sys/fs/cgroup/t1/cpu.weight '200': ok
            /sys/fs/cgroup/t1/cpu.weight: 200
            write /sys/fs/cgroup/t1/cpu.max '50000 100000': ok
            /sys/fs/cgroup/t1/cpu.max: 50000 100000
            write /sys/fs/cgroup/t1/cpu.max 'max': ok
            /sys/fs/cgroup/t1/cpu.max: max 100000
            write /sys/fs/cgroup/t1/memory.max '16M': ok
            /sys/fs/cgroup/t1/memory.max: 16777216
            write /sys/fs/cgroup/t1/pids.max '-1': EINVAL
            /sys/fs/cgroup/t1/pids.max: max
            cpu.stat starts with usage_usec: yes
            write /sys/fs/cgroup/cgroup.procs '0': ok
            /proc/self/cgroup: 0::/
            /sys/fs/cgroup/t1/cgroup.events: populated 0
            frozen 0
            rmdir /sys/fs/cgroup/t1/sub: ok
            rmdir /sys/fs/cgroup/t1: ok
            stat t1: ENOENT
            write /sys/fs/cgroup/cgroup.subtree_control '-pids -memory -cpu': ok
            """;

    @ParameterizedTest
    @EnumSource(Target.class)
    void groupsFilesAndTheirRules(Target t) {
        runsUnderPhoenix(t, "cgfiles", new Result(0, FILES, ""));
    }

    private static final String PIDS = """
            mkdir: ok
            enable pids: ok
            move self: ok
            pids.max 2: ok
            /sys/fs/cgroup/p/pids.max: 2
            /sys/fs/cgroup/p/pids.current: 1
            first fork: ok
            /sys/fs/cgroup/p/pids.current: 2
            second fork: EAGAIN
            pthread_create: EAGAIN
            /sys/fs/cgroup/p/pids.events: max 2
            child killed by 9
            /sys/fs/cgroup/p/pids.current: 1
            fork after reaping: ok
            it exited 7
            /sys/fs/cgroup/p/pids.peak: 2
            pids.max max: ok
            pthread_create without a limit: ok
            move back: ok
            /sys/fs/cgroup/p/pids.current: 0
            rmdir: ok
            disable pids: ok
            """;

    @ParameterizedTest
    @EnumSource(Target.class)
    void pidsMaxRefusesForkAndThreadsWithEagain(Target t) {
        runsUnderPhoenix(t, "cgpids", new Result(0, PIDS, ""));
    }

    private static final String MEMORY = """
            mkdir: ok
            enable memory: ok
            memory.max 16M: ok
            child killed by 9
            memory.events: oom 1 oom_kill 1, max counted: yes
            memory.peak over 8M and at most 16M: yes
            memory.current after: 0
            populated: 0
            rmdir: ok
            disable memory: ok
            """;

    @ParameterizedTest
    @EnumSource(Target.class)
    void aMemoryHogOverMemoryMaxIsKilledAndCounted(Target t) {
        runsUnderPhoenix(t, "cgmem", new Result(0, MEMORY, ""));
    }

    private static final String POPULATE = """
            mkdir: ok
            enable memory: ok
            memory.max 16M: ok
            MAP_POPULATE 8M: the child read 8M (sum 0), memory.current at least that: yes
            MAP_POPULATE 8M: child exited 0
            MAP_POPULATE 8M: memory.events oom_kill 0
            MAP_POPULATE 64M: child killed by 9
            MAP_POPULATE 64M: memory.events oom_kill 1
            MADV_POPULATE_WRITE 64M: child killed by 9
            MADV_POPULATE_WRITE 64M: memory.events oom_kill 2
            memory.current after: 0
            rmdir: ok
            disable memory: ok
            """;

    /** cgpopulate.c: populated pages are charged as they are faulted in, reads after them or not. */
    @ParameterizedTest
    @EnumSource(Target.class)
    void populatingPastMemoryMaxIsKilledBeforeAnyStore(Target t) {
        runsUnderPhoenix(t, "cgpopulate", new Result(0, POPULATE, ""));
    }

    private static final String TMPFS = """
            mount tmpfs: ok
            mkdir: ok
            enable memory: ok
            memory.max 16M: ok
            child killed by 9
            memory.events: oom_kill 1, max counted: yes
            file between 8M and 16M: yes
            memory.current with the file: its size
            memory.stat shmem is the file: yes
            truncate to 4M: ok
            memory.current at most 4M: yes
            unlink: ok
            memory.current after unlink: 0
            a child wrote 2M: exited 0
            memory.current at least 2M: yes
            umount: ok
            memory.current after umount: 0
            rmdir: ok
            disable memory: ok
            """;

    /** cgtmpfs.c: tmpfs pages are charged to their writer's group, kill there, and go back at unlink. */
    @ParameterizedTest
    @EnumSource(Target.class)
    void tmpfsPagesAreChargedAndKillTheirWriterPastMemoryMax(Target t) {
        runsUnderPhoenix(t, "cgtmpfs", new Result(0, TMPFS, ""));
    }
}
