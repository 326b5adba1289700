package dev.reactivekit.io.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.Deadline;
import dev.reactivekit.core.DeadlineExceededException;
import dev.reactivekit.core.OperationTimeoutException;
import dev.reactivekit.core.Policy;
import dev.reactivekit.core.RetryPolicy;
import dev.reactivekit.core.testing.Deadlines;
import dev.reactivekit.io.file.FileException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

/**
 * The fetcher applies all of its policy (timeout, retry, deadline) to requests, streams and downloads, and the
 * caller's deadline caps every wait, the wait for a connection included.
 */
class HttpFetcherPolicyTest {

    static DisposableServer server;
    static String base;
    static final AtomicInteger flaky = new AtomicInteger();
    static final AtomicInteger requests = new AtomicInteger();

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .doOnChannelInit((observer, channel, address) -> requests.incrementAndGet())
                .route(r -> r
                        .get("/slow", (req, res) -> res.sendString(Mono.delay(Duration.ofSeconds(5)).thenReturn("late")))
                        .get("/flaky", (req, res) -> flaky.incrementAndGet() % 2 == 1
                                ? res.status(503).sendString(Mono.just("try again"))
                                : res.sendString(Mono.just("recovered")))
                        .get("/ok", (req, res) -> res.sendString(Mono.just("ok"))))
                .bindNow();
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.disposeNow();
    }

    @BeforeEach
    void reset() {
        flaky.set(0);
    }

    @Test
    void thePoliciesOwnTimeoutIsAppliedNotReplaced() {
        HttpFetcher http = HttpFetcher.builder()
                .policy(Policy.builder().timeout(Duration.ofMillis(300)).build()).build();
        try {
            StepVerifier.create(http.get(base + "/slow"))
                    .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(OperationTimeoutException.class)
                            .hasMessage("GET " + base + "/slow timed out after 300ms"));
        } finally {
            http.close().block(Duration.ofSeconds(5));
        }
    }

    @Test
    void streamsAndDownloadsRunUnderThePolicyAndAreRetriedBeforeTheirFirstChunk() throws Exception {
        HttpFetcher http = HttpFetcher.builder()
                .retry(RetryPolicy.fixed(Duration.ofMillis(10)).maxAttempts(2)).build();
        try {
            StepVerifier.create(http.stream(HttpRequest.get(base + "/flaky"))
                            .map(b -> StandardCharsets.UTF_8.decode(b).toString()).reduce(String::concat))
                    .expectNext("recovered").verifyComplete();
            assertThat(flaky).as("a 503, then the retry").hasValue(2);
            flaky.set(0);
            Path target = dir.resolve("recovered.txt");
            StepVerifier.create(http.download(base + "/flaky", target).last())
                    .assertNext(p -> assertThat(p.done()).isTrue()).verifyComplete();
            assertThat(Files.readString(target)).isEqualTo("recovered");
            StepVerifier.create(http.stream(HttpRequest.get(base + "/slow").timeout(Duration.ofMillis(200))))
                    .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(dev.reactivekit.core.RetriesExhaustedException.class)
                            .hasMessageEndingWith("failed after 2 attempts: GET " + base + "/slow timed out after 200ms")
                            .hasCauseInstanceOf(OperationTimeoutException.class));
        } finally {
            http.close().block(Duration.ofSeconds(5));
        }
    }

    @Test
    void theCallersDeadlineCapsARequestAndIsNamed() {
        HttpFetcher http = HttpFetcher.create();   // total timeout 60 s: the deadline comes first
        try {
            StepVerifier.create(Deadline.within(http.get(base + "/slow"), Duration.ofMillis(300), "checkout"))
                    .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(DeadlineExceededException.class)
                            .hasMessage("checkout exceeded its deadline of 300ms"));
        } finally {
            http.close().block(Duration.ofSeconds(5));
        }
    }

    @Test
    void aDeadlineThatHasPassedFailsBeforeAConnectionIsTaken() {
        HttpFetcher http = HttpFetcher.create();
        try {
            int before = requests.get();
            StepVerifier.create(http.get(base + "/ok").contextWrite(Deadlines.passed("page")))
                    .verifyErrorMessage("page exceeded its deadline of 1ms");
            StepVerifier.create(http.stream(HttpRequest.get(base + "/ok")).contextWrite(Deadlines.passed("page")))
                    .verifyError(DeadlineExceededException.class);
            assertThat(requests).as("no connection was opened").hasValue(before);
            assertThat(http.poolStats().inUse()).isZero();
        } finally {
            http.close().block(Duration.ofSeconds(5));
        }
    }

    @Test
    void aDownloadIntoAMissingDirectoryIsAFileErrorNotANetworkOne() {
        HttpFetcher http = HttpFetcher.create();
        try {
            Path target = dir.resolve("no-such-dir").resolve("file.txt");
            StepVerifier.create(http.download(base + "/ok", target))
                    .verifyErrorSatisfies(e -> {
                        assertThat(e).isInstanceOf(FileException.class).hasCauseInstanceOf(NoSuchFileException.class);
                        assertThat(((FileException) e).reason()).isEqualTo(FileException.Reason.NOT_FOUND);
                        assertThat(e.getMessage()).contains("no-such-dir");
                    });
        } finally {
            http.close().block(Duration.ofSeconds(5));
        }
    }
}
