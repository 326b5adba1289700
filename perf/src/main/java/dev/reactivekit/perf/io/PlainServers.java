package dev.reactivekit.perf.io;

import dev.reactivekit.io.http.HttpService;
import dev.reactivekit.io.http.RunningService;
import dev.reactivekit.io.http.ServerReply;
import dev.reactivekit.io.tcp.RunningTcpService;
import dev.reactivekit.io.tcp.TcpHandler;
import dev.reactivekit.io.tcp.TcpService;
import dev.reactivekit.io.ws.WebSocketHandler;
import dev.reactivekit.io.ws.WebSocketOptions;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.time.Duration;
import java.util.Locale;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.tcp.TcpServer;

/**
 * The plain servers the network scenarios measure, each written the way its library's documentation shows: a TCP
 * echo, {@code GET /hello} answering {@code hello}, and a WebSocket echo at {@code /ws}; ours (ReactiveKit's
 * {@code TcpService} and {@code HttpService}) or raw Reactor Netty. {@code perf serve} runs them alone, for
 * external load generators.
 */
public final class PlainServers {

    /** What a server does. */
    public enum Protocol {
        ECHO_TCP("echo-tcp"), HTTP("http"), WS("ws");

        final String label;

        Protocol(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** Whose code serves. */
    public enum Impl {
        OURS, RAW;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A running server: its port, and how to stop it. */
    public interface Running extends AutoCloseable {
        int port();

        /** Where a client goes: {@code tcp://}, {@code http://.../hello} or {@code ws://.../ws}. */
        String url();

        @Override
        void close();
    }

    public static final String HELLO = "hello";

    private PlainServers() {
    }

    public static Running start(Protocol protocol, Impl impl, String host, int port) {
        return switch (impl) {
            case OURS -> ours(protocol, host, port);
            case RAW -> raw(protocol, host, port);
        };
    }

    private static Running ours(Protocol protocol, String host, int port) {
        if (protocol == Protocol.ECHO_TCP) {
            RunningTcpService tcp = TcpService.builder().host(host).port(port)
                    // the memory scenario holds 10,000 idle connections: the default limit is just that
                    .maxConnections(100_000)
                    .handler(TcpHandler.echo()).build().start().block(Duration.ofSeconds(30));
            return running(protocol, host, tcp.port(), () -> tcp.close(Duration.ofSeconds(1)).block(Duration.ofSeconds(10)));
        }
        HttpService.Builder builder = HttpService.builder().host(host).port(port);
        if (protocol == Protocol.HTTP) {
            builder.get("/hello", req -> Mono.just(ServerReply.text(HELLO)));
        } else {
            builder.websocket("/ws", WebSocketHandler.echo(), WebSocketOptions.defaults());
        }
        RunningService http = builder.build().start().block(Duration.ofSeconds(30));
        return running(protocol, host, http.port(), () -> http.close(Duration.ofSeconds(1)).block(Duration.ofSeconds(10)));
    }

    private static Running raw(Protocol protocol, String host, int port) {
        try {
            return bindRaw(protocol, host, port);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("raw Reactor Netty " + protocol + " server cannot listen on " + host + ":" + port
                    + ": " + cause.getMessage(), e);
        }
    }

    private static Running bindRaw(Protocol protocol, String host, int port) {
        DisposableServer server = switch (protocol) {
            case ECHO_TCP -> TcpServer.create().host(host).port(port)
                    .handle((in, out) -> out.send(in.receive().retain())).bindNow();
            case HTTP -> HttpServer.create().host(host).port(port)
                    .route(r -> r.get("/hello", (req, res) -> res.header("Content-Type", "text/plain; charset=utf-8")
                            .sendString(Mono.just(HELLO))))
                    .bindNow();
            case WS -> HttpServer.create().host(host).port(port)
                    .route(r -> r.ws("/ws", (in, out) -> out.sendObject(in.aggregateFrames().receiveFrames()
                            .map(WebSocketFrame::retain))))
                    .bindNow();
        };
        return running(protocol, host, server.port(), server::disposeNow);
    }

    private static Running running(Protocol protocol, String host, int port, Runnable stop) {
        String url = switch (protocol) {
            case ECHO_TCP -> "tcp://" + host + ":" + port;
            case HTTP -> "http://" + host + ":" + port + "/hello";
            case WS -> "ws://" + host + ":" + port + "/ws";
        };
        return new Running() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public String url() {
                return url;
            }

            @Override
            public void close() {
                stop.run();
            }
        };
    }
}
