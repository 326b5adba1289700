package dev.reactivekit.io.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.Failures;
import dev.reactivekit.core.RetriesExhaustedException;
import dev.reactivekit.core.RetryPolicy;
import dev.reactivekit.io.NetworkException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;
import reactor.test.StepVerifier;

/**
 * A pooled keep-alive connection that the server closes before answering is resent once, on another connection;
 * when that fails too, the failure is a transient error naming the request, which the fetcher's own policy
 * retries. A fresh connection closed before answering is not resent behind the policy's back.
 */
class HttpFetcherStaleConnectionTest {

    private DisposableServer server;
    private HttpFetcher http;
    private final AtomicInteger connections = new AtomicInteger();

    @AfterEach
    void stop() {
        if (http != null) {
            http.close().block(Duration.ofSeconds(10));
        }
        if (server != null) {
            server.disposeNow();
        }
    }

    /** Answers the first request it ever gets, keeping the connection; closes every later one unanswered. */
    private String startServerThatAnswersOnce() {
        AtomicInteger requests = new AtomicInteger();
        server = TcpServer.create().host("127.0.0.1").port(0)
                .handle((in, out) -> {
                    connections.incrementAndGet();
                    return in.receive().asString(StandardCharsets.US_ASCII)
                            .filter(chunk -> chunk.contains("\r\n\r\n"))
                            .concatMap(chunk -> requests.incrementAndGet() == 1
                                    ? out.sendString(Mono.just("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")).then()
                                    : Mono.error(new IllegalStateException("close unanswered")))
                            .then();
                })
                .bindNow();
        return "http://127.0.0.1:" + server.port() + "/";
    }

    @Test
    void whenTheResendFailsTooTheErrorIsATransientNetworkErrorNamingTheRequest() {
        String url = startServerThatAnswersOnce();
        http = HttpFetcher.builder().retry(RetryPolicy.none()).build();
        StepVerifier.create(http.get(url)).expectNextCount(1).verifyComplete();
        awaitBackInPool();
        StepVerifier.create(http.get(url))
                .verifyErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(NetworkException.class).hasMessageStartingWith("GET " + url + ": ")
                            .hasMessageContaining("closed BEFORE response");
                    assertThat(Failures.isTransient(e)).isTrue();
                });
        assertThat(connections).as("the pooled connection, then one resend on a new connection").hasValue(2);
    }

    @Test
    void theFetchersOwnPolicyThenRetriesIt() {
        String url = startServerThatAnswersOnce();
        http = HttpFetcher.builder().retry(RetryPolicy.fixed(Duration.ofMillis(10)).maxAttempts(2)).build();
        StepVerifier.create(http.get(url)).expectNextCount(1).verifyComplete();
        awaitBackInPool();
        StepVerifier.create(http.get(url))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(RetriesExhaustedException.class)
                        .hasMessageContaining("2 attempts").hasCauseInstanceOf(NetworkException.class));
        assertThat(connections).as("pooled + resend, then the policy's second attempt on a fresh one").hasValue(3);
    }

    @Test
    void aFreshConnectionClosedBeforeAnsweringIsNotResent() {
        AtomicInteger requests = new AtomicInteger();
        server = TcpServer.create().host("127.0.0.1").port(0)
                .handle((in, out) -> {
                    connections.incrementAndGet();
                    return in.receive().asString(StandardCharsets.US_ASCII)
                            .filter(chunk -> chunk.contains("\r\n\r\n"))
                            .concatMap(chunk -> Mono.<Void>error(new IllegalStateException("close " + requests.incrementAndGet())))
                            .then();
                })
                .bindNow();
        http = HttpFetcher.builder().retry(RetryPolicy.none()).build();
        StepVerifier.create(http.get("http://127.0.0.1:" + server.port() + "/")).verifyError(NetworkException.class);
        assertThat(connections).hasValue(1);
    }

    private void awaitBackInPool() {
        assertThat(dev.reactivekit.core.testing.Await.until(() -> http.poolStats().idle() == 1)).isTrue();
    }
}
