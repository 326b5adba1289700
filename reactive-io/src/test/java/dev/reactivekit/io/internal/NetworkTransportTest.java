package dev.reactivekit.io.internal;

import static org.assertj.core.api.Assertions.assertThat;

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
            server.stop(Duration.ofSeconds(1)).block(Duration.ofSeconds(5));
        }
    }
}
