package dev.reactivekit.io.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

class HttpFetcherDownloadTest {

    static final byte[] FILE = new byte[3 * 1024 * 1024];
    static DisposableServer server;
    static HttpFetcher http;
    static String base;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        new Random(3).nextBytes(FILE);
        server = HttpServer.create().host("127.0.0.1").port(0)
                .route(r -> r
                        .get("/file.bin", (req, res) -> res.header("Content-Length", String.valueOf(FILE.length))
                                .sendByteArray(Flux.range(0, FILE.length / 65536)
                                        .map(i -> java.util.Arrays.copyOfRange(FILE, i * 65536, (i + 1) * 65536))))
                        .get("/half-then-stall", (req, res) -> res.header("Content-Length", String.valueOf(FILE.length))
                                .sendByteArray(Flux.concat(Mono.just(java.util.Arrays.copyOf(FILE, FILE.length / 2)), Mono.never())))
                        .get("/gone", (req, res) -> res.status(410).sendString(Mono.just("removed"))))
                .bindNow();
        base = "http://127.0.0.1:" + server.port();
        http = HttpFetcher.create();
    }

    @AfterAll
    static void stop() {
        http.close().block(Duration.ofSeconds(10));
        server.disposeNow();
    }

    private long leftovers() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void downloadStreamsToTheTargetWithProgress() throws Exception {
        Path target = dir.resolve("file.bin");
        List<DownloadProgress> events = http.download(base + "/file.bin", target).collectList().block(Duration.ofSeconds(30));
        assertThat(events).isNotEmpty();
        assertThat(events.get(events.size() - 1)).isEqualTo(new DownloadProgress(target, FILE.length, FILE.length, true));
        assertThat(events).extracting(DownloadProgress::received).isSorted();
        assertThat(events.subList(0, events.size() - 1)).noneMatch(DownloadProgress::done);
        assertThat(Files.readAllBytes(target)).isEqualTo(FILE);
        assertThat(leftovers()).isEqualTo(1);
    }

    @Test
    void aFailedDownloadLeavesNoFile() throws Exception {
        Path target = dir.resolve("gone.bin");
        StepVerifier.create(http.download(base + "/gone", target))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(HttpStatusException.class).hasMessageEndingWith("HTTP 410: removed"));
        assertThat(leftovers()).isZero();
    }

    @Test
    void aDownloadCancelledHalfwayLeavesNoFileAtTheTarget() throws Exception {
        Path target = dir.resolve("half.bin");
        StepVerifier.create(http.download(base + "/half-then-stall", target))
                .thenConsumeWhile(p -> p.received() < FILE.length / 2)
                .expectNoEvent(Duration.ofMillis(100))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
        assertThat(Await.until(() -> leftovers() == 0)).as("temporary file deleted").isTrue();
        assertThat(target).doesNotExist();
        assertThat(Await.until(() -> http.poolStats().inUse() == 0)).isTrue();
    }
}
