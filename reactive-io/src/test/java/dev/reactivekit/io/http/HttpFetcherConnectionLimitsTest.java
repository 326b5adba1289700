package dev.reactivekit.io.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.PoolTimeoutException;
import dev.reactivekit.core.RetryPolicy;
import dev.reactivekit.core.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The limits on connections in all and per host: each wait is bounded by maxWait and fails naming the
 * limit it waited for; waiters count as pending; a cancelled waiter leaves at once.
 */
class HttpFetcherConnectionLimitsTest {

    private final List<RunningService> servers = new CopyOnWriteArrayList<>();
    private HttpFetcher http;

    @AfterEach
    void stop() {
        if (http != null) {
            http.close().block(Duration.ofSeconds(10));
        }
        servers.forEach(s -> s.close(Duration.ofSeconds(1)).block(Duration.ofSeconds(10)));
    }

    private String server() {
        RunningService s = HttpService.builder().port(0)
                .get("/never", req -> Mono.never())
                .get("/slow", req -> Mono.delay(Duration.ofMillis(5)).thenReturn(ServerReply.text("ok")))
                .get("/ok", req -> Mono.just(ServerReply.text("ok")))
                .build().start().block(Duration.ofSeconds(10));
        servers.add(s);
        return "http://127.0.0.1:" + s.port();
    }

    @Test
    void theLimitAcrossHostsFailsAfterAcquireTimeoutNamingItAndItsWaitersArePending() {
        String a = server();
        String b = server();
        http = HttpFetcher.builder().maxConnections(2).maxConnectionsPerHost(2).maxWait(Duration.ofMillis(300))
                .retry(RetryPolicy.none()).build();
        Disposable busy = Flux.range(0, 2).flatMap(i -> http.get(a + "/never")).subscribe(r -> { }, e -> { });
        try {
            assertThat(Await.until(() -> http.poolStats().inUse() == 2)).isTrue();
            StepVerifier.create(http.get(b + "/ok"))
                    .then(() -> assertThat(Await.until(() -> http.poolStats().waiting() == 1))
                            .as("the waiter counts as pending: " + http.poolStats()).isTrue())
                    .verifyErrorSatisfies(e -> {
                        assertThat(e).isInstanceOf(PoolTimeoutException.class)
                                .hasMessage("GET " + b + "/ok: no connection free within 300ms: all 2 in use across"
                                        + " hosts (maxConnections 2, maxWait 300ms)");
                        assertThat(((PoolTimeoutException) e).waited()).isEqualTo(Duration.ofMillis(300));
                    });
            assertThat(http.poolStats().waiting()).isZero();
        } finally {
            busy.dispose();
        }
    }

    @Test
    void theLimitPerHostFailsAfterAcquireTimeoutNamingIt() {
        String a = server();
        http = HttpFetcher.builder().maxConnectionsPerHost(1).maxWait(Duration.ofMillis(200))
                .retry(RetryPolicy.none()).build();
        Disposable busy = http.get(a + "/never").subscribe(r -> { }, e -> { });
        try {
            assertThat(Await.until(() -> http.poolStats().inUse() == 1)).isTrue();
            StepVerifier.create(http.get(a + "/ok"))
                    .verifyErrorSatisfies(e -> assertThat(e).isInstanceOf(PoolTimeoutException.class)
                            .hasMessageEndingWith(": all 1 in use (maxConnectionsPerHost 1, maxWait 200ms)")
                            .hasMessageContaining("no connection to 127.0.0.1:"));
        } finally {
            busy.dispose();
        }
    }

    @Test
    void tenThousandRequestsCancelledAtRandomLeaveNoWaiterBehind() {
        String a = server();
        http = HttpFetcher.builder().maxConnections(50).maxConnectionsPerHost(50).retry(RetryPolicy.none()).build();
        List<Throwable> dropped = new CopyOnWriteArrayList<>();
        Hooks.onErrorDropped(dropped::add);
        try {
            Flux<Object> all = Flux.range(0, 10_000).flatMap(i -> http.get(a + "/slow").cast(Object.class)
                    .timeout(Duration.ofNanos(ThreadLocalRandom.current().nextLong(0, 8_000_000)), Mono.just("cancelled"))
                    .onErrorResume(e -> Mono.just(e)), 200);
            StepVerifier.create(all.filter(o -> o instanceof Throwable).collectList())
                    .assertNext(errors -> assertThat(errors).as("no request failed, each finished or was cancelled")
                            .isEmpty())
                    .verifyComplete();
            assertThat(Await.until(() -> http.poolStats().inUse() == 0 && http.poolStats().waiting() == 0))
                    .as("nothing left waiting or in use: " + http.poolStats()).isTrue();
            assertThat(dropped).as("no error dropped for a cancelled waiter").isEmpty();
        } finally {
            Hooks.resetOnErrorDropped();
        }
    }
}
