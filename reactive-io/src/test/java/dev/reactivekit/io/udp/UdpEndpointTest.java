package dev.reactivekit.io.udp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.LimitExceededException;
import dev.reactivekit.io.NetworkException;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class UdpEndpointTest {

    private UdpEndpoint server;

    @BeforeEach
    void start() {
        server = UdpEndpoint.serve("127.0.0.1", 0, UdpEndpoint.echo()).block(Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        server.close().block(Duration.ofSeconds(5));
    }

    @Test
    void aDatagramIsEchoedToItsSender() {
        UdpEndpoint client = UdpEndpoint.bind("127.0.0.1", 0).block(Duration.ofSeconds(5));
        StepVerifier.create(client.receive().next().doOnSubscribe(s -> client.send(Datagram.of("Hello UDP", server.address())).subscribe()))
                .assertNext(d -> {
                    assertThat(d.text()).isEqualTo("Hello UDP");
                    assertThat(d.address()).isEqualTo(server.address());
                })
                .verifyComplete();
        client.close().block(Duration.ofSeconds(5));
    }

    @Test
    void largeDatagramsArriveWhole() {
        UdpEndpoint client = UdpEndpoint.bind("127.0.0.1", 0).block(Duration.ofSeconds(5));
        byte[] payload = new byte[60_000];
        new Random(2).nextBytes(payload);
        StepVerifier.create(client.send(Datagram.of(payload, server.address())).then(client.receive().next()))
                .assertNext(d -> assertThat(d.bytes()).isEqualTo(payload))
                .verifyComplete();
        client.close().block(Duration.ofSeconds(5));
    }

    @Test
    void twoHundredClientsEachGetTheirOwnAnswer() {
        Flux<String> answers = Flux.range(0, 200).flatMap(i -> UdpEndpoint.bind("127.0.0.1", 0)
                .flatMap(client -> client.send(Datagram.of("client " + i, server.address()))
                        .then(client.receive().next().map(Datagram::text))
                        .timeout(Duration.ofSeconds(5))
                        .flatMap(text -> client.close().thenReturn(text))), 50);
        StepVerifier.create(answers.collectList())
                .assertNext(list -> assertThat(list).hasSize(200).contains("client 0", "client 199").doesNotHaveDuplicates())
                .verifyComplete();
    }

    @Test
    void closingEndsTheReceivers() {
        UdpEndpoint endpoint = UdpEndpoint.bind("127.0.0.1", 0).block(Duration.ofSeconds(5));
        StepVerifier.create(endpoint.receive())
                .expectSubscription()
                .then(() -> endpoint.close().block(Duration.ofSeconds(5)))
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void aTakenPortIsAClearError() {
        StepVerifier.create(UdpEndpoint.bind("127.0.0.1", server.port()))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(NetworkException.class)
                        .hasMessageStartingWith("UDP endpoint cannot listen on 127.0.0.1:" + server.port() + ": "));
    }

    @Test
    void cancellingAReceiverLeavesTheEndpointWorking() {
        UdpEndpoint client = UdpEndpoint.bind("127.0.0.1", 0).block(Duration.ofSeconds(5));
        try {
            StepVerifier.create(client.receive())
                    .expectSubscription()
                    .expectNoEvent(Duration.ofMillis(50))
                    .thenCancel()
                    .verify(Duration.ofSeconds(5));
            StepVerifier.create(client.send(Datagram.of("still here", server.address()))
                            .then(client.receive().next().map(Datagram::text)))
                    .expectNext("still here")
                    .expectComplete()
                    .verify(Duration.ofSeconds(5));
        } finally {
            client.close().block(Duration.ofSeconds(5));
        }
    }

    @Test
    void aDatagramTooLargeForUdpIsAClearError() {
        UdpEndpoint client = UdpEndpoint.bind("127.0.0.1", 0).block(Duration.ofSeconds(5));
        try {
            StepVerifier.create(client.send(Datagram.of(new byte[70_000], server.address())))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(LimitExceededException.class)
                            .hasMessage("a datagram of 70000 bytes to " + server.address() + " is over UDP's limit of 65507 bytes"))
                    .verify(Duration.ofSeconds(5));
            // The socket refuses an IPv6 destination from an IPv4 address: the error is ours, naming the endpoint.
            StepVerifier.create(client.send(Datagram.of("hi", new java.net.InetSocketAddress("::1", server.port()))))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(NetworkException.class)
                            .hasMessageStartingWith("UDP endpoint " + client.address() + ": sending: "))
                    .verify(Duration.ofSeconds(5));
        } finally {
            client.close().block(Duration.ofSeconds(5));
        }
    }

    @Test
    void aClosedEndpointRefusesToSendNamingItself() {
        UdpEndpoint endpoint = UdpEndpoint.bind("127.0.0.1", 0).block(Duration.ofSeconds(5));
        java.net.InetSocketAddress address = endpoint.address();
        endpoint.close().block(Duration.ofSeconds(5));
        StepVerifier.create(endpoint.send(Datagram.of("late", address)))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(dev.reactivekit.core.ClientClosedException.class)
                        .hasMessage("UDP endpoint " + address + " is closed: cannot run send"));
    }

    @Test
    void aDeadlineThatHasPassedSendsNothing() {
        UdpEndpoint client = UdpEndpoint.bind("127.0.0.1", 0).block(Duration.ofSeconds(5));
        try {
            StepVerifier.create(client.send(Datagram.of("late", server.address()))
                            .contextWrite(dev.reactivekit.core.testing.Deadlines.passed("ping")))
                    .verifyErrorMessage("ping exceeded its deadline of 1ms");
        } finally {
            client.close().block(Duration.ofSeconds(5));
        }
    }
}
