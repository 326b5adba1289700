package dev.reactivekit.io.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reactivekit.core.LimitExceededException;
import dev.reactivekit.core.testing.Await;
import dev.reactivekit.io.http.ClientTls;
import dev.reactivekit.io.http.ServerTls;
import dev.reactivekit.io.testing.TestCertificates;
import io.netty.pkitesting.X509Bundle;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class TcpServiceTest {

    private RunningTcpService server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close(Duration.ofSeconds(1)).block(Duration.ofSeconds(5));
        }
    }

    private RunningTcpService start(TcpService.Builder builder) {
        server = builder.build().start().block(Duration.ofSeconds(5));
        return server;
    }

    @Test
    void rawEchoReturnsEveryByteInOrder() {
        start(TcpService.builder().handler(TcpHandler.echo()));
        byte[] data = new byte[1 << 20];
        new Random(5).nextBytes(data);
        Flux<ByteBuffer> chunks = Flux.range(0, 64).map(i -> ByteBuffer.wrap(data, i * 16384, 16384).slice());
        byte[] echoed = TcpClient.create().connect("127.0.0.1", server.port(), c -> c.send(chunks).thenMany(c.receive()))
                .take(Duration.ofSeconds(20))
                .scan(new java.io.ByteArrayOutputStream(), (out, b) -> {
                    byte[] bytes = new byte[b.remaining()];
                    b.get(bytes);
                    out.writeBytes(bytes);
                    return out;
                })
                .takeUntil(out -> out.size() >= data.length)
                .last()
                .map(java.io.ByteArrayOutputStream::toByteArray)
                .block(Duration.ofSeconds(30));
        assertThat(echoed).isEqualTo(data);
    }

    @Test
    void linesFramingDeliversWholeLines() {
        start(TcpService.builder().framing(Framing.lines())
                .handler(c -> c.sendText(c.receiveText().map(String::toUpperCase))));
        TcpClient client = TcpClient.builder().framing(Framing.lines()).build();
        StepVerifier.create(client.connect("127.0.0.1", server.port(), c -> c.sendText(Flux.just("hello, world", "second line"))
                        .thenMany(c.receiveText().take(2))))
                .expectNext("HELLO, WORLD", "SECOND LINE")
                .verifyComplete();
    }

    @Test
    void lengthPrefixedFramingKeepsBinaryMessagesWhole() {
        start(TcpService.builder().framing(Framing.lengthPrefixed()).handler(TcpHandler.echo()));
        TcpClient client = TcpClient.builder().framing(Framing.lengthPrefixed()).build();
        byte[] big = new byte[50_000];
        new Random(9).nextBytes(big);
        StepVerifier.create(client.connect("127.0.0.1", server.port(), c -> c.send(Flux.just(
                                ByteBuffer.wrap(new byte[] {'\n', 0, 1}), ByteBuffer.wrap(big), ByteBuffer.allocate(0)))
                        .thenMany(c.receive().map(ByteBuffer::remaining).take(3))))
                .expectNext(3, 50_000, 0)
                .verifyComplete();
    }

    @Test
    void anOversizedFrameEndsTheConnectionWithTheLimitNamed() {
        AtomicReference<Throwable> serverError = new AtomicReference<>();
        start(TcpService.builder().framing(Framing.lines(16))
                .handler(c -> c.receive().doOnError(serverError::set).then()));
        TcpClient client = TcpClient.builder().framing(Framing.lines(16)).build();
        StepVerifier.create(client.connect("127.0.0.1", server.port(), c -> c.sendText(Flux.just("x".repeat(100)))
                        .then(c.onClose())))
                .verifyComplete();
        assertThat(Await.until(() -> serverError.get() != null)).isTrue();
        assertThat(serverError.get()).isInstanceOf(LimitExceededException.class).hasMessageContaining("longer than 16 bytes (maxFrameSize)");
    }

    @Test
    void connectionsBeyondTheLimitAreClosed() {
        start(TcpService.builder().maxConnections(2).handler(c -> c.receive().then()));
        TcpClient client = TcpClient.create();
        TcpConnection first = client.open("127.0.0.1", server.port()).block(Duration.ofSeconds(5));
        TcpConnection second = client.open("127.0.0.1", server.port()).block(Duration.ofSeconds(5));
        assertThat(Await.until(() -> server.activeConnections() == 2)).isTrue();
        TcpConnection third = client.open("127.0.0.1", server.port()).block(Duration.ofSeconds(5));
        StepVerifier.create(third.onClose()).verifyComplete();
        assertThat(server.activeConnections()).isEqualTo(2);
        first.close().then(second.close()).block(Duration.ofSeconds(5));
        assertThat(Await.until(() -> server.activeConnections() == 0)).isTrue();
    }

    @Test
    void anIdleConnectionIsClosed() {
        start(TcpService.builder().idleTimeout(Duration.ofMillis(200)).handler(c -> c.receive().then()));
        TcpConnection c = TcpClient.create().open("127.0.0.1", server.port()).block(Duration.ofSeconds(5));
        StepVerifier.create(c.onClose()).expectComplete().verify(Duration.ofSeconds(5));
    }

    @Test
    void twoHundredConcurrentConnections() {
        start(TcpService.builder().framing(Framing.lines()).handler(TcpHandler.echo()));
        TcpClient client = TcpClient.builder().framing(Framing.lines()).build();
        Flux<String> all = Flux.range(0, 200).flatMap(i -> client.connect("127.0.0.1", server.port(),
                c -> c.sendText(Mono.just("client " + i)).thenMany(c.receiveText().take(1))), 200);
        StepVerifier.create(all.count()).expectNext(200L).verifyComplete();
        assertThat(Await.until(() -> server.activeConnections() == 0)).isTrue();
    }

    @Test
    void cancellingTheClientClosesItsConnection() {
        start(TcpService.builder().handler(c -> c.receive().then()));
        StepVerifier.create(TcpClient.create().connect("127.0.0.1", server.port(), c -> Flux.never()))
                .expectSubscription()
                .then(() -> assertThat(Await.until(() -> server.activeConnections() == 1)).isTrue())
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertThat(Await.until(() -> server.activeConnections() == 0)).isTrue();
    }

    @Test
    void sendingFollowsTheReceiversPace() {
        AtomicInteger received = new AtomicInteger();
        start(TcpService.builder().framing(Framing.lengthPrefixed())
                .handler(c -> c.receive().concatMap(b -> Mono.delay(Duration.ofMillis(2)).doOnNext(x -> received.incrementAndGet()), 1).then()));
        AtomicInteger produced = new AtomicInteger();
        AtomicInteger maxAhead = new AtomicInteger();
        Flux<ByteBuffer> source = Flux.range(0, 400).map(i -> ByteBuffer.allocate(32 * 1024))
                .doOnNext(b -> maxAhead.accumulateAndGet(produced.incrementAndGet() - received.get(), Math::max));
        TcpClient client = TcpClient.builder().framing(Framing.lengthPrefixed()).build();
        StepVerifier.create(client.connect("127.0.0.1", server.port(), c -> c.send(source)))
                .expectComplete().verify(Duration.ofSeconds(30));
        // 400 frames of 32 KiB (12.5 MiB) were sent, but only as fast as the slow reader drained the socket buffers.
        assertThat(maxAhead.get()).isLessThan(400);
    }

    @Test
    void gracefulStopLetsAHandlerInProgressFinish() {
        start(TcpService.builder().framing(Framing.lines())
                .handler(c -> c.receiveText().take(1).concatMap(line -> Mono.delay(Duration.ofMillis(300)).thenReturn("done " + line))
                        .transform(c::sendText)));
        TcpClient client = TcpClient.builder().framing(Framing.lines()).build();
        StepVerifier inFlight = StepVerifier.create(client.connect("127.0.0.1", server.port(),
                        c -> c.sendText(Mono.just("job")).thenMany(c.receiveText().take(1))))
                .expectNext("done job").expectComplete().verifyLater();
        assertThat(Await.until(() -> server.activeConnections() == 1)).isTrue();
        StepVerifier.create(server.close(Duration.ofSeconds(5))).verifyComplete();
        inFlight.verify(Duration.ofSeconds(5));
        server = null;
    }

    @Test
    void tlsRoundTrip() {
        X509Bundle cert = TestCertificates.selfSigned();
        start(TcpService.builder().framing(Framing.lines())
                .tls(ServerTls.of(cert.getKeyPair().getPrivate(), cert.getCertificatePath()))
                .handler(TcpHandler.echo()));
        TcpClient client = TcpClient.builder().framing(Framing.lines()).tls(ClientTls.trusting(cert.getCertificate())).build();
        StepVerifier.create(client.connect("127.0.0.1", server.port(), c -> c.sendText(Mono.just("secret")).thenMany(c.receiveText().take(1))))
                .expectNext("secret")
                .verifyComplete();
    }

    @Test
    void aSelfSignedCertificateServesTlsToAClientThatTrustsIt() {
        ServerTls tls = ServerTls.selfSigned("localhost");
        assertThat(tls.chain()).hasSize(1);
        assertThat(tls.chain().get(0).getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        start(TcpService.builder().framing(Framing.lines()).tls(tls).handler(TcpHandler.echo()));
        TcpClient trusting = TcpClient.builder().framing(Framing.lines()).tls(ClientTls.insecureTrustAll()).build();
        StepVerifier.create(trusting.connect("127.0.0.1", server.port(),
                        c -> c.sendText(Mono.just("private")).thenMany(c.receiveText().take(1))))
                .expectNext("private")
                .verifyComplete();
        // A client that checks certificates against the system's authorities refuses it.
        TcpClient checking = TcpClient.builder().framing(Framing.lines()).tls(ClientTls.system())
                .policy(dev.reactivekit.core.Policy.builder().build()).build();
        StepVerifier.create(checking.connect("127.0.0.1", server.port(),
                        c -> c.sendText(Mono.just("private")).thenMany(c.receiveText().take(1))))
                .expectError()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void aBlankHostnameIsRefused() {
        assertThatThrownBy(() -> ServerTls.selfSigned(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hostname");
    }
}
