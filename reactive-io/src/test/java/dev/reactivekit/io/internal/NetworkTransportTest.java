package dev.reactivekit.io.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.reactivekit.io.tcp.RunningTcpService;
import dev.reactivekit.io.tcp.TcpHandler;
import dev.reactivekit.io.tcp.TcpService;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.tcp.TcpClient;
import reactor.test.StepVerifier;

class NetworkTransportTest {

    @Test
    void reportsTheTransportThatConnectionsActuallyUse() {
        RunningTcpService server = TcpService.builder().port(0).handler(TcpHandler.echo()).build().start()
                .block(Duration.ofSeconds(10));
        try {
            Mono<String> channelClass = TcpClient.create().host("127.0.0.1").port(server.port()).connect()
                    .map(c -> {
                        String name = c.channel().getClass().getSimpleName().toLowerCase(Locale.ROOT);
                        c.dispose();
                        return name;
                    });
            String expectedPrefix = switch (NetworkTransport.name()) {
                case "io_uring" -> "iouring";
                case "epoll" -> "epoll";
                case "kqueue" -> "kqueue";
                default -> "nio";
            };
            StepVerifier.create(channelClass)
                    .assertNext(name -> assertThat(name).startsWith(expectedPrefix))
                    .verifyComplete();
        } finally {
            server.close(Duration.ofSeconds(1)).block(Duration.ofSeconds(5));
        }
    }

    @Test
    void onLinuxX8664ConnectionsRunOnANativeTransportNotNio() {
        assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"), "Linux only");
        String arch = System.getProperty("os.arch", "");
        assumeTrue(arch.equals("amd64") || arch.equals("x86_64"), "x86_64 only: the native jars in use");
        assertThat(NetworkTransport.name()).isIn("io_uring", "epoll");
    }

    @Test
    void fallingBackToNioOnLinuxIsAWarningNamingTheUsualCauses() {
        assertThat(NetworkTransport.fallbackWarning("Linux", "nio"))
                .contains("NIO transport on Linux").contains("Multi-Release: true").contains("linux classifiers");
        assertThat(NetworkTransport.fallbackWarning("Linux", "io_uring")).isNull();
        assertThat(NetworkTransport.fallbackWarning("Linux", "epoll")).isNull();
        assertThat(NetworkTransport.fallbackWarning("Mac OS X", "nio")).as("NIO is the norm elsewhere").isNull();
    }
}
