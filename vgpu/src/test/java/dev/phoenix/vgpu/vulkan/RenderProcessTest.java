package dev.phoenix.vgpu.vulkan;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.libos.cap.FrameAllocator;
import dev.phoenix.libos.cap.Frames;
import dev.phoenix.vgpu.DispatchCancelledException;
import dev.phoenix.vgpu.Kernel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Vulkan passthrough through its render server ({@link RenderProcess}): SAXPY on memfd frames
 * the server maps; a shader that never ends stopped by killing the server, with nothing of it left
 * and the next dispatch on a new one; a server that dies between jobs replaced; memory that is not
 * the device's refused; no process left after close.
 */
class RenderProcessTest {
    private static final int N = 100_000;

    private static List<ProcessHandle> servers() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(RenderServer.class.getName())).orElse(false))
                .toList();
    }

    private static byte[] push(float a, int n) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(a).putInt(n).array();
    }

    /** Runs y = 2x + y over fresh frames and returns how many results differ from C's. */
    private static int saxpy(FrameAllocator frames, Kernel k) throws DispatchCancelledException {
        Frames x = frames.allocate(4L * N), y = frames.allocate(4L * N);
        try {
            MemorySegment xs = x.segment().asSlice(0, 4L * N), ys = y.segment().asSlice(0, 4L * N);
            for (int i = 0; i < N; i++) {
                xs.setAtIndex(JAVA_FLOAT, i, i);
                ys.setAtIndex(JAVA_FLOAT, i, 1);
            }
            k.dispatch((N + 63) / 64, 1, 1, new MemorySegment[] {xs, ys}, push(2, N), () -> false);
            int bad = 0;
            for (int i = 0; i < N; i++) {
                if (ys.getAtIndex(JAVA_FLOAT, i) != 2f * i + 1) bad++;
            }
            return bad;
        } finally {
            x.release();
            y.release();
        }
    }

    @Test
    void runsOnSharedFramesSurvivesARunawayAndADeadServerAndLeavesNoProcess() throws Exception {
        FrameAllocator frames = FrameAllocator.shared(1 << 16);
        RenderProcess vulkan = RenderProcess.open(frames);
        try (Kernel k = vulkan.compile(Glslc.compile("saxpy"), "main");
             Kernel spin = vulkan.compile(Glslc.compile("spin"), "main")) {
            assertEquals(64, k.localSize()[0]);
            assertEquals(0, saxpy(frames, k));
            assertEquals(1, servers().size());

            Frames flag = frames.allocate(8);
            long begin = System.nanoTime();
            assertThrows(DispatchCancelledException.class, () -> spin.dispatch(65535, 65535, 1,
                    new MemorySegment[] {flag.segment().asSlice(0, 8)}, null, () -> System.nanoTime() - begin > 200_000_000L));
            assertEquals(List.of(), servers(), "the runaway's server is gone");
            long counted = flag.segment().get(java.lang.foreign.ValueLayout.JAVA_INT, 4);
            Thread.sleep(50);
            assertEquals(counted, flag.segment().get(java.lang.foreign.ValueLayout.JAVA_INT, 4), "nothing writes after the kill");
            flag.release();

            assertEquals(0, saxpy(frames, k), "the next dispatch runs on a new server");
            servers().forEach(ProcessHandle::destroyForcibly);  // a driver's crash between jobs
            while (!servers().isEmpty()) Thread.sleep(5);
            assertEquals(0, saxpy(frames, k), "a dead server is replaced");

            try (Arena arena = Arena.ofConfined()) {
                MemorySegment heap = arena.allocate(4L * N);
                assertThrows(IllegalArgumentException.class,
                        () -> k.dispatch(1, 1, 1, new MemorySegment[] {heap, heap}, push(1, N), () -> false));
            }
        } finally {
            vulkan.close();
        }
        assertEquals(List.of(), servers());
        assertEquals(0, frames.allocatedPages());
        assertTrue(vulkan.deviceName().length() > 0);
    }
}
