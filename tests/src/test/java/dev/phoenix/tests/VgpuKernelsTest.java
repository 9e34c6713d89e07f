package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The compute kernels of issue 19's acceptance on /dev/vgpu0 on both executors (Phoenix's and the Vulkan passthrough), each guest
 * (vgpu/guest/tests/vgpu_NAME.c) checking every result against the same computation in C: a
 * reduction with shared memory, barriers, passes and atomics; a histogram with atomics on shared
 * memory and on a buffer; SGEMM 256x256x256 within a float tolerance; an exclusive prefix sum
 * (Blelloch per workgroup and a block-sums pass); and a producer and a consumer on two rings,
 * ordered by the producer's fence as poll(2) and read(2) of the device report it.
 */
class VgpuKernelsTest {
    private static final String REDUCE = """
            open ok
            job timeout ok
            reduce shader ok
            pass 1 ok
            pass 2 ok
            pass 3 ok
            workgroup sums mismatches 0 of 4096
            sum by passes matches C: 1
            sum by atomics in pass 1 matches C: 1
            sum by atomics in pass 2 matches C: 1
            sum by atomics in pass 3 matches C: 1
            """;

    private static final String HISTOGRAM = """
            open ok
            job timeout ok
            histogram shader ok
            dispatch ok
            wait ok
            shared-memory bins mismatches 0
            buffer-atomic bins mismatches 0
            counted every value: 1
            """;

    private static final String SGEMM = """
            open ok
            job timeout ok
            sgemm shader ok
            dispatch ok
            wait ok
            sgemm mismatches 0 of 65536
            """;

    private static final String SCAN = """
            open ok
            job timeout ok
            scan shader ok
            scan_add shader ok
            block scans ok
            block-sums scan ok
            add pass ok
            prefix sum mismatches 0 of 200000
            total matches C: 1
            """;

    private static final String RINGS = """
            open ok
            ring A ok
            ring B ok
            two rings: 1
            produce shader ok
            consume shader ok
            buffers ok
            poll before any job: 0
            submit errors 0, fence errors 0, polls without an event 0
            completed fences read 16, out of order 0
            ring A fences 8, ring B fences 8
            poll after reading them all: 0
            read with none queued: EAGAIN
            consumer results mismatches 0
            """;

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.phoenix.tests.VgpuGuests#targetsAndExecutors")
    void reductionWithSharedMemoryPassesAndAtomics(Target t, VgpuGuests.Executor e) throws Exception {
        assertEquals(new Result(0, REDUCE, ""), VgpuGuests.run(t, e, "vgpu_reduce"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.phoenix.tests.VgpuGuests#targetsAndExecutors")
    void histogramWithSharedAndBufferAtomics(Target t, VgpuGuests.Executor e) throws Exception {
        assertEquals(new Result(0, HISTOGRAM, ""), VgpuGuests.run(t, e, "vgpu_histogram"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.phoenix.tests.VgpuGuests#targetsAndExecutors")
    void tiledSgemm256(Target t, VgpuGuests.Executor e) throws Exception {
        assertEquals(new Result(0, SGEMM, ""), VgpuGuests.run(t, e, "vgpu_sgemm"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.phoenix.tests.VgpuGuests#targetsAndExecutors")
    void exclusivePrefixSum(Target t, VgpuGuests.Executor e) throws Exception {
        assertEquals(new Result(0, SCAN, ""), VgpuGuests.run(t, e, "vgpu_scan"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.phoenix.tests.VgpuGuests#targetsAndExecutors")
    void producerAndConsumerOnTwoRingsThroughPollAndRead(Target t, VgpuGuests.Executor e) throws Exception {
        assertEquals(new Result(0, RINGS, ""), VgpuGuests.run(t, e, "vgpu_rings"));
    }
}
