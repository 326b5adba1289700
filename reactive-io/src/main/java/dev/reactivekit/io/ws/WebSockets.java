package dev.reactivekit.io.ws;

import dev.reactivekit.core.internal.Checks;
import dev.reactivekit.io.internal.NetErrors;
import dev.reactivekit.io.internal.NettyWebSocketSession;
import dev.reactivekit.io.internal.NetworkTransport;
import dev.reactivekit.io.internal.TlsContexts;
import java.time.Duration;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

/**
 * WebSocket clients. Servers are routes of an {@link dev.reactivekit.io.http.HttpService}
 * ({@code HttpService.Builder#websocket}).
 *
 * <pre>{@code
 * // async with websockets.connect(uri) as ws: await ws.send("hi"); print(await ws.recv())
 * Flux<String> replies = WebSockets.connect("ws://127.0.0.1:8080/echo", WebSocketOptions.defaults(),
 *     session -> session.send(Flux.just(WsMessage.text("hi")))
 *         .thenMany(session.receive().ofType(WsMessage.Text.class).map(WsMessage.Text::text).take(1)));
 * }</pre>
 */
public final class WebSockets {

    private static final HttpClient CLIENT = HttpClient.newConnection();

    private WebSockets() {
    }

    /**
     * Connects to {@code url} ({@code ws://} or {@code wss://}) and runs {@code handler} on the session; emits what
     * the handler emits. The connection closes when the handler's publisher ends, or when the result is cancelled.
     * A refused connection or failed handshake fails with a {@link dev.reactivekit.io.NetworkException}.
     */
    public static <T> Flux<T> connect(String url, WebSocketOptions options,
            Function<? super WebSocketSession, ? extends Publisher<T>> handler) {
        Checks.notNull(url, "url");
        Checks.notNull(options, "options");
        Checks.notNull(handler, "handler");
        NetworkTransport.name();
        HttpClient client = CLIENT;
        if (options.tls() != null) {
            client = client.secure(spec -> spec.sslContext(TlsContexts.client(options.tls())));
        }
        WebsocketClientSpec.Builder spec = WebsocketClientSpec.builder()
                .maxFramePayloadLength(NettyWebSocketSession.frameLimit(options));
        if (options.subprotocol() != null) {
            spec.protocols(options.subprotocol());
        }
        return client.websocket(spec.build())
                .uri(url)
                .handle((in, out) -> handler.apply(new NettyWebSocketSession(in, out, options)))
                .onErrorMap(e -> NetErrors.map(e, "WebSocket " + url,
                        new NetErrors.Limits(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30), 1)));
    }
}
