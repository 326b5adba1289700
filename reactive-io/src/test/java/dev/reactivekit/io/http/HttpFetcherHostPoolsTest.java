package dev.reactivekit.io.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

/** A host's pool, and its metrics, go away once the host has not been talked to for a while. */
class HttpFetcherHostPoolsTest {

    private final List<DisposableServer> servers = new ArrayList<>();
    private HttpFetcher http;

    @AfterEach
    void stop() {
        if (http != null) {
            http.close().block(Duration.ofSeconds(10));
        }
        servers.forEach(DisposableServer::disposeNow);
    }

    @Test
    void inactiveHostPoolsAreDisposedInTheBackgroundAndTheCountFallsBack() {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            DisposableServer s = HttpServer.create().host("127.0.0.1").port(0)
                    .route(r -> r.get("/", (req, res) -> res.sendString(Mono.just("ok")))).bindNow();
            servers.add(s);
            urls.add("http://127.0.0.1:" + s.port() + "/");
        }
        http = HttpFetcher.builder().maxIdleTime(Duration.ofMillis(100)).evictionInterval(Duration.ofMillis(100))
                .hostPoolIdleTime(Duration.ofMillis(200)).build();
        StepVerifier.create(Flux.fromIterable(urls).flatMap(http::get).count()).expectNext(10L).verifyComplete();
        assertThat(http.hostPools()).isEqualTo(10);
        assertThat(Await.until(() -> http.hostPools() == 0))
                .as("pools of hosts no longer talked to are gone: " + http.poolStats()).isTrue();
        assertThat(Await.until(() -> http.poolStats().idle() == 0)).isTrue();
        // A host talked to again gets a pool again.
        StepVerifier.create(http.get(urls.get(0)).map(FetchResult::text)).expectNext("ok").verifyComplete();
        assertThat(http.hostPools()).isEqualTo(1);
    }
}
