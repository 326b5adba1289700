package dev.reactivekit.io.tcp;

import dev.reactivekit.core.internal.Checks;
import dev.reactivekit.io.http.ServerTls;
import dev.reactivekit.io.internal.GracefulShutdown;
import dev.reactivekit.io.internal.HandlerHalt;
import dev.reactivekit.io.internal.NetErrors;
import dev.reactivekit.io.internal.NettyTcpConnection;
import dev.reactivekit.io.internal.NetworkTransport;
import dev.reactivekit.io.internal.TlsContexts;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

/**
 * A TCP server running one handler per connection (asyncio's {@code start_server}).
 *
 * <pre>{@code
 * RunningTcpService echo = TcpService.builder()
 *     .port(8888)
 *     .framing(Framing.lines())
 *     .handler(connection -> connection.sendText(connection.receiveText().map(String::toUpperCase)))
 *     .build().start().block();
 * }</pre>
 *
 * At most {@link Builder#maxConnections} connections are served at once (further ones are closed as soon as
 * they are accepted); a connection that sends nothing for {@link Builder#idleTimeout} is closed.
 * {@link RunningTcpService#close(Duration)} lets handlers in progress finish within a grace period, then closes the
 * remaining connections and cancels their handlers.
 */
public final class TcpService {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);

    private static final Logger log = LoggerFactory.getLogger(TcpService.class);

    private final String host;
    private final int port;
    private final int maxConnections;
    private final Duration idleTimeout;
    private final Framing framing;
    private final ServerTls tls;
    private final TcpHandler handler;

    private TcpService(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.maxConnections = b.maxConnections;
        this.idleTimeout = b.idleTimeout;
        this.framing = b.framing;
        this.tls = b.tls;
        this.handler = b.handler;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this service's settings and handler, to make another with some of them changed. */
    public Builder toBuilder() {
        Builder b = builder().host(host).port(port).maxConnections(maxConnections).idleTimeout(idleTimeout)
                .framing(framing).handler(handler);
        return tls == null ? b : b.tls(tls);
    }

    /** Binds and starts serving; fails with a {@link dev.reactivekit.io.NetworkException} if the port is taken. */
    public Mono<RunningTcpService> start() {
        return Mono.defer(() -> {
            NetworkTransport.name();
            AtomicInteger active = new AtomicInteger();
            ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
            HandlerHalt halt = new HandlerHalt();
            boolean rawEcho = handler instanceof TcpHandler.Echo && framing.kind() == Framing.Kind.NONE;
            TcpServer server = TcpServer.create().host(host).port(port).channelGroup(connections)
                    .doOnConnection(connection -> {
                        // A listener on the close future, not onDispose(): that one builds a race of Monos per
                        // connection (about 400 bytes each of 10,000 idle connections).
                        connection.channel().closeFuture().addListener(closed -> active.decrementAndGet());
                        if (active.incrementAndGet() > maxConnections) {
                            log.warn("TCP server on port {}: {} connections already open (maxConnections); closing {}",
                                    port, maxConnections, connection.channel().remoteAddress());
                            connection.dispose();
                            return;
                        }
                        // Netty's idle handler straight into the pipeline: Reactor Netty's onReadIdle() also
                        // registers its removal on dispose, another race of Monos per connection.
                        connection.channel().pipeline().addFirst("reactivekit.readIdle", new CloseWhenReadIdle(idleTimeout));
                        NettyTcpConnection.frame(connection, framing);
                    })
                    .handle((in, out) -> {
                        if (rawEcho) {
                            // The echo without framing needs no conversion: Netty's buffers go straight back.
                            return halt.guard(out.send(in.receive().retain()));
                        }
                        reactor.netty.Connection[] connection = new reactor.netty.Connection[1];
                        in.withConnection(c -> connection[0] = c);
                        if (connection[0].isDisposed()) {
                            return Mono.empty();
                        }
                        return halt.guard(handler.handle(new NettyTcpConnection(in, out, connection[0], framing)));
                    });
            if (tls != null) {
                server = server.secure(spec -> spec.sslContext(TlsContexts.server(tls)));
            }
            return server.bind()
                    .onErrorMap(e -> NetErrors.bindFailed(e, "TCP server", host, port))
                    .map(bound -> (RunningTcpService) new Running(bound, connections, active, halt));
        });
    }

    /** Closes a connection that received nothing for the idle timeout. */
    private static final class CloseWhenReadIdle extends io.netty.handler.timeout.IdleStateHandler {
        CloseWhenReadIdle(Duration idleTimeout) {
            super(idleTimeout.toMillis(), 0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        @Override
        protected void channelIdle(io.netty.channel.ChannelHandlerContext ctx, io.netty.handler.timeout.IdleStateEvent event) {
            ctx.close();
        }
    }

    /** Builds a {@link TcpService}. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Framing framing = Framing.none();
        private ServerTls tls;
        private TcpHandler handler;

        private Builder() {
        }

        /** The address to listen on (default {@value #DEFAULT_HOST}). */
        public Builder host(String host) {
            this.host = Checks.notNull(host, "host");
            return this;
        }

        /** The port (0-65535; default 0: any free port). */
        public Builder port(int port) {
            Checks.between(port, 0, 65535, "port");
            this.port = port;
            return this;
        }

        /** Connections served at once (> 0; default 10,000). */
        public Builder maxConnections(int n) {
            this.maxConnections = Checks.positive(n, "maxConnections");
            return this;
        }

        /** A connection silent for this long is closed (> 0; default 5 min). */
        public Builder idleTimeout(Duration d) {
            this.idleTimeout = Checks.positive(d, "idleTimeout");
            return this;
        }

        /** How messages are cut (default: none, raw chunks). */
        public Builder framing(Framing framing) {
            this.framing = Checks.notNull(framing, "framing");
            return this;
        }

        /** Serves TLS with this key and certificate. */
        public Builder tls(ServerTls tls) {
            this.tls = Checks.notNull(tls, "tls");
            return this;
        }

        /** What to do with each connection; required. */
        public Builder handler(TcpHandler handler) {
            this.handler = Checks.notNull(handler, "handler");
            return this;
        }

        public TcpService build() {
            Checks.isTrue(handler != null, () -> "a TcpService needs a `handler`");
            return new TcpService(this);
        }
    }

    private static final class Running implements RunningTcpService {
        private final DisposableServer server;
        private final ChannelGroup connections;
        private final AtomicInteger active;
        private final HandlerHalt halt;

        Running(DisposableServer server, ChannelGroup connections, AtomicInteger active, HandlerHalt halt) {
            this.server = server;
            this.connections = connections;
            this.active = active;
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
        public int activeConnections() {
            return Math.max(0, active.get());
        }

        @Override
        public Mono<Void> close(Duration grace) {
            Checks.positive(grace, "grace");
            return GracefulShutdown.stop(server, connections, grace, "TCP server on port " + port(), halt::fire);
        }

        @Override
        public Mono<Void> onClose() {
            return server.onDispose();
        }
    }
}
