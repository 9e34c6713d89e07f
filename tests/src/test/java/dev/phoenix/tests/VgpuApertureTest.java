package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The aperture of /dev/vgpu0 (vgpu/guest/tests/vgpu_aperture.c): each context's device address
 * space. Buffers at page-aligned, nonzero, distinct addresses with a guard page between
 * neighbours; a destroyed buffer's range reused; an offset that would be another buffer's address
 * refused; a job keeping its range while its buffer is destroyed and the range rebound; a second
 * open with its own aperture (the same first address, its own memory) that cannot name the
 * first's buffers; records naming a destroyed buffer failing with ENOENT; version 1's shorter
 * requests; the bound counts back to 0. Only relations are printed, never addresses.
 */
class VgpuApertureTest {
    private static final String APERTURE = """
            open ok
            query ok version 2, aperture aligned 1 nonzero 1, bound blocks 0 pages 0
            addresses: aligned 1 nonzero 1 distinct 1 in the aperture 1
            not overlapping, a guard page between neighbours: 1
            bound blocks 3 pages 6
            destroyed the second: bound blocks 2 pages 3
            create ok
            a later buffer reuses its range: 1
            copy into it: ok, copied 1
            ring ok
            two raw buffers: ok ok, in the aperture 1, the second above the first 1
            a copy from the first at the offset of the second's address: doorbell ok, its fence EINVAL
            just past the first's end: doorbell ok, its fence EINVAL
            a spin, then a fill of x queued behind it: ok ok
            destroy x: ok
            create y: ok, at x's address 1
            the spin: EIO
            the fill: ok
            x's memory (still mapped) was filled 1, y's untouched 1
            second open ok, ring ok
            its first buffer: ok, at the first context's first buffer's address 1
            a fill of it: ok ok; the first context's buffer there unchanged 1
            a copy naming the first context's buffer by handle: doorbell ok, its fence ENOENT
            destroy it by handle: ENOENT
            its query: bound blocks 1 pages 1, the same window 1
            the first context's buffers by handle after: destroy ok ok
            destroy a buffer: ok
            a copy naming it: doorbell ok, its fence ENOENT
            a dispatch naming it: doorbell ok, its fence ENOENT
            a version 1 buffer create: ok, mapped 1, bound 1
            a version 1 query: ok, version 2
            destroy it ok
            all destroyed: bound blocks 0 pages 0, live pages back 1
            """;

    @ParameterizedTest
    @EnumSource(Target.class)
    void buffersAreBoundInEachContextsOwnAperture(Target t) throws Exception {
        assertEquals(new Result(0, APERTURE, ""), Guests.phoenix(Guests.runArgs(Guests.binary(t, "vgpu_aperture"), List.of())));
    }
}
