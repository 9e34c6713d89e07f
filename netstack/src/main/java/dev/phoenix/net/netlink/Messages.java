package dev.phoenix.net.netlink;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Netlink's wire format (netlink(7)): a message is a 16-byte nlmsghdr (length, type, flags,
 * sequence, port id) and a payload, padded to 4 bytes; a payload is a fixed family header and
 * then rtattr attributes (length, type, data, padded to 4). Little-endian, as on every arch
 * Phoenix runs (host byte order).
 */
final class Messages {
    private Messages() {}

    static final int NLMSG_HDRLEN = 16;
    static final int NLMSG_NOOP = 1, NLMSG_ERROR = 2, NLMSG_DONE = 3, NLMSG_MIN_TYPE = 0x10;
    static final int NLM_F_REQUEST = 1, NLM_F_MULTI = 2, NLM_F_ACK = 4, NLM_F_DUMP = 0x300, NLM_F_CAPPED = 0x100;

    static int align(int n) {
        return (n + 3) & ~3;
    }

    /** A message under construction: the header's fields, the family header, then attributes. */
    static final class Builder {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final int type, flags, seq, pid;

        Builder(int type, int flags, int seq, int pid) {
            this.type = type;
            this.flags = flags;
            this.seq = seq;
            this.pid = pid;
        }

        Builder bytes(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        /** A fixed header given as little-endian fields of the sizes in {@code sizes} (1, 2, 4 bytes). */
        Builder fields(int[] sizes, int... values) {
            for (int i = 0; i < sizes.length; i++) {
                for (int k = 0; k < sizes[i]; k++) {
                    out.write(values[i] >>> (8 * k));
                }
            }
            return this;
        }

        /** An rtattr of {@code type} holding {@code data}, padded. */
        Builder attr(int type, byte[] data) {
            int len = 4 + data.length;
            out.write(len);
            out.write(len >> 8);
            out.write(type);
            out.write(type >> 8);
            out.writeBytes(data);
            for (int i = len; i < align(len); i++) {
                out.write(0);
            }
            return this;
        }

        Builder u8(int type, int v) {
            return attr(type, new byte[] {(byte) v});
        }

        Builder u32(int type, int v) {
            return attr(type, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
        }

        Builder string(int type, String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            return attr(type, java.util.Arrays.copyOf(b, b.length + 1));
        }

        byte[] build() {
            byte[] body = out.toByteArray();
            ByteBuffer b = ByteBuffer.allocate(NLMSG_HDRLEN + align(body.length)).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(NLMSG_HDRLEN + body.length).putShort((short) type).putShort((short) flags).putInt(seq).putInt(pid);
            b.put(body);
            return b.array();
        }
    }

    /** One request message: its header fields and payload (the bytes after the nlmsghdr). */
    record Message(int type, int flags, int seq, int pid, byte[] raw, int payload, int length) {
        int u8(int at) {
            return raw[payload + at] & 0xff;
        }

        int u16(int at) {
            return (raw[payload + at] & 0xff) | (raw[payload + at + 1] & 0xff) << 8;
        }

        int u32(int at) {
            return ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getInt(payload + at);
        }

        /** The payload's size. */
        int size() {
            return length - NLMSG_HDRLEN;
        }

        /** The whole message's bytes (what an error reply quotes). */
        byte[] bytes() {
            return java.util.Arrays.copyOfRange(raw, payload - NLMSG_HDRLEN, payload - NLMSG_HDRLEN + length);
        }

        /** The attributes after a family header of {@code header} bytes, by type (the last of a type wins). */
        Map<Integer, byte[]> attributes(int header) {
            Map<Integer, byte[]> m = new HashMap<>();
            int at = align(header);
            while (at + 4 <= size()) {
                int len = u16(at), type = u16(at + 2) & 0x3fff; // without NLA_F_NESTED and NLA_F_NET_BYTEORDER
                if (len < 4 || at + len > size()) {
                    break;
                }
                m.put(type, java.util.Arrays.copyOfRange(raw, payload + at + 4, payload + at + len));
                at += align(len);
            }
            return m;
        }
    }

    /** A C string attribute's text, up to its NUL. */
    static String string(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }
}
