package dev.phoenix.tests;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * NUMA memory policy on a machine of one node (tests/guest/numa.c): get_mempolicy, set_mempolicy
 * and mbind, results and errors as Linux 6.x gives them on a single-node machine (the text is the
 * native run's; on x86_64 it is checked against a native run again).
 */
class NumaTest {
    private static final String NUMA = """
            get_mempolicy: 0
            mode 0 mask 0 0
            get_mempolicy mems allowed: 0
            mode 0 mask 1
            get_mempolicy no mask: 0
            get_mempolicy maxnode 0: -1 EINVAL
            get_mempolicy bad flags: -1 EINVAL
            get_mempolicy addr without MPOL_F_ADDR: -1 EINVAL
            get_mempolicy node of an address: 0
            node 0
            get_mempolicy unmapped address: -1 EFAULT
            get_mempolicy MPOL_F_NODE without interleave: -1 EINVAL
            get_mempolicy bad mode pointer: -1 EFAULT
            set_mempolicy bind node 0: 0
            get_mempolicy: 0
            mode 2 mask 1
            set_mempolicy bind node 1: -1 EINVAL
            set_mempolicy bind no nodes: -1 EINVAL
            set_mempolicy default with nodes: -1 EINVAL
            set_mempolicy bad mode: -1 EINVAL
            set_mempolicy interleave: 0
            get_mempolicy next interleave node: 0
            node 0
            set_mempolicy local: 0
            get_mempolicy: 0
            mode 4
            set_mempolicy default: 0
            mbind preferred node 0: 0
            mbind unaligned: -1 EINVAL
            mbind default over a hole: 0
            mbind bind over a hole: -1 EFAULT
            mbind default starting in the hole: 0
            mbind default all hole: -1 EFAULT
            mbind node 1: -1 EINVAL
            mbind bad flags: -1 EINVAL
            """;

    @ParameterizedTest
    @EnumSource(Target.class)
    void oneNodeMemoryPolicyAsLinuxAnswersIt(Target t) throws Exception {
        Guests.runsAsExpected(t, "numa", new Result(0, NUMA, ""));
    }
}
