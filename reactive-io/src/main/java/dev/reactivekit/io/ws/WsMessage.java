package dev.reactivekit.io.ws;

import dev.reactivekit.core.internal.Checks;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket message. {@link WebSocketSession#receive()} delivers text, binary and pong messages (pings are
 * answered automatically and not shown); {@link WebSocketSession#send} sends any of the four.
 */
public sealed interface WsMessage permits WsMessage.Text, WsMessage.Binary, WsMessage.Ping, WsMessage.Pong {

    static Text text(String text) {
        return new Text(Checks.notNull(text, "text"));
    }

    static Binary binary(byte[] data) {
        return new Binary(ByteBuffer.wrap(Checks.notNull(data, "data").clone()).asReadOnlyBuffer());
    }

    static Ping ping(byte[] payload) {
        Checks.isTrue(payload.length <= 125, () -> "a ping payload must be at most 125 bytes: " + payload.length);
        return new Ping(ByteBuffer.wrap(payload.clone()).asReadOnlyBuffer());
    }

    /** A text message. */
    record Text(String text) implements WsMessage {
    }

    /** A binary message; {@code data} is read-only. */
    record Binary(ByteBuffer data) implements WsMessage {
        /** A copy of the bytes. */
        public byte[] bytes() {
            byte[] copy = new byte[data.remaining()];
            data.duplicate().get(copy);
            return copy;
        }

        /** The bytes as UTF-8 text. */
        public String utf8() {
            return StandardCharsets.UTF_8.decode(data.duplicate()).toString();
        }
    }

    /** A ping; the peer answers with a pong carrying the same payload. */
    record Ping(ByteBuffer payload) implements WsMessage {
    }

    /** A pong, usually the answer to our ping. */
    record Pong(ByteBuffer payload) implements WsMessage {
    }
}
