package dev.reactivekit.io.internal;

import dev.reactivekit.io.NetworkException;
import dev.reactivekit.io.ws.CloseStatus;
import dev.reactivekit.io.ws.WebSocketHandler;
import dev.reactivekit.io.ws.WebSocketOptions;
import dev.reactivekit.io.ws.WebSocketSession;
import dev.reactivekit.io.ws.WsMessage;
import dev.reactivekit.core.LimitExceededException;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.net.InetSocketAddress;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/** {@link WebSocketSession} over Reactor Netty; frames are converted, and released, at this edge. Internal. */
public final class NettyWebSocketSession implements WebSocketSession {

    static final int RELAY_PREFETCH = 32;

    private final WebsocketInbound in;
    private final WebsocketOutbound out;
    private final Flux<WsMessage> messages;
    private final String name;
    private final String uri;

    public NettyWebSocketSession(WebsocketInbound in, WebsocketOutbound out, WebSocketOptions options, String uri) {
        this.in = in;
        this.out = out;
        this.uri = uri;
        // Reactor Netty closes the connection abnormally as soon as its inbound is cancelled. The relay keeps the
        // inbound subscribed when our subscriber cancels (it stops requesting after a bounded buffer, which
        // pauses reading), so a handler may stop reading and then close with a code of its own choosing.
        this.name = "WebSocket connection " + remoteAddress();
        // The shared relay reads ahead RELAY_PREFETCH messages, not Reactor's default 256: its queue is allocated
        // per connection (about 1 KiB at 256), and it is how much a handler that stops reading lets pile up.
        this.messages = frames(in, out, options).onErrorMap(e -> NetErrors.onConnection(e, name))
                .publish(RELAY_PREFETCH).autoConnect();
    }

    @Override
    public Flux<WsMessage> receive() {
        return messages;
    }

    @Override
    public String uri() {
        return uri;
    }

    private static Flux<WsMessage> frames(WebsocketInbound in, WebsocketOutbound out, WebSocketOptions options) {
        // aggregateFrames joins continuation frames; the frames are released by Reactor Netty after this map.
        return in.aggregateFrames(options.maxMessageSize()).receiveFrames()
                .onErrorMap(CorruptedWebSocketFrameException.class, e -> protocolViolation(e, options))
                .onErrorResume(TooLongFrameException.class, e -> messageTooLong(out, options.maxMessageSize()))
                .<WsMessage>handle((frame, sink) -> {
                    if (frame instanceof TextWebSocketFrame text) {
                        sink.next(WsMessage.text(text.text()));
                    } else if (frame instanceof BinaryWebSocketFrame) {
                        sink.next(new WsMessage.Binary(ByteBufs.copy(frame.content()).asReadOnlyBuffer()));
                    } else if (frame instanceof PongWebSocketFrame) {
                        sink.next(new WsMessage.Pong(ByteBufs.copy(frame.content()).asReadOnlyBuffer()));
                    }
                });
    }

    /** Netty's decoder has already closed the connection (1009 for a frame too long, 1002 otherwise). */
    private static Throwable protocolViolation(CorruptedWebSocketFrameException e, WebSocketOptions options) {
        if (e.closeStatus() != null && e.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code()) {
            int limit = frameLimit(options);
            String name = options.maxFrameSize() <= options.maxMessageSize() ? "maxFrameSize" : "maxMessageSize";
            return new LimitExceededException("a WebSocket frame is longer than " + limit + " bytes (" + name + ")", name, limit);
        }
        return new NetworkException("WebSocket protocol violation by the peer: " + e.getMessage(), e);
    }

    /**
     * A fragmented message went over the limit: the peer gets 1009 (rather than the 1002 Reactor Netty sends when
     * a handler fails) and the handler a {@link LimitExceededException}.
     */
    private static Mono<WebSocketFrame> messageTooLong(WebsocketOutbound out, int maxMessageSize) {
        LimitExceededException error = new LimitExceededException("a WebSocket message is longer than " + maxMessageSize
                + " bytes (maxMessageSize)", "maxMessageSize", maxMessageSize);
        return out.sendClose(1009, "message over " + maxMessageSize + " bytes")
                .onErrorResume(closeFailed -> Mono.empty())
                .then(Mono.error(error));
    }

    @Override
    public Mono<Void> send(Publisher<? extends WsMessage> messages) {
        return out.sendObject(Flux.from(messages).map(NettyWebSocketSession::frame)).then()
                .onErrorMap(e -> NetErrors.onConnection(e, name));
    }

    @Override
    public Mono<Void> close(int code, String reason) {
        return out.sendClose(code, reason);
    }

    @Override
    public Mono<CloseStatus> closeStatus() {
        return in.receiveCloseStatus().map(s -> new CloseStatus(s.code(), s.reasonText()));
    }

    @Override
    public InetSocketAddress remoteAddress() {
        Connection[] connection = new Connection[1];
        in.withConnection(c -> connection[0] = c);
        return (InetSocketAddress) connection[0].channel().remoteAddress();
    }

    /** Reactor Netty's server-side spec for {@code options}. */
    public static reactor.netty.http.server.WebsocketServerSpec serverSpec(WebSocketOptions options) {
        reactor.netty.http.server.WebsocketServerSpec.Builder spec = reactor.netty.http.server.WebsocketServerSpec.builder()
                .maxFramePayloadLength(frameLimit(options));
        if (options.subprotocol() != null) {
            spec.protocols(options.subprotocol());
        }
        return spec.build();
    }

    /**
     * The largest frame payload to accept: a single unfragmented frame is a whole message, and Netty's aggregator
     * only checks messages made of fragments, so a frame may not exceed the message limit either.
     */
    public static int frameLimit(WebSocketOptions options) {
        return Math.min(options.maxFrameSize(), options.maxMessageSize());
    }

    /** Runs {@code handler} over Reactor Netty's inbound and outbound. */
    public static org.reactivestreams.Publisher<Void> serve(WebsocketInbound in, WebsocketOutbound out,
            WebSocketOptions options, WebSocketHandler handler) {
        // On the server, Reactor Netty's inbound is the upgraded request itself.
        String uri = in instanceof reactor.netty.http.server.HttpServerRequest request ? request.uri() : "";
        return handler.handle(new NettyWebSocketSession(in, out, options, uri));
    }

    private static WebSocketFrame frame(WsMessage message) {
        if (message instanceof WsMessage.Text t) {
            return new TextWebSocketFrame(t.text());
        }
        if (message instanceof WsMessage.Binary b) {
            return new BinaryWebSocketFrame(Unpooled.wrappedBuffer(b.data().duplicate()));
        }
        if (message instanceof WsMessage.Ping p) {
            return new PingWebSocketFrame(Unpooled.wrappedBuffer(p.payload().duplicate()));
        }
        return new PongWebSocketFrame(Unpooled.wrappedBuffer(((WsMessage.Pong) message).payload().duplicate()));
    }
}
