package dev.phoenix.vgpu.vulkan;

import dev.phoenix.vgpu.Watchdog;
import dev.phoenix.libos.cap.FrameAllocator;
import dev.phoenix.vgpu.DispatchCancelledException;
import dev.phoenix.vgpu.Executor;
import dev.phoenix.vgpu.Kernel;
import dev.phoenix.vgpu.ShaderException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The Vulkan passthrough as {@code phoenix run --vgpu vulkan} uses it: the host's Vulkan device
 * driven by a render server, a JVM of its own ({@link RenderServer}) started at the device's first
 * shader, as a GPU's driver runs apart from the programs it serves.
 *
 * <p>Why a process: a Vulkan queue cannot be told to stop a dispatch. A GPU's driver has a watchdog
 * that resets the GPU; lavapipe has none, and a shader that never ends would keep a thread of its
 * pool, and the guest's memory it writes, for ever. So when a job passes the device's timeout
 * Phoenix kills the server (and waits until it is gone, so nothing writes the guest's frames after
 * the job's fence reports EIO), and the next dispatch starts a new one, on which kernels are
 * compiled again. A driver that crashes on a module takes only the server down.
 *
 * <p>Memory: the device's frames come from a {@link FrameAllocator#shared} allocator, memfds the
 * server maps once each, so the guest, Phoenix and the server see the same pages. The server copies
 * them into Vulkan buffers around each dispatch ({@link VulkanExecutor}'s default).
 *
 * <p>One request is in flight at a time (the contexts' workers take turns, as they did on one
 * VkQueue); a dispatch waiting for its turn, or for its reply, sees its cancellation within 1 ms.
 */
public final class RenderProcess implements Executor {
    private static final long START_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);
    private static final long COMPILE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);

    private final FrameAllocator frames;
    /** Held for a whole request and its reply. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Frames freed since the server last heard, by allocator id. */
    private final ConcurrentLinkedQueue<Long> freed = new ConcurrentLinkedQueue<>();
    /** The server now, or null once killed or ended. @GuardedBy("lock") */
    private Server server;
    /** @GuardedBy("lock") */
    private long generation;
    /** @GuardedBy("lock") */
    private int nextKernel;
    /** @GuardedBy("lock") */
    private boolean closed;
    private volatile String deviceName = "";

    /** A running render server: its process, its request stream and the replies its reader thread gives. */
    private static final class Server {
        final Process process;
        final DataOutputStream out;
        final long generation;
        /** Replies, or the IOException that ended the stream. */
        final BlockingQueue<Object> replies = new LinkedBlockingQueue<>();
        /** The end of what the server wrote on stderr, for messages. */
        final StringBuilder stderr = new StringBuilder();

        Server(Process process, long generation) {
            this.process = process;
            this.generation = generation;
            this.out = new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), 1 << 16));
        }

        String stderrTail() {
            synchronized (stderr) {
                String s = stderr.toString().strip();
                int nl = s.lastIndexOf('\n');
                return s.isEmpty() ? "no message" : nl < 0 ? s : s.substring(nl + 1);
            }
        }
    }

    private RenderProcess(FrameAllocator frames) {
        this.frames = frames;
        frames.onSharedFreed(freed::add);
    }

    /**
     * Starts a render server over the device's shared frame allocator {@code frames}; throws
     * {@link VulkanUnavailableException} with the server's reason when it opens no Vulkan device.
     */
    public static RenderProcess open(FrameAllocator frames) throws VulkanUnavailableException {
        RenderProcess r = new RenderProcess(frames);
        r.lock.lock();
        try {
            r.start();
        } finally {
            r.lock.unlock();
        }
        return r;
    }

    @Override
    public String name() {
        return "vulkan";
    }

    /** The host device's name, as the server reported it. */
    public String deviceName() {
        return deviceName;
    }

    /** Starts a server and makes it {@link #server} (the caller holds the lock). */
    private void start() throws VulkanUnavailableException {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), RenderServer.class.getName(),
                Long.toString(ProcessHandle.current().pid()));
        Process p;
        try {
            p = new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            throw new VulkanUnavailableException("cannot start the render server: " + e.getMessage());
        }
        Server s = new Server(p, ++generation);
        DataInputStream in = new DataInputStream(new BufferedInputStream(p.getInputStream(), 1 << 16));
        Thread.ofPlatform().daemon().name("vgpu-render-replies").start(() -> {
            try {
                while (true) s.replies.add(RenderProtocol.read(in));
            } catch (IOException e) {
                s.replies.add(e);
            }
        });
        Thread.ofPlatform().daemon().name("vgpu-render-stderr").start(() -> drain(p.getErrorStream(), s.stderr));
        freed.clear();  // a new server has mapped nothing
        server = s;
        Object first;
        try {
            first = await(s, () -> false, START_TIMEOUT_NS);
        } catch (DispatchCancelledException e) {
            throw new VulkanUnavailableException("the render server did not start in 60 s");
        }
        if (first instanceof RenderProtocol.Reply r && r.status() == RenderProtocol.OK) {
            deviceName = r.message();
            return;
        }
        kill(s);
        throw new VulkanUnavailableException(first instanceof RenderProtocol.Reply r ? r.message()
                : "the render server ended: " + s.stderrTail());
    }

    /** Keeps the last 4 KiB of what {@code from} gives in {@code tail}. */
    private static void drain(InputStream from, StringBuilder tail) {
        byte[] buf = new byte[4096];
        try (from) {
            for (int n; (n = from.read(buf)) > 0; ) {
                synchronized (tail) {
                    tail.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    if (tail.length() > 4096) tail.delete(0, tail.length() - 4096);
                }
            }
        } catch (IOException e) {
            // the server is gone
        }
    }

    /**
     * The next reply of {@code s}, or the IOException that ended its stream; kills the server and
     * throws DispatchCancelledException when {@code cancelled} comes true or {@code timeoutNs} passes.
     */
    private Object await(Server s, Watchdog cancelled, long timeoutNs) throws DispatchCancelledException {
        long start = System.nanoTime();
        try {
            while (true) {
                Object r = s.replies.poll(1, TimeUnit.MILLISECONDS);
                if (r != null) {
                    if (!(r instanceof RenderProtocol.Reply)) kill(s);
                    return r;
                }
                if (cancelled.expired() || System.nanoTime() - start > timeoutNs) break;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill(s);
        throw new DispatchCancelledException();
    }

    /** Kills {@code s} and waits until it is gone, so it writes no guest memory after this returns. */
    private void kill(Server s) {
        s.process.destroyForcibly();
        while (true) {
            try {
                s.process.waitFor();
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();  // keep waiting: the frames must not be reused before
            }
        }
        if (server == s) server = null;
    }

    /** The running server, started again if the last one was killed (the caller holds the lock). */
    private Server server() {
        if (closed) throw new IllegalStateException("the vGPU's executor is closed");
        if (server != null && !server.process.isAlive()) {
            kill(server);  // it died between jobs (a driver's crash, a host's OOM killer): start another
        }
        if (server == null) {
            try {
                start();
            } catch (VulkanUnavailableException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        return server;
    }

    /** Sends what {@code write} writes to {@code s}, after the frames freed since the last request. */
    private void send(Server s, IoWriter write) throws IOException {
        List<Long> gone = new ArrayList<>();
        for (Long id; (id = freed.poll()) != null; ) gone.add(id);
        if (!gone.isEmpty()) {
            s.out.writeInt(RenderProtocol.FORGET);
            s.out.writeInt(gone.size());
            for (long id : gone) s.out.writeLong(id);
        }
        write.write(s.out);
        s.out.flush();
    }

    private interface IoWriter {
        void write(DataOutputStream out) throws IOException;
    }

    /** Compiles on the current server; the caller holds the lock. */
    private RenderProtocol.Reply compileOn(Server s, int id, byte[] spirv, String entry) throws ShaderException {
        Object r;
        try {
            send(s, out -> {
                out.writeInt(RenderProtocol.COMPILE);
                out.writeInt(id);
                out.writeUTF(entry);
                out.writeInt(spirv.length);
                out.write(spirv);
            });
            r = await(s, () -> false, COMPILE_TIMEOUT_NS);
        } catch (IOException e) {
            kill(s);
            throw new ShaderException("the Vulkan render server ended: " + s.stderrTail());
        } catch (DispatchCancelledException e) {
            throw new ShaderException("the Vulkan driver did not compile the shader in 60 s");
        }
        if (!(r instanceof RenderProtocol.Reply reply)) {
            throw new ShaderException("the Vulkan driver crashed on this module (" + s.stderrTail() + ")");
        }
        return switch (reply.status()) {
            case RenderProtocol.OK -> reply;
            case RenderProtocol.REFUSED -> throw new ShaderException(reply.message());
            default -> throw new ShaderException("the Vulkan driver failed on this module: " + reply.message());
        };
    }

    @Override
    public Kernel compile(byte[] spirv, String entryPoint) throws ShaderException {
        if (entryPoint == null) throw new ShaderException("no entry point name");
        byte[] module = spirv.clone();
        lock.lock();
        try {
            Server s = server();
            int id = ++nextKernel;
            RenderProtocol.Reply r = compileOn(s, id, module, entryPoint);
            int[] v = r.values();
            return new RemoteKernel(module, entryPoint, new int[] {v[0], v[1], v[2]}, v[3], v[4], id, s.generation);
        } finally {
            lock.unlock();
        }
    }

    /** A kernel compiled by the render server, compiled again on a new server after a kill. */
    private final class RemoteKernel implements Kernel {
        private final byte[] spirv;
        private final String entry;
        private final int[] localSize;
        private final int bindings, pushBytes;
        /** Its id on the server of {@link #onGeneration}. @GuardedBy("lock") */
        private int id;
        private long onGeneration;
        private boolean closed;

        RemoteKernel(byte[] spirv, String entry, int[] localSize, int bindings, int pushBytes, int id, long generation) {
            this.spirv = spirv;
            this.entry = entry;
            this.localSize = localSize;
            this.bindings = bindings;
            this.pushBytes = pushBytes;
            this.id = id;
            this.onGeneration = generation;
        }

        @Override
        public int[] localSize() {
            return localSize.clone();
        }

        @Override
        public int bindingCount() {
            return bindings;
        }

        @Override
        public int pushConstantBytes() {
            return pushBytes;
        }

        @Override
        public void dispatch(int gx, int gy, int gz, MemorySegment[] buffers, byte[] push, Watchdog cancelled)
                throws DispatchCancelledException {
            if (gx < 0 || gy < 0 || gz < 0) throw new IllegalArgumentException("negative workgroup count");
            if (buffers.length < bindings) throw new IllegalArgumentException("fewer buffers than bindings");
            if (gx == 0 || gy == 0 || gz == 0) return;
            FrameAllocator.HostFile[] files = new FrameAllocator.HostFile[bindings];
            for (int i = 0; i < bindings; i++) {
                files[i] = frames.hostFile(buffers[i]);
                if (files[i] == null) throw new IllegalArgumentException("buffer " + i + " is not the device's memory");
            }
            byte[] pc = push == null ? new byte[0] : push;
            try {
                while (!lock.tryLock(1, TimeUnit.MILLISECONDS)) {
                    if (cancelled.expired()) throw new DispatchCancelledException();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DispatchCancelledException();
            }
            try {
                if (closed) throw new IllegalStateException("kernel closed");
                // A server that ends without a reply (a driver's crash, or one that died between
                // jobs before Phoenix noticed) gets the dispatch once more on a new server.
                for (int attempt = 1; ; attempt++) {
                    Server s = server();
                    String ended = runOn(s, gx, gy, gz, files, buffers, pc, cancelled);
                    if (ended == null) return;
                    if (attempt == 2) throw new IllegalStateException("the Vulkan render server ended: " + ended);
                }
            } finally {
                lock.unlock();
            }
        }

        /**
         * Runs the dispatch on {@code s} (compiling this kernel there first if {@code s} is new):
         * null once done, or what the server said as it ended without a reply. The caller holds the lock.
         */
        private String runOn(Server s, int gx, int gy, int gz, FrameAllocator.HostFile[] files, MemorySegment[] buffers,
                             byte[] pc, Watchdog cancelled) throws DispatchCancelledException {
            if (onGeneration != s.generation) {
                int nid = ++nextKernel;
                try {
                    compileOn(s, nid, spirv, entry);
                } catch (ShaderException e) {
                    if (server != s) return e.getMessage();  // the server ended while compiling
                    throw new IllegalStateException("the shader no longer compiles: " + e.getMessage());
                }
                id = nid;
                onGeneration = s.generation;
            }
            cancelled.started();  // the server is ready: the job's time on the device begins
            int kid = id;
            try {
                send(s, out -> {
                    out.writeInt(RenderProtocol.DISPATCH);
                    out.writeInt(kid);
                    out.writeInt(gx);
                    out.writeInt(gy);
                    out.writeInt(gz);
                    out.writeInt(files.length);
                    for (int i = 0; i < files.length; i++) {
                        out.writeLong(files[i].id());
                        out.writeInt(files[i].fd());
                        out.writeLong(files[i].size());
                        out.writeLong(files[i].offset());
                        out.writeLong(buffers[i].byteSize());
                    }
                    out.writeInt(pc.length);
                    out.write(pc);
                });
            } catch (IOException e) {
                kill(s);
                return s.stderrTail();
            }
            if (!(await(s, cancelled, Long.MAX_VALUE) instanceof RenderProtocol.Reply reply)) {
                return s.stderrTail();  // await killed it
            }
            return switch (reply.status()) {
                case RenderProtocol.OK -> null;
                case RenderProtocol.LOST -> throw new DispatchCancelledException();
                default -> throw new IllegalStateException(reply.message());
            };
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (closed) return;
                closed = true;
                Server s = server;
                if (s != null && s.generation == onGeneration) {
                    int kid = id;
                    try {
                        send(s, out -> {
                            out.writeInt(RenderProtocol.CLOSE);
                            out.writeInt(kid);
                        });
                    } catch (IOException e) {
                        kill(s);
                    }
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Ends the server: it closes its device when its stdin ends; killed if it has not within 2 s. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            Server s = server;
            if (s == null) return;
            try {
                s.out.close();
                if (!s.process.waitFor(2, TimeUnit.SECONDS)) kill(s);
            } catch (IOException e) {
                kill(s);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill(s);
            }
            server = null;
        } finally {
            lock.unlock();
        }
    }
}
