package dev.reactivekit.io.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reactivekit.core.internal.Checks;
import dev.reactivekit.io.internal.ByteBufs;
import dev.reactivekit.io.internal.GracefulShutdown;
import dev.reactivekit.io.internal.HandlerHalt;
import dev.reactivekit.io.internal.NetErrors;
import dev.reactivekit.io.internal.NetworkTransport;
import dev.reactivekit.io.internal.TlsContexts;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;
import reactor.netty.http.server.WebsocketServerSpec;
import dev.reactivekit.io.ws.WebSocketHandler;
import dev.reactivekit.io.ws.WebSocketOptions;
import dev.reactivekit.io.internal.NettyWebSocketSession;

/**
 * An HTTP server built from routes (aiohttp.web), over Reactor Netty.
 *
 * <pre>{@code
 * RunningService server = HttpService.builder()
 *     .port(8080)
 *     .get("/hello", req -> Mono.just(ServerReply.text("hello")))
 *     .get("/users/{id}", req -> users.find(req.pathParam("id")).map(ServerReply::json))
 *     .post("/echo", req -> req.bodyJson(Map.class).map(ServerReply::json))
 *     .build()
 *     .start()
 *     .block();
 * server.close(Duration.ofSeconds(10)).block();   // lets requests in progress finish
 * }</pre>
 *
 * Handlers return a {@code Mono<ServerReply>}. A handler that fails is answered by what the error was made for;
 * only errors made for the reply reach the client as they are:
 * <ul>
 *   <li>a {@link ResponseStatusException}: its status and message (a malformed JSON body read with
 *       {@link ServerRequest#bodyJson} is one, with 400);</li>
 *   <li>the request's own body over {@link Builder#maxRequestBodySize}: 413, naming the limit (a request whose
 *       Content-Length is over it is refused before its handler runs);</li>
 *   <li>an upstream {@link HttpStatusException} (the handler called another service with an {@code HttpFetcher}
 *       and it failed): 502 with a generic body, never the upstream's status, URL or body;</li>
 *   <li>a transient failure (a timeout, a dropped connection, a full pool): 503 with a generic body;</li>
 *   <li>anything else: 500 with a generic body.</li>
 * </ul>
 * Generic replies carry a request id, in the body and the {@code X-Request-Id} header (the client's own
 * {@code X-Request-Id} when it sent a short, plain one); the error itself is logged with that id, so a report
 * from a client leads to the log line. Requests to no route get 404.
 * <p>
 * {@link RunningService#close(Duration)} stops accepting, lets requests in progress finish within the grace period, then
 * closes the remaining connections and cancels their handlers, so nothing a handler holds outlives the server.
 */
public final class HttpService {

    /** Default address: loopback only; use "0.0.0.0" to accept connections from other hosts. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_REQUEST_BODY_SIZE = 16L * 1024 * 1024;
    /** Default time a keep-alive connection may stay idle. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

    private final Builder settings;

    private HttpService(Builder settings) {
        this.settings = settings.copy();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this service's settings and routes, to make another with some of them changed. */
    public Builder toBuilder() {
        return settings.copy();
    }

    /** Binds the port and starts serving; emits the running service. Fails if the port cannot be bound. */
    public Mono<RunningService> start() {
        return Mono.defer(() -> {
            NetworkTransport.name();
            ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
            HandlerHalt halt = new HandlerHalt();
            HttpServer server = HttpServer.create()
                    .host(settings.host)
                    .port(settings.port)
                    .idleTimeout(settings.idleTimeout)
                    .compress(settings.compress)
                    .channelGroup(connections)
                    .route(routes -> routes(routes, halt));
            if (settings.tls != null) {
                server = server.secure(spec -> spec.sslContext(TlsContexts.server(settings.tls)));
            }
            return server.bind()
                    .onErrorMap(e -> NetErrors.bindFailed(e, "HTTP server", settings.host, settings.port))
                    .map(bound -> (RunningService) new Running(bound, connections, settings.tls != null, halt));
        });
    }

    private void routes(HttpServerRoutes routes, HandlerHalt halt) {
        for (Route route : settings.routes) {
            route.register.register(routes, this, halt);
        }
    }

    /** Adapts a handler to Reactor Netty: body limit, error replies, reply writing, cancellation at stop. */
    BiHandler adapt(Function<? super ServerRequest, ? extends Mono<ServerReply>> handler, HandlerHalt halt) {
        return (req, res) -> {
            NettyServerRequest request = new NettyServerRequest(req, settings.mapper, settings.maxRequestBodySize);
            Mono<ServerReply> reply;
            if (request.contentLength() > settings.maxRequestBodySize) {
                reply = Mono.just(plain(413, "request body of " + request.contentLength() + " bytes is over the limit of "
                        + settings.maxRequestBodySize + " bytes (maxRequestBodySize)"));
            } else {
                reply = Mono.defer(() -> handler.apply(request))
                        .onErrorResume(e -> Mono.just(ErrorReplies.reply(e, request)))
                        .defaultIfEmpty(ServerReply.empty(204));
            }
            return halt.guard(reply.flatMap(r -> write(r, res)));
        };
    }

    private Mono<Void> write(ServerReply reply, HttpServerResponse res) {
        res.status(reply.status());
        reply.headers().asMap().forEach((name, values) -> res.responseHeaders().set(name, values));
        if (reply.stream() != null) {
            return res.send(Flux.from(reply.stream()).map(ByteBufs::wrap)).then();
        }
        if (reply.jsonValue() != null) {
            return res.sendByteArray(Mono.fromCallable(() -> settings.mapper.writeValueAsBytes(reply.jsonValue()))).then();
        }
        byte[] bytes = reply.bytes();
        if (bytes.length == 0) {
            return res.send().then();
        }
        return res.sendByteArray(Mono.just(bytes)).then();
    }

    static ServerReply plain(int status, String message) {
        return ServerReply.text(message).status(status);
    }

    /** Reactor Netty's handler shape. */
    interface BiHandler extends java.util.function.BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> {
    }

    /** Registers one route on Reactor Netty's routes, adapting its handler to the service's settings. */
    private record Route(Registration register) {
    }

    private interface Registration {
        void register(HttpServerRoutes routes, HttpService service, HandlerHalt halt);
    }


    /** Builds an {@link HttpService}: where to listen, limits, and the routes. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private long maxRequestBodySize = DEFAULT_MAX_REQUEST_BODY_SIZE;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private boolean compress;
        private ServerTls tls;
        private ObjectMapper mapper = new ObjectMapper();
        private final List<Route> routes = new ArrayList<>();

        private Builder() {
        }

        /** The address to listen on (default {@value #DEFAULT_HOST}). */
        public Builder host(String host) {
            this.host = Checks.notNull(host, "host");
            return this;
        }

        /** The port (0-65535; 0 picks a free one; default {@value #DEFAULT_PORT}). */
        public Builder port(int port) {
            Checks.between(port, 0, 65535, "port");
            this.port = port;
            return this;
        }

        /** Largest request body accepted, in bytes (> 0; default 16 MiB); larger ones get 413. */
        public Builder maxRequestBodySize(long bytes) {
            this.maxRequestBodySize = Checks.positive(bytes, "maxRequestBodySize");
            return this;
        }

        /** How long a keep-alive connection may stay idle (> 0; default 60 s). */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = Checks.positive(idleTimeout, "idleTimeout");
            return this;
        }

        /** Whether responses are compressed when the client accepts it (default false, as in aiohttp). */
        public Builder compress(boolean compress) {
            this.compress = compress;
            return this;
        }

        /** Serves HTTPS with this key and certificate. */
        public Builder tls(ServerTls tls) {
            this.tls = Checks.notNull(tls, "tls");
            return this;
        }

        /** The Jackson mapper for JSON bodies and replies. */
        public Builder objectMapper(ObjectMapper mapper) {
            this.mapper = Checks.notNull(mapper, "mapper");
            return this;
        }

        /** Handles GET {@code path}; {@code {name}} segments are path parameters. */
        public Builder get(String path, Function<? super ServerRequest, ? extends Mono<ServerReply>> handler) {
            return add(path, handler, (r, p, h) -> r.get(p, h));
        }

        public Builder post(String path, Function<? super ServerRequest, ? extends Mono<ServerReply>> handler) {
            return add(path, handler, (r, p, h) -> r.post(p, h));
        }

        public Builder put(String path, Function<? super ServerRequest, ? extends Mono<ServerReply>> handler) {
            return add(path, handler, (r, p, h) -> r.put(p, h));
        }

        public Builder delete(String path, Function<? super ServerRequest, ? extends Mono<ServerReply>> handler) {
            return add(path, handler, (r, p, h) -> r.delete(p, h));
        }

        public Builder head(String path, Function<? super ServerRequest, ? extends Mono<ServerReply>> handler) {
            return add(path, handler, (r, p, h) -> r.head(p, h));
        }

        public Builder options(String path, Function<? super ServerRequest, ? extends Mono<ServerReply>> handler) {
            return add(path, handler, (r, p, h) -> r.options(p, h));
        }

        /**
         * Accepts WebSocket connections on {@code path} (GET with an upgrade) and runs {@code handler} on each
         * session, with the limits of {@code options}.
         */
        public Builder websocket(String path, WebSocketHandler handler, WebSocketOptions options) {
            Checks.notNull(path, "path");
            Checks.notNull(handler, "handler");
            Checks.notNull(options, "options");
            WebsocketServerSpec spec = NettyWebSocketSession.serverSpec(options);
            routes.add(new Route((r, service, halt) -> r.ws(path,
                    (in, out) -> halt.guard(NettyWebSocketSession.serve(in, out, options, handler)), spec)));
            return this;
        }

        /** An immutable service with the settings and routes given so far. */
        public HttpService build() {
            return new HttpService(this);
        }

        private Builder copy() {
            Builder b = new Builder();
            b.host = host;
            b.port = port;
            b.maxRequestBodySize = maxRequestBodySize;
            b.idleTimeout = idleTimeout;
            b.compress = compress;
            b.tls = tls;
            b.mapper = mapper;
            b.routes.addAll(routes);
            return b;
        }

        private interface Registrar {
            void register(HttpServerRoutes routes, String path, BiHandler handler);
        }

        private Builder add(String path, Function<? super ServerRequest, ? extends Mono<ServerReply>> handler, Registrar how) {
            Checks.notNull(path, "path");
            Checks.notNull(handler, "handler");
            routes.add(new Route((r, service, halt) -> how.register(r, path, service.adapt(handler, halt))));
            return this;
        }
    }

    private static final class Running implements RunningService {
        private final DisposableServer server;
        private final ChannelGroup connections;
        private final boolean secure;
        private final HandlerHalt halt;

        Running(DisposableServer server, ChannelGroup connections, boolean secure, HandlerHalt halt) {
            this.server = server;
            this.connections = connections;
            this.secure = secure;
            this.halt = halt;
        }

        @Override
        public int port() {
            return server.port();
        }

        @Override
        public String host() {
            return server.host();
        }

        @Override
        public String url(String path) {
            return (secure ? "https://" : "http://") + host() + ":" + port() + path;
        }

        @Override
        public Mono<Void> close(Duration grace) {
            Checks.positive(grace, "grace");
            return GracefulShutdown.stop(server, connections, grace, "HTTP server on port " + port(), halt::fire);
        }

        @Override
        public Mono<Void> onClose() {
            return server.onDispose();
        }
    }
}
