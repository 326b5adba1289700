package dev.reactivekit.data.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reactivekit.core.ClientClosedException;
import dev.reactivekit.core.Failures;
import dev.reactivekit.core.LimitExceededException;
import dev.reactivekit.core.OperationTimeoutException;
import dev.reactivekit.core.Policy;
import dev.reactivekit.core.PoolTimeoutException;
import dev.reactivekit.core.RetryPolicy;
import dev.reactivekit.core.testing.LogCapture;
import dev.reactivekit.core.testing.TcpProxy;
import dev.reactivekit.core.testing.Poll;
import io.lettuce.core.protocol.DefaultEndpoint;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Dead servers, bad URLs, timeouts, full queues and pools, cancellation: each ends in a typed error naming what
 * went wrong, and nothing is left behind. A proxy in front of the test server holds replies back to make the
 * server look stalled without touching it.
 */
class RedisFailuresTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static RedisStore<String> direct;
    private static String p;
    private TcpProxy proxy;

    @BeforeAll
    static void connect() {
        direct = RedisStore.connect(TestRedis.url()).block(WAIT);
        p = TestRedis.prefix(RedisFailuresTest.class);
    }

    @AfterAll
    static void close() {
        TestRedis.cleanUp(direct, p);
        direct.close().block(WAIT);
    }

    @BeforeEach
    void startProxy() throws Exception {
        proxy = new TcpProxy(URI.create(TestRedis.url()).getPort());
    }

    @AfterEach
    void stopProxy() throws Exception {
        proxy.close();
    }

    private RedisStore<String> viaProxy(RedisOptions.Builder options) {
        return RedisStore.connect(proxy.url(), options.build()).block(WAIT);
    }

    @Test
    void aDeadServerFailsTheConnectNamingItAndLeavesNoThreadsBehind() {
        int port = TestRedis.freePort();
        long threadsBefore = lettuceThreads();
        StepVerifier.create(RedisStore.connect("redis://127.0.0.1:" + port))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RedisUnavailableException.class)
                        .hasMessageStartingWith("Redis CONNECT failed: cannot connect to redis://127.0.0.1:" + port + "/0: ")
                        .hasMessageContaining("Connection refused"))
                .verify(WAIT);
        assertThat(Poll.until(() -> lettuceThreads() <= threadsBefore)).as("event loops stopped").isTrue();
    }

    @Test
    void aMalformedUrlIsRefusedWithoutItsPassword() {
        StepVerifier.create(RedisStore.connect("redis://:s3cret@localhost:notaport/0"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(dev.reactivekit.core.ConfigurationException.class)
                        .hasMessageStartingWith("not a Redis URL: redis://***@localhost:notaport/0")
                        .hasMessageNotContaining("s3cret"))
                .verify(WAIT);
        StepVerifier.create(RedisStore.connect("http://localhost:6379"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(dev.reactivekit.core.ConfigurationException.class)
                        .hasMessageStartingWith("not a Redis URL: http://localhost:6379"))
                .verify(WAIT);
    }

    @Test
    void aStalledServerTimesTheCommandOutNamingItAndTheConnectionStaysUsable() {
        RedisStore<String> redis = viaProxy(RedisOptions.builder().commandTimeout(Duration.ofMillis(200))
                .policy(Policy.none()));
        try {
            redis.set(p + "k", "v").block(WAIT);
            proxy.pause();
            StepVerifier.create(redis.get(p + "k"))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(OperationTimeoutException.class)
                            .hasMessageContaining("Redis GET " + p + "k")
                            .hasMessageContaining("200"))
                    .verify(WAIT);
            proxy.resume();
            // The late reply of the timed-out GET is dropped, not handed to the next command.
            StepVerifier.create(redis.set(p + "k2", "v2").then(redis.get(p + "k2"))).expectNext("v2").verifyComplete();
        } finally {
            redis.close().block(WAIT);
        }
    }

    @Test
    void aFullRequestQueueRefusesTheNextCommandAtOnce() {
        RedisStore<String> redis = viaProxy(RedisOptions.builder().requestQueueSize(8).policy(Policy.none()));
        // Depending on where Lettuce notices the full queue it may also log a warning from its event loop: keep
        // it out of the test output.
        try (LogCapture quiet = LogCapture.of(DefaultEndpoint.class)) {
            redis.set(p + "q", "v").block(WAIT);
            // Lettuce counts a command against requestQueueSize until its write is acknowledged, in a task the
            // event loop may run a turn after the reply: the SET can still count once its reply is in. A task of
            // our own on the same loop (stats() reads there) runs after that one, so the queue is empty after it.
            redis.stats().block(WAIT);
            proxy.pause();
            List<Mono<String>> waiting = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                waiting.add(redis.get(p + "q").cache());
                waiting.get(i).subscribe(v -> { }, e -> { });
            }
            StepVerifier.create(redis.get(p + "q"))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(LimitExceededException.class)
                            .hasMessageContaining("Redis GET " + p + "q failed: 8 commands already wait")
                            .hasMessageContaining("(requestQueueSize)"))
                    .verify(WAIT);
            proxy.resume();
            // Nothing accepted is lost: the eight queued commands get their replies.
            for (Mono<String> accepted : waiting) {
                StepVerifier.create(accepted).expectNext("v").verifyComplete();
            }
        } finally {
            redis.close().block(WAIT);
        }
    }

    @Test
    void thePolicyRetriesReadsButNeverWrites() {
        AtomicInteger retries = new AtomicInteger();
        Policy policy = Policy.builder()
                .timeout(Duration.ofMillis(150))
                .retry(RetryPolicy.fixed(Duration.ofMillis(10)).maxAttempts(3).onRetry(attempt -> {
                    retries.incrementAndGet();
                    proxy.resume();
                }))
                .build();
        RedisStore<String> redis = viaProxy(RedisOptions.builder().policy(policy));
        try {
            redis.set(p + "r", "v").block(WAIT);
            proxy.pause();
            StepVerifier.create(redis.get(p + "r")).expectNext("v").verifyComplete();
            assertThat(retries).as("the read was retried once").hasValue(1);

            proxy.pause();
            retries.set(0);
            StepVerifier.create(redis.incr(p + "counter"))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(OperationTimeoutException.class)
                            .hasMessageContaining("Redis INCR " + p + "counter"))
                    .verify(WAIT);
            assertThat(retries).as("a write is never retried").hasValue(0);
            proxy.resume();
            // The write timed out for the caller but reached the server once: it may have been applied.
            assertThat(Poll.until(() -> "1".equals(direct.get(p + "counter").block(WAIT)))).isTrue();
        } finally {
            redis.close().block(WAIT);
        }
    }

    @Test
    void cancellingAThousandCommandsInFlightLeavesNoPendingReplies() {
        RedisStore<String> redis = viaProxy(RedisOptions.builder());
        try {
            redis.set(p + "c", "value").block(WAIT);
            proxy.pause();
            List<Disposable> inFlight = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                inFlight.add(redis.get(p + "c").subscribe());
            }
            assertThat(Poll.until(() -> redis.stats().block(WAIT).pendingReplies() == 1_000)).isTrue();
            inFlight.forEach(Disposable::dispose);
            proxy.resume();
            assertThat(Poll.until(() -> redis.stats().block(WAIT).pendingReplies() == 0))
                    .as("replies of cancelled commands are read and dropped").isTrue();
            StepVerifier.create(redis.incr(p + "n")).expectNext(1L).verifyComplete();
            StepVerifier.create(redis.get(p + "c")).expectNext("value").verifyComplete();

            // A cancelled pipeline likewise: its commands were written, their replies are dropped.
            proxy.pause();
            Disposable pipeline = redis.pipeline(batch -> IntStream.range(0, 100).forEach(i -> batch.get(p + "c")))
                    .subscribe();
            assertThat(Poll.until(() -> redis.stats().block(WAIT).pendingReplies() == 100)).isTrue();
            pipeline.dispose();
            proxy.resume();
            assertThat(Poll.until(() -> redis.stats().block(WAIT).pendingReplies() == 0)).isTrue();
            StepVerifier.create(redis.incr(p + "n")).expectNext(2L).verifyComplete();
        } finally {
            redis.close().block(WAIT);
        }
    }

    @Test
    void cancellingABlockingCommandClosesItsDedicatedConnection() {
        RedisStats before = direct.stats().block(WAIT);
        Disposable waiting = direct.brpop(p + "nothing", Duration.ofSeconds(30)).subscribe();
        assertThat(Poll.until(() -> direct.stats().block(WAIT).blocking().inUse() == 1)).isTrue();
        waiting.dispose();
        assertThat(Poll.until(() -> {
            RedisStats now = direct.stats().block(WAIT);
            return now.blocking().inUse() == 0 && now.connections() == before.connections() - before.blocking().idle()
                    + now.blocking().idle() && now.pendingReplies() == 0;
        })).as("dedicated connection closed, nothing pending").isTrue();
        // The server no longer has a client blocked on the list, once it has processed the close (until then it
        // lists the client with flag A, "close as soon as possible").
        assertThat(Poll.until(() -> !direct.lettuce().clientList().block(WAIT).contains("cmd=brpop")))
                .as("the server dropped the blocked client").isTrue();
    }

    @Test
    void aBlockingCommandWhoseConnectionDropsFailsAsTransientAndTheStoreCarriesOn() {
        RedisStore<String> redis = viaProxy(RedisOptions.builder().policy(Policy.none()));
        try {
            redis.set(p + "before", "1").block(WAIT);
            Mono<String> blocked = redis.brpop(p + "nothing", Duration.ofSeconds(30)).cache();
            blocked.subscribe(v -> { }, e -> { });
            assertThat(Poll.until(() -> direct.lettuce().clientList().block(WAIT).contains("cmd=brpop")))
                    .as("the server has the client blocked").isTrue();
            assertThat(proxy.dropAll()).isPositive();
            // Lettuce fails it "Connection disconnected": a dropped connection, worth retrying.
            StepVerifier.create(blocked)
                    .expectErrorSatisfies(e -> {
                        assertThat(e).isInstanceOf(RedisUnavailableException.class)
                                .hasMessageContaining("Redis BRPOP " + p + "nothing");
                        assertThat(Failures.isTransient(e)).as("%s is transient", e).isTrue();
                    })
                    .verify(WAIT);
            assertThat(Poll.until(() -> "1".equals(redis.get(p + "before").onErrorResume(e -> Mono.empty())
                    .block(WAIT)))).as("the store reconnected").isTrue();
            StepVerifier.create(redis.brpop(p + "nothing", Duration.ofMillis(100))).verifyComplete();
        } finally {
            redis.close().block(WAIT);
        }
    }

    @Test
    void blockingCommandsWaitForAFreeConnectionThenFailNamingThePool() {
        RedisStore<String> redis = RedisStore.connect(TestRedis.url(), RedisOptions.builder()
                .maxBlockingConnections(1).commandTimeout(Duration.ofMillis(200)).build()).block(WAIT);
        try {
            Disposable holder = redis.brpop(p + "held", Duration.ofSeconds(30)).subscribe();
            assertThat(Poll.until(() -> redis.stats().block(WAIT).blocking().inUse() == 1)).isTrue();
            StepVerifier.create(redis.brpop(p + "other", Duration.ofSeconds(1)))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(PoolTimeoutException.class)
                            .hasMessageContaining("Redis BRPOP " + p + "other")
                            .hasMessageContaining("maxBlockingConnections")
                            .satisfies(x -> assertThat(((PoolTimeoutException) x).poolSize()).isEqualTo(1)))
                    .verify(WAIT);
            holder.dispose();
            StepVerifier.create(redis.brpop(p + "other", Duration.ofMillis(50))).verifyComplete();
        } finally {
            redis.close().block(WAIT);
        }
    }

    @Test
    void aClosedStoreRefusesCommandsClearly() {
        RedisStore<String> redis = RedisStore.connect(TestRedis.url()).block(WAIT);
        redis.close().block(WAIT);
        StepVerifier.create(redis.close()).verifyComplete();
        StepVerifier.create(redis.get(p + "x"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ClientClosedException.class)
                        .hasMessage(name(redis) + " is closed: cannot run GET " + p + "x"))
                .verify(WAIT);
        StepVerifier.create(redis.subscribe(p + "channel"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ClientClosedException.class)
                        .hasMessage(name(redis) + " is closed: cannot run SUBSCRIBE " + p + "channel"))
                .verify(WAIT);
        StepVerifier.create(redis.brpop(p + "list", Duration.ofSeconds(1)))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ClientClosedException.class)
                        .hasMessage(name(redis) + " is closed: cannot run BRPOP " + p + "list"))
                .verify(WAIT);
    }

    /** "RedisStore redis://host:port/db", as a closed store names itself. */
    private static String name(RedisStore<?> store) {
        return store.toString().replace("RedisStore[", "RedisStore ").replace(", closed]", "");
    }

    private static long lettuceThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("lettuce-")).count();
    }
}
