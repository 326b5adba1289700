package dev.reactivekit.io.tcp;

import dev.reactivekit.core.AsyncCloseable;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One TCP connection, server or client side (asyncio's StreamReader and StreamWriter together).
 * What {@link #receive()} yields and {@link #send} writes depends on the connection's {@link Framing}.
 */
public interface TcpConnection extends AsyncCloseable {

    /**
     * What the peer sends: raw chunks, or one buffer per message with framing. Completes when the peer closes
     * its side; fails with a {@link dev.reactivekit.core.LimitExceededException} on an oversized frame. Buffers
     * belong to the caller. May be subscribed once.
     */
    Flux<ByteBuffer> receive();

    /** {@link #receive()} decoded as UTF-8: lines with {@link Framing#lines()}, text chunks otherwise. */
    Flux<String> receiveText();

    /**
     * Writes {@code data}, requesting more only as fast as the connection drains (asyncio's {@code drain()});
     * completes when everything was written. With framing, each buffer is one message.
     */
    Mono<Void> send(Publisher<ByteBuffer> data);

    /** Writes UTF-8 text; with {@link Framing#lines()} each string is one line. */
    Mono<Void> sendText(Publisher<String> text);

    /** Closes the connection. */
    @Override
    Mono<Void> close();

    /** Completes when the connection is closed, by either side. */
    Mono<Void> onClose();

    InetSocketAddress remoteAddress();

    InetSocketAddress localAddress();
}
