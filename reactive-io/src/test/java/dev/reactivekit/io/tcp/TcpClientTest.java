package dev.reactivekit.io.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.OperationTimeoutException;
import dev.reactivekit.io.NetworkException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
        try (ServerSocket silent = new ServerSocket()) {
            silent.bind(new InetSocketAddress("127.0.0.1", 0), 1);
            List<Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    Socket s = new Socket();
                    try {
                        s.connect(silent.getLocalSocketAddress(), 100);
                        fillers.add(s);
                    } catch (java.io.IOException full) {
                        s.close();
                        break;
                    }
                }
                TcpClient client = TcpClient.builder().connectTimeout(Duration.ofMillis(300)).build();
                StepVerifier.create(client.open("127.0.0.1", silent.getLocalPort()))
                        .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(OperationTimeoutException.class)
                                .hasMessage("TCP connect 127.0.0.1:" + silent.getLocalPort() + ": connect timed out after 300ms"));
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
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
