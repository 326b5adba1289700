package dev.reactivekit.io.ws;

import org.reactivestreams.Publisher;

/**
 * What a WebSocket endpoint does with a connection: the returned publisher's completion ends the connection
 * (with a normal close), its error closes it with 1011.
 */
@FunctionalInterface
public interface WebSocketHandler {

    Publisher<Void> handle(WebSocketSession session);

    /** Sends every message back (the seeds' echo server). */
    static WebSocketHandler echo() {
        return session -> session.send(session.receive().filter(m -> m instanceof WsMessage.Text || m instanceof WsMessage.Binary));
    }
}
