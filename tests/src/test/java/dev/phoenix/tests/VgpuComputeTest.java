package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compute shaders on /dev/vgpu0 (vgpu/guest/tests/vgpu_saxpy.c) on both executors, Phoenix's and
 * the Vulkan passthrough, which the guest names from VGPU_IOCTL_QUERY: SAXPY against C, a module
 * that is not SPIR-V and a missing entry point refused with a reason, a shader that never ends
 * stopped at the job timeout (EIO; on Vulkan by killing the render server) with the device still
 * working after.
 */
class VgpuComputeTest {
    private static final String SAXPY = """
            open ok
            executor %s
            saxpy shader ok
            saxpy mismatches 0
            not SPIR-V: EINVAL, with a reason: 1
            no such entry point: EINVAL
            job timeout 0
            spin shader ok
            dispatch ok
            a short wait: ETIMEDOUT
            the lost job: EIO
            job timeout 0
            after it, saxpy mismatches 0
            """;

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.phoenix.tests.VgpuGuests#targetsAndExecutors")
    void saxpyBadModulesAndARunawayShader(Target t, VgpuGuests.Executor e) throws Exception {
        assertEquals(new Result(0, SAXPY.formatted(e.option()), ""), VgpuGuests.run(t, e, "vgpu_saxpy"));
    }
}
