package dev.reactivekit.showcase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reactivekit.io.ws.CloseStatus;
import dev.reactivekit.io.ws.WebSocketOptions;
import dev.reactivekit.io.ws.WebSocketSession;
import dev.reactivekit.io.ws.WebSockets;
import dev.reactivekit.io.ws.WsMessage;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A client of {@code chat} for programs ({@code demo}, tests): connects to {@code ws://.../ws?room=R&name=N},
 * records every event the server sends (JSON objects, in order), sends what is given to {@link #send}, and
 * keeps the close status the server ended with (code -1 and the error when the connection failed).
 */
final class ChatClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    final List<JsonNode> events = new CopyOnWriteArrayList<>();
    final Sinks.One<CloseStatus> closed = Sinks.one();
    private final Sinks.Many<String> say = Sinks.many().unicast().onBackpressureBuffer();
    private final Disposable connection;

    ChatClient(String url) {
        connection = WebSockets.connect(url, WebSocketOptions.defaults(), (WebSocketSession session) ->
                        Flux.merge(session.send(say.asFlux().map(WsMessage::text)).then(Mono.empty()),
                                session.receive().ofType(WsMessage.Text.class).doOnNext(m -> events.add(parse(m.text())))
                                        .then(Mono.empty()),
                                session.closeStatus().doOnNext(closed::tryEmitValue).then(Mono.empty())))
                .subscribe(v -> { }, e -> closed.tryEmitValue(new CloseStatus(-1, e.toString())));
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("the chat server sent something that is not JSON: " + text, e);
        }
    }

    /** The events received so far of one {@code type} ({@code history}, {@code join}, {@code message}...). */
    List<JsonNode> of(String type) {
        return events.stream().filter(e -> e.path("type").asText().equals(type)).toList();
    }

    /** ": closed by the server with CODE (reason)" once it was, else nothing: for error messages. */
    String closedReason() {
        CloseStatus status = closed.asMono().toFuture().getNow(null);
        return status == null ? "" : ": closed by the server with " + status.code() + " (" + status.reason() + ")";
    }

    /** Sends one chat message (queued until the connection is open). */
    void send(String text) {
        say.tryEmitNext(text);
    }

    @Override
    public void close() {
        connection.dispose();
    }
}
