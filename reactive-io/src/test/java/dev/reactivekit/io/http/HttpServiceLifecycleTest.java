package dev.reactivekit.io.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.RetryPolicy;
import dev.reactivekit.io.NetworkException;
import dev.reactivekit.io.testing.TestCertificates;
import io.netty.pkitesting.X509Bundle;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class HttpServiceLifecycleTest {

    private final HttpFetcher http = HttpFetcher.builder().retry(RetryPolicy.none()).build();

    @Test
    void gracefulStopLetsARequestInProgressFinishAndThenRefusesConnections() {
        RunningService server = HttpService.builder().port(0)
                .get("/slow", req -> Mono.delay(Duration.ofMillis(500)).thenReturn(ServerReply.text("finished")))
                .build().start().block(Duration.ofSeconds(5));
        String url = server.url("/slow");
        StepVerifier inFlight = StepVerifier.create(http.get(url).map(FetchResult::text))
                .expectNext("finished").expectComplete().verifyLater();
        Mono.delay(Duration.ofMillis(150)).block();   // the request is in progress
        StepVerifier.create(server.close(Duration.ofSeconds(5))).verifyComplete();
        inFlight.verify(Duration.ofSeconds(5));
        StepVerifier.create(http.get(url)).verifyError(NetworkException.class);
    }

    @Test
    void aRequestLongerThanTheGracePeriodIsCutOff() {
        RunningService server = HttpService.builder().port(0)
                .get("/endless", req -> Mono.never())
                .build().start().block(Duration.ofSeconds(5));
        StepVerifier inFlight = StepVerifier.create(http.get(server.url("/endless")))
                .expectError(NetworkException.class).verifyLater();
        Mono.delay(Duration.ofMillis(150)).block();
        StepVerifier.create(server.close(Duration.ofMillis(200))).verifyComplete();
        inFlight.verify(Duration.ofSeconds(5));
    }

    @Test
    void httpsWithASelfSignedCertificate() {
        X509Bundle cert = TestCertificates.selfSigned();
        RunningService server = HttpService.builder().port(0)
                .tls(ServerTls.of(cert.getKeyPair().getPrivate(), cert.getCertificatePath()))
                .get("/secure", req -> Mono.just(ServerReply.text("encrypted")))
                .build().start().block(Duration.ofSeconds(5));
        assertThat(server.url("/secure")).startsWith("https://");
        HttpFetcher tls = HttpFetcher.builder().tls(ClientTls.trusting(cert.getCertificate())).build();
        StepVerifier.create(tls.get(server.url("/secure")).map(FetchResult::text)).expectNext("encrypted").verifyComplete();
        tls.close().block(Duration.ofSeconds(5));
        server.close(Duration.ofSeconds(1)).block(Duration.ofSeconds(5));
    }

    @Test
    void aPortInUseFailsTheStart() {
        RunningService first = HttpService.builder().port(0).build().start().block(Duration.ofSeconds(5));
        StepVerifier.create(HttpService.builder().port(first.port()).build().start())
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(NetworkException.class)
                        .hasMessage("HTTP server cannot listen on 127.0.0.1:" + first.port() + ": Address already in use"));
        first.close(Duration.ofSeconds(1)).block(Duration.ofSeconds(5));
    }
}
