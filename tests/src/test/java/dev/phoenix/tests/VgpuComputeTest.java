package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Compute shaders on /dev/vgpu0 with Phoenix's executor (vgpu/guest/tests/vgpu_saxpy.c): SAXPY
 * against C, a module that is not SPIR-V and a missing entry point refused with a reason, a
 * shader that never ends stopped at the job timeout (EIO) with the device still working after.
 */
class VgpuComputeTest {
    private static final String SAXPY = """
            open ok
            saxpy shader ok
            saxpy mismatches 0
            not SPIR-V: EINVAL, with a reason: 1
            no such entry point: EINVAL
            job timeout 0
            spin shader ok
            dispatch ok
            a short wait: ETIMEDOUT
            the lost job: EIO
            after it, saxpy mismatches 0
            """;

    @ParameterizedTest
    @EnumSource(Target.class)
    void saxpyBadModulesAndARunawayShader(Target t) throws Exception {
        assertEquals(new Result(0, SAXPY, ""), Guests.phoenix(Guests.runArgs(Guests.binary(t, "vgpu_saxpy"), List.of())));
    }
}
