package dev.reactivekit.io.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.OperationTimeoutException;
import dev.reactivekit.io.NetworkException;
import dev.reactivekit.io.testing.UnansweredPort;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class TcpClientTest {

    @Test
    void aRefusedConnectionNamesTheAddress() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0)) {
            closed = probe.getLocalPort();
        }
        StepVerifier.create(TcpClient.create().open("127.0.0.1", closed))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(NetworkException.class)
                        .hasMessageStartingWith("TCP connect 127.0.0.1:" + closed + ": connection refused"));
    }

    @Test
    void aConnectThatHangsTimesOut() throws Exception {
        try (UnansweredPort silent = new UnansweredPort()) {
            TcpClient client = TcpClient.builder().connectTimeout(Duration.ofMillis(300)).build();
            StepVerifier.create(client.open("127.0.0.1", silent.port()))
                    .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(OperationTimeoutException.class)
                            .hasMessage("TCP connect 127.0.0.1:" + silent.port() + ": connect timed out after 300ms"));
        }
    }

    @Test
    void invalidArgumentsAreRejected() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TcpClient.create().open("127.0.0.1", 0))
                .hasMessage("`port` must be in [1, 65535]: 0");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TcpService.builder().build())
                .hasMessage("a TcpService needs a `handler`");
    }

    @Test
    void aConnectionResetByThePeerIsANetworkErrorNamingIt() throws Exception {
        try (ServerSocket peer = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            TcpConnection connection = TcpClient.create().open("127.0.0.1", peer.getLocalPort()).block(Duration.ofSeconds(5));
            try (Socket accepted = peer.accept()) {
                accepted.setSoLinger(true, 0);   // close with RST instead of FIN
            }
            StepVerifier.create(connection.receive())
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(NetworkException.class)
                            .hasMessageStartingWith("TCP connection " + connection.remoteAddress() + ": connection closed or reset"))
                    .verify(Duration.ofSeconds(5));
        }
    }

    @Test
    void aPolicyWithARetryReconnectsToAServerThatComesUp() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        TcpClient client = TcpClient.builder().policy(dev.reactivekit.core.Policy.builder()
                .retry(dev.reactivekit.core.RetryPolicy.fixed(Duration.ofMillis(100)).maxAttempts(20)).build()).build();
        java.util.concurrent.atomic.AtomicReference<RunningTcpService> late = new java.util.concurrent.atomic.AtomicReference<>();
        int chosen = port;
        reactor.core.publisher.Mono.delay(Duration.ofMillis(300))
                .then(TcpService.builder().port(chosen).handler(TcpHandler.echo()).build().start())
                .subscribe(late::set);
        try {
            StepVerifier.create(client.connect("127.0.0.1", port, c -> c.sendText(reactor.core.publisher.Flux.just("hi"))
                            .thenMany(c.receiveText().take(1))))
                    .expectNext("hi")
                    .verifyComplete();
        } finally {
            dev.reactivekit.core.testing.Await.until(() -> late.get() != null);
            late.get().close(Duration.ofSeconds(1)).block(Duration.ofSeconds(5));
        }
    }

    @Test
    void theCallersDeadlineCapsConnectingAndTheSession() throws Exception {
        try (UnansweredPort silent = new UnansweredPort()) {
            StepVerifier.create(dev.reactivekit.core.Deadline.within(TcpClient.create().open("127.0.0.1", silent.port()),
                            Duration.ofMillis(200), "dial"))
                    .verifyErrorMessage("dial exceeded its deadline of 200ms");
        }
        RunningTcpService quiet = TcpService.builder().port(0).handler(c -> c.receive().then()).build().start()
                .block(Duration.ofSeconds(5));
        try {
            StepVerifier.create(dev.reactivekit.core.Deadline.within(
                            TcpClient.create().connect("127.0.0.1", quiet.port(), c -> c.receive()), Duration.ofMillis(300), "listen"))
                    .verifyError(dev.reactivekit.core.DeadlineExceededException.class);
            StepVerifier.create(TcpClient.create().open("127.0.0.1", quiet.port())
                            .contextWrite(dev.reactivekit.core.testing.Deadlines.passed("dial")))
                    .verifyErrorMessage("dial exceeded its deadline of 1ms");
        } finally {
            quiet.close(Duration.ofSeconds(1)).block(Duration.ofSeconds(5));
        }
    }
}
