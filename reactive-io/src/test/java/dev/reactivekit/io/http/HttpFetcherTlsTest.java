package dev.reactivekit.io.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.PermanentException;
import dev.reactivekit.core.RetryPolicy;
import dev.reactivekit.io.testing.TestCertificates;
import io.netty.pkitesting.X509Bundle;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

class HttpFetcherTlsTest {

    static DisposableServer server;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        X509Bundle cert = TestCertificates.selfSigned();
        server = HttpServer.create().host("127.0.0.1").port(0)
                .secure(spec -> spec.sslContext(dev.reactivekit.io.internal.TlsContexts.server(ServerTls.of(cert.getKeyPair().getPrivate(), cert.getCertificatePath()))))
                .route(r -> r.get("/secret", (req, res) -> res.sendString(Mono.just("over TLS"))))
                .bindNow();
        base = "https://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.disposeNow();
    }

    @Test
    void httpsRoundTripTrustingTheSelfSignedCertificate() {
        HttpFetcher http = HttpFetcher.builder().tls(ClientTls.trusting(TestCertificates.selfSigned().getCertificate())).build();
        StepVerifier.create(http.get(base + "/secret").map(FetchResult::text)).expectNext("over TLS").verifyComplete();
        http.close().block(Duration.ofSeconds(5));
    }

    @Test
    void theSystemTrustStoreRefusesAnUnknownCertificate() {
        HttpFetcher http = HttpFetcher.builder().retry(RetryPolicy.none()).build();
        StepVerifier.create(http.get(base + "/secret"))
                .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(PermanentException.class)
                        .hasMessageStartingWith("GET " + base + "/secret: TLS failed"));
        http.close().block(Duration.ofSeconds(5));
    }

    @Test
    void insecureTrustAllIsAvailableForTests() {
        HttpFetcher http = HttpFetcher.builder().tls(ClientTls.insecureTrustAll()).build();
        StepVerifier.create(http.get(base + "/secret").map(FetchResult::text)).expectNext("over TLS").verifyComplete();
        http.close().block(Duration.ofSeconds(5));
    }
}
