package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input to /dev/vgpu0 (vgpu/guest/tests/vgpu_bad.c), each a clear error with nothing else
 * disturbed: a Float16 shader refused with a reason that names the capability; reads and writes
 * outside a dispatch's buffers (robust access: reads give 0, writes are dropped, even within the
 * buffer's last page, and the next buffer is untouched); a destroyed buffer named by a dispatch
 * (the job fails whole with ENOENT); create/destroy/close cycles after which VGPU_IOCTL_QUERY's
 * live page count is back where it started (a mapping holds its pages past the close until
 * munmap); and a forked child with its own open naming the parent's handles and map offset.
 */
class VgpuBadInputTest {
    private static final String BAD = """
            open ok
            Float16 shader: EINVAL, the reason names Float16: 1
            robust shader ok
            shift 4: ok, out 0 0 0 0 1 1 1 1, written past the end 0, neighbours changed 0
            shift -4: ok, out 1 1 1 1 0 0 0 0, written past the end 0, neighbours changed 0
            shift 16777216: ok, out 0 0 0 0 0 0 0 0, written past the end 0, neighbours changed 0
            shift -16777216: ok, out 0 0 0 0 0 0 0 0, written past the end 0, neighbours changed 0
            destroy x: ok
            destroy x again: ENOENT
            dispatch naming it: ok
            its fence: ENOENT
            y changed 0
            a good dispatch after: ok, mismatches 0
            40 create/destroy/close cycles, failed 0
            live pages back to the start: 1
            a buffer of 2 pages: ok, live pages up by 2
            after its close, still mapped: up by 2, value kept 1
            after munmap: up by 0
            live contexts 1
            child: its own open ok, ring ok
            child: destroy the parent's buffer: ENOENT
            child: destroy the parent's shader: ENOENT
            child: map the parent's buffer: EINVAL
            child: dispatch with the parent's shader and buffers: ok, its fence: ENOENT
            child exited 0
            parent's buffers changed 0
            parent's dispatch after: ok, mismatches 0
            """;

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.phoenix.tests.VgpuGuests#targetsAndExecutors")
    void refusedCapabilityRobustAccessDestroyedBufferLeaksAndAnotherProcess(Target t, VgpuGuests.Executor e) throws Exception {
        assertEquals(new Result(0, BAD, ""), VgpuGuests.run(t, e, "vgpu_bad"));
    }
}
