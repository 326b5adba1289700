package dev.reactivekit.io.ws;

import dev.reactivekit.core.internal.Checks;
import dev.reactivekit.io.http.ClientTls;

/**
 * Limits and settings of a WebSocket endpoint. Immutable; every setter returns a copy.
 *
 * @param maxFrameSize   largest frame payload accepted, in bytes (default 64 KiB); a bigger one closes the
 *                       connection with 1009 (message too big)
 * @param maxMessageSize largest message, whole or once its fragments are joined, in bytes (default 1 MiB); a
 *                       bigger one closes the connection with 1009
 * @param subprotocol    the subprotocol to negotiate, or {@code null}
 * @param tls            for clients: which servers {@code wss://} trusts ({@code null}: the JDK's trust store)
 */
public record WebSocketOptions(int maxFrameSize, int maxMessageSize, String subprotocol, ClientTls tls) {

    public static final int DEFAULT_MAX_FRAME_SIZE = 64 * 1024;
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 1024 * 1024;

    public WebSocketOptions {
        Checks.positive(maxFrameSize, "maxFrameSize");
        Checks.positive(maxMessageSize, "maxMessageSize");
    }

    public static WebSocketOptions defaults() {
        return new WebSocketOptions(DEFAULT_MAX_FRAME_SIZE, DEFAULT_MAX_MESSAGE_SIZE, null, null);
    }

    public WebSocketOptions maxFrameSize(int bytes) {
        return new WebSocketOptions(bytes, maxMessageSize, subprotocol, tls);
    }

    public WebSocketOptions maxMessageSize(int bytes) {
        return new WebSocketOptions(maxFrameSize, bytes, subprotocol, tls);
    }

    public WebSocketOptions subprotocol(String subprotocol) {
        return new WebSocketOptions(maxFrameSize, maxMessageSize, Checks.notNull(subprotocol, "subprotocol"), tls);
    }

    public WebSocketOptions tls(ClientTls tls) {
        return new WebSocketOptions(maxFrameSize, maxMessageSize, subprotocol, Checks.notNull(tls, "tls"));
    }
}
