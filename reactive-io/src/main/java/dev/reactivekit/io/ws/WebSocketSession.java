package dev.reactivekit.io.ws;

import java.net.InetSocketAddress;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** One WebSocket connection, server or client side, for the lifetime of its handler. */
public interface WebSocketSession {

    /**
     * Messages from the peer, whole (fragments are joined), until it closes. Text, binary and pongs; pings are
     * answered automatically. Cancelling stops the delivery, not the connection: it stays open until the handler
     * ends or {@link #close} is called. Subscribers share one stream of messages.
     */
    Flux<WsMessage> receive();

    /** Sends {@code messages} as the connection can take them; completes when all are sent. */
    Mono<Void> send(Publisher<? extends WsMessage> messages);

    /** Sends a close frame with {@code code} and {@code reason}; the connection ends after the peer answers. */
    Mono<Void> close(int code, String reason);

    /** How the peer closed the connection: completes with its code and reason when its close frame arrives. */
    Mono<CloseStatus> closeStatus();

    /** The peer's address. */
    InetSocketAddress remoteAddress();
}
