package dev.phoenix.vgpu.device;

/**
 * The numbers of vgpu/guest/include/vgpu_uapi.h: ioctl requests, limits, record types and the
 * byte offsets of the structs' fields (the same on x86_64, aarch64 and riscv64: fixed-width,
 * naturally aligned fields). The header is the reference; this class follows it.
 */
final class Uapi {
    private Uapi() {}

    /** asm-generic/ioctl.h's _IOWR(type, nr, size): both directions, the size in bits 16-29. */
    private static int iowr(int nr, int size) {
        return (3 << 30) | (size << 16) | ('V' << 8) | nr;
    }

    static final int VERSION = 2;
    static final int MAX_BINDINGS = 8, MAX_PUSH = 128, CMD_SIZE = 256, EVENT_QUEUE = 1024;
    static final int MAX_GROUPS = 65535, MAX_RING_SLOTS = 4096, MAX_RINGS = 64, MAX_BUFFERS = 4096,
            MAX_SHADERS = 1024;
    static final long MAX_BUFFER_SIZE = 1L << 30;
    static final long MAX_SPIRV = 16 << 20;
    static final long DEFAULT_JOB_TIMEOUT_NS = 2_000_000_000L, MIN_JOB_TIMEOUT_NS = 1_000_000L,
            MAX_JOB_TIMEOUT_NS = 60_000_000_000L;

    static final int QUERY = iowr(0x00, 96), BUFFER_CREATE = iowr(0x01, 32), BUFFER_DESTROY = iowr(0x02, 8),
            SHADER_CREATE = iowr(0x03, 64), SHADER_DESTROY = iowr(0x04, 8), RING_CREATE = iowr(0x05, 16),
            RING_DESTROY = iowr(0x06, 8), DOORBELL = iowr(0x07, 16), WAIT = iowr(0x08, 24),
            SET_TIMEOUT = iowr(0x09, 8);
    /**
     * Version 1's requests, whose structs were shorter (no aperture fields in vgpu_query, no
     * device_address in vgpu_buffer_create): still served, with the fields they lack left out.
     */
    static final int QUERY_V1 = iowr(0x00, 64), BUFFER_CREATE_V1 = iowr(0x01, 24);

    /**
     * Each context's aperture (its device address space): 1 TiB from 4 GiB, so 0 and any small
     * integer (a handle, an offset) are never device addresses and an address cut to 32 bits
     * names nothing. It is bookkeeping only: the window reserves no host memory.
     */
    static final long APERTURE_BASE = 1L << 32, APERTURE_SIZE = 1L << 40;

    static final int CMD_DISPATCH = 1, CMD_COPY = 2, CMD_FILL = 3, CMD_BARRIER = 4, CMD_SIGNAL_FENCE = 5;

    /** Where the fields of struct vgpu_cmd_dispatch sit. */
    static final int D_SHADER = 4, D_GROUPS = 8, D_BINDING_COUNT = 20, D_BINDINGS = 24, D_PUSH_SIZE = 56, D_PAD = 60,
            D_PUSH = 64, D_END = 192;

    /** The fence of job {@code seq} of ring {@code ring}. */
    static long fence(int ring, long seq) {
        return ((long) ring << 48) | seq;
    }
}
