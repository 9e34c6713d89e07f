package dev.phoenix.vgpu.device;

import dev.phoenix.libos.Errno;
import dev.phoenix.libos.cap.Aperture;
import dev.phoenix.libos.cap.Frames;
import dev.phoenix.libos.fs.FileStatus;
import dev.phoenix.libos.fs.OpenFile;
import dev.phoenix.libos.fs.PollEvents;
import dev.phoenix.libos.proc.WaitQueue;
import dev.phoenix.vgpu.Kernel;
import dev.phoenix.vgpu.ShaderException;
import dev.phoenix.vgpu.Watchdog;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;


/**
 * An open of /dev/vgpu0 (a DRM file's drm_file): its own tables of buffers, shaders and rings,
 * whose handles mean nothing to any other context, its own {@link Aperture} (device address
 * space) in which its buffers are bound, so its device addresses mean nothing to any other
 * context either, the queue of jobs its rings submitted, run in order by a worker thread of its
 * own, and the events of completed fences that read(2) and poll(2) give. Shared by the
 * descriptors dup(2) and fork(2) make, released with the last.
 *
 * <p>Rings' storage is not bound in the aperture: only the doorbell reads it, on the host, and
 * no record can name it, so it has no device address.
 *
 * <p>Lock order: the context's {@code lock}, then the aperture's, then a frame capability's
 * count; the readiness queue is woken with no lock held.
 */
public final class Context implements OpenFile {
    /** Buffer handles stay below this, so a map offset (handle << 32) stays far below 2^63. */
    private static final int HANDLE_LIMIT = 1 << 20;

    private final VgpuDevice device;
    private final int id;
    private final FileStatus status;
    private final Object lock = new Object();
    private final WaitQueue readiness = new WaitQueue();
    private final Aperture aperture = new Aperture(Uapi.APERTURE_BASE, Uapi.APERTURE_SIZE);
    /** @GuardedBy("lock") */
    private final Map<Integer, BufferObject> buffers = new HashMap<>();
    /** @GuardedBy("lock") */
    private final Map<Integer, ShaderObject> shaders = new HashMap<>();
    /** @GuardedBy("lock") */
    private final Map<Integer, Ring> rings = new HashMap<>();
    /** @GuardedBy("lock") */
    private final ArrayDeque<Job> queue = new ArrayDeque<>();
    /** Completed fences not yet read. @GuardedBy("lock") */
    private final ArrayDeque<Long> events = new ArrayDeque<>();
    /** @GuardedBy("lock") */
    private int nextBuffer = 1, nextShader = 1;
    /** @GuardedBy("lock") */
    private Thread worker;
    /** @GuardedBy("lock") */
    private Job running;
    private volatile boolean closed;
    private volatile long jobTimeoutNs = Uapi.DEFAULT_JOB_TIMEOUT_NS;

    Context(VgpuDevice device, int id, FileStatus status) {
        this.device = device;
        this.id = id;
        this.status = status;
    }

    VgpuDevice device() {
        return device;
    }

    /** This context's device address space: its buffers, bound. */
    Aperture aperture() {
        return aperture;
    }

    // ---- buffers ----

    /**
     * VGPU_IOCTL_BUFFER_CREATE: {@code size} zeroed bytes, bound in the aperture (the block is the
     * buffer's hold on its frames). ENOSPC when the aperture has no room (it has 1 TiB, more than
     * the device's frames can fill).
     */
    BufferObject createBuffer(long size) {
        if (size <= 0 || size > Uapi.MAX_BUFFER_SIZE) {
            throw Errno.of(Errno.EINVAL);
        }
        synchronized (lock) {
            if (buffers.size() >= Uapi.MAX_BUFFERS) {
                throw Errno.of(Errno.ENOSPC);
            }
            int h = freeHandle(buffers, nextBuffer);
            Frames f = device.frames().allocate(size);
            if (f == null) {
                throw Errno.of(Errno.ENOMEM);
            }
            long address = aperture.bind(f, size);
            f.release(); // the aperture's block holds them now, or nothing does
            if (address < 0) {
                throw Errno.of(Errno.ENOSPC);
            }
            BufferObject b = new BufferObject(h, size, (long) h << 32, address, f);
            buffers.put(h, b);
            nextBuffer = h + 1;
            return b;
        }
    }

    /** The first handle from {@code from} not in {@code table}, wrapping below {@link #HANDLE_LIMIT}. */
    private static int freeHandle(Map<Integer, ?> table, int from) {
        int h = from >= HANDLE_LIMIT || from <= 0 ? 1 : from;
        while (table.containsKey(h)) {
            h = h + 1 >= HANDLE_LIMIT ? 1 : h + 1;
        }
        return h;
    }

    /**
     * VGPU_IOCTL_BUFFER_DESTROY: unbinds the buffer, so its device address names nothing; mappings
     * and queued jobs keep the memory while they hold it.
     */
    void destroyBuffer(int handle) {
        BufferObject b;
        synchronized (lock) {
            b = buffers.remove(handle);
        }
        if (b == null) {
            throw Errno.of(Errno.ENOENT);
        }
        unbind(b);
    }

    /** Drops the buffer's block; a buffer of the table that is not bound is a bug of the device. */
    private void unbind(BufferObject b) {
        if (!aperture.unbind(b.deviceAddress)) {
            throw new IllegalStateException("vgpu buffer " + b.handle + " was not bound at " + Long.toHexString(b.deviceAddress));
        }
    }

    /** The buffer {@code handle} names here; ENOENT for any other. Called under the lock. */
    BufferObject buffer(int handle) {
        BufferObject b = buffers.get(handle);
        if (b == null) {
            throw Errno.of(Errno.ENOENT);
        }
        return b;
    }

    /**
     * The frames mmap(2) of the device at {@code offset} maps, for {@code length} bytes: a
     * buffer's or a ring's, from its first page only (DRM's exact offset lookup), no longer than
     * its frames; EINVAL otherwise. They are held once more for the caller, here under the lock,
     * where the table still holds them (a destroy on another thread lets go only after it took
     * the buffer out of the table).
     */
    @Override
    public Frames deviceFrames(long offset, long length) {
        long h = offset >>> 32;
        if ((offset & 0xffffffffL) != 0 || h <= 0 || h >= 2L * HANDLE_LIMIT) {
            throw Errno.of(Errno.EINVAL);
        }
        synchronized (lock) {
            BufferObject b;
            if (h < HANDLE_LIMIT) {
                b = buffers.get((int) h);
            } else {
                Ring r = rings.get((int) (h - HANDLE_LIMIT));
                b = r == null ? null : r.storage;
            }
            if (b == null || Long.compareUnsigned(length, b.frames.pages() * 4096) > 0) {
                throw Errno.of(Errno.EINVAL);
            }
            return b.frames.retain();
        }
    }

    // ---- shaders ----

    /**
     * VGPU_IOCTL_SHADER_CREATE: compiles {@code spirv}'s {@code entry}; a refusal is EINVAL (or
     * ENODEV without an executor) with the reason put in {@code reason}.
     */
    ShaderObject createShader(byte[] spirv, String entry, StringBuilder reason) {
        Kernel k;
        try {
            k = device.executor().compile(spirv, entry);
        } catch (ShaderException e) {
            reason.append(e.getMessage());
            throw Errno.of(Errno.EINVAL);
        } catch (IllegalStateException e) {
            reason.append(e.getMessage());
            throw Errno.of(Errno.ENODEV);
        } catch (RuntimeException | StackOverflowError e) {
            reason.append("the executor failed on this module: ").append(e);
            throw Errno.of(Errno.EINVAL);
        }
        if (k.bindingCount() > Uapi.MAX_BINDINGS || k.pushConstantBytes() > Uapi.MAX_PUSH) {
            k.close();
            reason.append("the shader uses more than " + Uapi.MAX_BINDINGS + " bindings or " + Uapi.MAX_PUSH
                    + " bytes of push constants");
            throw Errno.of(Errno.EINVAL);
        }
        synchronized (lock) {
            if (shaders.size() >= Uapi.MAX_SHADERS || closed) {
                k.close();
                reason.append("too many shaders");
                throw Errno.of(Errno.ENOSPC);
            }
            int h = freeHandle(shaders, nextShader);
            nextShader = h + 1;
            ShaderObject s = new ShaderObject(h, k);
            shaders.put(h, s);
            return s;
        }
    }

    /** VGPU_IOCTL_SHADER_DESTROY. */
    void destroyShader(int handle) {
        ShaderObject s;
        synchronized (lock) {
            s = shaders.remove(handle);
        }
        if (s == null) {
            throw Errno.of(Errno.ENOENT);
        }
        s.release();
    }

    /** The shader {@code handle} names here; ENOENT for any other. Called under the lock. */
    ShaderObject shader(int handle) {
        ShaderObject s = shaders.get(handle);
        if (s == null) {
            throw Errno.of(Errno.ENOENT);
        }
        return s;
    }

    // ---- rings, jobs and fences ----

    /** VGPU_IOCTL_RING_CREATE: a ring of {@code slots} records, its handle the lowest free from 1. */
    Ring createRing(int slots) {
        if (slots <= 0 || slots > Uapi.MAX_RING_SLOTS) {
            throw Errno.of(Errno.EINVAL);
        }
        synchronized (lock) {
            if (rings.size() >= Uapi.MAX_RINGS) {
                throw Errno.of(Errno.ENOSPC);
            }
            int h = freeHandle(rings, 1);
            long size = (long) slots * Uapi.CMD_SIZE;
            Frames f = device.frames().allocate(size);
            if (f == null) {
                throw Errno.of(Errno.ENOMEM);
            }
            Ring r = new Ring(h, slots, new BufferObject(0, size, (long) (HANDLE_LIMIT + h) << 32, 0, f));
            rings.put(h, r);
            return r;
        }
    }

    /** VGPU_IOCTL_RING_DESTROY: its queued jobs still run; its fences can no longer be waited for. */
    void destroyRing(int handle) {
        Ring r;
        synchronized (lock) {
            r = rings.remove(handle);
        }
        if (r == null) {
            throw Errno.of(Errno.ENOENT);
        }
        r.storage.frames.release();
    }

    /**
     * VGPU_IOCTL_DOORBELL: the records from the ring's last tail to {@code tail} become a job,
     * queued for the worker; returns its fence. EINVAL for a tail behind the last or more than
     * the ring's slots ahead.
     */
    long doorbell(int ringHandle, int tail) {
        Job job;
        synchronized (lock) {
            Ring r = rings.get(ringHandle);
            if (r == null) {
                throw Errno.of(Errno.ENOENT);
            }
            int n = tail - r.head; // counts wrap at 2^32
            if (n < 0 || n > r.slots || closed) {
                throw Errno.of(Errno.EINVAL);
            }
            job = new Job(r, ++r.submitted);
            ByteBuffer slots = r.storage.frames.segment().asByteBuffer();
            for (int i = 0; i < n; i++) {
                int slot = Integer.remainderUnsigned(r.head + i, r.slots);
                byte[] record = new byte[Uapi.CMD_SIZE];
                slots.get(slot * Uapi.CMD_SIZE, record);
                job.add(ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN), this);
            }
            if (job.failure != 0) {
                job.release();
            }
            r.head = tail;
            queue.add(job);
            if (worker == null) {
                worker = Thread.ofPlatform().daemon().name("vgpu-context-" + id).start(this::work);
            }
            lock.notifyAll();
        }
        return Uapi.fence(job.ring.handle, job.seq);
    }

    /** The worker: runs the queued jobs in order, each against the job timeout, until the context is closed. */
    private void work() {
        while (true) {
            Job job;
            synchronized (lock) {
                while (queue.isEmpty() && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        // only close ends the worker
                    }
                }
                job = queue.poll();
                if (job == null) {
                    worker = null;
                    lock.notifyAll();
                    return;
                }
                running = job;
            }
            int result;
            if (job.failure != 0) {
                result = job.failure;
            } else if (closed) {
                result = -Errno.EIO;
            } else {
                result = job.run(new JobWatchdog(jobTimeoutNs));
            }
            job.release();
            synchronized (lock) {
                job.ring.complete(job.seq, result);
                if (events.size() < Uapi.EVENT_QUEUE) {
                    events.add(Uapi.fence(job.ring.handle, job.seq));
                }
                running = null;
                lock.notifyAll();
            }
            readiness.wakeAll();
        }
    }

    /**
     * The job timeout, in the host's time as a GPU's watchdog is (a guest that waits forever on a
     * virtual clock must still see a runaway shader stopped), counted from the job's start and
     * again from each dispatch's start on the device; a closed context stops the job at once.
     */
    private final class JobWatchdog implements Watchdog {
        private final long timeoutNs;
        private volatile long start = System.nanoTime();

        JobWatchdog(long timeoutNs) {
            this.timeoutNs = timeoutNs;
        }

        @Override
        public boolean expired() {
            return closed || System.nanoTime() - start > timeoutNs;
        }

        @Override
        public void started() {
            start = System.nanoTime();
        }
    }

    /**
     * The ring of {@code fence} and its sequence, checked: ENOENT for a ring this context does not
     * hold, EINVAL for a fence no doorbell gave.
     */
    Ring fenceRing(long fence) {
        long seq = fence & 0xffff_ffff_ffffL;
        synchronized (lock) {
            Ring r = rings.get((int) (fence >>> 48));
            if (r == null) {
                throw Errno.of(Errno.ENOENT);
            }
            if (seq == 0 || seq > r.submitted) {
                throw Errno.of(Errno.EINVAL);
            }
            return r;
        }
    }

    /** True once {@code fence} of ring {@code r} has completed. */
    boolean completed(Ring r, long fence) {
        synchronized (lock) {
            return r.completed >= (fence & 0xffff_ffff_ffffL);
        }
    }

    /** The completed fence's status: 0 or -errno. */
    int fenceStatus(Ring r, long fence) {
        synchronized (lock) {
            return r.status(fence & 0xffff_ffff_ffffL);
        }
    }

    /** VGPU_IOCTL_SET_TIMEOUT. */
    void setJobTimeout(long ns) {
        if (ns < Uapi.MIN_JOB_TIMEOUT_NS || ns > Uapi.MAX_JOB_TIMEOUT_NS) {
            throw Errno.of(Errno.EINVAL);
        }
        jobTimeoutNs = ns;
    }

    long jobTimeoutNs() {
        return jobTimeoutNs;
    }

    /** The queue woken at each completed fence (waits and poll). */
    WaitQueue completions() {
        return readiness;
    }

    /** For tests: blocks the calling host thread until no job is queued or running. */
    void awaitIdle() throws InterruptedException {
        synchronized (lock) {
            while (!queue.isEmpty() || running != null) {
                lock.wait();
            }
        }
    }

    /** For tests: blocks until the worker has ended (after close). */
    void awaitWorkerEnd() throws InterruptedException {
        synchronized (lock) {
            while (worker != null) {
                lock.wait();
            }
        }
    }

    // ---- the open file ----

    /**
     * read(2): the completed fences not read yet, 8 bytes each (struct vgpu_event), as many as
     * fit; EAGAIN when there is none (a guest waits with poll or VGPU_IOCTL_WAIT), EINVAL for
     * room for fewer than one.
     */
    @Override
    public int read(byte[] buf, int offset, int length) {
        if (length < 8) {
            throw Errno.of(Errno.EINVAL);
        }
        synchronized (lock) {
            if (events.isEmpty()) {
                throw Errno.of(Errno.EAGAIN);
            }
            ByteBuffer out = ByteBuffer.wrap(buf, offset, length).order(ByteOrder.LITTLE_ENDIAN);
            int n = 0;
            while (!events.isEmpty() && out.remaining() >= 8) {
                out.putLong(events.poll());
                n += 8;
            }
            return n;
        }
    }

    @Override
    public int write(byte[] buf, int offset, int length) {
        throw Errno.of(Errno.EINVAL);
    }

    @Override
    public FileStatus status() {
        return status;
    }

    @Override
    public int pollEvents() {
        synchronized (lock) {
            return events.isEmpty() ? 0 : PollEvents.POLLIN | PollEvents.POLLRDNORM;
        }
    }

    @Override
    public WaitQueue readiness() {
        return readiness;
    }

    @Override
    public String guestPath() {
        return "/dev/vgpu0";
    }

    /**
     * The last close: the queued jobs are dropped (their fences report EIO), a running dispatch
     * is cancelled, and the tables let go of every buffer (unbound), shader and ring; frames still mapped
     * stay with their mappings, frames a running job holds go back when it ends.
     */
    @Override
    public void release() {
        java.util.List<Runnable> drops = new java.util.ArrayList<>();
        synchronized (lock) {
            closed = true;
            buffers.values().forEach(b -> drops.add(() -> unbind(b)));
            shaders.values().forEach(s -> drops.add(s::release));
            rings.values().forEach(r -> drops.add(r.storage.frames::release));
            buffers.clear();
            shaders.clear();
            rings.clear();
            lock.notifyAll();
        }
        drops.forEach(Runnable::run);
        device.contextGone();
        readiness.wakeAll();
    }
}
