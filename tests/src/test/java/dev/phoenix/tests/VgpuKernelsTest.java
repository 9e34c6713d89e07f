package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The compute kernels of issue 19's acceptance on /dev/vgpu0 with Phoenix's executor, each guest
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

    private static Result run(Target t, String name) throws Exception {
        return Guests.phoenix(Guests.runArgs(Guests.binary(t, name), List.of()));
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void reductionWithSharedMemoryPassesAndAtomics(Target t) throws Exception {
        assertEquals(new Result(0, REDUCE, ""), run(t, "vgpu_reduce"));
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void histogramWithSharedAndBufferAtomics(Target t) throws Exception {
        assertEquals(new Result(0, HISTOGRAM, ""), run(t, "vgpu_histogram"));
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void tiledSgemm256(Target t) throws Exception {
        assertEquals(new Result(0, SGEMM, ""), run(t, "vgpu_sgemm"));
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void exclusivePrefixSum(Target t) throws Exception {
        assertEquals(new Result(0, SCAN, ""), run(t, "vgpu_scan"));
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void producerAndConsumerOnTwoRingsThroughPollAndRead(Target t) throws Exception {
        assertEquals(new Result(0, RINGS, ""), run(t, "vgpu_rings"));
    }
}
