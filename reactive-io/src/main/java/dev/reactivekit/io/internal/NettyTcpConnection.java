package dev.reactivekit.io.internal;

import dev.reactivekit.core.LimitExceededException;
import dev.reactivekit.io.tcp.Framing;
import dev.reactivekit.io.tcp.TcpConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.NettyInbound;
import reactor.netty.NettyOutbound;

/** {@link TcpConnection} over Reactor Netty; buffers are copied in and wrapped out at this edge. Internal. */
public final class NettyTcpConnection implements TcpConnection {

    private static final byte[] NEWLINE = {'\n'};

    private final NettyInbound in;
    private final NettyOutbound out;
    private final Connection connection;
    private final Framing framing;

    public NettyTcpConnection(NettyInbound in, NettyOutbound out, Connection connection, Framing framing) {
        this.in = in;
        this.out = out;
        this.connection = connection;
        this.framing = framing;
    }

    /**
     * Installs the frame decoder that {@code framing} needs. Outbound frames are built by {@link #encode}, in the
     * same buffer as their content, so nothing depends on where an encoder would sit in the pipeline.
     */
    public static void frame(Connection connection, Framing framing) {
        switch (framing.kind()) {
            case LINES -> connection.addHandlerLast("reactivekit.lineDecoder",
                    new LineBasedFrameDecoder(framing.maxFrameSize(), true, true));
            case LENGTH_PREFIXED -> connection.addHandlerLast("reactivekit.lengthDecoder",
                    new LengthFieldBasedFrameDecoder(framing.maxFrameSize(), 0, 4, 0, 4, true));
            default -> {
            }
        }
    }

    @Override
    public Flux<ByteBuffer> receive() {
        return in.receive().map(ByteBufs::copy).onErrorMap(e -> e instanceof TooLongFrameException
                ? new LimitExceededException("a frame from " + remoteAddress() + " is longer than " + framing.maxFrameSize()
                        + " bytes (maxFrameSize): " + e.getMessage(), "maxFrameSize", framing.maxFrameSize())
                : NetErrors.onConnection(e, name()));
    }

    @Override
    public Flux<String> receiveText() {
        return receive().map(b -> StandardCharsets.UTF_8.decode(b).toString());
    }

    @Override
    public Mono<Void> send(Publisher<ByteBuffer> data) {
        return out.send(Flux.from(data).map(this::encode)).then().onErrorMap(e -> NetErrors.onConnection(e, name()));
    }

    @Override
    public Mono<Void> sendText(Publisher<String> text) {
        return send(Flux.from(text).map(s -> ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8))));
    }

    private ByteBuf encode(ByteBuffer buffer) {
        ByteBuf content = Unpooled.wrappedBuffer(buffer);
        return switch (framing.kind()) {
            case LINES -> Unpooled.wrappedBuffer(content, Unpooled.wrappedBuffer(NEWLINE));
            case LENGTH_PREFIXED -> {
                if (buffer.remaining() > framing.maxFrameSize()) {
                    content.release();
                    throw new LimitExceededException("a frame of " + buffer.remaining() + " bytes to " + remoteAddress()
                            + " is longer than " + framing.maxFrameSize() + " bytes (maxFrameSize)", "maxFrameSize",
                            framing.maxFrameSize());
                }
                yield Unpooled.wrappedBuffer(Unpooled.copyInt(buffer.remaining()), content);
            }
            default -> content;
        };
    }

    @Override
    public Mono<Void> close() {
        return Mono.fromRunnable(connection::dispose).then(connection.onDispose());
    }

    @Override
    public Mono<Void> onClose() {
        return connection.onDispose();
    }

    private String name() {
        return "TCP connection " + remoteAddress();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) connection.channel().remoteAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) connection.channel().localAddress();
    }
}
