package dev.phoenix.net.unix;

import dev.phoenix.libos.Clock;
import dev.phoenix.libos.Errno;
import dev.phoenix.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The AF_UNIX domain of one kernel (one network namespace, once there are several): the sockets
 * bound to names, in the file system and in the abstract namespace, and the one lock every
 * AF_UNIX state change takes. One lock, rather than Linux's per-socket locks taken in address
 * order, because a connection touches three sockets (the client, the listener and the new
 * server end) and a message two or more, and these calls are short: they move bytes between
 * queues inside the JVM. Waiting is never done under it.
 */
public final class UnixDomain {
    /** sizeof(struct sockaddr_un) and offsetof(struct sockaddr_un, sun_path). */
    static final int SOCKADDR_UN = 110, SUN_PATH = 2;
    /** net.unix.max_dgram_qlen: a datagram socket's queue holds this many, plus one. */
    static final int MAX_DGRAM_QLEN = 10;

    final Clock clock;
    /**
     * Sockets bound to abstract names, by network namespace and name: the abstract namespace is
     * per network namespace (unix(7)), while file names are reachable from every one. @GuardedBy("this")
     */
    private final Map<AbstractName, UnixSocket> abstractNames = new HashMap<>();

    /** An abstract name in network namespace {@code namespace} (null in a domain without namespaces). */
    private record AbstractName(Object namespace, String name) {}
    /** Sockets bound to file names, by the identity of their socket file. @GuardedBy("this") */
    private final Map<Object, UnixSocket> fileNames = new HashMap<>();
    /** The next autobind name (Linux starts at a random one; a counter keeps runs deterministic). @GuardedBy("this") */
    private int nextAutobind;

    public UnixDomain(Clock clock) {
        this.clock = clock;
    }

    /**
     * socket(2) for AF_UNIX: SOCK_STREAM, SOCK_DGRAM and SOCK_SEQPACKET, and SOCK_RAW, which Linux
     * takes as SOCK_DGRAM; ESOCKTNOSUPPORT for other types; protocol 0 or PF_UNIX, else EPROTONOSUPPORT.
     */
    public UnixSocket open(int type, int protocol, boolean nonBlocking) {
        return open(type, protocol, nonBlocking, null);
    }

    /** socket(2) for AF_UNIX in network namespace {@code namespace}, whose abstract names it sees. */
    public UnixSocket open(int type, int protocol, boolean nonBlocking, Object namespace) {
        if (protocol != 0 && protocol != Socket.AF_UNIX) {
            throw Errno.of(Errno.EPROTONOSUPPORT);
        }
        return switch (type) {
            case Socket.SOCK_STREAM, Socket.SOCK_DGRAM, Socket.SOCK_SEQPACKET -> new UnixSocket(this, type, nonBlocking,
                    namespace);
            case Socket.SOCK_RAW -> new UnixSocket(this, Socket.SOCK_DGRAM, nonBlocking, namespace);
            default -> throw Errno.of(Errno.ESOCKTNOSUPPORT);
        };
    }

    /** socketpair(2): two sockets of {@code type} connected to each other, both with the creator's credentials. */
    public UnixSocket[] pair(int type, int protocol, boolean nonBlocking, Socket.Caller caller) {
        return pair(type, protocol, nonBlocking, caller, null);
    }

    /** socketpair(2) in network namespace {@code namespace}. */
    public UnixSocket[] pair(int type, int protocol, boolean nonBlocking, Socket.Caller caller, Object namespace) {
        UnixSocket a = open(type, protocol, nonBlocking, namespace), b = open(type, protocol, nonBlocking, namespace);
        synchronized (this) {
            a.connectTo(b, caller, caller);
            b.connectTo(a, caller, caller);
        }
        return new UnixSocket[] {a, b};
    }

    /** A sockaddr_un's name: its bytes after sun_family, a path up to its NUL, or an abstract name (leading NUL) whole. */
    record Name(byte[] sockaddr, String path, String abstractName) {}

    /**
     * Parses {@code address} as unix_validate_addr and unix_mkname_bsd do: EINVAL unless it is
     * AF_UNIX, longer than sun_family and at most sizeof(struct sockaddr_un).
     */
    static Name parse(byte[] address) {
        if (address.length <= SUN_PATH || address.length > SOCKADDR_UN
                || (address[0] & 0xff | (address[1] & 0xff) << 8) != Socket.AF_UNIX) {
            throw Errno.of(Errno.EINVAL);
        }
        if (address[SUN_PATH] == 0) {
            return new Name(address.clone(), null,
                    new String(address, SUN_PATH, address.length - SUN_PATH, StandardCharsets.ISO_8859_1));
        }
        int end = SUN_PATH;
        while (end < address.length && address[end] != 0) {
            end++;
        }
        byte[] stored = new byte[end + 1]; // the name with its NUL, as getsockname returns it
        System.arraycopy(address, 0, stored, 0, end);
        return new Name(stored, new String(address, SUN_PATH, end - SUN_PATH, StandardCharsets.ISO_8859_1), null);
    }

    /** Binds {@code s} to {@code name} (a path's by its file identity {@code fileKey}): EADDRINUSE when an abstract name is taken. */
    synchronized void register(UnixSocket s, Name name, Object fileKey) {
        if (name.abstractName() != null) {
            AbstractName key = new AbstractName(s.namespace, name.abstractName());
            if (abstractNames.containsKey(key)) {
                throw Errno.of(Errno.EADDRINUSE);
            }
            abstractNames.put(key, s);
        } else {
            fileNames.put(fileKey, s);
        }
    }

    /** Forgets {@code s}'s name (its last fd closed); a socket file stays, as on Linux. */
    synchronized void unregister(UnixSocket s, Name name, Object fileKey) {
        if (name == null) {
            return;
        }
        if (name.abstractName() != null) {
            abstractNames.remove(new AbstractName(s.namespace, name.abstractName()), s);
        } else if (fileKey != null) {
            fileNames.remove(fileKey, s);
        }
    }

    /**
     * The socket bound to {@code name} of type {@code type} (unix_find_other): ENOENT for a
     * missing file, ECONNREFUSED when no socket is bound there, EPROTOTYPE for another type. An
     * abstract name is looked up in network namespace {@code namespace}, the finding socket's.
     */
    UnixSocket find(Name name, int type, Socket.Caller caller, Object namespace) {
        Object key = name.path() != null ? caller.files().find(name.path()) : null; // outside the lock: file system work
        synchronized (this) {
            UnixSocket s = name.abstractName() != null ? abstractNames.get(new AbstractName(namespace, name.abstractName())) : fileNames.get(key);
            if (s == null || s.isDead()) {
                throw Errno.of(Errno.ECONNREFUSED);
            }
            if (s.type() != type) {
                throw Errno.of(Errno.EPROTOTYPE);
            }
            return s;
        }
    }

    /** unix_autobind: the next free abstract name of five hex digits. */
    synchronized Name autobindName(Object namespace) {
        for (int tries = 0; tries <= 0xfffff; tries++) {
            String hex = String.format("%05x", nextAutobind);
            nextAutobind = (nextAutobind + 1) & 0xfffff;
            String name = "\0" + hex;
            if (!abstractNames.containsKey(new AbstractName(namespace, name))) {
                byte[] sa = new byte[SUN_PATH + name.length()];
                sa[0] = (byte) Socket.AF_UNIX;
                System.arraycopy(name.getBytes(StandardCharsets.ISO_8859_1), 0, sa, SUN_PATH, name.length());
                return new Name(sa, null, name);
            }
        }
        throw Errno.of(Errno.ENOSPC);
    }
}
