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
}
