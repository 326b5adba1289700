package dev.reactivekit.io.udp;

import dev.reactivekit.core.AsyncCloseable;
import dev.reactivekit.core.ClientClosedException;
import dev.reactivekit.core.Deadline;
import dev.reactivekit.core.LimitExceededException;
import dev.reactivekit.core.internal.Checks;
import dev.reactivekit.io.internal.ByteBufs;
import dev.reactivekit.io.internal.NetErrors;
import dev.reactivekit.io.internal.NetworkTransport;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramPacket;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.NettyInbound;
import reactor.netty.NettyOutbound;
import reactor.netty.udp.UdpServer;

/**
 * A bound UDP socket that receives datagrams as a {@code Flux} and sends them to any address (asyncio's
 * {@code create_datagram_endpoint}). UDP has no connections: a "server" and a "client" are both endpoints.
 *
 * <pre>{@code
 * // server: echo every datagram to its sender
 * UdpEndpoint server = UdpEndpoint.serve("127.0.0.1", 9999, datagrams -> datagrams.map(d -> d.reply(d.payload()))).block();
 * // client: bind any free port, send, read the answer
 * UdpEndpoint client = UdpEndpoint.bind("127.0.0.1", 0).block();
 * Mono<String> answer = client.send(Datagram.of("Hello UDP", server.address()))
 *     .then(client.receive().next().map(Datagram::text));
 * }</pre>
 *
 * Datagrams of up to {@value #MAX_DATAGRAM_SIZE} bytes are received whole. Received datagrams that the
 * subscriber is not ready for are dropped once a bounded buffer is full, as the network would drop them.
 */
public final class UdpEndpoint implements AsyncCloseable {

    /** Largest datagram received whole, in bytes. */
    public static final int MAX_DATAGRAM_SIZE = 65_507;
    /** Received datagrams buffered for a slow subscriber before further ones are dropped. */
    public static final int RECEIVE_BUFFER = 1024;

    private final Connection connection;
    private final InetSocketAddress bound;
    private final NettyOutbound out;
    private final Flux<Datagram> inbound;

    private UdpEndpoint(Connection connection, NettyInbound in, NettyOutbound out) {
        this.connection = connection;
        this.bound = (InetSocketAddress) connection.channel().localAddress();
        this.out = out;
        this.inbound = in.receiveObject()
                .ofType(DatagramPacket.class)
                .map(p -> new Datagram(ByteBufs.copy(p.content()), p.sender()))
                .onBackpressureBuffer(RECEIVE_BUFFER, dropped -> { }, reactor.core.publisher.BufferOverflowStrategy.DROP_LATEST)
                .publish()
                .autoConnect();
    }

    /** Binds {@code host}:{@code port} (0 for any free port). */
    public static Mono<UdpEndpoint> bind(String host, int port) {
        return bind(host, port, null);
    }

    /**
     * Binds and answers received datagrams with what {@code handler} makes of their stream (each reply goes to
     * its {@link Datagram#address()}). The endpoint closes if the handler's stream ends or fails.
     */
    public static Mono<UdpEndpoint> serve(String host, int port, Function<Flux<Datagram>, ? extends Publisher<Datagram>> handler) {
        return bind(host, port, Checks.notNull(handler, "handler"));
    }

    private static Mono<UdpEndpoint> bind(String host, int port, Function<Flux<Datagram>, ? extends Publisher<Datagram>> handler) {
        Checks.notNull(host, "host");
        Checks.between(port, 0, 65535, "port");
        return Mono.defer(() -> {
            NetworkTransport.name();
            Sinks.One<UdpEndpoint> ready = Sinks.one();
            return UdpServer.create().host(host).port(port)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM_SIZE))
                    .handle((in, out) -> {
                        UdpEndpoint[] endpoint = new UdpEndpoint[1];
                        in.withConnection(c -> endpoint[0] = new UdpEndpoint(c, in, out));
                        ready.tryEmitValue(endpoint[0]);
                        // The socket lives until close(), or, when serving, as long as the handler's replies flow.
                        return handler == null ? Mono.never() : endpoint[0].send(handler.apply(endpoint[0].receive()));
                    })
                    .bind()
                    .onErrorMap(e -> NetErrors.bindFailed(e, "UDP endpoint", host, port))
                    .then(ready.asMono());
        });
    }

    /** An echo handler for {@link #serve}: each datagram back to its sender. */
    public static Function<Flux<Datagram>, Publisher<Datagram>> echo() {
        return datagrams -> datagrams.map(d -> d.reply(d.payload()));
    }

    /** Received datagrams with their senders, until {@link #close()}. Subscribers share the stream. */
    public Flux<Datagram> receive() {
        return inbound;
    }

    /** Sends one datagram to its address; see {@link #send(Publisher)}. */
    public Mono<Void> send(Datagram datagram) {
        Checks.notNull(datagram, "datagram");
        return send(Mono.just(datagram));
    }

    /**
     * Sends each datagram to its address, as the socket can take them; completes when all are sent. A payload over
     * {@value #MAX_DATAGRAM_SIZE} bytes fails with a {@link LimitExceededException} before anything of it is sent;
     * a socket error with a {@link dev.reactivekit.io.NetworkException}; a closed endpoint with a
     * {@link ClientClosedException}. A {@link Deadline} in the subscriber's context caps the sending.
     */
    public Mono<Void> send(Publisher<Datagram> datagrams) {
        Checks.notNull(datagrams, "datagrams");
        String name = "UDP endpoint " + address();
        return Deadline.honor(Mono.defer(() -> connection.isDisposed()
                ? Mono.error(new ClientClosedException(name, "send"))
                : out.sendObject(Flux.from(datagrams).map(UdpEndpoint::packet)).then()
                        .onErrorMap(e -> NetErrors.onConnection(e, name + ": sending"))));
    }

    private static DatagramPacket packet(Datagram d) {
        int size = d.payload().remaining();
        if (size > MAX_DATAGRAM_SIZE) {
            throw new LimitExceededException("a datagram of " + size + " bytes to " + d.address()
                    + " is over UDP's limit of " + MAX_DATAGRAM_SIZE + " bytes", "MAX_DATAGRAM_SIZE", MAX_DATAGRAM_SIZE);
        }
        return new DatagramPacket(Unpooled.wrappedBuffer(d.payload().duplicate()), d.address());
    }

    /** The bound address. */
    public InetSocketAddress address() {
        return bound;
    }

    public int port() {
        return address().getPort();
    }

    /** Closes the socket; receivers complete. */
    @Override
    public Mono<Void> close() {
        return Mono.fromRunnable(connection::dispose).then(connection.onDispose());
    }
}
