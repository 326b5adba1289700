package dev.reactivekit.io.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.Deadline;
import dev.reactivekit.core.DeadlineExceededException;
import dev.reactivekit.core.Failures;
import dev.reactivekit.core.Policy;
import dev.reactivekit.core.RetryPolicy;
import dev.reactivekit.io.http.HttpStatusException;
import dev.reactivekit.io.http.InvalidUrlException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

/** WebSocket client errors of the right kind, checked before anything is looked up, and its policy's scope. */
class WebSocketClientErrorsTest {

    static DisposableServer server;
    static String base;
    static final AtomicInteger handshakes = new AtomicInteger();
    static final AtomicInteger busyCalls = new AtomicInteger();

    @BeforeAll
    static void start() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .route(r -> r
                        .get("/ws", (req, res) -> res.sendWebsocket((in, out) -> {
                            handshakes.incrementAndGet();
                            return out.sendString(Mono.just("hello")).then(in.receive().then());
                        }))
                        .get("/busy-once", (req, res) -> busyCalls.incrementAndGet() == 1
                                ? res.status(503).send()
                                : res.sendWebsocket((in, out) -> out.sendString(Mono.just("finally")))))
                .bindNow();
        base = "ws://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.disposeNow();
    }

    private static Flux<String> firstText(String url, WebSocketOptions options) {
        return WebSockets.connect(url, options, session -> session.receive().ofType(WsMessage.Text.class)
                .map(WsMessage.Text::text).take(1));
    }

    @Test
    void malformedUrlsAreRefusedBeforeAnyLookup() {
        StepVerifier.create(firstText("ws://127.0.0.1:99999/ws", WebSocketOptions.defaults()))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(InvalidUrlException.class)
                        .hasMessage("malformed URL 'ws://127.0.0.1:99999/ws': port 99999 is out of range (1-65535)"));
        // Taken as a relative reference, this once looked up the host "ws".
        StepVerifier.create(firstText("ws//missing-colon", WebSocketOptions.defaults()))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(InvalidUrlException.class)
                        .hasMessage("malformed URL 'ws//missing-colon': only absolute ws and wss URLs can be used here"));
        StepVerifier.create(firstText("http://127.0.0.1/ws", WebSocketOptions.defaults()))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(InvalidUrlException.class)
                        .hasMessageStartingWith("unsupported URL 'http://127.0.0.1/ws'"));
    }

    @Test
    void aRefusedHandshakeCarriesItsStatus() {
        StepVerifier.create(firstText(base + "/missing", WebSocketOptions.defaults()))
                .verifyErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(HttpStatusException.class)
                            .hasMessage("GET " + base + "/missing failed: HTTP 404: WebSocket handshake refused");
                    assertThat(((HttpStatusException) e).status()).isEqualTo(404);
                    assertThat(Failures.isTransient(e)).isFalse();
                });
    }

    @Test
    void thePolicyRetriesTheHandshakeButNeverASessionThatStarted() {
        WebSocketOptions retrying = WebSocketOptions.builder()
                .policy(Policy.builder().retry(RetryPolicy.fixed(Duration.ofMillis(10)).maxAttempts(3)).build())
                .build();
        busyCalls.set(0);
        StepVerifier.create(firstText(base + "/busy-once", retrying)).expectNext("finally").verifyComplete();
        assertThat(busyCalls).as("a 503, then a handshake that worked").hasValue(2);

        int before = handshakes.get();
        StepVerifier.create(WebSockets.connect(base + "/ws", retrying,
                        session -> session.receive().take(1).then(Mono.error(new java.io.IOException("handler broke")))))
                .verifyErrorMessage("handler broke");
        assertThat(handshakes.get() - before).as("the failed session was not run again").isEqualTo(1);
    }

    @Test
    void theCallersDeadlineEndsTheSession() {
        StepVerifier.create(Deadline.within(WebSockets.connect(base + "/ws", WebSocketOptions.defaults(),
                        session -> session.receive()), Duration.ofSeconds(1), "chat"))
                .expectNextCount(1)
                .verifyError(DeadlineExceededException.class);
    }
}
