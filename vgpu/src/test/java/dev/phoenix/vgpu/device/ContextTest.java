package dev.phoenix.vgpu.device;

import dev.phoenix.vgpu.Watchdog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.libos.Errno;
import dev.phoenix.libos.Clock;
import dev.phoenix.libos.fs.FileStatus;
import dev.phoenix.libos.fs.PollEvents;
import dev.phoenix.vgpu.DispatchCancelledException;
import dev.phoenix.vgpu.Executor;
import dev.phoenix.vgpu.Kernel;
import dev.phoenix.vgpu.ShaderException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * The device without a guest: buffers, ring records, fences in order, failed jobs, the job
 * timeout, isolation of contexts, buffers bound in each context's aperture, and that closing lets
 * every frame go. The executor is a test
 * one: module word 0 = 1 adds 1 to every int of binding 0, = 2 loops until cancelled.
 */
class ContextTest {
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    /** The test executor: two "shaders" chosen by the module's first word. */
    static final class TestExecutor implements Executor {
        @Override
        public String name() {
            return "test";
        }

        @Override
        public Kernel compile(byte[] spirv, String entry) throws ShaderException {
            int kind = spirv.length >= 4 ? ByteBuffer.wrap(spirv).order(ByteOrder.LITTLE_ENDIAN).getInt(0) : 0;
            if (kind != 1 && kind != 2) {
                throw new ShaderException("not a test module");
            }
            return new Kernel() {
                @Override
                public int[] localSize() {
                    return new int[] {1, 1, 1};
                }

                @Override
                public int bindingCount() {
                    return 1;
                }

                @Override
                public int pushConstantBytes() {
                    return 4;
                }

                @Override
                public void dispatch(int gx, int gy, int gz, MemorySegment[] buffers, byte[] push,
                        Watchdog cancelled) throws DispatchCancelledException {
                    if (kind == 2) {
                        while (!cancelled.expired()) {
                            Thread.onSpinWait();
                        }
                        throw new DispatchCancelledException();
                    }
                    for (long o = 0; o + 4 <= buffers[0].byteSize(); o += 4) {
                        buffers[0].set(INT, o, buffers[0].get(INT, o) + 1);
                    }
                }

                @Override
                public void close() {}
            };
        }

        @Override
        public void close() {}
    }

    private final VgpuDevice device = new VgpuDevice("test", TestExecutor::new, Clock.HOST);

    private Context open() {
        return (Context) device.open(new FileStatus(5, 30, FileStatus.S_IFCHR | 0666, 1, 0, 0, 0, 0, 4096, 0, 0, 0, 0));
    }

    /** A record of {@code type} with ints from byte 4 on. */
    private static ByteBuffer record(int type) {
        return ByteBuffer.allocate(Uapi.CMD_SIZE).order(ByteOrder.LITTLE_ENDIAN).putInt(0, type);
    }

    private static void put(Ring r, int slot, ByteBuffer rec) {
        MemorySegment.copy(MemorySegment.ofArray(rec.array()), 0, r.storage.frames.segment(),
                (long) slot * Uapi.CMD_SIZE, Uapi.CMD_SIZE);
    }

    private static ByteBuffer fill(int buffer, long offset, long size, int value) {
        ByteBuffer r = record(Uapi.CMD_FILL);
        return r.putInt(4, buffer).putLong(8, offset).putLong(16, size).putInt(24, value);
    }

    private static ByteBuffer copy(int src, long srcOff, int dst, long dstOff, long size) {
        ByteBuffer r = record(Uapi.CMD_COPY);
        return r.putInt(4, src).putInt(8, dst).putLong(16, srcOff).putLong(24, dstOff).putLong(32, size);
    }

    private static ByteBuffer dispatch(int shader, int buffer) {
        ByteBuffer r = record(Uapi.CMD_DISPATCH);
        return r.putInt(4, shader).putInt(8, 1).putInt(12, 1).putInt(16, 1).putInt(20, 1).putInt(24, buffer);
    }

    private static int status(Context c, long fence) throws InterruptedException {
        c.awaitIdle();
        Ring r = c.fenceRing(fence);
        assertTrue(c.completed(r, fence));
        return c.fenceStatus(r, fence);
    }

    @Test
    void fillAndCopyRunInOrderAndSignalTheirFences() throws Exception {
        Context c = open();
        BufferObject a = c.createBuffer(4096), b = c.createBuffer(100);
        Ring r = c.createRing(4);
        assertEquals(0, c.pollEvents());
        put(r, 0, fill(a.handle, 0, 64, 0x01020304));
        put(r, 1, record(Uapi.CMD_BARRIER));
        put(r, 2, copy(a.handle, 8, b.handle, 4, 16));
        long f1 = c.doorbell(r.handle, 3);
        assertEquals(0, status(c, f1));
        assertEquals(0x01020304, b.bytes().get(INT, 4));
        assertEquals(0x01020304, b.bytes().get(INT, 16));
        assertEquals(0, b.bytes().get(INT, 20));
        assertEquals(PollEvents.POLLIN | PollEvents.POLLRDNORM, c.pollEvents());
        byte[] ev = new byte[16];
        assertEquals(8, c.read(ev, 0, 16));
        assertEquals(f1, ByteBuffer.wrap(ev).order(ByteOrder.LITTLE_ENDIAN).getLong(0));
        assertEquals(0, c.pollEvents());
        // wraps around the ring's four slots
        put(r, 3, fill(b.handle, 0, 100, 7));
        put(r, 0, record(Uapi.CMD_SIGNAL_FENCE).putInt(4, a.handle).putLong(8, 4088).putLong(16, 42));
        long f2 = c.doorbell(r.handle, 5);
        assertEquals(f1 + 1, f2);
        assertEquals(0, status(c, f2));
        assertEquals(7, b.bytes().get(INT, 96));
        assertEquals(42, a.bytes().get(ValueLayout.JAVA_LONG_UNALIGNED, 4088));
        c.release();
        c.awaitWorkerEnd();
        assertEquals(0, device.livePages());
    }

    @Test
    void aMalformedRecordFailsItsJobOnlyAndABadTailIsRefused() throws Exception {
        Context c = open();
        BufferObject a = c.createBuffer(64);
        Ring r = c.createRing(8);
        put(r, 0, fill(a.handle, 0, 68, 1)); // past the end
        put(r, 1, fill(a.handle, 0, 4, 9));
        long f1 = c.doorbell(r.handle, 2);
        put(r, 2, record(99));
        long f2 = c.doorbell(r.handle, 3);
        put(r, 3, fill(a.handle + 100, 0, 4, 1)); // no such buffer
        long f3 = c.doorbell(r.handle, 4);
        ByteBuffer junk = fill(a.handle, 0, 4, 1);
        junk.put(200, (byte) 1); // past the struct: must be zero
        put(r, 4, junk);
        long f4 = c.doorbell(r.handle, 5);
        put(r, 5, fill(a.handle, 0, 4, 5));
        long f5 = c.doorbell(r.handle, 6);
        assertEquals(-Errno.EINVAL, status(c, f1));
        assertEquals(-Errno.EINVAL, status(c, f2));
        assertEquals(-Errno.ENOENT, status(c, f3));
        assertEquals(-Errno.EINVAL, status(c, f4));
        assertEquals(0, status(c, f5));
        assertEquals(5, a.bytes().get(INT, 0)); // the failed job's second fill never ran
        assertEquals(Errno.EINVAL, assertThrows(Errno.class, () -> c.doorbell(r.handle, 5)).errno());
        assertEquals(Errno.EINVAL, assertThrows(Errno.class, () -> c.doorbell(r.handle, 6 + 9)).errno());
        assertEquals(Errno.ENOENT, assertThrows(Errno.class, () -> c.doorbell(r.handle + 1, 7)).errno());
        c.release();
        c.awaitWorkerEnd();
        assertEquals(0, device.livePages());
    }

    @Test
    void aShaderThatNeverEndsIsStoppedAndTheNextJobRuns() throws Exception {
        Context c = open();
        c.setJobTimeout(50_000_000L);
        BufferObject a = c.createBuffer(16);
        byte[] loop = {2, 0, 0, 0}, add = {1, 0, 0, 0};
        ShaderObject spin = c.createShader(loop, "main", new StringBuilder());
        ShaderObject inc = c.createShader(add, "main", new StringBuilder());
        StringBuilder why = new StringBuilder();
        assertEquals(Errno.EINVAL, assertThrows(Errno.class, () -> c.createShader(new byte[4], "main", why)).errno());
        assertEquals("not a test module", why.toString());
        Ring r = c.createRing(4);
        put(r, 0, dispatch(spin.handle, a.handle));
        long f1 = c.doorbell(r.handle, 1);
        put(r, 1, dispatch(inc.handle, a.handle));
        long f2 = c.doorbell(r.handle, 2);
        c.destroyShader(inc.handle); // the queued job still holds it
        assertEquals(-Errno.EIO, status(c, f1));
        assertEquals(0, status(c, f2));
        assertEquals(1, a.bytes().get(INT, 12));
        // a destroyed buffer named in a dispatch fails that job
        c.destroyBuffer(a.handle);
        put(r, 2, dispatch(spin.handle, a.handle));
        assertEquals(-Errno.ENOENT, status(c, c.doorbell(r.handle, 3)));
        c.release();
        c.awaitWorkerEnd();
        assertEquals(0, device.livePages());
        assertEquals(0, device.liveContexts());
    }

    @Test
    void contextsAreIsolatedAndMappingsOutliveTheirBuffers() throws Exception {
        Context c1 = open(), c2 = open();
        BufferObject a = c1.createBuffer(5000);
        assertEquals(Errno.ENOENT, assertThrows(Errno.class, () -> c2.destroyBuffer(a.handle)).errno());
        assertEquals(Errno.EINVAL, assertThrows(Errno.class, () -> c2.deviceFrames(a.mapOffset, 4096)).errno());
        var frames = c1.deviceFrames(a.mapOffset, 8192); // held for the caller, as a mapping holds them
        assertEquals(Errno.EINVAL, assertThrows(Errno.class, () -> c1.deviceFrames(a.mapOffset, 8193)).errno());
        assertEquals(Errno.EINVAL, assertThrows(Errno.class, () -> c1.deviceFrames(a.mapOffset + 4096, 4096)).errno());
        c1.destroyBuffer(a.handle);
        assertEquals(Errno.ENOENT, assertThrows(Errno.class, () -> c1.destroyBuffer(a.handle)).errno());
        assertEquals(2, device.livePages());
        frames.release(); // munmap
        assertEquals(0, device.livePages());
        assertEquals(Errno.EINVAL, assertThrows(Errno.class, () -> c1.createBuffer(0)).errno());
        c1.release();
        c2.release();
        assertEquals(0, device.liveContexts());
    }

    @Test
    void buffersAreBoundInTheirContextsApertureAndJobsHoldTheirBlocks() throws Exception {
        Context c1 = open(), c2 = open();
        c1.setJobTimeout(100_000_000L);
        BufferObject a = c1.createBuffer(5000), b = c1.createBuffer(100);
        assertEquals(Uapi.APERTURE_BASE, a.deviceAddress);
        assertEquals(Uapi.APERTURE_BASE + 3 * 4096, b.deviceAddress); // a's 2 pages, a guard page
        assertEquals(2, c1.aperture().boundBlocks());
        assertEquals(3, c1.aperture().boundPages());
        a.bytes().set(INT, 0, 11);
        assertEquals(11, c1.aperture().resolve(a.deviceAddress, 4).get(INT, 0));
        // another context's first buffer has the same address, and it is its own memory
        BufferObject other = c2.createBuffer(64);
        assertEquals(a.deviceAddress, other.deviceAddress);
        assertEquals(0, c2.aperture().resolve(a.deviceAddress, 4).get(INT, 0));
        assertNull(c2.aperture().resolve(b.deviceAddress, 4));
        // a running job keeps its block's memory after the buffer is destroyed
        ShaderObject spin = c1.createShader(new byte[] {2, 0, 0, 0}, "main", new StringBuilder());
        Ring r = c1.createRing(2);
        long pages = device.livePages();
        put(r, 0, dispatch(spin.handle, a.handle));
        long f = c1.doorbell(r.handle, 1);
        c1.destroyBuffer(a.handle);
        assertEquals(1, c1.aperture().boundBlocks());
        assertNull(c1.aperture().resolve(a.deviceAddress, 4));
        assertEquals(pages, device.livePages());
        assertEquals(-Errno.EIO, status(c1, f)); // the spin, stopped by the job timeout
        assertEquals(pages - 2, device.livePages());
        // the range is reused by a later buffer
        BufferObject d = c1.createBuffer(8192);
        assertEquals(a.deviceAddress, d.deviceAddress);
        c1.release();
        c1.awaitWorkerEnd();
        assertEquals(0, c1.aperture().boundBlocks());
        c2.release();
        assertEquals(0, c2.aperture().boundPages());
        assertEquals(0, device.livePages());
    }
}
