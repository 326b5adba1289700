package dev.reactivekit.io.ws;

import dev.reactivekit.core.Deadline;
import dev.reactivekit.core.PermanentException;
import dev.reactivekit.core.internal.Checks;
import dev.reactivekit.io.http.HttpStatusException;
import dev.reactivekit.io.internal.NetErrors;
import dev.reactivekit.io.internal.NettyWebSocketSession;
import dev.reactivekit.io.internal.NetworkTransport;
import dev.reactivekit.io.internal.TlsContexts;
import dev.reactivekit.io.internal.Urls;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
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
     * <ul>
     *   <li>A malformed URL (no scheme, another scheme, no host, a port out of range) fails with an
     *       {@link dev.reactivekit.io.http.InvalidUrlException} naming it, before any lookup.</li>
     *   <li>A handshake the server refuses fails with an {@link HttpStatusException} carrying its status (404,
     *       403, 503...); a refused or reset connection with a {@link dev.reactivekit.io.NetworkException};
     *       connecting longer than {@link WebSocketOptions#connectTimeout()} with an
     *       {@link dev.reactivekit.core.OperationTimeoutException}.</li>
     *   <li>The {@link WebSocketOptions#policy() policy} runs the connection: its retry only until the handshake
     *       is done (never once the handler has started), its per-attempt timeout and deadline over the whole
     *       session. A {@link Deadline} in the subscriber's context ends the session when it expires.</li>
     * </ul>
     */
    public static <T> Flux<T> connect(String url, WebSocketOptions options,
            Function<? super WebSocketSession, ? extends Publisher<T>> handler) {
        Checks.notNull(url, "url");
        Checks.notNull(options, "options");
        Checks.notNull(handler, "handler");
        return Flux.defer(() -> {
            URI uri = Urls.parse(url, Urls.WEBSOCKET);
            NetworkTransport.name();
            HttpClient client = CLIENT.option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                    (int) options.connectTimeout().toMillis());
            if (options.tls() != null) {
                client = client.secure(spec -> spec.sslContext(TlsContexts.client(options.tls())));
            }
            WebsocketClientSpec.Builder spec = WebsocketClientSpec.builder()
                    .maxFramePayloadLength(NettyWebSocketSession.frameLimit(options));
            if (options.subprotocol() != null) {
                spec.protocols(options.subprotocol());
            }
            String op = "WebSocket " + url;
            HttpClient connecting = client;
            return options.policy().apply(op, Flux.defer(() -> {
                AtomicBoolean open = new AtomicBoolean();
                return connecting.websocket(spec.build())
                        .uri(uri)
                        .handle((in, out) -> {
                            open.set(true);
                            return handler.apply(new NettyWebSocketSession(in, out, options, url));
                        })
                        // Once the handler has run, the session may have sent data: never connect again. Its
                        // errors are the handler's own, or the session's (which names the connection itself).
                        .onErrorMap(e -> open.get() ? new SessionFailure(e)
                                : NetErrors.map(handshakeError(e, url), op,
                                        NetErrors.Limits.connecting(options.connectTimeout())));
            })).onErrorMap(SessionFailure.class, Throwable::getCause);
        });
    }

    private static Throwable handshakeError(Throwable error, String url) {
        if (error instanceof WebSocketClientHandshakeException refused) {
            return new HttpStatusException("GET", url, refused.response().status().code(),
                    "WebSocket handshake refused");
        }
        return error;
    }

    /** An error after the handshake, marked permanent so that no retry connects again; unwrapped after. */
    private static final class SessionFailure extends PermanentException {
        private static final long serialVersionUID = 1L;

        SessionFailure(Throwable cause) {
            super(String.valueOf(cause.getMessage()), cause);
        }
    }
}
