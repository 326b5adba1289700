package dev.reactivekit.io.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.RetryPolicy;
import dev.reactivekit.core.testing.Await;
import dev.reactivekit.io.tcp.RunningTcpService;
import dev.reactivekit.io.tcp.TcpClient;
import dev.reactivekit.io.tcp.TcpService;
import dev.reactivekit.io.ws.WebSocketOptions;
import dev.reactivekit.io.ws.WebSockets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Stopping a server cancels the handlers still running once the grace period is over: nothing outlives it. */
class HttpServiceStopTest {

    @Test
    void anHttpHandlerThatNeverCompletesIsCancelledAfterTheGracePeriod() {
        AtomicBoolean started = new AtomicBoolean();
        AtomicBoolean cancelled = new AtomicBoolean();
        RunningService server = HttpService.builder().port(0)
                .get("/endless", req -> Mono.<ServerReply>never()
                        .doOnSubscribe(s -> started.set(true)).doOnCancel(() -> cancelled.set(true)))
                .build().start().block(Duration.ofSeconds(5));
        HttpFetcher http = HttpFetcher.builder().retry(RetryPolicy.none()).build();
        Disposable request = http.get(server.url("/endless")).subscribe(r -> { }, e -> { });
        try {
            assertThat(Await.until(started::get)).isTrue();
            StepVerifier.create(server.close(Duration.ofMillis(200))).verifyComplete();
            assertThat(Await.until(cancelled::get)).as("the handler saw the cancel").isTrue();
        } finally {
            request.dispose();
            http.close().block(Duration.ofSeconds(5));
        }
    }

    @Test
    void aWebSocketHandlerThatNeverCompletesIsCancelledAfterTheGracePeriod() {
        AtomicBoolean started = new AtomicBoolean();
        AtomicBoolean cancelled = new AtomicBoolean();
        RunningService server = HttpService.builder().port(0)
                .websocket("/ws", session -> Mono.<Void>never()
                        .doOnSubscribe(s -> started.set(true)).doOnCancel(() -> cancelled.set(true)),
                        WebSocketOptions.defaults())
                .build().start().block(Duration.ofSeconds(5));
        Disposable client = WebSockets.connect("ws://127.0.0.1:" + server.port() + "/ws", WebSocketOptions.defaults(),
                session -> session.receive()).subscribe(m -> { }, e -> { });
        try {
            assertThat(Await.until(started::get)).isTrue();
            StepVerifier.create(server.close(Duration.ofMillis(200))).verifyComplete();
            assertThat(Await.until(cancelled::get)).as("the handler saw the cancel").isTrue();
        } finally {
            client.dispose();
        }
    }

    @Test
    void aTcpHandlerThatNeverCompletesIsCancelledAfterTheGracePeriod() {
        AtomicBoolean started = new AtomicBoolean();
        AtomicBoolean cancelled = new AtomicBoolean();
        RunningTcpService server = TcpService.builder().port(0)
                .handler(connection -> Mono.<Void>never()
                        .doOnSubscribe(s -> started.set(true)).doOnCancel(() -> cancelled.set(true)))
                .build().start().block(Duration.ofSeconds(5));
        Disposable client = TcpClient.create().connect("127.0.0.1", server.port(), c -> c.receive())
                .subscribe(b -> { }, e -> { });
        try {
            assertThat(Await.until(started::get)).isTrue();
            StepVerifier.create(server.close(Duration.ofMillis(200))).verifyComplete();
            assertThat(Await.until(cancelled::get)).as("the handler saw the cancel").isTrue();
        } finally {
            client.dispose();
        }
    }
}
