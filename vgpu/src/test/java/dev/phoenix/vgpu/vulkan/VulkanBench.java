package dev.phoenix.vgpu.vulkan;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import dev.phoenix.vgpu.Kernel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The native side of the vGPU benchmarks (benchmarks/vgpu.sh): SAXPY of 16M floats and SGEMM
 * 1024x1024x1024 through {@link VulkanExecutor} on the host's device (lavapipe natively), the
 * same SPIR-V the guests dispatch. Prints the best of a few runs; a harness, not a test.
 */
public final class VulkanBench {
    private VulkanBench() { }

    public static void main(String[] args) throws Exception {
        boolean share = args.length > 0 && args[0].equals("--import");
        int runs = 3;
        try (VulkanExecutor vk = VulkanExecutor.open(share); Arena arena = Arena.ofShared()) {
            System.out.println("device: " + vk.deviceName() + (share ? " (guest memory imported)" : " (guest memory copied)"));
            int n = 16 << 20;
            MemorySegment x = arena.allocate(4L * n, 4096), y = arena.allocate(4L * n, 4096);
            for (int i = 0; i < n; i++) { x.setAtIndex(JAVA_FLOAT, i, i); y.setAtIndex(JAVA_FLOAT, i, 1); }
            try (Kernel k = vk.compile(Glslc.compile("saxpy"), "main")) {
                byte[] push = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(2f).putInt(n).array();
                report("saxpy 16M", runs, () -> k.dispatch(4096, n / 64 / 4096, 1, new MemorySegment[] {x, y}, push, () -> false));
            }
            int m = 1024;
            MemorySegment a = arena.allocate(4L * m * m, 4096), b = arena.allocate(4L * m * m, 4096), c = arena.allocate(4L * m * m, 4096);
            for (int i = 0; i < m * m; i++) { a.setAtIndex(JAVA_FLOAT, i, (i % 7) * 0.25f); b.setAtIndex(JAVA_FLOAT, i, (i % 5) * 0.5f); }
            try (Kernel k = vk.compile(Glslc.compile("sgemm"), "main")) {
                byte[] push = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(m).putInt(m).putInt(m).array();
                report("sgemm 1024^3", runs, () -> k.dispatch(m / 16, m / 16, 1, new MemorySegment[] {a, b, c}, push, () -> false));
            }
        }
    }

    private interface Run {
        void run() throws Exception;
    }

    private static void report(String what, int runs, Run r) throws Exception {
        r.run();  // warm-up: pipeline compilation in the driver, staging buffers
        long best = Long.MAX_VALUE;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            r.run();
            best = Math.min(best, System.nanoTime() - t0);
        }
        System.out.printf("%-14s best of %d: %.2f ms%n", what, runs, best / 1e6);
    }
}
