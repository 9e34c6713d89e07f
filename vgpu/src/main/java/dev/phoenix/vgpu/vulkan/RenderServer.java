package dev.phoenix.vgpu.vulkan;

import dev.phoenix.vgpu.DispatchCancelledException;
import dev.phoenix.vgpu.Kernel;
import dev.phoenix.vgpu.ShaderException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * The process the Vulkan passthrough runs in (see {@link RenderProcess}), as Chrome's GPU process
 * and virglrenderer's render server run a host driver apart from what they serve: Phoenix can kill
 * it, which stops a shader that never ends, and a driver that crashes takes only this process down.
 *
 * <p>It reads requests from stdin and answers each on stdout, one at a time ({@link
 * RenderProtocol}). Guest buffers are memfds of Phoenix's process ({@code /proc/PARENT/fd/N}),
 * mapped here once per run of frames and kept until Phoenix says they are freed, so the device
 * works on the very pages the guest maps.
 */
public final class RenderServer {
    private final VulkanExecutor executor;
    private final long parent;
    private final Map<Integer, Kernel> kernels = new HashMap<>();
    /** Mapped runs of frames by their allocator id. */
    private final Map<Long, Mapped> mapped = new HashMap<>();

    private record Mapped(Arena arena, MemorySegment bytes) { }

    private RenderServer(VulkanExecutor executor, long parent) {
        this.executor = executor;
        this.parent = parent;
    }

    /** {@code RenderServer PARENT_PID}: serves Phoenix process PARENT_PID until stdin ends. */
    public static void main(String[] args) throws IOException {
        // stdout carries the protocol: anything a library prints goes to stderr instead.
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16));
        VulkanExecutor executor;
        try {
            executor = VulkanExecutor.open(true);  // import page-aligned guest memory: a kill stops every write to it
        } catch (VulkanUnavailableException | RuntimeException | LinkageError e) {
            RenderProtocol.reply(out, RenderProtocol.UNAVAILABLE, String.valueOf(e.getMessage()));
            out.flush();
            System.exit(3);
            return;
        }
        RenderProtocol.reply(out, RenderProtocol.OK, executor.deviceName());
        out.flush();
        RenderServer server = new RenderServer(executor, Long.parseLong(args[0]));
        try {
            while (true) {
                int op;
                try {
                    op = in.readInt();
                } catch (EOFException e) {
                    break;  // Phoenix is done with the device
                }
                server.serve(op, in, out);
                out.flush();
            }
        } finally {
            executor.close();
        }
    }

    private void serve(int op, DataInputStream in, DataOutputStream out) throws IOException {
        switch (op) {
            case RenderProtocol.COMPILE -> {
                int id = in.readInt();
                String entry = in.readUTF();
                byte[] spirv = new byte[in.readInt()];
                in.readFully(spirv);
                try {
                    Kernel k = executor.compile(spirv, entry);
                    kernels.put(id, k);
                    int[] ls = k.localSize();
                    RenderProtocol.reply(out, RenderProtocol.OK, "", ls[0], ls[1], ls[2], k.bindingCount(), k.pushConstantBytes());
                } catch (ShaderException e) {
                    RenderProtocol.reply(out, RenderProtocol.REFUSED, e.getMessage());
                } catch (RuntimeException e) {
                    RenderProtocol.reply(out, RenderProtocol.FAILED, String.valueOf(e));
                }
            }
            case RenderProtocol.DISPATCH -> {
                int id = in.readInt();
                int gx = in.readInt(), gy = in.readInt(), gz = in.readInt();
                MemorySegment[] buffers = new MemorySegment[in.readInt()];
                String failure = null;
                for (int i = 0; i < buffers.length; i++) {
                    long frames = in.readLong();
                    int fd = in.readInt();
                    long size = in.readLong(), offset = in.readLong(), length = in.readLong();
                    try {
                        buffers[i] = map(frames, fd, size).asSlice(offset, length);
                    } catch (IOException | RuntimeException e) {
                        failure = "cannot map the guest's buffer " + i + ": " + e;
                    }
                }
                byte[] push = new byte[in.readInt()];
                in.readFully(push);
                Kernel k = kernels.get(id);
                if (failure != null || k == null) {
                    RenderProtocol.reply(out, RenderProtocol.FAILED, failure != null ? failure : "no kernel " + id);
                    return;
                }
                try {
                    k.dispatch(gx, gy, gz, buffers, push, () -> false);
                    RenderProtocol.reply(out, RenderProtocol.OK, "");
                } catch (DispatchCancelledException e) {
                    RenderProtocol.reply(out, RenderProtocol.LOST, "the device lost the job");
                } catch (RuntimeException e) {
                    RenderProtocol.reply(out, RenderProtocol.FAILED, String.valueOf(e));
                }
            }
            case RenderProtocol.CLOSE -> {
                Kernel k = kernels.remove(in.readInt());
                if (k != null) k.close();
            }
            case RenderProtocol.FORGET -> {
                for (int n = in.readInt(); n > 0; n--) {
                    Mapped m = mapped.remove(in.readLong());
                    if (m != null) m.arena().close();
                }
            }
            default -> throw new IOException("unknown request " + op);
        }
    }

    /** The run of frames {@code id}: Phoenix's memfd {@code fd} of {@code size} bytes, mapped on first use. */
    private MemorySegment map(long id, int fd, long size) throws IOException {
        Mapped m = mapped.get(id);
        if (m == null) {
            Arena arena = Arena.ofShared();
            try (FileChannel ch = FileChannel.open(Path.of("/proc", Long.toString(parent), "fd", Integer.toString(fd)),
                    StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                m = new Mapped(arena, ch.map(FileChannel.MapMode.READ_WRITE, 0, size, arena));
            } catch (IOException | RuntimeException e) {
                arena.close();
                throw e;
            }
            mapped.put(id, m);
        }
        return m.bytes();
    }
}
