package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * /dev/vgpu0 (vgpu/guest/tests/*.c, linked with libvgpu): the device node and /proc/devices,
 * buffers mapped without copies, copy, fill and signal-fence records, fences in order, poll and
 * read of fence events, the device's errors (bad handles, a malformed record, a destroyed
 * buffer, bad pointers and maps) and contexts across fork. The host has no /dev/vgpu0, so the
 * text is what the device's interface (vgpu_uapi.h) promises, checked on all four targets.
 */
class VgpuTest {
    private static final String BASIC = """
            chr 1 major 240
            /proc/devices lists vgpu: 1
            open ok
            query ok version 2 bindings 8 push 128
            create ok
            create ok
            zero-filled 1 size 10000
            copy ok
            copy ok
            fences in order 1
            wait ok
            wait earlier ok
            copied 1 overlapping 1
            ring ok
            ring map ok
            poll idle 0
            doorbell ok
            poll 1 revents 0x1
            event 8 is the fence 1
            no more events: EAGAIN
            wait ok status 0
            filled 0xabcd signalled 77
            destroy bad handle: ENOENT
            doorbell of a bad record: ok
            its fence: EINVAL
            tail too far: EINVAL
            bad pointer: EFAULT
            unknown ioctl: ENOTTY
            zero size: EINVAL
            create ok
            private map: EINVAL
            map inside a buffer: EINVAL
            map past a buffer: EINVAL
            destroy ok
            mapping outlives its buffer: 1234
            doorbell naming a destroyed buffer: ok
            its fence: ENOENT
            wait on no ring: ENOENT
            wait on an unsubmitted fence: EINVAL
            child sees the parent's buffer: 1
            child on the parent's context: ring ok doorbell ok wait ok
            a second open cannot name the parent's buffer: ENOENT
            nor wait on its fence: ENOENT
            nor map it: EINVAL
            child exited 0; the parent sees its fill: 5 5
            reopen ok
            """;

    @ParameterizedTest
    @EnumSource(Target.class)
    void buffersRingsFencesAndErrorsWithoutShaders(Target t) throws Exception {
        assertEquals(new Result(0, BASIC, ""), Guests.phoenix(Guests.runArgs(Guests.binary(t, "vgpu_basic"), List.of())));
    }
}
