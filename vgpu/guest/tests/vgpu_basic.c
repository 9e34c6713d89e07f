/*
 * /dev/vgpu0 without shaders: the device node, buffers mapped without copies, copy and fill
 * records, fences in order, fence events through poll and read, the errors the device gives
 * for bad handles, records, pointers and maps, and contexts across fork: the child shares the
 * parent's context through its fd and mappings, a second open cannot name the parent's handles.
 */
#define _GNU_SOURCE
#include "ttycheck.h"
#include "vgpu.h"
#include "vgpu_uapi.h"

#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

static int io(int fd, unsigned long req, void *arg) {
    return ioctl(fd, req, arg) < 0 ? -errno : 0;
}

static const char *e(int r) {
    return err(r < 0 ? -r : 0);
}

int main(void) {
    struct stat st;
    if (stat("/dev/vgpu0", &st) != 0) {
        say("stat: %s\n", err(errno));
        return 1;
    }
    say("chr %d major %u\n", S_ISCHR(st.st_mode), major(st.st_rdev));
    char devices[2048] = "";
    int pd = open("/proc/devices", O_RDONLY);
    ssize_t dn = pd >= 0 ? read(pd, devices, sizeof devices - 1) : -1;
    say("/proc/devices lists vgpu: %d\n", dn > 0 && strstr(devices, "240 vgpu\n") != NULL);
    close(pd);

    vgpu_device *dev;
    say("open %s\n", e(vgpu_open(NULL, &dev)));
    int fd = vgpu_fd(dev);
    struct vgpu_query q;
    memset(&q, 0, sizeof q);
    int qr = io(fd, VGPU_IOCTL_QUERY, &q);
    say("query %s version %u bindings %u push %u\n", e(qr), q.version, q.max_bindings, q.max_push);

    /* buffers: zeroed, mapped, copied */
    vgpu_buffer *a, *b;
    say("create %s\n", e(vgpu_buffer_create(dev, 10000, &a)));
    say("create %s\n", e(vgpu_buffer_create(dev, 10000, &b)));
    uint32_t *pa = vgpu_buffer_map(a), *pb = vgpu_buffer_map(b);
    int zero = 1;
    for (int i = 0; i < 2500; i++) {
        zero &= pa[i] == 0 && pb[i] == 0;
    }
    say("zero-filled %d size %zu\n", zero, vgpu_buffer_size(a));
    for (int i = 0; i < 2500; i++) {
        pa[i] = i * 2654435761u;
    }
    uint64_t f1, f2;
    say("copy %s\n", e(vgpu_copy(dev, a, 400, b, 0, 8000, &f1)));
    say("copy %s\n", e(vgpu_copy(dev, b, 0, b, 4, 16, &f2)));
    say("fences in order %d\n", f2 == f1 + 1);
    say("wait %s\n", e(vgpu_wait(dev, f2, -1)));
    say("wait earlier %s\n", e(vgpu_wait(dev, f1, 0)));
    int same = 1;
    for (int i = 5; i < 2000; i++) {
        same &= pb[i] == pa[100 + i];
    }
    say("copied %d overlapping %d\n", same, pb[1] == pa[100] && pb[4] == pa[103]);

    /* a ring of our own: fill and signal-fence records, poll, read */
    struct vgpu_ring_create rc = {.slots = 4};
    say("ring %s\n", e(io(fd, VGPU_IOCTL_RING_CREATE, &rc)));
    union vgpu_cmd *ring = mmap(NULL, 4 * VGPU_CMD_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, rc.map_offset);
    say("ring map %s\n", ring == MAP_FAILED ? err(errno) : "ok");
    char evbuf[64];
    while (read(fd, evbuf, sizeof evbuf) > 0) {
        /* the events of the copies above */
    }
    struct pollfd p = {.fd = fd, .events = POLLIN};
    say("poll idle %d\n", poll(&p, 1, 0));
    memset(ring, 0, 3 * VGPU_CMD_SIZE);
    ring[0].fill = (struct vgpu_cmd_fill){.type = VGPU_CMD_FILL, .dst = 2, .offset = 0, .size = 64, .value = 0xabcd};
    ring[1].type = VGPU_CMD_BARRIER;
    ring[2].signal = (struct vgpu_cmd_signal){.type = VGPU_CMD_SIGNAL_FENCE, .dst = 2, .offset = 9992, .value = 77};
    struct vgpu_doorbell db = {.ring = rc.handle, .tail = 3};
    say("doorbell %s\n", e(io(fd, VGPU_IOCTL_DOORBELL, &db)));
    p.revents = 0;
    int pr = poll(&p, 1, -1);
    say("poll %d revents %#x\n", pr, p.revents);
    uint64_t ev = 0;
    ssize_t n = read(fd, &ev, sizeof ev);
    say("event %zd is the fence %d\n", n, ev == db.fence);
    n = read(fd, &ev, sizeof ev);
    say("no more events: %s\n", n < 0 ? err(errno) : "data");
    struct vgpu_wait w = {.fence = db.fence, .timeout_ns = 1000000000};
    int wr = io(fd, VGPU_IOCTL_WAIT, &w);
    say("wait %s status %d\n", e(wr), w.status);
    say("filled %#x signalled %llu\n", pb[15], (unsigned long long) ((uint64_t *) pb)[9992 / 8]);

    /* errors */
    struct vgpu_destroy d = {.handle = 999};
    say("destroy bad handle: %s\n", e(io(fd, VGPU_IOCTL_BUFFER_DESTROY, &d)));
    memset(ring, 0, VGPU_CMD_SIZE);
    ring[3].type = 99;
    db = (struct vgpu_doorbell){.ring = rc.handle, .tail = 4};
    say("doorbell of a bad record: %s\n", e(io(fd, VGPU_IOCTL_DOORBELL, &db)));
    say("its fence: %s\n", e(vgpu_wait(dev, db.fence, -1)));
    db.tail = 9;
    say("tail too far: %s\n", e(io(fd, VGPU_IOCTL_DOORBELL, &db)));
    say("bad pointer: %s\n", e(io(fd, VGPU_IOCTL_QUERY, (void *) 16)));
    say("unknown ioctl: %s\n", e(io(fd, _IOWR('V', 0x7f, struct vgpu_query), &q)));
    struct vgpu_buffer_create bc = {.size = 0};
    say("zero size: %s\n", e(io(fd, VGPU_IOCTL_BUFFER_CREATE, &bc)));
    bc.size = 4096;
    say("create %s\n", e(io(fd, VGPU_IOCTL_BUFFER_CREATE, &bc)));
    void *priv = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, bc.map_offset);
    say("private map: %s\n", priv == MAP_FAILED ? err(errno) : "mapped");
    void *off = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, bc.map_offset + 4096);
    say("map inside a buffer: %s\n", off == MAP_FAILED ? err(errno) : "mapped");
    void *big = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, bc.map_offset);
    say("map past a buffer: %s\n", big == MAP_FAILED ? err(errno) : "mapped");
    uint32_t *kept = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, bc.map_offset);
    kept[0] = 1234;
    d.handle = bc.handle;
    say("destroy %s\n", e(io(fd, VGPU_IOCTL_BUFFER_DESTROY, &d)));
    say("mapping outlives its buffer: %u\n", kept[0]);
    ring[0].copy = (struct vgpu_cmd_copy){.type = VGPU_CMD_COPY, .src = bc.handle, .dst = 1, .size = 4};
    db = (struct vgpu_doorbell){.ring = rc.handle, .tail = 5};
    say("doorbell naming a destroyed buffer: %s\n", e(io(fd, VGPU_IOCTL_DOORBELL, &db)));
    say("its fence: %s\n", e(vgpu_wait(dev, db.fence, -1)));
    struct vgpu_wait bad = {.fence = ((uint64_t) 77 << 48) | 1};
    say("wait on no ring: %s\n", e(io(fd, VGPU_IOCTL_WAIT, &bad)));
    bad.fence = db.fence + 5;
    say("wait on an unsubmitted fence: %s\n", e(io(fd, VGPU_IOCTL_WAIT, &bad)));

    /* fork: the child shares the context through the fd, and the mappings */
    pid_t pid = fork();
    if (pid == 0) {
        say("child sees the parent's buffer: %d\n", pb[100] == pa[200]);
        struct vgpu_ring_create crc = {.slots = 1};
        int r = io(fd, VGPU_IOCTL_RING_CREATE, &crc);
        union vgpu_cmd *cring = mmap(NULL, VGPU_CMD_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, crc.map_offset);
        memset(cring, 0, VGPU_CMD_SIZE);
        cring[0].fill = (struct vgpu_cmd_fill){.type = VGPU_CMD_FILL, .dst = 1, .offset = 0, .size = 8, .value = 5};
        struct vgpu_doorbell cdb = {.ring = crc.handle, .tail = 1};
        int r2 = io(fd, VGPU_IOCTL_DOORBELL, &cdb);
        struct vgpu_wait cw = {.fence = cdb.fence, .timeout_ns = -1};
        int r3 = io(fd, VGPU_IOCTL_WAIT, &cw);
        say("child on the parent's context: ring %s doorbell %s wait %s\n", e(r), e(r2), e(r3));
        int other = open("/dev/vgpu0", O_RDWR);
        struct vgpu_destroy od = {.handle = 1};
        say("a second open cannot name the parent's buffer: %s\n", e(io(other, VGPU_IOCTL_BUFFER_DESTROY, &od)));
        struct vgpu_wait ow = {.fence = cdb.fence};
        say("nor wait on its fence: %s\n", e(io(other, VGPU_IOCTL_WAIT, &ow)));
        void *om = mmap(NULL, 4096, PROT_READ, MAP_SHARED, other, 1ull << 32);
        say("nor map it: %s\n", om == MAP_FAILED ? err(errno) : "mapped");
        close(other);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    say("child exited %d; the parent sees its fill: %u %u\n", WEXITSTATUS(status), pa[0], pa[1]);
    vgpu_buffer_destroy(a);
    vgpu_buffer_destroy(b);
    vgpu_close(dev);
    say("reopen %s\n", e(vgpu_open(NULL, &dev)));
    vgpu_close(dev);
    return 0;
}
