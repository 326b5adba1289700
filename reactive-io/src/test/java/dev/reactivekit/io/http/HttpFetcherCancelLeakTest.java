package dev.reactivekit.io.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.RetryPolicy;
import dev.reactivekit.core.testing.NettyLeakDetectionExtension;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

/**
 * A request cancelled just as its whole response arrives in one read leaks none of the body's buffers. Reactor
 * Netty handed such a response to a subscriber that was gone, so nobody read its body, and the body's buffers
 * stayed queued and unreleased once the response ended (a crawl stopped with Ctrl-C leaked one now and then).
 */
class HttpFetcherCancelLeakTest {

    private static final int ROUNDS = 2_000;
    /** The cancel comes 0 to 400 us after the server is told to answer: some land while the response is read. */
    private static final int SPREAD_MICROS = 400;

    /** Requests the server holds. Lock-free: its event loop must never park (BlockHound), as a locked queue can. */
    private final BlockingQueue<Sinks.Empty<Void>> waiting = new LinkedTransferQueue<>();
    private DisposableServer server;
    private HttpFetcher http;
    private String url;

    @BeforeEach
    void start() {
        String body = "x".repeat(4_000);
        byte[] response = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
        // Answers each request, head and body in one write, when the test says so. The request's head may come
        // in several reads: its end is looked for in what has arrived so far.
        server = TcpServer.create().host("127.0.0.1").port(0)
                .handle((in, out) -> {
                    Sinks.Empty<Void> answer = Sinks.empty();
                    return in.receive().asString(StandardCharsets.US_ASCII)
                            .scan(new StringBuilder(), StringBuilder::append)
                            .takeUntil(head -> head.indexOf("\r\n\r\n") >= 0)
                            .then(Mono.fromRunnable(() -> waiting.add(answer)))
                            .then(answer.asMono())
                            .then(out.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(response))).then());
                })
                .bindNow();
        url = "http://127.0.0.1:" + server.port() + "/page";
        http = HttpFetcher.builder().retry(RetryPolicy.none()).build();
    }

    @AfterEach
    void stop() {
        http.close().block();
        server.disposeNow();
    }

    @Test
    void aFetchCancelledAsItsResponseArrivesLeaksNoBuffer() throws InterruptedException {
        cancelEachAsItsResponseArrives(fetcher -> fetcher.get(url));
    }

    @Test
    void aStreamCancelledAsItsResponseArrivesLeaksNoBuffer() throws InterruptedException {
        cancelEachAsItsResponseArrives(fetcher -> fetcher.stream(HttpRequest.get(url)));
    }

    private void cancelEachAsItsResponseArrives(Function<HttpFetcher, Publisher<?>> request)
            throws InterruptedException {
        AtomicInteger finished = new AtomicInteger();
        int cancelled = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Disposable exchange = Flux.from(request.apply(http)).subscribe(x -> { }, e -> finished.incrementAndGet(),
                    finished::incrementAndGet);
            Sinks.Empty<Void> answer = waiting.poll(5, TimeUnit.SECONDS);
            assertThat(answer).as("round %d: the request reached the server", round).isNotNull();
            answer.tryEmitEmpty();
            long until = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(round % SPREAD_MICROS);
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            if (!exchange.isDisposed()) {
                cancelled++;
            }
            exchange.dispose();
        }
        assertThat(cancelled).as("exchanges cancelled before they finished").isPositive();
        assertThat(finished.get()).as("exchanges that ended (completed or failed) before the cancel").isPositive();
        assertThat(NettyLeakDetectionExtension.collectLeaks()).as("Netty's leak reports").isEmpty();
    }
}
