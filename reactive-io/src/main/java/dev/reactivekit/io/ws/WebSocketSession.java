package dev.reactivekit.io.ws;

import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
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

    /**
     * On the server, the upgrade request's URI as sent, path and query ({@code /ws?room=a&name=ada}); on the
     * client, the URL connected to.
     */
    String uri();

    /** The first value of query parameter {@code name} in {@link #uri()}, decoded; empty when absent. */
    default Optional<String> queryParam(String name) {
        String uri = uri();
        int query = uri.indexOf('?');
        if (query < 0) {
            return Optional.empty();
        }
        int end = uri.indexOf('#', query);
        for (String pair : uri.substring(query + 1, end < 0 ? uri.length() : end).split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return Optional.of(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }
}
