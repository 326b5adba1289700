package dev.reactivekit.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.Outcome;
import dev.reactivekit.io.http.FetchResult;
import dev.reactivekit.io.http.HttpFetcher;
import dev.reactivekit.io.http.HttpService;
import dev.reactivekit.io.http.RequestBody;
import dev.reactivekit.io.http.RunningService;
import dev.reactivekit.io.http.ServerReply;
import dev.reactivekit.io.tcp.Framing;
import dev.reactivekit.io.tcp.RunningTcpService;
import dev.reactivekit.io.tcp.TcpClient;
import dev.reactivekit.io.tcp.TcpHandler;
import dev.reactivekit.io.tcp.TcpService;
import dev.reactivekit.io.udp.Datagram;
import dev.reactivekit.io.udp.UdpEndpoint;
import dev.reactivekit.io.ws.WebSocketHandler;
import dev.reactivekit.io.ws.WebSocketOptions;
import dev.reactivekit.io.ws.WebSockets;
import dev.reactivekit.io.ws.WsMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The README's networking examples, run against each other on ephemeral ports. */
class NetworkingExamplesTest {

    record User(String name) {
    }

    @Test
    void httpClientAndServer() {
        Flux<ByteBuffer> numbers = Flux.range(1, 3).map(i -> ByteBuffer.wrap((i + "\n").getBytes(StandardCharsets.UTF_8)));
        RunningService server = HttpService.builder()
                .port(0)
                .get("/hello", req -> Mono.just(ServerReply.text("hello")))
                .get("/users/{id}", req -> Mono.just(ServerReply.json(Map.of("id", req.pathParam("id")))))
                .post("/echo", req -> req.bodyJson(Map.class).map(ServerReply::json))
                .get("/numbers", req -> Mono.just(ServerReply.stream(numbers, "text/plain")))
                .websocket("/ws", WebSocketHandler.echo(), WebSocketOptions.defaults())
                .maxRequestBodySize(1 << 20)
                .build()
                .start()
                .block(Duration.ofSeconds(10));
        HttpFetcher http = HttpFetcher.builder()
                .maxConnections(100).maxConnectionsPerHost(10)
                .connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(10))
                .totalTimeout(Duration.ofSeconds(30))
                .build();
        try {
            StepVerifier.create(http.get(server.url("/users/7")).map(r -> r.json(Map.class)))
                    .expectNext(Map.of("id", "7"))
                    .verifyComplete();
            StepVerifier.create(http.post(server.url("/echo"), RequestBody.json(new User("ann"))).map(FetchResult::text))
                    .expectNext("{\"name\":\"ann\"}")
                    .verifyComplete();
            StepVerifier.create(http.stream(dev.reactivekit.io.http.HttpRequest.get(server.url("/numbers")))
                            .map(b -> StandardCharsets.UTF_8.decode(b).toString()).reduce(String::concat))
                    .expectNext("1\n2\n3\n")
                    .verifyComplete();
            List<String> urls = List.of(server.url("/hello"), "not a url", server.url("/missing"));
            StepVerifier.create(http.fetchAll(urls, dev.reactivekit.core.Concurrency.limit(50)).map(Outcome::isSuccess).collectList())
                    .expectNext(List.of(true, false, false))
                    .verifyComplete();

            String ws = "ws://127.0.0.1:" + server.port() + "/ws";
            Flux<String> replies = WebSockets.connect(ws, WebSocketOptions.defaults(),
                    session -> session.send(Flux.just(WsMessage.text("hi"), WsMessage.ping(new byte[0])))
                            .thenMany(session.receive().ofType(WsMessage.Text.class).map(WsMessage.Text::text).take(1)));
            StepVerifier.create(replies).expectNext("hi").verifyComplete();
        } finally {
            http.close().block(Duration.ofSeconds(5));
            server.close(Duration.ofSeconds(2)).block(Duration.ofSeconds(10));
        }
    }

    @Test
    void tcpEchoAndLineChat() {
        RunningTcpService echo = TcpService.builder().port(0).handler(TcpHandler.echo()).build().start()
                .block(Duration.ofSeconds(10));
        RunningTcpService chat = TcpService.builder().port(0)
                .framing(Framing.lines())
                .maxConnections(1_000).idleTimeout(Duration.ofMinutes(2))
                .handler(conn -> conn.sendText(conn.receiveText().map(line -> "you said: " + line)))
                .build().start().block(Duration.ofSeconds(10));
        try {
            TcpClient client = TcpClient.builder().framing(Framing.lines()).connectTimeout(Duration.ofSeconds(2)).build();
            Flux<String> replies = client.connect("127.0.0.1", chat.port(),
                    conn -> conn.sendText(Flux.just("hello", "bye")).thenMany(conn.receiveText().take(2)));
            StepVerifier.create(replies).expectNext("you said: hello", "you said: bye").verifyComplete();

            Flux<String> echoed = TcpClient.create().connect("127.0.0.1", echo.port(),
                    conn -> conn.sendText(Flux.just("ping")).thenMany(conn.receiveText().take(1)));
            StepVerifier.create(echoed).expectNext("ping").verifyComplete();
        } finally {
            echo.close(Duration.ofSeconds(1)).block(Duration.ofSeconds(5));
            chat.close(Duration.ofSeconds(1)).block(Duration.ofSeconds(5));
        }
    }

    @Test
    void udpEcho() {
        UdpEndpoint server = UdpEndpoint.serve("127.0.0.1", 0, UdpEndpoint.echo()).block(Duration.ofSeconds(5));
        UdpEndpoint client = UdpEndpoint.bind("127.0.0.1", 0).block(Duration.ofSeconds(5));
        try {
            Mono<String> answer = client.send(Datagram.of("Hello UDP", server.address()))
                    .then(client.receive().next().map(Datagram::text));
            StepVerifier.create(answer).expectNext("Hello UDP").verifyComplete();
        } finally {
            client.close().block(Duration.ofSeconds(5));
            server.close().block(Duration.ofSeconds(5));
        }
    }
}
