package dev.reactivekit.io.udp;

import dev.reactivekit.core.internal.Checks;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One UDP datagram: its payload and the other end's address (the sender of a received datagram, the recipient
 * of one to send).
 *
 * @param payload read-only payload
 * @param address the other end
 */
public record Datagram(ByteBuffer payload, InetSocketAddress address) {

    public Datagram {
        Checks.notNull(payload, "payload");
        Checks.notNull(address, "address");
        payload = payload.asReadOnlyBuffer();
    }

    public static Datagram of(byte[] payload, InetSocketAddress address) {
        return new Datagram(ByteBuffer.wrap(payload.clone()), address);
    }

    public static Datagram of(String text, InetSocketAddress address) {
        return of(text.getBytes(StandardCharsets.UTF_8), address);
    }

    /** A datagram with {@code payload} to this one's sender. */
    public Datagram reply(ByteBuffer payload) {
        return new Datagram(payload, address);
    }

    /** The payload as UTF-8 text. */
    public String text() {
        return StandardCharsets.UTF_8.decode(payload.duplicate()).toString();
    }

    /** A copy of the payload's bytes. */
    public byte[] bytes() {
        byte[] b = new byte[payload.remaining()];
        payload.duplicate().get(b);
        return b;
    }
}
