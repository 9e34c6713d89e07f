package dev.phoenix.vgpu.vulkan;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * What Phoenix and its render server ({@link RenderServer}) say over the server's stdin and
 * stdout, in {@link java.io.DataOutputStream}'s big-endian encoding. A request is an int opcode and
 * its fields; COMPILE and DISPATCH get one reply each, CLOSE and FORGET none. A reply is an int
 * status, a UTF string (a device name, a refusal's reason) and an int count of int values.
 *
 * <ul>
 *   <li>COMPILE id entry(UTF) length bytes: OK with the workgroup size, binding count and push
 *       constant bytes; REFUSED with the reason; FAILED.</li>
 *   <li>DISPATCH id gx gy gz count {frames-id fd size offset length}... push-length push: OK,
 *       LOST or FAILED. Each buffer is {@code [offset, offset+length)} of Phoenix's memfd {@code
 *       fd}, {@code size} bytes long, known by the allocator's id {@code frames-id}.</li>
 *   <li>CLOSE id: the kernel is not used again.</li>
 *   <li>FORGET count frames-id...: those frames are freed; the server unmaps them.</li>
 * </ul>
 * The first reply, before any request, says whether the server opened a Vulkan device: OK with
 * its name, or UNAVAILABLE with why not.
 */
final class RenderProtocol {
    private RenderProtocol() {}

    static final int COMPILE = 1, DISPATCH = 2, CLOSE = 3, FORGET = 4;
    static final int OK = 0, REFUSED = 1, LOST = 2, FAILED = 3, UNAVAILABLE = 4;

    /** A reply as read. */
    record Reply(int status, String message, int[] values) { }

    static void reply(DataOutputStream out, int status, String message, int... values) throws IOException {
        out.writeInt(status);
        out.writeUTF(message.length() > 4000 ? message.substring(0, 4000) : message);
        out.writeInt(values.length);
        for (int v : values) out.writeInt(v);
    }

    static Reply read(DataInputStream in) throws IOException {
        int status = in.readInt();
        String message = in.readUTF();
        int n = in.readInt();
        if (n < 0 || n > 64) throw new IOException("malformed reply");
        int[] values = new int[n];
        for (int i = 0; i < n; i++) values[i] = in.readInt();
        return new Reply(status, message, values);
    }
}
