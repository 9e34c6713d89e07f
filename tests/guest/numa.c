/* NUMA memory policy on a machine of one node: get_mempolicy, set_mempolicy and mbind with their
 * results and errors, as Linux answers on a single-node machine (this host, natively). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "ttycheck.h"

#define MPOL_DEFAULT 0
#define MPOL_PREFERRED 1
#define MPOL_BIND 2
#define MPOL_INTERLEAVE 3
#define MPOL_LOCAL 4
#define MPOL_F_NODE 1
#define MPOL_F_ADDR 2
#define MPOL_F_MEMS_ALLOWED 4

static long r(long v) {
    return v < 0 ? -errno : v;
}

static void show(const char *what, long v) {
    if (v < 0) {
        say("%s: -1 %s\n", what, err((int) -v));
    } else {
        say("%s: %ld\n", what, v);
    }
}

int main(void) {
    int mode = -1;
    unsigned long mask[2] = {99, 99};
    show("get_mempolicy", r(syscall(SYS_get_mempolicy, &mode, mask, 128, 0, 0)));
    say("mode %d mask %lu %lu\n", mode, mask[0], mask[1]);
    show("get_mempolicy mems allowed", r(syscall(SYS_get_mempolicy, &mode, mask, 128, 0, MPOL_F_MEMS_ALLOWED)));
    say("mode %d mask %lu\n", mode, mask[0]);
    show("get_mempolicy no mask", r(syscall(SYS_get_mempolicy, &mode, NULL, 0, 0, 0)));
    show("get_mempolicy maxnode 0", r(syscall(SYS_get_mempolicy, &mode, mask, 0, 0, 0)));
    show("get_mempolicy bad flags", r(syscall(SYS_get_mempolicy, &mode, NULL, 0, 0, 64)));
    show("get_mempolicy addr without MPOL_F_ADDR", r(syscall(SYS_get_mempolicy, &mode, NULL, 0, &mode, 0)));
    show("get_mempolicy node of an address", r(syscall(SYS_get_mempolicy, &mode, NULL, 0, &mode, MPOL_F_NODE | MPOL_F_ADDR)));
    say("node %d\n", mode);
    show("get_mempolicy unmapped address", r(syscall(SYS_get_mempolicy, &mode, NULL, 0, (void *) 4096, MPOL_F_ADDR)));
    show("get_mempolicy MPOL_F_NODE without interleave", r(syscall(SYS_get_mempolicy, &mode, NULL, 0, 0, MPOL_F_NODE)));
    show("get_mempolicy bad mode pointer", r(syscall(SYS_get_mempolicy, (void *) 8, NULL, 0, 0, 0)));

    unsigned long node0 = 1, node1 = 2;
    show("set_mempolicy bind node 0", r(syscall(SYS_set_mempolicy, MPOL_BIND, &node0, 64)));
    mask[0] = 0;
    show("get_mempolicy", r(syscall(SYS_get_mempolicy, &mode, mask, 64, 0, 0)));
    say("mode %d mask %lu\n", mode, mask[0]);
    show("set_mempolicy bind node 1", r(syscall(SYS_set_mempolicy, MPOL_BIND, &node1, 64)));
    show("set_mempolicy bind no nodes", r(syscall(SYS_set_mempolicy, MPOL_BIND, NULL, 0)));
    show("set_mempolicy default with nodes", r(syscall(SYS_set_mempolicy, MPOL_DEFAULT, &node0, 64)));
    show("set_mempolicy bad mode", r(syscall(SYS_set_mempolicy, 42, NULL, 0)));
    show("set_mempolicy interleave", r(syscall(SYS_set_mempolicy, MPOL_INTERLEAVE, &node0, 64)));
    show("get_mempolicy next interleave node", r(syscall(SYS_get_mempolicy, &mode, NULL, 0, 0, MPOL_F_NODE)));
    say("node %d\n", mode);
    show("set_mempolicy local", r(syscall(SYS_set_mempolicy, MPOL_LOCAL, NULL, 0)));
    show("get_mempolicy", r(syscall(SYS_get_mempolicy, &mode, NULL, 0, 0, 0)));
    say("mode %d\n", mode);
    show("set_mempolicy default", r(syscall(SYS_set_mempolicy, MPOL_DEFAULT, NULL, 0)));

    long page = sysconf(_SC_PAGESIZE);
    char *p = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    show("mbind preferred node 0", r(syscall(SYS_mbind, p, 4 * page, MPOL_PREFERRED, &node0, 64, 0)));
    show("mbind unaligned", r(syscall(SYS_mbind, p + 1, page, MPOL_DEFAULT, NULL, 0, 0)));
    munmap(p + page, page);
    show("mbind default over a hole", r(syscall(SYS_mbind, p, 4 * page, MPOL_DEFAULT, NULL, 0, 0)));
    show("mbind bind over a hole", r(syscall(SYS_mbind, p, 4 * page, MPOL_BIND, &node0, 64, 0)));
    show("mbind default starting in the hole", r(syscall(SYS_mbind, p + page, 2 * page, MPOL_DEFAULT, NULL, 0, 0)));
    show("mbind default all hole", r(syscall(SYS_mbind, p + page, page, MPOL_DEFAULT, NULL, 0, 0)));
    show("mbind node 1", r(syscall(SYS_mbind, p, page, MPOL_BIND, &node1, 64, 0)));
    show("mbind bad flags", r(syscall(SYS_mbind, p, page, MPOL_DEFAULT, NULL, 0, 64)));
    return 0;
}
