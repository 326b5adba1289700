package dev.reactivekit.io.tcp;

import dev.reactivekit.core.Deadline;
import dev.reactivekit.core.Policy;
import dev.reactivekit.core.internal.Checks;
import dev.reactivekit.io.http.ClientTls;
import dev.reactivekit.io.internal.NetErrors;
import dev.reactivekit.io.internal.NettyTcpConnection;
import dev.reactivekit.io.internal.NetworkTransport;
import dev.reactivekit.io.internal.TlsContexts;
import io.netty.channel.ChannelOption;
import java.time.Duration;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Opens TCP connections (asyncio's {@code open_connection}).
 *
 * <pre>{@code
 * TcpClient client = TcpClient.builder().framing(Framing.lines()).build();
 * Flux<String> reply = client.connect("127.0.0.1", 8888, connection ->
 *     connection.sendText(Flux.just("Hello, World!")).thenMany(connection.receiveText().take(1)));
 * }</pre>
 *
 * {@link #connect(String, int, Function)} closes the connection when the session's publisher ends or the result
 * is cancelled; {@link #open} leaves closing to the caller. A connection that cannot be made within the connect
 * timeout fails with an {@link dev.reactivekit.core.OperationTimeoutException}; a refused one with a
 * {@link dev.reactivekit.io.NetworkException}. Connecting runs under the client's {@link Builder#policy policy}
 * (by default none: no retry), so a policy with a retry reconnects to a server that is restarting; a session is
 * never run twice. A {@link Deadline} in the subscriber's context caps connecting and, for {@code connect}, the
 * whole session.
 */
public final class TcpClient {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final Duration connectTimeout;
    private final Framing framing;
    private final ClientTls tls;
    private final Policy policy;

    private TcpClient(Builder b) {
        this.connectTimeout = b.connectTimeout;
        this.framing = b.framing;
        this.tls = b.tls;
        this.policy = b.policy;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this client's settings, to make another with some of them changed. */
    public Builder toBuilder() {
        Builder b = builder().connectTimeout(connectTimeout).framing(framing).policy(policy);
        return tls == null ? b : b.tls(tls);
    }

    /** A client with no framing and the default connect timeout. */
    public static TcpClient create() {
        return builder().build();
    }

    /** Connects, runs {@code session} on the connection, then closes it; emits what the session emits. */
    public <T> Flux<T> connect(String host, int port, Function<? super TcpConnection, ? extends Publisher<T>> session) {
        Checks.notNull(session, "session");
        return Deadline.honor(Flux.usingWhen(open(host, port), session, TcpConnection::close));
    }

    /** Connects; the caller closes the connection with {@link TcpConnection#close()}. */
    public Mono<TcpConnection> open(String host, int port) {
        Checks.notNull(host, "host");
        Checks.between(port, 1, 65535, "port");
        return Mono.defer(() -> {
            NetworkTransport.name();
            reactor.netty.tcp.TcpClient client = reactor.netty.tcp.TcpClient.create()
                    .host(host).port(port)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                    .doOnConnected(connection -> NettyTcpConnection.frame(connection, framing));
            if (tls != null) {
                client = client.secure(spec -> spec.sslContext(TlsContexts.client(tls)));
            }
            String op = "TCP connect " + host + ":" + port;
            reactor.netty.tcp.TcpClient connecting = client;
            return policy.apply(op, Mono.defer(() -> connecting.connect())
                    .map(c -> (TcpConnection) new NettyTcpConnection(c.inbound(), c.outbound(), c, framing))
                    .onErrorMap(e -> NetErrors.map(e, op, NetErrors.Limits.connecting(connectTimeout))));
        });
    }

    /** Builds a {@link TcpClient}. */
    public static final class Builder {
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Framing framing = Framing.none();
        private ClientTls tls;
        private Policy policy = Policy.none();

        private Builder() {
        }

        /**
         * The policy each connect runs under (default {@link Policy#none()}): its retry reconnects on transient
         * failures (a refused connection, a connect timeout), its timeout and deadline bound connecting.
         */
        public Builder policy(Policy policy) {
            this.policy = Checks.notNull(policy, "policy");
            return this;
        }

        /** Longest time to connect (> 0; default 5 s). */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = Checks.positive(d, "connectTimeout");
            return this;
        }

        /** How messages are cut (default: none). */
        public Builder framing(Framing framing) {
            this.framing = Checks.notNull(framing, "framing");
            return this;
        }

        /** Connects with TLS, trusting as {@code tls} says. */
        public Builder tls(ClientTls tls) {
            this.tls = Checks.notNull(tls, "tls");
            return this;
        }

        public TcpClient build() {
            return new TcpClient(this);
        }
    }
}
