package dev.reactivekit.io.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.test.StepVerifier;

/** Resumable downloads ({@link DownloadOptions#resume()}) and downloads named by the server ({@code downloadInto}). */
class HttpFetcherResumeTest {

    static final byte[] FILE = new byte[2 * 1024 * 1024];
    static final DownloadOptions RESUME = DownloadOptions.builder().resume(true).build();
    static final List<String> ranges = new CopyOnWriteArrayList<>();
    /** The next request to /file stops after half the body and stalls, as a dropped connection would. */
    static final AtomicBoolean stallNext = new AtomicBoolean();
    static DisposableServer server;
    static HttpFetcher http;
    static String base;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        new Random(5).nextBytes(FILE);
        server = HttpServer.create().host("127.0.0.1").port(0)
                .route(r -> r
                        .get("/file", (req, res) -> serve(req, res, true))
                        .get("/no-ranges", (req, res) -> serve(req, res, false))
                        .get("/named", (req, res) -> res.header("Content-Disposition", "attachment; filename=\"report.csv\"")
                                .sendString(Mono.just("a,b\n")))
                        .get("/utf8", (req, res) -> res.header("Content-Disposition",
                                        "attachment; filename=\"plain.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9.txt")
                                .sendString(Mono.just("cv")))
                        .get("/escape", (req, res) -> res.header("Content-Disposition", "attachment; filename=\"../escaped.txt\"")
                                .sendString(Mono.just("nope")))
                        .get("/reserved", (req, res) -> res.header("Content-Disposition", "attachment; filename=\"CON.txt\"")
                                .sendString(Mono.just("nope")))
                        .get("/files/{name}", (req, res) -> res.sendString(Mono.just("from the url")))
                        .get("/dir/", (req, res) -> res.sendString(Mono.just("<html></html>"))))
                .bindNow();
        base = "http://127.0.0.1:" + server.port();
        http = HttpFetcher.create();
    }

    private static org.reactivestreams.Publisher<Void> serve(HttpServerRequest req, HttpServerResponse res, boolean ranged) {
        String range = req.requestHeaders().get("Range");
        if (range != null) {
            ranges.add(range);
        }
        int from = 0;
        if (ranged && range != null) {
            from = Integer.parseInt(range.substring("bytes=".length(), range.indexOf('-')));
            if (from >= FILE.length) {
                return res.status(416).header("Content-Range", "bytes */" + FILE.length).send();
            }
            res.status(206).header("Content-Range", "bytes " + from + "-" + (FILE.length - 1) + "/" + FILE.length);
        }
        byte[] body = Arrays.copyOfRange(FILE, from, FILE.length);
        res.header("Content-Length", String.valueOf(body.length)).header("Accept-Ranges", ranged ? "bytes" : "none");
        if (stallNext.getAndSet(false)) {
            return res.sendByteArray(Flux.concat(Mono.just(Arrays.copyOf(body, body.length / 2)), Mono.never()));
        }
        return res.sendByteArray(Flux.range(0, (body.length + 65535) / 65536)
                .map(i -> Arrays.copyOfRange(body, i * 65536, Math.min(body.length, (i + 1) * 65536))));
    }

    @AfterAll
    static void stop() {
        http.close().block(Duration.ofSeconds(10));
        server.disposeNow();
    }

    @BeforeEach
    void reset() {
        ranges.clear();
        stallNext.set(false);
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Starts a download that stalls halfway and cancels it once half the bytes are in. */
    private void interruptHalfway(Flux<DownloadProgress> download) {
        stallNext.set(true);
        StepVerifier.create(download)
                .thenConsumeWhile(p -> p.received() < FILE.length / 2)
                .expectNoEvent(Duration.ofMillis(100))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
        assertThat(Await.until(() -> http.poolStats().inUse() == 0)).isTrue();
    }

    @Test
    void anInterruptedDownloadContinuesFromItsPartialFileWithARangeRequest() throws IOException {
        Path target = dir.resolve("file.bin");
        interruptHalfway(http.download(HttpRequest.get(base + "/file"), target, RESUME));
        Path partial = dir.resolve(".file.bin.part");
        assertThat(Await.until(() -> Files.exists(partial) && Files.size(partial) == FILE.length / 2)).isTrue();
        assertThat(target).doesNotExist();

        List<DownloadProgress> events = http.download(HttpRequest.get(base + "/file"), target, RESUME)
                .collectList().block(Duration.ofSeconds(30));
        assertThat(ranges).containsExactly("bytes=" + FILE.length / 2 + "-");
        assertThat(events.get(0).received()).as("progress counts the bytes already there")
                .isGreaterThan(FILE.length / 2);
        assertThat(events.get(events.size() - 1)).isEqualTo(new DownloadProgress(target, FILE.length, FILE.length, true));
        assertThat(Files.readAllBytes(target)).isEqualTo(FILE);
        assertThat(files()).containsExactly("file.bin");
    }

    @Test
    void aServerThatIgnoresTheRangeIsDownloadedAgainFromTheStart() throws IOException {
        Path target = dir.resolve("whole.bin");
        interruptHalfway(http.download(HttpRequest.get(base + "/no-ranges"), target, RESUME));
        StepVerifier.create(http.download(HttpRequest.get(base + "/no-ranges"), target, RESUME).last())
                .expectNext(new DownloadProgress(target, FILE.length, FILE.length, true))
                .verifyComplete();
        assertThat(ranges).hasSize(1);
        assertThat(Files.readAllBytes(target)).isEqualTo(FILE);
        assertThat(files()).containsExactly("whole.bin");
    }

    @Test
    void aPartialFileTheServerRefusesIsReplacedByAFreshDownload() throws IOException {
        Path target = dir.resolve("stale.bin");
        Files.write(dir.resolve(".stale.bin.part"), new byte[FILE.length + 10]);
        StepVerifier.create(http.download(HttpRequest.get(base + "/file"), target, RESUME).last())
                .expectNext(new DownloadProgress(target, FILE.length, FILE.length, true))
                .verifyComplete();
        assertThat(ranges).containsExactly("bytes=" + (FILE.length + 10) + "-");
        assertThat(Files.readAllBytes(target)).isEqualTo(FILE);
        assertThat(files()).containsExactly("stale.bin");
    }

    @Test
    void withoutResumeAnInterruptedDownloadLeavesNothing() throws IOException {
        interruptHalfway(http.download(HttpRequest.get(base + "/file"), dir.resolve("gone.bin"), DownloadOptions.defaults()));
        assertThat(Await.until(() -> files().isEmpty())).isTrue();
    }

    @Test
    void downloadIntoNamesTheFileFromContentDispositionOrTheUrl() throws IOException {
        StepVerifier.create(http.downloadInto(HttpRequest.get(base + "/named"), dir, DownloadOptions.defaults()).last()
                        .map(DownloadProgress::target))
                .expectNext(dir.resolve("report.csv"))
                .verifyComplete();
        StepVerifier.create(http.downloadInto(HttpRequest.get(base + "/utf8"), dir, DownloadOptions.defaults()).last()
                        .map(DownloadProgress::target))
                .expectNext(dir.resolve("résumé.txt"))
                .verifyComplete();
        StepVerifier.create(http.downloadInto(HttpRequest.get(base + "/files/data%20set.json?x=1"), dir,
                        DownloadOptions.defaults()).last().map(DownloadProgress::target))
                .expectNext(dir.resolve("data set.json"))
                .verifyComplete();
        StepVerifier.create(http.downloadInto(HttpRequest.get(base + "/dir/"), dir, DownloadOptions.defaults()).last()
                        .map(DownloadProgress::target))
                .expectNext(dir.resolve("index.html"))
                .verifyComplete();
        assertThat(Files.readString(dir.resolve("report.csv"))).isEqualTo("a,b\n");
        assertThat(files()).containsExactly("data set.json", "index.html", "report.csv", "résumé.txt");
    }

    @Test
    void aNameThatWouldEscapeTheDirectoryIsRefusedAndNothingIsWritten() throws IOException {
        Path inside = dir.resolve("inside");
        Files.createDirectory(inside);
        StepVerifier.create(http.downloadInto(HttpRequest.get(base + "/escape"), inside, DownloadOptions.defaults()))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(UnsafeFileNameException.class,
                        u -> assertThat(u.name()).isEqualTo("../escaped.txt"))
                        .hasMessage("GET " + base + "/escape: the server's Content-Disposition names the file "
                                + "'../escaped.txt', which is not a plain file name (it has a directory in it): "
                                + "nothing was written"))
                .verify(Duration.ofSeconds(10));
        StepVerifier.create(http.downloadInto(HttpRequest.get(base + "/reserved"), inside, DownloadOptions.defaults()))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(UnsafeFileNameException.class)
                        .hasMessageContaining("the file system reserves it"))
                .verify(Duration.ofSeconds(10));
        StepVerifier.create(http.downloadInto(HttpRequest.get(base + "/files/..%2F..%2Fescaped.txt"), inside,
                        DownloadOptions.defaults()))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(UnsafeFileNameException.class)
                        .hasMessageContaining("the URL names the file '../../escaped.txt'"))
                .verify(Duration.ofSeconds(10));
        assertThat(files()).containsExactly("inside");
        assertThat(Files.list(inside).count()).isZero();
        assertThat(DownloadNames.problem("a\u0000b")).isEqualTo("it has a NUL character");
        assertThat(DownloadNames.problem("..")).isEqualTo("it names a directory");
        assertThat(DownloadNames.problem("nul")).isEqualTo("the file system reserves it");
        assertThat(DownloadNames.problem("notes.txt")).isNull();
    }

    @Test
    void aResumableDownloadIntoADirectoryKeepsItsPartialFileNamedFromTheUrl() throws IOException {
        interruptHalfway(http.downloadInto(HttpRequest.get(base + "/file"), dir, RESUME));
        assertThat(files()).singleElement().satisfies(name -> assertThat(name).startsWith(".download-").endsWith(".part"));
        StepVerifier.create(http.downloadInto(HttpRequest.get(base + "/file"), dir, RESUME).last().map(DownloadProgress::target))
                .expectNext(dir.resolve("file"))
                .verifyComplete();
        assertThat(ranges).containsExactly("bytes=" + FILE.length / 2 + "-");
        assertThat(Files.readAllBytes(dir.resolve("file"))).isEqualTo(FILE);
        assertThat(files()).containsExactly("file");
    }
}
