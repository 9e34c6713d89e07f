package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Network namespaces: a namespace of Phoenix's own seen through interface ioctls, rtnetlink and
 * the libc calls and busybox commands built on them. Under {@code --net none} the initial
 * namespace is Phoenix's own (lo up); natively the same programs run in a fresh namespace
 * ({@code unshare -n}, as root), which they first bring to the same state.
 */
class NetNamespaceTest {
    /** tests/guest/netlink.c in a fresh namespace (native: unshare -n, as root). */
    private static final String NETLINK = """
            lo up: ok
            lo flags 0x49
            SIOCGIFINDEX ok 1
            SIOCGIFMTU ok 65536
            SIOCGIFTXQLEN ok 1000
            SIOCGIFHWADDR ok family 772
            SIOCGIFADDR ok 127.0.0.1
            SIOCGIFNETMASK ok 255.0.0.0
            SIOCGIFNAME 1 ok lo
            SIOCGIFNAME 99 ENODEV
            SIOCGIFFLAGS nosuch0 ENODEV
            SIOCGIFCONF size ok 40
            SIOCGIFCONF ok 1
              lo 127.0.0.1
            if_nameindex 1 lo
            if_nametoindex lo 1
            getifaddrs lo family 17 flags 0x10049 - -
            getifaddrs lo family 2 flags 0x10049 127.0.0.1 255.0.0.0
            getifaddrs lo family 10 flags 0x10049 ::1 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff
            port is pid: yes
            second port differs: yes
            link 1 type 772 flags 0x10049 name lo qlen 1000 operstate 0 mtu 65536 address/6 qdisc noqueue
            done
            addr family 2 prefix 8 scope 254 index 1 address 127.0.0.1 local 127.0.0.1 label lo
            addr family 10 prefix 128 scope 254 index 1 address ::1
            done
            getlink 1
            link 1 type 772 flags 0x10049 name lo qlen 1000 operstate 0 mtu 65536 address/6 qdisc noqueue
            getlink 42
            error ENODEV
            error ok
            newlink down: ok
            lo flags 0x8
            link 1 type 772 flags 0x8 name lo qlen 1000 operstate 2 mtu 65536 address/6 qdisc noqueue
            done
            addr family 2 prefix 8 scope 254 index 1 address 127.0.0.1 local 127.0.0.1 label lo
            done
            error ok
            newlink up: ok
            lo flags 0x49
            error ok
            newaddr: ok
            error EEXIST
            newaddr again: EEXIST
            addr family 2 prefix 8 scope 254 index 1 address 127.0.0.1 local 127.0.0.1 label lo
            addr family 2 prefix 24 scope 0 index 1 address 10.1.2.3 local 10.1.2.3 label lo
            done
            error ok
            deladdr: ok
            error EADDRNOTAVAIL
            deladdr again: EADDRNOTAVAIL
            sendto another port: ECONNREFUSED
            stream netlink: ESOCKTNOSUPPORT
            NETLINK_EXT_ACK: ok
            NLMSG_NOOP with ack
            error ok
            """;

    /** busybox ip: lo up and down through its ioctls, then the links, addresses and (empty) routes through rtnetlink. */
    private static final String IP_SCRIPT = "busybox ip link set lo up; busybox ip link set lo down; busybox ip link; "
            + "busybox ip link set lo up; busybox ip addr; busybox ip -4 addr; busybox ip route; echo done";
    private static final String IP = """
            1: lo: <LOOPBACK> mtu 65536 qdisc noqueue qlen 1000
                link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
            1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue qlen 1000
                link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
                inet 127.0.0.1/8 scope host lo
                   valid_lft forever preferred_lft forever
                inet6 ::1/128 scope host\s
                   valid_lft forever preferred_lft forever
            1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue qlen 1000
                inet 127.0.0.1/8 scope host lo
                   valid_lft forever preferred_lft forever
            done
            """;

    @ParameterizedTest
    @EnumSource(Target.class)
    void interfacesIoctlsAndRtnetlinkOfAnIsolatedNamespace(Target t) throws Exception {
        if (t.isHostArch()) {
            assertEquals(new Result(0, NETLINK, ""),
                    Guests.host(List.of("unshare", "-n", Guests.binary(t, "netlink").toString()), List.of()),
                    "native run");
        }
        assertEquals(new Result(0, NETLINK, ""),
                Guests.phoenix("run", "--net", "none", Guests.binary(t, "netlink").toString()));
    }

    @ParameterizedTest
    @EnumSource(value = Target.class, names = {"X86_64_GLIBC", "AARCH64", "RISCV64"})
    void busyboxIpSeesAndChangesTheIsolatedNamespace(Target t) throws Exception {
        String busybox = Guests.busybox(t.arch).toString();
        if (t.isHostArch()) {
            assertEquals(new Result(0, IP, ""),
                    Guests.host(List.of("unshare", "-n", busybox, "sh", "-c", IP_SCRIPT), List.of()), "native run");
        }
        assertEquals(new Result(0, IP, ""), Guests.phoenix("run", "--net", "none", busybox, "sh", "-c", IP_SCRIPT));
    }

    /** tests/guest/ifaces.c: a new namespace made by unshare(CLONE_NEWNET), as root natively. */
    private static final String IFACES = """
            outer listener: ok
            outer abstract bind: ok
            unshare: ok
            if_nameindex 1 lo
            getifaddrs: 0 internet addresses
            lo flags 0x8
            SIOCGIFADDR EADDRNOTAVAIL
            connect while down: ENETUNREACH
            sendto while down: ENETUNREACH
            connect ::1 while down: EADDRNOTAVAIL
            lo up: ok
            if_nameindex 1 lo
            getifaddrs: 2 internet addresses
            lo flags 0x49
            SIOCGIFADDR ok
            connect to the outer listener: ECONNREFUSED
            inner listener: ok
            connect to the inner listener: ok
            send: ok
            received: ok hello
            connect to the outer abstract name: ECONNREFUSED
            inner abstract bind: ok
            connect to the inner abstract name: ok
            """;

    /** Needs unshare(2) with CLONE_NEWNET (the lead's namespaces work). */
    @ParameterizedTest
    @EnumSource(Target.class)
    void aNewNamespaceHasLoDownAndReachesOnlyItsOwnSockets(Target t) throws Exception {
        Guests.runsAsExpected(t, "ifaces", new Result(0, IFACES, ""));
    }
}
