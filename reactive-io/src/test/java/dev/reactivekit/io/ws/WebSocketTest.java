package dev.reactivekit.io.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.LimitExceededException;
import dev.reactivekit.core.testing.Await;
import dev.reactivekit.io.NetworkException;
import dev.reactivekit.io.http.HttpService;
import dev.reactivekit.io.http.RunningService;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;

class WebSocketTest {

    static RunningService server;
    static String base;
    static final AtomicInteger open = new AtomicInteger();
    static final AtomicReference<CloseStatus> lastClientClose = new AtomicReference<>();
    static final AtomicReference<Throwable> lastHandlerError = new AtomicReference<>();

    @BeforeAll
    static void start() {
        WebSocketOptions small = WebSocketOptions.builder().maxFrameSize(1024).build();
        server = HttpService.builder().port(0)
                .websocket("/echo", WebSocketHandler.echo(), WebSocketOptions.defaults())
                .websocket("/small", WebSocketHandler.echo(), small)
                .websocket("/short-messages", session -> Flux.from(WebSocketHandler.echo().handle(session))
                        .doOnError(lastHandlerError::set), WebSocketOptions.builder().maxMessageSize(2048).build())
                .websocket("/whoami", session -> session.send(Mono.just(WsMessage.text(session.uri() + " | room="
                        + session.queryParam("room").orElse("-") + " | name=" + session.queryParam("name").orElse("-")
                        + " | x=" + session.queryParam("x").orElse("-")))), WebSocketOptions.defaults())
                .websocket("/bye", session -> session.receive().take(1)
                        .then(session.close(4000, "bye now")), WebSocketOptions.defaults())
                .websocket("/watch", session -> {
                    open.incrementAndGet();
                    return session.receive().then()
                            .then(session.closeStatus().doOnNext(lastClientClose::set).then())
                            .doFinally(s -> open.decrementAndGet());
                }, WebSocketOptions.defaults())
                .build().start().block(Duration.ofSeconds(5));
        base = "ws://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.close(Duration.ofSeconds(2)).block(Duration.ofSeconds(5));
    }

    @Test
    void textAndBinaryMessagesEchoBack() {
        Flux<WsMessage> replies = WebSockets.connect(base + "/echo", WebSocketOptions.defaults(), session ->
                session.send(Flux.just(WsMessage.text("héllo"), WsMessage.binary(new byte[] {1, 2, 3})))
                        .thenMany(session.receive().take(2)));
        StepVerifier.create(replies)
                .expectNext(WsMessage.text("héllo"))
                .assertNext(m -> assertThat(((WsMessage.Binary) m).bytes()).containsExactly(1, 2, 3))
                .verifyComplete();
    }

    @Test
    void theServerSeesTheUpgradeRequestsUriAndQueryParameters() {
        String url = base + "/whoami?room=r%C3%A9union&name=ada+l&flag";
        StepVerifier.create(WebSockets.connect(url, WebSocketOptions.defaults(), session -> {
                    assertThat(session.uri()).isEqualTo(url);
                    assertThat(session.queryParam("name")).contains("ada l");
                    return session.receive().ofType(WsMessage.Text.class).map(WsMessage.Text::text).take(1);
                }))
                .expectNext("/whoami?room=r%C3%A9union&name=ada+l&flag | room=réunion | name=ada l | x=-")
                .verifyComplete();
    }

    @Test
    void aPingIsAnsweredWithAPong() {
        StepVerifier.create(WebSockets.connect(base + "/echo", WebSocketOptions.defaults(), session ->
                        session.send(Mono.just(WsMessage.ping("are you there".getBytes(StandardCharsets.UTF_8))))
                                .thenMany(session.receive().ofType(WsMessage.Pong.class).take(1))))
                .assertNext(pong -> assertThat(StandardCharsets.UTF_8.decode(pong.payload()).toString()).isEqualTo("are you there"))
                .verifyComplete();
    }

    @Test
    void twoHundredConcurrentConnections() {
        Flux<String> all = Flux.range(0, 200).flatMap(i -> WebSockets.connect(base + "/echo", WebSocketOptions.defaults(),
                session -> session.send(Mono.just(WsMessage.text("client " + i)))
                        .thenMany(session.receive().ofType(WsMessage.Text.class).map(WsMessage.Text::text).take(1))), 200);
        StepVerifier.create(all.collectList())
                .assertNext(replies -> assertThat(replies).hasSize(200).contains("client 0", "client 199"))
                .verifyComplete();
    }

    @Test
    void anOversizedFrameClosesTheConnectionWithMessageTooBig() {
        StepVerifier.create(WebSockets.connect(base + "/small", WebSocketOptions.defaults(), session ->
                        session.send(Mono.just(WsMessage.text("x".repeat(5000)))).then(session.closeStatus())))
                .assertNext(status -> {
                    assertThat(status.code()).isEqualTo(1009);
                    assertThat(status.reason()).contains("1024");
                })
                .verifyComplete();
    }

    @Test
    void closeCodesAndReasonsReachThePeer() {
        StepVerifier.create(WebSockets.connect(base + "/bye", WebSocketOptions.defaults(), session ->
                        session.send(Mono.just(WsMessage.text("hi"))).then(session.closeStatus())))
                .expectNext(new CloseStatus(4000, "bye now"))
                .verifyComplete();
        StepVerifier.create(WebSockets.connect(base + "/watch", WebSocketOptions.defaults(), session ->
                        session.close(4001, "client leaving")))
                .verifyComplete();
        assertThat(Await.until(() -> new CloseStatus(4001, "client leaving").equals(lastClientClose.get()))).isTrue();
    }

    @Test
    void cancellingTheClientEndsTheServerSession() {
        StepVerifier.create(WebSockets.connect(base + "/watch", WebSocketOptions.defaults(), session -> Flux.never()))
                .expectSubscription()
                .then(() -> assertThat(Await.until(() -> open.get() == 1)).isTrue())
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertThat(Await.until(() -> open.get() == 0)).as("server session ended").isTrue();
    }

    @Test
    void aRefusedConnectionIsANetworkError() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0)) {
            closed = probe.getLocalPort();
        }
        String url = "ws://127.0.0.1:" + closed + "/echo";
        StepVerifier.create(WebSockets.connect(url, WebSocketOptions.defaults(), session -> session.receive()))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(NetworkException.class)
                        .hasMessageStartingWith("WebSocket " + url + ": connection refused"));
    }

    @Test
    void aMessageOverTheSizeLimitClosesTheConnectionWithMessageTooBig() {
        // One frame under the frame limit but over the message limit.
        StepVerifier.create(WebSockets.connect(base + "/short-messages", WebSocketOptions.defaults(), session ->
                        session.send(Mono.just(WsMessage.text("x".repeat(5000)))).then(session.closeStatus())))
                .assertNext(status -> assertThat(status.code()).isEqualTo(1009))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        assertThat(Await.until(() -> lastHandlerError.get() != null)).isTrue();
        assertThat(lastHandlerError.getAndSet(null)).isInstanceOf(LimitExceededException.class)
                .hasMessage("a WebSocket frame is longer than 2048 bytes (maxMessageSize)");
        // A message in three fragments that only together pass the limit (a raw client, as ours sends whole frames).
        Flux<Object> fragments = Flux.just(new TextWebSocketFrame(false, 0, "a".repeat(1000)),
                new ContinuationWebSocketFrame(false, 0, "b".repeat(1000)),
                new ContinuationWebSocketFrame(true, 0, "c".repeat(1000)));
        StepVerifier.create(HttpClient.create().websocket().uri(base + "/short-messages")
                        .handle((in, out) -> out.sendObject(fragments).then().then(in.receiveCloseStatus())))
                .assertNext(status -> assertThat(status.code()).isEqualTo(1009))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        assertThat(Await.until(() -> lastHandlerError.get() != null)).isTrue();
        assertThat(lastHandlerError.getAndSet(null)).isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("longer than 2048 bytes (maxMessageSize)");
        // Under the limit, fragments are joined into one message.
        StepVerifier.create(HttpClient.create().websocket().uri(base + "/short-messages")
                        .handle((in, out) -> out.sendObject(Flux.just(new TextWebSocketFrame(false, 0, "a".repeat(500)),
                                        new ContinuationWebSocketFrame(true, 0, "b".repeat(500))))
                                .then().then(in.aggregateFrames().receive().asString().next())))
                .expectNext("a".repeat(500) + "b".repeat(500))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }
}
